"""The shipped example VCFs: exact counts per example, and the indexed and streamed routes agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import body, run_cli, table

EXAMPLES = Path(__file__).resolve().parents[1] / "example_vcfs"


@pytest.mark.parametrize(("name", "panel_records", "rows", "genes"), [
    ("single_exome.vcf", 26, 27, {"GALNT3", "FGF23", "KL", "ENPP1", "ABCC6"}),
    ("trio.vcf", 6, 11, {"GALNT3", "FGF23", "ENPP1", "PHEX"}),
    ("grch37_exome.vcf", 8, 8, {"GALNT3", "FGF23", "ENPP1", "ABCC6"}),
    ("multiallelic.vcf", 4, 14, {"GALNT3", "ABCC6", "FGF23", "PHEX"}),
])
def test_example(name: str, panel_records: int, rows: int, genes: set[str]) -> None:
    result = run_cli(EXAMPLES / name)
    assert result.code == 0, result.err
    assert f" {panel_records} in panel regions" in result.err
    found = table(result.out)
    assert len(found) == rows
    assert {r["gene"] for r in found} == genes


def test_trio_compound_het_and_homozygous_rows() -> None:
    rows = table(run_cli(EXAMPLES / "trio.vcf", "--genes", "GALNT3").out)
    assert sorted((r["pos"], r["sample"], r["genotype"]) for r in rows) == [
        ("165754626", "CHILD", "1/1"), ("165754626", "FATHER", "0/1"), ("165754626", "MOTHER", "0/1"),
        ("165759516", "CHILD", "0/1"), ("165759516", "MOTHER", "0/1"),
        ("165770217", "CHILD", "0/1"), ("165770217", "FATHER", "0/1"),
    ]


def test_three_alt_site_is_read_per_allele() -> None:
    rows = table(run_cli(EXAMPLES / "multiallelic.vcf", "--genes", "GALNT3").out)
    assert sorted((r["alt"], r["sample"], r["genotype"], r["zygosity"], r["ad"]) for r in rows) == [
        ("A", "SAMPLE1", "0/1", "het", "21,23"), ("A", "SAMPLE2", "1/2", "het", "0,15"),
        ("A", "SAMPLE4", "./1", "partial", "0,33"), ("C", "SAMPLE2", "1/2", "het", "0,26"),
        ("C", "SAMPLE3", "2/3", "het", "0,16"), ("G", "SAMPLE3", "2/3", "het", "0,21"),
    ]


def test_indexed_and_streamed_examples_agree() -> None:
    streamed = run_cli(EXAMPLES / "single_exome.vcf")
    indexed = run_cli(EXAMPLES / "single_exome.vcf.gz")
    assert "streamed" in streamed.err and "indexed" in indexed.err
    assert body(streamed.out) == body(indexed.out)
