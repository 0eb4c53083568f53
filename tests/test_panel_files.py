"""--panel files as labs bring them: hand-edited copies of 'hftc-annot panel --format tsv' (tests/data/panels)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, table

REPO = Path(__file__).resolve().parents[1]
PANELS = REPO / "tests" / "data" / "panels"
EXOME = REPO / "example_vcfs" / "single_exome.vcf"


def test_a_shipped_gene_named_by_its_hgnc_id_is_that_gene() -> None:
    """HGNC ids (any letter case) were 'HGNC:4125 is not a shipped panel gene, so it needs a transcript model'."""
    result = run_cli(EXOME, "-q", "--panel", PANELS / "hgnc_ids.tsv")
    assert result.code == 0, result.err
    rows = table(result.out)
    assert sorted({(r["gene"], r["hgnc_id"], r["panel_group"]) for r in rows}) == [
        ("ABCC6", "HGNC:57", "ectopic calcification"), ("GALNT3", "HGNC:4125", "mine")]
    assert "## genes: GALNT3,ABCC6\n" in result.out
    # the file's modes: GALNT3 AD (shipped AR), ABCC6 AR (shipped AR;AD)
    assert sorted({(r["gene"], r["inheritance_flags"]) for r in rows}) == [
        ("ABCC6", "AR_comphet(5 pairs)"), ("ABCC6", "AR_hom"), ("GALNT3", "."), ("GALNT3", "AD")]


def test_an_hgnc_id_the_panel_lacks_or_given_with_its_symbol_is_refused_naming_the_line(tmp_path: Path) -> None:
    for name, message in (
            ("hgnc_id_not_shipped.tsv", "line 2: HGNC:1100 is not the HGNC id of a shipped panel gene: name the gene "
                                        "by its symbol (as --gff names it)"),
            ("hgnc_id_and_symbol_of_one_gene.tsv", "line 3: gene HGNC:57 (ABCC6) is listed twice")):
        result = run_cli(EXOME, "--panel", PANELS / name, "-o", tmp_path / "out.tsv")
        assert (result.code, result.err) == (2, f"hftc-annot: error: {PANELS / name}: {message}\n")
        assert not (tmp_path / "out.tsv").exists()


def test_trailing_tabs_a_spreadsheet_leaves_are_no_cells(tmp_path: Path) -> None:
    """Empty cells after the last column (tabs at the end of the header and rows, as a spreadsheet saves a sheet
    once wider) were refused: '5 tab-separated cells where the header has 3'; a cell with text there still is."""
    result = run_cli(EXOME, "-q", "--panel", PANELS / "trailing_tabs_crlf.tsv")
    assert result.code == 0, result.err
    assert sorted({(r["gene"], r["panel_group"]) for r in table(result.out)}) == [
        ("ABCC6", "mine"), ("GALNT3", "core HFTC")]
    bad = PANELS / "trailing_cell_not_empty.tsv"
    result = run_cli(EXOME, "--panel", bad, "-o", tmp_path / "out.tsv")
    assert (result.code, result.err) == (2, f"hftc-annot: error: {bad}: line 2: 3 tab-separated cells where the "
                                            "header has 2\n")
    assert not (tmp_path / "out.tsv").exists()
