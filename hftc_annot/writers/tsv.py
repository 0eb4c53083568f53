"""TSV report: one row per (ALT allele, panel gene, sample carrying it), with a '## ' preamble."""

from __future__ import annotations

import math
from typing import TextIO

from hftc_annot.consequence import AnnotatedHit, Effect
from hftc_annot.inheritance import Findings, Flag
from hftc_annot.knowledge import Knowledge
from hftc_annot.reader.genotypes import carriers

COLUMNS = (
    "chrom", "pos", "id", "ref", "alt", "gene", "hgnc_id", "panel_group", "transcript", "ensembl_transcript",
    "transcript_rule", "consequence", "impact", "hgvs_c", "hgvs_p", "exon", "intron", "protein_position", "codons",
    "amino_acids", "clinvar_id", "clinvar_significance", "clinvar_stars", "clinvar_nearby",
    "known_hftc_variant", "known_hftc_reference", "population_af",
    "sample", "genotype", "zygosity", "gq", "dp", "ad", "allele_fraction", "filter",
    "inheritance_flags", "confidence", "phase_evidence", "comphet_pair_id", "evidence", "segregation",
)
MISSING = "."


def _number(value: float) -> str:
    if math.isnan(value):
        return MISSING
    return str(int(value)) if value == int(value) else f"{value:.2f}"


def _frequencies(value) -> list[str]:
    """Per-ALT population frequencies from an INFO value (a number, a tuple, or absent)."""
    if value is None:
        return []
    values = value if isinstance(value, tuple) else (value,)
    return [f"{v:.6g}" if isinstance(v, float) else str(v) for v in values]  # INFO floats are float32


def flag_cells(flags: list[Flag], segregation: str) -> list[str]:
    """inheritance_flags … segregation for one row; several flags are listed in the same order in each cell."""
    if not flags:
        return [MISSING] * 5 + [segregation or MISSING]
    return [";".join(f.name for f in flags), ";".join(f.confidence for f in flags),
            ";".join(f.phase or MISSING for f in flags), ";".join(f.pair or MISSING for f in flags),
            " | ".join(f.evidence for f in flags), segregation or MISSING]


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
    """Writes the preamble and header at construction, then rows per annotated hit."""

    def __init__(self, handle: TextIO, preamble: list[str], samples: tuple[str, ...], af_field: str) -> None:
        self._handle = handle
        self._samples = samples
        self._af_field = af_field
        handle.writelines(f"## {line}\n" for line in preamble)
        handle.write("\t".join(COLUMNS) + "\n")

    def write(self, annotated: AnnotatedHit, order: int, findings: Findings,
              known: dict[tuple[int, str], Knowledge]) -> int:
        """Write the rows of one record (`order` is its place among the panel records); returns how many."""
        hit = annotated.hit
        record = hit.record
        rows = 0
        genes = [(g.symbol, [g.symbol, g.hgnc_id, g.group, g.refseq, g.ensembl_transcript]) for g in hit.genes]
        if not genes:
            genes = [("", [hit.label, MISSING, MISSING, MISSING, MISSING])]
        frequencies = _frequencies(record.variant.INFO.get(self._af_field))
        for allele in hit.alleles:
            site = [record.chrom, str(record.pos), record.id, record.ref, record.alts[allele - 1]]
            af = frequencies[allele - 1] if len(frequencies) >= allele else MISSING
            if record.genotypes is None:
                sample_cells = [(-1, [MISSING] * 7)]
            else:
                sample_cells = [
                    (c.sample, [self._samples[c.sample], c.genotype, c.zygosity, _number(c.gq), _number(c.dp),
                                f"{_number(c.ref_depth)},{_number(c.alt_depth)}",
                                MISSING if math.isnan(c.allele_fraction) else f"{c.allele_fraction:.3f}"])
                    for c in carriers(record, allele)
                ]
            for symbol, gene in genes:
                effect = effect_cells(annotated.effects.get((allele, symbol)))
                facts = known.get((allele, symbol), Knowledge())
                effect += [facts.clinvar_id, facts.clinvar_significance, facts.clinvar_stars, facts.clinvar_nearby,
                           facts.known_hftc_variant, facts.known_hftc_reference]
                effect = [cell or MISSING for cell in effect] + [af]
                for sample, cells in sample_cells:
                    key = (order, allele, symbol, sample)
                    inherited = flag_cells(findings.flags.get(key, []), findings.segregation.get(key, ""))
                    self._handle.write("\t".join([*site, *gene, *effect, *cells, record.filter_text, *inherited])
                                       + "\n")
                    rows += 1
        return rows
