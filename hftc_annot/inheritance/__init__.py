"""Inheritance stage (the cohort stage): keeps compact genotype facts of the alleles of every record, then flags
each sample and gene from the alleles that qualify and puts the flags on the findings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter

import numpy as np

from hftc_annot.assembly import canonical_contig, x_pseudoautosomal
from hftc_annot.consequence import Effect
from hftc_annot.consequence.terms import IMPACTS, UNKNOWN
from hftc_annot.inheritance.calls import Extent, Gates, Occurrence, Pending, occurrences
from hftc_annot.inheritance.facts import AlleleFacts, Family, Relative, allele_facts, family_of, segregation_text
from hftc_annot.inheritance.flags import MODES, Flag
from hftc_annot.inheritance.haplotypes import Haplotype, HaplotypeSource, haplotypes
from hftc_annot.inheritance.pedigree import UNAFFECTED, Pedigree
from hftc_annot.inheritance.qualifying import Qualifying, known_disease_allele
from hftc_annot.inheritance.rules import (
    FEMALE_HAPLOID_ON_X,
    MALE_HETEROZYGOUS_ON_X,
    MAX_PAIRING,
    PairIds,
    crowded,
    female_haploid_on_x,
    male_heterozygous_on_x,
    sample_flags,
    single_known,
)
from hftc_annot.inheritance.summary import (
    SUMMARY_COLUMNS,
    Candidate,
    SummaryLine,
    candidates,
    dominant_caveat,
    interpretations,
)
from hftc_annot.model import PanelRecord
from hftc_annot.panel import Gene
from hftc_annot.reader.genotypes import CARRIER_CODES, ZYGOSITY_BY_CODE, Zygosity

__all__ = ["MODES", "SUMMARY_COLUMNS", "Candidate", "Flag", "InheritanceStage", "Qualifying", "Settings",
           "SummaryLine", "gene_modes"]

BATCH = 256
"""Pending alleles are turned into compact per-sample arrays in batches of this many, so that a cohort's
records (with all their FORMAT values) are not all held until the end."""
UNJUDGED_CALL = ("a flagged call without GQ, DP or allele depths: the quality gates could not judge it, so its "
                 "confidence rests on the genotype, FILTER and FORMAT/FT alone")
LEAST = {Zygosity.REF: 0, Zygosity.MISSING: 1, Zygosity.HET: 2, Zygosity.PARTIAL: 2, Zygosity.HEMI: 2,
         Zygosity.HOM_ALT: 3}
"""The order of a relative's calls at the members of a haplotype: the first (least) is their call at it."""


@dataclass(frozen=True)
class Settings:
    """The run's inheritance options: quality gates, which alleles qualify (--qualify, --max-af), --min-impact and
    --inheritance overrides."""

    gates: Gates = field(default_factory=Gates)
    qualifying: Qualifying = field(default_factory=Qualifying)
    min_impact: str | None = None
    modes: dict[str, tuple[str, ...]] = field(default_factory=dict)



def gene_modes(gene: Gene, overrides: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The gene's modes from the panel facts ('AD/AR' counts as both), unless --inheritance overrides them."""
    if gene.symbol in overrides:
        return overrides[gene.symbol]
    tokens = {t for part in gene.inheritance for t in part.replace("/", ";").split(";")}
    return tuple(m for m in MODES if m in tokens)


class InheritanceStage:
    """Keeps compact genotype facts of the alleles, then evaluates every sample and gene at the end."""

    def __init__(self, pedigree: Pedigree, samples: tuple[str, ...], build: str, settings: Settings,
                 note_problem: Callable[[str, str], None], source: HaplotypeSource | None = None) -> None:
        """`source`: the consequence stage, when it computes protein effects: alleles of one haplotype are then
        combined (haplotypes.py)."""
        self._ped = pedigree
        self._source = source
        self._haplotypes: dict[int, dict[tuple[int, str, int], Haplotype]] = defaultdict(dict)
        self._samples = samples
        self._index = {s: i for i, s in enumerate(samples)}
        self._build = build
        self._settings = settings
        self.qualifying = settings.qualifying
        self._note = note_problem
        self._pending: list[Pending] = []
        self._occurrences: dict[str, list[Occurrence]] = defaultdict(list)
        self._genes: dict[str, Gene] = {}
        self._interned: dict[Flag, Flag] = {}  # a cohort repeats the same few flags many times
        self._families: dict[int, Family] = {}
        self._flags: dict[int, dict[tuple[int, str, int], list[Flag]]] = defaultdict(dict)
        """Per record index: the flags per (ALT number, gene, sample index)."""
        self._segregation: dict[int, dict[tuple[int, str, int], str]] = defaultdict(dict)
        self.candidates: list[Candidate] = []
        """Every candidate finding (a flag of a sample in a gene; a pair once), once `finish` has run."""

    @property
    def pedigree(self) -> Pedigree:
        return self._ped

    @property
    def settings(self) -> Settings:
        return self._settings

    def assessed(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(samples given flags and candidates: affected or of unknown status, unaffected samples: evidence for their
        relatives only), each in VCF order."""
        unaffected = tuple(s for s in self._samples if self._ped.get(s).status == UNAFFECTED)
        return tuple(s for s in self._samples if s not in unaffected), unaffected

    def add(self, item: PanelRecord) -> None:
        """Remember the alleles of one panel record on panel genes (those below --min-impact are left out), and
        whether each qualifies for flags."""
        record = item.record
        if record.genotypes is None or not item.genes:
            return
        filter_ok = not record.filters or record.filters == ("PASS",)
        qualifying, min_impact = self._settings.qualifying, self._settings.min_impact
        for finding in item.findings:
            consequence = finding.effect.consequence if finding.effect else None
            if min_impact and not self._meets(consequence, min_impact, record.site):
                continue
            span = f"-{finding.last_base(record)}" if finding.alt.startswith("<") else ""  # two <CNV>s at one POS
            label = (consequence.c_change if consequence and consequence.hgvs_c
                     else f"{record.chrom}:{record.pos}{span} {record.ref}>{finding.alt}")
            self._pending.append(Pending(finding.record, finding.allele, finding.symbol, label, record, filter_ok,
                                         Extent.of(finding.change),
                                         qualifying.qualifies(finding.effect, finding.knowledge), finding.frequency,
                                         finding.change, consequence.c_change if consequence else "",
                                         f"{record.chrom}:{record.pos}:{record.ref}:{finding.alt}",
                                         known_disease_allele(finding.knowledge),
                                         bool(consequence and consequence.protein_unknown)))
            self._genes[finding.symbol] = finding.gene
        if len(self._pending) >= BATCH:
            self._convert()

    def _meets(self, consequence, min_impact: str, where: str) -> bool:
        """Whether an allele passes --min-impact; one of unknown impact (no reference) passes, with a note."""
        if consequence is None:
            return False
        if consequence.impact == UNKNOWN:
            self._note(f"kept by --min-impact {min_impact} although its impact is unknown (no reference sequence)",
                       where)
            return True
        return IMPACTS.index(consequence.impact) <= IMPACTS.index(min_impact)

    def _convert(self) -> None:
        for occurrence in occurrences(self._pending, self._settings.gates):
            self._occurrences[occurrence.gene].append(occurrence)
        self._pending = []

    def finish(self) -> None:
        """Evaluate every gene and sample; `candidates` and `annotate` give the results."""
        self._convert()
        for symbol in sorted(self._occurrences, key=lambda s: min(o.index for o in self._occurrences[s])):
            occs = sorted(self._occurrences.pop(symbol), key=lambda o: o.key)  # freed gene by gene
            self._evaluate_gene(self._genes[symbol], occs)

    def annotate(self, item: PanelRecord) -> None:
        """Put the flags and segregation text of each sample on the findings of one record (after `finish`)."""
        flags, segregation = self._flags.pop(item.key, {}), self._segregation.pop(item.key, {})
        combined = self._haplotypes.pop(item.key, {})
        if not (flags or segregation or combined):
            return
        by_key = {(f.allele, f.symbol): f for f in item.findings}
        for (allele, symbol, sample), haplotype in combined.items():
            by_key[(allele, symbol)].haplotypes[sample] = haplotype
        for (allele, symbol, sample), given in flags.items():
            by_key[(allele, symbol)].flags[sample] = given
        for (allele, symbol, sample), text in segregation.items():
            by_key[(allele, symbol)].segregation[sample] = text

    def _evaluate_gene(self, gene: Gene, occs: list[Occurrence]) -> None:
        """Segregation text of every sample carrying an allele of one gene; flags and candidates of those who
        are affected or of unknown status (unaffected relatives are evidence only)."""
        modes = gene_modes(gene, self._settings.modes)
        haploid = np.stack([o.haploid for o in occs]).any(axis=0)
        x_linked = [self._non_par_x(o) for o in occs]
        on_x = any(x_linked)
        interpretation = interpretations(gene, modes)
        caveat = dominant_caveat(gene)
        limits = self._settings.qualifying.kind_limits(modes)
        spans = [self._source.cds_span(gene.symbol, o.change) for o in occs] if self._source else [None] * len(occs)
        for s, carried in _carried_by_sample(occs):
            family = self._family(s)
            mine = [occs[i] for i in carried]
            if family.members:
                for o in mine:
                    members = [(label, ZYGOSITY_BY_CODE[o.zygosity[m]]) for label, m in family.members]
                    self._segregation[o.index][(o.allele, gene.symbol, s)] = segregation_text(members)
            unaffected = family.person.status == UNAFFECTED
            combinable = self._source is not None and sum(spans[i] is not None for i in carried) > 1
            if not (combinable or (not unaffected and (on_x or any(o.qualifies for o in mine)))):
                continue  # nothing to flag: an unaffected sample's calls are evidence, or no allele can earn a flag
            alleles = [allele_facts(occs[i], s, family, gene.symbol, modes, haploid, x_linked[i], caveat)
                       for i in carried]
            if self._source is not None and len(carried) > 1:
                alleles = self._combine(gene.symbol, s, mine, alleles, [spans[i] for i in carried])
            if unaffected:
                continue
            if on_x or len(alleles) > MAX_PAIRING:
                self._warn(mine, alleles, self._samples[s], gene.symbol)
            flags = sample_flags(alleles, PairIds(), limits)
            followers = defaultdict(list)  # the other members of a haplotype show the flags of the one standing for it
            for a in alleles:
                if a.combined_with is not None:
                    followers[a.combined_with].append(a.key)
            flagged = {allele.key for allele, _ in flags}
            for o in mine:
                if o.key in flagged and o.unjudged[s]:
                    self._note(UNJUDGED_CALL, f"{self._samples[s]} at {o.chrom}:{o.pos}")
            for allele, flag in flags:
                flag = self._interned.setdefault(flag, flag)
                for index, number in (allele.key, *followers.get(allele.key, ())):
                    self._flags[index].setdefault((number, gene.symbol, s), []).append(flag)
            self.candidates += candidates(self._samples[s], gene, interpretation,
                                          flags + single_known(alleles, flags, limits))

    def _combine(self, gene: str, s: int, mine: list[Occurrence], alleles: list[AlleleFacts],
                 spans: list[tuple[int, int, int] | None]) -> list[AlleleFacts]:
        """Keep the haplotypes of sample s in a gene. Of one in cis, the member that stands for it becomes the
        haplotype (`_standing`), the others on it earn no flags of their own, and a homozygous member of a
        heterozygous haplotype is its lone other copy, in trans with it."""
        found = haplotypes(gene, mine, alleles, spans, self._source)
        for o in mine:
            if o.key in found:
                self._haplotypes[o.index][(o.allele, gene, s)] = found[o.key]
        by_key = {a.key: a for a in alleles}
        out = []
        for a in alleles:
            h = found.get(a.key)
            if h is None or not h.certain:
                out.append(a)
            elif not h.whole:
                out.append(_lone_copy(a, h, by_key[h.first]))
            elif h.first != a.key:
                out.append(replace(a, combined_with=h.first))
            else:
                members = [m for m in alleles if (o := found.get(m.key)) and o.first == h.first and o.whole]
                out.append(_standing(a, h, members, self.qualifying.qualifies(Effect(h.consequence), None)))
        return out

    def _warn(self, occs: list[Occurrence], alleles: list[AlleleFacts], sample: str, gene: str) -> None:
        for o, allele in zip(occs, alleles, strict=True):
            if male_heterozygous_on_x(allele):
                self._note(MALE_HETEROZYGOUS_ON_X, f"{sample} at {o.chrom}:{o.pos}")
            elif female_haploid_on_x(allele):
                self._note(FEMALE_HAPLOID_ON_X, f"{sample} at {o.chrom}:{o.pos}")
        if crowded(alleles):
            self._note(f"more than {MAX_PAIRING} heterozygous alleles in one gene: compound-het pairs not listed "
                       "(narrow with --min-impact or --max-af)", f"{sample} in {gene}")

    def _family(self, s: int) -> Family:
        """Sample s's relatives, worked out once per sample."""
        if s not in self._families:
            self._families[s] = family_of(self._ped, self._index, self._samples[s])
        return self._families[s]

    def _non_par_x(self, o: Occurrence) -> bool:
        return canonical_contig(o.chrom) == "X" and not x_pseudoautosomal(self._build, o.pos)


def _carried_by_sample(occs: list[Occurrence]) -> Iterator[tuple[int, list[int]]]:
    """(sample, indices of the occurrences it carries) for every carrier, samples ascending."""
    samples, occ_index = np.nonzero(np.isin(np.stack([o.zygosity for o in occs]), CARRIER_CODES).T)
    for sample, pairs in groupby(zip(samples.tolist(), occ_index.tolist(), strict=True), key=itemgetter(0)):
        yield sample, [index for _, index in pairs]


def _standing(allele: AlleleFacts, haplotype: Haplotype, members: list[AlleleFacts], qualifies: bool) -> AlleleFacts:
    """The member that stands for a haplotype in cis, as the haplotype: labelled with the combined HGVS c.,
    qualifying as the combined change does, not a known disease allele (the combined change is none, whichever
    member is), as rare as its rarest member (unknown when one's frequency is), its call good when all are, and a
    relative carrying it only when carrying every member."""
    frequencies = [m.af for m in members]
    return replace(allele, label=haplotype.consequence.hgvs_c.split(":", 1)[-1], qualifies=qualifies, known=False,
                   af=None if None in frequencies else min(frequencies), good=all(m.good for m in members),
                   father=_least(m.father for m in members), mother=_least(m.mother for m in members),
                   siblings=tuple(_least(s for m in members for s in m.siblings if s.name == sibling.name)
                                  for sibling in allele.siblings),
                   affected_siblings=tuple(_least(s for m in members for s in m.affected_siblings
                                                  if s.name == sibling.name) for sibling in allele.affected_siblings))


def _least(calls: Iterable[Relative]) -> Relative:
    """A relative's call at a haplotype from their calls at its members: without one member, without the
    haplotype; else not known when one is not known; else homozygous only when homozygous for every member. A call
    holding the haplotype is good when every member's is; one without it when a call without a member is (that one
    alone shows it)."""
    calls = list(calls)
    least = min(calls, key=lambda c: LEAST[c.zygosity])
    if least.zygosity is Zygosity.REF:
        return replace(least, good=any(c.good for c in calls if c.zygosity is Zygosity.REF))
    return replace(least, good=all(c.good for c in calls)) if least.zygosity.carries else least


def _lone_copy(allele: AlleleFacts, haplotype: Haplotype, standing: AlleleFacts) -> AlleleFacts:
    """A homozygous member of a heterozygous haplotype, as its copy that is not on it: one copy, on the other
    haplotype of the standing member's phase set when that member is phased."""
    other = 1 - standing.haplotype if standing.phased and standing.haplotype in (0, 1) else -1
    return replace(allele, zygosity=Zygosity.HET, beside_haplotype=haplotype.first, phased=other >= 0,
                   haplotype=other, phase_set=standing.phase_set)
