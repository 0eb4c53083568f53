"""A second VCF of structural-variant calls (--sv): checked against the input VCF, then merged into its records."""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterable, Iterator

import numpy as np

from hftc_annot.assembly import canonical_contig, detect_build
from hftc_annot.errors import InputError
from hftc_annot.panel import contig_rank
from hftc_annot.reader import VcfInput
from hftc_annot.reader.records import Record


def check_second_input(second: VcfInput, first: VcfInput, build: str) -> None:
    """The second VCF must name the same samples (in any order) and be on the same build as the first."""
    missing = [s for s in first.header.samples if s not in second.header.samples]
    extra = [s for s in second.header.samples if s not in first.header.samples]
    if missing or extra:
        what = "; ".join(part for part in (f"lacks {', '.join(missing[:5])}" if missing else "",
                                           f"has {', '.join(extra[:5])}, which {first.source} lacks" if extra else "")
                         if part)
        raise InputError(second.source, f"--sv needs the samples of {first.source} (names match exactly): it {what}")
    evidence = detect_build(second.header.contigs, list(second.header.lines))
    if evidence.build is not None and evidence.build != build:
        raise InputError(second.source, f"--sv is on {evidence.build} ({evidence.reason}), {first.source} on {build}")


def merged_records(first: Iterable[Record], second: Iterable[Record], second_samples: tuple[str, ...],
                   samples: tuple[str, ...]) -> Iterator[Record]:
    """The records of both inputs by contig and position (the first input's first where they tie), numbered anew;
    the second's sample columns (in `second_samples` order) put in the order of `samples`, and its records named by
    CHROM:POS in messages (their line numbers are of another file)."""
    order = np.array([second_samples.index(s) for s in samples], dtype=np.int64)
    moved = (_reordered(record, order) for record in second)

    def place(record: Record) -> tuple[int, int]:
        return contig_rank(canonical_contig(record.chrom)), record.pos

    for index, record in enumerate(heapq.merge(first, moved, key=place)):
        yield dataclasses.replace(record, index=index)


def _reordered(record: Record, order: np.ndarray) -> Record:
    def take(values: np.ndarray | None) -> np.ndarray | None:
        return None if values is None else np.asarray(values)[order]

    return dataclasses.replace(record, genotypes=take(record.genotypes), phased=take(record.phased),
                               gq=take(record.gq), dp=take(record.dp), ad=take(record.ad),
                               phase_set=take(record.phase_set), line=None)
