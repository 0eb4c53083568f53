"""Decompression of VCF text for the streamed route: plain, gzip and BGZF, in blocks, optionally in a thread.

Inflate is ISA-L's (python-isal), about twice as fast as zlib's on BGZF blocks; it is the one
cost of the streamed route that every byte of a whole-genome file pays.
"""

from __future__ import annotations

import queue
import threading
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from isal import isal_zlib

CHUNK_BYTES = 2 << 20
_BGZF_MAGIC = b"\x1f\x8b\x08\x04"
_BGZF_HEADER = 18

ERRORS = (zlib.error, isal_zlib.error)
"""What a corrupt compressed stream raises here (besides EOFError and ValueError)."""


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
    member = isal_zlib.decompressobj(31)
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
            member = isal_zlib.decompressobj(31)
    if in_member:
        raise EOFError("compressed stream ends before its end marker")


def gunzip_chunks(handle: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Decompress gzip (any number of members) in blocks of about `size` bytes.

    inflate checks each member's CRC and length itself. Raises EOFError for a truncated stream and
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
            out = isal_zlib.decompress(view[at + _BGZF_HEADER:footer], -15, max(length, 1))
            if len(out) != length or isal_zlib.crc32(out) != crc:
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
    blocks: queue.Queue = queue.Queue(maxsize=2)
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
