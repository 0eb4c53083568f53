"""Streaming prefilter for VCF text: finds panel records in whole blocks of lines with numpy.

Two passes, both vectorised. The quick pass takes the lines in groups (GROUP_LINES) and proves,
for each group, that none of its lines can reach a target region: the group's first and last
lines fix a contig and a decimal range of POS (same digit count, common leading digits), and three
byte comparisons per line check that every line of the group lies in that range, so the proof
holds whatever the sort order. Groups without such a proof -- near a region, unsorted, on a long
contig name, or with anything unusual in them -- go to the full pass, which parses CHROM, POS
and REF of every line and validates the line (column count, numeric POS, contigs declared in the
header) so that a bad line is reported by its line number instead of reaching htslib. Only the
lines overlapping a region go on to cyvcf2. A line with a structural ALT (<DEL>, <DUP>, <INV>, <CNV>)
reaches to its INFO/END: the quick pass proves nothing about its group, and the full pass reads its END.

Before both, the lines are taken in pieces of about PIECE_BYTES, and a piece whose every line is provably far from
every region is only counted: its first and last lines fix a contig and a range of POS (the same digit count; the
first eight digits between theirs), and a handful of vectorised checks over the piece -- no control character, the
tab count of its lines, and at every line start that CHROM, then that many digits in that range, then a tab --
prove that each of its lines lies in that range, whatever the sort order. This is the quick pass with one
proof per piece instead of per line group, and about twice as fast on a sorted whole genome. A piece with a blank
line, a header line, a structural ALT or anything unusual is left to the two passes.
Where the checks of these passes stop: a line far from every region is checked for CHROM, POS, the piece's (or
group's) total tab count and control characters (bytes below TAB), not for a REF or for its own column count; as
on the indexed route, which never reads it. The full pass, too, names an empty REF only on a line that reaches a
region: which far lines it reads depends on where the chunks are cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from hftc_annot.alleles import structural_kind
from hftc_annot.assembly import contig_spellings
from hftc_annot.errors import InputError
from hftc_annot.regions import Regions

GROUP_LINES = 1024
PIECE_BYTES = 1 << 18
FINE_LINES = 128
_KEY_BYTES = 8  # contig names up to 8 bytes are matched exactly by one uint64
_POS_DIGITS = 10
_MAX_POS = 2**31 - 1
_COLS8 = np.arange(_KEY_BYTES)
_COLS_POS = np.arange(_POS_DIGITS)
_LONG_LINE = 2048  # lines from this long (a piece holds at most 128 of them) are found with bytes.find
_COMPARE_BYTES = 1 << 22  # long contig names are compared in batches of about this many bytes
_PAD = bytes(_KEY_BYTES + _POS_DIGITS)  # lets the quick pass read a whole word at any line start
_TAB = 9
_END = re.compile(rb"\+?(\d+)")
_STRUCTURAL = re.compile(rb"<(?:DEL|DUP|INV|CNV)[:>]")  # a literal first: the regex engine skips to each '<'


_MASKS = np.array([(1 << 8 * n) - 1 for n in range(_KEY_BYTES + 1)], dtype=np.uint64)
_ZEROS = np.uint64(0x3030303030303030)
_ADD46 = np.uint64(0x4646464646464646)
_HIGH_BITS = np.uint64(0x8080808080808080)
_NO_PLAN = (0, 0, 0, 0, 0)
_PLAN_TYPES = (np.int64, np.uint64, np.int64, np.uint64, np.int64)


def _name_key(name: bytes) -> int:
    return int.from_bytes(name.ljust(_KEY_BYTES, b"\0"), "little")


def _word(text: bytes) -> int:
    """Up to 8 bytes as the little-endian word that the quick pass reads at their place."""
    return int.from_bytes(text, "little")


def _all_digits(words: np.ndarray, masks: np.ndarray | np.uint64) -> np.ndarray:
    """Are the bytes of each word under its mask all ASCII digits? Adding 0x46 sets the high bit of a byte above
    '9', subtracting 0x30 that of a byte below '0'; carries and borrows only reach the bytes above the lowest
    wrong one, which is flagged already."""
    return (((words + _ADD46) | (words - _ZEROS)) & (_HIGH_BITS & masks)) == 0


def _chrom_pos(lines: bytes, start: int, end: int) -> tuple[bytes, bytes] | None:
    """CHROM (at most 7 bytes) and POS (at most 10) of the line from `start` to `end` (its newline), when it has
    both and is not a '#' line."""
    chrom_end = lines.find(b"\t", start, min(end, start + _KEY_BYTES))
    pos_end = lines.find(b"\t", chrom_end + 1, min(end, chrom_end + 2 + _POS_DIGITS)) if chrom_end > start else -1
    if pos_end < 0 or lines[start] == 35:  # a '#' line among the records: the full pass names it
        return None
    return lines[start:chrom_end], lines[chrom_end + 1:pos_end]


@dataclass
class ScanResult:
    """What a scan saw: all records read, and the input line numbers of the candidates written."""

    records: int = 0
    candidate_lines: list[int] = field(default_factory=list)
    other_hits: int = 0
    records_skipped: int = 0
    """Records that the quick pass proved to be far from every region (counted in `records`)."""
    records_in_pieces: int = 0
    """Records passed over a whole piece at a time (counted in `records` and `records_skipped`)."""
    first_contig: str | None = None


class TextScanner:
    """Finds the lines of a VCF body whose CHROM/POS/REF span overlaps the target regions.

    `columns` is the number of columns of the #CHROM line; every record must have exactly as many.
    """

    def __init__(self, regions: Regions, declared_contigs: set[str], source: str, columns: int,
                 other: Regions | None = None, reads_end: bool = True) -> None:
        """`other`, numbered like `regions` (same contigs), is only counted: the records it would keep. `reads_end`:
        the header declares INFO/END an Integer (else htslib, and so this scan, never reads it)."""
        self._columns = columns
        self._reads_end = reads_end
        self._regions = regions
        self._other = other
        self._source = source
        self._declared = declared_contigs
        self._codes: dict[bytes, int] = {}
        self._long_codes: dict[bytes, int] = {}  # longer names (NC_060925.1, chrUn_KI270742v1): compared byte-wise
        for code, contig in enumerate(regions.contigs):
            for spelling in contig_spellings(contig):
                (self._codes if len(spelling) <= _KEY_BYTES else self._long_codes)[spelling.encode()] = code
        keys = {_name_key(name): code for name, code in self._codes.items()}
        order = sorted(keys)
        self._keys = np.array(order or [0], dtype=np.uint64)
        self._key_codes = np.array([keys[k] for k in order] or [-1], dtype=np.int64)
        self._checked_names: set[bytes] = set()
        self._last_name: bytes | None = None  # CHROM of the last line checked for a declared contig

    def scan(self, chunks: Iterator[bytes], first_line: int, out: BinaryIO,
             after_chunk: Callable[[ScanResult], None] | None = None) -> ScanResult:
        """Read all chunks; write candidate lines (newline-terminated) to `out`.

        `first_line` is the 1-based input line number of the first byte of the first chunk; `after_chunk` is
        given the result so far after each chunk.
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
                line_no = self._scan_lines(b"".join((rest, chunk[: first + 1], _PAD)), line_no, out, result)
            else:
                first = -1
            last = chunk.rfind(b"\n")
            if last > first and len(chunk) > len(_PAD):  # (a piece's word reads need that many bytes)
                line_no = self._scan_pieces(chunk, first + 1, last + 1, line_no, out, result)
            elif last > first:
                whole = memoryview(chunk)[first + 1:last + 1]
                line_no = self._scan_lines(b"".join((whole, _PAD)), line_no, out, result)
            rest = chunk[last + 1:]
            if after_chunk is not None:
                after_chunk(result)
        if rest:
            self._scan_lines(b"".join((rest, b"\n", _PAD)), line_no, out, result)
        return result

    def _scan_pieces(self, text: bytes, begin: int, end: int, line_no: int, out: BinaryIO,
                     result: ScanResult) -> int:
        """Scan the whole lines text[begin:end] piece by piece: the pieces proven far from every region are counted,
        the runs of the others go to _scan_lines. Returns the next line number."""
        view = memoryview(text)
        codes = np.frombuffer(text, dtype=np.uint8)
        words = np.ndarray((len(text) - _KEY_BYTES + 1,), dtype="<u8", buffer=codes, strides=(1,))
        run = at = begin
        while at < end:
            cut = text.find(b"\n", min(at + PIECE_BYTES, end) - 1, end) + 1
            lines = self._quiet_piece(text, codes, words, at, cut)
            if lines:
                if run < at:
                    line_no = self._scan_lines(b"".join((view[run:at], _PAD)), line_no, out, result)
                if result.first_contig is None:
                    result.first_contig = text[at:text.find(b"\t", at)].decode(errors="replace")
                line_no += lines
                result.records += lines
                result.records_skipped += lines
                result.records_in_pieces += lines
                run = cut
            at = cut
        if run < end:
            line_no = self._scan_lines(b"".join((view[run:end], _PAD)), line_no, out, result)
        return line_no

    def _quiet_piece(self, text: bytes, codes: np.ndarray, words: np.ndarray, at: int, cut: int) -> int:
        """The number of lines of text[at:cut] (whole lines) when none of them can reach a region, nor an `other`
        one; else 0. `codes` are the bytes of `text`, `words` the little-endian word at each of them."""
        first_end = text.find(b"\n", at, cut)
        last_start = max(text.rfind(b"\n", at, cut - 1), at - 1) + 1
        ends_of = self._ends(text, at, first_end, last_start, cut - 1)
        if ends_of is None:
            return 0
        chrom, low, high = ends_of
        digits = len(low)
        name_len = len(chrom) + 1
        if high < low or last_start + name_len + _KEY_BYTES + digits >= len(text):
            return 0
        shown = min(digits, _KEY_BYTES)  # the range is checked on the first eight digits
        scale = 10 ** (digits - shown)
        first, last = int(low[:shown]), int(high[:shown])
        if ((last + 1) * scale - 1 > _MAX_POS or self._near(chrom, first * scale, (last + 1) * scale + cut - at)
                or (text.find(b"<", at, cut) >= 0 and _STRUCTURAL.search(text, at, cut) is not None)):
            return 0
        piece = codes[at:cut]
        if piece.min() < _TAB:
            return 0
        ends = _newlines(text, piece, at, first_end, cut)
        if np.count_nonzero(piece == _TAB) != len(ends) * (self._columns - 1):
            return 0
        starts = ends + (at + 1)
        starts[1:] = starts[:-1]
        starts[0] = at
        if not ((words[starts] & _MASKS[name_len]) == _word(chrom + b"\t")).all():
            return 0
        pos_at = starts + name_len
        leading = words[pos_at]
        mask = _MASKS[shown]
        keys = (leading & mask).byteswap() >> np.uint64(8 * (_KEY_BYTES - shown))  # the digits in reading order
        least = np.uint64(_word(low[:shown][::-1]))
        in_range = ((keys - least) <= np.uint64(_word(high[:shown][::-1])) - least).all()
        if not in_range or not _all_digits(leading, mask).all():
            return 0
        if digits == shown:
            return len(ends) if (piece[pos_at + (digits - at)] == _TAB).all() else 0
        rest = words[pos_at + shown]  # the ninth and tenth digits, then a tab
        tab = _MASKS[digits - shown + 1] ^ _MASKS[digits - shown]
        if not ((rest & tab) == np.uint64(_TAB << 8 * (digits - shown))).all():
            return 0
        return len(ends) if _all_digits(rest, _MASKS[digits - shown]).all() else 0

    def _near(self, chrom: bytes, start: int, end: int) -> bool:
        """Does a region (or an `other` one) overlap chrom:start-end?"""
        code = self._codes.get(chrom, -1)
        if code < 0:
            return False
        contig = self._regions.contigs[code]
        return self._regions.overlaps(contig, start, end) or (
            self._other is not None and self._other.overlaps(contig, start, end))

    def _scan_lines(self, lines: bytes, line_no: int, out: BinaryIO, result: ScanResult) -> int:
        """Scan whole lines (`lines` ends with a newline and then _PAD): the quick pass, then the full pass on the
        lines it proves nothing about. Returns the next line number."""
        padded = np.frombuffer(lines, dtype=np.uint8)
        buf = padded[:len(lines) - len(_PAD)]
        ends = np.flatnonzero(buf == 10)
        numbers = line_no + np.arange(len(ends))
        starts = np.empty_like(ends)
        starts[:1] = 0
        starts[1:] = ends[:-1] + 1
        filled = _filled(buf, starts, ends) if result.first_contig is None else None
        if filled is not None and filled.any():
            first = int(np.flatnonzero(filled)[0])
            name_end = lines.find(b"\t", int(starts[first]), int(ends[first]))
            result.first_contig = lines[starts[first]:name_end if name_end >= 0 else ends[first]].decode(
                errors="replace")
        if (buf < _TAB).any():
            self._scan_block(buf, numbers, out, result)  # names the line with the control character
            return line_no + len(ends)
        bounds, proven = self._quiet_segments(lines, padded, starts, ends)
        structural = _structural_lines(lines, ends)
        if len(structural):
            proven[np.searchsorted(bounds, structural, side="right") - 1] = False
        keep = np.repeat(~proven, np.diff(bounds))
        view = memoryview(lines)
        rest = np.frombuffer(b"".join(view[starts[bounds[i]]:ends[bounds[i + 1] - 1] + 1]
                                      for i in np.flatnonzero(~proven).tolist()), dtype=np.uint8)
        skipped = len(ends) - int(keep.sum())
        if np.count_nonzero(buf == _TAB) - np.count_nonzero(rest == _TAB) != skipped * (self._columns - 1):
            rest, keep, skipped = buf, np.ones(len(ends), dtype=bool), 0  # a bad column count: the full pass names it
        result.records += skipped
        result.records_skipped += skipped
        if len(rest):
            self._scan_block(rest, numbers[keep], out, result)
        return line_no + len(ends)

    def _quiet_segments(self, lines: bytes, padded: np.ndarray, starts: np.ndarray, ends: np.ndarray
                        ) -> tuple[list[int], np.ndarray]:
        """Cut the lines into segments: the first line of each, then the end (`bounds`), and for each segment whether
        no line of it can overlap a region, nor an `other` one (`proven`). Segments are GROUP_LINES lines, or
        FINE_LINES within a group that as a whole proves nothing (near a region)."""
        bounds: list[int] = []
        plans: list[tuple[int, int, int, int, int] | None] = []
        for group in range(0, len(ends), GROUP_LINES):
            cuts = list(range(group, min(group + GROUP_LINES, len(ends)), FINE_LINES))
            plan = self._plan(lines, starts, ends, group, min(group + GROUP_LINES, len(ends)) - 1)
            if plan is not None or len(cuts) == 1:
                cuts = [group]
                plans.append(plan)
            else:
                plans += [self._plan(lines, starts, ends, cut, min(cut + FINE_LINES, len(ends)) - 1) for cut in cuts]
            bounds += cuts
        bounds.append(len(ends))
        proven = np.array([plan is not None for plan in plans], dtype=bool)
        if not proven.any():
            return bounds, proven
        segment = np.repeat(np.arange(len(plans)), np.diff(bounds))
        name_len, name_word, prefix_len, prefix_word, digits = (
            np.array(column, dtype=dtype)[segment] for column, dtype in
            zip(zip(*(plan or _NO_PLAN for plan in plans), strict=True), _PLAN_TYPES, strict=True))
        words = np.ndarray((len(padded) - _KEY_BYTES + 1,), dtype="<u8", buffer=padded, strides=(1,))
        pos_at = starts + name_len
        head = words[pos_at]
        tail_len = np.minimum(digits, _KEY_BYTES)
        fine = (words[starts] & _MASKS[name_len]) == name_word
        fine &= (head & _MASKS[prefix_len]) == prefix_word
        fine &= _all_digits(head, _MASKS[tail_len])
        fine &= _all_digits(words[pos_at + digits - tail_len], _MASKS[tail_len])
        fine &= padded[pos_at + digits] == _TAB
        proven[segment[~fine]] = False
        return bounds, proven

    def _plan(self, lines: bytes, starts: np.ndarray, ends: np.ndarray, first_line: int, last_line: int
              ) -> tuple[int, int, int, int, int] | None:
        """What every line from `first_line` to `last_line` must look like for none of them to reach a region:
        (CHROM+tab length, its bytes as a word, POS prefix length, the prefix as a word, POS digits). None when
        the first and last of the lines allow no such proof."""
        first, end = int(starts[first_line]), int(ends[last_line])
        ends_of = self._ends(lines, first, int(ends[first_line]), int(starts[last_line]), end)
        if ends_of is None:
            return None
        chrom, pos, last_pos = ends_of
        digits = len(pos)
        low, high, scale = int(pos), int(last_pos), 1
        while low != high or low >= 10 ** _KEY_BYTES:  # the leading digits they share, at most 8 of them
            low, high, scale = low // 10, high // 10, scale * 10
        if low == 0:
            return None
        prefix = pos[:len(str(low))]
        low *= scale
        high = low + scale - 1
        if high > _MAX_POS:
            return None
        code = self._codes.get(chrom, -1)
        if code >= 0:
            contig, reach = self._regions.contigs[code], high + end - first  # a REF is shorter than its group
            if self._regions.overlaps(contig, low, reach) or (
                    self._other is not None and self._other.overlaps(contig, low, reach)):
                return None
        return len(chrom) + 1, _word(chrom + b"\t"), len(prefix), _word(prefix), digits

    def _ends(self, text: bytes, first: int, first_end: int, last: int, last_end: int
              ) -> tuple[bytes, bytes, bytes] | None:
        """CHROM and the POS of the first and the last of some lines (starting at `first` and `last`), when they can
        bound the lines between: one declared contig, POS plain digits of one length without a leading zero."""
        head, tail = _chrom_pos(text, first, first_end), _chrom_pos(text, last, last_end)
        if head is None or tail is None or head[0] != tail[0]:
            return None
        chrom, low = head
        high = tail[1]
        if len(high) != len(low) or not (low + high).isdigit() or low[0] == 48 or not self._declared_name(chrom):
            return None
        return chrom, low, high

    def _declared_name(self, name: bytes) -> bool:
        """Is a CHROM declared in the header (or does the header declare no contigs)? Remembered per name."""
        if not self._declared or name in self._checked_names:
            return True
        if name.decode(errors="replace") not in self._declared:
            return False  # the full pass names the line
        self._checked_names.add(name)
        return True

    def _fail(self, line: int, message: str) -> None:
        raise _BadLine(self._source, message, line)

    def _scan_block(self, buf: np.ndarray, numbers: np.ndarray, out: BinaryIO, result: ScanResult) -> None:
        """The full pass: scan whole lines (buf ends with a newline), whose input line numbers are `numbers`."""
        last_name = self._last_name
        try:
            parsed = self._parse_block(buf, numbers)
        except _BadLine as bad:
            self._raise_first(buf, numbers, bad, last_name)
        if parsed is None:
            return
        starts, ends, numbers, codes, positions, last_bases = parsed
        hits = np.flatnonzero(self._regions.overlaps_many(codes, positions, last_bases))
        if self._other is not None:
            result.other_hits += int(self._other.overlaps_many(codes, positions, last_bases).sum())
        for i in hits:
            line = buf[starts[i]:ends[i]].tobytes()
            out.write(line[:-1] if line.endswith(b"\r") else line)
            out.write(b"\n")
        result.candidate_lines.extend(numbers[hits].tolist())
        result.records += len(starts)

    def _raise_first(self, buf: np.ndarray, numbers: np.ndarray, bad: _BadLine, last_name: bytes | None) -> None:
        """Raise the error of the block's first bad line: each check runs over all the lines, so the first line
        that one check refuses may come after a line that a later check refuses. The lines before it are checked
        again, until none is bad."""
        while True:
            before = int(np.searchsorted(numbers, bad.line))
            if before == 0:
                raise bad
            start = int(np.flatnonzero(buf == 10)[before - 1]) + 1
            buf, numbers = buf[:start], numbers[:before]
            self._last_name = last_name
            try:
                self._parse_block(buf, numbers)
            except _BadLine as earlier:
                bad = earlier
                continue
            raise bad

    def _parse_block(self, buf: np.ndarray, numbers: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """Check whole lines and read them: (starts, ends, line numbers, contig codes, POS, last bases) of the
        lines that are not blank, None when all are. Raises _BadLine."""
        cut = len(buf)
        marks = np.flatnonzero(buf <= 10)  # tabs and newlines, in one pass over the bytes
        kinds = buf[marks]
        if (kinds < 9).any():
            where = int(marks[np.flatnonzero(kinds < 9)[0]])
            self._fail(int(numbers[int((buf[:where] == 10).sum())]), "control character in the text (binary data?)")
        newline = np.flatnonzero(kinds == 10)
        previous = np.empty_like(newline)
        previous[0] = -1
        previous[1:] = newline[:-1]
        ends = marks[newline]
        starts = np.where(previous >= 0, marks[previous] + 1, 0)
        nonempty = _filled(buf, starts, ends)
        if not nonempty.all():
            starts, ends, numbers = starts[nonempty], ends[nonempty], numbers[nonempty]
            newline, previous = newline[nonempty], previous[nonempty]
        if len(starts) == 0:
            return None
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
        for name, code in self._long_codes.items():
            same_length = np.flatnonzero(name_len == len(name))
            if len(same_length):
                window = buf[starts[same_length, None] + np.arange(len(name))]
                codes[same_length[(window == np.frombuffer(name, dtype=np.uint8)).all(axis=1)]] = code

        pos_len = t_pos - t_chrom - 1
        digits = buf[t_pos[:, None] - _POS_DIGITS + _COLS_POS] - np.uint8(48)
        in_field = (_POS_DIGITS - pos_len)[:, None] <= _COLS_POS
        bad_pos = (pos_len < 1) | (pos_len > _POS_DIGITS) | ((digits > 9) & in_field).any(axis=1)
        if bad_pos.any():
            bad = int(np.flatnonzero(bad_pos)[0])
            text = buf[t_chrom[bad] + 1:t_pos[bad]].tobytes().decode(errors="replace")
            long = text.isascii() and text.isdigit()
            self._fail(int(numbers[bad]), f"POS '{text}' has more than {_POS_DIGITS} digits" if long else
                       f"POS '{text}' is not a whole number (0 or more)")
        digits *= in_field
        positions = np.zeros(len(digits), dtype=np.int64)
        for column in range(_POS_DIGITS):
            positions *= 10
            positions += digits[:, column]
        if (positions > _MAX_POS).any():
            self._fail(int(numbers[np.flatnonzero(positions > _MAX_POS)[0]]), "POS is larger than 2^31-1")
        ref_len = t_ref - t_id - 1
        last_bases = positions + np.maximum(ref_len, 1) - 1
        for i in _structural_lines(buf.tobytes(), ends).tolist() if self._reads_end else ():
            last_bases[i] = max(last_bases[i], _info_end(buf[starts[i]:ends[i]].tobytes()))
        empty = np.flatnonzero(ref_len < 1)
        if len(empty):  # named only where it reaches a region: whether a far line gets here depends on the chunks
            reaching = self._regions.overlaps_many(codes[empty], positions[empty], last_bases[empty])
            if self._other is not None:
                reaching |= self._other.overlaps_many(codes[empty], positions[empty], last_bases[empty])
            if reaching.any():
                self._fail(int(numbers[empty[np.flatnonzero(reaching)[0]]]), "empty REF")
        return starts, ends, numbers, codes, positions, last_bases

    def _check_contigs(self, buf: np.ndarray, cut: int, keys: np.ndarray, name_len: np.ndarray,
                       starts: np.ndarray, t_chrom: np.ndarray, numbers: np.ndarray) -> None:
        """Every CHROM must be a declared contig: check each line whose CHROM is not the line before's. Names of up to
        8 bytes are compared as words; longer ones byte by byte (alt and decoy names differ in their middle)."""
        changed = np.empty(len(keys), dtype=bool)
        changed[1:] = (keys[1:] != keys[:-1]) | (name_len[1:] != name_len[:-1])
        first = bytes(buf[starts[0]:t_chrom[0]])
        changed[0] = first != self._last_name
        self._last_name = bytes(buf[starts[-1]:t_chrom[-1]])
        long_names = np.flatnonzero(name_len > _KEY_BYTES)
        if len(long_names):
            changed[long_names[1:]] |= _long_names_differ(buf, starts, name_len, long_names)
        for i in np.flatnonzero(changed):
            name = bytes(buf[starts[i]:t_chrom[i]])
            if not self._declared_name(name):
                self._fail(int(numbers[i]), f"contig '{name.decode(errors='replace')}' is not declared in the "
                           "header (##contig lines); fix the header, e.g. with bcftools reheader --fai")


def _long_names_differ(buf: np.ndarray, starts: np.ndarray, name_len: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """For each of `lines` (names longer than a word) but the first: does its name differ from the name of the line
    before it in `lines`? Names of one length are compared as byte rows, a few MB at a time (so the time grows with
    the bytes of the names, not with the longest one)."""
    lengths = name_len[lines]
    differs = lengths[1:] != lengths[:-1]
    same_length = np.flatnonzero(~differs)  # pair k: lines[k] and lines[k + 1]
    for length in np.unique(lengths[same_length]).tolist():
        pairs = same_length[lengths[same_length] == length]
        columns = np.arange(length)
        step = max(1, _COMPARE_BYTES // length)
        for at in range(0, len(pairs), step):
            some = pairs[at:at + step]
            differs[some] = (buf[starts[lines[some], None] + columns] !=
                             buf[starts[lines[some + 1], None] + columns]).any(axis=1)
    return differs


class _BadLine(InputError):
    """A bad line and its number (the full pass looks for an earlier one before reporting it)."""

    def __init__(self, source: str, message: str, line: int) -> None:
        super().__init__(source, message, line=line)
        self.line = line


def _filled(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which of the lines (from `starts` to their newline at `ends`) are not blank, also as "\\r\\n"."""
    return (ends > starts) & ((ends > starts + 1) | (buf[starts] != 13))


def _newlines(text: bytes, piece: np.ndarray, at: int, first_end: int, cut: int) -> np.ndarray:
    """Where the newlines of text[at:cut] (`piece`; the first is at `first_end`) are, counted from `at`. Long lines (a
    cohort's) are found one by one with bytes.find (memchr), several times quicker than comparing every byte."""
    if first_end - at < _LONG_LINE:
        return np.flatnonzero(piece == 10)
    ends = []
    while first_end >= 0:
        ends.append(first_end - at)
        first_end = text.find(b"\n", first_end + 1, cut)
    return np.array(ends, dtype=np.intp)


def _structural_lines(text: bytes, ends: np.ndarray) -> np.ndarray:
    """Indices of the lines (ending at `ends`) that hold a structural ALT; a text without '<' is passed over at
    memchr speed."""
    if text.find(b"<") < 0:
        return np.empty(0, dtype=np.int64)
    hits = [match.start() for match in _STRUCTURAL.finditer(text)]
    return np.unique(np.searchsorted(ends, hits)) if hits else np.empty(0, dtype=np.int64)


def _info_end(line: bytes) -> int:
    """INFO/END of a record line with a structural ALT, read as htslib reads an END declared Integer: one value, a
    leading '+' and the digits up to the first other character (END=+100 and END=100.0 are 100), not before POS
    and at most 2^31-1; of several END keys, the last such one. 0 when there is none."""
    fields = line.rstrip(b"\r").split(b"\t", 8)
    if len(fields) < 8 or not any(structural_kind(alt.decode(errors="replace")) for alt in fields[4].split(b",")):
        return 0
    pos, end = int(fields[1]), 0
    for item in fields[7].split(b";"):
        if item.startswith(b"END="):
            value = _END.match(item, 4)
            if value is None or b"," in item or len(value.group(1).lstrip(b"0")) > _POS_DIGITS:
                continue
            if pos <= (number := int(value.group(1))) <= _MAX_POS:
                end = number
    return end
