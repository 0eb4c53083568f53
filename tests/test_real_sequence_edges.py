"""Consequences and HGVS at the start and stop codons of COL1A1 (minus strand) and COL1A2 (plus strand), on their REAL
genomic sequence (tests/data/lrg_col1a1_col1a2.fa.gz: LRG_1 and LRG_2, which equal GRCh38) and the shipped MANE Select
models. Variants are written at their GRCh38 positions, as a VCF would give them. Each protein was derived by hand
from the sequence (shown beside the case) and checked with the biocommons HGVS grammar.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest

from hftc_annot.consequence.alleles import minimal
from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.consequence.haplotype import combined, member_changes
from hftc_annot.consequence.predict import CodingSequence, predict
from hftc_annot.consequence.sequence import reverse_complement
from hftc_annot.consequence.transcripts import Transcript

from oracle.harness import LRG_PLACEMENTS, read_fasta

ROOT = Path(__file__).resolve().parents[1]


@cache
def gene(symbol: str) -> tuple[Transcript, _Span, CodingSequence]:
    """The gene's MANE Select transcript on its GRCh38 chromosome, over a source that holds only its LRG span."""
    place = LRG_PLACEMENTS[symbol]
    lrg = read_fasta(ROOT / "tests" / "data" / "lrg_col1a1_col1a2.fa.gz")[place.lrg]
    forward = lrg if place.strand == "+" else reverse_complement(lrg)
    source = _Span(place.chrom, place.start, forward)
    (t,) = [t for t in read_transcripts(str(ROOT / "resources" / "mane_select.GRCh38.gff3"), genes={symbol})
            if "MANE_Select" in t.tags]
    return t, source, CodingSequence(t, source)


@dataclasses.dataclass
class _Span:
    """Real sequence of one chromosome from `first` on (1-based); positions outside it read as N."""

    chrom: str
    first: int
    bases: str
    name: str = "LRG span"

    def length(self, chrom: str) -> int | None:
        return self.first + len(self.bases) - 1 if chrom == self.chrom else None

    def fetch(self, chrom: str, start: int, end: int) -> str:
        assert chrom == self.chrom
        inside = self.bases[max(0, start - self.first):max(0, end - self.first + 1)]
        return "N" * max(0, min(end + 1, self.first) - start) + inside + "N" * max(0, end - self.length(chrom))


def consequence(symbol: str, pos: int, ref: str, alt: str):
    t, source, coding = gene(symbol)
    assert source.fetch(t.chrom, pos, pos + len(ref) - 1) == ref
    return predict(t, minimal(t.chrom, pos, ref, alt), source, coding)


def test_the_real_proteins() -> None:
    assert gene("COL1A1")[2].protein[:6] == "MFSFVD" and gene("COL1A1")[2].protein[-5:] == "VCFL*"
    assert gene("COL1A2")[2].protein[:6] == "MLSFVD" and gene("COL1A2")[2].protein[-5:] == "VCFK*"


START_CASES = [
    # An insertion after c.1 that keeps ATG in place and repeats the start further on: translation begins at the
    # first ATG, so the protein gains residues (it is not p.(Met1=), which reading from the repeated copy would say).
    # COL1A1 c.1-9 ATG TTC AGC; c.2_7dup: ATG TTC ATG TTC AGC = Met Phe Met Phe Ser.
    ("COL1A1", 50201512, "A", "ATGAACA", ("inframe_insertion", "start_retained_variant"), "c.2_7dup",
     "p.(Met1_Phe2dup)"),
    # COL1A2 c.-4..c.9 CTAG ACA ATG CTC AGC; c.-4_5dup after c.1: A TGCTAGACA TGCTCAGC = Met Leu Asp Met Leu Ser.
    ("COL1A2", 94395032, "A", "ATGCTAGACA", ("inframe_insertion", "start_retained_variant"), "c.-4_5dup",
     "p.(Leu2_Ser3insAspMetLeu)"),
    # COL1A2 c.1_3dup written after c.2: ATG ATG CTC = Met Met Leu.
    ("COL1A2", 94395033, "T", "TGAT", ("inframe_insertion", "start_retained_variant"), "c.1_3dup", "p.(Met1dup)"),
    # The ATG moved by the change, none left in place: the same protein (c.1dup: AATG).
    ("COL1A2", 94395032, "A", "AA", ("start_retained_variant",), "c.1dup", "p.(Met1=)"),
]


STOP_CASES = [
    # COL1A2 c.4090-4101 and 3' UTR: GTC TGT TTC AAA TAA | ATG AAC TCA ATC TAA (... Val Cys Phe Lys1366 Ter1367).
    # AAA TAA -> AAC TGA: Lys to Asn and a stop still in place: the stop is not part of the change.
    ("COL1A2", 94430390, "ATA", "CTG", ("missense_variant", "stop_retained_variant"), "c.4098_4100delinsCTG",
     "p.(Lys1366Asn)"),
    # GAT CAA ATG AAC TCA ATC TAA: the stop codon is gone with Lys1366 and the protein runs into the 3' UTR; HGVS
    # (varnomen, extension: a change upstream of the stop that extends the protein is a frame shift): Asp is residue 1
    # of the new sequence, Ter residue 7.
    ("COL1A2", 94430388, "AAAT", "GATC", ("stop_lost",), "c.4096_4099delinsGATC", "p.(Lys1366AspfsTer7)"),
    # AAA TAA deleted: TTC ATG AAC TCA ATC TAA = Phe Met Asn Ser Ile Ter.
    ("COL1A2", 94430387, "CAAATAA", "C", ("stop_lost", "inframe_deletion"), "c.4097_*1del", "p.(Lys1366MetfsTer5)"),
    # the stop codon alone changed: an extension (CAA ATG AAC TCA ATC TAA).
    ("COL1A2", 94430391, "T", "C", ("stop_lost",), "c.4099T>C", "p.(Ter1367GlnextTer5)"),
    # COL1A1 (minus strand) c.4387-4395 and 3' UTR: TTC CTG TAA | ACT CCC TCC ATC CCA ACC TGG ...; c.4391_4393del
    # leaves C+AA = Gln, then the UTR read in frame: 26 more residues (ThrProSerIle...SerAsnProAsn, the same tail
    # biocommons hgvs builds) and a stop.
    ("COL1A1", 50185503, "TACA", "T", ("stop_lost", "inframe_deletion"), "c.4391_4393del", "p.(Leu1464GlnfsTer28)"),
    # A copy of the last codons and the stop, put inside Phe1463 (TTC: T|TC) by the VCF: T TCCTGTAAA TC CTG TAA reads
    # Phe Leu Ter and ends the same protein (it was stop_gained&inframe_insertion p.(Phe1463_Leu1464insLeuTer): the
    # whole protein was compared only for changes in the last two codons).
    ("COL1A1", 50185509, "A", "ATTTACAGGA", ("stop_retained_variant",), "c.4388_*1dup", "p.(Ter1465=)"),
    # the same with 14 bases (TGC: T|GC, then GCTTCCTGTAAACT): not a frameshift, the protein is unchanged (was p.?).
    ("COL1A1", 50185512, "C", "CAGTTTACAGGAAGC", ("stop_retained_variant",), "c.4385_*3dup", "p.(Ter1465=)"),
]


@pytest.mark.parametrize(("symbol", "pos", "ref", "alt", "terms", "hgvs_c", "hgvs_p"), START_CASES + STOP_CASES)
def test_start_and_stop_codon(symbol: str, pos: int, ref: str, alt: str, terms: tuple[str, ...], hgvs_c: str,
                              hgvs_p: str) -> None:
    result = consequence(symbol, pos, ref, alt)
    t = gene(symbol)[0]
    assert (result.terms, result.hgvs_c, result.hgvs_p) == (terms, f"{t.refseq}:{hgvs_c}", f"{t.protein}:{hgvs_p}")


def test_a_frameshift_pair_in_cis_that_removes_the_stop_codon_names_the_extension() -> None:
    """c.4094del shifts the frame, c.4100_4101insG restores it past the stop: TCA AAT AGA ATG AAC TCA ATC TAA = Ser
    Asn Arg Met Asn Ser Ile Ter from residue 1365 on (it named Phe1365_Ter1367delinsSerAsnArg, without the tail)."""
    t, source, coding = gene("COL1A2")
    changes = [minimal(t.chrom, 94430385, "TT", "T"), minimal(t.chrom, 94430392, "A", "AG")]
    result = combined(t, coding, changes, member_changes(t, source, changes))
    assert (result.terms, result.hgvs_c, result.hgvs_p) == (
        ("stop_lost",), "NM_000089.4:c.[4094del;4100_4101insG]", "NP_000080.2:p.(Phe1365SerfsTer8)")


def test_every_hgvs_string_parses_with_the_biocommons_grammar() -> None:
    parser = pytest.importorskip("hgvs.parser", reason="biocommons hgvs is not installed").Parser()
    for symbol, *_, hgvs_c, hgvs_p in START_CASES + STOP_CASES:
        t = gene(symbol)[0]
        for text in (f"{t.refseq}:{hgvs_c}", f"{t.protein}:{hgvs_p}"):
            assert str(parser.parse_hgvs_variant(text)) == text
