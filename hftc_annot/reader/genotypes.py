"""Per-sample calls for one ALT allele: genotype text, zygosity, depths and allele fraction."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

import numpy as np

from hftc_annot.reader.records import ALLELE_ABSENT, ALLELE_MISSING, INT_MISSING, Record, floats


class Zygosity(IntEnum):
    """A sample's call at one ALT allele: the one vocabulary of the report and the inheritance rules.

    The values are the int8 codes that `zygosities` returns.
    """

    MISSING = 0  # no copy of this ALT and an allele not called (./., 0/., haploid .)
    REF = 1  # fully called without this ALT (0/0, haploid 0; also 0/2 or 2/2 at ALT 1)
    HET = 2  # one copy of this ALT; the other allele is REF or another ALT (0/1, 1/2)
    HOM_ALT = 3  # all of the sample's alleles are this ALT (1/1)
    HEMI = 4  # haploid call of this ALT (1, e.g. chrX in a male)
    PARTIAL = 5  # this ALT plus a missing allele (1/., ./1): a carrier whose other allele is unknown

    @functools.cached_property  # read for every relative at every allele
    def carries(self) -> bool | None:
        """Whether the call holds this ALT; None when it cannot tell (MISSING)."""
        return None if self is Zygosity.MISSING else self is not Zygosity.REF


ZYGOSITY_BY_CODE = tuple(Zygosity)
"""The members indexed by their code (0, 1, ... in order): quicker than Zygosity(code) over a cohort's carriers."""
CARRIER_CODES = (Zygosity.HET, Zygosity.HOM_ALT, Zygosity.HEMI, Zygosity.PARTIAL)
FEW_SAMPLES = 64
"""Up to this many samples, a record's per-sample values are cheaper to handle as Python lists than with numpy."""
REPORT_WORDS = {Zygosity.HOM_ALT: "hom_alt", Zygosity.HET: "het", Zygosity.HEMI: "hemi", Zygosity.PARTIAL: "partial"}
"""The report's zygosity column (it lists carriers only)."""


class Call(NamedTuple):
    """One sample carrying one ALT allele. Depths are NaN when the VCF does not give them. A named tuple: a cohort's
    report makes one per carrier row, and a tuple is made several times quicker than a frozen dataclass."""

    sample: int
    genotype: str
    zygosity: str
    gq: float
    dp: float
    ref_depth: float
    alt_depth: float
    allele_fraction: float


def zygosities(genotypes: np.ndarray, allele: int | np.ndarray) -> np.ndarray:
    """Zygosity codes (int8) of ALT `allele` for genotype arrays shaped (..., ploidy) as the reader gives them;
    `allele` is one ALT number or an array of them shaped like genotypes[..., 0] (or broadcasting to it)."""
    allele = np.asarray(allele)
    slots = [genotypes[..., k] for k in range(genotypes.shape[-1])]  # numpy reduces a short last axis slowly
    copies = sum((slot == allele).astype(np.int8) for slot in slots)
    ploidy = sum((slot != ALLELE_ABSENT).astype(np.int8) for slot in slots)
    uncalled = (ploidy == 0) | np.logical_or.reduce([(slot < 0) & (slot != ALLELE_ABSENT) for slot in slots])
    cases = [(copies == 0) & uncalled, copies == 0, ploidy == 1, copies == ploidy, uncalled]
    codes = [Zygosity.MISSING, Zygosity.REF, Zygosity.HEMI, Zygosity.HOM_ALT, Zygosity.PARTIAL]
    return np.select(cases, np.array(codes, dtype=np.int8), np.int8(Zygosity.HET))


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


def highest_allele(genotypes: np.ndarray) -> int:
    """The highest allele number in a record's genotypes (a few samples: quicker in Python than with numpy)."""
    return max(genotypes.ravel().tolist()) if genotypes.size <= 2 * FEW_SAMPLES else int(genotypes.max())


_NO_CARRIERS = Carriers(np.zeros(0, dtype=np.int64), (), (), np.zeros((0, 5)))


def carriers(record: Record, allele: int) -> Carriers:
    """Calls of every sample with at least one copy of ALT number `allele` (1-based)."""
    gts = record.genotypes
    if gts is None:
        return _NO_CARRIERS
    if len(gts) <= FEW_SAMPLES:
        every = gts.tolist()
        rows = [i for i, alleles in enumerate(every) if allele in alleles]
        calls = [every[row] for row in rows]
    else:
        rows = np.flatnonzero(np.logical_or.reduce([gts[:, k] == allele for k in range(gts.shape[1])])).tolist()
        calls = gts[rows].tolist()
    if not rows:
        return _NO_CARRIERS
    gq, dp = _first_values(record.gq, rows), _first_values(record.dp, rows)
    depths = [floats(d) for d in _take(record.ad, rows)] if record.ad is not None else [[]] * len(rows)
    words = [_words(tuple(alleles), phased, allele) for alleles, phased in zip(calls, _take(record.phased, rows),
                                                                                 strict=True)]
    values = []
    for q, d, ad in zip(gq, dp, depths, strict=True):
        ref_depth = ad[0] if ad else math.nan
        alt_depth = ad[allele] if len(ad) > allele else math.nan
        total = sum([x for x in ad if x == x])  # NaN is not equal to itself
        fraction = alt_depth / total if total > 0 and alt_depth == alt_depth else math.nan
        values.append((q, d, ref_depth, alt_depth, fraction))
    return Carriers(np.array(rows, dtype=np.int64), tuple(w[0] for w in words), tuple(w[1] for w in words),
                    np.array(values, dtype=np.float64))


@functools.cache
def _words(alleles: tuple[int, ...], phased: bool, allele: int) -> tuple[str, str]:
    """Genotype text and report zygosity of one call (cached: a cohort has few distinct calls)."""
    return (genotype_text([a for a in alleles if a != ALLELE_ABSENT], phased),
            REPORT_WORDS[ZYGOSITY_BY_CODE[int(zygosities(np.array([alleles], dtype=np.int32), allele)[0])]])


def _take(values: np.ndarray, rows: list[int]) -> list:
    """values[rows] as Python values; a few samples are cheaper to index in Python than with numpy."""
    if len(values) <= FEW_SAMPLES:
        every = values.tolist()
        return [every[row] for row in rows]
    return values[rows].tolist()


def _first_values(values: np.ndarray | None, rows: list[int]) -> list[float]:
    """The first value of a FORMAT field for each of `rows`, NaN where missing or absent."""
    if values is None:
        return [math.nan] * len(rows)
    return [_first(value) for value in _take(values, rows)]


def _first(value: list | int | float | str | bytes) -> float:
    """The first of one sample's values of a FORMAT field (htslib gives a list per sample), as a float."""
    if type(value) is list:
        value = value[0] if value else math.nan
    if type(value) is int:
        return math.nan if value <= INT_MISSING + 1 else float(value)
    return value if type(value) is float else floats([value])[0]
