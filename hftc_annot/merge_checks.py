"""What merge requires of the outputs it joins: one rule per provenance key, and complete sets of shards."""

from __future__ import annotations

from collections.abc import Callable

from hftc_annot.errors import UsageError
from hftc_annot.provenance import pedigree_identity

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
    "knowledge": EQUAL, "evidence_tier": EQUAL, "settings": EQUAL,
    "input": PER_INPUT, "samples": PER_INPUT, "pedigree": PER_INPUT, "structural_variants": PER_INPUT,
    "protein_effects": JOINED, "build_check": JOINED, "not_covered": JOINED,
    "command": OWN, "merged": OWN, "panel": OWN, "genes": OWN, "shard": OWN, "part": OWN,
}
"""The rule of each key of a TSV report's preamble and an annotated VCF's ##hftc-annot_ lines (by its VCF name
where it has one). A key not listed here (written by a later version) must be EQUAL."""
LABELS = {"version": "hftc-annot version", "samples": "sample list"}
"""How an error names a key, where not by the key itself."""
COMPARED: dict[str, Callable[[str], str]] = {"pedigree": pedigree_identity}
"""What of a value is compared, where not all of it: a pedigree by the --ped file's checksum, not its path."""


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
