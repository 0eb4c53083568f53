"""Progress line only on a terminal; --log-level and --quiet decide which stderr lines appear."""

from __future__ import annotations

import io
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from hftc_annot import cli, progress
from hftc_annot.run import Summary

from conftest import run_cli

EXAMPLES = Path(__file__).resolve().parents[1] / "example_vcfs"
SUMMARY = "hftc-annot: GRCh38, streamed: 18 records read, 6 in panel regions, 6 alleles annotated, 11 rows written"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    terminal = Terminal()
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    monkeypatch.setattr("sys.stderr", terminal)
    with pytest.raises(SystemExit) as done:
        cli.main([str(EXAMPLES / "trio.vcf"), "-o", str(tmp_path / "out.tsv")])
    assert done.value.code == 0
    text = terminal.getvalue()
    assert "\rhftc-annot: 18 records read, 0 in panel regions, " in text
    assert "\rhftc-annot: 18 records read, 6 in panel regions, " in text
    erased = text.rindex("\r")  # the line is blanked before the summary is printed
    assert text[erased - 1] == " " and text[erased + 1:].startswith("hftc-annot: warning: no reference FASTA")
    assert SUMMARY in text


def test_no_progress_when_not_a_terminal_and_levels(tmp_path: Path) -> None:
    out = tmp_path / "out.tsv"
    default = run_cli(EXAMPLES / "trio.vcf", "-o", out)
    assert "\r" not in default.err and default.err.splitlines()[-1].startswith(SUMMARY)
    assert default.err.splitlines()[0].startswith("hftc-annot: warning: no reference FASTA")
    assert run_cli(EXAMPLES / "trio.vcf", "-o", out, "-q").err == ""
    assert run_cli(EXAMPLES / "trio.vcf", "-o", out, "--log-level", "error").err == ""
    warning = run_cli(EXAMPLES / "trio.vcf", "-o", out, "--log-level", "warning").err.splitlines()
    assert len(warning) == 1 and warning[0].startswith("hftc-annot: warning: no reference FASTA")
    debug = [line.split(": ")[2] for line in run_cli(EXAMPLES / "trio.vcf", "-o", out, "--log-level", "debug").err
             .splitlines() if line.startswith("hftc-annot: debug: ")]
    assert debug == ["input", "panel", "read", "inheritance", "write"]
    bad = run_cli(EXAMPLES / "trio.vcf", "-o", out, "-q", "--genes", "NOPE")
    assert bad.code == 2 and bad.err.startswith("hftc-annot: error: --genes: 'NOPE' is not a panel gene")


def test_summary_line_counts_have_thousands_separators() -> None:
    line = cli._summary_line(Summary("GRCh38", "streamed", 5_000_000, 6_186, 6_186, 5_860,
                                 Counter({"reference block (<NON_REF>/<*>)": 56_660}), seconds=1.5))
    assert line == ("hftc-annot: GRCh38, streamed: 5,000,000 records read, 6,186 in panel regions, 6,186 alleles "
                    "annotated, 5,860 rows written; skipped alleles: 56,660 reference block (<NON_REF>/<*>); 1.50 s")


def test_a_missing_sys_stderr_leaves_an_open_descriptor_2_alone(monkeypatch) -> None:
    """sys.stderr None with descriptor 2 open (an embedding host): messages go to descriptor 2, which is not turned
    into /dev/null for the whole process."""
    before = os.readlink("/proc/self/fd/2")
    monkeypatch.setattr(sys, "stderr", None)
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert os.readlink("/proc/self/fd/2") == before != os.devnull


def test_progress_line_is_erased_before_the_debug_lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """--log-level debug on a terminal: the 'read:' line starts on the erased progress line, not after its text."""
    terminal = Terminal()
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    monkeypatch.setattr("sys.stderr", terminal)
    with pytest.raises(SystemExit) as done:
        cli.main([str(EXAMPLES / "trio.vcf"), "-o", str(tmp_path / "out.tsv"), "--log-level", "debug"])
    assert done.value.code == 0
    text = terminal.getvalue()
    shown = text.index("\rhftc-annot: 18 records read, 6 in panel regions, ") + 1
    end = text.index("\r", shown)
    read = text.index("hftc-annot: debug: read: records=18 panel_records=6 ")
    assert text[end:read] == "\r" + " " * (end - shown) + "\r"  # the line blanked, then the debug line
    assert "\r" not in text[read:]


def test_progress_line_never_shows_more_panel_records_than_records_read(monkeypatch: pytest.MonkeyPatch,
                                                                        tmp_path: Path) -> None:
    """The indexed route counts its records read to the line every 4,096 only: the line said '0 records read, 26 in
    panel regions' (found by review)."""
    terminal = Terminal()
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    monkeypatch.setattr("sys.stderr", terminal)
    with pytest.raises(SystemExit) as done:
        cli.main([str(EXAMPLES / "single_exome.vcf.gz"), "-o", str(tmp_path / "out.tsv")])
    assert done.value.code == 0
    shown = re.findall(r"\rhftc-annot: ([\d,]+) records read, ([\d,]+) in panel regions, ", terminal.getvalue())
    counts = [(int(read.replace(",", "")), int(panel.replace(",", ""))) for read, panel in shown]
    assert counts[-1] == (26, 26) and all(read >= panel for read, panel in counts)
