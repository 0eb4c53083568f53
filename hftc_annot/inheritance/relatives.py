"""What relatives' calls do to a flag: the README's table of relatives' effects, checks per flag kind, each listing
the calls that contradict the flag and how far they lower it: those of relatives not known to be affected who share
the flag's genotype, and those of affected siblings who do not."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hftc_annot.inheritance.facts import AlleleFacts, Relative
from hftc_annot.inheritance.flags import worse
from hftc_annot.inheritance.pedigree import UNAFFECTED, UNKNOWN_STATUS
from hftc_annot.inheritance.phase import own_phase, parents_show_trans
from hftc_annot.reader.genotypes import Zygosity

FLOOR = {UNAFFECTED: "low", UNKNOWN_STATUS: "medium"}
"""How far a contradicting call lowers a flag, by the relative's PED status. An affected relative never contradicts;
one of unknown status (PED phenotype 0/-9) may be affected, so lowers to medium only."""


BELOW_GATES = " (a call below the quality gates)"
"""What a note on a relative's call adds when the call fails the quality gates."""

AFFECTED_FLOOR = "medium"
"""How far an affected sibling's good call that does not fit the flag's genotype lowers it: a phenocopy, or another
cause in the family (locus heterogeneity), is possible, so the flag stays for the lab to judge."""
PHENOCOPY = "a phenocopy, or another cause?"


def weighed(floor: str, note: str, good: bool) -> tuple[str, str]:
    """(floor, note) of evidence resting on a relative's call: a call below the quality gates (`good` false) lowers
    to medium at most, and the note says so."""
    return (floor, note) if good else ("medium", note + BELOW_GATES)


def sibling_word(allele: AlleleFacts, sibling: Relative) -> str:
    """'sibling', or on chrX outside the PARs 'brother' or 'sister' (sex from the PED, else a haploid call), a
    'maternal half-brother' or 'maternal half-sister' there too."""
    word = ("brother" if sibling.male else "sister") if allele.x_linked else "sibling"
    return f"maternal half-{word}" if sibling.half else word


@dataclass(frozen=True)
class Contradiction:
    """A call that speaks against a flag: the confidence it leaves at most, why in words, and whose call it is
    (None for what is not a relative's call, such as a dominant caveat)."""

    floor: str
    note: str
    by: Relative | None = None


@dataclass(frozen=True)
class Other:
    """A relative who is not known to be affected, as the evidence names them ('unaffected father', 'unaffected
    sister S2', 'mother of unknown status'), with their call and whether they are male."""

    who: str
    call: Relative
    male: bool

    def against(self, note: str, good: bool | None = None, question: str = "") -> Contradiction:
        """A contradiction by this relative; `question` (the explanation, e.g. 'reduced penetrance?') is asked of an
        unaffected one. A call below the quality gates (`good`: of all the calls it rests on, this relative's call
        by default) lowers to medium at most, and says so."""
        if question and self.call.status == UNAFFECTED:
            note += f" ({question})"
        return Contradiction(*weighed(FLOOR[self.call.status], note, self.call.good if good is None else good),
                             self.call)


def others(allele: AlleleFacts) -> Iterator[Other]:
    """The parents who are not affected (not genotyped ones too: their calls are missing) and the unaffected
    siblings, in that order; a sibling is a brother or sister on chrX (sex from the PED, else a haploid call)."""
    for role, parent in (("father", allele.father), ("mother", allele.mother)):
        if parent.status in FLOOR:
            who = f"unaffected {role}" if parent.status == UNAFFECTED else f"{role} of unknown status"
            yield Other(who, parent, role == "father")
    for sibling in allele.siblings:
        yield Other(f"unaffected {sibling_word(allele, sibling)} {sibling.name}", sibling, sibling.male)


def lowered(confidence: str, contradictions: list[Contradiction]) -> str:
    """The confidence left after the contradictions."""
    for contradiction in contradictions:
        confidence = worse(confidence, contradiction.floor)
    return confidence


def homozygous(allele: AlleleFacts) -> list[Contradiction]:
    """AR_hom: a parent or sibling homozygous too (a parent's other calls are the rule's own evidence)."""
    return [o.against(f"{o.who} is homozygous too") for o in others(allele) if o.call.zygosity is Zygosity.HOM_ALT]


def carriers(allele: AlleleFacts, question: str) -> list[Contradiction]:
    """AD and de_novo: a parent or sibling who carries the allele; `question` is the explanation asked after an
    unaffected carrier ('reduced penetrance?')."""
    return [o.against(f"also carried by the {o.who}", question=question) for o in others(allele)
            if o.call.zygosity.carries]


def pair(a: AlleleFacts, b: AlleleFacts) -> list[Contradiction]:
    """AR_comphet: a parent or sibling who carries both alleles, unless their own phase puts them in cis, or who is
    homozygous for one of them. With the lone copy of a homozygous member of the other's haplotype, carrying both
    takes two copies of that member: one call holding it once is on the haplotype or alone, not both. A full
    sibling's pair is in trans when good calls of both parents show one allele from each."""
    lone = a if a.beside_haplotype == b.key else b if b.beside_haplotype == a.key else None
    from_each_parent = parents_show_trans(a, b)
    found = []
    for first, second in zip(others(a), others(b), strict=True):
        at_a, at_b = first.call, second.call
        both = at_a.zygosity.carries and at_b.zygosity.carries
        if both and lone is not None:
            both = (at_a if lone is a else at_b).zygosity is Zygosity.HOM_ALT
        if both:
            kind = own_phase(at_a, at_b, a.key[0] == b.key[0])
            if kind and kind.cis:
                continue
            homozygous = [at.zygosity is Zygosity.HOM_ALT for at in (at_a, at_b)]
            if all(homozygous):
                how = "(homozygous for both)"
            elif any(homozygous):
                how = "in trans (homozygous for one)"
            elif kind:
                how = "in trans"
            elif from_each_parent and at_a not in (a.father, a.mother) and not at_a.half:  # a full sibling
                how = "in trans (one from each parent)"
            else:
                how = "(phase unknown)"
            found.append(first.against(f"{first.who} carries both {how}", at_a.good and at_b.good))
        elif at_a.zygosity is Zygosity.HOM_ALT or at_b.zygosity is Zygosity.HOM_ALT:
            at, label = (at_a, a.label) if at_a.zygosity is Zygosity.HOM_ALT else (at_b, b.label)
            found.append(first.against(f"{first.who} is homozygous for {label}", at.good))
    return found


def x_linked(allele: AlleleFacts) -> list[Contradiction]:
    """XL: a male relative with the ALT (hemizygous), a female relative homozygous for it, and in a gene with no
    recessive X-linked mode a heterozygous female relative."""
    dominant_only = "XLR" not in allele.modes
    found = []
    for o in others(allele):
        zygosity = o.call.zygosity
        if not zygosity.carries:
            continue
        if o.male:
            hemizygous = zygosity in (Zygosity.HEMI, Zygosity.HOM_ALT)
            found.append(o.against(f"{o.who} {'is hemizygous for' if hemizygous else 'carries'} it"))
        elif zygosity is Zygosity.HOM_ALT:
            found.append(o.against(f"{o.who} is homozygous for it"))
        elif dominant_only:
            found.append(o.against(f"{o.who} is heterozygous for it", question="reduced penetrance?"))
    return found


def affected(allele: AlleleFacts, sibling: Relative, lacking: str, good: bool) -> Contradiction:
    """An affected sibling whose call does not fit the flag's genotype (`lacking`: how, e.g. 'does not carry it'):
    lowers to AFFECTED_FLOOR. A call below the quality gates (`good` false, of the calls it rests on) may miss the
    allele: it is named, and lowers a step less than a good one, that is not at all (as an unaffected relative's
    lowers to medium instead of low)."""
    note = f"affected {sibling_word(allele, sibling)} {sibling.name} {lacking} ({PHENOCOPY})"
    return Contradiction(AFFECTED_FLOOR, note, sibling) if good else Contradiction("high", note + BELOW_GATES, sibling)


OTHER_ALT = " (another ALT of the record instead)"
"""What a note on an affected sibling without the allele adds when their call holds another ALT of the record (0/2,
2/2): they are not homozygous reference there."""


def lacking(what: str, sibling: Relative) -> str:
    """'does not carry `what`', naming another ALT of the record that the sibling's call holds instead."""
    return f"does not carry {what}{OTHER_ALT if sibling.with_other_alt else ''}"


def affected_not_homozygous(allele: AlleleFacts) -> list[Contradiction]:
    """AR_hom: an affected sibling homozygous reference or heterozygous (a partial call, 1/., may be homozygous), or
    without the allele but with another ALT of the record. One heterozygous for it and another ALT of the record
    (1/2) is biallelic there, as an AR disease needs: no effect."""
    found = []
    for s in allele.affected_siblings:
        if s.zygosity is Zygosity.REF:
            found.append(affected(allele, s, lacking("it", s) if s.with_other_alt else "is homozygous reference",
                                  s.good))
        elif s.zygosity is Zygosity.HET and not s.with_other_alt:
            found.append(affected(allele, s, "is heterozygous", s.good))
    return found


def affected_not_carrying(allele: AlleleFacts) -> list[Contradiction]:
    """AD, de_novo and XL: an affected sibling without the allele (a reference call). On chrX outside the PARs a
    heterozygous sister fits an XLR flag too: a manifesting carrier (skewed X-inactivation)."""
    return [affected(allele, s, lacking("it", s), s.good) for s in allele.affected_siblings
            if s.zygosity is Zygosity.REF]


def affected_without_pair(a: AlleleFacts, b: AlleleFacts) -> list[Contradiction]:
    """AR_comphet: an affected sibling without one of the alleles (a reference call at it), or with both in cis by
    their own phase, unless good calls of both parents show one allele from each in a full sibling (their phase is
    then in conflict, as the sample's may be: phase.phase)."""
    from_each_parent = parents_show_trans(a, b)
    found = []
    for at_a, at_b in zip(a.affected_siblings, b.affected_siblings, strict=True):
        without = [(allele.label, at) for allele, at in ((a, at_a), (b, at_b)) if at.zygosity is Zygosity.REF]
        if len(without) == 2:
            other = OTHER_ALT if at_a.with_other_alt or at_b.with_other_alt else ""
            found.append(affected(a, at_a, f"carries neither{other}", at_a.good or at_b.good))
        elif without:
            [(label, at)] = without
            found.append(affected(a, at_a, lacking(label, at), at.good))
        elif at_a.zygosity.carries and at_b.zygosity.carries:
            kind = own_phase(at_a, at_b, a.key[0] == b.key[0])
            if kind and kind.cis and not (from_each_parent and not at_a.half):
                found.append(affected(a, at_a, "carries both in cis", at_a.good and at_b.good))
    return found
