"""The HGVS 3' shift of indels along a transcript's strand, and an indel written over its whole repeat (alleles in
minimal form come from hftc_annot.alleles)."""

from __future__ import annotations

from hftc_annot.alleles import Allele, Spelling, minimal
from hftc_annot.consequence.sequence import SequenceSource

__all__ = ["Allele", "across_repeat", "minimal", "shift_3prime"]

_WINDOW = 256


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


def across_repeat(allele: Allele, chrom: str, seq: SequenceSource, length: int) -> Spelling | None:
    """A pure insertion or deletion that the sequence lets move, written over every base it can be placed on and
    one base on each side (`chrom`: the contig as the FASTA may be asked for it, `length` its length). This spelling
    overlaps every other spelling of the same change -- left- or right-aligned, anchored before or after -- so
    that same_change finds ClinVar's or gnomAD's record of it wherever the caller placed it. None for other
    changes and for an indel with only one place."""
    if bool(allele.ref) == bool(allele.alt):
        return None
    placed = allele.on(chrom)
    left, right = shift_3prime(placed, -1, seq, 1, length), shift_3prime(placed, 1, seq, 1, length)
    if left.start == right.start:
        return None
    first, last = max(1, left.start - 1), min(length, right.end + 1)
    ref = seq.fetch(chrom, first, last)
    at = left.start - first
    return Spelling(first, ref, ref[:at] + left.alt + ref[at + len(left.ref):])
