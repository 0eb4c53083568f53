"""Contig naming and genome-build detection."""

from __future__ import annotations

import pytest

from hftc_annot.assembly import (
    BuildEvidence,
    canonical_contig,
    check_contigs,
    contig_spellings,
    detect_build,
    read_contig_map,
    resolve_build,
    x_pseudoautosomal,
)
from hftc_annot.errors import InputError, UsageError


@pytest.mark.parametrize(("name", "canonical"), [
    ("chr2", "2"), ("2", "2"), ("chrX", "X"), ("X", "X"), ("chrM", "MT"), ("MT", "MT"), ("M", "MT"),
    ("CHR7", "7"), ("Chr7", "7"), ("chrUn_KI270302v1", "Un_KI270302v1"),
])
def test_canonical_contig(name: str, canonical: str) -> None:
    assert canonical_contig(name) == canonical


def test_spellings_cover_both_styles() -> None:
    assert contig_spellings("2")[:2] == ("2", "chr2")
    assert {"Chr2", "CHR2", "cHr2"} < set(contig_spellings("2")) and len(contig_spellings("2")) == 9
    assert {"MT", "M", "chrM", "chrMT", "ChrM", "CHRMT"} < set(contig_spellings("MT"))
    assert all(canonical_contig(name) == canonical for canonical in ("2", "X", "MT")
               for name in contig_spellings(canonical))


def test_detect_from_lengths() -> None:
    assert detect_build({"chr1": 248956422, "chr2": 242193529}, []).build == "GRCh38"
    assert detect_build({"1": 249250621, "MT": 16569}, []).build == "GRCh37"
    assert detect_build({"chrM": 16571, "chr1": 249250621}, []).build == "GRCh37"  # hg19 chrM ignored


def test_detect_from_reference_line_when_no_lengths() -> None:
    assert detect_build({"chr1": None}, ["##reference=file:///ref/hs37d5.fa"]).build == "GRCh37"
    assert detect_build({}, ["##reference=GRCh38_full_analysis_set.fa"]).build == "GRCh38"
    assert detect_build({}, ["##source=caller"]).build is None


@pytest.mark.parametrize(("line", "build"), [
    ("##reference=file:///bundle/Homo_sapiens_assembly38.fasta", "GRCh38"),  # GATK's resource bundle
    ("##reference=file:///bundle/Homo_sapiens_assembly19.fasta", "GRCh37"),
    ("##assembly=GCA_000001405.15", "GRCh38"),  # GRCh38, then its patches .p1-.p14
    ("##assembly=GCA_000001405.29", "GRCh38"),
    ("##assembly=GCF_000001405.40", "GRCh38"),
    ("##assembly=GCF_000001405.26", "GRCh38"),
    ("##assembly=GCA_000001405.1", "GRCh37"),  # GRCh37, then its patches .p1-.p13
    ("##assembly=GCA_000001405.14", "GRCh37"),
    ("##assembly=GCF_000001405.13", "GRCh37"),
    ("##assembly=GCF_000001405.25", "GRCh37"),
    ("##reference=file:///ref/GCA_000001405.15_no_alt_analysis_set.fna", "GRCh38"),
    ("##reference=file:///ref/GCF_000001405.25_genomic.fna", "GRCh37"),
    ("##reference=file:///ref/b37_decoy.fasta", "GRCh37"),
    ("##reference=file:///ref/hb37x.fasta", None),
    ("##assembly=GCF_000001405.12", None),  # NCBI build 36
    ("##assembly=GCA_000001405.30", None),
])
def test_assembly_accessions_and_bundle_names_tell_the_build(line: str, build: str | None) -> None:
    assert detect_build({}, [line]).build == build


def test_mixed_or_foreign_lengths_are_errors() -> None:
    with pytest.raises(UsageError, match="mix builds"):
        detect_build({"chr1": 248956422, "chr2": 243199373}, [])
    with pytest.raises(UsageError, match="mix builds [(]chr1 is GRCh38, chr2 is T2T-CHM13v2.0[)]"):
        detect_build({"chr1": 248956422, "chr2": 242696752}, [])
    with pytest.raises(UsageError, match=r"match none of GRCh38, GRCh37, T2T-CHM13v2.0 \(chr1 length=248387000\); "
                       "for another assembly give --build custom"):
        detect_build({"chr1": 248387000}, [])


def test_t2t_is_recognised_and_needs_the_users_models() -> None:
    evidence = detect_build({"chr1": 248387328, "chrX": 154259566, "chrM": 16569}, [])
    assert evidence == BuildEvidence("T2T-CHM13v2.0", "##contig lengths (2 contigs)")
    with pytest.raises(UsageError, match="x.vcf is T2T-CHM13v2.0 [(]from ##contig lengths [(]2 contigs[)][)], for "
                       "which hftc-annot ships no transcript models: give that assembly's --fasta"):
        resolve_build("auto", evidence, "x.vcf")
    assert resolve_build("auto", evidence, "x.vcf", own_models=True) == "T2T-CHM13v2.0"
    assert resolve_build("custom", evidence, "x.vcf") == "custom"


@pytest.mark.parametrize(("build", "inside", "outside"), [
    ("GRCh38", (10_001, 2_781_479, 155_701_383, 156_030_895), (10_000, 2_781_480, 155_701_382)),
    ("GRCh37", (60_001, 2_699_520, 154_931_044, 155_260_560), (60_000, 2_699_521, 155_260_561)),
    ("T2T-CHM13v2.0", (1, 2_394_410, 153_925_835, 154_259_566), (2_394_411, 153_925_834)),
    ("custom", (), (1, 1_000_000, 155_000_000)),
])
def test_pseudoautosomal_regions_on_chrx(build: str, inside: tuple[int, ...], outside: tuple[int, ...]) -> None:
    """PAR1 and PAR2 ends, and the bases just beyond them (T2T's were not known: a male's heterozygous call in its
    PAR1 was 'a sex or call error' and his flags there low)."""
    assert [x_pseudoautosomal(build, pos) for pos in inside] == [True] * len(inside)
    assert [x_pseudoautosomal(build, pos) for pos in outside] == [False] * len(outside)


def test_contigs_against_the_reference() -> None:
    reference = {"ctgA": 1000, "chr2": 500}
    check_contigs({"ctgA": 1000, "2": 500, "decoy": 7}, reference, "x.vcf", "ref.fa")
    check_contigs({}, reference, "x.vcf", "ref.fa")
    with pytest.raises(UsageError, match="x.vcf: contig 2 is 501 bp, but chr2 of ref.fa is 500 bp"):
        check_contigs({"ctgA": None, "2": 501}, reference, "x.vcf", "ref.fa")
    with pytest.raises(UsageError, match="x.vcf: none of its 1 contigs is in ref.fa [(]first: ctgB[)]"):
        check_contigs({"ctgB": 1000}, reference, "x.vcf", "ref.fa")


def test_contig_map(tmp_path) -> None:
    path = tmp_path / "map.tsv"
    path.write_text("# gff\tfasta\nNC_060925.1\tchr1\n\nNC_060926.1   chr2\n")
    assert read_contig_map(str(path)) == {"NC_060925.1": "chr1", "NC_060926.1": "chr2"}
    for text, message in (("a\tb\tc\n", "line 1: a contig map line needs two names"),
                          ("a b\na c\n", "line 2: contig a is mapped twice"), ("# only\n", "no contig names"),
                          (b"a \xff\n", "not UTF-8")):
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        with pytest.raises(InputError, match=message):
            read_contig_map(str(path))


def test_contig_map_byte_order_mark_and_bad_bytes(tmp_path) -> None:
    """A UTF-8 byte order mark (Windows editors) is no part of the first name; bytes that are not UTF-8 are named by
    their line (old Mac CR line ends count as line ends)."""
    path = tmp_path / "map.tsv"
    path.write_bytes(b"\xef\xbb\xbfNC_060925.1\tchr1\r\nNC_060926.1\tchr2\r\n")
    assert read_contig_map(str(path)) == {"NC_060925.1": "chr1", "NC_060926.1": "chr2"}
    path.write_bytes(b"NC_060925.1\tchr1\r# caf\xe9\rNC_060926.1\tchr2\r")
    with pytest.raises(InputError) as caught:
        read_contig_map(str(path))
    assert str(caught.value) == f"{path}: line 2: not UTF-8 text"


def test_resolve_build() -> None:
    detected = BuildEvidence("GRCh38", "##contig lengths")
    assert resolve_build("auto", detected, "x.vcf") == "GRCh38"
    assert resolve_build("GRCh38", detected, "x.vcf") == "GRCh38"
    assert resolve_build("GRCh37", BuildEvidence(None, "none"), "x.vcf") == "GRCh37"
    with pytest.raises(UsageError, match="contradicts"):
        resolve_build("GRCh37", detected, "x.vcf")
    with pytest.raises(UsageError, match="cannot tell the genome build"):
        resolve_build("auto", BuildEvidence(None, "none"), "x.vcf")
