"""Target regions: merged 1-based closed intervals per canonical contig, with cheap overlap tests."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

import numpy as np

_SHIFT = 32  # a contig code and a position share one int64: code << 32 | position


class Regions:
    """Sorted, merged intervals per canonical contig ('2', 'X', 'MT').

    `overlaps` answers for one record in Python; `overlaps_many` answers for whole arrays of
    records in numpy, which is what the streaming prefilter uses.
    """

    def __init__(self, intervals: Iterable[tuple[str, int, int]], contigs: Iterable[str] = ()) -> None:
        """`contigs` adds contigs without intervals, so that two Regions built with the same list number their
        contigs alike (`code`) and can be tested on the same arrays."""
        by_contig: dict[str, list[tuple[int, int]]] = {}
        for contig, start, end in intervals:
            by_contig.setdefault(contig, []).append((max(1, start), end))
        self._merged: dict[str, list[tuple[int, int]]] = {}
        for contig, spans in by_contig.items():
            merged: list[tuple[int, int]] = []
            for start, end in sorted(spans):
                if merged and start <= merged[-1][1] + 1:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                else:
                    merged.append((start, end))
            self._merged[contig] = merged
        self.contigs: tuple[str, ...] = tuple(sorted(set(self._merged) | set(contigs)))
        self._starts = {c: [s for s, _ in spans] for c, spans in self._merged.items()}
        codes = {c: i for i, c in enumerate(self.contigs)}
        flat = [(codes[c] << _SHIFT | s, codes[c] << _SHIFT | e) for c in self.contigs
                for s, e in self._merged.get(c, ())]
        self._global_starts = np.array([s for s, _ in flat], dtype=np.int64)
        self._global_ends = np.array([e for _, e in flat], dtype=np.int64)

    def code(self, contig: str) -> int:
        """Index of a canonical contig in `contigs`, -1 when it is not among them."""
        try:
            return self.contigs.index(contig)
        except ValueError:
            return -1

    def merged(self, contig: str) -> list[tuple[int, int]]:
        return list(self._merged.get(contig, ()))

    def total_bases(self) -> int:
        return sum(e - s + 1 for spans in self._merged.values() for s, e in spans)

    def overlaps(self, contig: str, start: int, end: int) -> bool:
        """Does [start, end] on a canonical contig touch any region?"""
        starts = self._starts.get(contig)
        if not starts:
            return False
        i = bisect_right(starts, end) - 1
        return i >= 0 and self._merged[contig][i][1] >= start

    def overlaps_many(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Vectorised `overlaps` for contig codes (from `code`, -1 = none) and 1-based spans."""
        if len(self._global_starts) == 0:
            return np.zeros(len(codes), dtype=bool)
        g_start = (codes.astype(np.int64) << _SHIFT) | starts
        g_end = (codes.astype(np.int64) << _SHIFT) | ends
        i = np.searchsorted(self._global_starts, g_end, side="right") - 1
        hit = (i >= 0) & (self._global_ends[np.maximum(i, 0)] >= g_start)
        return hit & (codes >= 0)
