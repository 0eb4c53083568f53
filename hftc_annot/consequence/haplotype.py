"""Consequence of several alleles on one haplotype of one transcript, applied together to the coding sequence:
two changes in one codon make one amino-acid change, a frameshift and a restoring indel an in-frame change."""

from __future__ import annotations

from hftc_annot.consequence import hgvs
from hftc_annot.consequence.alleles import Allele, shift_3prime
from hftc_annot.consequence.coding import CodingSequence
from hftc_annot.consequence.predict import Consequence, _peptide_terms
from hftc_annot.consequence.sequence import SequenceSource, reverse_complement
from hftc_annot.consequence.terms import impact, ordered, translate
from hftc_annot.consequence.transcripts import Transcript


def cds_span(t: Transcript, allele: Allele) -> tuple[int, int] | None:
    """0-based CDS indices first..last of the bases an allele replaces (an insertion: last = first - 1, new bases
    before index first), None when a base lies outside the CDS exons."""
    first_cds, last_cds = t.coding_cdna
    indices = []
    for g in (allele.end, allele.start) if allele.is_insertion else range(allele.start, allele.end + 1):
        if t.exon_index(g) is None:
            return None
        index = t.cdna_of(g) - first_cds
        if not 0 <= index <= last_cds - first_cds:
            return None
        indices.append(index)
    if allele.is_insertion:
        return max(indices), max(indices) - 1
    return min(indices), max(indices)


def member_changes(t: Transcript, seq: SequenceSource, alleles: list[Allele]) -> list[str]:
    """HGVS c. of each allele of one haplotype (minimal form, VCF placement), 3'-shifted only up to the bases the
    others change, and named a dup only when the bases it repeats are unchanged: shifted over or repeating another
    member's change, it would describe another sequence (c.[63C>G;64dup] for c.[62_63insC;63C>G])."""
    out = []
    for allele in alleles:
        others = [a for a in alleles if a is not allele]
        apart = [int(allele.is_insertion and a.is_insertion) for a in others]  # two insertions keep a base between
        low = max([t.start, *(a.end + 1 + k for a, k in zip(others, apart, strict=True) if a.end < allele.start)])
        high = min([t.end, *(a.start - 1 - k for a, k in zip(others, apart, strict=True) if a.start > allele.end)])
        moved = shift_3prime(allele, t.strand, seq, low, high)
        repeats = seq
        if moved.is_insertion:
            size = len(moved.alt)
            first, last = (moved.end - size + 1, moved.end) if t.strand == 1 else (moved.start, moved.start + size - 1)
            if any(a.start <= last and a.end >= first for a in others):
                repeats = None  # the bases before it are changed on this haplotype: an insertion, not a dup
        out.append(hgvs.coding_change(t, moved, repeats))
    return out


def combined(t: Transcript, coding: CodingSequence, alleles: list[Allele], c_changes: list[str]) -> Consequence | None:
    """The consequence of `alleles` (minimal form, genomic; their HGVS c. changes in `c_changes`) applied together to
    the CDS of `t`; None when one reaches outside the CDS exons, two overlap, or the shifted frame meets a stop
    before the frame is restored (the truncation is then the first frameshift's own, as its row says)."""
    spans = []
    for allele, change in zip(alleles, c_changes, strict=True):
        span = cds_span(t, allele)
        if span is None:
            return None
        spans.append((span, allele, change))
    spans.sort(key=lambda item: item[0])
    for (a, _, _), (b, _, _) in zip(spans, spans[1:], strict=False):
        if b[0] <= a[1] or (a[1] < a[0] and b[0] <= a[0] - 1):
            return None
    cds = coding.cds
    alt_cds = cds
    for (i0, i1), allele, _ in reversed(spans):
        alt = allele.alt if t.strand == 1 else reverse_complement(allele.alt)
        alt_cds = alt_cds[:i0] + alt + alt_cds[i1 + 1:]
    delta = len(alt_cds) - len(cds)
    if delta % 3 and _reshifted(spans):
        return None
    i0, i1 = spans[0][0][0], max(span[1] for span, _, _ in spans)
    c0, c1 = i0 // 3, max(i1, i0) // 3
    ref_codons = cds[c0 * 3:(c1 + 1) * 3]
    if delta % 3:
        names = ordered({"frameshift_variant"})
        amino_acids = f"{translate(ref_codons)}/X"
    else:
        alt_codons = alt_cds[c0 * 3:(c1 + 1) * 3 + delta]
        ref_pep, alt_pep = translate(ref_codons), translate(alt_codons)
        if "*" in alt_pep and (c0 + alt_pep.index("*") + 1) * 3 <= _restored_at(spans):
            return None
        alt_pep = alt_pep[:alt_pep.index("*") + 1] if "*" in alt_pep else alt_pep
        names = ordered(_peptide_terms(ref_pep, alt_pep, delta, i0 <= 2, ref_codons, alt_codons))
        amino_acids = ref_pep if ref_pep == alt_pep else f"{ref_pep or '-'}/{alt_pep or '-'}"
    c_text = ";".join(change.split(":", 1)[-1].removeprefix("c.") for _, _, change in spans)
    return Consequence(t, names, impact(names), protein_position=str(c0 + 1) if c0 == c1 else f"{c0 + 1}-{c1 + 1}",
                       amino_acids=amino_acids, hgvs_c=f"{t.refseq or t.id}:c.[{c_text}]",
                       hgvs_p=hgvs.protein_change(t, coding, alt_cds, c0, c1))


def _reshifted(spans: list[tuple[tuple[int, int], Allele, str]]) -> bool:
    """Whether a frameshift's frame is restored by a later change and then shifted again (the total shifts it): the
    protein changes in the stretch between, is the reference's again, and shifts once more, which no one frameshift
    from the first change describes."""
    shift, shifted = 0, False
    for (i0, i1), allele, _ in spans:
        change = len(allele.alt) - (i1 - i0 + 1)
        shift += change
        shifted = shifted or bool(change % 3)
        if shifted and shift % 3 == 0:
            return True
    return False


def _restored_at(spans: list[tuple[tuple[int, int], Allele, str]]) -> int:
    """Index in the altered CDS where the last frameshifting allele begins (0 when none shifts the frame)."""
    shift, restored = 0, 0
    for (i0, i1), allele, _ in spans:
        change = len(allele.alt) - (i1 - i0 + 1)
        if change % 3:
            restored = i0 + shift
        shift += change
    return restored
