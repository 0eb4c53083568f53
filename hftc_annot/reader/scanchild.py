"""The text scan in a forked child process (--threads 2 and more), so that it overlaps the per-record work.

The child inflates and scans the input and streams a VCF of the candidate lines (header first) through a pipe,
which htslib reads as a file; a second pipe carries the candidates' input line numbers (always sent before
the lines themselves), then the scan's counts or its error. A thread cannot do this job: htslib holds the
interpreter lock while it waits for input.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable
from typing import BinaryIO

from hftc_annot.errors import HftcError
from hftc_annot.reader.textscan import ScanResult

Scan = Callable[[BinaryIO, Callable[[ScanResult], None]], ScanResult]
"""Writes the candidate VCF to its first argument, calling the second after each chunk scanned."""

_FRAME = struct.Struct("<Q")


def can_fork() -> bool:
    return hasattr(os, "fork")


class ScanChild:
    """A scan running in a child process. `path` names the candidate VCF as it arrives; `self[i]` is the input
    line of candidate i (0-based); `result()` gives the scan's counts once the candidates have all been read.
    The child's error (a bad line anywhere in the input) is raised by whichever of these meets it first."""

    def __init__(self, scan: Scan) -> None:
        lines_read, lines_write = os.pipe()
        facts_read, facts_write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(lines_read)
            os.close(facts_read)
            _run_child(scan, lines_write, facts_write)
        os.close(lines_write)
        os.close(facts_write)
        self._pid: int | None = pid
        self._lines_fd = lines_read
        self._facts = open(facts_read, "rb")
        self._lines: list[int] = []
        self._result: ScanResult | None = None

    @property
    def path(self) -> str:
        return f"/dev/fd/{self._lines_fd}"

    def __getitem__(self, index: int) -> int:
        while len(self._lines) <= index and self._result is None:
            self._receive()
        return self._lines[index]

    def result(self) -> ScanResult:
        while self._result is None:
            self._receive()
        self._wait()
        return self._result

    def drain(self) -> ScanResult:
        """Read the candidates that are left, unparsed, and wait for the result: raises the child's error."""
        while os.read(self._lines_fd, 1 << 16):
            pass
        return self.result()

    def close(self) -> None:
        """Stop the child if it still runs (the reader stopped early or failed) and release the pipes."""
        if self._pid is not None:
            os.kill(self._pid, signal.SIGKILL)
            self._wait()
        self._facts.close()
        os.close(self._lines_fd)

    def _receive(self) -> None:
        header = self._facts.read(_FRAME.size)
        if len(header) < _FRAME.size:
            self._wait()
            raise RuntimeError("the scanning process ended without its result")
        kind, value = pickle.loads(self._facts.read(_FRAME.unpack(header)[0]))
        if kind == "lines":
            self._lines += value
        elif kind == "done":
            self._result = value
        else:
            self._wait()
            raise value

    def _wait(self) -> None:
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None


def _run_child(scan: Scan, lines_fd: int, facts_fd: int) -> None:
    """The child's whole life: scan, report, and leave without running any of the parent's cleanup."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the run, and this process with it
    status = 1
    try:
        with open(lines_fd, "wb") as out, open(facts_fd, "wb") as facts:
            pending = io.BytesIO()
            sent = 0

            def flush(result: ScanResult) -> None:
                nonlocal sent
                if len(result.candidate_lines) > sent:  # never an empty frame: unread, they could fill the pipe
                    _send(facts, "lines", result.candidate_lines[sent:])
                    sent = len(result.candidate_lines)
                out.write(pending.getbuffer())
                out.flush()
                pending.seek(0)
                pending.truncate()

            try:
                result = scan(pending, flush)
                flush(result)
                result.candidate_lines = []
                _send(facts, "done", result)
            except HftcError as exc:
                _send(facts, "error", exc)
            except Exception as exc:  # a bug: the parent reports it as one
                _send(facts, "error", RuntimeError(f"in the scanning process: {type(exc).__name__}: {exc}"))
        status = 0
    except BaseException:  # the parent stopped reading (broken pipe) or was stopped: nothing to report
        pass
    finally:
        os._exit(status)


def _send(facts: BinaryIO, kind: str, value: object) -> None:
    data = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
    facts.write(_FRAME.pack(len(data)))
    facts.write(data)
    facts.flush()
