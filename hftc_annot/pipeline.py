"""The stage sequence of a run and the loop that passes each panel record through it:
reader -> panel -> consequence -> population frequency -> knowledge -> inheritance -> tiers -> writers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from hftc_annot.consequence import ConsequenceSource
from hftc_annot.hits import PanelStage
from hftc_annot.inheritance import InheritanceStage
from hftc_annot.knowledge import KnowledgeStage
from hftc_annot.knowledge.frequency import FrequencyStage
from hftc_annot.knowledge.tiers import TierStage
from hftc_annot.model import PanelRecord
from hftc_annot.reader.records import Record


class RecordStage(Protocol):
    """Fills its fields of every finding of one panel record, from that record alone."""

    def annotate(self, item: PanelRecord) -> None: ...


class CohortStage(Protocol):
    """Needs every panel record before it can say anything about one (inheritance: pairs, relatives)."""

    def add(self, item: PanelRecord) -> None: ...

    def finish(self) -> None: ...

    def annotate(self, item: PanelRecord) -> None: ...


class Writer(Protocol):
    """Renders finished panel records; returns how many rows (or entries) one record gave."""

    def write(self, item: PanelRecord) -> int: ...


@dataclass(frozen=True)
class Pipeline:
    """The run's stages, each in its named slot; `before` and `after` give their order. Records flow through the
    `before` stages and into the inheritance stage as they are read, then, once it has seen them all, through
    its results and the `after` stages to the writers."""

    panel: PanelStage
    consequence: ConsequenceSource
    frequency: FrequencyStage
    knowledge: KnowledgeStage
    inheritance: InheritanceStage
    tiers: TierStage

    @property
    def before(self) -> tuple[RecordStage, ...]:
        return (self.consequence, self.frequency, self.knowledge)

    @property
    def cohort(self) -> CohortStage:
        return self.inheritance

    @property
    def after(self) -> tuple[RecordStage, ...]:
        return (self.tiers,)

    def read(self, records: Iterable[Record], seen: Callable[[PanelRecord], None]) -> list[PanelRecord]:
        """First pass: every record through the per-record stages and into the cohort stage; the records are
        kept without their sample columns (the cohort stage keeps what it needs of them, compactly)."""
        kept = []
        for record in records:
            item = self.panel.hit(record)
            seen(item)
            for stage in self.before:
                stage.annotate(item)
            self.cohort.add(item)
            kept.append(item.without_samples())
        return kept

    def finish(self, kept: list[PanelRecord]) -> Iterator[PanelRecord]:
        """Second pass: the cohort stage decides now; its results and the later stages are then put on each kept
        record as it is taken, in input order."""
        self.cohort.finish()
        return self._finished(kept)

    def _finished(self, kept: list[PanelRecord]) -> Iterator[PanelRecord]:
        for item in kept:
            self.cohort.annotate(item)
            for stage in self.after:
                stage.annotate(item)
            yield item


def write(items: Iterable[PanelRecord], writers: dict[str, Writer]) -> dict[str, int]:
    """Every finished record to every writer; the number of rows (or entries) each wrote, by its name."""
    rows = dict.fromkeys(writers, 0)
    for item in items:
        for name, writer in writers.items():
            rows[name] += writer.write(item)
    return rows
