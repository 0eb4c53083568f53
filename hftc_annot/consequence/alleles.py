"""The HGVS 3' shift of indels along a transcript's strand (alleles in minimal form come from hftc_annot.alleles)."""

from __future__ import annotations

from hftc_annot.alleles import Allele, minimal
from hftc_annot.consequence.sequence import SequenceSource

__all__ = ["Allele", "minimal", "shift_3prime"]

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
