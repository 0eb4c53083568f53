"""Reader stage: open a VCF/BCF (file or stdin), read its header, stream the records in target regions.

Three routes, chosen by what the input allows:
- indexed (bgzipped VCF or BCF with a fresh .tbi/.csi): cyvcf2 jumps to each region;
- VCF text (plain, bgzip or gzip, file or stdin): the numpy prefilter (textscan) finds candidate
  lines, which cyvcf2 then parses from a small temporary VCF, or, with --threads 2 or more, from a pipe
  fed by a child process that scans while this one annotates (scanchild);
- BCF without an index: cyvcf2 reads every record and a Python test rejects it.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import shutil
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from typing import BinaryIO

import cyvcf2

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError, UsageError
from hftc_annot.reader.header import FILEFORMAT, Header, parse_header
from hftc_annot.reader.inflate import ERRORS, bgzf_chunks, gunzip_chunks, in_background, raw_chunks
from hftc_annot.reader.records import Record, reach, record_from_variant
from hftc_annot.reader.scanchild import ScanChild, can_fork
from hftc_annot.reader.sniff import (
    InputFile,
    Kind,
    contigs_in_file_order,
    ends_with_bgzf_eof,
    inspect_path,
    kind_of,
    lacks_bgzf_eof,
    unwritten,
)
from hftc_annot.reader.textscan import ScanResult, TextScanner
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
        self._replay: BinaryIO | None = None  # stdin or a pipe, its first bytes given back
        self._chunks: Iterator[bytes] = iter(())
        self._first_body = b""
        self._reader: cyvcf2.VCF | None = None
        self._child: ScanChild | None = None  # the scan of --threads 2 while its records are read
        self.records_read = 0
        self.other_hits = 0
        self.first_contig: str | None = None
        """CHROM of the first record read (indexed input: the first contig of the index)."""
        self.progress: Callable[[int], None] | None = None
        """Told the number of records read, now and then (every chunk or every PROGRESS_EVERY records)."""
        self.notes: list[str] = []
        """Warnings about the input that did not stop the run (e.g. a header repaired for htslib)."""
        self.route_notes: list[str] = []
        """Warnings about how the input is read (its index not used: slower, the same rows), for stderr only."""
        try:
            info = self._inspect(source)
            self.info = info
            self.indexed = info.index is not None
            if info.kind is Kind.BCF or self.indexed:
                self._open_indexed_or_bcf(info)
            else:
                self._open_text(info)
        except (EOFError, OSError, ValueError, *ERRORS) as exc:
            self.close()
            raise InputError(self.source, f"cannot read: {_describe(exc)}") from None
        except BaseException:
            self.close()  # a stdin BCF copied to a temporary file must not stay behind
            raise

    def _inspect(self, source: str) -> InputFile:
        if source != "-" and not _is_stream(source):
            return inspect_path(source)
        # stdin, or a pipe named by path (a FIFO, <(...) process substitution): read once, from this handle
        if source == "-" and sys.stdin is None:
            raise InputError("<stdin>", "cannot read: standard input is closed")
        self._handle = sys.stdin.buffer if source == "-" else open(source, "rb")
        name = self.source = "<stdin>" if source == "-" else source
        head = _read_up_to(self._handle, 1 << 16)  # however the writer cut its first writes
        self._replay = io.BufferedReader(_Replay(head, self._handle), 1 << 20)
        kind = kind_of(head, name)
        if kind is not Kind.BCF:
            return InputFile(source=name, path=None, kind=kind, index=None)
        spill = tempfile.NamedTemporaryFile(prefix="hftc-annot-stdin-", suffix=".bcf", delete=False)
        self._cleanup.append(spill.name)  # before the copy: a run stopped during it removes the copy too
        with spill:
            shutil.copyfileobj(self._replay, spill)
        if lacks_bgzf_eof(spill.name):
            raise InputError(self.source, "the compressed BCF ends early: no BGZF end-of-file block (truncated?)")
        return InputFile(source=name, path=spill.name, kind=Kind.BCF, index=None)

    def _open_indexed_or_bcf(self, info: InputFile) -> None:
        """Let htslib read the file (BCF, or indexed VCF); an indexed VCF whose header htslib refuses is read
        as text instead, where a missing ##fileformat line can be supplied and a bad line named."""
        # htslib's threaded BGZF reader can wait forever on a truncated block when it jumps to a region, so the
        # indexed route (which reads only the panel regions) reads without threads.
        threads = self._threads if self._threads > 1 and not self.indexed else None
        try:
            self._reader = cyvcf2.VCF(info.path, threads=threads, gts012=False)
        except Exception as exc:  # cyvcf2 raises plain Exception/OSError for unreadable input
            if info.kind is Kind.BCF:
                raise InputError(self.source, f"htslib cannot open it as BCF ({exc})") from None
            self.route_notes.append(f"htslib cannot read the header of {self.source}, so its index is not used "
                                    "(streaming the whole file)")
            self.indexed = False
            self._open_text(info)
            return
        try:
            lines = self._reader.raw_header.rstrip("\n").split("\n")
            self._reader.samples  # noqa: B018 (decoded here so that a bad name fails now, not when writing)
        except UnicodeDecodeError:
            raise InputError(self.source, "not a VCF: header is not UTF-8 text") from None
        if info.kind is not Kind.BCF:  # htslib adds a ##contig line for each contig of the index, which the file
            with open(info.path, "rb") as handle:  # may not declare: its own header is read, as when streamed
                lines, _ = _read_text_header(bgzf_chunks(handle, size=1), self.source)
        self.header = parse_header(lines, self.source)

    def _open_text(self, info: InputFile) -> None:
        if info.path is not None:
            self._handle = open(info.path, "rb")
        stream = self._handle if info.path is not None else self._replay
        assert stream is not None
        readers = {Kind.BGZF: bgzf_chunks, Kind.GZIP: gunzip_chunks, Kind.VCF: raw_chunks}
        chunks = readers[info.kind](stream)
        self._chunks = chunks
        lines, self._first_body = _read_text_header(chunks, self.source)
        self.header = parse_header(lines, self.source)
        if self.header.fileformat_note:
            self.notes.append(f"{self.source}: {self.header.fileformat_note}")

    def records(self, regions: Regions, samples: list[str] | None, other: Regions | None = None,
                info: tuple[str, ...] = (), keep: str | None = None) -> Iterator[Record]:
        """Stream the records whose span (REF, or a structural ALT's INFO/END) overlaps `regions`, in input order,
        numbered from 0 (Record.index), with the INFO values of the keys in `info`. Records that `other` (the panel
        on the other build, numbered like `regions`) would keep are counted in `other_hits` once the stream ends.
        With `keep`, every returned record is also written, with its sample columns, to a BCF at that path
        (complete once the stream ends)."""
        if samples is not None:
            unknown = [s for s in samples if s not in self.header.samples]
            if unknown:
                names = self.header.samples
                listed = ", ".join(names) if len(names) <= 10 else ", ".join(names[:10]) + ", ..."
                raise UsageError(f"--samples: '{unknown[0]}' is not a sample of {self.source} (names are "
                                 f"case-sensitive; it has {len(names)}: {listed or 'none'})")
        kept = None
        try:
            for index, (variant, line) in enumerate(self._variants(regions, samples, other)):
                record = self._record(variant, line, index, info)
                if keep is not None:
                    kept = kept or self._keep_writer(keep)
                    self._keep(kept, variant, record, keep)
                yield record
            if keep is not None and kept is None:
                kept = self._keep_writer(keep)
        finally:
            if kept is not None:
                kept.close()
        if keep is not None and not ends_with_bgzf_eof(keep):
            raise unwritten(keep, "the panel records to this temporary file")

    def _variants(self, regions: Regions, samples: list[str] | None,
                  other: Regions | None) -> Iterator[tuple[object, int | None]]:
        """(cyvcf2 variant, input line or None) of each record to return, through the input's route."""
        if self._reader is None:
            yield from self._text_records(regions, samples, other)
        elif self.indexed:
            self._set_samples(self._reader, samples)
            for variant in self._indexed_variants(regions, count=True):
                yield self._checked(variant), None
            if other is not None:
                self.other_hits = sum(1 for _ in self._indexed_variants(other))
        else:
            yield from self._streamed_records(regions, samples, other)

    def _keep_writer(self, keep: str) -> cyvcf2.Writer:
        """The BCF of the returned records. An input annotated by hftc-annot before loses that run's ##hftc-annot_
        lines (this run writes its own, and htslib cannot remove such lines later: a stale shard or protein_effects
        line would stay beside them): its header is parsed again without them, where that numbers every key as
        before: a text header with no IDX=, or a BCF's header as stored, whose IDX= keep its numbering (the
        #CHROM line is the reader's, which names the samples kept)."""
        header = self._reader.raw_header
        if "\n##hftc-annot_" not in header or (
                self.info.kind is not Kind.BCF and any("IDX=" in line for line in self.header.lines)):
            return cyvcf2.Writer(keep, self._reader, mode="wbu")
        if self.info.kind is Kind.BCF:
            header = _bcf_header_text(self.info.path).rsplit("\n#CHROM", 1)[0] + "\n" + header.splitlines()[-1] + "\n"
        lines = [line for line in header.splitlines(keepends=True) if not line.startswith("##hftc-annot_")]
        return cyvcf2.Writer.from_string(keep, "".join(lines), mode="wbu")

    def _keep(self, kept: cyvcf2.Writer, variant, record: Record, path: str) -> None:
        """Write a returned record to the keep file at `path`; htslib refuses records that use keys the header lacks,
        and (not saying so) those of contigs it does not declare."""
        if not self.header.contigs:
            raise InputError(self.source, f"{record.where}: the annotated VCF needs the input's ##contig lines, and it "
                             "has none (htslib cannot write its records): add them, e.g. with bcftools reheader --fai "
                             "REF.fa.fai, or write a report (--format tsv, json or html)")
        try:
            failed = kept.write_record(variant) != 0  # a failed write (a full disk) is not raised: -1
        except Exception:  # cyvcf2 raises a plain Exception with htslib's error code
            info, fmt = self.header.declared("INFO"), self.header.declared("FORMAT")
            filters = self.header.declared("FILTER") | {"PASS"}
            used = [f"INFO/{key}" for key, _ in variant.INFO if key not in info]
            used += [f"FORMAT/{key}" for key in variant.FORMAT or () if key not in fmt]
            used += [f"FILTER/{name}" for name in variant.FILTERS if name not in filters]
            what = ", ".join(used) or "a key or value"
            raise InputError(self.source, f"{record.where}: {what} not declared in the header, so the record cannot "
                             "be written to the annotated VCF; add the ##INFO/##FORMAT/##FILTER line (bcftools "
                             "annotate -h)") from None
        if failed:
            raise unwritten(path, "the panel records to this temporary file")

    def _set_samples(self, reader: cyvcf2.VCF, samples: list[str] | None) -> None:
        """Keep only `samples`; htslib keeps them in header order, which the writers rely on."""
        if samples is not None:
            expected = [s for s in self.header.samples if s in samples]
            others = [s for s in self.header.samples if s not in samples]
            first = next((s for s in expected if not s.startswith("^")), None)  # htslib reads a list led by '^' as
            if first is not None and expected != ["-"]:  # 'all but these', and '-' alone as 'every sample'
                reader.set_samples(sorted(expected, key=lambda s: s != first))
            elif others:
                reader.set_samples(["^" + ",".join(others)])  # the names after its '^' are read as they are
            if list(reader.samples) != expected:
                raise RuntimeError(f"htslib kept samples {reader.samples}, expected {expected}")

    def _text_records(self, regions: Regions, samples: list[str] | None,
                      other: Regions | None) -> Iterator[tuple[object, int]]:
        assert self._handle is not None
        columns = 8 + (len(self.header.samples) + 1 if self.header.samples else 0)
        header_lines, numbers = self.header.for_htslib()
        header = ("\n".join(header_lines) + "\n").encode()
        scanner = TextScanner(regions, set(self.header.contigs), self.source, columns, other,
                              reads_end=reads_end(header))
        overlapped = self._threads > 1 and can_fork()

        def scan(out: BinaryIO, after_chunk: Callable[[ScanResult], None]) -> ScanResult:
            chunks = _prepend(self._first_body, self._chunks)
            if self._threads > 1 and not overlapped and self.info.kind is not Kind.VCF:
                chunks = in_background(chunks)  # a thread inflates while this one scans
            try:
                return scanner.scan(chunks, len(self.header.lines) + 1, out, after_chunk)
            except (EOFError, OSError, ValueError, *ERRORS) as exc:
                raise InputError(self.source, f"cannot read: {_describe(exc)}") from None

        def progress(records: int) -> None:
            if self.progress is not None:
                self.progress(records)

        if overlapped:
            yield from self._overlapped(ScanChild(header, scan, progress), header_lines, numbers, samples)
            return
        candidates = tempfile.NamedTemporaryFile(prefix="hftc-annot-", suffix=".vcf", delete=False)
        self._cleanup.append(candidates.name)
        with candidates:
            candidates.write(header)
            lines = self._scanned(scan(candidates, lambda result: progress(result.records)))
        self._open_candidates(candidates.name, header_lines, numbers, samples)
        for index, variant in _guarded(self._reader, self.source, lines):
            yield variant, lines[index - 1]

    def _overlapped(self, child: ScanChild, header_lines: list[str], numbers: list[int],
                    samples: list[str] | None) -> Iterator[tuple[object, int]]:
        """The text route with the scan in a child process, its candidates read as they come."""
        self._child = child  # closed with this input: its error may still be wanted (raise_scan_error)
        try:
            self._open_candidates(child.path, header_lines, numbers, samples)
            for index, variant in _guarded(self._reader, self.source, child):
                yield variant, child[index - 1]
        except InputError:
            child.drain()  # a bad line the scan meets later is reported first, as without the child
            raise
        self._scanned(child.result())

    def raise_scan_error(self) -> None:
        """Raise the scan's error, if the rest of the input holds a bad line, where the scan runs in a child process.
        Called on an error met in a record, so that a bad line is the error whatever the threads: the scan of one
        thread reads the whole input before the first record is returned."""
        if self._child is not None:
            self._child.drain()

    def _scanned(self, scan: ScanResult) -> list[int]:
        """Take the scan's counts; returns the input line of each candidate."""
        self.records_read = scan.records
        self.other_hits = scan.other_hits
        self.first_contig = scan.first_contig
        return scan.candidate_lines

    def _open_candidates(self, path: str, header_lines: list[str], numbers: list[int],
                         samples: list[str] | None) -> None:
        try:
            reader = cyvcf2.VCF(path, gts012=False)
        except Exception:  # cyvcf2 raises plain Exception/OSError when htslib refuses the header
            bad = unparsable_header_line(header_lines)
            number = numbers[bad] if bad is not None else None
            raise InputError(self.source, "htslib cannot parse this header line" if number else
                             "htslib cannot parse the header", line=number) from None
        self._reader = reader
        self._set_samples(reader, samples)

    def _indexed_variants(self, regions: Regions, count: bool = False) -> Iterator:
        """The cyvcf2 variants overlapping `regions`, each once, found through the index; with `count`, every
        record the index returns counts as read."""
        reader = self._reader
        warnings.filterwarnings("ignore", message="no intervals found", category=UserWarning)
        try:
            names = contigs_in_file_order(self.info.index, reader.seqnames)  # records in the input's order
        except UnicodeDecodeError:
            raise InputError(self.source, "its index names a contig that is not UTF-8 text") from None
        self.first_contig = names[0] if names else None
        # htslib adds the contigs of the index to those the header declares: one it adds holds records, which the
        # streamed route refuses wherever they are (here only those in the regions would be read)
        undeclared = [name for name in names if self.header.contigs and name not in self.header.contigs]
        if undeclared:
            raise InputError(self.source, f"contig '{undeclared[0]}' is not declared in the header (##contig lines), "
                             "and its index lists records on it; fix the header, e.g. with bcftools reheader --fai")
        for name in names:
            contig = canonical_contig(name)
            previous_end = None
            for start, end in regions.merged(contig):
                try:
                    hits = reader(f"{name}:{start}-{end}")
                except Exception:  # cyvcf2 raises when a contig has no entry in the index
                    break
                for _, variant in _guarded(hits, self.source, None):
                    if count:
                        self.records_read += 1
                        if self.progress is not None and not self.records_read % PROGRESS_EVERY:
                            self.progress(self.records_read)
                    if previous_end is not None and previous_end >= variant.POS:
                        continue  # already returned for the previous region
                    if regions.overlaps(contig, variant.POS, reach(variant)):
                        yield variant
                previous_end = end

    def _streamed_records(self, regions: Regions, samples: list[str] | None,
                          other: Regions | None) -> Iterator[tuple[object, None]]:
        reader = self._reader
        self._set_samples(reader, samples)
        contigs: dict[str, str] = {}
        overlaps = regions.overlaps
        for number, variant in _guarded(reader, self.source, None):
            self.records_read = number
            if self.progress is not None and not number % PROGRESS_EVERY:
                self.progress(number)
            chrom = variant.CHROM
            if number == 1:
                self.first_contig = chrom
            contig = contigs.get(chrom) or contigs.setdefault(chrom, canonical_contig(chrom))
            end = reach(variant)
            if overlaps(contig, variant.POS, end):
                yield self._checked(variant), None
            if other is not None and other.overlaps(contig, variant.POS, end):
                self.other_hits += 1

    def _record(self, variant, line: int | None, index: int, info: tuple[str, ...]) -> Record:
        try:
            return record_from_variant(variant, line, index, info)
        except UnicodeDecodeError:  # htslib's text is decoded only when it is read
            where = f"line {line}" if line else f"{variant.CHROM}:{variant.POS}"
            raise InputError(self.source, f"{where}: INFO text that is not UTF-8") from None

    def _checked(self, variant):
        """The checks the text scan makes on every line, for records that htslib read itself (their contigs are
        declared: a BCF's are its header's, and an indexed VCF's are checked against its index)."""
        chrom, pos = variant.CHROM, variant.POS
        if self.header.samples and not variant.FORMAT and _lacks_sample_columns(variant):
            raise InputError(self.source, f"record {chrom}:{pos} has no FORMAT and sample columns, "
                             f"but the header names {len(self.header.samples)} samples")
        return variant

    def close(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None
        if self._reader is not None:
            self._reader.close()
        if self._handle is not None and self._handle is not getattr(sys.stdin, "buffer", None):  # None: fd 0 closed
            self._handle.close()
        for path in self._cleanup:
            if os.path.exists(path):
                os.unlink(path)


class _Replay(io.RawIOBase):
    """A stream read once (stdin, a pipe) whose first bytes were read to tell its kind: gives them back first."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._head:
            return self._rest.readinto1(buffer)  # one read: a signal between reads is acted on when this returns
        size = min(len(buffer), len(self._head))
        buffer[:size] = self._head[:size]
        self._head = self._head[size:]
        return size


def _read_up_to(handle: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the stream, one read at a time: a signal that comes between two
    reads (Ctrl-C) is acted on before the next, where a buffered read of them all would wait for more input first."""
    parts, total = [], 0
    while total < size and (part := handle.read1(size - total)):
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def _is_stream(path: str) -> bool:
    """Is `path` a pipe or a character device (read once, like stdin) rather than a file?"""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # inspect_path names the problem
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def reads_end(header: bytes) -> bool:
    """Does htslib take INFO/END as an Integer under this header (and so set a record's end from it)? Asked of
    htslib itself, which reads ##INFO lines its own way (spaces, quoted text)."""
    with _htslib_header(header) as reader:
        if reader is None:  # htslib refuses the header: opening the candidates names its line
            return False
        try:
            return reader.get_header_type("END").get("Type") == "Integer"
        except KeyError:
            return False


@contextlib.contextmanager
def _htslib_header(header: bytes) -> Iterator[cyvcf2.VCF | None]:
    """htslib's reading of header lines alone (written to a probe file), None when it refuses them."""
    with tempfile.NamedTemporaryFile(prefix="hftc-annot-", suffix=".vcf") as probe:
        probe.write(header)
        probe.flush()
        try:
            reader = cyvcf2.VCF(probe.name)
        except Exception:  # cyvcf2 raises plain Exception/OSError when htslib refuses the header
            yield None
            return
        try:
            yield reader
        finally:
            reader.close()


def unparsable_header_line(lines: list[str]) -> int | None:
    """The index of the first line of a header (meta lines, then #CHROM) that htslib refuses, found by
    bisection over its meta lines; None when htslib reads the whole header."""

    def parses(head: list[str]) -> bool:
        with _htslib_header(("\n".join([*head, lines[-1]]) + "\n").encode()) as reader:
            return reader is not None

    meta = len(lines) - 1
    if parses(lines[:meta]):
        return None
    if not parses([FILEFORMAT]):
        return meta
    if not parses(lines[:1]):
        return 0
    good, bad = 1, meta
    while bad - good > 1:
        middle = (good + bad) // 2
        if parses(lines[:middle]):
            good = middle
        else:
            bad = middle
    return bad - 1


def _lacks_sample_columns(variant) -> bool:
    """A record cut after INFO (htslib keeps no sample for it and cannot write it back), unlike one whose FORMAT is
    '.' (legal: no fields, the samples still there). Asked only for records without FORMAT keys: rare, so cheap."""
    return str(variant).rstrip("\n").count("\t") <= 7


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
    if isinstance(exc, ERRORS):
        return f"corrupt gzip data ({exc})"
    return str(exc) or type(exc).__name__


def _bcf_header_text(path: str) -> str:
    """A BCF's header text as stored (BGZF-compressed or not), with htslib's IDX= numbering of its keys."""
    with open(path, "rb") as handle:
        compressed = handle.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if compressed else open(path, "rb")) as handle:
        handle.read(5)  # the magic: BCF, then major and minor version
        size = int.from_bytes(handle.read(4), "little")
        return handle.read(size).rstrip(b"\0").decode()


def open_vcf(source: str, threads: int = 1) -> VcfInput:
    """Open an input ('-' for stdin) and read its header."""
    return VcfInput(source, threads)
