"""Alleles in minimal form, and the HGVS 3' shift of indels along a transcript's strand."""

from __future__ import annotations

from dataclasses import dataclass

from hftc_annot.consequence.sequence import SequenceSource

_WINDOW = 256


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


def shift_3prime(allele: Allele, strand: int, seq: SequenceSource, low: int, high: int) -> Allele:
    """Move a pure insertion or deletion as far 3' on `strand` as the sequence allows, staying in [low, high].

    Substitutions and delins do not move. The moved allele describes the same change (HGVS 3' rule).
    """
    if (allele.ref and allele.alt) or (not allele.ref and not allele.alt):
        return allele
    unit = allele.ref or allele.alt
    start, end = allele.start, allele.end
    if strand == 1:
        while True:
            window = seq.fetch(allele.chrom, end + 1, min(high, end + _WINDOW))
            moved = 0
            for base in window:
                if base != unit[0]:
                    break
                unit = unit[1:] + unit[0]
                moved += 1
            start, end = start + moved, end + moved
            if moved < _WINDOW or end >= high:
                break
    else:
        while True:
            first = max(low, start - _WINDOW)
            window = seq.fetch(allele.chrom, first, start - 1)[::-1]
            moved = 0
            for base in window:
                if base != unit[-1]:
                    break
                unit = unit[-1] + unit[:-1]
                moved += 1
            start, end = start - moved, end - moved
            if moved < _WINDOW or start <= low:
                break
    if allele.ref:
        return Allele(allele.chrom, start, end, unit, "")
    return Allele(allele.chrom, start, end, "", unit)
