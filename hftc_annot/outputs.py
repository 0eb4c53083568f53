"""Files the user asks us to write: checked before any input is read, filled in temporary files, and published
only when the whole run has succeeded, without ever replacing anything that is not a regular file.

Where an output goes, by what its path names:
- `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`: the process's open descriptor, written as it is (a shell's
  `>>` keeps appending);
- an existing character device or named pipe (`/dev/null`, a FIFO of a pipeline): opened and written;
- a regular file, or a name that does not exist yet: a temporary file beside it, renamed onto it;
- a symbolic link: the same rules for the file it points to; the link stays a link.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import secrets
import shutil
import stat
import struct
import sys
import tempfile
import zlib
from dataclasses import dataclass
from types import TracebackType

from hftc_annot.errors import UsageError
from hftc_annot.reader.sniff import BGZF_EOF

_DESCRIPTOR = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")
_STANDARD = {"-": 1, "/dev/stdout": 1, "/dev/stderr": 2}


@dataclass(frozen=True)
class Destination:
    """Where one output ends up: an open descriptor, a special file to write through, or a regular file."""

    option: str
    path: str
    descriptor: int | None = None
    special: str | None = None
    regular: str | None = None

    @property
    def compressed(self) -> bool:
        return self.path.lower().endswith((".gz", ".bgz"))


def destination(path: str, option: str) -> Destination:
    """Check that `path` can take an output and say how it will be written; a UsageError when it cannot."""
    fd = _STANDARD.get(path)
    match = _DESCRIPTOR.match(path)
    if fd is None and match:
        fd = int(match.group(1))
    if fd is not None:
        try:
            os.fstat(fd)
        except OSError:
            raise UsageError(f"{option} {path}: descriptor {fd} is not open") from None
        return Destination(option, path, descriptor=fd)
    target = os.path.realpath(path)
    try:
        mode = os.stat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write ({exc.strerror})") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UsageError(f"{option} {path}: is a directory")
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        if not os.access(target, os.W_OK):
            raise UsageError(f"{option} {path}: is not writable")
        return Destination(option, path, special=target)
    if mode is not None and not stat.S_ISREG(mode):
        raise UsageError(f"{option} {path}: is not a regular file, a character device or a named pipe; "
                         "refusing to write to it")
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        raise UsageError(f"{option} {path}: directory {directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {path}: directory {directory} is not writable")
    if mode is not None and not os.access(target, os.W_OK):
        raise UsageError(f"{option} {path}: the file exists and is not writable")
    return Destination(option, path, regular=target)


class Outputs:
    """The outputs of one command, by slot name ('output', 'report', ...): each is written to `temp(slot)`
    and published by `publish()`; leaving the `with` block any other way removes every temporary file."""

    def __init__(self, inputs: tuple[str, ...] = ()) -> None:
        self._inputs = tuple(path for path in inputs if path != "-" and os.path.exists(path))
        self._destinations: dict[str, Destination] = {}
        self._temps: dict[str, str] = {}
        self._descriptors: dict[str, int] = {}
        self._streams: dict[tuple[int, int], Destination] = {}

    def add(self, slot: str, path: str, option: str) -> Destination:
        """Check `path` now (before any input is read) and reserve a temporary file for it."""
        found = destination(path, option)
        if found.regular is not None:
            self._check_regular(found)
        else:
            self._check_stream(slot, found)
        directory = os.path.dirname(found.regular) if found.regular else None
        temp = os.path.join(directory or tempfile.gettempdir(), f".hftc-annot-{secrets.token_hex(8)}.part")
        self._temps[slot] = temp  # before the file exists: a stop (SIGTERM, Ctrl-C) just as it is made removes it too
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as exc:
            del self._temps[slot]
            raise UsageError(f"{option} {path}: cannot create a temporary file in {directory or tempfile.gettempdir()}"
                             f" ({exc.strerror})") from None
        self._destinations[slot] = found
        return found

    def _check_regular(self, found: Destination) -> None:
        for source in self._inputs:
            if os.path.exists(found.regular) and os.path.samefile(source, found.regular):
                raise UsageError(f"{found.option} {found.path} is one of the inputs ({source}); hftc-annot never "
                                 "overwrites its input")
        for other in self._destinations.values():
            if other.regular == found.regular:
                raise UsageError(f"{found.option} {found.path} and {other.option} {other.path} name the same file")

    def _check_stream(self, slot: str, found: Destination) -> None:
        """Two outputs may share a character device (/dev/null, a terminal), not a pipe or a file; a descriptor
        is duplicated now, so that the number cannot name another file by the time the run ends."""
        if found.descriptor is not None:
            self._descriptors[slot] = os.dup(found.descriptor)
            info = os.fstat(self._descriptors[slot])
        else:
            info = os.stat(found.special)
        if stat.S_ISCHR(info.st_mode):
            return
        other = self._streams.get((info.st_dev, info.st_ino))
        if other is not None:
            raise UsageError(f"{found.option} {found.path} and {other.option} {other.path} name the same pipe or file")
        self._streams[(info.st_dev, info.st_ino)] = found

    def temp(self, slot: str) -> str:
        return self._temps[slot]

    def destination(self, slot: str) -> Destination:
        return self._destinations[slot]

    def text(self, slot: str) -> io.TextIOWrapper:
        """The slot's temporary file as UTF-8 text with '\\n' line ends: gzip-compressed for a '.gz' name, BGZF (what
        the name promises: bgzip -r and tabix read it) for '.bgz'."""
        path = self._destinations[slot].path.lower()
        if path.endswith(".bgz"):
            return io.TextIOWrapper(BgzfWriter(self._temps[slot]), encoding="utf-8", newline="\n")
        raw = io.BufferedWriter(NamedFile(self._temps[slot], "w"))
        packed = _OwningGzipFile(filename="", fileobj=raw, mode="wb", mtime=0) if path.endswith(".gz") else raw
        return io.TextIOWrapper(packed, encoding="utf-8", newline="\n")

    def publish(self) -> None:
        """Move every finished temporary file to its destination: pipes and devices named by path first, then open
        descriptors (standard output: the next step of a pipeline, fed only once the others are written), renames
        last; a temporary file is forgotten only once it has been delivered."""
        ordered = sorted(self._destinations.items(),
                         key=lambda item: (item[1].regular is not None, item[1].descriptor is not None))
        for slot, found in ordered:
            temp = self._temps[slot]
            try:
                if found.regular is not None:
                    _rename(temp, found.regular)
                else:
                    _copy_into(temp, self._descriptors.get(slot), found)
                    os.unlink(temp)
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise UsageError(f"{found.option} {found.path}: cannot write ({exc.strerror})") from None
            del self._temps[slot]

    def discard(self) -> None:
        for temp in self._temps.values():
            if os.path.exists(temp):
                os.unlink(temp)
        self._temps.clear()
        for descriptor in self._descriptors.values():
            os.close(descriptor)
        self._descriptors.clear()

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        """Remove the temporary files; a failure to write one (a full disk) is said of the output it stands for."""
        slot = next((slot for slot, temp in self._temps.items()
                     if isinstance(error, OSError) and error.filename == temp), None)
        self.discard()
        if slot is not None:
            found = self._destinations[slot]
            raise UsageError(f"{found.option} {found.path}: cannot write ({error.strerror})") from None


class NamedFile(io.FileIO):
    """A file opened for writing whose failed writes (a full disk) are OSErrors naming it, so that Outputs says which
    output could not be written; Python's own name none ('[Errno 28] No space left on device')."""

    def write(self, data) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, self.name) from None


class BgzfWriter(io.RawIOBase):
    """BGZF (what bgzip writes: gzip members of at most 64 KiB, then the end-of-file block) into a NamedFile. Written
    here rather than by htslib (pysam.BGZFile), whose failed writes were htslib's lines on stderr and 'Error closing
    BGZFile object', with no errno, raised again as the object was freed."""

    _BLOCK = 0xFF00  # htslib's BGZF_BLOCK_SIZE: the block, compressed or not, fits BSIZE's 16 bits

    def __init__(self, path: str) -> None:
        super().__init__()
        self._file = NamedFile(path, "w")
        self._pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._pending += data
        while len(self._pending) >= self._BLOCK:
            self._file.write(_bgzf_block(bytes(self._pending[:self._BLOCK])))
            del self._pending[:self._BLOCK]
        return len(data)

    def close(self) -> None:
        if self.closed:
            return
        try:
            if self._pending:
                self._file.write(_bgzf_block(bytes(self._pending)))
            self._file.write(BGZF_EOF)
        finally:
            self._file.close()
            super().close()


def _bgzf_block(data: bytes) -> bytes:
    """One BGZF block (SAM/BAM specification, section 4.1): a gzip member whose extra field 'BC' gives its size."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    header = struct.pack("<4BI2BH2BHH", 31, 139, 8, 4, 0, 0, 255, 6, 66, 67, 2, len(packed) + 25)
    return header + packed + struct.pack("<2I", zlib.crc32(data), len(data))


class _OwningGzipFile(gzip.GzipFile):
    """A GzipFile that closes the file object it was given (the temporary file) when it is closed."""

    def close(self) -> None:
        raw = self.fileobj
        try:
            super().close()
        finally:
            if raw is not None:
                raw.close()


def _rename(temp: str, target: str) -> None:
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp, mode)
    os.replace(temp, target)


def _copy_into(temp: str, descriptor: int | None, found: Destination) -> None:
    if descriptor is not None:
        if found.descriptor in (1, 2):
            (sys.stdout if found.descriptor == 1 else sys.stderr).flush()
        sink_fd = descriptor
        closefd = False
    else:
        sink_fd = os.open(found.special, os.O_WRONLY)  # no O_CREAT: never a new file where the device was
        closefd = True
    with open(temp, "rb") as source, open(sink_fd, "wb", closefd=closefd) as sink:
        shutil.copyfileobj(source, sink)
