"""The report's rows: one ReportRow per (ALT allele, panel gene, sample carrying it), built from the finished
findings and given back sorted (sample, tier, gene, position) for the TSV, JSON and HTML writers."""

from __future__ import annotations

import heapq
import marshal
import math
import os
import tempfile
from collections.abc import Iterator
from operator import itemgetter
from typing import NamedTuple

from hftc_annot.assembly import canonical_contig
from hftc_annot.consequence import Effect
from hftc_annot.inheritance import Flag
from hftc_annot.inheritance.flags import strength
from hftc_annot.inheritance.haplotypes import Haplotype
from hftc_annot.knowledge import Knowledge
from hftc_annot.knowledge.tiers import row_tier
from hftc_annot.model import AlleleFinding, PanelRecord
from hftc_annot.panel import contig_rank
from hftc_annot.reader.genotypes import Call

MISSING = "."


class ReportRow(NamedTuple):
    """One report row as text, '.' where not known; cells are as the input gave them (no escaping, and never a
    tab: VCF fields cannot hold one)."""

    chrom: str
    pos: str
    id: str
    ref: str
    alt: str
    gene: str
    hgnc_id: str
    panel_group: str
    transcript: str
    ensembl_transcript: str
    transcript_rule: str
    consequence: str
    impact: str
    hgvs_c: str
    hgvs_p: str
    exon: str
    intron: str
    protein_position: str
    codons: str
    amino_acids: str
    clinvar_id: str
    clinvar_significance: str
    clinvar_stars: str
    clinvar_nearby: str
    known_hftc_variant: str
    known_hftc_reference: str
    population_af: str
    sample: str
    genotype: str
    zygosity: str
    gq: str
    dp: str
    ad: str
    allele_fraction: str
    filter: str
    inheritance_flags: str
    confidence: str
    phase_evidence: str
    comphet_pair_id: str
    evidence: str
    segregation: str
    evidence_tier: str
    tier_reasons: str
    consequence_note: str
    end: str
    haplotype_members: str
    haplotype_phase: str
    haplotype_consequence: str
    haplotype_hgvs_c: str
    haplotype_hgvs_p: str


COLUMNS = ReportRow._fields


def _number(value: float) -> str:
    if math.isnan(value):
        return MISSING
    return str(int(value)) if math.isfinite(value) and value == int(value) else f"{value:.2f}"


def _cells(values: tuple[str, ...] | list[str]) -> list[str]:
    return [value or MISSING for value in values]


def gene_cells(finding: AlleleFinding, label: str) -> list[str]:
    """gene … ensembl_transcript: the panel gene, or the --regions name of a record outside the panel genes."""
    g = finding.gene
    return _cells([g.symbol, g.hgnc_id, g.group, *finding.transcript_ids]) if g else [label] + [MISSING] * 4


def effect_cells(effect: Effect | None) -> list[str]:
    """transcript_rule … amino_acids for one allele and gene ('.' where not known)."""
    if effect is None or effect.consequence is None:
        return [effect.rule if effect and effect.rule else MISSING] + [MISSING] * 9
    c = effect.consequence
    return _cells([effect.rule, "&".join(c.terms), c.impact, c.hgvs_c, c.hgvs_p, c.exon, c.intron,
                   c.protein_position, c.codons, c.amino_acids])


def knowledge_cells(known: Knowledge | None) -> list[str]:
    """clinvar_id … population_af."""
    k = known or Knowledge()
    return _cells([k.clinvar_id, k.clinvar_significance, k.clinvar_stars, k.clinvar_nearby, k.known_hftc_variant,
                   k.known_hftc_reference, k.population_af])


def call_cells(call: Call | None, samples: tuple[str, ...]) -> list[str]:
    """sample … allele_fraction for one carrier ('.' in a sites-only VCF)."""
    if call is None:
        return [MISSING] * 7
    fraction = MISSING if math.isnan(call.allele_fraction) else f"{call.allele_fraction:.3f}"
    return [samples[call.sample], call.genotype, call.zygosity, _number(call.gq), _number(call.dp),
            f"{_number(call.ref_depth)},{_number(call.alt_depth)}", fraction]


def flag_cells(flags: list[Flag], segregation: str) -> list[str]:
    """inheritance_flags … segregation: each flag kind once, in the order of the flags, and the same order in each
    cell. A kind with several flags (compound-het pairs) is written `AR_comphet(3 pairs)`, with the confidence,
    phase and evidence of its strongest pair and all its pair ids, strongest first (`CH2,CH1,CH3`)."""
    if not flags:
        return [MISSING] * 5 + [segregation or MISSING]
    kinds: dict[str, list[Flag]] = {}
    for flag in flags:
        kinds.setdefault(flag.name, []).append(flag)
    names, confidences, phases, pairs, evidence = [], [], [], [], []
    for name, group in kinds.items():
        group = sorted(group, key=strength)
        best = group[0]
        names.append(f"{name}({len(group)} pairs)" if len(group) > 1 else name)
        confidences.append(best.confidence)
        phases.append(best.phase or MISSING)
        pairs.append(",".join(f.pair for f in group if f.pair) or MISSING)
        others = f" (and {len(group) - 1} other candidate pair{'s' if len(group) > 2 else ''})" if len(group) > 1 \
            else ""
        evidence.append(best.evidence + others)
    return [";".join(names), ";".join(confidences), ";".join(phases), ";".join(pairs), " | ".join(evidence),
            segregation or MISSING]


def haplotype_cells(haplotype: Haplotype | None) -> list[str]:
    """haplotype_members … haplotype_hgvs_p: the alleles combined with this one on one chromosome ('.' when none)."""
    if haplotype is None:
        return [MISSING] * 5
    c = haplotype.consequence
    return _cells([";".join(haplotype.members), haplotype.phase, "&".join(c.terms), c.hgvs_c, c.hgvs_p])


def report_order(sample: int, tier: str, gene: str, chrom: str, pos: int) -> tuple:
    """A row's place in the report: sample (VCF order), evidence tier ('.' last), gene, contig, position."""
    return sample, tier if tier != MISSING else "9", gene, contig_rank(canonical_contig(chrom)), pos


SPILL_ROWS = 20_000
"""Rows held in memory before a sorted run of them goes to a temporary file (a cohort can have millions)."""
SPILL_CHUNK = 1_000


class ReportRows:
    """Collects the rows of each finished panel record; `rows` gives them sorted (sample, tier, gene, position).

    Rows are sorted in runs of SPILL_ROWS kept in temporary files and merged at the end, so memory does not
    grow with the number of rows. `close` removes the temporary files.
    """

    def __init__(self, samples: tuple[str, ...]) -> None:
        self._samples = samples
        self._rows: list[tuple[tuple, str]] = []
        self._runs: list[str] = []

    def write(self, item: PanelRecord) -> int:
        """Add the rows of one finished record; returns how many."""
        record = item.record
        site = [record.chrom, str(record.pos), record.id, record.ref]
        contig = contig_rank(canonical_contig(record.chrom))
        count = 0
        for finding in item.findings:
            shared = "\t".join(site + [finding.alt] + gene_cells(finding, item.label) + effect_cells(finding.effect)
                                + knowledge_cells(finding.knowledge))  # the cells before the sample's, joined once
            note = finding.effect.note if finding.effect and finding.effect.note else MISSING
            end = str(finding.last_base(record))
            for call in finding.calls if finding.calls is not None else (None,):
                sample = call.sample if call is not None else -1
                flags = finding.flags.get(sample, [])
                rank, reason = row_tier(finding, sample)
                haplotype = haplotype_cells(finding.haplotypes.get(sample))
                row = (shared, *call_cells(call, self._samples), record.filter_text,
                       *flag_cells(flags, finding.segregation.get(sample, "")), rank, reason or MISSING, note, end,
                       *haplotype)
                key = (sample if sample >= 0 else len(self._samples), rank if rank != "." else "9", finding.symbol,
                       contig, record.pos, finding.allele)
                self._rows.append((key, "\t".join(row)))  # one string: cheap to sort, spill and read back
                count += 1
                if len(self._rows) >= SPILL_ROWS:
                    self._spill()
        return count

    def _spill(self) -> None:
        self._rows.sort(key=itemgetter(0))
        handle, path = tempfile.mkstemp(prefix="hftc-annot-rows-", suffix=".marshal")
        self._runs.append(path)
        with os.fdopen(handle, "wb") as out:
            for start in range(0, len(self._rows), SPILL_CHUNK):
                marshal.dump(self._rows[start:start + SPILL_CHUNK], out)
        self._rows = []

    def lines(self) -> Iterator[str]:
        """All rows as tab-joined lines (no newline), sorted by sample (VCF order), tier, gene, position; equal keys
        keep the record order."""
        self._rows.sort(key=itemgetter(0))
        runs = [_read_run(path) for path in self._runs]
        for _, line in heapq.merge(*runs, self._rows, key=itemgetter(0)):
            yield line

    def rows(self) -> Iterator[ReportRow]:
        """All rows, in the order of `lines`."""
        for line in self.lines():
            yield ReportRow._make(line.split("\t"))

    def close(self) -> None:
        for path in self._runs:
            if os.path.exists(path):
                os.unlink(path)
        self._runs = []


def _read_run(path: str) -> Iterator[tuple[tuple, str]]:
    """The rows of one spilled run (marshal: written and read by the same interpreter, no object memo)."""
    with open(path, "rb") as handle:
        while True:
            try:
                chunk = marshal.load(handle)
            except EOFError:
                return
            yield from chunk
