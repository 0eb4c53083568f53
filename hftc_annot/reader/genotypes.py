"""Per-sample calls for one ALT allele: genotype text, zygosity, depths and allele fraction."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from hftc_annot.reader.records import ALLELE_ABSENT, ALLELE_MISSING, Record, floats

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


@dataclass(frozen=True)
class Carriers:
    """The samples carrying one ALT allele, kept as arrays (a cohort has many); iterating gives Calls.

    values holds one row per carrier: gq, dp, ref_depth, alt_depth, allele_fraction.
    """

    samples: np.ndarray
    genotypes: tuple[str, ...]
    zygosities: tuple[str, ...]
    values: np.ndarray

    def __iter__(self) -> Iterator[Call]:
        for sample, genotype, kind, values in zip(self.samples.tolist(), self.genotypes, self.zygosities,
                                                  self.values.tolist(), strict=True):
            yield Call(sample, genotype, kind, *values)


def carriers(record: Record, allele: int) -> Carriers:
    """Calls of every sample with at least one copy of ALT number `allele` (1-based)."""
    gts = record.genotypes
    rows = np.flatnonzero((gts == allele).any(axis=1)) if gts is not None else np.zeros(0, dtype=np.int64)
    if not rows.size:
        return Carriers(rows, (), (), np.zeros((0, 5)))
    gq, dp = _first_values(record.gq, rows), _first_values(record.dp, rows)
    depths = [floats(d) for d in record.ad[rows].tolist()] if record.ad is not None else [[]] * rows.size
    keys = [(*alleles, phased) for alleles, phased in zip(gts[rows].tolist(), record.phased[rows].tolist(),
                                                           strict=True)]
    texts = {}  # genotype text and zygosity per distinct call: a cohort has few
    for key in set(keys):
        present = [a for a in key[:-1] if a != ALLELE_ABSENT]
        texts[key] = genotype_text(present, key[-1]), zygosity(present, allele)
    values = []
    for q, d, ad in zip(gq, dp, depths, strict=True):
        ref_depth = ad[0] if ad else math.nan
        alt_depth = ad[allele] if len(ad) > allele else math.nan
        total = sum(x for x in ad if not math.isnan(x))
        fraction = alt_depth / total if total > 0 and not math.isnan(alt_depth) else math.nan
        values.append((q, d, ref_depth, alt_depth, fraction))
    return Carriers(rows, tuple(texts[k][0] for k in keys), tuple(texts[k][1] for k in keys),
                    np.array(values, dtype=np.float64))


def _first_values(values: np.ndarray | None, rows: np.ndarray) -> list[float]:
    """The first value of a FORMAT field for each of `rows`, NaN where missing or absent."""
    if values is None:
        return [math.nan] * rows.size
    first = []
    for value in values[rows].tolist():
        found = floats(value if isinstance(value, list) else [value])
        first.append(found[0] if found else math.nan)
    return first
