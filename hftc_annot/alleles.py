"""Alleles in minimal form: the one representation of a sequence change that every stage shares."""

from __future__ import annotations

from dataclasses import dataclass


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
