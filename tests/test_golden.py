"""The shipped examples' outputs, pinned byte for byte: a refactoring must not change what a user gets.

Every example VCF is run to TSV (with the --summary file), annotated VCF, JSON and HTML (paths of the checkout and
of the temporary folder replaced by <repo> and <tmp>, so that the recorded command is the same everywhere) and
compared with
tests/data/golden/. An intended change of output is recorded by running this module with
HFTC_ANNOT_UPDATE_GOLDEN=1 and reviewing the diff of tests/data/golden/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden"
RUNS = {
    "single_exome": ["example_vcfs/single_exome.vcf"],
    "single_exome_indexed": ["example_vcfs/single_exome.vcf.gz"],
    "trio": ["example_vcfs/trio.vcf", "--ped", "example_vcfs/trio.ped"],
    "grch37_exome": ["example_vcfs/grch37_exome.vcf"],
    "multiallelic": ["example_vcfs/multiallelic.vcf"],
}
FORMATS = ("tsv", "vcf", "json", "html")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(RUNS))
def test_example_output_is_unchanged(tmp_path: Path, name: str, fmt: str) -> None:
    work = tmp_path
    inputs = [str(ROOT / a) if a.startswith("example_vcfs/") else a for a in RUNS[name]]
    summary = ["--summary", work / "summary.tsv"] if fmt == "tsv" else []
    result = run_cli(*inputs, "-o", work / f"out.{fmt}", *summary, "-q")
    assert result.code == 0, result.err
    produced = {f"{name}.{fmt}": _stable((work / f"out.{fmt}").read_bytes(), work)}
    if summary:
        produced[f"{name}.summary.tsv"] = _stable((work / "summary.tsv").read_bytes(), work)
    for file_name, data in produced.items():
        golden = GOLDEN / file_name
        if os.environ.get("HFTC_ANNOT_UPDATE_GOLDEN") == "1":
            GOLDEN.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(data)
        assert golden.is_file(), f"{golden} is missing: run with HFTC_ANNOT_UPDATE_GOLDEN=1"
        assert data == golden.read_bytes(), f"{file_name} differs from {golden}"


def _stable(data: bytes, work: Path) -> bytes:
    """Paths that depend on where the test runs (the repository, the temporary folder) made neutral."""
    return data.replace(str(ROOT).encode(), b"<repo>").replace(str(work).encode(), b"<tmp>")
