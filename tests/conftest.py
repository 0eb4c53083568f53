"""Shared helpers: write small synthetic VCFs and run the CLI in a subprocess.

Every VCF written here is synthetic: positions are chosen for the test and REF/ALT bases are
arbitrary, not the reference genome's.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pysam
import pytest

from hftc_annot.resources import read_table

FORMAT_LINES = [
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
    '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
    '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
    '##FILTER=<ID=LowQual,Description="Low quality">',
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
]


def contig_lines(build: str, prefix: str) -> list[str]:
    lines = []
    for row in read_table("assemblies.tsv"):
        if row["build"] == build:
            name = row["contig"] if prefix == "" else ("chrM" if row["contig"] == "MT" else f"chr{row['contig']}")
            lines.append(f"##contig=<ID={name},length={row['length']}>")
    return lines


def vcf_text(records: list[str], samples: tuple[str, ...] = ("S1",), build: str | None = "GRCh38",
             prefix: str = "chr", extra_header: tuple[str, ...] = ()) -> str:
    """A VCF: header (contigs of `build`, or none when build is None) plus tab-joined records.

    Records are written as given, with spaces standing for tabs.
    """
    header = ["##fileformat=VCFv4.2", *(contig_lines(build, prefix) if build else []), *FORMAT_LINES,
              *extra_header]
    columns = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"]
    if samples:
        columns += ["FORMAT", *samples]
    body = ["\t".join(r.split()) for r in records]
    return "\n".join([*header, "\t".join(columns), *body]) + "\n"


def write_vcf(path: Path, records: list[str], **kwargs) -> Path:
    path.write_text(vcf_text(records, **kwargs))
    return path


def bgzip_index(plain: Path, index: bool = True) -> Path:
    """bgzip `plain` next to itself (plain.gz), with a .tbi when asked."""
    out = Path(str(plain) + ".gz")
    pysam.tabix_compress(str(plain), str(out), force=True)
    if index:
        pysam.tabix_index(str(out), preset="vcf", force=True)
    return out


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path, stdin: bytes | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Result:
    proc = subprocess.run([sys.executable, "-m", "hftc_annot", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd, timeout=300, env=env)
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def data_rows(tsv: str) -> list[list[str]]:
    """TSV rows without the '## ' preamble and the column header."""
    lines = [line for line in tsv.splitlines() if not line.startswith("## ")]
    return [line.split("\t") for line in lines[1:]]


def table(tsv: str) -> list[dict[str, str]]:
    """TSV rows as dicts keyed by column name."""
    lines = [line for line in tsv.splitlines() if not line.startswith("## ")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def body(tsv: str) -> str:
    """The TSV without its preamble (which names the command and input)."""
    return "".join(line + "\n" for line in tsv.splitlines() if not line.startswith("## "))


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    return tmp_path
