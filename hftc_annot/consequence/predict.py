"""Consequence of one allele on one transcript: SO terms (VEP's rules), positions, codons and HGVS.

Location terms (UTR, intron, splice sites, up/downstream) need only coordinates. Protein-level terms,
codons and HGVS p. need the reference sequence; without it a coding change is reported as
coding_sequence_variant (indels inside the CDS as frameshift/inframe from their length).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hftc_annot.alleles import StructuralAllele
from hftc_annot.consequence import hgvs
from hftc_annot.consequence.alleles import Allele, shift_3prime
from hftc_annot.consequence.coding import CodingSequence
from hftc_annot.consequence.sequence import SequenceSource, reverse_complement
from hftc_annot.consequence.splice import base_terms, insertion_terms
from hftc_annot.consequence.terms import impact, ordered, three_letter, translate
from hftc_annot.consequence.transcripts import FLANK, Transcript

_PLAIN = re.compile(r"[ACGT]*")
_PROTEIN_UNKNOWN = "_protein_unknown"
"""A term of our own, dropped before reporting: the codons hold a letter other than A, C, G, T, so the protein effect
is not computed (impact UNKNOWN)."""


@dataclass(frozen=True)
class Consequence:
    """The effect of one allele on one transcript. Empty strings where a field does not apply. protein_unknown:
    the allele changes the CDS but its protein effect could not be computed (no sequence for the gene); impact
    is then UNKNOWN unless a known term is already MODERATE or HIGH."""

    transcript: Transcript
    terms: tuple[str, ...]
    impact: str
    exon: str = ""
    intron: str = ""
    cdna_position: str = ""
    cds_position: str = ""
    protein_position: str = ""
    codons: str = ""
    amino_acids: str = ""
    hgvs_c: str = ""
    hgvs_p: str = ""
    protein_unknown: bool = False

    @property
    def c_change(self) -> str:
        """HGVS c. without its reference sequence ('c.76G>A'); an input's annotation may give either form."""
        return self.hgvs_c.split(":", 1)[-1]

    @property
    def p_change(self) -> str:
        """HGVS p. without its reference sequence ('p.(Gly26Arg)')."""
        return self.hgvs_p.split(":", 1)[-1]


@dataclass
class _Location:
    """What the bases of an allele touch on a transcript."""

    exons: set[int] = field(default_factory=set)
    introns: set[int] = field(default_factory=set)
    cds_bases: list[int] = field(default_factory=list)
    utr5: bool = False
    utr3: bool = False
    terms: set[str] = field(default_factory=set)


def predict(t: Transcript, allele: Allele, seq: SequenceSource | None,
            coding: CodingSequence | None) -> Consequence | None:
    """The consequence on `t`, or None when the allele is more than 5 kb from it."""
    if allele.end < t.start or allele.start > t.end:  # an insertion sits between end and start
        return outside(t, allele)
    if not allele.is_insertion and allele.start <= t.start and allele.end >= t.end:
        return Consequence(t, ("transcript_ablation",), "HIGH")
    where = _insertion_location(t, allele) if allele.is_insertion else _location(t, allele)
    terms = set(where.terms)
    if where.utr5:
        terms.add("5_prime_UTR_variant")
    if where.utr3:
        terms.add("3_prime_UTR_variant")
    if not t.coding:  # VEP: an exonic base, else a base inside the transcript (an intron)
        terms.add("non_coding_transcript_exon_variant" if where.exons else "non_coding_transcript_variant")
    detail: dict[str, str] = {}
    if where.cds_bases:
        terms |= _coding_terms(t, allele, where, coding, detail)
    unreadable = _PROTEIN_UNKNOWN in terms  # the codons hold N or IUPAC letters
    terms.discard(_PROTEIN_UNKNOWN)
    names = ordered(terms)
    n_exons = len(t.exons)
    unknown = (coding is None or unreadable) and "coding_sequence_variant" in names  # the protein is not computed
    return Consequence(
        transcript=t, terms=names, impact=impact(names, protein_unknown=unknown),
        exon=numbered(where.exons, n_exons), intron=numbered(where.introns, n_exons - 1),
        cdna_position=_cdna_position(t, allele), hgvs_c=_hgvs_c(t, allele, seq), protein_unknown=unknown, **detail,
    )


def outside(t: Transcript, allele: Allele | StructuralAllele) -> Consequence | None:
    """Upstream or downstream of t (VEP's terms), or None beyond FLANK."""
    before = allele.end < t.start
    distance = t.start - allele.end if before else allele.start - t.end
    if distance > FLANK:
        return None
    upstream = before == (t.strand == 1)
    return Consequence(t, ("upstream_gene_variant" if upstream else "downstream_gene_variant",), "MODIFIER")


def _exonic(t: Transcript, g: int, i: int, where: _Location) -> None:
    """Record one exonic base: its exon, CDS or UTR, and the exonic splice region (3 bases)."""
    where.exons.add(i)
    if t.coding:
        cdna = t.cdna_of(g)
        first, last = t.coding_cdna
        if cdna < first:
            where.utr5 = True
        elif cdna > last:
            where.utr3 = True
        else:
            where.cds_bases.append(cdna - first)
    if _splice_windows(t, g, i):
        where.terms.add("_splice_region")


def _splice_windows(t: Transcript, g: int, i: int) -> set[str]:
    """The exonic splice-region windows (the 3 bases next to an intron) that exonic base g of exon i lies in:
    'acceptor' at the exon's 5' end, 'donor' at its 3' end; none at the transcript's own ends."""
    start, end = t.exons[i]
    from_5p = (g - start if t.strand == 1 else end - g) + 1
    from_3p = end - start + 2 - from_5p
    return ({"acceptor"} if i > 0 and from_5p <= 3 else set()) | \
        ({"donor"} if i < len(t.exons) - 1 and from_3p <= 3 else set())


def _intronic(i: int, donor: int, acceptor: int, where: _Location) -> None:
    """Record one intronic base by its distances from the donor and acceptor ends (VEP's splice rules)."""
    where.introns.add(i)
    where.terms |= base_terms(donor, acceptor)


def _settle_splice_terms(where: _Location) -> None:
    """VEP reports the most specific splice term: 5th base over donor region over splice region."""
    terms = where.terms
    if "splice_donor_5th_base_variant" in terms:
        terms.discard("splice_donor_region_variant")
    region = "_splice_region" in terms
    terms.discard("_splice_region")
    specific = {"splice_donor_variant", "splice_acceptor_variant", "splice_donor_5th_base_variant",
                "splice_donor_region_variant"}
    if region and not terms & specific:
        terms.add("splice_region_variant")


def _location(t: Transcript, allele: Allele) -> _Location:
    where = _Location()
    for g in range(max(allele.start, t.start), min(allele.end, t.end) + 1):
        i = t.exon_index(g)
        if i is not None:
            _exonic(t, g, i, where)
        else:
            _intronic(*t.intron(g), where)
    _settle_splice_terms(where)
    return where


def _insertion_location(t: Transcript, allele: Allele) -> _Location:
    """An insertion touches a feature when both flanking bases lie in it (VEP's convention)."""
    where = _Location()
    left, right = allele.end, allele.start
    up, down = (left, right) if t.strand == 1 else (right, left)
    i_up, i_down = t.exon_index(up), t.exon_index(down)
    if i_up is not None and i_down is not None:
        where.exons.add(i_up)
        if t.coding:
            first, last = t.coding_cdna
            cdna_up, cdna_down = t.cdna_of(up), t.cdna_of(down)
            if cdna_down <= first:
                where.utr5 = True
            elif cdna_up >= last:
                where.utr3 = True
            else:
                where.cds_bases += [cdna_up - first, cdna_down - first]
        if _splice_windows(t, up, i_up) & _splice_windows(t, down, i_down):  # both flanking bases in one window
            where.terms.add("_splice_region")
    elif i_up is None and i_down is None:
        i, d_up, a_up = t.intron(up)
        _, d_down, a_down = t.intron(down)
        where.introns.add(i)
        where.terms |= insertion_terms((d_up, a_up), (d_down, a_down))
    else:  # between an exon and its intron
        exon = i_up if i_up is not None else i_down
        where.exons.add(exon)
        where.introns.add(exon if i_up is not None else exon - 1)
        where.terms.add("_splice_region")
    _settle_splice_terms(where)
    return where


def _coding_terms(t: Transcript, allele: Allele, where: _Location, coding: CodingSequence | None,
                  detail: dict[str, str]) -> set[str]:
    """Terms for an allele that touches CDS bases; fills codons, positions and HGVS p. into `detail`."""
    in_cds_only = not where.introns and not where.utr5 and not where.utr3 and len(where.exons) == 1
    if allele.is_insertion:
        a = max(where.cds_bases)
        i0, i1 = a, a - 1  # new bases go before CDS index a
        detail["cds_position"] = f"{i1 + 1}-{i0 + 1}"
    else:
        i0, i1 = min(where.cds_bases), max(where.cds_bases)
        cds_ends = _ends(t, allele, _cds_number)
        detail["cds_position"] = _vep_span(*cds_ends)
    delta = len(allele.alt) - len(allele.ref)
    touches_start = i0 <= 2 if not allele.is_insertion else 0 < i0 <= 2
    touches_stop = i1 >= t.cds_length - 3 if not allele.is_insertion else i0 > t.cds_length - 3
    if not in_cds_only:
        if not allele.is_insertion:
            detail["protein_position"] = _vep_span(*(None if n is None else (n + 2) // 3 for n in cds_ends))
        if coding is not None and not where.introns and len(where.exons) == 1 and not allele.is_insertion:
            return _across_utr(t, allele, coding, detail)
        return {"coding_sequence_variant"}
    if coding is None:
        if delta % 3:
            return {"frameshift_variant"}
        if delta and not touches_start and not touches_stop:
            return {"inframe_insertion" if delta > 0 else "inframe_deletion"}
        return {"coding_sequence_variant"}
    alt_t = allele.alt if t.strand == 1 else reverse_complement(allele.alt)
    cds = coding.cds
    alt_cds = cds[:i0] + alt_t + cds[i1 + 1:]
    c0, c1 = i0 // 3, (i1 // 3 if i1 >= i0 else i0 // 3 - (1 if i0 % 3 == 0 else 0))
    detail["protein_position"] = _span(c0 + 1, c1 + 1) if c1 >= c0 else f"{c0}-{c0 + 1}"
    ref_codons = cds[c0 * 3:(c1 + 1) * 3]
    alt_codons = alt_cds[c0 * 3:(c1 + 1) * 3 + delta]
    detail["codons"] = f"{_mark(ref_codons, i0 - c0 * 3, i1 - c0 * 3) or '-'}/" \
                       f"{_mark(alt_codons, i0 - c0 * 3, i0 - c0 * 3 + len(alt_t) - 1) or '-'}"
    if not _PLAIN.fullmatch(ref_codons + alt_codons):  # N or IUPAC in the reference's codons or the ALT
        detail["amino_acids"] = f"{translate(ref_codons) or '-'}/{translate(alt_codons) or '-'}"
        return {"frameshift_variant"} if delta % 3 else {"coding_sequence_variant", _PROTEIN_UNKNOWN}
    # Only an indel at the stop codon, or one that brings a stop in the frame (a copy of the last codons and the stop:
    # COL1A1 c.4388_*1dup), can leave the protein as it was.
    may_keep_protein = max(c0, c1) >= len(coding.protein) - 2 or "*" in translate(alt_codons)
    if delta and may_keep_protein and translate(alt_cds + coding.utr3, until_stop=True) == coding.protein:
        detail["amino_acids"] = "*"  # bases moved around the stop codon, which still ends the same protein
        detail["hgvs_p"] = f"{t.protein or t.id}:p.({three_letter()['*']}{len(coding.protein)}=)"
        return {"stop_retained_variant"}
    if delta and touches_start and _start_kept(coding, t.coding_cdna[0] - 1, alt_cds, delta):
        detail["amino_acids"] = "M"  # the start codon kept, or moved by the change: the same protein follows it
        detail["hgvs_p"] = f"{t.protein or t.id}:p.({three_letter()['M']}1=)"
        return {"start_retained_variant"}
    if delta % 3:
        terms = {"frameshift_variant"}
        if touches_stop:
            stop_at = t.cds_length - 3
            kept = translate((alt_cds + coding.utr3)[stop_at:stop_at + 3]) == "*"
            terms.add("stop_retained_variant" if kept else "stop_lost")
        if touches_start and alt_cds[:3] != "ATG":
            terms.add("start_lost")
        detail["amino_acids"] = f"{translate(ref_codons) or '-'}/X"
        detail["hgvs_p"] = hgvs.protein_change(t, coding, alt_cds, c0, c1)
        return terms
    ref_pep, alt_pep = translate(ref_codons), translate(alt_codons)
    detail["amino_acids"] = ref_pep if ref_pep == alt_pep else f"{ref_pep or '-'}/{alt_pep or '-'}"
    terms = _peptide_terms(ref_pep, alt_pep, delta, touches_start, ref_codons, alt_codons)
    detail["hgvs_p"] = hgvs.protein_change(t, coding, alt_cds, c0, c1)
    return terms


def _start_kept(coding: CodingSequence, utr5: int, alt_cds: str, delta: int) -> bool:
    """Whether an indel at the start codon leaves the protein as it was, read from the start codon's place or from
    where the change moved it (deleting c.1 of an ATG after an A: the UTR's A completes it; c.1dup: it moves 1 base
    on). Of the two places the first (5') one that holds an ATG is the start, as a scanning ribosome takes it: an
    insertion after c.1 that keeps ATG in place and repeats it further on (c.2_7dup) changes the protein, however
    the moved copy reads on. `utr5`: the length of the 5' UTR."""
    edited = coding.cdna[:utr5] + alt_cds + coding.utr3
    start = next((s for s in sorted({utr5, utr5 + delta}) if s >= 0 and edited[s:s + 3] == "ATG"), None)
    return start is not None and translate(edited[start:], until_stop=True) == coding.protein


def _across_utr(t: Transcript, allele: Allele, coding: CodingSequence, detail: dict[str, str]) -> set[str]:
    """A change inside one exon that spans the CDS and a UTR: is the start or the stop codon lost?"""
    ends = sorted(t.cdna_of(g) for g in (allele.start, allele.end))
    alt = allele.alt if t.strand == 1 else reverse_complement(allele.alt)
    edited = coding.cdna[:ends[0] - 1] + alt + coding.cdna[ends[1]:]
    first, last = t.coding_cdna
    prefix = f"{t.protein or t.id}:p."
    if ends[0] <= first + 2 and not edited.endswith(coding.cds + coding.utr3):  # VEP: start codon altered
        detail["hgvs_p"] = prefix + "(Met1?)"
        return {"start_lost"}
    if ends[1] >= last - 2:
        ref, new = coding.protein, translate(edited[first - 1:], until_stop=True)
        k = next((i for i in range(min(len(ref), len(new))) if ref[i] != new[i]), None)
        if k is None:
            detail["hgvs_p"] = f"{prefix}({three_letter()['*']}{len(ref)}=)"
            return {"stop_retained_variant"}
        detail["hgvs_p"] = prefix + hgvs.frameshift(ref, new, 0)
        if new.endswith("*") and len(new) < len(ref):
            return {"stop_gained"}
        return {"stop_lost"}
    return {"coding_sequence_variant"}


def _peptide_terms(ref_pep: str, alt_pep: str, delta: int, touches_start: bool, ref_codons: str,
                   alt_codons: str) -> set[str]:
    """VEP's predicates on the changed codons' peptides."""
    terms: set[str] = set()
    if touches_start:
        if delta == 0 and alt_pep[:1] != ref_pep[:1]:
            return {"start_lost"}
        if delta and not (alt_pep.startswith(ref_pep) or alt_pep.endswith(ref_pep)):
            return {"start_lost"}
        if delta:
            terms.add("start_retained_variant")
    stop_retained = ref_pep.endswith("*") and alt_pep.endswith("*") and alt_pep.count("*") == 1 \
        and (delta == 0 or ref_pep[-1:] == alt_pep[-1:])
    if "*" in ref_pep and "*" not in alt_pep:
        terms.add("stop_lost")
    elif "*" in alt_pep and "*" not in ref_pep:
        terms.add("stop_gained")
    elif stop_retained and delta == 0:
        terms.add("stop_retained_variant")
    if delta == 0:
        if ref_pep == alt_pep and "stop_retained_variant" not in terms:
            terms.add("synonymous_variant")
        elif ref_pep != alt_pep and not terms & {"stop_lost", "stop_gained", "start_lost"}:
            terms.add("missense_variant")
        return terms
    if delta > 0:
        trimmed = alt_pep.split("*")[0] + ("*" if "*" in alt_pep else "")
        if trimmed.startswith(ref_pep) or trimmed.endswith(ref_pep) or alt_pep.startswith(ref_pep):
            terms.add("inframe_insertion")
        elif not terms & {"stop_lost", "stop_gained"}:
            terms.add("protein_altering_variant")
        if stop_retained and "stop_gained" not in terms:
            terms.add("stop_retained_variant")
        return terms
    if ref_codons.startswith(alt_codons) or ref_codons.endswith(alt_codons) or _inner_deletion(ref_codons, alt_codons):
        terms.add("inframe_deletion")
    elif not terms & {"stop_lost", "stop_gained"}:
        terms.add("protein_altering_variant")
    return terms


def _inner_deletion(ref: str, alt: str) -> bool:
    while ref and alt and ref[0] == alt[0]:
        ref, alt = ref[1:], alt[1:]
    while ref and alt and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    return not alt and len(ref) % 3 == 0


def _mark(codons: str, first: int, last: int) -> str:
    """VEP's codon display: changed bases upper case, the rest lower case."""
    return "".join(b.upper() if first <= k <= last else b.lower() for k, b in enumerate(codons))


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def numbered(indices: set[int], total: int) -> str:
    """Exon or intron numbers as VEP writes them: '3/12', '23-29/31' (indices from 0)."""
    if not indices:
        return ""
    return f"{_span(min(indices) + 1, max(indices) + 1)}/{total}"


def _vep_span(first: int | None, last: int | None) -> str:
    """A span as VEP writes it (format_coords, ensembl-vep Bio/EnsEMBL/VEP/Utils.pm): an end whose base is not on
    the sequence counted (an intron, a UTR, beyond the transcript) is '?' ('59-?', '?-61'); '' when neither end is."""
    if first is None and last is None:
        return ""
    if first is None or last is None:
        return f"{'?' if first is None else first}-{'?' if last is None else last}"
    return _span(first, last)


def _ends(t: Transcript, allele: Allele, number: Callable[[Transcript, int], int | None]
          ) -> tuple[int | None, int | None]:
    """`number` of the allele's 5'-most and 3'-most reference bases in transcript orientation (VEP takes a span's
    ends from the first and last of its mapped pieces: BaseTranscriptVariation.pm, cdna_start)."""
    five, three = (allele.start, allele.end) if t.strand == 1 else (allele.end, allele.start)
    return number(t, five), number(t, three)


def _cdna_number(t: Transcript, g: int) -> int | None:
    return t.cdna_of(g) if t.exon_index(g) is not None else None


def _cds_number(t: Transcript, g: int) -> int | None:
    cdna = _cdna_number(t, g)
    first, last = t.coding_cdna
    return cdna - first + 1 if cdna is not None and first <= cdna <= last else None


def _cdna_position(t: Transcript, allele: Allele) -> str:
    if allele.is_insertion:
        flanks = [g for g in (allele.end, allele.start) if t.exon_index(g) is not None]
        if len(flanks) == 2:
            a, b = sorted(t.cdna_of(g) for g in flanks)
            return f"{a}-{b}"
        return ""
    return _vep_span(*_ends(t, allele, _cdna_number))


def _hgvs_c(t: Transcript, allele: Allele, seq: SequenceSource | None) -> str:
    if seq is None and not allele.is_substitution:
        return ""
    if seq is not None:
        allele = shift_3prime(allele, t.strand, seq, t.start, t.end)
    return hgvs.coding_change(t, allele, seq)
