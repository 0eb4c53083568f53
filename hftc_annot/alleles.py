"""Alleles in minimal form: the one representation of a sequence change that every stage shares."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Allele:
    """Reference bases start..end (1-based, inclusive) replaced by `alt`. An insertion has
    end == start - 1: it sits between positions end and start. Bases are upper case, genomic strand."""

    chrom: str
    start: int
    end: int
    ref: str
    alt: str

    @property
    def is_insertion(self) -> bool:
        return not self.ref

    @property
    def is_deletion(self) -> bool:
        return not self.alt

    @property
    def is_substitution(self) -> bool:
        return len(self.ref) == len(self.alt) == 1

    def on(self, chrom: str) -> Allele:
        """The same change, its contig spelled `chrom` (2 or chr2)."""
        return Allele(chrom, self.start, self.end, self.ref, self.alt)


def minimal(chrom: str, pos: int, ref: str, alt: str) -> Allele:
    """Drop the VCF anchor base shared by REF and ALT, then common trailing and leading bases.

    This keeps the VCF's placement (the change starts right after the anchor) instead of moving it.
    """
    ref, alt = ref.upper(), alt.upper()
    start = pos
    if len(ref) != len(alt) and ref and alt and ref[0] == alt[0]:
        ref, alt, start = ref[1:], alt[1:], start + 1
    while ref and alt and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    while ref and alt and ref[0] == alt[0]:
        ref, alt, start = ref[1:], alt[1:], start + 1
    return Allele(chrom, start, start + len(ref) - 1, ref, alt)


class Spelling(NamedTuple):
    """An allele as a VCF record writes it: POS, REF and one ALT."""

    pos: int
    ref: str
    alt: str


def same_change(a: Spelling | tuple[int, str, str], b: Spelling | tuple[int, str, str]) -> bool:
    """Whether two VCF alleles (POS, REF, ALT) make the same sequence of the reference bases their REFs give: an indel
    anchored or aligned otherwise is the same change (GA>G at 100 and AA>A at 101 delete one A of AA). REFs that
    neither overlap nor touch, or disagree, are not compared."""
    start, end = min(a[0], b[0]), max(a[0] + len(a[1]), b[0] + len(b[1]))
    if max(a[0], b[0]) > min(a[0] + len(a[1]), b[0] + len(b[1])):
        return False
    bases = [""] * (end - start)
    for pos, ref, _ in (a, b):
        for i, base in enumerate(ref.upper()):
            if bases[pos - start + i] not in ("", base):
                return False
            bases[pos - start + i] = base
    reference = "".join(bases)
    made = [reference[:pos - start] + alt.upper() + reference[pos - start + len(ref):] for pos, ref, alt in (a, b)]
    return made[0] == made[1]


STRUCTURAL_KINDS = {"DEL": "deletion", "DUP": "duplication", "INV": "inversion", "CNV": "copy-number change"}
"""The symbolic ALTs that are annotated (<DEL>, <DUP>, <DUP:TANDEM>, <INV>, <CNV> and their subtypes), in words."""


def structural_kind(alt: str) -> str | None:
    """'DEL', 'DUP', 'INV' or 'CNV' for a symbolic ALT of those types (subtypes too: <DUP:TANDEM>), else None."""
    if not alt.startswith("<") or not alt.endswith(">"):
        return None
    kind = alt[1:-1].split(":", 1)[0]
    return kind if kind in STRUCTURAL_KINDS else None


@dataclass(frozen=True)
class StructuralAllele:
    """A deletion, duplication, inversion or copy-number change of the reference bases start..end (1-based,
    inclusive; the VCF's POS is the base before them). `kind` is 'DEL', 'DUP', 'INV' or 'CNV' (a copy-number change
    of unknown direction); start_range and end_range are the positions each breakpoint may take (CIPOS/CIEND, the
    breakpoint itself when precise); imprecise: the VCF says IMPRECISE or gives confidence intervals without saying
    the record is precise. shifts: the bases a precise deletion or duplication in microhomology may be moved by and
    stay the same change (CIPOS 0,HOMLEN from Manta), (0, 0) when it has one placement."""

    chrom: str
    start: int
    end: int
    kind: str
    start_range: tuple[int, int]
    end_range: tuple[int, int]
    imprecise: bool
    shifts: tuple[int, int] = (0, 0)

    @property
    def words(self) -> str:
        return STRUCTURAL_KINDS[self.kind]

    def on(self, chrom: str) -> StructuralAllele:
        """The same change, its contig spelled `chrom` (2 or chr2)."""
        return dataclasses.replace(self, chrom=chrom)
