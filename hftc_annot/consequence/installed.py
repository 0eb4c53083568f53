"""The installed panel reference: panel regions of a genome FASTA kept in the user's cache, and reading them back.

Layout: $HFTC_ANNOT_CACHE (default $XDG_CACHE_HOME/hftc-annot, else ~/.cache/hftc-annot) /reference/<build>/
holding panel.fa.gz (bgzip, with .fai and .gzi), whose records are named 'contig:start-end', and
manifest.tsv with the build, the source FASTA and the original contig lengths.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hftc_annot.assembly import canonical_contig

_REGION = re.compile(r"^(.+):(\d+)-(\d+)$")


def cache_dir() -> Path:
    if os.environ.get("HFTC_ANNOT_CACHE"):
        return Path(os.environ["HFTC_ANNOT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hftc-annot"


def installed_path(build: str) -> Path:
    return cache_dir() / "reference" / build / "panel.fa.gz"


def _manifest_rows(build: str, folder: Path | None = None) -> list[list[str]] | None:
    """(key, value) rows of the installed reference's manifest; None when nothing is installed."""
    path = (folder or installed_path(build).parent) / "manifest.tsv"
    if not path.is_file():
        return None
    return [line.split("\t", 1) for line in path.read_text().splitlines()[1:]]


def manifest(build: str) -> dict[str, str] | None:
    rows = _manifest_rows(build)
    return None if rows is None else {k: v for k, v in rows if k != "length"}


class InstalledSource:
    """Reads the installed panel reference with genomic coordinates; bases outside the cut regions are N."""

    def __init__(self, build: str, folder: Path | None = None) -> None:
        import pysam

        path = folder / "panel.fa.gz" if folder else installed_path(build)
        self.name = f"installed {build} panel reference ({path})"
        self._fasta = pysam.FastaFile(str(path))
        self._regions: dict[str, list[tuple[int, int, str]]] = {}
        for record in self._fasta.references:
            contig, first, last = _REGION.match(record).groups()
            self._regions.setdefault(canonical_contig(contig), []).append((int(first), int(last), record))
        lengths = (value.rsplit("=", 1) for key, value in _manifest_rows(build, folder) or () if key == "length")
        self._lengths = {contig: int(length) for contig, length in lengths}

    def length(self, chrom: str) -> int | None:
        return self._lengths.get(canonical_contig(chrom))

    def fetch(self, chrom: str, start: int, end: int) -> str:
        for first, last, record in self._regions.get(canonical_contig(chrom), ()):
            if first <= start and end <= last:
                return self._fasta.fetch(record, start - first, end - first + 1).upper()
        return "N" * max(0, end - start + 1)
