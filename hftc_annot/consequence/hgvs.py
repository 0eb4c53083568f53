"""HGVS strings: c. from a (3'-shifted) allele on a transcript, p. by diffing the reference and altered proteins."""

from __future__ import annotations

from hftc_annot.consequence.alleles import Allele
from hftc_annot.consequence.coding import CodingSequence
from hftc_annot.consequence.sequence import SequenceSource, reverse_complement
from hftc_annot.consequence.terms import three_letter, translate
from hftc_annot.consequence.transcripts import Transcript


def coding_change(t: Transcript, a: Allele, seq: SequenceSource | None) -> str:
    """HGVS c. (n. on a non-coding transcript) of an allele already moved 3' (empty when it reaches outside the
    transcript)."""
    flanks = (a.end, a.start) if a.is_insertion else (a.start, a.end)
    if flanks[0] < t.start or flanks[1] > t.end:
        return ""
    prefix = f"{t.refseq or t.id}:{t.hgvs_kind}."
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


def protein_change(t: Transcript, coding: CodingSequence, alt_cds: str, first: int, last: int) -> str:
    """HGVS p. (predicted, in parentheses) for an altered CDS whose change lies in codons first..last
    (last = first - 1 for an insertion between codons)."""
    prefix = f"{t.protein or t.id}:p."
    ref = coding.protein
    if first == 0 and alt_cds[:3] != coding.cds[:3]:
        return prefix + "(Met1?)"
    delta = len(alt_cds) - len(coding.cds)
    if delta % 3:
        return prefix + frameshift(ref, translate(alt_cds[first * 3:] + coding.utr3, until_stop=True), first)
    local = translate(alt_cds[first * 3:(last + 1) * 3 + delta])
    deleted, inserted, at = ref[first:last + 1], local, first
    while deleted and inserted and deleted[0] == inserted[0]:
        deleted, inserted, at = deleted[1:], inserted[1:], at + 1
    if "*" in inserted:  # a new stop ends the protein inside the change
        inserted = inserted[:inserted.index("*") + 1]
        if deleted.endswith("*"):  # the stop codon changed but stayed a stop: it is not part of the change
            deleted, inserted = deleted[:-1], inserted[:-1]
        elif inserted == "*":
            return f"{prefix}({_aa(ref, at)}Ter)"
        else:
            return prefix + _named(ref, at, deleted, inserted)
    elif "*" in deleted[1:]:  # the stop codon is gone and residues before it changed, so the protein runs on
        return prefix + frameshift(ref, translate(alt_cds[at * 3:] + coding.utr3, until_stop=True), at)
    while deleted and inserted and deleted[-1] == inserted[-1]:
        deleted, inserted = deleted[:-1], inserted[:-1]
    if not deleted and not inserted:
        return f"{prefix}({_aa(ref, first)}=)"
    if deleted[:1] == "*":
        extension = translate(alt_cds[at * 3:] + coding.utr3, until_stop=True)
        stop = extension.find("*") if extension.endswith("*") else -1
        return f"{prefix}({_aa(ref, at)}{three_letter()[extension[0]]}extTer{stop if stop >= 0 else '?'})"
    if not inserted or not deleted:
        unit = deleted or inserted
        while at + len(deleted) < len(ref) and ref[at + len(deleted)] == unit[0]:
            unit, at = unit[1:] + unit[0], at + 1
        deleted, inserted = (unit, "") if deleted else ("", unit)
    return prefix + _named(ref, at, deleted, inserted)


def frameshift(ref: str, new_tail: str, first: int) -> str:
    """p. of a protein whose residues from index `first` on now read `new_tail`: the first changed residue
    named as an extension (the stop changed), a nonsense change, or a frameshift with the distance to the new
    stop."""
    k = next((first + i for i, aa in enumerate(new_tail) if first + i >= len(ref) or ref[first + i] != aa), None)
    if k is None or k >= len(ref):
        return "?"
    new = new_tail[k - first]
    stop = new_tail.find("*", k - first)
    if ref[k] == "*":
        return f"({_aa(ref, k)}{three_letter()[new]}extTer{stop - (k - first) if stop >= 0 else '?'})"
    if new == "*":
        return f"({_aa(ref, k)}Ter)"
    return f"({_aa(ref, k)}{three_letter()[new]}fsTer{stop - (k - first) + 1 if stop >= 0 else '?'})"


def _named(ref: str, at: int, deleted: str, inserted: str) -> str:
    """Substitution, deletion, duplication, insertion or delins of residues starting at index `at`."""
    if len(deleted) == 1 and len(inserted) == 1:
        return f"({_aa(ref, at)}{three_letter()[inserted]})"
    last = at + len(deleted) - 1
    where = _aa(ref, at) if last <= at else f"{_aa(ref, at)}_{_aa(ref, last)}"
    if not inserted:
        return f"({where}del)"
    if not deleted:
        size = len(inserted)
        if at >= size and ref[at - size:at] == inserted:
            return f"({_aa(ref, at - 1) if size == 1 else f'{_aa(ref, at - size)}_{_aa(ref, at - 1)}'}dup)"
        return f"({_aa(ref, at - 1)}_{_aa(ref, at)}ins{_seq3(inserted)})"
    return f"({where}delins{_seq3(inserted)})"
