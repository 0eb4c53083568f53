"""Evidence tiers (not an ACMG classification): every rule of tiers.tsv, row order, spreadsheet safety."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hftc_annot.knowledge.tiers import Facts, rules, tier

from conftest import run_cli, table, vcf_text

PLP = ("Pathogenic", "2")


@pytest.mark.parametrize(("facts", "expected"), [
    (Facts(("intron_variant",), *PLP, False, None, True), "1"),
    (Facts(("stop_gained",), "", "", True, 0.0001, True), "1"),
    (Facts(("intron_variant",), *PLP, False, None, False), "2"),
    (Facts(("missense_variant",), "", "", True, None, False), "2"),
    (Facts(("frameshift_variant",), "", "", False, None, False), "2"),
    (Facts(("splice_region_variant", "synonymous_variant"), "", "", False, None, False), "3"),
    (Facts(("stop_gained",), "", "", True, 0.2, True), "."),            # common: no tier
    (Facts(("missense_variant",), "Pathogenic", "1", True, 0.2, True), "."),  # 1 star is not enough
    (Facts(("synonymous_variant",), "", "", True, None, True), "."),
    (Facts(("intron_variant",), "Benign", "2", True, None, True), "."),
])
def test_each_rule(facts: Facts, expected: str) -> None:
    assert tier(facts)[0] == expected


def test_rules_are_data_in_order() -> None:
    assert [r.tier for r in rules()] == ["1", "1", "2", "2", "2", "2", "2", "3"]
    assert tier(Facts(("stop_gained",), "", "", True, 0.02, True), rare_limit=0.05)[0] == "1"


def test_formula_and_html_injection_are_defused(tmp: Path) -> None:
    path = tmp / "in.vcf"
    text = vcf_text(["chr2 165754626 =HYPERLINK(1) C T 50 PASS . GT 1/1 1/1"], samples=("=cmd|x", "@SUM"))
    path.write_text(text)
    result = run_cli(path)
    assert result.code == 0, result.err
    rows = table(result.out)
    assert [r["sample"] for r in rows] == ["'=cmd|x", "'@SUM"]
    assert {r["id"] for r in rows} == {"'=HYPERLINK(1)"}
    assert rows[0]["evidence_tier"] == "1" and rows[0]["clinvar_id"] == "7801"


def test_spreadsheet_escaping_only_in_the_tsv(tmp: Path) -> None:
    """JSON and HTML show the input's cells as they are: the apostrophe is for spreadsheets only."""
    path = tmp / "in.vcf"
    path.write_text(vcf_text(["chr2 165754626 =HYPERLINK(1) C T 50 PASS . GT 1/1 1/1"], samples=("=cmd|x", "<b>S2")))
    as_json = run_cli(path, "--format", "json")
    assert as_json.code == 0, as_json.err
    rows = json.loads(as_json.out)["rows"]
    assert [(r["sample"], r["id"]) for r in rows] == [("=cmd|x", "=HYPERLINK(1)"), ("<b>S2", "=HYPERLINK(1)")]
    html = run_cli(path, "--format", "html").out
    assert "<div>=cmd|x</div>" in html and "<div>&lt;b&gt;S2</div>" in html  # the findings' sample lines
    assert "'=" not in html and "<b>S2" not in html


def test_every_cell_from_the_input_is_defused(tmp: Path) -> None:
    """A --panel's group and the input's own text (--consequences from-input) reach the TSV too; they were written
    raw. Our own cells never start like a formula and are unchanged."""
    panel = tmp / "panel.tsv"
    panel.write_text("gene\tinheritance\tgroup\tdisorders\nGALNT3\tAR\t=cmd|x\t+disorder\n")
    csq = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: '
           'Allele|Consequence|IMPACT|SYMBOL|Feature|EXON|Codons">')
    path = tmp / "in.vcf"
    path.write_text(vcf_text(["chr2 165754626 . C T 50 PASS CSQ=T|missense_variant|MODERATE|GALNT3|ENST00000392701|"
                              "-1+1|@SUM(1) GT 1/1"], extra_header=(csq,)))
    result = run_cli(path, "--panel", panel, "--consequences", "from-input")
    assert result.code == 0, result.err
    row = table(result.out)[0]
    assert (row["panel_group"], row["exon"], row["codons"]) == ("'=cmd|x", "'-1+1", "'@SUM(1)")
    assert (row["gene"], row["consequence"], row["zygosity"], row["clinvar_id"]) == (
        "GALNT3", "missense_variant", "hom_alt", "7801")
