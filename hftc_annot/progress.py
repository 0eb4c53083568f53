"""The progress line on stderr for long runs: records read, panel hits and rate, rewritten in place."""

from __future__ import annotations

import time
from typing import TextIO

INTERVAL = 0.5
"""Seconds between updates of the line."""


class Progress:
    """Shows counts on one terminal line; does nothing when not enabled (stderr not a terminal, --quiet)."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self._stream = stream
        self.enabled = enabled
        self._started = time.monotonic()
        self._shown_at = self._started
        self._records = 0
        self._panel = 0
        self._width = 0

    def records(self, count: int) -> None:
        """Records read so far."""
        self._records = count
        self._maybe_show()

    def panel(self, count: int) -> None:
        """Panel records found so far (read, too: the reader may count its records only every few thousand)."""
        self._panel = count
        self._records = max(self._records, count)
        self._maybe_show()

    def _maybe_show(self) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._shown_at < INTERVAL:
            return
        self._shown_at = now
        rate = self._records / max(now - self._started, 1e-9)
        line = (f"hftc-annot: {self._records:,} records read, {self._panel:,} in panel regions, "
                f"{rate:,.0f} records/s")
        self._stream.write("\r" + line.ljust(self._width))
        self._stream.flush()
        self._width = len(line)

    def close(self) -> None:
        """Erase the line, so that the closing summary starts on a clean line."""
        if self.enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0
