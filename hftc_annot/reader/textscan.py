"""Streaming prefilter for VCF text: finds panel records in whole blocks of lines with numpy.

A record costs a few vectorised byte operations here and no Python work unless it overlaps a
target region. Only those candidate lines go on to cyvcf2. The scanner also validates what it
reads for every line (column count, numeric POS, contigs declared in the header) so that a bad
line is reported by its line number instead of reaching htslib.
"""

from __future__ import annotations

import queue
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from hftc_annot.assembly import contig_spellings
from hftc_annot.errors import InputError
from hftc_annot.regions import Regions

CHUNK_BYTES = 6 << 20
_KEY_BYTES = 8  # contig names up to 8 bytes are matched exactly by one uint64
_POS_DIGITS = 10
_MAX_POS = 2**31 - 1
_COLS8 = np.arange(_KEY_BYTES)
_COLS_POS = np.arange(_POS_DIGITS)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_BGZF_MAGIC = b"\x1f\x8b\x08\x04"
_BGZF_HEADER = 18


def _name_key(name: bytes) -> int:
    return int.from_bytes(name.ljust(_KEY_BYTES, b"\0"), "little")


@dataclass
class ScanResult:
    """What a scan saw: all records read, and the input line numbers of the candidates written."""

    records: int = 0
    candidate_lines: list[int] = field(default_factory=list)
    other_hits: int = 0
    first_contig: str | None = None


class TextScanner:
    """Finds the lines of a VCF body whose CHROM/POS/REF span overlaps the target regions.

    `columns` is the number of columns of the #CHROM line; every record must have exactly as many.
    """

    def __init__(self, regions: Regions, declared_contigs: set[str], source: str, columns: int,
                 other: Regions | None = None) -> None:
        """`other`, numbered like `regions` (same contigs), is only counted: the records it would keep."""
        self._columns = columns
        self._regions = regions
        self._other = other
        self._source = source
        self._declared = declared_contigs
        keys: dict[int, int] = {}
        for code, contig in enumerate(regions.contigs):
            for spelling in contig_spellings(contig):
                if len(spelling) <= _KEY_BYTES:
                    keys[_name_key(spelling.encode())] = code
        order = sorted(keys)
        self._keys = np.array(order or [0], dtype=np.uint64)
        self._key_codes = np.array([keys[k] for k in order] or [-1], dtype=np.int64)
        self._checked_names: set[bytes] = set()
        self._last_ident: np.uint64 | None = None

    def scan(self, chunks: Iterator[bytes], first_line: int, out: BinaryIO,
             progress: Callable[[int], None] | None = None) -> ScanResult:
        """Read all chunks; write candidate lines (newline-terminated) to `out`.

        `first_line` is the 1-based input line number of the first byte of the first chunk; `progress` is
        told the number of records read after each chunk.
        """
        result = ScanResult()
        line_no = first_line
        rest = b""
        for chunk in chunks:
            first = chunk.find(b"\n")
            if first < 0:
                rest += chunk
                continue
            if rest:
                head = rest + chunk[: first + 1]
                line_no = self._scan_block(np.frombuffer(head, dtype=np.uint8), line_no, out, result)
            else:
                first = -1
            last = chunk.rfind(b"\n")
            if last > first:
                body = np.frombuffer(chunk, dtype=np.uint8, count=last - first, offset=first + 1)
                line_no = self._scan_block(body, line_no, out, result)
            rest = chunk[last + 1:]
            if progress is not None:
                progress(result.records)
        if rest:
            self._scan_block(np.frombuffer(rest + b"\n", dtype=np.uint8), line_no, out, result)
        return result

    def _fail(self, line: int, message: str) -> None:
        raise InputError(self._source, message, line=line)

    def _scan_block(self, buf: np.ndarray, line_no: int, out: BinaryIO, result: ScanResult) -> int:
        """Scan whole lines (buf ends with a newline); returns the next line number."""
        cut = len(buf)
        marks = np.flatnonzero(buf <= 10)  # tabs and newlines, in one pass over the bytes
        kinds = buf[marks]
        if (kinds < 9).any():
            where = int(marks[np.flatnonzero(kinds < 9)[0]])
            self._fail(line_no + int((buf[:where] == 10).sum()), "control character in the text (binary data?)")
        newline = np.flatnonzero(kinds == 10)
        previous = np.empty_like(newline)
        previous[0] = -1
        previous[1:] = newline[:-1]
        ends = marks[newline]
        starts = np.where(previous >= 0, marks[previous] + 1, 0)
        numbers = line_no + np.arange(len(ends))
        next_line = line_no + len(ends)
        nonempty = ends > starts
        if not nonempty.all():
            starts, ends, numbers = starts[nonempty], ends[nonempty], numbers[nonempty]
            newline, previous = newline[nonempty], previous[nonempty]
        if len(starts) == 0:
            return next_line
        if (buf[starts] == 35).any():
            bad = int(np.flatnonzero(buf[starts] == 35)[0])
            self._fail(int(numbers[bad]), "header line ('#') after the first record")
        columns = newline - previous
        if (columns != self._columns).any():
            bad = int(np.flatnonzero(columns != self._columns)[0])
            self._fail(int(numbers[bad]), f"{columns[bad]} tab-separated columns where the #CHROM line has "
                       f"{self._columns}")
        k = previous + 1  # index in `marks` of each line's first tab
        tabs = marks
        t_chrom, t_pos, t_id, t_ref = tabs[k], tabs[k + 1], tabs[k + 2], tabs[k + 3]

        name_len = t_chrom - starts
        if (name_len == 0).any():
            self._fail(int(numbers[np.flatnonzero(name_len == 0)[0]]), "empty CHROM")
        gather = np.minimum(starts[:, None] + _COLS8, cut - 1)
        key_bytes = buf[gather]
        key_bytes *= name_len[:, None] > _COLS8
        keys = key_bytes.view("<u8").ravel()
        if self._declared:
            self._check_contigs(buf, cut, keys, name_len, starts, t_chrom, numbers)

        slot = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        codes = np.where((self._keys[slot] == keys) & (name_len <= _KEY_BYTES), self._key_codes[slot], -1)

        pos_len = t_pos - t_chrom - 1
        digits = buf[t_pos[:, None] - _POS_DIGITS + _COLS_POS] - np.uint8(48)
        in_field = (_POS_DIGITS - pos_len)[:, None] <= _COLS_POS
        bad_pos = (pos_len < 1) | (pos_len > _POS_DIGITS) | ((digits > 9) & in_field).any(axis=1)
        if bad_pos.any():
            bad = int(np.flatnonzero(bad_pos)[0])
            text = buf[t_chrom[bad] + 1:t_pos[bad]].tobytes().decode(errors="replace")
            self._fail(int(numbers[bad]), f"POS '{text}' is not a positive whole number")
        digits *= in_field
        positions = np.zeros(len(digits), dtype=np.int64)
        for column in range(_POS_DIGITS):
            positions *= 10
            positions += digits[:, column]
        if (positions > _MAX_POS).any():
            self._fail(int(numbers[np.flatnonzero(positions > _MAX_POS)[0]]), "POS is larger than 2^31-1")
        ref_len = t_ref - t_id - 1
        if (ref_len < 1).any():
            self._fail(int(numbers[np.flatnonzero(ref_len < 1)[0]]), "empty REF")

        if result.first_contig is None:
            result.first_contig = bytes(buf[starts[0]:t_chrom[0]]).decode(errors="replace")
        last_bases = positions + ref_len - 1
        hits = np.flatnonzero(self._regions.overlaps_many(codes, positions, last_bases))
        if self._other is not None:
            result.other_hits += int(self._other.overlaps_many(codes, positions, last_bases).sum())
        for i in hits:
            line = buf[starts[i]:ends[i]].tobytes()
            out.write(line[:-1] if line.endswith(b"\r") else line)
            out.write(b"\n")
        result.candidate_lines.extend(numbers[hits].tolist())
        result.records += len(starts)
        return next_line

    def _check_contigs(self, buf: np.ndarray, cut: int, keys: np.ndarray, name_len: np.ndarray,
                       starts: np.ndarray, t_chrom: np.ndarray, numbers: np.ndarray) -> None:
        """Every CHROM must be a declared contig: check each line where the CHROM changes."""
        ident = keys ^ (name_len.astype(np.uint64) * _MIX)
        long_names = np.flatnonzero(name_len > _KEY_BYTES)
        if len(long_names):
            tail = buf[np.minimum(t_chrom[long_names, None] - _KEY_BYTES + _COLS8, cut - 1)]
            ident[long_names] ^= tail.copy().view("<u8").ravel() * _MIX
        previous = np.empty_like(ident)
        previous[1:] = ident[:-1]
        previous[0] = ident[0] + np.uint64(1) if self._last_ident is None else self._last_ident
        self._last_ident = ident[-1]
        for i in np.flatnonzero(ident != previous):
            name = bytes(buf[starts[i]:t_chrom[i]])
            if name in self._checked_names:
                continue
            if name.decode(errors="replace") not in self._declared:
                self._fail(int(numbers[i]), f"contig '{name.decode(errors='replace')}' is not declared in the "
                           "header (##contig lines); fix the header, e.g. with bcftools reheader --fai")
            self._checked_names.add(name)


def raw_chunks(handle: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Uncompressed input, in blocks."""
    while chunk := handle.read(size):
        yield chunk


def _batched(pieces: Iterator[bytes], size: int) -> Iterator[bytes]:
    """Join small decompressed pieces into chunks of at least `size` bytes (the last may be smaller)."""
    held: list[bytes] = []
    total = 0
    for piece in pieces:
        held.append(piece)
        total += len(piece)
        if total >= size:
            yield b"".join(held)
            held, total = [], 0
    if held:
        yield b"".join(held)


def _gzip_members(handle: BinaryIO) -> Iterator[bytes]:
    member = zlib.decompressobj(31)
    in_member = False
    while compressed := handle.read(1 << 20):
        while compressed:
            out = member.decompress(compressed)
            in_member = True
            if out:
                yield out
            if not member.eof:
                break
            compressed = member.unused_data
            in_member = False
            if compressed and not compressed.startswith(b"\x1f\x8b"):
                if compressed.strip(b"\0"):
                    raise ValueError("data after the end of the gzip stream is not gzip")
                compressed = b""
            member = zlib.decompressobj(31)
    if in_member:
        raise EOFError("compressed stream ends before its end marker")


def gunzip_chunks(handle: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Decompress gzip (any number of members) in blocks of about `size` bytes.

    zlib checks each member's CRC and length itself. Raises EOFError for a truncated stream and
    ValueError for data after the last member that is not gzip.
    """
    return _batched(_gzip_members(handle), size)


def _bgzf_blocks(handle: BinaryIO) -> Iterator[bytes]:
    pending = b""
    last_length = None
    while data := handle.read(1 << 20):
        buf = pending + data if pending else data
        view = memoryview(buf)
        at = 0
        while len(buf) - at >= _BGZF_HEADER:
            if buf[at:at + 4] != _BGZF_MAGIC or buf[at + 12:at + 14] != b"BC":
                raise ValueError(f"not a BGZF block at byte {at} of a read (mixed gzip/bgzip data?)")
            block_size = int.from_bytes(buf[at + 16:at + 18], "little") + 1
            if len(buf) - at < block_size:
                break
            footer = at + block_size - 8
            crc = int.from_bytes(buf[footer:footer + 4], "little")
            length = int.from_bytes(buf[footer + 4:footer + 8], "little")
            out = zlib.decompress(view[at + _BGZF_HEADER:footer], -15, max(length, 1))
            if len(out) != length or zlib.crc32(out) != crc:
                raise ValueError("a BGZF block fails its CRC or length check (corrupt file)")
            if out:
                yield out
            last_length = length
            at += block_size
        pending = buf[at:]
    if pending:
        raise EOFError("compressed stream ends inside a block")
    if last_length != 0:
        raise EOFError("compressed stream has no BGZF end-of-file block after its last block")


def bgzf_chunks(handle: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Decompress BGZF block by block (each block's size is in its header), checking CRC and length."""
    return _batched(_bgzf_blocks(handle), size)


def in_background(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Produce the chunks (reading and decompressing) in a second thread while the caller scans."""
    blocks: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in chunks:
                if stop.is_set():
                    return
                blocks.put(chunk)
            blocks.put(b"")
        except Exception as exc:  # handed to the consumer, which raises it in the main thread
            blocks.put(exc)

    worker = threading.Thread(target=produce, daemon=True)
    worker.start()
    try:
        while True:
            item = blocks.get()
            if isinstance(item, Exception):
                raise item
            if not item:
                return
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            try:
                blocks.get_nowait()
            except queue.Empty:
                worker.join(0.01)
