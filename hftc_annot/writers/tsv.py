"""TSV report: one row per (ALT allele, panel gene, sample carrying it), with a '## ' preamble."""

from __future__ import annotations

import math
from typing import TextIO

from hftc_annot.panel import PanelHit
from hftc_annot.reader.genotypes import carriers

COLUMNS = (
    "chrom", "pos", "id", "ref", "alt", "gene", "hgnc_id", "panel_group", "transcript", "ensembl_transcript",
    "sample", "genotype", "zygosity", "gq", "dp", "ad", "allele_fraction", "filter",
)
MISSING = "."


def _number(value: float) -> str:
    if math.isnan(value):
        return MISSING
    return str(int(value)) if value == int(value) else f"{value:.2f}"


class TsvWriter:
    """Writes the preamble and header at construction, then rows per PanelHit."""

    def __init__(self, handle: TextIO, preamble: list[str], samples: tuple[str, ...]) -> None:
        self._handle = handle
        self._samples = samples
        handle.writelines(f"## {line}\n" for line in preamble)
        handle.write("\t".join(COLUMNS) + "\n")

    def write(self, hit: PanelHit) -> int:
        """Write the rows of one record; returns how many."""
        record = hit.record
        rows = 0
        genes = [(g.symbol, g.hgnc_id, g.group, g.refseq, g.ensembl_transcript) for g in hit.genes]
        if not genes:
            genes = [(hit.label, MISSING, MISSING, MISSING, MISSING)]
        for allele in hit.alleles:
            site = [record.chrom, str(record.pos), record.id, record.ref, record.alts[allele - 1]]
            if record.genotypes is None:
                sample_cells = [[MISSING] * 7]
            else:
                sample_cells = [
                    [self._samples[c.sample], c.genotype, c.zygosity, _number(c.gq), _number(c.dp),
                     f"{_number(c.ref_depth)},{_number(c.alt_depth)}",
                     MISSING if math.isnan(c.allele_fraction) else f"{c.allele_fraction:.3f}"]
                    for c in carriers(record, allele)
                ]
            for gene in genes:
                for cells in sample_cells:
                    self._handle.write("\t".join([*site, *gene, *cells, record.filter_text]) + "\n")
                    rows += 1
        return rows
