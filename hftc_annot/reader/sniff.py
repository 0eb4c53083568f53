"""Tell what an input is (plain VCF, bgzipped VCF, gzipped VCF, BCF) and whether it has a usable index."""

from __future__ import annotations

import enum
import errno
import gzip
import os
import struct
import zlib
from dataclasses import dataclass

from hftc_annot.errors import InputError

_GZIP_MAGIC = b"\x1f\x8b"
_BCF_MAGIC = b"BCF\x02"
BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
"""The empty block that ends every complete BGZF file (SAM/BAM specification, section 4.1.2)."""


class Kind(enum.Enum):
    VCF = "VCF"
    BGZF = "bgzipped VCF"
    GZIP = "gzipped VCF (not bgzip)"
    BCF = "BCF"


@dataclass(frozen=True)
class InputFile:
    """An input named by the user: `path` is None for standard input."""

    source: str
    path: str | None
    kind: Kind
    index: str | None
    stale_index: str | None = None


def kind_of(head: bytes, source: str) -> Kind:
    """Classify from the first bytes (at least 64 KiB of a compressed file, when it has them)."""
    if not head:
        raise InputError(source, "file is empty (not a VCF)")
    if head.startswith(_BCF_MAGIC):
        return Kind.BCF
    if not head.startswith(_GZIP_MAGIC):
        return Kind.VCF
    is_bgzf = len(head) >= 18 and head[3] & 4 and head[12:14] == b"BC"
    try:
        start = zlib.decompressobj(31).decompress(head, 8)
    except zlib.error as exc:
        raise InputError(source, f"corrupt gzip data ({exc})") from None
    if start.startswith(_BCF_MAGIC):
        if not is_bgzf:  # not cut short: without BGZF's block headers there is no end-of-file block to miss
            raise InputError(source, "a BCF compressed with gzip, not bgzip (BGZF); recompress it with "
                             "'bcftools view -Ob -o OUT.bcf FILE'")
        return Kind.BCF
    return Kind.BGZF if is_bgzf else Kind.GZIP


def inspect_path(path: str) -> InputFile:
    """Open-free checks of a file input: it exists, is readable, its kind and its index."""
    if not os.path.exists(path):
        raise InputError(path, "no such file")
    if os.path.isdir(path):
        raise InputError(path, "is a directory, not a VCF")
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
    kind = kind_of(head, path)
    if kind in (Kind.BGZF, Kind.BCF) and lacks_bgzf_eof(path):
        raise InputError(path, "the compressed file ends early: no BGZF end-of-file block (truncated download "
                         "or copy?)")
    index = stale = None
    if kind in (Kind.BGZF, Kind.BCF):
        for suffix in (".tbi", ".csi"):
            candidate = path + suffix
            if os.path.isfile(candidate):
                if os.path.getmtime(candidate) < os.path.getmtime(path):
                    stale = candidate
                else:
                    index = candidate
                break
    return InputFile(source=path, path=path, kind=kind, index=index, stale_index=stale)


def unwritten(path: str, what: str) -> OSError:
    """htslib failed to write `what` to `path` (a full disk, most likely: it says no more than that it failed)."""
    return OSError(errno.EIO, f"htslib failed to write {what}: a full disk?", path)


def ends_with_bgzf_eof(path: str) -> bool:
    """Does the BGZF file htslib wrote end with its end-of-file block? htslib writes it last and does not raise when
    the writes before it fail at close."""
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() < len(BGZF_EOF):
            return False
        handle.seek(-len(BGZF_EOF), os.SEEK_END)
        return handle.read() == BGZF_EOF


def lacks_bgzf_eof(path: str) -> bool:
    """A BGZF file (bgzipped VCF, compressed BCF) that does not end with the end-of-file block: truncated."""
    with open(path, "rb") as handle:
        compressed = handle.read(2) == _GZIP_MAGIC
    return compressed and not ends_with_bgzf_eof(path)


def contigs_in_file_order(index: str, names: list[str]) -> list[str]:
    """The contigs htslib knows for an indexed input (`names`: the header's, in the order of their ids, and the
    index's) in the order the file holds their records, as the streamed route meets them; those the index does not
    list (no records) after them. A tabix index (a .tbi, or a .csi of a VCF) names its contigs as the file first
    names them; a BCF's CSI numbers them as the header does, so they are ordered by where their records start.
    `names` unchanged when the index cannot be read (htslib then says so)."""
    try:
        with gzip.open(index, "rb") as handle:
            order = _index_contigs(handle, names)
    except (OSError, EOFError, ValueError, struct.error, zlib.error):
        return names
    known = set(names)
    first = [name for name in order if name in known]
    listed = set(first)
    return first + [name for name in names if name not in listed]


def _index_contigs(handle, names: list[str]) -> list[str]:
    """The contigs of an index (decompressed `handle`) in file order; a BCF's (no names in the index) are `names` by
    id, ordered by the first file offset of their bins."""
    magic = handle.read(4)
    if magic == b"TBI\1":
        n_ref, *_, name_bytes = struct.unpack("<8i", handle.read(32))
        return [name.decode(errors="replace") for name in handle.read(name_bytes).split(b"\0")[:n_ref]]
    if magic != b"CSI\1":
        raise ValueError("not a tabix or CSI index")
    _, depth, aux_bytes = struct.unpack("<3i", handle.read(12))
    aux = handle.read(aux_bytes)
    (n_ref,) = struct.unpack("<i", handle.read(4))
    if aux_bytes >= 28:  # a tabix configuration (format, columns, meta, skip), then the names
        return [name.decode(errors="replace") for name in aux[28:].split(b"\0")[:n_ref]]
    data = handle.read()
    meta_bin = ((1 << 3 * depth + 3) - 1) // 7 + 1  # its chunks are the contig's offsets and record counts
    at, starts = 0, []
    for tid in range(n_ref):
        (n_bin,) = struct.unpack_from("<i", data, at)
        at += 4
        begins = []
        for _ in range(n_bin):
            bin_id, _, n_chunk = struct.unpack_from("<IQi", data, at)
            if bin_id != meta_bin and n_chunk:
                begins.append(struct.unpack_from("<Q", data, at + 16)[0])
            at += 16 + 16 * n_chunk
        if begins and tid < len(names):
            starts.append((min(begins), names[tid]))
    return [name for _, name in sorted(starts)]
