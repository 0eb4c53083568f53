"""Per-sample calls for one ALT allele: genotype text, zygosity, depths and allele fraction."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hftc_annot.reader.records import ALLELE_ABSENT, ALLELE_MISSING, Record, format_values

ZYGOSITIES = {
    "hom_alt": "all of the sample's alleles are this ALT",
    "het": "one copy of this ALT; the other allele is REF or another ALT (e.g. 1/2)",
    "hemi": "haploid call of this ALT (e.g. chrX in a male)",
    "partial": "this ALT plus a missing allele (e.g. 1/.)",
}


@dataclass(frozen=True)
class Call:
    """One sample carrying one ALT allele. Depths are NaN when the VCF does not give them."""

    sample: int
    genotype: str
    zygosity: str
    gq: float
    dp: float
    ref_depth: float
    alt_depth: float
    allele_fraction: float


def zygosity(alleles: list[int], allele: int) -> str:
    """Zygosity of one sample's allele list (ALLELE_ABSENT slots removed) for ALT `allele`."""
    if len(alleles) == 1:
        return "hemi"
    copies = alleles.count(allele)
    if copies == len(alleles):
        return "hom_alt"
    return "partial" if ALLELE_MISSING in alleles else "het"


def genotype_text(alleles: list[int], phased: bool) -> str:
    """VCF GT text for one sample's alleles ('0/1', '1|2', '1', './.')."""
    parts = ["." if a == ALLELE_MISSING else str(a) for a in alleles]
    return ("|" if phased and len(parts) > 1 else "/").join(parts) or "."


def carriers(record: Record, allele: int) -> list[Call]:
    """Calls of every sample with at least one copy of ALT number `allele` (1-based)."""
    gts = record.genotypes
    if gts is None:
        return []
    calls = []
    for s in np.flatnonzero((gts == allele).any(axis=1)).tolist():
        alleles = [a for a in gts[s].tolist() if a != ALLELE_ABSENT]
        depths = format_values(record.ad, s)
        ref_depth = depths[0] if depths else math.nan
        alt_depth = depths[allele] if len(depths) > allele else math.nan
        total = sum(d for d in depths if not math.isnan(d))
        fraction = alt_depth / total if total > 0 and not math.isnan(alt_depth) else math.nan
        calls.append(Call(
            sample=s, genotype=genotype_text(alleles, bool(record.phased[s])), zygosity=zygosity(alleles, allele),
            gq=_first(format_values(record.gq, s)), dp=_first(format_values(record.dp, s)),
            ref_depth=ref_depth, alt_depth=alt_depth, allele_fraction=fraction,
        ))
    return calls


def _first(values: list[float]) -> float:
    return values[0] if values else math.nan
