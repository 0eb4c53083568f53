"""The stage order of a run: each record through consequence, frequency and knowledge and into inheritance as it
is read; inheritance decides once it has seen them all; then its results and the tiers, record by record."""

from __future__ import annotations

import numpy as np

from hftc_annot.model import PanelRecord
from hftc_annot.pipeline import Pipeline, write
from hftc_annot.reader.records import Record


class Recorder:
    """A stand-in for every stage: notes each call as (stage, method, record index)."""

    def __init__(self, name: str, calls: list) -> None:
        self.name, self.calls = name, calls

    def hit(self, record: Record):
        self.calls.append((self.name, "hit", record.index))
        return PanelRecord(record, (), (), ".", [])

    def annotate(self, item) -> None:
        self.calls.append((self.name, "annotate", item.key))

    def add(self, item) -> None:
        self.calls.append((self.name, "add", item.key))
        assert item.record.genotypes is not None  # the cohort stage sees the sample columns

    def finish(self) -> None:
        self.calls.append((self.name, "finish", None))

    def write(self, item) -> int:
        self.calls.append((self.name, "write", item.key))
        assert item.record.genotypes is None  # kept without them
        return 2


def record(index: int) -> Record:
    return Record("2", 100 + index, ".", "A", ("G",), (), np.zeros((1, 2), dtype=np.int32), np.zeros(1, bool),
                  None, None, None, None, index=index)


def test_stage_order_and_two_passes() -> None:
    calls: list = []
    stages = {name: Recorder(name, calls) for name in
              ("panel", "consequence", "frequency", "knowledge", "inheritance", "tiers", "writer")}
    pipeline = Pipeline(**{k: v for k, v in stages.items() if k != "writer"})
    seen = []
    kept = pipeline.read([record(0), record(1)], seen.append)
    assert [item.key for item in seen] == [0, 1]
    assert calls == [(name, method, index) for index in (0, 1) for name, method in (
        ("panel", "hit"), ("consequence", "annotate"), ("frequency", "annotate"), ("knowledge", "annotate"),
        ("inheritance", "add"))]
    calls.clear()
    assert write(pipeline.finish(kept), {"report": stages["writer"]}) == {"report": 4}
    assert calls == [("inheritance", "finish", None)] + [
        (name, method, index) for index in (0, 1) for name, method in (
            ("inheritance", "annotate"), ("tiers", "annotate"), ("writer", "write"))]
