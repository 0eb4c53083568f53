"""The report: one row per (ALT allele, panel gene, sample carrying it), as TSV with a '## ' preamble or as JSON."""

from __future__ import annotations

import json
import math
from typing import TextIO

from hftc_annot.assembly import canonical_contig
from hftc_annot.consequence import AnnotatedHit, Effect
from hftc_annot.inheritance import Findings, Flag
from hftc_annot.knowledge import Knowledge
from hftc_annot.knowledge.tiers import Facts, tier
from hftc_annot.panel import contig_rank
from hftc_annot.reader.genotypes import carriers

COLUMNS = (
    "chrom", "pos", "id", "ref", "alt", "gene", "hgnc_id", "panel_group", "transcript", "ensembl_transcript",
    "transcript_rule", "consequence", "impact", "hgvs_c", "hgvs_p", "exon", "intron", "protein_position", "codons",
    "amino_acids", "clinvar_id", "clinvar_significance", "clinvar_stars", "clinvar_nearby",
    "known_hftc_variant", "known_hftc_reference", "population_af",
    "sample", "genotype", "zygosity", "gq", "dp", "ad", "allele_fraction", "filter",
    "inheritance_flags", "confidence", "phase_evidence", "comphet_pair_id", "evidence", "segregation",
    "evidence_tier", "tier_reasons",
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


class TsvWriter:
    """Collects report rows per annotated hit; `dump` writes them sorted (sample, tier, gene, position)."""

    def __init__(self, preamble: list[str], samples: tuple[str, ...], rare_limit: float) -> None:
        self._samples = samples
        self._preamble = preamble
        self._rare = rare_limit
        self._rows: list[tuple[tuple, list[str]]] = []

    def write(self, annotated: AnnotatedHit, order: int, findings: Findings,
              known: dict[tuple[int, str], Knowledge]) -> int:
        """Add the rows of one record (`order` is its place among the panel records); returns how many."""
        hit = annotated.hit
        record = hit.record
        rows = 0
        genes = [(g.symbol, g.group == "core HFTC", [g.symbol, g.hgnc_id, g.group, g.refseq, g.ensembl_transcript])
                 for g in hit.genes]
        if not genes:
            genes = [("", False, [hit.label, MISSING, MISSING, MISSING, MISSING])]
        contig = contig_rank(canonical_contig(record.chrom))
        for allele in hit.alleles:
            site = [record.chrom, str(record.pos), safe(record.id), record.ref, record.alts[allele - 1]]
            if record.genotypes is None:
                sample_cells = [(-1, [MISSING] * 7)]
            else:
                sample_cells = [
                    (c.sample, [safe(self._samples[c.sample]), c.genotype, c.zygosity, _number(c.gq), _number(c.dp),
                                f"{_number(c.ref_depth)},{_number(c.alt_depth)}",
                                MISSING if math.isnan(c.allele_fraction) else f"{c.allele_fraction:.3f}"])
                    for c in carriers(record, allele)
                ]
            for symbol, core, gene in genes:
                effect = annotated.effects.get((allele, symbol))
                facts = known.get((allele, symbol), Knowledge())
                af = facts.population_af or MISSING
                cells_effect = effect_cells(effect) + [
                    cell or MISSING for cell in (facts.clinvar_id, facts.clinvar_significance, facts.clinvar_stars,
                                                 facts.clinvar_nearby, facts.known_hftc_variant,
                                                 facts.known_hftc_reference)] + [af]
                terms = effect.consequence.terms if effect and effect.consequence else ()
                for sample, cells in sample_cells:
                    key = (order, allele, symbol, sample)
                    flags = findings.flags.get(key, [])
                    inherited = flag_cells(flags, findings.segregation.get(key, ""))
                    rank, reason = tier(Facts(terms, facts.clinvar_significance, facts.clinvar_stars, core,
                                              _float(af), bool(flags)), self._rare)
                    row = [*site, *gene, *cells_effect, *cells, safe(record.filter_text), *inherited, rank,
                           reason or MISSING]
                    order_key = (sample if sample >= 0 else len(self._samples), rank if rank != "." else "9",
                                 symbol, contig, record.pos, allele)
                    self._rows.append((order_key, row))
                    rows += 1
        return rows

    def rows(self) -> list[list[str]]:
        """All rows, sorted by sample (VCF order), tier, gene, position."""
        return [row for _, row in sorted(self._rows, key=lambda item: item[0])]

    def dicts(self) -> list[dict[str, str]]:
        return [dict(zip(COLUMNS, row, strict=True)) for row in self.rows()]

    def dump(self, handle: TextIO, as_json: bool) -> None:
        """Write the report as TSV (preamble, header, rows) or as JSON (metadata, columns, rows)."""
        if as_json:
            document = {"metadata": self._preamble, "columns": list(COLUMNS), "rows": self.dicts()}
            json.dump(document, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
            return
        handle.writelines(f"## {line}\n" for line in self._preamble)
        handle.write("\t".join(COLUMNS) + "\n")
        handle.writelines("\t".join(row) + "\n" for row in self.rows())


def safe(cell: str) -> str:
    """A cell from the input that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
    leading apostrophe, which spreadsheets hide and which marks the text as text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
