"""Reader stage: open a VCF/BCF (file or stdin), read its header, stream the records in target regions.

Three routes, chosen by what the input allows:
- indexed (bgzipped VCF or BCF with a fresh .tbi/.csi): cyvcf2 jumps to each region;
- VCF text (plain, bgzip or gzip, file or stdin): the numpy prefilter (textscan) finds candidate
  lines, which cyvcf2 then parses from a small temporary VCF;
- BCF without an index: cyvcf2 reads every record and a Python test rejects it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO

import cyvcf2

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError, UsageError
from hftc_annot.reader.header import Header, parse_header
from hftc_annot.reader.records import Record, record_from_variant
from hftc_annot.reader.sniff import InputFile, Kind, inspect_path, kind_of
from hftc_annot.reader.textscan import (
    TextScanner,
    bgzf_chunks,
    gunzip_chunks,
    in_background,
    raw_chunks,
)
from hftc_annot.regions import Regions

__all__ = ["Header", "Record", "VcfInput", "open_vcf"]

_MAX_HEADER_LINE = 1 << 26
PROGRESS_EVERY = 4096
cyvcf2.cyvcf2.set_htslib_log_level(0)  # htslib's own stderr lines are replaced by our one-line errors


def _read_text_header(chunks: Iterator[bytes], source: str) -> tuple[list[str], bytes]:
    """Header lines (decoded, no newlines) and the bytes after them (the start of the body)."""
    lines: list[str] = []
    pending = b""
    at = 0
    for chunk in chunks:
        pending = pending[at:] + chunk
        at = 0
        while at < len(pending) and pending[at:at + 1] == b"#":
            newline = pending.find(b"\n", at)
            if newline < 0:
                break
            try:
                lines.append(pending[at:newline].decode("utf-8").rstrip("\r"))
            except UnicodeDecodeError:
                raise InputError(source, "not a VCF: header is not UTF-8 text", line=len(lines) + 1) from None
            at = newline + 1
        if at < len(pending) and pending[at:at + 1] != b"#":
            break
        if len(pending) - at > _MAX_HEADER_LINE:
            raise InputError(source, "not a VCF: header line longer than 64 MiB", line=len(lines) + 1)
    if not lines:
        raise InputError(source, "not a VCF: it does not start with '##fileformat=VCF' or '#CHROM' header lines")
    if pending[at:at + 1] == b"#":
        lines.append(pending[at:].decode("utf-8", errors="replace").rstrip("\r\n"))
        return lines, b""
    return lines, pending[at:]


class VcfInput:
    """An input whose header has been read; `records` streams the records that touch the regions."""

    def __init__(self, source: str, threads: int) -> None:
        self.source = source
        self._threads = threads
        self._cleanup: list[str] = []
        self._handle: BinaryIO | None = None
        self._chunks: Iterator[bytes] = iter(())
        self._first_body = b""
        self._reader: cyvcf2.VCF | None = None
        self.records_read = 0
        self.progress: Callable[[int], None] | None = None
        """Told the number of records read, now and then (every chunk or every PROGRESS_EVERY records)."""
        info = self._inspect(source)
        self.info = info
        self.indexed = info.index is not None
        try:
            if info.kind is Kind.BCF or self.indexed:
                self._reader = self._open_cyvcf2(info.path)
                self.header = parse_header(self._reader.raw_header.rstrip("\n").split("\n"), source)
            else:
                self._open_text(info)
        except (EOFError, OSError, ValueError, zlib.error) as exc:
            raise InputError(source, f"cannot read: {_describe(exc)}") from None

    def _inspect(self, source: str) -> InputFile:
        if source != "-":
            return inspect_path(source)
        stdin = sys.stdin.buffer
        kind = kind_of(stdin.peek(1 << 16)[: 1 << 16], "<stdin>")
        if kind is not Kind.BCF:
            return InputFile(source="<stdin>", path=None, kind=kind, index=None)
        spill = tempfile.NamedTemporaryFile(prefix="hftc-annot-stdin-", suffix=".bcf", delete=False)
        with spill:
            shutil.copyfileobj(stdin, spill)
        self._cleanup.append(spill.name)
        self.source = "<stdin>"
        return InputFile(source="<stdin>", path=spill.name, kind=Kind.BCF, index=None)

    def _open_cyvcf2(self, path: str) -> cyvcf2.VCF:
        try:
            return cyvcf2.VCF(path, threads=self._threads, gts012=False)
        except Exception as exc:  # cyvcf2 raises plain Exception/OSError for unreadable input
            raise InputError(self.source, f"htslib cannot open it as VCF/BCF ({exc})") from None

    def _open_text(self, info: InputFile) -> None:
        self._handle = sys.stdin.buffer if info.path is None else open(info.path, "rb")
        readers = {Kind.BGZF: bgzf_chunks, Kind.GZIP: gunzip_chunks, Kind.VCF: raw_chunks}
        chunks = readers[info.kind](self._handle)
        if self._threads > 1 and info.kind is not Kind.VCF:
            chunks = in_background(chunks)
        self._chunks = chunks
        lines, self._first_body = _read_text_header(chunks, self.source)
        self.header = parse_header(lines, self.source)

    def records(self, regions: Regions, samples: list[str] | None) -> Iterator[Record]:
        """Stream the records whose REF span overlaps `regions`, in input order."""
        if samples is not None:
            unknown = [s for s in samples if s not in self.header.samples]
            if unknown:
                raise UsageError(f"--samples: '{unknown[0]}' is not a sample of {self.source} "
                                 f"(it has {len(self.header.samples)}: {', '.join(self.header.samples[:5])}...)")
        if self._reader is None:
            yield from self._text_records(regions, samples)
        elif self.indexed:
            yield from self._indexed_records(regions, samples)
        else:
            yield from self._streamed_records(regions, samples)

    def _set_samples(self, reader: cyvcf2.VCF, samples: list[str] | None) -> None:
        """Keep only `samples`; htslib keeps them in header order, which the writers rely on."""
        if samples is not None:
            reader.set_samples(samples)
            expected = [s for s in self.header.samples if s in samples]
            if list(reader.samples) != expected:
                raise RuntimeError(f"htslib kept samples {reader.samples}, expected {expected}")

    def _text_records(self, regions: Regions, samples: list[str] | None) -> Iterator[Record]:
        assert self._handle is not None
        columns = 8 + (len(self.header.samples) + 1 if self.header.samples else 0)
        scanner = TextScanner(regions, set(self.header.contigs), self.source, columns)
        candidates = tempfile.NamedTemporaryFile(prefix="hftc-annot-", suffix=".vcf", delete=False)
        self._cleanup.append(candidates.name)
        first_line = len(self.header.lines) + 1
        with candidates:
            candidates.write(self.header.text().encode())
            try:
                scan = scanner.scan(_prepend(self._first_body, self._chunks), first_line, candidates, self.progress)
            except (EOFError, OSError, ValueError, zlib.error) as exc:
                raise InputError(self.source, f"cannot read: {_describe(exc)}") from None
        self.records_read = scan.records
        reader = cyvcf2.VCF(candidates.name, gts012=False)
        self._reader = reader
        self._set_samples(reader, samples)
        lines = scan.candidate_lines
        for index, variant in _guarded(reader, self.source, lines):
            yield record_from_variant(variant, lines[index - 1])

    def _indexed_records(self, regions: Regions, samples: list[str] | None) -> Iterator[Record]:
        reader = self._reader
        self._set_samples(reader, samples)
        warnings.filterwarnings("ignore", message="no intervals found", category=UserWarning)
        for name in reader.seqnames:
            contig = canonical_contig(name)
            previous_end = None
            for start, end in regions.merged(contig):
                try:
                    hits = reader(f"{name}:{start}-{end}")
                except Exception:  # cyvcf2 raises when a contig has no entry in the index
                    break
                for _, variant in _guarded(hits, self.source, None):
                    self.records_read += 1
                    if self.progress is not None and not self.records_read % PROGRESS_EVERY:
                        self.progress(self.records_read)
                    if previous_end is not None and previous_end >= variant.POS:
                        continue  # already returned for the previous region
                    if regions.overlaps(contig, variant.POS, variant.POS + len(variant.REF) - 1):
                        yield self._checked(record_from_variant(variant, None))
                previous_end = end

    def _streamed_records(self, regions: Regions, samples: list[str] | None) -> Iterator[Record]:
        reader = self._reader
        self._set_samples(reader, samples)
        contigs: dict[str, str] = {}
        overlaps = regions.overlaps
        for number, variant in _guarded(reader, self.source, None):
            self.records_read = number
            if self.progress is not None and not number % PROGRESS_EVERY:
                self.progress(number)
            chrom = variant.CHROM
            contig = contigs.get(chrom) or contigs.setdefault(chrom, canonical_contig(chrom))
            if overlaps(contig, variant.POS, variant.POS + len(variant.REF) - 1):
                yield record_from_variant(variant, None)

    def _checked(self, record: Record) -> Record:
        if self.header.contigs and record.chrom not in self.header.contigs:
            raise InputError(self.source, f"contig '{record.chrom}' of record {record.chrom}:{record.pos} is "
                             "not declared in the header (##contig lines)")
        return record

    @property
    def template(self) -> cyvcf2.VCF:
        """The cyvcf2 reader whose header the streamed records belong to (for writing VCF)."""
        assert self._reader is not None, "records() has not started"
        return self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        if self._handle is not None and self._handle is not sys.stdin.buffer:
            self._handle.close()
        for path in self._cleanup:
            if os.path.exists(path):
                os.unlink(path)


def _prepend(first: bytes, chunks: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from chunks


def _guarded(variants, source: str, lines: list[int] | None) -> Iterator[tuple[int, object]]:
    """Number cyvcf2 variants from 1, turning htslib parse failures into one-line InputErrors.

    `lines` maps a variant's number to its input line, when known; otherwise the error names the
    record by its number.
    """
    iterator = iter(variants)
    number = 0
    while True:
        try:
            variant = next(iterator)
        except StopIteration:
            return
        except Exception:  # cyvcf2 raises a plain Exception for htslib read errors
            if lines is None:
                raise InputError(source, f"htslib cannot read the record after the {number:,} it read "
                                 "(malformed, truncated or corrupt file?)") from None
            raise InputError(source, "malformed record: htslib cannot parse it (check its FORMAT and sample "
                             "fields against the ##FORMAT types)", line=lines[number]) from None
        number += 1
        yield number, variant


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "the compressed file ends early (truncated download or copy?)"
    if isinstance(exc, zlib.error):
        return f"corrupt gzip data ({exc})"
    return str(exc) or type(exc).__name__


def open_vcf(source: str, threads: int = 1) -> VcfInput:
    """Open an input ('-' for stdin) and read its header."""
    return VcfInput(source, threads)
