"""Inheritance stage: per sample and gene, flags for genotypes that fit the gene's mode of inheritance.

Rules (each flag is given to affected or unknown-status samples only; unaffected relatives are evidence):
- AR_hom: homozygous ALT in an AR gene. High when both parents are heterozygous carriers, medium when a
  parent is not genotyped or for a singleton; low when a parent is homozygous reference, an unaffected parent
  or sibling is homozygous too, or the genotype fails the quality gates.
- AR_comphet: two heterozygous qualifying alleles in one AR gene. Phase evidence, in this order: one
  multi-allelic 1/2 genotype (trans), read-backed or statistical phasing (same phase set; cis is not flagged),
  the parents (one from each: parental_trans; both from one: parental_cis, not flagged), otherwise unphased
  (a candidate of lower confidence). An unaffected sibling who carries both demotes the pair to low.
- de_novo: ALT in a child whose two genotyped parents are homozygous reference with passing quality.
- XL: on chrX outside the pseudo-autosomal regions, a hemizygous ALT in a male (XLD or XLR gene); for XLD genes
  a heterozygous female; for XLR genes a homozygous female.
- AD: ALT in an AD gene; high when inherited from an affected parent or de novo, low when an unaffected parent
  or sibling carries it, medium without parental genotypes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from hftc_annot.assembly import canonical_contig
from hftc_annot.consequence import AnnotatedHit
from hftc_annot.consequence.terms import IMPACTS
from hftc_annot.inheritance.calls import Gates, Occurrence, Pending, occurrences
from hftc_annot.inheritance.flags import MODES, Flag, worse
from hftc_annot.inheritance.pedigree import AFFECTED, FEMALE, MALE, UNAFFECTED, Individual, Pedigree
from hftc_annot.inheritance.summary import SummaryLine, summary_lines
from hftc_annot.panel import Gene
from hftc_annot.reader.genotypes import CARRIER_CODES, Zygosity

MAX_PAIRING = 20
"""With more heterozygous qualifying alleles in one gene than this (e.g. intronic variants of a genome),
compound-het pairs are not listed for that sample and gene; a warning says so (use --min-impact / --max-af)."""
BATCH = 256
"""Pending alleles are turned into compact per-sample arrays in batches of this many, so that a cohort's
records (with all their FORMAT values) are not all held until the end."""
PAR = {"GRCh38": ((10_001, 2_781_479), (155_701_383, 156_030_895)),
       "GRCh37": ((60_001, 2_699_520), (154_931_044, 155_260_560))}
STATE_WORDS = {Zygosity.MISSING: "missing", Zygosity.REF: "ref", Zygosity.HET: "het", Zygosity.HOM_ALT: "hom",
               Zygosity.HEMI: "hemi", Zygosity.PARTIAL: "missing"}
ONE_COPY_DIPLOID = (Zygosity.HET, Zygosity.PARTIAL)


@dataclass(frozen=True)
class Settings:
    gates: Gates = field(default_factory=Gates)
    max_af: float | None = None
    min_impact: str | None = None
    modes: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Findings:
    """Flags per (record index, ALT number, gene, sample index); family genotypes per the same keys."""

    flags: dict[tuple[int, int, str, int], list[Flag]] = field(default_factory=lambda: defaultdict(list))
    segregation: dict[tuple[int, int, str, int], str] = field(default_factory=dict)
    summary: list[SummaryLine] = field(default_factory=list)


@dataclass(frozen=True)
class Relatives:
    """A sample's PED entry and its genotyped relatives as sample indices; `family` labels the genotyped
    members of its family (empty unless there are at least two)."""

    person: Individual
    father: int | None
    mother: int | None
    siblings: list[int]
    family: list[tuple[str, int]]


def _carried_by_sample(occs: list[Occurrence]) -> Iterator[tuple[int, list[int]]]:
    """(sample, indices of the occurrences it carries) for every carrier, samples ascending."""
    occ_index, sample_index = np.nonzero(np.isin(np.stack([o.zygosity for o in occs]), CARRIER_CODES))
    by_sample = np.argsort(sample_index, kind="stable")
    samples, occ_index = sample_index[by_sample], occ_index[by_sample]
    starts = np.flatnonzero(np.diff(samples)) + 1
    for s, carried in zip(np.split(samples, starts), np.split(occ_index, starts), strict=True):
        if s.size:
            yield int(s[0]), carried.tolist()


def gene_modes(gene: Gene, overrides: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The gene's modes from the panel facts ('AD/AR' counts as both), unless --inheritance overrides them."""
    if gene.symbol in overrides:
        return overrides[gene.symbol]
    tokens = {t for part in gene.inheritance for t in part.replace("/", ";").split(";")}
    return tuple(m for m in MODES if m in tokens)


class InheritanceStage:
    """Keeps compact genotype facts of the qualifying alleles, then evaluates every sample and gene at the end."""

    def __init__(self, pedigree: Pedigree, samples: tuple[str, ...], build: str, settings: Settings,
                 note_problem: Callable[[str, str], None]) -> None:
        self._ped = pedigree
        self._samples = samples
        self._index = {s: i for i, s in enumerate(samples)}
        self._build = build
        self._settings = settings
        self._note = note_problem
        self._pending: list[Pending] = []
        self._occurrences: dict[str, list[Occurrence]] = defaultdict(list)
        self._genes: dict[str, Gene] = {}
        self._interned: dict[Flag, Flag] = {}  # a cohort repeats the same few flags many times
        self._known: dict[int, Relatives] = {}

    def add(self, annotated: AnnotatedHit, frequencies: list[float | None]) -> None:
        """Remember the qualifying alleles of one record (with each ALT's population frequency, when known)."""
        hit = annotated.hit
        record = hit.record
        if record.genotypes is None or not hit.genes:
            return
        filter_ok = not record.filters or record.filters == ("PASS",)
        for allele in hit.alleles:
            af = frequencies[allele - 1] if len(frequencies) >= allele else None
            if self._settings.max_af is not None and af is not None and af > self._settings.max_af:
                continue
            for gene in hit.genes:
                effect = annotated.effects.get((allele, gene.symbol))
                consequence = effect.consequence if effect else None
                if self._settings.min_impact and (consequence is None or IMPACTS.index(consequence.impact)
                                                  > IMPACTS.index(self._settings.min_impact)):
                    continue
                label = (consequence.hgvs_c.split(":", 1)[-1] if consequence and consequence.hgvs_c
                         else f"{record.chrom}:{record.pos} {record.ref}>{record.alts[allele - 1]}")
                self._pending.append(Pending(record.index, allele, gene.symbol, label, record, filter_ok))
                self._genes[gene.symbol] = gene
        if len(self._pending) >= BATCH:
            self._convert()

    def _convert(self) -> None:
        for occurrence in occurrences(self._pending, self._settings.gates):
            self._occurrences[occurrence.gene].append(occurrence)
        self._pending = []

    def finish(self) -> Findings:
        self._convert()
        findings = Findings()
        for symbol in sorted(self._occurrences, key=lambda s: min(o.index for o in self._occurrences[s])):
            gene = self._genes[symbol]
            occs = sorted(self._occurrences.pop(symbol), key=lambda o: o.key)  # freed gene by gene
            modes = gene_modes(gene, self._settings.modes)
            haploid = np.stack([o.haploid for o in occs]).any(axis=0)
            pair_counter = [0]  # pair ids count within a gene: a gene shard gives the ids of a whole-panel run
            for s, carried in _carried_by_sample(occs):
                mine = [occs[i] for i in carried]
                relatives = self._relatives(s)
                if relatives.family:
                    for o in mine:
                        findings.segregation[(o.index, o.allele, symbol, s)] = self._family_text(o, relatives)
                if relatives.person.status == UNAFFECTED:
                    continue
                flags = self._evaluate(gene, modes, mine, s, bool(haploid[s]), pair_counter)
                for occ, flag in flags:
                    findings.flags[(occ.index, occ.allele, symbol, s)].append(self._interned.setdefault(flag, flag))
                findings.summary += summary_lines(self._samples[s], gene, modes, flags)
        return findings

    # --- relatives -------------------------------------------------------------------------------------

    def _genotyped(self, sample: str | None) -> int | None:
        return self._index.get(sample) if sample else None

    def _relatives(self, s: int) -> Relatives:
        """Sample s's pedigree facts as sample indices, worked out once per sample."""
        if s not in self._known:
            name = self._samples[s]
            person = self._ped.get(name)
            siblings = [self._index[x.id] for x in self._ped.siblings(name)
                        if x.id in self._index and x.status == UNAFFECTED]
            status = {AFFECTED: "affected", UNAFFECTED: "unaffected"}
            family = [(f"{p.id} ({status.get(p.status, 'unknown')})", self._index[p.id])
                      for p in self._ped.family_of(name) if p.id in self._index]
            self._known[s] = Relatives(person, self._genotyped(person.father), self._genotyped(person.mother),
                                       siblings, family if len(family) >= 2 else [])
        return self._known[s]

    def _state(self, o: Occurrence, index: int | None) -> str:
        """'missing', 'ref', 'het', 'hom' or 'hemi' of a relative at an occurrence."""
        return "missing" if index is None else STATE_WORDS[Zygosity(o.zygosity[index])]

    def _family_text(self, o: Occurrence, relatives: Relatives) -> str:
        return "; ".join(f"{label}: {self._state(o, index)}" for label, index in relatives.family)

    def _is_male(self, person: Individual, haploid: bool) -> bool:
        """Sex from the PED, else from any haploid call in the gene."""
        sex = person.sex
        if sex in (MALE, FEMALE):
            return sex == MALE
        return haploid

    def _non_par_x(self, o: Occurrence) -> bool:
        if canonical_contig(o.chrom) != "X":
            return False
        return not any(a <= o.pos <= b for a, b in PAR.get(self._build, ()))

    # --- rules ---------------------------------------------------------------------------------------------

    def _evaluate(self, gene: Gene, modes: tuple[str, ...], occs: list[Occurrence], s: int, haploid: bool,
                  pair_counter: list[int]) -> list[tuple[Occurrence, Flag]]:
        """Flags of sample s in one gene; `occs` are the alleles it carries there."""
        name = self._samples[s]
        relatives = self._relatives(s)
        person, father, mother, siblings = relatives.person, relatives.father, relatives.mother, relatives.siblings
        male = self._is_male(person, haploid)
        out: list[tuple[Occurrence, Flag]] = []
        hets = []
        for o in occs:
            x_linked = self._non_par_x(o)
            if x_linked and male and o.zygosity[s] in ONE_COPY_DIPLOID:
                self._note("male heterozygous on chrX outside the pseudo-autosomal regions (sex or call error?)",
                           f"{name} at {o.chrom}:{o.pos}")
            if father is not None and mother is not None:
                denovo = self._de_novo(o, s, father, mother)
                if denovo:
                    out.append((o, denovo))
            if x_linked and ({"XLD", "XLR"} & set(modes)):
                flag = self._x_linked(o, s, male, modes, mother)
                if flag:
                    out.append((o, flag))
                continue
            if "AR" in modes and o.zygosity[s] == Zygosity.HOM_ALT:
                out.append((o, self._ar_hom(o, s, father, mother, siblings)))
            elif "AR" in modes and o.zygosity[s] in ONE_COPY_DIPLOID:
                hets.append(o)
            if "AD" in modes:
                out.append((o, self._ad(o, s, person, father, mother, siblings)))
        if "AR" in modes and len(hets) > MAX_PAIRING:
            self._note(f"more than {MAX_PAIRING} heterozygous alleles in one gene: compound-het pairs not listed "
                       "(narrow with --min-impact or --max-af)", f"{name} in {gene.symbol}")
        elif "AR" in modes:
            for i, a in enumerate(hets):
                for b in hets[i + 1:]:
                    pair = self._comphet(gene, a, b, s, father, mother, siblings, pair_counter)
                    if pair:
                        out += [(a, pair), (b, pair)]
        return out

    def _de_novo(self, o: Occurrence, s: int, father: int, mother: int) -> Flag | None:
        states = (self._state(o, father), self._state(o, mother))
        if states != ("ref", "ref"):
            return None
        solid = bool(o.good[father] and o.good[mother])
        confidence = "high" if solid and o.good[s] else "medium" if solid else "low"
        detail = "both parents homozygous reference" + ("" if solid else " (a parent's genotype is low quality)")
        return Flag("de_novo", confidence, f"not found in either parent: {detail}")

    def _ar_hom(self, o: Occurrence, s: int, father: int | None, mother: int | None, siblings: list[int]) -> Flag:
        confidence = "high" if o.good[s] else "low"
        notes = []
        states = {"father": self._state(o, father), "mother": self._state(o, mother)}
        known = {k: v for k, v in states.items() if v != "missing"}
        if not known:
            confidence, notes = worse(confidence, "medium"), ["no parental genotypes"]
        elif len(known) == 2 and set(known.values()) == {"het"}:
            notes = ["both parents heterozygous carriers"]
        else:
            for parent, state in states.items():
                index = father if parent == "father" else mother
                if state == "missing":
                    confidence = worse(confidence, "medium")
                    notes.append(f"{parent}'s genotype not available")
                elif state == "het":
                    notes.append(f"{parent} heterozygous carrier")
                elif state == "ref":
                    confidence = worse(confidence, "low")
                    notes.append(f"{parent} homozygous reference (deletion of the other allele or uniparental "
                                 "disomy?)")
                elif self._ped.get(self._samples[index]).status == UNAFFECTED:
                    confidence = worse(confidence, "low")
                    notes.append(f"unaffected {parent} is homozygous too")
                else:
                    notes.append(f"affected {parent} is homozygous too (pseudo-dominance)")
        for sib in siblings:
            if o.zygosity[sib] == Zygosity.HOM_ALT:
                confidence = worse(confidence, "low")
                notes.append(f"unaffected sibling {self._samples[sib]} is homozygous too")
        if not o.good[s]:
            notes.append("genotype below the quality gates")
        return Flag("AR_hom", confidence, "homozygous; " + "; ".join(notes))

    def _carries(self, o: Occurrence, index: int | None) -> bool | None:
        state = self._state(o, index)
        return None if state == "missing" else state != "ref"

    def _comphet(self, gene: Gene, a: Occurrence, b: Occurrence, s: int, father: int | None, mother: int | None,
                 siblings: list[int], pair_counter: list[int]) -> Flag | None:
        pair_text = f"two heterozygous variants in {gene.symbol} ({a.label}, {b.label})"
        phase, confidence, reason = self._phase(a, b, s, father, mother)
        if phase in ("phased_cis", "parental_cis"):
            return None
        if not (a.good[s] and b.good[s]):
            confidence, reason = "low", reason + "; a genotype is below the quality gates"
        for sib in siblings:
            if a.zygosity[sib] in CARRIER_CODES and b.zygosity[sib] in CARRIER_CODES:
                confidence = "low"
                reason += f"; unaffected sibling {self._samples[sib]} carries both"
        pair_counter[0] += 1
        return Flag("AR_comphet", confidence, f"{pair_text}, {reason}", phase, f"CH{pair_counter[0]}")

    def _phase(self, a: Occurrence, b: Occurrence, s: int, father: int | None,
               mother: int | None) -> tuple[str, str, str]:
        if a.index == b.index and a.multiallelic_partner[s]:
            return "multiallelic_trans", "high", "in trans: one multi-allelic genotype carries both"
        if a.phased[s] and b.phased[s] and a.slot[s] >= 0 and b.slot[s] >= 0:
            same_block = (a.phase_set is None and b.phase_set is None) or (
                a.phase_set is not None and b.phase_set is not None and a.phase_set[s] == b.phase_set[s])
            if same_block:
                if a.slot[s] != b.slot[s]:
                    return "phased_trans", "high", "in trans on the phased haplotypes"
                return "phased_cis", "", "in cis on the phased haplotypes"
        return self._parental_phase(a, b, father, mother)

    def _parental_phase(self, a: Occurrence, b: Occurrence, father: int | None,
                        mother: int | None) -> tuple[str, str, str]:
        """Phase from the parents, using whatever genotypes they have (a parent may be missing at one site)."""
        known = {(v, p): self._carries(o, i) for v, o in (("a", a), ("b", b))
                 for p, i in (("father", father), ("mother", mother))}
        if all(c is None for c in known.values()):
            return "unphased", "low", "phase unknown (no parental genotypes)"
        complete = None not in known.values()

        def origin(v: str) -> str | None:
            f, m = known[(v, "father")], known[(v, "mother")]
            if f and m:
                return "both"
            if f:
                return "father"
            if m:
                return "mother"
            return None

        first, second = origin("a"), origin("b")
        parents = {"father", "mother"}
        if first in parents and second in parents and first != second:
            if complete:
                return "parental_trans", "high", "in trans: one from each parent"
            return "parental_trans", "medium", "in trans: one seen in each parent (a parental genotype is missing)"
        if "both" in (first, second):
            return "unphased", "low", "phase unknown: a variant is carried by both parents"
        if first in parents and first == second:
            other = (parents - {first}).pop()
            if known[("a", other)] is False and known[("b", other)] is False:
                return "parental_cis", "", "in cis: both from one parent"
            return "unphased", "low", (f"phase unknown: the {first} carries both (trans only if the {first} is a "
                                       f"compound heterozygote too); the {other} is not genotyped")
        seen = first or second
        if seen in parents:
            unseen = "b" if first == seen else "a"
            if known[(unseen, seen)] is False:
                if known[(unseen, (parents - {seen}).pop())] is False:
                    return "unphased", "medium", "phase unknown: one variant is in neither parent (de novo?)"
                return "parental_trans", "medium", (f"in trans by inference: the {seen} carries only one (the "
                                                    "other parent is not genotyped)")
            return "unphased", "low", f"phase unknown: the {seen}'s genotype at the other variant is missing"
        if complete:
            return "unphased", "medium", "phase unknown: neither variant is in the parents (de novo?)"
        return "unphased", "low", "phase unknown: the parental genotypes are incomplete"

    def _x_linked(self, o: Occurrence, s: int, male: bool, modes: tuple[str, ...], mother: int | None) -> Flag | None:
        quality = "high" if o.good[s] else "low"
        mother_state = self._state(o, mother)
        origin = {"het": "; mother heterozygous carrier", "ref": "; mother homozygous reference (de novo?)",
                  "missing": ""}.get(mother_state, f"; mother {mother_state}")
        if male:
            return Flag("XL", quality, "hemizygous in a male (X-linked)" + origin)
        if "XLD" in modes and o.zygosity[s] in (Zygosity.HET, Zygosity.HEMI, Zygosity.PARTIAL):
            return Flag("XL", worse(quality, "medium"), "heterozygous female in an X-linked dominant gene" + origin)
        if "XLR" in modes and o.zygosity[s] == Zygosity.HOM_ALT:
            return Flag("XL", quality, "homozygous female in an X-linked recessive gene" + origin)
        return None

    def _ad(self, o: Occurrence, s: int, person, father: int | None, mother: int | None,
            siblings: list[int]) -> Flag:
        confidence = "high" if o.good[s] else "low"
        notes = []
        carriers = {role: self._carries(o, index) for role, index in (("father", father), ("mother", mother))}
        for role, carries in carriers.items():
            if carries:
                parent = self._ped.get(person.father if role == "father" else person.mother)
                if parent.status == AFFECTED:
                    notes.append(f"inherited from the affected {role}")
                else:
                    confidence = worse(confidence, "low")
                    kind = "unaffected" if parent.status == UNAFFECTED else "unknown-status"
                    notes.append(f"also carried by the {kind} {role} (reduced penetrance?)")
        if carriers["father"] is False and carriers["mother"] is False:
            notes.append("absent from both parents (de novo)")
        elif all(c is None for c in carriers.values()):
            confidence = worse(confidence, "medium")
            notes.append("no parental genotypes")
        elif None in carriers.values() and True not in carriers.values():
            confidence = worse(confidence, "medium")
            known = next(role for role, c in carriers.items() if c is False)
            notes.append(f"absent from the {known}; the other parent is not genotyped")
        for sib in siblings:
            if o.zygosity[sib] in CARRIER_CODES:
                confidence = worse(confidence, "low")
                notes.append(f"unaffected sibling {self._samples[sib]} carries it too")
        zygosity = "homozygous" if o.zygosity[s] == Zygosity.HOM_ALT else "heterozygous"
        return Flag("AD", confidence, f"{zygosity} in an autosomal dominant gene" + (
            "; " + "; ".join(notes) if notes else ""))
