"""A second VCF of structural-variant calls (--sv): checked against the input VCF, then merged into its records."""

from __future__ import annotations

import dataclasses
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from itertools import count

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
        lengths = {canonical_contig(name): length for name, length in first.header.contigs.items() if length}
        for name, length in second.header.contigs.items():
            theirs = lengths.get(canonical_contig(name))
            if length and theirs and length != theirs:
                raise InputError(second.source, f"--sv says contig {name} is {length:,} bp long, {first.source} "
                                 f"{theirs:,}: not the same assembly")
        return
    try:
        evidence = detect_build(second.header.contigs, list(second.header.lines))
    except UsageError as exc:
        raise InputError(second.source, f"--sv: {exc}") from None
    if evidence.build is not None and evidence.build != build:
        raise InputError(second.source, f"--sv is on {evidence.build} ({evidence.reason}), {first.source} on {build}")


def merged_records(first: Iterable[Record], second: Iterable[Record], second_samples: tuple[str, ...],
                   samples: tuple[str, ...]) -> Iterator[Record]:
    """The records of both inputs, numbered anew: each of the second's comes where the first, read in its own order,
    has passed its position (the first's first where they tie; those on contigs the first never reaches, at the
    end). Of the second input only the records with a symbolic or breakend ALT are taken (its small variants would
    count twice), and a structural record in both inputs (same contig, POS, REF, ALT and END) is taken once. The
    second's sample columns (in `second_samples` order) are put in the order of `samples`, its records without
    FORMAT/PS are put in a phase set of their own (its haplotype 1 need not be the first's: only a PS both share, as
    a joint phasing writes, phases a call of one with a call of the other), and its records are named by CHROM:POS in
    messages (their line numbers are of another file)."""
    order = np.array([second_samples.index(s) for s in samples], dtype=np.int64)
    waiting: dict[str, deque[Record]] = defaultdict(deque)
    for record in sorted((r for r in second if any(_symbolic(alt) for alt in r.alts)), key=_place):
        waiting[canonical_contig(record.chrom)].append(_reordered(record, order))
    taken: set[tuple] = set()
    numbered = count()

    def take(record: Record) -> Iterator[Record]:
        if record.span is not None:
            key = (canonical_contig(record.chrom), record.pos, record.ref, record.alts, record.end)
            if key in taken:
                return
            taken.add(key)
        yield dataclasses.replace(record, index=next(numbered))

    contig = None
    for record in first:
        here = canonical_contig(record.chrom)
        if here != contig and contig is not None:
            for passed in waiting.pop(contig, ()):  # the first input has left this contig
                yield from take(passed)
        contig = here
        queue = waiting.get(here)
        while queue and queue[0].pos < record.pos:
            yield from take(queue.popleft())
        yield from take(record)
    for rest in sorted((r for queue in waiting.values() for r in queue), key=_place):
        yield from take(rest)


def _place(record: Record) -> tuple[int, int]:
    return contig_rank(canonical_contig(record.chrom)), record.pos


OWN_PHASE_SET = -0.5
"""The phase set of the second input's records without FORMAT/PS: one of its own, which no PS (an integer) is, so its
phased calls phase with each other only."""


def _symbolic(alt: str) -> bool:
    return alt.startswith("<") or "[" in alt or "]" in alt


def _reordered(record: Record, order: np.ndarray) -> Record:
    def take(values: np.ndarray | None) -> np.ndarray | None:
        return None if values is None else np.asarray(values)[order]

    phase_set = np.full(len(order), OWN_PHASE_SET) if record.phase_set is None else take(record.phase_set)
    return dataclasses.replace(record, genotypes=take(record.genotypes), phased=take(record.phased),
                               gq=take(record.gq), dp=take(record.dp), ad=take(record.ad), phase_set=phase_set,
                               sample_filtered=take(record.sample_filtered), line=None)
