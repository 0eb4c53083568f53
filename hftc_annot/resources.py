"""Locate and read the shipped data files: package hftc_annot.data, which is resources/ in the source tree."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from hftc_annot.errors import ResourceError

BUILDS = ("GRCh38", "GRCh37")
_GENES_BED = {"GRCh38": "genes.bed", "GRCh37": "genes.GRCh37.bed"}
_MODELS_GFF3 = {"GRCh38": "mane_select.GRCh38.gff3", "GRCh37": "mane_select.GRCh37.gff3"}


def _data_dir() -> Path:
    """The installed hftc_annot.data package, or resources/ beside the package in a source checkout."""
    try:
        return Path(str(resources.files("hftc_annot.data")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"


def resource_path(name: str) -> Path:
    """Path of a shipped file; a missing file means a broken installation."""
    path = _data_dir() / name
    if not path.is_file():
        raise ResourceError(f"shipped data file {name} is missing from {path.parent}; reinstall hftc-annot")
    return path


def genes_bed(build: str) -> Path:
    return resource_path(_GENES_BED[build])


def models_gff3(build: str) -> Path:
    return resource_path(_MODELS_GFF3[build])


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a shipped tab-separated file with a header line."""
    with open(resource_path(name), newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def package_table(package: str, name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated data table kept beside the code of a stage (e.g. SO terms, tier rules)."""
    text = resources.files(package).joinpath(name).read_text()
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))
