"""HTML report: self-contained, escaped, with a figure per gene with findings; rendered in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli, vcf_text

EXAMPLES = Path(__file__).resolve().parents[1] / "example_vcfs"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_report_is_self_contained_and_escapes_input(tmp: Path) -> None:
    path = tmp / "in.vcf"
    evil = "<script>alert(1)</script>"
    path.write_text(vcf_text([f"chr2 165754626 {evil} C T 50 PASS . GT 1/1", "chr12 4370564 . G A 50 PASS . GT 0/1"],
                             samples=(evil,)))
    result = run_cli(path, "-o", tmp / "out.tsv", "--report", tmp / "report.html")
    assert result.code == 0, result.err
    html = (tmp / "report.html").read_text()
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"(src|href)=", html)  # nothing is fetched
    assert html.count('class="gene-figure"') == 2  # GALNT3 and FGF23
    assert "Evidence tiers are not an ACMG classification" in html
    assert (tmp / "out.tsv").read_text().count("\n") > 10


def test_html_output_format(tmp: Path) -> None:
    result = run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "-o", tmp / "trio.html")
    assert result.code == 0, result.err
    html = (tmp / "trio.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "biallelic (compound heterozygous, parental trans)" in html
    assert html.count('class="finding"') == 6  # distinct findings drawn on GALNT3, ENPP1, FGF23, PHEX


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_renders_in_headless_chromium(tmp: Path) -> None:
    report = tmp / "trio.html"
    assert run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "-o", report).code == 0
    profile = tmp / "profile"
    shot = tmp / "report.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,2000",
                    f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert dom.count('class="gene-figure"') == 4 and dom.count("<circle") == 6
