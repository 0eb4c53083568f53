"""Reference sequence behind a narrow interface: a FASTA file (pysam) or an in-memory mapping."""

from __future__ import annotations

import gzip
import os
import zlib
from typing import Protocol

import numpy as np

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError, utf8_line

_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def reverse_complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)[::-1]


class SequenceSource(Protocol):
    """Genomic sequence by 1-based inclusive coordinates, upper case; `name` identifies the source."""

    name: str

    def fetch(self, chrom: str, start: int, end: int) -> str:
        """Bases start..end; empty when end < start, shorter at a contig end."""

    def length(self, chrom: str) -> int | None: ...


def check_indexed(path: str) -> None:
    """A FASTA must come with its index: building one would write next to the user's file."""
    if not os.path.isfile(path):
        raise InputError(path, "no such file" if not os.path.exists(path) else
                         "is not a regular file (a FASTA is read at its index's offsets: a pipe or device cannot be)")
    with open(path, "rb") as handle:
        start = handle.read(16)
    compressed = start[:2] == b"\x1f\x8b"
    if compressed and start[12:14] != b"BC":  # BGZF's extra field: without it, plain gzip (UCSC's hg38.fa.gz)
        raise InputError(path, "is compressed with gzip, not bgzip, so it cannot be indexed or read at an offset; "
                         f"recompress it (zcat {path} | bgzip > REF.fa.gz) and run samtools faidx on that")
    if not os.path.isfile(path + ".fai"):
        raise InputError(path, "has no .fai index; run samtools faidx on it first (hftc-annot never writes beside "
                         "your files)")
    if compressed and not os.path.isfile(path + ".gzi"):
        raise InputError(path, "is compressed but has no .gzi index; it must be bgzipped and indexed with "
                         "samtools faidx")


class FastaSource:
    """A (b)gzipped or plain FASTA with a .fai (and .gzi), read with pysam. chr2 and 2 are the same contig."""

    def __init__(self, path: str) -> None:
        import pysam  # imported here: only runs that have a FASTA pay for it

        self.name = path
        quiet = pysam.set_verbosity(0)  # htslib's own lines about a bad .fai: the error says it once
        try:
            self._fasta = pysam.FastaFile(path)
        except (OSError, ValueError) as exc:
            raise InputError(path, f"cannot open as an indexed FASTA ({exc}); index it with samtools faidx") from None
        finally:
            pysam.set_verbosity(quiet)
        self._verbosity = pysam.set_verbosity
        self.lengths = dict(zip(self._fasta.references, self._fasta.lengths, strict=True))
        self._names = {canonical_contig(n): n for n in self._fasta.references}

    def _resolve(self, chrom: str) -> str | None:
        if chrom in self.lengths:
            return chrom
        return self._names.get(canonical_contig(chrom))

    def length(self, chrom: str) -> int | None:
        name = self._resolve(chrom)
        return self.lengths[name] if name else None

    def fetch(self, chrom: str, start: int, end: int) -> str:
        name = self._resolve(chrom)
        if name is None:
            raise InputError(self.name, f"has no contig {chrom}")
        if end < start:
            return ""
        quiet = self._verbosity(0)  # htslib's own line about a damaged file: the error below says it once
        try:
            return self._fasta.fetch(name, max(0, start - 1), min(end, self.lengths[name])).upper()
        except (OSError, ValueError):
            raise InputError(self.name, f"cannot read {name}:{start}-{end}: {_STALE}") from None
        finally:
            self._verbosity(quiet)

    def check_index(self, contigs: list[str]) -> None:
        """Each contig's .fai offset must point just after its own '>name' line: an index made before the file
        was changed would otherwise give other bases without any error."""
        offsets = _fai_offsets(self.name + ".fai")
        try:
            blocks = _gzi_blocks(self.name)
        except (OSError, EOFError):
            raise InputError(self.name, f"cannot read its .gzi index: {_STALE}") from None
        for contig in contigs:
            name = self._resolve(contig)
            if name is None:
                continue
            offset = offsets[name]
            start = max(0, offset - _TITLE_BYTES)
            try:
                before = _read_uncompressed(self.name, start, offset - start, blocks)
            except (OSError, EOFError, zlib.error):
                raise InputError(self.name, f"cannot read near contig {name}: {_STALE}") from None
            header_end = offset - start
            line = before[before.rfind(b"\n", 0, header_end - 1) + 1:header_end]
            words = line[1:].split() if line.startswith(b">") and line.endswith(b"\n") else []
            title = words[0] if words else b""
            if title.decode("latin-1") != name:
                raise InputError(self.name, f"contig {name}: {_STALE}")


_TITLE_BYTES = 1 << 16  # the longest '>name description' line looked for before a contig's first base
_STALE = ("the .fai/.gzi index does not match the file (was the FASTA changed after it was indexed?); "
          "re-index it with samtools faidx")


def fai_lengths(fasta: str) -> dict[str, int]:
    """Contig lengths from a FASTA's .fai (checked to exist by check_indexed), in file order."""
    return _fai_column(fasta + ".fai", 1)


def _fai_offsets(path: str) -> dict[str, int]:
    return _fai_column(path, 2)


def _fai_column(path: str, column: int) -> dict[str, int]:
    values = {}
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            line = utf8_line(path, number, raw, " (not a FASTA index)")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) < 5 or not fields[column].strip().isdigit():
                raise InputError(path, "not a FASTA index (samtools faidx writes 5 tab-separated columns)",
                                 line=number)
            values[fields[0]] = int(fields[column])
    return values


def _gzi_blocks(path: str) -> np.ndarray | None:
    """A bgzipped file's .gzi as (compressed offset, uncompressed offset) rows, the first block (0, 0) included;
    None for a plain file."""
    with open(path, "rb") as handle:
        if handle.read(2) != b"\x1f\x8b":
            return None
    entries = np.fromfile(path + ".gzi", dtype="<u8")
    count = int(entries[0]) if len(entries) else 0
    if len(entries) < 1 + 2 * count:
        raise EOFError("the .gzi index is shorter than it says")
    return np.vstack([np.zeros((1, 2), dtype=np.uint64), entries[1:1 + 2 * count].reshape(count, 2)])


def _read_uncompressed(path: str, start: int, size: int, blocks: np.ndarray | None) -> bytes:
    """`size` bytes from uncompressed offset `start` of a plain file, or of a bgzipped one with its `blocks`."""
    with open(path, "rb") as handle:
        if blocks is None:
            handle.seek(start)
            return handle.read(size)
        block, block_start = (int(x) for x in blocks[np.searchsorted(blocks[:, 1], start, side="right") - 1])
        handle.seek(block)
        with gzip.GzipFile(fileobj=handle) as members:
            members.read(start - block_start)
            return members.read(size)


class MemorySource:
    """Sequences held in a dict (contig name to sequence, position 1 first); for tests and small inputs."""

    def __init__(self, sequences: dict[str, str], name: str = "in-memory sequence") -> None:
        self.name = name
        self._seqs = {canonical_contig(k): v.upper() for k, v in sequences.items()}

    def length(self, chrom: str) -> int | None:
        seq = self._seqs.get(canonical_contig(chrom))
        return len(seq) if seq is not None else None

    def fetch(self, chrom: str, start: int, end: int) -> str:
        seq = self._seqs.get(canonical_contig(chrom))
        if seq is None:
            raise InputError(self.name, f"has no contig {chrom}")
        return seq[max(0, start - 1):end]
