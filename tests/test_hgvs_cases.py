"""Hand-checked consequences and HGVS on a designed SYNTHETIC transcript, on both strands.

The contig `chrS` (1,000 bp) is made up for this test. Transcript SYN (NM_SYN.1 / NP_SYN.1):
exon 1 101-160 (5' UTR 101-130, CDS from 131), exon 2 261-350, exon 3 451-600 (CDS to 489), so
c.N = 130 + N in exon 1, c.30+1 = 161, c.31 = 261. Codons: 1 ATG Met, 2 TTG Leu, 3 AAG Lys,
4 GAG Glu, 5 GAG Glu, 6 TGG Trp, 7 AGC Ser, 8-10 GCT; 11 AAA Lys, 12 AAA Lys, 13 CTA Leu, 14 AGC Ser,
15-40 GCT; 41-52 GCT; 53 TAA; 3' UTR GCTGCTTGA... The minus-strand copy is the reverse complement of
the whole contig, so every c./p. description must come out the same.
"""

from __future__ import annotations

import dataclasses

import pytest

from hftc_annot.consequence.alleles import minimal
from hftc_annot.consequence.predict import CodingSequence, predict
from hftc_annot.consequence.sequence import MemorySource, reverse_complement
from hftc_annot.consequence.transcripts import Transcript

LENGTH = 1000


def designed_contig() -> str:
    seq = ["C"] * LENGTH

    def put(start: int, text: str) -> None:
        seq[start - 1:start - 1 + len(text)] = text

    cds = "ATG" "TTG" "AAG" "GAG" "GAG" "TGG" "AGC" + "GCT" * 3 + "AAA" "AAA" "CTA" "AGC" + "GCT" * 38 + "TAA"
    assert len(cds) == 159
    put(101, "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCC")  # 5' UTR (c.-30 .. c.-1)
    put(131, cds[:30])
    put(161, "GT" + "C" * 96 + "AG")  # intron 1
    put(261, cds[30:120])
    put(351, "GT" + "C" * 96 + "AG")  # intron 2
    put(451, cds[120:])
    put(490, "GCTGCTTGA" + "C" * 102)  # 3' UTR
    return "".join(seq)


def transcript(strand: int) -> Transcript:
    exons = ((101, 160), (261, 350), (451, 600))
    cds = (131, 489)
    if strand == -1:
        exons = tuple((LENGTH + 1 - e, LENGTH + 1 - s) for s, e in exons)
        cds = (LENGTH + 1 - cds[1], LENGTH + 1 - cds[0])
    return Transcript("ENSTSYN.1", "NM_SYN.1", "NP_SYN.1", "SYN", "chrS", strand, exons, cds, ("MANE_Select",))


def to_strand(strand: int, pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """A plus-strand VCF allele expressed on the mirrored (minus-strand) contig, left-anchored."""
    if strand == 1:
        return pos, ref, alt
    end = pos + len(ref) - 1
    mirrored_start = LENGTH + 1 - end
    ref_m, alt_m = reverse_complement(ref), reverse_complement(alt)
    if len(ref) != len(alt):  # re-anchor on the left, as VCF wants
        contig = reverse_complement(designed_contig())
        anchor = contig[mirrored_start - 2]
        return mirrored_start - 1, anchor + ref_m[:-1], anchor + alt_m[:-1]
    return mirrored_start, ref_m, alt_m


CASES = [
    # (plus-strand VCF pos, REF, ALT, terms, HGVS c., HGVS p.)
    (131, "A", "G", ("start_lost",), "c.1A>G", "p.(Met1?)"),
    (136, "G", "A", ("synonymous_variant",), "c.6G>A", "p.(Leu2=)"),
    (147, "G", "A", ("stop_gained",), "c.17G>A", "p.(Trp6Ter)"),
    (150, "G", "T", ("missense_variant",), "c.20G>T", "p.(Ser7Ile)"),
    (149, "AG", "TT", ("missense_variant",), "c.19_20delinsTT", "p.(Ser7Phe)"),
    (487, "T", "C", ("stop_lost",), "c.157T>C", "p.(Ter53GlnextTer3)"),
    (489, "A", "G", ("stop_retained_variant",), "c.159A>G", "p.(Ter53=)"),
    (139, "GGAG", "G", ("inframe_deletion",), "c.13_15del", "p.(Glu5del)"),
    (139, "G", "GGAG", ("inframe_insertion",), "c.13_15dup", "p.(Glu5dup)"),
    (140, "GAGGAG", "GAT", ("protein_altering_variant",), "c.12_15delinsT", "p.(Glu4_Glu5delinsAsp)"),
    (148, "G", "GCCC", ("inframe_insertion",), "c.18_19insCCC", "p.(Trp6_Ser7insPro)"),
    (260, "GA", "G", ("frameshift_variant", "splice_region_variant"), "c.36del", "p.(Lys12AsnfsTer2)"),
    (161, "G", "A", ("splice_donor_variant",), "c.30+1G>A", ""),
    (260, "G", "A", ("splice_acceptor_variant",), "c.31-1G>A", ""),
    (165, "C", "A", ("splice_donor_5th_base_variant", "intron_variant"), "c.30+5C>A", ""),
    (163, "C", "A", ("splice_donor_region_variant", "intron_variant"), "c.30+3C>A", ""),
    (255, "C", "A", ("splice_region_variant", "splice_polypyrimidine_tract_variant", "intron_variant"),
     "c.31-6C>A", ""),
    (210, "C", "A", ("intron_variant",), "c.30+50C>A", ""),
    # an insertion between the 2nd and 3rd intron base of either end is intronic as well as in the splice region
    # (ensembl-variation BaseTranscriptVariation.pm, _intron_effects: intronic for an insertion with
    # vf_start == intron_start+2 or vf_end == intron_end-2)
    (162, "T", "TA", ("splice_region_variant", "intron_variant"), "c.30+2_30+3insA", ""),
    (258, "C", "CT", ("splice_region_variant", "intron_variant"), "c.31-3_31-2insT", ""),
    (211, "C", "A", ("intron_variant",), "c.31-50C>A", ""),
    (159, "C", "A", ("missense_variant", "splice_region_variant"), "c.29C>A", "p.(Ala10Asp)"),
    # an insertion in an exon is in the splice region only when both its flanking bases are among the 3 exon bases
    # next to the intron (ensembl-variation VariationEffect.pm, _intron_overlap: overlap of the insertion, start =
    # end + 1, with intron_start-3..intron_start-1 or intron_end+1..intron_end+3)
    (158, "G", "GA", ("frameshift_variant", "splice_region_variant"), "c.28_29insA", "p.(Ala10AspfsTer2)"),
    (157, "T", "TA", ("frameshift_variant",), "c.27_28insA", "p.(Ala10SerfsTer2)"),
    (263, "A", "AT", ("frameshift_variant",), "c.33_34insT", "p.(Lys12Ter)"),
    (126, "C", "T", ("5_prime_UTR_variant",), "c.-5C>T", ""),
    (128, "CCCAT", "C", ("start_lost", "5_prime_UTR_variant"), "c.-2_2del", "p.(Met1?)"),
    (486, "TTAAGC", "T", ("stop_lost", "3_prime_UTR_variant"), "c.158_*3del", "p.(Ter53CysextTer?)"),
    # the HGVS shift crosses into the intron; the terms stay those of the VCF position
    (158, "GCTGT", "G", ("splice_donor_variant", "coding_sequence_variant"), "c.30_30+3del", ""),
    (499, "C", "T", ("3_prime_UTR_variant",), "c.*10C>T", ""),
    # indels around the stop that leave the protein as it was: the stop is retained, nothing is gained or shifted
    (486, "T", "TTAA", ("stop_retained_variant",), "c.157_159dup", "p.(Ter53=)"),
    (486, "T", "TTGA", ("stop_retained_variant",), "c.157_158insGAT", "p.(Ter53=)"),
    (487, "T", "TAAG", ("stop_retained_variant",), "c.158_*1dup", "p.(Ter53=)"),
    (487, "TA", "T", ("stop_retained_variant",), "c.159del", "p.(Ter53=)"),
    (488, "A", "AC", ("frameshift_variant", "stop_lost"), "c.158_159insC", "p.(Ter53TyrextTer?)"),
    # indels at the start codon: an ATG kept in place or moved by the change starts the same protein
    (131, "A", "AA", ("start_retained_variant",), "c.1dup", "p.(Met1=)"),
    (132, "T", "TCAT", ("start_retained_variant",), "c.-1_2dup", "p.(Met1=)"),
    (130, "CA", "C", ("frameshift_variant", "start_lost"), "c.1del", "p.(Met1?)"),
    (131, "A", "AAT", ("frameshift_variant", "start_lost"), "c.1_2insAT", "p.(Met1?)"),
]


@pytest.mark.parametrize("strand", [1, -1])
@pytest.mark.parametrize(("pos", "ref", "alt", "terms", "hgvs_c", "hgvs_p"), CASES)
def test_designed_case(strand: int, pos: int, ref: str, alt: str, terms: tuple[str, ...], hgvs_c: str,
                       hgvs_p: str) -> None:
    contig = designed_contig() if strand == 1 else reverse_complement(designed_contig())
    source = MemorySource({"chrS": contig}, "synthetic chrS")
    t = transcript(strand)
    coding = CodingSequence(t, source)
    assert coding.protein.startswith("MLKEEWSAAAKKLS") and coding.protein.endswith("*") and len(coding.protein) == 53
    p, r, a = to_strand(strand, pos, ref, alt)
    assert contig[p - 1:p - 1 + len(r)] == r
    result = predict(t, minimal("chrS", p, r, a), source, coding)
    assert result.terms == terms
    assert result.hgvs_c == f"NM_SYN.1:{hgvs_c}"
    assert result.hgvs_p == (f"NP_SYN.1:{hgvs_p}" if hgvs_p else "")


@pytest.mark.parametrize("strand", [1, -1])
def test_without_sequence_only_coordinates(strand: int) -> None:
    t = transcript(strand)
    cases = [(147, "G", "A", ("coding_sequence_variant",), "c.17G>A"),
             (260, "GA", "G", ("frameshift_variant", "splice_region_variant"), ""),
             (161, "G", "A", ("splice_donor_variant",), "c.30+1G>A")]
    for pos, ref, alt, terms, hgvs_c in cases:
        p, r, a = to_strand(strand, pos, ref, alt)
        result = predict(t, minimal("chrS", p, r, a), None, None)
        assert (result.terms, result.hgvs_c) == (terms, f"NM_SYN.1:{hgvs_c}" if hgvs_c else "")


def test_single_exon_transcript_has_no_splice_terms() -> None:
    contig = designed_contig()
    cds = contig[130:160] + contig[260:350] + contig[450:489]
    single = "C" * 100 + "CCCCC" + cds + "GCTGCTTGA" + "C" * 100
    source = MemorySource({"chrO": single}, "synthetic chrO")
    t = Transcript("ENSTONE.1", "NM_ONE.1", "NP_ONE.1", "ONE", "chrO", 1, ((101, 280),), (106, 264))
    coding = CodingSequence(t, source)
    assert coding.protein == CodingSequence(transcript(1), MemorySource({"chrS": contig})).protein
    first = predict(t, minimal("chrO", 106, "A", "G"), source, coding)
    assert (first.terms, first.hgvs_c, first.exon) == (("start_lost",), "NM_ONE.1:c.1A>G", "1/1")
    utr = predict(t, minimal("chrO", 101, "C", "T"), source, coding)
    assert utr.terms == ("5_prime_UTR_variant",) and utr.hgvs_c == "NM_ONE.1:c.-5C>T"
    last = predict(t, minimal("chrO", 280, "C", "T"), source, coding)
    assert last.terms == ("3_prime_UTR_variant",) and last.hgvs_c == "NM_ONE.1:c.*16C>T"


def test_up_and_downstream_and_far_away() -> None:
    t = transcript(1)
    assert predict(t, minimal("chrS", 96, "C", "A"), None, None).terms == ("upstream_gene_variant",)
    assert predict(t, minimal("chrS", 700, "C", "A"), None, None).terms == ("downstream_gene_variant",)
    minus = transcript(-1)
    assert predict(minus, minimal("chrS", 96, "C", "A"), None, None).terms == ("downstream_gene_variant",)
    far = Transcript("T.1", "", "", "G", "chrS", 1, ((10000, 10100),), (10010, 10090))
    assert predict(far, minimal("chrS", 4000, "C", "A"), None, None) is None


def test_every_hgvs_string_parses_with_the_biocommons_grammar() -> None:
    parser_module = pytest.importorskip("hgvs.parser", reason="biocommons hgvs is not installed (.ci/run installs it)")
    validator_module = pytest.importorskip("hgvs.validator")
    parser = parser_module.Parser()
    validator = validator_module.IntrinsicValidator(strict=False)
    strings = [f"NM_SYN.1:{c}" for *_, c, _ in CASES] + [f"NP_SYN.1:{p}" for *_, p in CASES if p]
    for text in strings:
        variant = parser.parse_hgvs_variant(text)
        assert str(variant) == text
        if variant.type == "c":
            assert validator.validate(variant)


NON_CODING_CASES = [
    # the same exons without a CDS (a non-coding RNA, n. numbering: exon 1 n.1-60, exon 2 n.61-150, exon 3 n.151-300);
    # VEP: exonic: non_coding_transcript_exon_variant; elsewhere inside the transcript: non_coding_transcript_variant
    (147, "G", "A", ("non_coding_transcript_exon_variant",), "n.47G>A"),
    (126, "C", "T", ("non_coding_transcript_exon_variant",), "n.26C>T"),
    (499, "C", "T", ("non_coding_transcript_exon_variant",), "n.199C>T"),
    (159, "C", "A", ("splice_region_variant", "non_coding_transcript_exon_variant"), "n.59C>A"),
    (161, "G", "A", ("splice_donor_variant", "non_coding_transcript_variant"), "n.60+1G>A"),
    (165, "C", "A", ("splice_donor_5th_base_variant", "intron_variant", "non_coding_transcript_variant"), "n.60+5C>A"),
    (210, "C", "A", ("intron_variant", "non_coding_transcript_variant"), "n.60+50C>A"),
    (211, "C", "A", ("intron_variant", "non_coding_transcript_variant"), "n.61-50C>A"),
    (260, "GA", "G", ("splice_region_variant", "non_coding_transcript_exon_variant"), "n.66del"),
]


@pytest.mark.parametrize("strand", [1, -1])
@pytest.mark.parametrize(("pos", "ref", "alt", "terms", "hgvs_n"), NON_CODING_CASES)
def test_non_coding_transcript(strand: int, pos: int, ref: str, alt: str, terms: tuple[str, ...], hgvs_n: str) -> None:
    contig = designed_contig() if strand == 1 else reverse_complement(designed_contig())
    source = MemorySource({"chrS": contig}, "synthetic chrS")
    t = dataclasses.replace(transcript(strand), id="ENSTSYNNC.1", refseq="NR_SYN.1", protein="", cds=None, tags=())
    p, r, a = to_strand(strand, pos, ref, alt)
    assert contig[p - 1:p - 1 + len(r)] == r
    result = predict(t, minimal("chrS", p, r, a), source, None)
    assert (result.terms, result.hgvs_c, result.hgvs_p, result.impact) == \
        (terms, f"NR_SYN.1:{hgvs_n}", "", "HIGH" if "splice_donor_variant" in terms else
         ("LOW" if terms[0].startswith("splice") else "MODIFIER"))
    assert (result.cds_position, result.protein_position, result.protein_unknown) == ("", "", False)


@pytest.mark.parametrize("strand", [1, -1])
def test_codon_with_n_in_the_reference_has_an_unknown_protein_effect(strand: int) -> None:
    """An N (or IUPAC letter) in the changed codons was an internal error (KeyError 'X'), or a confident protein
    change: the protein effect is unknown, said by the impact; a frameshift stays one (its length says so), without
    HGVS p."""
    plus = designed_contig()
    plus = plus[:136] + "N" + plus[137:]  # c.7 (codon 3, AAG) is N in this SYNTHETIC reference
    contig = plus if strand == 1 else reverse_complement(plus)
    source = MemorySource({"chrS": contig}, "synthetic chrS with N")
    t = transcript(strand)
    coding = CodingSequence(t, source)
    for pos, ref, alt in ((138, "A", "G"), (137, "N", "A"), (137, "N", "NATG")):
        p, r, a = to_strand(strand, pos, ref, alt)
        result = predict(t, minimal("chrS", p, r, a), source, coding)
        assert (result.terms, result.impact, result.hgvs_p, result.protein_unknown) == (
            ("coding_sequence_variant",), "UNKNOWN", "", True), (pos, ref, alt)
    p, r, a = to_strand(strand, 137, "N", "NA")  # a frameshift whatever the bases: its length says so
    shifted = predict(t, minimal("chrS", p, r, a), source, coding)
    assert (shifted.terms, shifted.impact, shifted.hgvs_p) == (("frameshift_variant",), "HIGH", "")


POSITION_CASES = [
    # (plus-strand VCF pos, REF, ALT, cDNA, CDS and protein positions): an end of the change whose base is off the
    # exons (an intron, beyond the transcript) or off the CDS (a UTR) is '?', as VEP writes it (format_coords in
    # ensembl-vep Bio/EnsEMBL/VEP/Utils.pm; the ends are those of the first and last mapped pieces, a gap giving
    # none: cdna_start in ensembl-variation BaseTranscriptVariation.pm)
    (158, "GCTGT", "G", "59-?", "29-?", "10-?"),  # c.29 to c.30+2
    (258, "CAGA", "C", "?-61", "?-31", "?-11"),  # c.31-2 to c.31
    (128, "CCCAT", "C", "29-32", "?-2", "?-1"),  # c.-2 to c.2
    (486, "TTAAGC", "T", "187-191", "157-?", "53-?"),  # c.157 to c.*2
    (95, "CCCCCCCC", "C", "?-2", "", ""),  # 5 bases before the transcript and its first 2
    (484, "CTTAA", "C", "185-188", "155-158", "52-53"),  # inside the CDS: both ends known
]


@pytest.mark.parametrize("strand", [1, -1])
@pytest.mark.parametrize(("pos", "ref", "alt", "cdna", "cds", "protein"), POSITION_CASES)
def test_positions_of_a_change_reaching_off_the_exons_or_the_cds(strand: int, pos: int, ref: str, alt: str, cdna: str,
                                                                 cds: str, protein: str) -> None:
    contig = designed_contig() if strand == 1 else reverse_complement(designed_contig())
    source = MemorySource({"chrS": contig}, "synthetic chrS")
    t = transcript(strand)
    p, r, a = to_strand(strand, pos, ref, alt)
    result = predict(t, minimal("chrS", p, r, a), source, CodingSequence(t, source))
    assert (result.cdna_position, result.cds_position, result.protein_position) == (cdna, cds, protein)
