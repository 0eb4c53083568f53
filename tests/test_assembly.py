"""Contig naming and genome-build detection."""

from __future__ import annotations

import pytest

from hftc_annot.assembly import BuildEvidence, canonical_contig, contig_spellings, detect_build, resolve_build
from hftc_annot.errors import UsageError


@pytest.mark.parametrize(("name", "canonical"), [
    ("chr2", "2"), ("2", "2"), ("chrX", "X"), ("X", "X"), ("chrM", "MT"), ("MT", "MT"), ("M", "MT"),
    ("CHR7", "7"), ("chrUn_KI270302v1", "Un_KI270302v1"),
])
def test_canonical_contig(name: str, canonical: str) -> None:
    assert canonical_contig(name) == canonical


def test_spellings_cover_both_styles() -> None:
    assert contig_spellings("2") == ("2", "chr2")
    assert set(contig_spellings("MT")) == {"MT", "M", "chrM", "chrMT"}


def test_detect_from_lengths() -> None:
    assert detect_build({"chr1": 248956422, "chr2": 242193529}, []).build == "GRCh38"
    assert detect_build({"1": 249250621, "MT": 16569}, []).build == "GRCh37"
    assert detect_build({"chrM": 16571, "chr1": 249250621}, []).build == "GRCh37"  # hg19 chrM ignored


def test_detect_from_reference_line_when_no_lengths() -> None:
    assert detect_build({"chr1": None}, ["##reference=file:///ref/hs37d5.fa"]).build == "GRCh37"
    assert detect_build({}, ["##reference=GRCh38_full_analysis_set.fa"]).build == "GRCh38"
    assert detect_build({}, ["##source=caller"]).build is None


def test_mixed_or_foreign_lengths_are_errors() -> None:
    with pytest.raises(UsageError, match="mix builds"):
        detect_build({"chr1": 248956422, "chr2": 243199373}, [])
    with pytest.raises(UsageError, match="neither GRCh38 nor GRCh37"):
        detect_build({"chr1": 248387328}, [])  # T2T-CHM13 chr1


def test_resolve_build() -> None:
    detected = BuildEvidence("GRCh38", "##contig lengths")
    assert resolve_build("auto", detected, "x.vcf") == "GRCh38"
    assert resolve_build("GRCh38", detected, "x.vcf") == "GRCh38"
    assert resolve_build("GRCh37", BuildEvidence(None, "none"), "x.vcf") == "GRCh37"
    with pytest.raises(UsageError, match="contradicts"):
        resolve_build("GRCh37", detected, "x.vcf")
    with pytest.raises(UsageError, match="cannot tell the genome build"):
        resolve_build("auto", BuildEvidence(None, "none"), "x.vcf")
