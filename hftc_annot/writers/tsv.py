"""The report: one row per (ALT allele, panel gene, sample carrying it), as TSV with a '## ' preamble or as JSON."""

from __future__ import annotations

import heapq
import json
import marshal
import math
import os
import tempfile
from collections.abc import Iterator
from operator import itemgetter
from typing import TextIO

from hftc_annot.assembly import canonical_contig
from hftc_annot.consequence import AnnotatedHit, Effect
from hftc_annot.inheritance import Findings, Flag
from hftc_annot.knowledge import Knowledge
from hftc_annot.knowledge.tiers import allele_tiers
from hftc_annot.panel import contig_rank
from hftc_annot.reader.genotypes import Call, Carriers

COLUMNS = (
    "chrom", "pos", "id", "ref", "alt", "gene", "hgnc_id", "panel_group", "transcript", "ensembl_transcript",
    "transcript_rule", "consequence", "impact", "hgvs_c", "hgvs_p", "exon", "intron", "protein_position", "codons",
    "amino_acids", "clinvar_id", "clinvar_significance", "clinvar_stars", "clinvar_nearby",
    "known_hftc_variant", "known_hftc_reference", "population_af",
    "sample", "genotype", "zygosity", "gq", "dp", "ad", "allele_fraction", "filter",
    "inheritance_flags", "confidence", "phase_evidence", "comphet_pair_id", "evidence", "segregation",
    "evidence_tier", "tier_reasons", "consequence_note",
)
MISSING = "."


def _number(value: float) -> str:
    if math.isnan(value):
        return MISSING
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def flag_cells(flags: list[Flag], segregation: str) -> list[str]:
    """inheritance_flags … segregation for one row; several flags are listed in the same order in each cell."""
    if not flags:
        return [MISSING] * 5 + [safe(segregation) or MISSING]
    return [";".join(f.name for f in flags), ";".join(f.confidence for f in flags),
            ";".join(f.phase or MISSING for f in flags), ";".join(f.pair or MISSING for f in flags),
            safe(" | ".join(f.evidence for f in flags)), safe(segregation) or MISSING]


def effect_cells(effect: Effect | None) -> list[str]:
    """transcript_rule … amino_acids for one allele and gene ('.' where not known)."""
    if effect is None or effect.consequence is None:
        rule = effect.rule if effect and effect.rule else MISSING
        return [rule] + [MISSING] * 9
    c = effect.consequence
    cells = [effect.rule, "&".join(c.terms), c.impact, c.hgvs_c, c.hgvs_p, c.exon, c.intron, c.protein_position,
             c.codons, c.amino_acids]
    return [cell or MISSING for cell in cells]


SPILL_ROWS = 20_000
"""Rows held in memory before a sorted run of them goes to a temporary file (a cohort can have millions)."""
SPILL_CHUNK = 1_000


class TsvWriter:
    """Collects report rows per annotated hit; `rows` gives them sorted (sample, tier, gene, position).

    Rows are sorted in runs of SPILL_ROWS kept in temporary files and merged at the end, so memory does not
    grow with the number of rows. `close` removes the temporary files.
    """

    def __init__(self, samples: tuple[str, ...], rare_limit: float) -> None:
        self._samples = samples
        self._rare = rare_limit
        self._rows: list[tuple[tuple, str]] = []
        self._runs: list[str] = []

    def write(self, annotated: AnnotatedHit, order: int, findings: Findings,
              known: dict[tuple[int, str], Knowledge], calls: dict[int, Carriers] | None) -> int:
        """Add the rows of one record (`order` is its place among the panel records; `calls` its carriers per
        ALT number, None for a sites-only VCF); returns how many."""
        hit = annotated.hit
        record = hit.record
        rows = 0
        genes = [(g.symbol, g.group == "core HFTC", [g.symbol, g.hgnc_id, g.group, g.refseq, g.ensembl_transcript])
                 for g in hit.genes]
        if not genes:
            genes = [("", False, [hit.label, MISSING, MISSING, MISSING, MISSING])]
        contig = contig_rank(canonical_contig(record.chrom))
        filter_cell = safe(record.filter_text)
        for allele in hit.alleles:
            site = [record.chrom, str(record.pos), safe(record.id), record.ref, record.alts[allele - 1]]
            if calls is None:
                sample_cells = [(-1, MISSING_SAMPLE)]
            else:
                sample_cells = [(c.sample, "\t".join(_sample_cells(c, self._samples))) for c in calls[allele]]
            for symbol, core, gene in genes:
                effect = annotated.effects.get((allele, symbol))
                facts = known.get((allele, symbol), Knowledge())
                af = facts.population_af or MISSING
                prefix = "\t".join(site + gene + effect_cells(effect) + [
                    cell or MISSING for cell in (facts.clinvar_id, facts.clinvar_significance, facts.clinvar_stars,
                                                 facts.clinvar_nearby, facts.known_hftc_variant,
                                                 facts.known_hftc_reference)] + [af])
                terms = effect.consequence.terms if effect and effect.consequence else ()
                note = effect.note if effect and effect.note else MISSING
                tiers = allele_tiers(terms, facts, core, self._rare)
                for sample, cells in sample_cells:
                    key = (order, allele, symbol, sample)
                    flags = findings.flags.get(key, [])
                    segregation = findings.segregation.get(key, "")
                    rank, reason = tiers[bool(flags)]
                    inherited = "\t".join(flag_cells(flags, segregation)) if flags or segregation else NO_FLAGS
                    line = "\t".join([prefix, cells, filter_cell, inherited, rank, reason or MISSING, note])
                    order_key = (sample if sample >= 0 else len(self._samples), rank if rank != "." else "9",
                                 symbol, contig, record.pos, allele)
                    self._rows.append((order_key, line))
                    rows += 1
                    if len(self._rows) >= SPILL_ROWS:
                        self._spill()
        return rows

    def _spill(self) -> None:
        self._rows.sort(key=itemgetter(0))
        handle, path = tempfile.mkstemp(prefix="hftc-annot-rows-", suffix=".marshal")
        self._runs.append(path)
        with os.fdopen(handle, "wb") as out:
            for start in range(0, len(self._rows), SPILL_CHUNK):
                marshal.dump(self._rows[start:start + SPILL_CHUNK], out)
        self._rows = []

    def rows(self) -> Iterator[list[str]]:
        """All rows, sorted by sample (VCF order), tier, gene, position; equal keys keep the record order."""
        self._rows.sort(key=itemgetter(0))
        runs = [_read_run(path) for path in self._runs]
        for _, line in heapq.merge(*runs, self._rows, key=itemgetter(0)):
            yield line.split("\t")

    def dicts(self) -> Iterator[dict[str, str]]:
        for row in self.rows():
            yield dict(zip(COLUMNS, row, strict=True))

    def dump(self, handle: TextIO, preamble: list[str], as_json: bool) -> None:
        """Write the report as TSV (preamble, header, rows) or as JSON (metadata, columns, rows)."""
        if as_json:
            document = {"metadata": preamble, "columns": list(COLUMNS), "rows": list(self.dicts())}
            json.dump(document, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
            return
        handle.writelines(f"## {line}\n" for line in preamble)
        handle.write("\t".join(COLUMNS) + "\n")
        handle.writelines("\t".join(row) + "\n" for row in self.rows())

    def close(self) -> None:
        for path in self._runs:
            if os.path.exists(path):
                os.unlink(path)
        self._runs = []


MISSING_SAMPLE = "\t".join([MISSING] * 7)
NO_FLAGS = "\t".join([MISSING] * 6)


def _sample_cells(call: Call, samples: tuple[str, ...]) -> list[str]:
    """sample … allele_fraction for one carrier."""
    return [safe(samples[call.sample]), call.genotype, call.zygosity, _number(call.gq), _number(call.dp),
            f"{_number(call.ref_depth)},{_number(call.alt_depth)}",
            MISSING if math.isnan(call.allele_fraction) else f"{call.allele_fraction:.3f}"]


def _read_run(path: str) -> Iterator[tuple[tuple, str]]:
    """The rows of one spilled run (marshal: written and read by the same interpreter, no object memo)."""
    with open(path, "rb") as handle:
        while True:
            try:
                chunk = marshal.load(handle)
            except EOFError:
                return
            yield from chunk


def safe(cell: str) -> str:
    """A cell from the input that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
    leading apostrophe, which spreadsheets hide and which marks the text as text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
