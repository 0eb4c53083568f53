"""The text scan in a forked child process (--threads 2 and more), so that it overlaps the per-record work.

The child inflates and scans the input and streams a VCF of the candidate lines (header first) through a pipe,
which htslib reads as a file. A second pipe carries length-prefixed frames: the candidates' input line numbers
(each batch sent just before its lines), then the scan's counts or its error. A thread cannot do this job:
htslib holds the interpreter lock while it waits for input.

No pipe may fill while the other side waits on the other pipe. The parent reads every frame that has arrived
each time it takes a record, a batch holds at most BATCH numbers, and the frame pipe is made as large as the
system allows; on an error the parent reads both pipes to their end (select), whatever the child still sends.

A signal that stops the parent (SIGTERM, SIGINT) also stops the child: the parent's Python handler cannot run while
htslib waits for candidates, so the signal's wake-up byte (signal.set_wakeup_fd) goes down a third pipe to a thread
of the child, which then exits; the candidate pipe ends, htslib returns, and the parent's handler runs.
"""

from __future__ import annotations

import io
import os
import pickle
import select
import signal
import struct
import sys
import threading
from collections.abc import Callable
from typing import BinaryIO

from hftc_annot.errors import HftcError
from hftc_annot.reader.textscan import ScanResult

Scan = Callable[[BinaryIO, Callable[[ScanResult], None]], ScanResult]
"""Writes candidate lines to its first argument, calling the second after each chunk scanned."""

BATCH = 1024
_FRAME = struct.Struct("<Q")
_PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = 1031  # fcntl.F_SETPIPE_SZ (Linux), not named by Python before 3.10 on every platform
_STOPPING = frozenset({signal.SIGINT, signal.SIGTERM})


def can_fork() -> bool:
    return hasattr(os, "fork")


class ScanChild:
    """A scan running in a child process. `path` names the candidate VCF as it arrives; `self[i]` is the input
    line of candidate i (0-based); `result()` gives the scan's counts once the candidates have all been read.
    The child's error (a bad line anywhere in the input) is raised by whichever of these meets it first.
    `on_records` is told how many records the child has read, now and then."""

    def __init__(self, header: bytes, scan: Scan, on_records: Callable[[int], None]) -> None:
        lines_read, lines_write = os.pipe()
        facts_read, facts_write = os.pipe()
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        _enlarge(facts_write)
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None where the descriptor was closed when Python started
                stream.flush()
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        try:
            pid = os.fork()
        except OSError:
            for fd in (lines_read, lines_write, facts_read, facts_write, wake_read, wake_write):
                os.close(fd)
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            raise
        if pid == 0:
            _run_child(header, scan, lines_write, facts_write, wake_read, (lines_read, facts_read, wake_write),
                       blocked)
        self._wake_fds = (wake_read, wake_write)  # the read end stays open: a signal after the child has ended
        self._old_wake_fd = _set_wakeup_fd(wake_write)  # must not meet a broken pipe (Python would print it)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(lines_write)
        os.close(facts_write)
        os.set_blocking(facts_read, False)
        self._pid: int | None = pid
        self._lines_fd = lines_read
        self._facts_fd: int | None = facts_read
        self._pending = bytearray()
        self._lines: list[int] = []
        self._result: ScanResult | None = None
        self._error: BaseException | None = None
        self._on_records = on_records

    @property
    def path(self) -> str:
        return f"/dev/fd/{self._lines_fd}"

    def __getitem__(self, index: int) -> int:
        self._pump(wait=False)
        while len(self._lines) <= index:
            self._pump(wait=True)
        return self._lines[index]

    def result(self) -> ScanResult:
        while self._result is None:
            self._pump(wait=True)
        self._wait()
        return self._result

    def drain(self) -> ScanResult:
        """Read what is left of both pipes, unparsed, and wait for the result: raises the child's error."""
        open_fds = [self._lines_fd] + ([self._facts_fd] if self._facts_fd is not None else [])
        while open_fds:
            ready, _, _ = select.select(open_fds, [], [])
            for fd in ready:
                if fd == self._lines_fd:
                    if not os.read(fd, 1 << 16):
                        open_fds.remove(fd)
                elif not self._read_facts():
                    open_fds.remove(fd)
        return self.result()

    def close(self) -> None:
        """Stop the child if it still runs (the reader stopped early or failed) and release the pipes."""
        if self._pid is not None:
            os.kill(self._pid, signal.SIGKILL)
            self._wait()
        if self._facts_fd is not None:
            os.close(self._facts_fd)
            self._facts_fd = None
        os.close(self._lines_fd)
        _set_wakeup_fd(self._old_wake_fd)
        for fd in self._wake_fds:
            os.close(fd)

    def _pump(self, wait: bool) -> None:
        """Take every frame that has arrived; with `wait`, wait for one first (raises if the child is gone). Once
        the child has sent its error, every call raises it."""
        if self._error is not None:
            raise self._error
        if self._facts_fd is not None:
            if wait and not self._has_frame():
                select.select([self._facts_fd], [], [])
            self._read_facts()
        elif wait and not self._has_frame():
            self._wait()
            raise RuntimeError("the scanning process ended without its result")
        while self._has_frame():
            size = _FRAME.unpack_from(self._pending)[0]
            frame = bytes(self._pending[_FRAME.size:_FRAME.size + size])
            del self._pending[:_FRAME.size + size]
            self._take(*pickle.loads(frame))

    def _has_frame(self) -> bool:
        return len(self._pending) >= _FRAME.size and \
            len(self._pending) >= _FRAME.size + _FRAME.unpack_from(self._pending)[0]

    def _read_facts(self) -> bool:
        """Read what the frame pipe holds now; False at its end."""
        assert self._facts_fd is not None
        while True:
            try:
                data = os.read(self._facts_fd, 1 << 16)
            except BlockingIOError:
                return True
            if not data:
                os.close(self._facts_fd)
                self._facts_fd = None
                return False
            self._pending += data

    def _take(self, kind: str, value: object, records: int) -> None:
        if kind == "lines":
            self._on_records(records)
            self._lines += value
        elif kind == "done":
            self._on_records(records)
            self._result = value
        else:
            self._wait()
            self._error = value
            raise value

    def _wait(self) -> None:
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None


def _enlarge(fd: int) -> None:
    """Make a pipe hold up to _PIPE_BYTES where the system lets it (Linux); the default (64 KiB) works too."""
    try:
        import fcntl

        fcntl.fcntl(fd, _F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, OSError):
        pass


def _set_wakeup_fd(fd: int) -> int:
    """signal.set_wakeup_fd where this is the main thread (only there are signals handled); returns the old fd."""
    if threading.current_thread() is not threading.main_thread():
        return -1
    return signal.set_wakeup_fd(fd, warn_on_full_buffer=False)


def _exit_when_parent_stops(wake_fd: int) -> None:
    """In the child: exit at once when the parent receives a stopping signal; return when the parent is gone."""
    while data := os.read(wake_fd, 64):
        if _STOPPING.intersection(data):
            os._exit(1)


def _run_child(header: bytes, scan: Scan, lines_fd: int, facts_fd: int, wake_fd: int,
               parent_ends: tuple[int, ...], blocked: set) -> None:
    """The child's whole life: scan, report, and leave without running any of the parent's cleanup."""
    status = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the run, and this process with it
        signal.set_wakeup_fd(-1)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        for fd in parent_ends:
            os.close(fd)
        threading.Thread(target=_exit_when_parent_stops, args=(wake_fd,), daemon=True).start()
        with open(lines_fd, "wb") as out, open(facts_fd, "wb") as facts:
            out.write(header)
            out.flush()
            pending = io.BytesIO()
            sent = 0

            def flush(result: ScanResult) -> None:
                """Send the new candidates in batches, each batch's line numbers just before its lines."""
                nonlocal sent
                data, at = pending.getvalue(), 0
                numbers = result.candidate_lines[sent:]
                for first in range(0, len(numbers), BATCH):
                    batch = numbers[first:first + BATCH]
                    end = at
                    for _ in batch:
                        end = data.index(b"\n", end) + 1
                    _send(facts, "lines", batch, result.records)
                    out.write(data[at:end])
                    out.flush()
                    at = end
                sent = len(result.candidate_lines)
                pending.seek(0)
                pending.truncate()

            try:
                result = scan(pending, flush)
                flush(result)
                result.candidate_lines = []
                _send(facts, "done", result, result.records)
            except HftcError as exc:
                _send(facts, "error", exc, 0)
            except Exception as exc:  # a bug: the parent reports it as one
                _send(facts, "error", RuntimeError(f"in the scanning process: {type(exc).__name__}: {exc}"), 0)
        status = 0
    except BaseException:  # the parent stopped reading (broken pipe) or was stopped: nothing to report
        pass
    finally:
        os._exit(status)


def _send(facts: BinaryIO, kind: str, value: object, records: int) -> None:
    data = pickle.dumps((kind, value, records), protocol=pickle.HIGHEST_PROTOCOL)
    facts.write(_FRAME.pack(len(data)))
    facts.write(data)
    facts.flush()
