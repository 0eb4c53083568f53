"""What merge requires of the outputs it joins: one rule per provenance key, complete sets of shards, and one
record order that fits every VCF shard."""

from __future__ import annotations

import heapq
import os
import re
from collections.abc import Callable
from itertools import pairwise

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import UsageError
from hftc_annot.panel import contig_rank
from hftc_annot.provenance import file_identity

EQUAL = "equal"
"""Must be the same in every output merged (else the merge is refused)."""
PER_INPUT = "per input"
"""Must be the same in the outputs of one input; the merged report joins the inputs' values (a VCF merge is of one
input, so there it is EQUAL)."""
JOINED = "joined"
"""Each output's own, naming only its genes: the merged output joins the distinct values with ' | ' (the genes
not covered: one gene list)."""
OWN = "own"
"""Each output's own, written anew by merge: the command, the merged line, the panel and genes (checked not to
overlap), the shard and part (checked to be a complete set)."""

RULES: dict[str, str] = {
    "version": EQUAL, "padding": EQUAL, "build": EQUAL, "consequences": EQUAL, "qualifying": EQUAL,
    "knowledge": EQUAL, "evidence_tier": EQUAL, "settings": EQUAL, "panel_file": EQUAL, "regions": EQUAL,
    "input": PER_INPUT, "samples": PER_INPUT, "pedigree": PER_INPUT, "structural_variants": PER_INPUT,
    "protein_effects": JOINED, "build_check": JOINED, "not_covered": JOINED,
    "command": OWN, "merged": OWN, "panel": OWN, "genes": OWN, "shard": OWN, "part": OWN,
}
"""The rule of each key of a TSV report's preamble and an annotated VCF's ##hftc-annot_ lines (by its VCF name
where it has one). A key not listed here (written by a later version) must be EQUAL."""
LABELS = {"version": "hftc-annot version", "samples": "sample list", "panel_file": "--panel file"}
"""How an error names a key, where not by the key itself."""
_SIZED = re.compile(r"^(.*) \((\d+) bytes\)$")


def input_identity(inputs: str) -> str:
    """Inputs as '## input:' lines name them ('dir/in.vcf (4517 bytes)', several joined by ', '), by file name and
    size: one file named by other paths (a job's scratch copy, './in.vcf' and '/data/in.vcf') is one input, and two
    different files staged under one name are told apart by their sizes."""
    names = []
    for name in inputs.split(", "):
        sized = _SIZED.match(name)
        path, size = (sized.group(1), f" ({sized.group(2)} bytes)") if sized else (name, "")
        names.append(os.path.basename(path) + size)
    return ", ".join(names)


COMPARED: dict[str, Callable[[str], str]] = {"pedigree": file_identity, "panel_file": file_identity,
                                             "input": input_identity}
"""What of a value is compared, where not all of it: a pedigree and a --panel file by the file's checksum, not its
path; an input by its file name and size."""


def check_same(outputs: list[tuple[str, dict[str, str]]], rule: str, what: str = "different") -> None:
    """The (path, {key: value}) of outputs: those keys whose rule is `rule` (and for EQUAL, the keys without a rule)
    have the same value in each as in the first; else a UsageError names the key and both values."""
    first_path, first = outputs[0]
    for path, values in outputs[1:]:
        for key in dict.fromkeys([*first, *values]):
            if RULES.get(key, EQUAL) != rule:
                continue
            mine, theirs = first.get(key) or "none", values.get(key) or "none"
            compared = COMPARED.get(key, str)
            if compared(mine) != compared(theirs):
                raise UsageError(f"cannot merge {path} with {first_path}: {what} {LABELS.get(key, key)} "
                                 f"('{theirs}' vs '{mine}')")


def joined(values: list[str]) -> str:
    """The distinct values of a JOINED key (in the order given, empty ones left out), joined with ' | '."""
    return " | ".join(dict.fromkeys(value for value in values if value))


def check_shards(shards: list[tuple[str, tuple[int, int] | None]], source: str) -> None:
    """The (path, (K, N) or None) of the outputs of one input: when one is a --shard run, all are, and they are
    shards 1 to N of one N, each once."""
    runs = [(path, shard) for path, shard in shards if shard]
    if not runs:
        return
    if len(runs) < len(shards):
        other = next(path for path, shard in shards if not shard)
        raise UsageError(f"cannot merge {other} with {runs[0][0]}: one is a --shard run of {source}, the other is not")
    (first, (_, count)), given = runs[0], {}
    for path, (k, n) in runs:
        if n != count:
            raise UsageError(f"cannot merge {path} with {first}: shards of different N ({k}/{n} and "
                             f"{runs[0][1][0]}/{count})")
        if k in given:
            raise UsageError(f"cannot merge: {given[k]} and {path} are both shard {k}/{count} of {source}")
        given[k] = path
    missing = [f"{k}/{count}" for k in range(1, count + 1) if k not in given]
    if missing:
        raise UsageError(f"cannot merge: shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} of {source} "
                         f"{'are' if len(missing) > 1 else 'is'} missing (every shard 1 to {count} is needed)")


def contig_order(parts: list[tuple[str, list[str]]], declared: list[str]) -> dict[str, int]:
    """The place of each contig in one record order that fits every part's (path, contigs in the order of its
    records): the shards of one input keep its order, so each part's contigs are in the input's order. Where the
    parts leave two contigs unordered, the ##contig lines `declared` order them when no part contradicts those
    lines, else chromosome numbers do. Parts that no one order fits are a UsageError naming them."""
    edges: dict[tuple[str, str], str] = {}
    for path, contigs in parts:
        for edge in pairwise(contigs):
            edges.setdefault(edge, path)
    header = {c: i for i, c in enumerate(declared)}
    by_header = lambda c: (header.get(c, len(header)), contig_rank(canonical_contig(c)), c)  # noqa: E731
    by_number = lambda c: (contig_rank(canonical_contig(c)), header.get(c, len(header)), c)  # noqa: E731
    tie = by_header if all(by_header(a) < by_header(b) for a, b in edges) else by_number
    waiting = {c: 0 for _, contigs in parts for c in contigs}
    for _, b in edges:
        waiting[b] += 1
    ready = [(tie(c), c) for c, count in waiting.items() if not count]
    heapq.heapify(ready)
    order: dict[str, int] = {}
    while ready:
        contig = heapq.heappop(ready)[1]
        order[contig] = len(order)
        for b in (b for a, b in edges if a == contig):
            waiting[b] -= 1
            if not waiting[b]:
                heapq.heappush(ready, (tie(b), b))
    if len(order) < len(waiting):
        cycle = _cycle(edges, set(waiting) - set(order))
        raise UsageError(f"cannot merge: no one record order fits every part ({cycle}; the shards of one input keep "
                         "its order)")
    return order


def _cycle(edges: dict[tuple[str, str], str], left: set[str]) -> str:
    """'A before B in x.vcf; B before A in y.vcf': a cycle among the contigs `left`, each of which comes after
    another of them."""
    before = {b: a for a, b in edges if a in left and b in left}
    path = [min(left)]
    while path.count(path[-1]) < 2:
        path.append(before[path[-1]])
    loop = path[path.index(path[-1]):][::-1]
    return "; ".join(f"{a} before {b} in {edges[a, b]}" for a, b in pairwise(loop))
