"""Genome builds: contig naming (chr1 / 1, chrM / MT) and build detection from a VCF header."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hftc_annot.errors import UsageError
from hftc_annot.resources import BUILDS, read_table

_HINTS = {
    "GRCh38": re.compile(r"GRCh38|hg38|GCA_000001405\.15|GCF_000001405\.26", re.IGNORECASE),
    "GRCh37": re.compile(r"GRCh37|hg19|\bb37\b|hs37d5|human_g1k_v37|GCA_000001405\.1\b", re.IGNORECASE),
}
_HINT_LINES = ("##reference=", "##assembly=", "##contig=")


def canonical_contig(name: str) -> str:
    """Build-neutral contig name: 'chr2' and '2' give '2'; 'chrM', 'M' and 'MT' give 'MT'."""
    bare = name[3:] if name[:3].lower() == "chr" else name
    return "MT" if bare in ("M", "MT") else bare


def contig_spellings(canonical: str) -> tuple[str, ...]:
    """Every spelling of a canonical contig that a VCF may use."""
    if canonical == "MT":
        return ("MT", "M", "chrM", "chrMT")
    return (canonical, f"chr{canonical}")


@dataclass(frozen=True)
class BuildEvidence:
    """What a header says about its build: the build (or None) and why."""

    build: str | None
    reason: str


def assembly_lengths() -> dict[str, dict[str, int]]:
    """Contig lengths per build, from the shipped assemblies table."""
    table: dict[str, dict[str, int]] = {b: {} for b in BUILDS}
    for row in read_table("assemblies.tsv"):
        table[row["build"]][row["contig"]] = int(row["length"])
    return table


def detect_build(contigs: dict[str, int | None], header_lines: list[str]) -> BuildEvidence:
    """Tell the build from ##contig lengths, else from ##reference/##assembly text.

    Lengths of 1-22, X and Y decide (MT is the same in both builds). Lengths that match neither
    build, or both builds at once, raise UsageError: annotating them with either model would be wrong.
    """
    lengths = assembly_lengths()
    votes: dict[str, list[str]] = {b: [] for b in BUILDS}
    foreign: list[str] = []
    for name, length in contigs.items():
        canonical = canonical_contig(name)
        if length is None or canonical == "MT" or canonical not in lengths["GRCh38"]:
            continue
        matches = [b for b in BUILDS if lengths[b][canonical] == length]
        for b in matches:
            votes[b].append(name)
        if not matches:
            foreign.append(f"{name} length={length}")
    if foreign:
        raise UsageError(
            f"contig lengths match neither GRCh38 nor GRCh37 ({foreign[0]}); "
            "hftc-annot only has models for these two builds"
        )
    voted = [b for b in BUILDS if votes[b]]
    if len(voted) == 2:
        raise UsageError(
            f"contig lengths mix builds ({votes['GRCh38'][0]} is GRCh38, {votes['GRCh37'][0]} is GRCh37)"
        )
    if voted:
        return BuildEvidence(voted[0], f"##contig lengths ({len(votes[voted[0]])} contigs)")
    for line in header_lines:
        if line.startswith(_HINT_LINES):
            found = [b for b in BUILDS if _HINTS[b].search(line)]
            if len(found) == 1:
                return BuildEvidence(found[0], f"header line {line[:60]}")
    return BuildEvidence(None, "no ##contig lengths and no ##reference/##assembly naming a build")


def resolve_build(requested: str, evidence: BuildEvidence, source: str) -> str:
    """The build to use: --build when given (it must not contradict the header), else the detected one."""
    if requested == "auto":
        if evidence.build is None:
            raise UsageError(f"{source}: cannot tell the genome build ({evidence.reason}); "
                             "give --build GRCh38 or GRCh37")
        return evidence.build
    if evidence.build is not None and evidence.build != requested:
        raise UsageError(
            f"{source}: --build {requested} contradicts the header, which is {evidence.build} "
            f"(from {evidence.reason})"
        )
    return requested
