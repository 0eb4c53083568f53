"""The error tree: every problem a user can fix is an HftcError carrying a one-line message."""

from __future__ import annotations

import gzip
import os
import stat
import zlib


class HftcError(Exception):
    """A problem with the user's input or options; the CLI prints it on one line and exits 2."""

    exit_code = 2


class InputError(HftcError):
    """Bad content in an input file, located by file name and (where known) line or record."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        where = f"{source}: line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")
        self._parts = (source, message, line)

    def __reduce__(self) -> tuple:
        return type(self), self._parts  # picklable: a scan in a child process reports it (reader/scanchild.py)


class UsageError(HftcError):
    """Options that cannot work together or name something that does not exist."""


class ResourceError(HftcError):
    """A shipped data file is missing or damaged (a broken installation, not a user error)."""

    exit_code = 1


def text_lines(path: str, advice: str = "") -> list[tuple[int, str]]:
    """A user's small text file (plain or gzipped) as (line number, line without its end) pairs; CR, LF and CRLF end
    lines alike and a UTF-8 byte order mark at the start is dropped. A line that is not UTF-8 is an InputError naming
    it (`advice`, when given, is added to the message)."""
    data = read_bytes(path)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as exc:
            raise InputError(path, f"cannot read: corrupt or truncated gzip ({exc})") from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    lines = []
    for number, raw in enumerate(data.splitlines(), 1):
        lines.append((number, utf8_line(path, number, raw, advice)))
    return lines


def utf8_line(path: str, number: int, raw: bytes, advice: str = "") -> str:
    """Line `number` of a user's file as text; bytes that are not UTF-8 are an InputError naming the line."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(path, f"not UTF-8 text{advice}", line=number) from None


_STREAMED: dict[str, bytes] = {}
"""The bytes of the small files read from a pipe (a process substitution, a FIFO), by path: a pipe can be read only
once, and a run may need a file twice (to parse it, then for its checksum in the preamble)."""


def read_bytes(path: str) -> bytes:
    """A user's file, whole (a pipe's bytes are kept for a second read); failure is an InputError naming it."""
    if path in _STREAMED:
        return _STREAMED[path]
    try:
        with open(path, "rb") as handle:
            data = handle.read()
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                _STREAMED[path] = data
            return data
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
