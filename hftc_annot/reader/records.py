"""Records as the later stages see them: fixed fields plus per-sample genotype arrays."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

INT_MISSING = -2147483648  # htslib's bcf_int32_missing; vector_end is one more
_PLAIN_ALLELE = re.compile(r"^[ACGTNacgtn]+$")

ALLELE_MISSING = -1
ALLELE_ABSENT = -2  # the unused second slot of a haploid call


@dataclass(frozen=True)
class Record:
    """One VCF record, as plain values: no htslib object leaves the reader. Per-sample arrays are None in a
    sites-only VCF. `index` numbers the records the reader returns (0, 1, ...): the record key every later stage
    carries. `pos` is 1-based, as in the VCF.

    info: the INFO values the run asked for (absent keys are left out). phase_set: FORMAT/PS as floats over the
    samples (NaN where missing), None when the record has no PS.
    genotypes: (samples, ploidy) allele indices, ALLELE_MISSING for '.', ALLELE_ABSENT past a
    sample's own ploidy. gq, dp: (samples,), ad: (samples, alleles), as htslib gives them: read them
    through `format_value`, which turns htslib's missing-value codes into NaN.
    """

    chrom: str
    pos: int
    id: str
    ref: str
    alts: tuple[str, ...]
    filters: tuple[str, ...]
    genotypes: np.ndarray | None
    phased: np.ndarray | None
    gq: np.ndarray | None
    dp: np.ndarray | None
    ad: np.ndarray | None
    line: int | None
    index: int = 0
    info: dict[str, object] = field(default_factory=dict)
    phase_set: np.ndarray | None = None

    @property
    def end(self) -> int:
        """Last reference base covered by REF."""
        return self.pos + len(self.ref) - 1

    @property
    def where(self) -> str:
        """The record's place in messages: its line in a text VCF, else CHROM:POS."""
        return f"line {self.line}" if self.line else f"{self.chrom}:{self.pos}"

    @property
    def filter_text(self) -> str:
        return ";".join(self.filters) if self.filters else "."

    def without_samples(self) -> Record:
        """This record without its per-sample arrays: what the writers keep per record."""
        return Record(self.chrom, self.pos, self.id, self.ref, self.alts, self.filters, None, None, None, None, None,
                      self.line, self.index)


def skip_reason(ref: str, alt: str) -> str | None:
    """Why an ALT allele cannot be annotated as a sequence change, or None when it can."""
    if alt in (".", ""):
        return "no ALT allele"
    if alt == "*":
        return "spanning deletion (*)"
    if alt in ("<NON_REF>", "<*>"):
        return "reference block (<NON_REF>/<*>)"
    if alt.startswith("<"):
        return "symbolic allele (<...>)"
    if "[" in alt or "]" in alt or alt.startswith(".") or alt.endswith("."):
        return "breakend"
    if not _PLAIN_ALLELE.match(alt) or not _PLAIN_ALLELE.match(ref):
        return "allele with letters other than A, C, G, T, N"
    if alt.upper() == ref.upper():
        return "ALT equals REF"
    return None


def format_matrix(values: np.ndarray | None, n: int) -> np.ndarray | None:
    """A FORMAT field as a (samples, values) float array, NaN where missing; tolerant of fields typed String.
    None when the record does not have the field."""
    if values is None:
        return None
    values = np.asarray(values)
    if values.ndim == 1:
        values = values.reshape(n, -1)
    if values.dtype.kind in "OSU":
        return np.vectorize(_number, otypes=[np.float64])(values) if values.size else values.astype(np.float64)
    out = values.astype(np.float64)
    if values.dtype.kind != "f":
        out[values <= INT_MISSING + 1] = np.nan
    return out


def format_column(values: np.ndarray | None, n: int, column: int = 0) -> np.ndarray:
    """One column of a FORMAT field as floats over the samples, NaN where missing or absent."""
    matrix = format_matrix(values, n)
    if matrix is None or matrix.shape[1] <= column:
        return np.full(n, np.nan)
    return matrix[:, column]


def floats(values: list) -> list[float]:
    """FORMAT values as floats: htslib's missing and vector-end codes and unparsable text become NaN."""
    return [math.nan if (isinstance(v, int) and v <= INT_MISSING + 1) else _number(v) for v in values]


def _number(value) -> float:
    try:
        return float(value.decode() if isinstance(value, bytes) else value)
    except ValueError:
        return math.nan


def record_from_variant(variant, line: int | None, index: int, info_keys: tuple[str, ...]) -> Record:
    """Copy what later stages need out of a cyvcf2 Variant (bound to an open reader)."""
    genotypes = phased = gq = dp = ad = phase_set = None
    fmt = variant.FORMAT
    if fmt and "GT" in fmt:
        array = variant.genotype.array()
        genotypes, phased = array[:, :-1], array[:, -1] == 1
    if fmt:
        gq = variant.format("GQ") if "GQ" in fmt else None
        dp = variant.format("DP") if "DP" in fmt else None
        ad = variant.format("AD") if "AD" in fmt else None
        if "PS" in fmt:
            values = variant.format("PS")
            phase_set = format_column(values, len(values))
    info = {}
    for key in info_keys:
        value = variant.INFO.get(key)
        if value is not None:
            info[key] = value
    return Record(
        chrom=variant.CHROM, pos=variant.POS, id=variant.ID or ".", ref=variant.REF, alts=tuple(variant.ALT),
        filters=tuple(variant.FILTERS), genotypes=genotypes, phased=phased, gq=gq, dp=dp, ad=ad,
        line=line, index=index, info=info, phase_set=phase_set,
    )
