"""VEP's splice windows (splice_windows.tsv) for intron bases and for insertions between two intron bases.

Distances count intron bases from the donor (5') and acceptor (3') ends of the intron in transcript orientation,
the first base of each end being 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hftc_annot.resources import package_table


@dataclass(frozen=True)
class Window:
    term: str
    measured_from: str
    first: int
    last: int | None

    def holds(self, donor: int, acceptor: int) -> bool:
        distance = {"donor": donor, "acceptor": acceptor, "nearest": min(donor, acceptor)}[self.measured_from]
        return self.first <= distance and (self.last is None or distance <= self.last)


@cache
def windows() -> tuple[Window, ...]:
    return tuple(Window(row["term"], row["measured_from"], int(row["first"]),
                        None if row["last"] == "." else int(row["last"]))
                 for row in package_table("hftc_annot.consequence", "splice_windows.tsv"))


def base_terms(donor: int, acceptor: int) -> frozenset[str]:
    """The terms of one intron base ('_splice_region' stands for splice_region_variant until settled)."""
    beyond = _beyond_windows()  # every distance past the windows' bounds gives the same terms: one cache entry
    return _base_terms(min(donor, beyond), min(acceptor, beyond))


@cache
def _base_terms(donor: int, acceptor: int) -> frozenset[str]:
    return frozenset(w.term for w in windows() if w.holds(donor, acceptor))


@cache
def _beyond_windows() -> int:
    return max(max(w.first, w.last or 0) for w in windows()) + 1


def insertion_terms(upstream: tuple[int, int], downstream: tuple[int, int]) -> set[str]:
    """The terms of an insertion between two intron bases, each given as (donor, acceptor) distances: a window's
    term when both flanking bases lie in that window (VEP's convention), and for an insertion between the 2nd and
    3rd base of either end, which VEP special-cases, the splice region and intron_variant."""
    terms = {w.term for w in windows() if w.holds(*upstream) and w.holds(*downstream)}
    if upstream[0] == 2 or downstream[1] == 2:
        terms |= {"_splice_region", "intron_variant"}
    return terms
