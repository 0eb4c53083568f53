"""HGVS strings: c. from a (3'-shifted) allele on a transcript, p. by diffing the reference and altered proteins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hftc_annot.consequence.alleles import Allele
from hftc_annot.consequence.sequence import SequenceSource, reverse_complement
from hftc_annot.consequence.terms import three_letter, translate
from hftc_annot.consequence.transcripts import Transcript

if TYPE_CHECKING:
    from hftc_annot.consequence.predict import CodingSequence


def coding_change(t: Transcript, a: Allele, seq: SequenceSource | None) -> str:
    """HGVS c. of an allele already moved 3' (empty when it reaches outside the transcript)."""
    flanks = (a.end, a.start) if a.is_insertion else (a.start, a.end)
    if flanks[0] < t.start or flanks[1] > t.end:
        return ""
    prefix = f"{t.refseq or t.id}:c."
    forward = t.strand == 1
    ref = a.ref if forward else reverse_complement(a.ref)
    alt = a.alt if forward else reverse_complement(a.alt)
    if a.is_insertion:
        size = len(a.alt)
        if seq is not None:
            before = (a.end - size + 1, a.end) if forward else (a.start, a.start + size - 1)
            if seq.fetch(a.chrom, *before) == a.alt:
                return prefix + _range(t, *before) + "dup"
        first, second = (a.end, a.start) if forward else (a.start, a.end)
        return f"{prefix}{t.c_position(first)}_{t.c_position(second)}ins{alt}"
    where = _range(t, a.start, a.end)
    if a.is_deletion:
        return f"{prefix}{where}del"
    if a.is_substitution:
        return f"{prefix}{where}{ref}>{alt}"
    return f"{prefix}{where}delins{alt}"


def _range(t: Transcript, low: int, high: int) -> str:
    """c. positions of a genomic interval, 5' end first in transcript orientation."""
    five, three = (low, high) if t.strand == 1 else (high, low)
    return t.c_position(five) if five == three else f"{t.c_position(five)}_{t.c_position(three)}"


def _aa(protein: str, index: int) -> str:
    return f"{three_letter()[protein[index]]}{index + 1}"


def _seq3(peptide: str) -> str:
    return "".join(three_letter()[aa] for aa in peptide)


def _to_stop(protein: str) -> str:
    stop = protein.find("*")
    return protein if stop < 0 else protein[:stop + 1]


def protein_change(t: Transcript, coding: CodingSequence, alt_cds: str, first_codon: int) -> str:
    """HGVS p. (predicted, in parentheses) for an altered CDS; `first_codon` is the first codon touched."""
    prefix = f"{t.protein or t.id}:p."
    ref = _to_stop(coding.protein)
    if first_codon == 0 and alt_cds[:3] != coding.cds[:3]:
        return prefix + "(Met1?)"
    alt = _to_stop(translate(alt_cds + coding.utr3))
    k = next((i for i in range(min(len(ref), len(alt))) if ref[i] != alt[i]), None)
    if k is None:
        if len(ref) == len(alt):
            return f"{prefix}({_aa(ref, first_codon)}=)"
        k = min(len(ref), len(alt))
    frameshift = (len(alt_cds) - len(coding.cds)) % 3 != 0
    if k >= len(ref) or k >= len(alt):
        return prefix + "?"
    new_stop = alt.find("*", k)
    tail = f"Ter{new_stop - k + (0 if ref[k] == '*' else 1)}" if new_stop >= 0 else "Ter?"
    if ref[k] == "*":
        return f"{prefix}({_aa(ref, k)}{three_letter()[alt[k]]}ext{tail})"
    if alt[k] == "*":
        return f"{prefix}({_aa(ref, k)}Ter)"
    if frameshift:
        return f"{prefix}({_aa(ref, k)}{three_letter()[alt[k]]}fs{tail})"
    return prefix + _inframe(ref, alt, k)


def _inframe(ref: str, alt: str, k: int) -> str:
    """Substitution, deletion, duplication, insertion or delins between two proteins that first differ at k."""
    shared_tail = 0
    while (shared_tail < len(ref) - k and shared_tail < len(alt) - k
           and ref[-1 - shared_tail] == alt[-1 - shared_tail]):
        shared_tail += 1
    deleted = ref[k:len(ref) - shared_tail]
    inserted = alt[k:len(alt) - shared_tail]
    if len(deleted) == 1 and len(inserted) == 1:
        return f"({_aa(ref, k)}{three_letter()[inserted]})"
    if not inserted:
        last = k + len(deleted) - 1
        where = _aa(ref, k) if last == k else f"{_aa(ref, k)}_{_aa(ref, last)}"
        return f"({where}del)"
    if not deleted:
        size = len(inserted)
        if k >= size and ref[k - size:k] == inserted:
            where = _aa(ref, k - 1) if size == 1 else f"{_aa(ref, k - size)}_{_aa(ref, k - 1)}"
            return f"({where}dup)"
        return f"({_aa(ref, k - 1)}_{_aa(ref, k)}ins{_seq3(inserted)})"
    last = k + len(deleted) - 1
    where = _aa(ref, k) if last == k else f"{_aa(ref, k)}_{_aa(ref, last)}"
    return f"({where}delins{_seq3(inserted)})"
