"""The installed panel reference: panel regions of a genome FASTA kept in the user's cache, and reading them back.

Layout: $HFTC_ANNOT_CACHE (default $XDG_CACHE_HOME/hftc-annot, else ~/.cache/hftc-annot) /reference/<build>/
holding panel.fa.gz (bgzip, with .fai and .gzi), whose records are named 'contig:start-end', and
manifest.tsv with the build, the source FASTA and the original contig lengths.

A damaged or incomplete installation (a file missing, a manifest that cannot be read) is a DamagedReference
(exit 2) naming the file and saying to reinstall.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError

_REGION = re.compile(r"^(.+):(\d+)-(\d+)$")
FILES = ("panel.fa.gz", "panel.fa.gz.fai", "panel.fa.gz.gzi")
REINSTALL = "reinstall it with 'hftc-annot reference install REF.fa'"


def cache_dir() -> Path:
    if os.environ.get("HFTC_ANNOT_CACHE"):
        return Path(os.environ["HFTC_ANNOT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hftc-annot"


def installed_path(build: str) -> Path:
    return cache_dir() / "reference" / build / "panel.fa.gz"


class DamagedReference(InputError):
    """The installed reference of a build is damaged or incomplete: one line naming the file; reinstall."""

    def __init__(self, build: str, path: Path | str, why: str) -> None:
        super().__init__(str(path), f"the installed {build} panel reference is damaged ({why}); {REINSTALL}")
        self.build, self.path, self.why = build, str(path), why

    def __reduce__(self) -> tuple:
        return type(self), (self.build, self.path, self.why)


@dataclasses.dataclass(frozen=True)
class Installation:
    build: str
    folder: Path
    source: str
    lengths: dict[str, int]  # canonical contig -> length in the source FASTA

    @property
    def path(self) -> Path:
        return self.folder / "panel.fa.gz"


def installation(build: str, folder: Path | None = None) -> Installation | None:
    """The installed reference of `build`, its manifest read; None when nothing is installed. A damaged or
    incomplete one raises DamagedReference."""
    folder = folder or installed_path(build).parent
    try:
        present = set(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise DamagedReference(build, folder, f"cannot list it: {exc.strerror}") from None
    if not present & {"manifest.tsv", *FILES}:
        return None
    for name in ("manifest.tsv", *FILES):
        if name not in present:
            raise DamagedReference(build, folder / name, "the file is missing")
    return _read_manifest(build, folder / "manifest.tsv")


def _read_manifest(build: str, path: Path) -> Installation:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise DamagedReference(build, path, f"cannot read it: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DamagedReference(build, path, "it is not text") from None
    lines = text.splitlines()
    if not lines or lines[0] != "key\tvalue":
        raise DamagedReference(build, path, "line 1 is not the header 'key<TAB>value'")
    fields: dict[str, str] = {}
    lengths: dict[str, int] = {}
    for number, line in enumerate(lines[1:], 2):
        key, tab, value = line.partition("\t")
        if not tab:
            raise DamagedReference(build, path, f"line {number} has no tab")
        if key == "length":
            name, _, count = value.rpartition("=")
            if not name or not count.isdigit():
                raise DamagedReference(build, path, f"line {number}: '{value}' is not NAME=NUMBER")
            lengths[canonical_contig(name)] = int(count)
        else:
            fields[key] = value
    for key in ("build", "source"):
        if not fields.get(key):
            raise DamagedReference(build, path, f"it has no '{key}' line")
    if fields["build"] != build:
        raise DamagedReference(build, path, f"it is for build {fields['build']}")
    if not lengths:
        raise DamagedReference(build, path, "it has no 'length' lines")
    return Installation(build, path.parent, fields["source"], lengths)


class InstalledSource:
    """Reads the installed panel reference with genomic coordinates; bases outside the cut regions are N."""

    def __init__(self, build: str, folder: Path | None = None, found: Installation | None = None) -> None:
        import pysam

        found = found or installation(build, folder)
        if found is None:
            raise DamagedReference(build, folder or installed_path(build).parent, "nothing is installed there")
        path = found.path
        self.name = f"installed {build} panel reference ({path})"
        self._fasta = pysam.FastaFile(str(path))
        self._regions: dict[str, list[tuple[int, int, str]]] = {}
        for record in self._fasta.references:
            contig, first, last = _REGION.match(record).groups()
            self._regions.setdefault(canonical_contig(contig), []).append((int(first), int(last), record))
        self._lengths = found.lengths

    def length(self, chrom: str) -> int | None:
        return self._lengths.get(canonical_contig(chrom))

    def fetch(self, chrom: str, start: int, end: int) -> str:
        for first, last, record in self._regions.get(canonical_contig(chrom), ()):
            if first <= start and end <= last:
                return self._fasta.fetch(record, start - first, end - first + 1).upper()
        return "N" * max(0, end - start + 1)
