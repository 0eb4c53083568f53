"""Target regions: merging and the scalar and vectorised overlap tests, against brute force."""

from __future__ import annotations

import numpy as np

from hftc_annot.regions import Regions


def test_merging_touching_and_overlapping() -> None:
    regions = Regions([("2", 10, 20), ("2", 21, 30), ("2", 25, 40), ("2", 50, 60), ("X", 5, 5)])
    assert regions.merged("2") == [(10, 40), (50, 60)]
    assert regions.merged("X") == [(5, 5)]
    assert regions.contigs == ("2", "X")
    assert regions.total_bases() == 31 + 11 + 1


def test_edges() -> None:
    regions = Regions([("2", 100, 200)])
    assert regions.overlaps("2", 100, 100) and regions.overlaps("2", 200, 200)
    assert not regions.overlaps("2", 99, 99) and not regions.overlaps("2", 201, 201)
    assert regions.overlaps("2", 90, 100)  # a deletion reaching the first base
    assert not regions.overlaps("3", 150, 150)


def test_vectorised_equals_brute_force() -> None:
    rng = np.random.default_rng(7)
    spans = [(c, int(s), int(s + rng.integers(0, 500))) for c in ("1", "2", "X")
             for s in rng.integers(1, 100_000, size=40)]
    regions = Regions(spans)
    contigs = rng.choice(["1", "2", "X", "7"], size=20_000)
    starts = rng.integers(1, 101_000, size=20_000)
    ends = starts + rng.integers(0, 50, size=20_000)
    codes = np.array([regions.code(c) for c in contigs])
    fast = regions.overlaps_many(codes, starts, ends)
    brute = [any(c == sc and s <= e2 and s2 <= e for sc, s2, e2 in spans) for c, s, e in zip(contigs, starts, ends,
                                                                                            strict=True)]
    assert fast.tolist() == brute
    assert [regions.overlaps(c, int(s), int(e)) for c, s, e in zip(contigs, starts, ends, strict=True)] == brute
