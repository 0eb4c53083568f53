"""Records as the later stages see them: fixed fields plus per-sample genotype arrays."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

import numpy as np

from hftc_annot.alleles import structural_kind
from hftc_annot.assembly import canonical_contig

INT_MISSING = -2147483648  # htslib's bcf_int32_missing; vector_end is one more
_PLAIN_ALLELE = re.compile(r"^[ACGTNacgtn]+$")
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")

_PRECISE_KEYS = ("PRECISE", "HOMLEN", "HOMSEQ")
"""INFO keys that make a structural record precise (unless it says IMPRECISE): the flag, or its microhomology."""

ALLELE_MISSING = -1
ALLELE_ABSENT = -2  # the unused second slot of a haploid call


@dataclass(frozen=True)
class Span:
    """Where a record with a structural ALT (<DEL>, <DUP>, <INV>, <CNV>) reaches: `end` is INFO/END, else
    POS + |SVLEN|; cipos and ciend are the confidence intervals around POS and END (None when not given or not
    two integers, and for a precise record); imprecise: INFO/IMPRECISE is set, or an interval is given (or one that
    cannot be read) by a record that does not say it is precise. A record is precise when it says PRECISE (DELLY:
    its split reads fix the breakpoints; its intervals are the read pairs') or gives the microhomology at its
    breakpoints (HOMLEN or HOMSEQ: Manta, DRAGEN), and not IMPRECISE. shifts: for a precise record whose CIPOS and
    CIEND are one interval as wide as its microhomology (Manta writes 0,HOMLEN for both), how far the event may be
    moved and stay the same change.
    cnv_direction: what a <CNV> ALT is, from FORMAT/CN of the samples that carry it: 'DEL' when every such copy number
    that is not 2 is below 2, 'DUP' when every one is above, else 'CNV'. ends: per ALT, POS + |SVLEN| of its own
    (SVLEN is Number=A) for a record without END that gives one per ALT, None where it gives none; `end` is then the
    farthest of them."""

    end: int
    cipos: tuple[int, int] | None
    ciend: tuple[int, int] | None
    imprecise: bool
    cnv_direction: str = "CNV"
    ends: tuple[int | None, ...] | None = None
    shifts: tuple[int, int] | None = None

    def end_of(self, number: int) -> int:
        """Where ALT `number` (1-based) reaches."""
        own = self.ends[number - 1] if self.ends is not None and number <= len(self.ends) else None
        return own if own is not None else self.end


@dataclass(frozen=True)
class Record:
    """One VCF record, as plain values: no htslib object leaves the reader. Per-sample arrays are None in a
    sites-only VCF. `index` numbers the records the reader returns (0, 1, ...): the record key every later stage
    carries. `pos` is 1-based, as in the VCF.

    info: the INFO values the run asked for (absent keys are left out). phase_set: FORMAT/PS as floats over the
    samples (NaN where missing), else GATK's PID (physical_phase), None when the record has neither. span: where a
    record with a structural ALT reaches (None for other records, and for a structural one without END or SVLEN).
    sample_filtered: per sample, FORMAT/FT names a filter (not PASS or missing), None when the record has no FT.
    genotypes: (samples, ploidy) allele indices, ALLELE_MISSING for '.', ALLELE_ABSENT past a
    sample's own ploidy. gq, dp: (samples,), ad: (samples, alleles), as htslib gives them, with its missing-value
    codes (INT_MISSING and the vector end after it; `floats` and `format_matrix` read them as NaN). dp is FORMAT/DP,
    else FORMAT/DPI (Strelka2 writes its indels' depth there, and no DP), else Platypus's FORMAT/NR (not on a record
    split by bcftools norm, which keeps every ALT's NR); ad is FORMAT/AD, else Platypus's NR and NV as REF,ALT
    (_platypus_depths), one column per allele at most: a sample's are missing when it gives more values than the
    record has alleles, or a negative count (both named in `problems`).
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
    span: Span | None = None
    sample_filtered: np.ndarray | None = None
    problems: tuple[str, ...] = ()
    """What of the record could not be read (each kind is a warning, counted, with its first record)."""

    @property
    def end(self) -> int:
        """Last reference base the record covers: its REF's, or a structural ALT's END."""
        return self.span.end if self.span is not None else self.pos + len(self.ref) - 1

    @property
    def where(self) -> str:
        """The record's place in messages: its line in a text VCF, else CHROM:POS."""
        return f"line {self.line}" if self.line else f"{self.chrom}:{self.pos}"

    @property
    def site(self) -> str:
        """The record's place in warnings, which the outputs list: CHROM:POS, the same on every route (a BCF, or a
        file read through its index, gives no line numbers)."""
        return f"{self.chrom}:{self.pos}"

    @property
    def filter_text(self) -> str:
        return ";".join(self.filters) if self.filters else "."

    def without_samples(self) -> Record:
        """This record without its per-sample arrays: what the writers keep per record."""
        return Record(self.chrom, self.pos, self.id, self.ref, self.alts, self.filters, None, None, None, None, None,
                      self.line, self.index, span=self.span)


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


def _depths(values: np.ndarray) -> np.ndarray:
    """AD as htslib gives an Integer field (int32, samples x values, its missing and vector-end codes), also from a
    header that types it String: htslib then gives one text per sample ('10,2', read before as the characters 1, 0)."""
    if values.dtype.kind not in "OSU":
        return values
    texts = [v.decode() if isinstance(v, bytes) else str(v) for v in values.ravel()]
    cells = [[_count(part) for part in text.split(",")] for text in texts]
    out = np.full((len(cells), max(map(len, cells), default=1)), INT_MISSING + 1, dtype=np.int32)
    for row, counts in enumerate(cells):
        out[row, :len(counts)] = counts
    return out


UNASSIGNED_DEPTHS = ("FORMAT/AD has more values than the record has alleles (a record split by bcftools norm from a "
                     "header declaring AD Number=., as GATK 3 did, keeps every allele's depths), so those depths are "
                     "not read: ad and allele_fraction are '.', and the allele-balance gate does not apply")

NEGATIVE_DEPTH = "FORMAT/AD holds a negative read count (damaged input?): that sample's depths are read as missing"


def _varscan_depths(ad: np.ndarray, rd: np.ndarray, alts: int) -> np.ndarray:
    """VarScan2's depths as AD's REF,ALT: it writes FORMAT/AD with one value, the ALT allele's reads, and the REF
    reads in FORMAT/RD. `ad` is returned as it is unless it has that one value per sample on a record with one ALT."""
    if alts != 1 or ad.shape[1] != 1 or rd.dtype != np.int32 or rd.shape != ad.shape:
        return ad
    return np.concatenate([rd, ad], axis=1)


def _platypus_depths(covering: np.ndarray, variant_reads: np.ndarray, alts: int) -> np.ndarray | None:
    """Platypus's depths as AD's REF,ALT: it writes no AD, but FORMAT/NR, the reads covering the site, and FORMAT/NV,
    those holding the ALT, one value per ALT (declared Number=.). Read for a record with one ALT and one value of each
    per sample, as NR - NV, NV (missing where either is missing, or NV exceeds NR); None for any other record: a
    multi-allelic one gives no REF count, and one split by bcftools norm keeps every ALT's values."""
    if (alts != 1 or covering.dtype != np.int32 or variant_reads.dtype != np.int32 or covering.ndim != 2
            or covering.shape != variant_reads.shape or covering.shape[1] != 1):
        return None
    readable = (covering > INT_MISSING + 1) & (variant_reads > INT_MISSING + 1) & (variant_reads <= covering)
    return np.where(readable, np.concatenate([covering - variant_reads, variant_reads], axis=1), INT_MISSING)


def readable_depths(ad: np.ndarray, alleles: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """AD with one column per allele of the record, and what could not be read of it: a sample's depths are missing
    when it gives a value beyond the record's alleles, or a negative count. The Hail path reads its AD through this
    too (biobank/families.py)."""
    problems = ()
    if ad.shape[1] > alleles:
        beyond = ad[:, alleles:]
        unassigned = (~np.isnan(beyond) if ad.dtype.kind == "f" else beyond > INT_MISSING + 1).any(axis=1)
        ad = ad[:, :alleles]
        if unassigned.any():
            ad, problems = _missing_rows(ad, unassigned), (UNASSIGNED_DEPTHS,)
    lowest = np.nanmin(ad, initial=0) if ad.dtype.kind == "f" else ad.min(initial=0)
    if lowest < 0:  # htslib's missing Integer values are negative too (a Float's are NaN)
        damaged = ((ad < 0) & (ad > INT_MISSING + 1)).any(axis=1)
        if damaged.any():
            ad, problems = _missing_rows(ad, damaged), (*problems, NEGATIVE_DEPTH)
    return ad, problems


def _missing_rows(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return np.where(rows[:, None], np.nan if values.dtype.kind == "f" else INT_MISSING, values)


def _count(text: str) -> int:
    """One AD value as htslib reads an Integer: its missing code when it is '.', empty or not a whole number (a
    negative one is kept, for readable_depths to find)."""
    text = text.strip()
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else INT_MISSING


def record_from_variant(variant, line: int | None, index: int, info_keys: tuple[str, ...]) -> Record:
    """Copy what later stages need out of a cyvcf2 Variant (bound to an open reader)."""
    genotypes = phased = gq = dp = ad = phase_set = sample_filtered = None
    alts = tuple(variant.ALT)
    fmt = variant.FORMAT
    if fmt and "GT" in fmt:
        array = variant.genotype.array()
        genotypes, phased = array[:, :-1], array[:, -1] == 1
    if fmt:
        gq = variant.format("GQ") if "GQ" in fmt else None
        dp = variant.format("DP") if "DP" in fmt else variant.format("DPI") if "DPI" in fmt else None
        ad = _depths(variant.format("AD")) if "AD" in fmt else None
        if ad is not None and "RD" in fmt:
            ad = _varscan_depths(ad, variant.format("RD"), len(alts))
        elif ad is None and "NR" in fmt and "NV" in fmt:
            covering = variant.format("NR")
            ad = _platypus_depths(covering, variant.format("NV"), len(alts))
            if dp is None and covering.shape[1] <= len(alts):  # one NR per ALT: more, and which is this record's?
                dp = covering
        if "PS" in fmt:
            values = variant.format("PS")
            phase_set = format_column(values, len(values))
        elif "PID" in fmt and genotypes is not None:
            genotypes, phased, phase_set = physical_phase(
                genotypes, phased, variant.format("PGT") if "PGT" in fmt else None, variant.format("PID"))
        if "FT" in fmt:
            sample_filtered = ~np.isin(variant.format("FT"), ("PASS", ".", ""))
    ad, problems = readable_depths(ad, len(alts) + 1) if ad is not None else (None, ())
    info = {}
    for key in info_keys:
        value = variant.INFO.get(key)
        if value is not None:
            info[key] = value
    span = None
    if any(structural_kind(alt) for alt in alts):
        copies = variant.format("CN") if fmt and "CN" in fmt else None
        copies = format_column(copies, len(copies)) if copies is not None else None
        if copies is not None:
            genotypes, phased = genotypes_from_copy_number(genotypes, phased, copies, alts,
                                                           canonical_contig(variant.CHROM))
            copies = copies[(genotypes > 0).any(axis=1)]  # a non-carrier's CN (a male's 1 on chrX) tells nothing
        span = _span(variant, copies)
    return Record(
        chrom=variant.CHROM, pos=variant.POS, id=variant.ID or ".", ref=variant.REF, alts=alts,
        filters=tuple(variant.FILTERS), genotypes=genotypes, phased=phased, gq=gq, dp=dp, ad=ad,
        line=line, index=index, info=info, phase_set=phase_set, span=span, sample_filtered=sample_filtered,
        problems=problems,
    )


def physical_phase(genotypes: np.ndarray, phased: np.ndarray, pgt: np.ndarray | None, pid: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """GATK's physical phasing, for a record without FORMAT/PS: an unphased diploid GT whose PGT holds the same two
    alleles (0|1 or 1|0 for a 0/1) is read as PGT writes it, phased. PGT's order means something only against the
    other PGTs of its PID (GATK writes 0|1 for the first call of a group, whatever the haplotype), so PID is the
    phase set of the calls whose phase is PGT's: those read from it, and those the caller phased in PGT's order
    (GATK phases GT so); NaN for every other call, a GT phased otherwise (another phaser's order, or GATK's after
    genotyping changed it) too: it is phased with nothing rather than against PGTs whose order it does not share. A
    PGT that disagrees with GT (1|1 for a 0/1, as GATK may write after genotyping) is not read. Returns genotypes,
    phased and the phase sets (floats)."""
    phase_set = np.full(len(pid), np.nan)
    given = np.flatnonzero((pid != ".") & (pid != ""))  # a cohort's calls are mostly unphased: the few phased only
    if pgt is None or not len(given) or genotypes.shape[1] != 2:
        return genotypes, phased, phase_set
    texts, where = np.unique(pgt[given], return_inverse=True)
    calls = np.array([_phased_pair(text) for text in texts.tolist()], dtype=genotypes.dtype).reshape(-1, 2)[where]
    held, known = genotypes[given], calls[:, 0] >= 0
    usable = ~phased[given] & known & (np.sort(calls, axis=1) == np.sort(held, axis=1)).all(axis=1)
    kept = usable | (phased[given] & known & (calls == held).all(axis=1))
    ids, at = np.unique(pid[given[kept]], return_inverse=True)
    phase_set[given[kept]] = np.array([_phase_set_id(ident) for ident in ids.tolist()])[at]
    genotypes, phased = genotypes.copy(), phased.copy()
    genotypes[given[usable]] = calls[usable]
    phased[given[usable]] = True
    return genotypes, phased, phase_set


def _phased_pair(text: str) -> tuple[int, int]:
    """The two alleles of a phased PGT ('0|1'), (-1, -1) for anything else."""
    first, bar, second = text.partition("|")
    return (int(first), int(second)) if bar and first.isdigit() and second.isdigit() else (-1, -1)


def _phase_set_id(ident: str) -> float:
    """A PID ('165750000_A_G') as a phase-set number: 48 bits of its hash, exact as a float."""
    return float(int.from_bytes(hashlib.blake2b(ident.encode(), digest_size=6).digest(), "little"))


def reach(variant) -> int:
    """The last reference base a cyvcf2 variant covers, as the readers test it against the regions: its REF's, or
    INFO/END for a record with a structural ALT (what tabix and bcftools use; SVLEN alone does not count)."""
    end = variant.POS + len(variant.REF) - 1
    if variant.end > end and any(structural_kind(alt) for alt in variant.ALT):
        return variant.end
    return end


def _span(variant, copies: np.ndarray | None) -> Span | None:
    """Where a record with a structural ALT reaches, from INFO END (else SVLEN), CIPOS, CIEND and IMPRECISE; `copies`:
    FORMAT/CN of the samples that carry an ALT, when given."""
    end = variant.INFO.get("END")
    ends = None
    if not isinstance(end, int):
        length = variant.INFO.get("SVLEN")
        lengths = length if isinstance(length, tuple) else (length,)
        ends = tuple(variant.POS + abs(n) if isinstance(n, int) and n > INT_MISSING + 1 else None for n in lengths)
        if not any(e is not None for e in ends):
            return None
        end = max(e for e in ends if e is not None)
        ends = ends if len(ends) == len(variant.ALT) > 1 else None
    info = variant.INFO
    given = [info.get(key) for key in ("CIPOS", "CIEND")]
    intervals = [_interval(value) for value in given]
    unreadable = any(i is None and value is not None for value, i in zip(given, intervals, strict=True))
    said_imprecise = info.get("IMPRECISE") is not None
    shifts = None
    if not said_imprecise and not unreadable and any(info.get(key) is not None for key in _PRECISE_KEYS):
        low, high = intervals[0] or (0, 0)
        if intervals[0] == intervals[1] and 0 < high - low == _homology(info):
            shifts = (low, high)
        intervals = [None, None]
    imprecise = said_imprecise or unreadable or any(i not in (None, (0, 0)) for i in intervals)
    changed = copies[(copies >= 0) & (copies != 2)] if copies is not None else np.empty(0)
    direction = "CNV" if not len(changed) else "DEL" if (changed < 2).all() else "DUP" if (changed > 2).all() else "CNV"
    return Span(max(end, variant.POS), *intervals, imprecise, direction, ends, shifts)


def _homology(info) -> int:
    """The length of the microhomology at a structural record's breakpoints: HOMLEN (Manta declares it Number=.), else
    HOMSEQ's; 0 when neither is given or readable."""
    length, bases = (value[0] if isinstance(value, tuple) and value else value
                     for value in (info.get("HOMLEN"), info.get("HOMSEQ")))
    if isinstance(length, int) or (isinstance(length, str) and length.isdigit()):
        return int(length)
    return len(bases) if isinstance(bases, str) and bases != "." else 0


def _interval(value) -> tuple[int, int] | None:
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return min(value[0], 0), max(value[1], 0)
    return None


def genotypes_from_copy_number(genotypes: np.ndarray | None, phased: np.ndarray | None, copies: np.ndarray,
                               alts: tuple[str, ...], contig: str) -> tuple[np.ndarray, np.ndarray]:
    """Genotypes of a deletion or duplication from FORMAT/CN where GT does not tell them: no GT, a missing one, or a
    haploid one on an autosome (GATK gCNV writes one allele for every call). CN is read as a diploid copy number: 0
    is a homozygous loss, 1 a heterozygous one, 2 neither, 3 or more a (heterozygous) gain, carried by the record's
    <DEL> (or <CNV>) and <DUP> (or <CNV>) ALT. A called diploid GT wins (DELLY's CN is a read-depth estimate), as
    does a haploid one called reference, a missing or negative CN, and anything else on chrX or chrY (`contig`, the
    canonical name: a male's normal CN is 1; without GT the number of copies is not known). On chrX, a haploid call
    of a loss with CN 1 is 0/1: gCNV's GT is against the contig's baseline ploidy, and a male's loss is CN 0, so it
    is a loss of one of two copies (a woman's heterozygous deletion); and a haploid call of a gain with CN 3 or more
    is 0/1 too: a woman's heterozygous duplication (a male's gain is CN 2; two extra copies in a male are far rarer)."""
    samples = len(copies)
    loss = next((n for n, alt in enumerate(alts, 1) if structural_kind(alt) in ("DEL", "CNV")), None)
    gain = next((n for n, alt in enumerate(alts, 1) if structural_kind(alt) in ("DUP", "CNV")), None)
    if genotypes is None:
        genotypes, phased = np.full((samples, 2), ALLELE_MISSING, dtype=np.int32), np.zeros(samples, dtype=bool)
    elif genotypes.shape[1] < 2:
        widened = np.full((samples, 2), ALLELE_ABSENT, dtype=genotypes.dtype)
        widened[:, :genotypes.shape[1]] = genotypes
        genotypes = widened
    else:
        genotypes = genotypes.copy()
    uncalled = ~(genotypes >= 0).any(axis=1)
    haploid = (genotypes[:, 1] == ALLELE_ABSENT) & (genotypes[:, 0] != 0)
    if contig in ("X", "Y"):
        if contig == "X":
            for alt, of_two in ((loss, copies == 1), (gain, copies >= 3)):
                if alt is not None:
                    one_of_two = haploid & (genotypes[:, 0] == alt) & of_two
                    genotypes[one_of_two, 1] = alt
                    genotypes[one_of_two, 0] = 0
                    phased[one_of_two] = False
        return genotypes, phased
    for sample in np.flatnonzero((copies >= 0) & (uncalled | haploid)).tolist():  # a NaN CN compares False
        cn = copies[sample]
        if cn < 2 and loss is not None:
            call = (loss, loss) if cn == 0 else (0, loss)
        elif cn > 2 and gain is not None:
            call = (0, gain)
        elif cn == 2:
            call = (0, 0)
        else:
            continue
        genotypes[sample] = ALLELE_ABSENT
        genotypes[sample, :2] = call
        phased[sample] = False
    return genotypes, phased
