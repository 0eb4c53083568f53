"""Per-sample genotype facts for one ALT allele, as numpy arrays over samples, and quality gates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hftc_annot.alleles import Allele, StructuralAllele
from hftc_annot.reader.genotypes import zygosities
from hftc_annot.reader.records import ALLELE_ABSENT, INT_MISSING, Record, format_column, format_matrix

MAX_ALT_READS = 127
"""ALT reads behind a call without the ALT are kept as int8, so counted up to this many."""


@dataclass(frozen=True)
class Gates:
    """A genotype below these, or failing its FILTER or FORMAT/FT, is kept but marked low-confidence (missing values
    do not fail a gate)."""

    min_gq: float = 20.0
    min_dp: float = 10.0
    min_het_ab: float = 0.2
    max_het_ab: float = 0.8


@dataclass(frozen=True, slots=True)
class Extent:
    """The reference bases an allele changes, first..last (last = first - 1 for an insertion); deletion: a structural
    loss (<DEL>, a <CNV> of lost copies); removes: it deletes bases and adds none (a small deletion, or a loss);
    surely: of a structural allele, the bases it changes wherever its breakpoints lie in their confidence intervals
    (CIPOS/CIEND): from the last place the first breakpoint may take to the first the second may (first..last when
    precise; empty, first > last, when the intervals meet)."""

    first: int
    last: int
    deletion: bool = False
    removes: bool = False
    surely: tuple[int, int] | None = None

    @classmethod
    def of(cls, change: Allele | StructuralAllele) -> Extent:
        if isinstance(change, StructuralAllele):
            return cls(change.start, change.end, change.kind == "DEL", change.kind == "DEL",
                       (change.start_range[1], change.end_range[0]))
        return cls(change.start, change.end, removes=change.is_deletion)

    def inside(self, other: Extent) -> bool:
        """Are all the bases this allele changes surely deleted by `other` (wherever its imprecise breakpoints lie)?
        (For an insertion: both bases around it.)"""
        first, last = other.surely or (other.first, other.last)
        if self.last < self.first:
            return first <= self.last and self.first <= last
        return first <= self.first and self.last <= last

    def same_event(self, other: Extent) -> bool:
        """Two deletions that overlap by half of each: one event called twice (e.g. by two callers)?"""
        shared = min(self.last, other.last) - max(self.first, other.first) + 1
        return self.removes and other.removes and shared * 2 >= max(self.last - self.first + 1,
                                                                      other.last - other.first + 1)


@dataclass
class Occurrence:
    """One ALT allele of one record (its Record.index) in one gene; arrays are indexed by sample. zygosity holds
    Zygosity codes; haploid marks haploid calls, whatever they hold; alt_reads: the AD reads of this ALT behind a call
    without it (0/0: a mosaic parent?), up to MAX_ALT_READS, 0 where AD does not say. qualifies: the allele may take
    part in flags (qualifying.py); af: its population frequency, when known; extent: the bases it changes; change,
    c_change and spelled: the allele (minimal form), its HGVS c. change ('' when none) and CHROM:POS:REF:ALT, for
    haplotypes; known: a known disease allele (qualifying.known_disease_allele); protein_unknown: its protein effect
    was not computed (no reference sequence, or REF differs from it). unjudged: the call has none of GQ, DP and allele
    depths, so no gate but FILTER and FORMAT/FT could judge it."""

    index: int
    allele: int
    gene: str
    chrom: str
    pos: int
    extent: Extent
    label: str
    zygosity: np.ndarray
    haploid: np.ndarray
    phased: np.ndarray
    slot: np.ndarray
    phase_set: np.ndarray | None
    good: np.ndarray
    multiallelic_partner: np.ndarray
    alt_reads: np.ndarray
    unjudged: np.ndarray
    qualifies: bool = True
    af: float | None = None
    change: object = None
    c_change: str = ""
    spelled: str = ""
    known: bool = False
    protein_unknown: bool = False

    @property
    def key(self) -> tuple[int, int]:
        return self.index, self.allele


@dataclass(frozen=True)
class Pending:
    """An allele waiting for its gene to be evaluated: facts are computed per gene, in one batch."""

    index: int
    allele: int
    gene: str
    label: str
    record: Record
    filter_ok: bool
    extent: Extent
    qualifies: bool = True
    af: float | None = None
    change: object = None
    c_change: str = ""
    spelled: str = ""
    known: bool = False
    protein_unknown: bool = False


def occurrences(pending: list[Pending], gates: Gates) -> list[Occurrence]:
    """Genotype facts of many alleles at once: every array operation runs over (alleles x samples)."""
    if not pending:
        return []
    width = max(p.record.genotypes.shape[1] for p in pending)
    samples = pending[0].record.genotypes.shape[0]
    gts = np.full((len(pending), samples, width), ALLELE_ABSENT, dtype=np.int32)
    for row, p in enumerate(pending):
        gts[row, :, :p.record.genotypes.shape[1]] = p.record.genotypes
    alleles = np.array([p.allele for p in pending])[:, None]
    zygosity = zygosities(gts, alleles)  # int8, as the other arrays kept: a cohort holds many of them
    gt_slots = [gts[:, :, k] for k in range(width)]  # slot by slot: numpy reduces a short last axis slowly
    holds = [gt_slot == alleles for gt_slot in gt_slots]
    copies = sum(held.astype(np.int8) for held in holds)
    ploidy = sum((gt_slot != ALLELE_ABSENT).astype(np.int8) for gt_slot in gt_slots)
    slot = np.full(copies.shape, -1, dtype=np.int8)  # the GT slot holding the ALT, for a call with one copy
    for k, held in enumerate(holds):
        slot[held & (copies == 1)] = k
    # another ALT in the same genotype (1/2): trans by construction
    other = np.logical_or.reduce([(gt_slot > 0) & ~held for gt_slot, held in zip(gt_slots, holds, strict=True)])
    gq = _first_columns([p.record.gq for p in pending], samples)
    dp = _first_columns([p.record.dp for p in pending], samples)
    good = ~(gq < gates.min_gq) & ~(dp < gates.min_dp) & np.array([p.filter_ok for p in pending])[:, None]
    for row, p in enumerate(pending):
        if p.record.sample_filtered is not None:
            good[row] &= ~p.record.sample_filtered
    balance, alt_reads, counted = _read_depths(pending, samples, copies > 0)
    unjudged = np.isnan(gq) & np.isnan(dp) & ~counted
    het = (copies == 1) & (ploidy == 2)
    with np.errstate(invalid="ignore"):
        good &= ~(het & ((balance < gates.min_het_ab) | (balance > gates.max_het_ab)))
    by_gene: dict[str, list[int]] = {}
    for row, p in enumerate(pending):
        by_gene.setdefault(p.gene, []).append(row)
    made: dict[int, Occurrence] = {}
    for rows in by_gene.values():
        # one copy of a gene's rows, so that each gene's arrays can be freed once it has been evaluated
        zygosity_of, haploid_of, slot_of, good_of, other_of, reads_of, unjudged_of = (
            values[rows] for values in (zygosity, ploidy == 1, slot, good, other, alt_reads, unjudged))
        for k, row in enumerate(rows):
            p = pending[row]
            record = p.record
            made[row] = Occurrence(p.index, p.allele, p.gene, record.chrom, record.pos, p.extent, p.label,
                                  zygosity_of[k], haploid_of[k], record.phased, slot_of[k], record.phase_set,
                                  good_of[k], other_of[k], reads_of[k], unjudged_of[k], p.qualifies, p.af, p.change,
                                  p.c_change, p.spelled, p.known, p.protein_unknown)
    return [made[row] for row in range(len(pending))]


def _read_depths(pending: list[Pending], samples: int, carried: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From AD, per allele and sample (alleles x samples): the allele's fraction of the sample's AD total (missing
    values not counted; NaN where AD is absent, missing or lacks the allele, or its total is 0), the allele's reads
    where the call does not carry it (`carried`), as int8 up to MAX_ALT_READS, and whether AD gives the allele's
    reads at all (0 too). The AD htslib gives (int32, samples x values) is read in one step per number of values."""
    balance, alt_reads = np.full((len(pending), samples), np.nan), np.zeros((len(pending), samples), dtype=np.int8)
    counted = np.zeros((len(pending), samples), dtype=bool)
    by_width: dict[int, list[int]] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for row, p in enumerate(pending):
            ad = p.record.ad
            if ad is not None and ad.dtype == np.int32 and ad.ndim == 2 and ad.shape[0] == samples:
                by_width.setdefault(ad.shape[1], []).append(row)
                continue
            depths = format_matrix(ad, samples)
            if depths is not None and depths.shape[1] > p.allele:
                depth = depths[:, p.allele]
                balance[row] = depth / np.where(depths == depths, depths, 0).sum(axis=1)
                alt_reads[row] = np.where(~carried[row] & (depth > 0), np.minimum(depth, MAX_ALT_READS), 0)
                counted[row] = depth == depth
        for width, rows in by_width.items():
            alleles = np.array([pending[row].allele for row in rows])
            fits = alleles < width
            if not fits.any():
                continue
            rows = np.array(rows)[fits]
            depths = np.stack([pending[row].record.ad for row in rows.tolist()])
            depth = np.take_along_axis(depths, alleles[fits][:, None, None], axis=2)[:, :, 0]
            totals = np.where(depths > INT_MISSING + 1, depths, 0).sum(axis=2, dtype=np.float64)
            balance[rows] = np.where(depth > INT_MISSING + 1, depth / totals, np.nan)
            alt_reads[rows] = np.where(~carried[rows] & (depth > 0), np.minimum(depth, MAX_ALT_READS), 0)
            counted[rows] = depth > INT_MISSING + 1
    return balance, alt_reads, counted


def _first_columns(fields: list[np.ndarray | None], samples: int) -> np.ndarray:
    """The first value of a FORMAT field, (records x samples) floats, NaN where missing or absent; the integer
    fields htslib gives (GQ, DP: int32, one column per sample) in one step."""
    out = np.full((len(fields), samples), np.nan)
    plain = [row for row, field in enumerate(fields) if field is not None and field.dtype == np.int32
             and field.shape == (samples, 1)]
    if plain:
        values = np.concatenate([fields[row] for row in plain], axis=1).T
        out[plain] = np.where(values > INT_MISSING + 1, values, np.nan)
    for row in set(range(len(fields))).difference(plain):
        out[row] = format_column(fields[row], samples)
    return out
