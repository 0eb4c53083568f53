"""Per-sample genotype facts for one qualifying ALT allele, as numpy arrays over samples, and quality gates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hftc_annot.reader.records import ALLELE_ABSENT, Record

_INT_MISSING = -2147483648


@dataclass(frozen=True)
class Gates:
    """A genotype below these is kept but marked low-confidence (missing values do not fail a gate)."""

    min_gq: float = 20.0
    min_dp: float = 10.0
    min_het_ab: float = 0.2
    max_het_ab: float = 0.8


@dataclass
class Occurrence:
    """One qualifying ALT allele of one record in one gene; arrays are indexed by sample."""

    order: int
    allele: int
    gene: str
    chrom: str
    pos: int
    ref: str
    alt: str
    label: str
    copies: np.ndarray
    ploidy: np.ndarray
    called: np.ndarray
    phased: np.ndarray
    slot: np.ndarray
    phase_set: np.ndarray | None
    good: np.ndarray
    multiallelic_partner: np.ndarray

    @property
    def key(self) -> tuple[int, int]:
        return self.order, self.allele


def _as_float(values: np.ndarray | None, n: int, column: int = 0) -> np.ndarray:
    """One column of a FORMAT array as floats, NaN where missing; tolerant of fields typed String."""
    if values is None:
        return np.full(n, np.nan)
    values = np.asarray(values)
    if values.ndim == 1:
        values = values.reshape(n, -1)
    if values.shape[1] <= column:
        return np.full(n, np.nan)
    if values.dtype.kind in "OSU":
        return np.array([_number(v) for v in values[:, column]], dtype=np.float64)
    out = values[:, column].astype(np.float64)
    if values.dtype.kind != "f":
        out[values[:, column] <= _INT_MISSING + 1] = np.nan
    return out


def _number(value) -> float:
    try:
        return float(value.decode() if isinstance(value, bytes) else value)
    except ValueError:
        return np.nan


def occurrence(record: Record, order: int, allele: int, gene: str, label: str, gates: Gates) -> Occurrence:
    """Genotype facts of ALT number `allele` for every sample of a record."""
    gts = record.genotypes
    n = len(gts)
    carries = gts == allele
    copies = carries.sum(axis=1, dtype=np.int8)  # small types: a cohort holds many of these arrays
    ploidy = (gts != ALLELE_ABSENT).sum(axis=1, dtype=np.int8)
    called = ((gts >= 0).sum(axis=1) == ploidy) & (ploidy > 0)
    slot = np.where(copies == 1, carries.argmax(axis=1), -1).astype(np.int8)
    other = ((gts > 0) & ~carries).any(axis=1)  # another ALT in the same genotype (1/2): trans by construction
    gq, dp = _as_float(record.gq, n), _as_float(record.dp, n)
    good = ~(gq < gates.min_gq) & ~(dp < gates.min_dp)
    if record.ad is not None and record.ad.shape[1] > allele:
        ad = record.ad.astype(np.float64)
        if record.ad.dtype.kind != "f":
            ad[record.ad <= _INT_MISSING + 1] = np.nan
        total = np.nansum(ad, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            balance = ad[:, allele] / total
        het = (copies == 1) & (ploidy == 2)
        good &= ~(het & ((balance < gates.min_het_ab) | (balance > gates.max_het_ab)))
    phase_set = None
    fmt = record.variant.FORMAT or []
    if "PS" in fmt:
        phase_set = _as_float(record.variant.format("PS"), n)
    return Occurrence(order, allele, gene, record.chrom, record.pos, record.ref, record.alts[allele - 1], label,
                      copies, ploidy, called, record.phased.copy(), slot, phase_set, good, other)
