"""Consequence of a deletion, duplication, inversion or copy-number change on one transcript: VEP's SV terms (with
exon_loss_variant for a deletion of coding bases; no splice terms, as VEP gives none to SVs), the exons it takes,
HGVS c. (exact, or exon-level where a breakpoint is imprecise) and a sentence for counselors.

Needs coordinates only, never sequence. A deletion or duplication is assumed to be in tandem with the gene, as VEP
and HGVS assume; its coding bases tell whether it keeps the reading frame when both breakpoints lie outside exons.
"""

from __future__ import annotations

import dataclasses

from hftc_annot.alleles import StructuralAllele
from hftc_annot.consequence.predict import Consequence, numbered, outside
from hftc_annot.consequence.terms import impact, ordered
from hftc_annot.consequence.transcripts import Transcript

WHOLE = {"DEL": "transcript_ablation", "DUP": "transcript_amplification"}
"""The term of an event that holds the whole transcript (an inversion or a change of unknown direction holding it
leaves it whole: only the overlap terms apply)."""
EXONS = {"DEL": "feature_truncation", "DUP": "feature_elongation"}
"""The term of a deletion or duplication that takes part of the transcript's exons."""
HGVS_TYPE = {"DEL": "del", "DUP": "dup", "INV": "inv"}


def structural(t: Transcript, sv: StructuralAllele) -> tuple[Consequence | None, str]:
    """The consequence on `t` (None when the event is more than 5 kb away) and what it does in words."""
    sv = _three_prime(t, sv)
    if sv.end < t.start or sv.start > t.end:
        return outside(t, sv), ""
    exons = [i for i, (s, e) in enumerate(t.exons) if s <= sv.end and e >= sv.start]
    introns = {i for i in range(len(t.exons) - 1) if _intron_touched(t, i, sv)}
    whole = sv.start <= t.start and sv.end >= t.end
    terms = _terms(t, sv, exons, introns, whole)
    names = ordered(terms)
    hgvs_p = ""
    if t.coding and sv.kind in HGVS_TYPE and _coding_bases(t, sv):
        hgvs_p = f"{t.protein or t.id}:p.{'0?' if whole and sv.kind == 'DEL' else '?'}"
    consequence = Consequence(t, names, impact(names), exon=numbered(set(exons), len(t.exons)),
                              intron=numbered(introns, len(t.exons) - 1), hgvs_c=hgvs_c(t, sv), hgvs_p=hgvs_p)
    return consequence, _words(t, sv, exons, introns, whole)


def _three_prime(t: Transcript, sv: StructuralAllele) -> StructuralAllele:
    """A deletion or duplication in microhomology placed as far 3' on the transcript as it may go and stay the same
    change, as HGVS places it (an inversion is left where the VCF puts it: moved, it inverts other bases)."""
    shift = sv.shifts[1] if t.strand == 1 else sv.shifts[0]
    if not shift or sv.kind not in ("DEL", "DUP"):
        return sv
    start, end = sv.start + shift, sv.end + shift
    return dataclasses.replace(sv, start=start, end=end, start_range=(start, start), end_range=(end, end))


def _terms(t: Transcript, sv: StructuralAllele, exons: list[int], introns: set[int], whole: bool) -> set[str]:
    if whole and sv.kind in WHOLE:
        return {WHOLE[sv.kind]}
    terms = set()
    if exons and sv.kind in EXONS:
        terms.add(EXONS[sv.kind])
    if not t.coding:
        terms.add("non_coding_transcript_exon_variant" if exons else "non_coding_transcript_variant")
    elif _coding_bases(t, sv):
        terms.add("exon_loss_variant" if sv.kind == "DEL" else "coding_sequence_variant")
    elif exons:
        terms.add("5_prime_UTR_variant" if _before_cds(t, sv) else "3_prime_UTR_variant")
    if introns:
        terms.add("intron_variant")
    return terms


def _intron_touched(t: Transcript, i: int, sv: StructuralAllele) -> bool:
    """Does the event hold a base of intron i (transcript order)?"""
    low, high = sorted((t.exons[i][1], t.exons[i + 1][0]) if t.strand == 1 else (t.exons[i + 1][1], t.exons[i][0]))
    return sv.start <= high - 1 and sv.end >= low + 1


def _coding_bases(t: Transcript, sv: StructuralAllele) -> int:
    """How many CDS bases the event holds."""
    if not t.coding:
        return 0
    low, high = t.cds
    return sum(max(0, min(e, high, sv.end) - max(s, low, sv.start) + 1) for s, e in t.exons)


def _before_cds(t: Transcript, sv: StructuralAllele) -> bool:
    """Does an event that holds no CDS base lie 5' of the CDS?"""
    return (sv.end < t.cds[0]) == (t.strand == 1)


def hgvs_c(t: Transcript, sv: StructuralAllele) -> str:
    """HGVS c. (n.) of a deletion, duplication or inversion: a breakpoint with a confidence interval (or both, when
    the VCF says IMPRECISE and gives none) as the range it may lie in, widened to the intron (or the flank beyond
    the transcript) that holds it: c.(3735+1_3736-1)_(4208+1_4209-1)del; the others at their exact position. ''
    for a copy-number change of unknown direction."""
    if sv.kind not in HGVS_TYPE:
        return ""
    unsure = sv.imprecise and sv.start_range == (sv.start, sv.start) and sv.end_range == (sv.end, sv.end)
    left, right = (_uncertain(t, *where) if unsure or where[0] != where[1] else t.c_position(point)
                   for point, where in ((sv.start, sv.start_range), (sv.end, sv.end_range)))
    five, three = (left, right) if t.strand == 1 else (right, left)
    place = five if sv.start == sv.end and five == three else f"{five}_{three}"
    return f"{t.refseq or t.id}:{t.hgvs_kind}.{place}{HGVS_TYPE[sv.kind]}"


def _uncertain(t: Transcript, low: int, high: int) -> str:
    """A breakpoint that lies somewhere in low..high (genomic): '(3735+1_3736-1)' for one inside an intron, '(?_-245)'
    for one 5' of the transcript (its first base), '(*120_?)' 3' of it, else '(X_Y)' for the range itself."""
    if high < t.start or low > t.end:
        five_prime = (high < t.start) == (t.strand == 1)
        edge = t.c_position(t.start if high < t.start else t.end)
        return f"(?_{edge})" if five_prime else f"({edge}_?)"
    first, last = t.intron(low), t.intron(high)
    if first is not None and last is not None and first[0] == last[0]:
        i = first[0]
        before = t.exons[i][1] if t.strand == 1 else t.exons[i][0]
        after = t.exons[i + 1][0] if t.strand == 1 else t.exons[i + 1][1]
        return f"({t.c_position(before)}+1_{t.c_position(after)}-1)"
    five, three = (low, high) if t.strand == 1 else (high, low)
    return f"({t.c_position(five)}_{t.c_position(three)})" if low != high else t.c_position(low)


def _words(t: Transcript, sv: StructuralAllele, exons: list[int], introns: set[int], whole: bool) -> str:
    """'deletion of exons 23-29 of 31 of ABCC6 (NM_001171.6); 473 coding bases: frameshift; imprecise breakpoints'."""
    name = f"{t.gene} ({t.refseq or t.id})"
    if whole:
        what = f"{sv.words} of the whole of {name}" if sv.kind != "INV" else f"inversion holding the whole of {name}"
    elif exons:
        first, last = min(exons) + 1, max(exons) + 1
        span = f"exon {first}" if first == last else f"exons {first}-{last}"
        partly = [str(i + 1) for i in (min(exons), max(exons)) if not _holds_exon(sv, t.exons[i])]
        part = f" (exon {' and '.join(dict.fromkeys(partly))} in part)" if partly else ""
        what = f"{sv.words} of {span}{part} of {len(t.exons)} of {name}"
    else:
        what = f"{sv.words} within intron {min(introns) + 1} of {name}" if introns else f"{sv.words} in {name}"
    details = [what]
    if not whole and sv.kind in ("DEL", "DUP") and exons and _breakpoints_outside_exons(t, sv):
        bases = _coding_bases(t, sv)
        if bases and not _holds_cds_end(t, sv):
            details.append(f"{bases} coding bases: {'in frame' if bases % 3 == 0 else 'frameshift'}")
    if sv.imprecise:
        details.append("imprecise breakpoints")
    return "; ".join(details)


def _holds_exon(sv: StructuralAllele, exon: tuple[int, int]) -> bool:
    return sv.start <= exon[0] and sv.end >= exon[1]


def _breakpoints_outside_exons(t: Transcript, sv: StructuralAllele) -> bool:
    """Do both breakpoints, over all the positions they may take, lie outside the exons?"""
    return all(not any(s <= high and e >= low for s, e in t.exons) for low, high in (sv.start_range, sv.end_range))


def _holds_cds_end(t: Transcript, sv: StructuralAllele) -> bool:
    """Does the event hold the first or the last CDS base (so that no reading frame is kept or lost)?"""
    return any(sv.start <= g <= sv.end for g in t.cds)
