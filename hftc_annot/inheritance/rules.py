"""Modes of inheritance as pure functions over one sample's genotype facts, each giving its Flag or None."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from hftc_annot.inheritance import relatives
from hftc_annot.inheritance.calls import MAX_ALT_READS
from hftc_annot.inheritance.facts import ONE_COPY, AlleleFacts, Relative
from hftc_annot.inheritance.flags import KINDS, Flag, worse
from hftc_annot.inheritance.pedigree import AFFECTED
from hftc_annot.inheritance.phase import PARENTS, PhaseKind, phase
from hftc_annot.reader.genotypes import Zygosity

MAX_PAIRING = 20
"""With more heterozygous qualifying alleles in one gene than this (e.g. intronic variants of a genome),
compound-het pairs are not listed for that sample and gene; a warning says so (use --min-impact / --max-af)."""
X_MODES = ("XLD", "XLR")
MALE_HETEROZYGOUS_ON_X = "heterozygous call in a male on chrX outside the pseudo-autosomal regions (sex or call error?)"
FEMALE_HAPLOID_ON_X = "haploid call in a female on chrX outside the pseudo-autosomal regions (sex or call error?)"
DE_NOVO_MODES = KINDS["de_novo"].modes
MOTHER_OF_X_LINKED = {
    Zygosity.HET: "; mother heterozygous carrier",
    Zygosity.REF: "; mother homozygous reference (de novo?)",
    Zygosity.HOM_ALT: "; mother homozygous",
    Zygosity.HEMI: "; mother carries it (a haploid call)",
    Zygosity.PARTIAL: "; mother carries it (the other allele is not called)",
    Zygosity.MISSING: "",
}
"""The end of an XL flag's evidence: the mother's call (for a daughter whose father carries the allele and whose
mother does not, "inherited from the father" instead)."""
AFFECTED_FATHER_OF_SON = ("the affected father carries it too, but a son's X is his mother's (not passed from father "
                          "to son: a sample or pedigree error?)")
"""What an XL flag of a son says when his affected father carries the allele and his mother is homozygous reference:
the apparent father-to-son transmission is none on chrX outside the PARs (an unaffected father is a relative
against the flag, relatives.x_linked)."""


@dataclass
class PairIds:
    """Compound-het pair ids of one sample in one gene, "CH1", "CH2", ...: they count within the sample and gene,
    so that a gene shard, a run on some of the samples and a cluster job per family give the ids of a whole run."""

    issued: int = 0

    def next(self) -> str:
        self.issued += 1
        return f"CH{self.issued}"


def sample_flags(alleles: list[AlleleFacts], pair_ids: PairIds,
                 limits: dict[str, float] | None = None) -> list[tuple[AlleleFacts, Flag]]:
    """Every flag of one sample in one gene (`alleles`: the alleles it carries there; only those that qualify
    count), in report order: per allele the single-allele rules (AUTOSOMAL_RULES, or X_LINKED_RULES), then the
    AR_comphet pairs (those whose calls all pass the quality gates first, as the summary prefers them), none when
    more than MAX_PAIRING alleles could pair. `limits`: per flag kind, the highest
    population frequency an allele may have for it."""
    limits = limits or {}

    def within(allele: AlleleFacts, kind: str) -> bool:
        return allele.af is None or kind not in limits or allele.af <= limits[kind]

    alleles = beside_deletions([a for a in alleles if a.qualifies and a.combined_with is None],
                               lambda a: within(a, "AR_comphet"))
    out = []
    for allele in alleles:
        for rule in X_LINKED_RULES if _in_x_linked_gene(allele) else AUTOSOMAL_RULES:
            flag = rule(allele)
            if flag and within(allele, flag.name):
                out.append((allele, _as_called_on_x(flag, allele)))
    hets = once_each([a for a in pairable(alleles) if within(a, "AR_comphet") and a.same_event is None])
    pairs = []
    if len(hets) <= MAX_PAIRING:
        for i, a in enumerate(hets):
            for b in hets[i + 1:]:
                flag = compound_het(a, b)
                if flag:
                    pairs.append((a, b, replace(_as_called_on_x(flag, a, b), pair=pair_ids.next())))
    pairs.sort(key=lambda p: not (p[0].good and p[1].good))  # a row names, of equal pairs, one of good calls first
    return out + [(allele, pair) for a, b, pair in pairs for allele in (a, b)]


def single_known(alleles: list[AlleleFacts], flags: list[tuple[AlleleFacts, Flag]],
                 limits: dict[str, float] | None = None) -> list[tuple[AlleleFacts, Flag]]:
    """AR_single, for the summary only: each heterozygous known disease allele (ClinVar P/LP, or a curated HFTC
    variant) of one sample in an AR gene, qualifying and within the frequency limit, when `flags` (the sample's
    flags in the gene, from sample_flags) hold no biallelic one. Not a diagnosis: the lead a lab follows up, as a
    second allele may be missed (a deletion, a deep-intronic variant). Always low; the evidence says when pairs were
    not looked for (more than MAX_PAIRING alleles could pair)."""
    if any(flag.name in ("AR_hom", "AR_comphet") for _, flag in flags):
        return []
    limit = (limits or {}).get("AR_single")
    unpaired = f"; compound-het pairs not looked for (more than {MAX_PAIRING} heterozygous alleles)" \
        if crowded(alleles) else ""
    out = []
    for a in alleles:
        if a.known and a.qualifies and "AR" in a.modes and not a.x_linked and a.zygosity in ONE_COPY and \
                a.combined_with is None and (a.af is None or limit is None or a.af <= limit):
            quality = "" if a.good else "; genotype below the quality gates"
            out.append((a, Flag("AR_single", "low", f"heterozygous known disease allele (ClinVar P/LP or curated "
                                                     f"HFTC); no biallelic genotype found in {a.gene}{unpaired}"
                                                     f"{quality}")))
    return out


def beside_deletions(alleles: list[AlleleFacts], usable: Callable[[AlleleFacts], bool]) -> list[AlleleFacts]:
    """One sample's alleles in a gene, each marked against its heterozygous deletions (qualifying, and `usable`:
    within the compound-het frequency limit). A deletion that repeats an earlier one (over half of each) with nothing
    to phase them apart is one event called twice (a small deletion and a symbolic one, or two callers): it gets
    `same_event` and takes no part in pairs. An allele inside a remaining deletion gets `inside_deletion`; when it
    looks homozygous there it is one copy facing the deletion (hemizygous, zygosity HET), so that it pairs with the
    deletion instead of counting twice."""
    deletions: list[AlleleFacts] = []
    twins: dict[tuple[int, int], tuple[int, int]] = {}
    one_copy = [a for a in alleles if a.zygosity in ONE_COPY and a.extent is not None]
    for d in sorted(one_copy, key=lambda a: (not a.extent.deletion, a.key)):  # symbolic deletions first
        if not (d.extent.removes and usable(d)):
            continue
        twin = next((k for k in deletions if d.extent.same_event(k.extent) and phase(d, k).kind is PhaseKind.UNPHASED),
                    None)
        if twin is not None:
            twins[d.key] = twin.key
        elif d.extent.deletion:
            deletions.append(d)
    if not deletions:
        return alleles
    out = []
    for a in alleles:
        if a.key in twins:
            a = replace(a, same_event=twins[a.key])
        elif a.extent is not None and not a.extent.deletion:
            holder = next((d.key for d in deletions if a.extent.inside(d.extent)), None)
            if holder is not None:
                hemizygous = a.zygosity is Zygosity.HOM_ALT
                a = replace(a, inside_deletion=holder, hemizygous=hemizygous,
                            zygosity=Zygosity.HET if hemizygous else a.zygosity)
        out.append(a)
    return out


def once_each(alleles: list[AlleleFacts]) -> list[AlleleFacts]:
    """The alleles without repeats of one change (the same label: HGVS c., else CHROM:POS REF>ALT): a duplicated
    record, or one indel written at two places, is one allele called twice, not a compound-het pair."""
    seen: set[str] = set()
    out = []
    for a in alleles:
        if a.label not in seen:
            seen.add(a.label)
            out.append(a)
    return out


def crowded(alleles: list[AlleleFacts]) -> bool:
    """More than MAX_PAIRING of one sample's alleles in a gene could pair (those combined into another's haplotype
    not counted): its compound-het pairs are not listed."""
    return len([a for a in pairable(alleles) if a.combined_with is None]) > MAX_PAIRING


def pairable(alleles: list[AlleleFacts]) -> list[AlleleFacts]:
    """The alleles that can form compound-het pairs: qualifying, one copy in a diploid call, in an AR gene, and not
    on chrX outside the PARs of an X-linked gene."""
    return [a for a in alleles
            if a.qualifies and "AR" in a.modes and a.zygosity in ONE_COPY and not _in_x_linked_gene(a)]


def male_heterozygous_on_x(allele: AlleleFacts) -> bool:
    """A male with a diploid one-copy call on chrX outside the PARs: a sex or call error, worth a warning."""
    return allele.x_linked and allele.male and allele.zygosity in ONE_COPY


def female_haploid_on_x(allele: AlleleFacts) -> bool:
    """A female (by the PED: an unknown sex with a haploid call counts as male) with a haploid call on chrX outside
    the PARs: a sex or call error, worth a warning."""
    return allele.x_linked and not allele.male and allele.zygosity is Zygosity.HEMI


def _as_called_on_x(flag: Flag, *alleles: AlleleFacts) -> Flag:
    """A male's flag resting on a heterozygous call outside the PARs is low, and so is a PED female's resting on a
    haploid call there: the sex or the call is doubtful."""
    if any(female_haploid_on_x(allele) for allele in alleles) and FEMALE_HAPLOID_ON_X not in flag.evidence:
        flag = replace(flag, confidence="low", evidence=flag.evidence + "; " + FEMALE_HAPLOID_ON_X)
    if not any(male_heterozygous_on_x(allele) for allele in alleles):
        return flag
    return replace(flag, confidence="low", evidence=flag.evidence + "; " + MALE_HETEROZYGOUS_ON_X)


def _in_x_linked_gene(allele: AlleleFacts) -> bool:
    return allele.x_linked and any(mode in X_MODES for mode in allele.modes)


def de_novo(allele: AlleleFacts) -> Flag | None:
    """ALT in a child whose parents are both homozygous reference (full calls without this ALT), in a gene with a
    mode a new allele can cause (AD, XLD, XLR; in a recessive-only gene a de novo allele counts only as part of
    a pair): high when all three calls pass the quality gates, else low; low for a homozygous child, or one whose
    call holds another ALT while neither parent's call holds any other ALT of the record (1/2 of 0/0 parents: two
    new alleles?; which other ALT a parent holds is not compared); medium at best when a parent's reads show the ALT
    (a mosaic parent?); low in an autosomal gene whose dominant disorders need particular variants (the caveat
    says which); a sibling who is not affected and carries it lowers it (relatives.py), an affected one who carries it
    is named (the same new allele twice: a parent's germline mosaicism, which the recurrence risk counts on). A son's
    chrX outside the PARs is his mother's: a father who is not genotyped (a mother-son duo) does not stand in the
    way, nor does his call's quality."""
    father, mother = allele.father, allele.mother
    sons_x = allele.x_linked and allele.male
    fatherless = sons_x and father.zygosity is Zygosity.MISSING
    if mother.zygosity is not Zygosity.REF or (father.zygosity is not Zygosity.REF and not fatherless):
        return None
    if not set(allele.modes) & set(DE_NOVO_MODES):
        return None
    solid = mother.good and (father.good or sons_x)
    twice = allele.zygosity is Zygosity.HOM_ALT and not sons_x
    other_new = allele.with_other_alt and not (father.with_other_alt or mother.with_other_alt)
    confidence = "high" if solid and allele.good and not (twice or other_new) else "low"
    parents = "the mother homozygous reference" if fatherless else "both parents homozygous reference"
    whose = "the mother's" if sons_x else "a parent's"
    detail = parents + ("" if solid else f" ({whose} genotype is low quality)") + \
        ("; the father not genotyped (a son's X is his mother's)" if fatherless else "") + \
        ("" if allele.good else "; the child's genotype is below the quality gates") + \
        ("; the child is homozygous (two new alleles, or one with a deletion or uniparental disomy?)" if twice else "")
    if other_new:
        detail += "; the child's other ALT here is in neither parent either (two new alleles at one site?)"
    reads = _parental_alt_reads(allele)
    if reads:
        confidence, detail = worse(confidence, "medium"), f"{detail}; {reads}"
    if allele.shared_by:
        detail += f"; {_shared_new_allele(allele)}"
    against = relatives.carriers(allele, "germline mosaicism in a parent?") + relatives.affected_not_carrying(allele)
    if allele.dominant_caveat and not _in_x_linked_gene(allele):
        against.append(relatives.Contradiction("low", allele.dominant_caveat))
    where = "the mother" if fatherless else "either parent"
    return Flag("de_novo", relatives.lowered(confidence, against), f"not found in {where}: {detail}" +
                _notes(against))


def _shared_new_allele(allele: AlleleFacts) -> str:
    """The affected full siblings who carry a new allele too, and what that means: the same new allele twice in one
    sibship is a parent's germline mosaicism. On chrX outside the PARs a brother and sister are named so, maternal
    half-siblings count, and when either child is male or a half-sibling the parent is the mother (a son's X is
    hers); a call below the quality gates says so."""
    shared = allele.shared_by
    words = [relatives.sibling_word(allele, s) for s in shared]
    names = [s.name + ("" if s.good else relatives.BELOW_GATES) for s in shared]
    if len(set(words)) == 1:
        who = f"{words[0]}{'s' if len(names) > 1 else ''} {' and '.join(names)}"
    else:
        who = " and ".join(f"{word} {name}" for word, name in zip(words, names, strict=True))
    mother = allele.x_linked and (allele.male or any(s.male or s.half for s in shared))
    return f"also carried by the affected {who}: {'the mother' if mother else 'a parent'} may carry it in the " \
        "germline (mosaic), which raises the recurrence risk"


def _parental_alt_reads(allele: AlleleFacts) -> str:
    """What the parents' homozygous reference calls say against a new allele: ALT reads in them ('' when none; AD
    counts up to calls.MAX_ALT_READS). A son's chrX outside the PARs is his mother's: his father's reads do not
    count."""
    parents = (("mother", allele.mother),) if allele.x_linked and allele.male else \
        (("father", allele.father), ("mother", allele.mother))
    reads = [f"the {role}'s {parent.alt_reads}{' or more' if parent.alt_reads >= MAX_ALT_READS else ''} ALT "
             f"read{'s' if parent.alt_reads > 1 else ''}" for role, parent in parents if parent.alt_reads]
    return f"{' and '.join(reads)} behind a reference call (a mosaic parent, or noise?)" if reads else ""


def ar_hom(allele: AlleleFacts) -> Flag | None:
    """Homozygous ALT in an AR gene. High when both parents are heterozygous carriers; medium for a singleton, or
    with a parent not genotyped, only partly called (1/.: a carrier who may be homozygous) or called below the
    quality gates; low when a parent is homozygous reference or the call fails the quality gates. A relative
    homozygous too lowers it (relatives.py); an affected homozygous parent is noted (pseudo-dominance)."""
    if "AR" not in allele.modes or allele.zygosity is not Zygosity.HOM_ALT:
        return None
    confidence = "high" if allele.good else "low"
    parents = {"father": allele.father, "mother": allele.mother}
    known = [p.zygosity for p in parents.values() if p.zygosity is not Zygosity.MISSING]
    if not known:
        confidence, notes = worse(confidence, "medium"), ["no parental genotypes"]
    elif known == [Zygosity.HET, Zygosity.HET] and allele.father.good and allele.mother.good:
        notes = ["both parents heterozygous carriers"]
    else:
        notes = []
        for role, parent in parents.items():
            floor, note = _parent_of_homozygote(role, parent)
            confidence = worse(confidence, floor)
            notes += [note] if note else []
    against = relatives.homozygous(allele) + relatives.affected_not_homozygous(allele)
    notes += [c.note for c in against] + ([] if allele.good else ["genotype below the quality gates"])
    return Flag("AR_hom", relatives.lowered(confidence, against), "homozygous; " + "; ".join(notes))


def _parent_of_homozygote(role: str, parent: Relative) -> tuple[str, str]:
    """(the confidence it allows, a note) for one parent of a homozygous sample; a homozygous parent who is not
    affected is left to relatives.homozygous."""
    if parent.zygosity is Zygosity.MISSING:
        return "medium", f"{role}'s genotype not available"
    if parent.zygosity in (Zygosity.HET, Zygosity.HEMI):
        return relatives.weighed("high", f"{role} heterozygous carrier", parent.good)
    if parent.zygosity is Zygosity.REF:
        return relatives.weighed(
            "low", f"{role} homozygous reference (deletion of the other allele or uniparental disomy?)", parent.good)
    if parent.zygosity is Zygosity.PARTIAL:
        return "medium", f"{role} carries it (the other allele is not called)"
    if parent.status == AFFECTED:
        return "high", f"affected {role} is homozygous too (pseudo-dominance)"
    return "high", ""


def compound_het(a: AlleleFacts, b: AlleleFacts) -> Flag | None:
    """Two heterozygous alleles of one AR gene (the caller gives the pair its id), with the confidence of their
    phase evidence; None when they are in cis. Low when a call fails the quality gates; a relative who is not
    affected and carries both (not in cis) or is homozygous for one lowers it (relatives.py)."""
    evidence = phase(a, b)
    if evidence.kind.cis:
        return None
    confidence, reason = evidence.confidence, evidence.reason
    if not (a.good and b.good):
        confidence, reason = "low", reason + "; a genotype is below the quality gates"
    against = relatives.pair(a, b) + relatives.affected_without_pair(a, b)
    what = "a deletion and a variant inside it" if evidence.kind is PhaseKind.DELETION_TRANS else \
        "two heterozygous variants"
    return Flag("AR_comphet", relatives.lowered(confidence, against),
                f"{what} in {a.gene} ({a.label}, {b.label}), {reason}" + _notes(against), evidence.kind.value)


def x_linked(allele: AlleleFacts) -> Flag | None:
    """On chrX outside the PARs in an XLD or XLR gene: any ALT in a male (hemizygous); a female with the ALT inside
    her deletion of the other X (hemizygous, beside_deletions); a heterozygous female in an XLD gene (medium at
    best); a homozygous female. Low when the call fails the quality gates; a male relative
    with the ALT, a homozygous female relative, or in a dominant-only gene a heterozygous one lowers it unless
    affected (relatives.py). The mother's call ends the evidence unless she is among those ("inherited from the
    affected mother" when she is affected; for a daughter who has it from her father: "inherited from the father"); a
    homozygous daughter of a parent without it is low (deletion or uniparental disomy?; the father is named when
    neither has it). Without a sex in the PED a diploid call passes for a female's: the evidence then says so, and
    the parents' calls do not lower it."""
    if not _in_x_linked_gene(allele):
        return None
    confidence = "high" if allele.good else "low"
    if allele.male:
        what = "hemizygous in a male" if allele.zygosity in (Zygosity.HEMI, Zygosity.HOM_ALT) else "in a male"
        evidence = f"{what} (X-linked)"
    elif allele.hemizygous:
        evidence = "hemizygous female in an X-linked " + ("recessive" if "XLR" in allele.modes else "dominant") + \
            " gene: the other X's copy is deleted"
    elif female_haploid_on_x(allele):
        confidence, evidence = "low", FEMALE_HAPLOID_ON_X
    elif "XLD" in allele.modes and allele.zygosity in ONE_COPY:
        confidence, evidence = worse(confidence, "medium"), "heterozygous female in an X-linked dominant gene"
    elif allele.zygosity is Zygosity.HOM_ALT:
        kind = "recessive" if "XLR" in allele.modes else "dominant"
        evidence = f"homozygous female in an X-linked {kind} gene" if allele.sex_given else \
            f"homozygous in an X-linked {kind} gene (no sex in a PED: a female, or a male whose chrX is called diploid)"
    else:
        return None
    against = relatives.x_linked(allele) + relatives.affected_not_carrying(allele)
    origin = "" if any(c.by is allele.mother for c in against) else MOTHER_OF_X_LINKED[allele.mother.zygosity]
    if allele.mother.status == AFFECTED and allele.mother.zygosity.carries:
        origin = "; inherited from the affected mother"
    if not allele.male and allele.father.zygosity.carries and allele.mother.zygosity is Zygosity.REF:
        origin = "; inherited from the father"
    if allele.male and allele.father.zygosity.carries and allele.mother.zygosity is Zygosity.REF and \
            not any(c.by is allele.father for c in against):
        floor, note = relatives.weighed("medium", AFFECTED_FATHER_OF_SON, allele.father.good and allele.mother.good)
        confidence, origin = worse(confidence, floor), f"{origin}; {note}"
    if not allele.male and allele.sex_given and allele.zygosity is Zygosity.HOM_ALT:
        # her two X's are one from each parent: a parent without the allele gave her none of it
        lacking = next((role for role in PARENTS if getattr(allele, role).zygosity is Zygosity.REF), None)
        if lacking == "mother" and not allele.father.zygosity.carries:
            origin = ""  # the note says what the mother's call is
        if lacking:
            floor, note = relatives.weighed(
                "low", f"{lacking} does not carry it (deletion of the other allele or uniparental disomy?)",
                getattr(allele, lacking).good)
            confidence, origin = worse(confidence, floor), f"{origin}; {note}"
    quality = "" if allele.good else "; genotype below the quality gates"
    return Flag("XL", relatives.lowered(confidence, against), evidence + origin + quality + _notes(against))


def dominant(allele: AlleleFacts) -> Flag | None:
    """ALT in an AD gene: high when inherited from an affected parent or absent from both parents (de novo);
    medium without parental genotypes, or when that parental evidence rests on calls below the quality gates or on
    reference calls with ALT reads (a mosaic parent?); low
    when the call fails the quality gates or the gene's dominant disorders need particular variants (the caveat says
    which). A parent or sibling who is not affected and carries it lowers it (relatives.py); an affected sibling who
    carries an allele absent from both parents is named, as in de_novo (the summary's AD line says 'de novo' too)."""
    if "AD" not in allele.modes:
        return None
    confidence = "high" if allele.good else "low"
    sources = [(role, parent) for role, parent in (("father", allele.father), ("mother", allele.mother))
               if parent.zygosity.carries and parent.status == AFFECTED]
    notes = [f"inherited from the affected {role}" + ("" if parent.good else " (whose genotype is low quality)")
             for role, parent in sources]
    if sources and not any(parent.good for _, parent in sources):
        confidence = worse(confidence, "medium")  # the evidence rests on a call below the quality gates
    in_father, in_mother = allele.father.zygosity.carries, allele.mother.zygosity.carries
    if in_father is False and in_mother is False:
        solid = allele.father.good and allele.mother.good
        reads = _parental_alt_reads(allele)
        notes.append("absent from both parents (de novo)" + ("" if solid else "; a parent's genotype is low quality")
                     + (f"; {reads}" if reads else "")
                     + (f"; {_shared_new_allele(allele)}" if allele.shared_by else ""))
        if not solid or reads:
            confidence = worse(confidence, "medium")
    elif in_father is None and in_mother is None:
        confidence = worse(confidence, "medium")
        notes.append("no parental genotypes")
    elif True not in (in_father, in_mother):
        confidence = worse(confidence, "medium")
        notes.append(f"absent from the {'father' if in_father is False else 'mother'}; the other parent is not "
                     "genotyped")
    if not allele.good:
        notes.append("genotype below the quality gates")
    against = relatives.carriers(allele, "reduced penetrance?") + relatives.affected_not_carrying(allele)
    if allele.dominant_caveat:
        against.append(relatives.Contradiction("low", allele.dominant_caveat))
    return Flag("AD", relatives.lowered(confidence, against),
                f"{dominant_zygosity(allele)} in an autosomal dominant gene" + "".join(f"; {n}" for n in notes) +
                _notes(against))


def dominant_zygosity(allele: AlleleFacts) -> str:
    """The sample's call in words for an AD flag: homozygous, hemizygous (inside its deletion) or heterozygous."""
    return "homozygous" if allele.zygosity is Zygosity.HOM_ALT else \
        "hemizygous (the other copy is deleted)" if allele.hemizygous else "heterozygous"


def _notes(against: list[relatives.Contradiction]) -> str:
    return "".join(f"; {c.note}" for c in against)


AUTOSOMAL_RULES = (de_novo, ar_hom, dominant)
X_LINKED_RULES = (de_novo, x_linked)
"""The single-allele rules, in report order; X_LINKED_RULES on chrX outside the PARs of an XLD or XLR gene."""
