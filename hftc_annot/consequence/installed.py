"""The installed panel reference: panel regions of a genome FASTA kept in the user's cache, and reading them back.

Layout: $HFTC_ANNOT_CACHE (default $XDG_CACHE_HOME/hftc-annot, else ~/.cache/hftc-annot) /reference/<build>/
holding panel.fa.gz (bgzip, with .fai and .gzi), whose records are named 'contig:start-end', and
manifest.tsv with the build, the source FASTA, the original contig lengths and the sizes of the three files.

Before htslib is given the files they are checked cheaply (a few small reads, no decompression): the sizes
stamped at install time, the BGZF end-of-file block, the .gzi's last block ending where that block begins, and
the .fai's records inside the uncompressed size. A damaged or incomplete installation is a DamagedReference
(exit 2) naming the file and saying to reinstall; htslib would otherwise fail obscurely, rebuild a missing .gzi
in the cache, or crash.
"""

from __future__ import annotations

import dataclasses
import os
import re
import struct
from pathlib import Path

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError, UsageError
from hftc_annot.reader.sniff import BGZF_EOF

_REGION = re.compile(r"^(.+):(\d+)-(\d+)$")
FILES = ("panel.fa.gz", "panel.fa.gz.fai", "panel.fa.gz.gzi")
REINSTALL = "reinstall it with 'hftc-annot reference install REF.fa'"
_BGZF_HEADER = bytes.fromhex("1f8b0804")


def cache_dir() -> Path:
    if os.environ.get("HFTC_ANNOT_CACHE"):
        return Path(os.environ["HFTC_ANNOT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME")
    if not (base and os.path.isabs(base)):  # the XDG spec: a relative path is to be ignored
        home = os.path.expanduser("~")  # $HOME, else the user's home in the password database
        if home == "~":
            raise UsageError("no cache folder: $HOME is not set and this user has no home directory; set "
                             "HFTC_ANNOT_CACHE to a writable folder")
        base = os.path.join(home, ".cache")
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


def _unreadable(build: str, path: Path | str, exc: OSError, verb: str = "read") -> InputError:
    """A part of the installed reference that cannot be read: damaged (reinstall it), unless permission is lacking."""
    if isinstance(exc, PermissionError):
        return InputError(str(path), f"cannot {verb} the installed {build} panel reference ({exc.strerror}): make "
                          "the cache readable, set HFTC_ANNOT_CACHE to another one, or give --fasta")
    return DamagedReference(build, path, f"cannot {verb} it: {exc.strerror}")


@dataclasses.dataclass(frozen=True)
class Installation:
    build: str
    folder: Path
    source: str
    lengths: dict[str, int]  # canonical contig -> length in the source FASTA
    sizes: dict[str, int]  # file name -> bytes at install time (empty for an installation made before the stamp)

    @property
    def path(self) -> Path:
        return self.folder / "panel.fa.gz"


def installation(build: str, folder: Path | None = None) -> Installation | None:
    """The installed reference of `build`, its manifest read and its files checked (cheaply: see the module's
    docstring); None when nothing is installed. A damaged or incomplete one raises DamagedReference."""
    if folder is None:
        try:
            folder = installed_path(build).parent
        except UsageError:  # no cache folder: nothing can be installed
            return None
    try:
        present = set(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise _unreadable(build, folder, exc, "list") from None
    if not present & {"manifest.tsv", *FILES}:
        return None
    for name in ("manifest.tsv", *FILES):
        if name not in present:
            raise DamagedReference(build, folder / name, "the file is missing")
    found = _read_manifest(build, folder / "manifest.tsv")
    _check_files(found)
    return found


def _read_manifest(build: str, path: Path) -> Installation:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise _unreadable(build, path, exc) from None
    except UnicodeDecodeError:
        raise DamagedReference(build, path, "it is not text") from None
    lines = text.splitlines()
    if not lines or lines[0] != "key\tvalue":
        raise DamagedReference(build, path, "line 1 is not the header 'key<TAB>value'")
    fields: dict[str, str] = {}
    lengths: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for number, line in enumerate(lines[1:], 2):
        key, tab, value = line.partition("\t")
        if not tab:
            raise DamagedReference(build, path, f"line {number} has no tab")
        if key in ("length", "size"):
            name, _, count = value.rpartition("=")
            if not name or not count.isdigit():
                raise DamagedReference(build, path, f"line {number}: '{value}' is not NAME=NUMBER")
            if key == "length":
                lengths[canonical_contig(name)] = int(count)
            else:
                sizes[name] = int(count)
        else:
            fields[key] = value
    for key in ("build", "source"):
        if not fields.get(key):
            raise DamagedReference(build, path, f"it has no '{key}' line")
    if fields["build"] != build:
        raise DamagedReference(build, path, f"it is for build {fields['build']}")
    if not lengths:
        raise DamagedReference(build, path, "it has no 'length' lines")
    return Installation(build, path.parent, fields["source"], lengths, sizes)


def _check_files(found: Installation) -> None:
    """What htslib needs, checked without decompressing: sizes as stamped, the BGZF EOF block, the .gzi's last
    block ending where the EOF block begins, every .fai record inside the uncompressed size."""
    build, folder = found.build, found.folder
    for name in FILES:
        path = folder / name
        try:
            size = os.stat(path).st_size
        except OSError as exc:
            raise _unreadable(build, path, exc) from None
        if name in found.sizes and size != found.sizes[name]:
            raise DamagedReference(build, path, f"it is {size:,} bytes, {found.sizes[name]:,} when installed")
    data, fai, gzi = (folder / name for name in FILES)
    try:
        with open(data, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size < len(BGZF_EOF) or (handle.seek(size - len(BGZF_EOF)), handle.read())[1] != BGZF_EOF:
                raise DamagedReference(build, data, "truncated: no BGZF end-of-file block")
            total = _uncompressed_size(handle, size, gzi.read_bytes())
            if total is None:
                raise DamagedReference(build, gzi, f"the index does not fit {data.name}")
        records = [line.split("\t") for line in fai.read_bytes().decode("ascii").splitlines()]
    except OSError as exc:
        raise _unreadable(build, exc.filename or data, exc) from None
    except UnicodeDecodeError:
        raise DamagedReference(build, fai, "it is not text") from None
    if not records:
        raise DamagedReference(build, fai, "it is empty")
    for number, record in enumerate(records, 1):
        if len(record) != 5 or not _REGION.match(record[0]) or not all(v.isdigit() for v in record[1:]):
            raise DamagedReference(build, fai, f"line {number} is not a .fai record of a panel region")
        length, offset, bases, width = map(int, record[1:])
        if not 0 < bases < width:
            raise DamagedReference(build, fai, f"line {number} is not a .fai record of a panel region")
        if offset + length // bases * width + length % bases > total:
            raise DamagedReference(build, fai, f"line {number} reaches beyond the end of {data.name}")


def _uncompressed_size(handle, size: int, gzi: bytes) -> int | None:
    """The uncompressed size of the BGZF file, from the .gzi's last block (its start in both coordinates) and that
    block's ISIZE; None when the .gzi does not fit the file (that block does not end where the EOF block begins)."""
    if len(gzi) < 8 or len(gzi) != 8 + 16 * struct.unpack_from("<Q", gzi)[0]:
        return None
    block, before = struct.unpack_from("<QQ", gzi, len(gzi) - 16) if len(gzi) > 8 else (0, 0)
    handle.seek(block)
    header = handle.read(18)
    if len(header) < 18 or header[:4] != _BGZF_HEADER or header[12:14] != b"BC":
        return None
    end = block + struct.unpack_from("<H", header, 16)[0] + 1
    if end != size - len(BGZF_EOF):
        return None
    handle.seek(end - 4)
    return before + struct.unpack("<I", handle.read(4))[0]


def verify_contents(found: Installation) -> None:
    """Decompress the whole panel.fa.gz (CRC-checked) and compare its size with the .fai's: for `reference status`,
    which can afford it, not for every run."""
    import gzip
    import zlib

    total = 0
    try:
        with gzip.open(found.path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                total += len(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise DamagedReference(found.build, found.path, f"it does not decompress: {exc}") from None
    last = (found.folder / FILES[1]).read_text().splitlines()[-1].split("\t")
    length, offset, bases, width = map(int, last[1:])
    end = offset + length // bases * width + length % bases
    if not end <= total <= end + 1:
        raise DamagedReference(found.build, found.path, f"it holds {total:,} bytes, its .fai {end:,}")


class InstalledSource:
    """Reads the installed panel reference with genomic coordinates; bases outside the cut regions are N."""

    def __init__(self, build: str, folder: Path | None = None, found: Installation | None = None) -> None:
        import pysam

        found = found or installation(build, folder)
        if found is None:
            raise DamagedReference(build, folder or installed_path(build).parent, "nothing is installed there")
        self._found = found
        path = found.path
        self.name = f"installed {build} panel reference ({path})"
        try:
            self._fasta = pysam.FastaFile(str(path))
        except (OSError, ValueError) as exc:
            raise DamagedReference(build, path, f"htslib cannot open it: {exc}") from None
        self._verbosity = pysam.set_verbosity
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
                quiet = self._verbosity(0)  # htslib's own line about a damaged file: the error says it once
                try:
                    return self._fasta.fetch(record, start - first, end - first + 1).upper()
                except (OSError, ValueError) as exc:
                    raise DamagedReference(self._found.build, self._found.path,
                                           f"cannot read {record}: {exc}") from None
                finally:
                    self._verbosity(quiet)
        return "N" * max(0, end - start + 1)
