"""A second VCF of structural-variant calls (--sv): checked against the input VCF, then merged into its records."""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterable, Iterator

import numpy as np

from hftc_annot.assembly import canonical_contig, detect_build
from hftc_annot.errors import InputError, UsageError
from hftc_annot.panel import contig_rank
from hftc_annot.reader import VcfInput
from hftc_annot.reader.records import Record
from hftc_annot.resources import BUILDS


def check_second_input(second: VcfInput, first: VcfInput, build: str) -> None:
    """The second VCF must name the same samples (in any order) and be on the same build as the first: the build its
    header tells, or for a build of one's own (--build custom) the same length of every contig both declare."""
    missing = [s for s in first.header.samples if s not in second.header.samples]
    extra = [s for s in second.header.samples if s not in first.header.samples]
    if missing or extra:
        what = "; ".join(part for part in (f"lacks {', '.join(missing[:5])}" if missing else "",
                                           f"has {', '.join(extra[:5])}, which {first.source} lacks" if extra else "")
                         if part)
        raise InputError(second.source, f"--sv needs the samples of {first.source} (names match exactly): it {what}")
    if build not in BUILDS:
        lengths = first.header.contigs
        for name, length in second.header.contigs.items():
            if length and lengths.get(name) and length != lengths[name]:
                raise InputError(second.source, f"--sv says contig {name} is {length:,} bp long, {first.source} "
                                 f"{lengths[name]:,}: not the same assembly")
        return
    try:
        evidence = detect_build(second.header.contigs, list(second.header.lines))
    except UsageError as exc:
        raise InputError(second.source, f"--sv: {exc}") from None
    if evidence.build is not None and evidence.build != build:
        raise InputError(second.source, f"--sv is on {evidence.build} ({evidence.reason}), {first.source} on {build}")


def merged_records(first: Iterable[Record], second: Iterable[Record], second_samples: tuple[str, ...],
                   samples: tuple[str, ...]) -> Iterator[Record]:
    """The records of both inputs by contig and position (the first input's first where they tie), numbered anew.
    Of the second input only the records with a structural ALT are taken, and not one the first input holds too
    (same CHROM, POS, REF, ALT and END): the second's small variants and repeated SVs would count twice. Its sample
    columns (in `second_samples` order) are put in the order of `samples`, and its records are named by CHROM:POS
    in messages (their line numbers are of another file)."""
    order = np.array([second_samples.index(s) for s in samples], dtype=np.int64)
    seen: set[tuple] = set()

    def place(record: Record) -> tuple[int, int]:
        return contig_rank(canonical_contig(record.chrom)), record.pos

    def tagged(records: Iterable[Record], source: int) -> Iterator[tuple[Record, int]]:
        for record in records:
            if source == 0 or record.span is not None:
                yield record, source

    index = 0
    for record, source in heapq.merge(tagged(first, 0), tagged(second, 1), key=lambda pair: place(pair[0])):
        key = (record.chrom, record.pos, record.ref, record.alts, record.end)
        if source == 0:
            if record.span is not None:
                seen.add(key)  # the first input's records come first where positions tie
        elif key in seen:
            continue
        else:
            record = _reordered(record, order)
        yield dataclasses.replace(record, index=index)
        index += 1


def _reordered(record: Record, order: np.ndarray) -> Record:
    def take(values: np.ndarray | None) -> np.ndarray | None:
        return None if values is None else np.asarray(values)[order]

    return dataclasses.replace(record, genotypes=take(record.genotypes), phased=take(record.phased),
                               gq=take(record.gq), dp=take(record.dp), ad=take(record.ad),
                               phase_set=take(record.phase_set), line=None)
