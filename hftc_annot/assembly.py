"""Genome builds: contig naming (chr1 / 1, chrM / MT) and build detection from a VCF header."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from hftc_annot.errors import InputError, UsageError, text_lines
from hftc_annot.resources import BUILDS, read_table

CUSTOM = "custom"
"""--build custom: the assembly is the --fasta's, the models are the --gff's."""

_HINTS = {
    "GRCh38": re.compile(r"GRCh38|hg38|Homo_sapiens_assembly38|GCA_000001405\.(1[5-9]|2[0-9])(?!\d)|"
                         r"GCF_000001405\.(2[6-9]|3[0-9]|40)(?!\d)", re.IGNORECASE),
    "GRCh37": re.compile(r"GRCh37|hg19|(?<![a-z0-9])b37(?![a-z0-9])|hs37d5|human_g1k_v37|Homo_sapiens_assembly19|"
                         r"GCA_000001405\.([1-9]|1[0-4])(?!\d)|GCF_000001405\.(1[3-9]|2[0-5])(?!\d)", re.IGNORECASE),
}
_HINT_LINES = ("##reference=", "##assembly=", "##contig=")

X_PSEUDOAUTOSOMAL = {"GRCh38": ((10_001, 2_781_479), (155_701_383, 156_030_895)),
                     "GRCh37": ((60_001, 2_699_520), (154_931_044, 155_260_560)),
                     "T2T-CHM13v2.0": ((1, 2_394_410), (153_925_835, 154_259_566))}
"""PAR1 and PAR2 on chrX (1-based, inclusive; GRC, and the T2T consortium's chm13v2.0 PAR annotation). None are
known on a custom assembly."""


def x_pseudoautosomal(build: str, pos: int) -> bool:
    """Is chrX:pos in a pseudoautosomal region of `build` (where a male has two copies)?"""
    return any(start <= pos <= end for start, end in X_PSEUDOAUTOSOMAL.get(build, ()))


def canonical_contig(name: str) -> str:
    """Build-neutral contig name: 'chr2', 'Chr2' and '2' give '2'; 'chrM', 'M' and 'MT' give 'MT'."""
    bare = name[3:] if name[:3].lower() == "chr" else name
    return "MT" if bare in ("M", "MT") else bare


def contig_spellings(canonical: str) -> tuple[str, ...]:
    """Every spelling of a canonical contig that a VCF may use, as canonical_contig reads them: without a prefix,
    then with 'chr' in each letter case ('chr' first)."""
    names = ("MT", "M") if canonical == "MT" else (canonical,)
    return names + tuple(prefix + name for prefix in _CHR_PREFIXES for name in names)


_CHR_PREFIXES = tuple("".join(letters) for letters in itertools.product("cC", "hH", "rR"))


@dataclass(frozen=True)
class BuildEvidence:
    """What a header says about its build: the build (or None) and why."""

    build: str | None
    reason: str


def assembly_lengths() -> dict[str, dict[str, int]]:
    """Contig lengths per known assembly (the shipped builds, then T2T-CHM13v2.0), from the assemblies table."""
    table: dict[str, dict[str, int]] = {}
    for row in read_table("assemblies.tsv"):
        table.setdefault(row["build"], {})[row["contig"]] = int(row["length"])
    return table


def detect_build(contigs: dict[str, int | None], header_lines: list[str], source: str = "") -> BuildEvidence:
    """Tell the assembly from ##contig lengths, else from the text of the ##reference, ##assembly and ##contig lines.

    Lengths of 1-22, X and Y decide (MT is the same in all). Lengths that match no known assembly, or two at
    once, raise UsageError (naming the file `source`, when given): annotating them with models of either would be
    wrong. An assembly without shipped models (T2T-CHM13v2.0) is named all the same; resolve_build decides what to do
    with it.
    """
    lengths = assembly_lengths()
    votes: dict[str, list[str]] = {b: [] for b in lengths}
    foreign: list[str] = []
    for name, length in contigs.items():
        canonical = canonical_contig(name)
        if length is None or canonical == "MT" or canonical not in lengths["GRCh38"]:
            continue
        matches = [b for b in lengths if lengths[b][canonical] == length]
        for b in matches:
            votes[b].append(name)
        if not matches:
            foreign.append(f"{name} length={length}")
    where = f"{source}: " if source else ""
    if foreign:
        raise UsageError(
            f"{where}contig lengths match none of {', '.join(lengths)} ({foreign[0]}); for another assembly give "
            "--build custom with its --fasta REF.fa and --gff MODELS"
        )
    voted = [b for b in lengths if votes[b]]
    if len(voted) > 1:
        raise UsageError(
            f"{where}contig lengths mix builds ({votes[voted[0]][0]} is {voted[0]}, {votes[voted[1]][0]} is {voted[1]})"
        )
    if voted:
        return BuildEvidence(voted[0], f"##contig lengths ({len(votes[voted[0]])} contigs)")
    for line in header_lines:
        if line.startswith(_HINT_LINES):
            found = [b for b in BUILDS if _HINTS[b].search(line)]
            if len(found) == 1:
                return BuildEvidence(found[0], f"header line {line[:60]}")
    return BuildEvidence(None, "no ##contig lengths and no ##reference/##assembly naming a build")


def resolve_build(requested: str, evidence: BuildEvidence, source: str, own_models: bool = False) -> str:
    """The build to use: --build when given (it must not contradict the header), else the detected one.

    An assembly without shipped models (T2T-CHM13v2.0) is used only with the user's models and reference
    (`own_models`: --gff and --fasta given); --build custom takes no evidence from the header.
    """
    if requested == CUSTOM:
        return CUSTOM
    if requested == "auto":
        if evidence.build is None:
            raise UsageError(f"{source}: cannot tell the genome build ({evidence.reason}); "
                             "give --build GRCh38 or GRCh37 (or --build custom with --fasta and --gff)")
        if evidence.build not in BUILDS and not own_models:
            raise UsageError(f"{source} is {evidence.build} (from {evidence.reason}), for which hftc-annot ships no "
                             "transcript models: give that assembly's --fasta REF.fa and --gff MODELS (GENCODE, "
                             "Ensembl or RefSeq annotation)")
        return evidence.build
    if evidence.build is not None and evidence.build != requested:
        raise UsageError(
            f"{source}: --build {requested} contradicts the header, which is {evidence.build} "
            f"(from {evidence.reason})"
        )
    return requested


def check_contigs(contigs: dict[str, int | None], lengths: dict[str, int], source: str, reference: str) -> None:
    """A VCF's ##contig lengths against the reference's (chr1 and 1 are one contig): a contig of another length,
    or no declared contig at all in the reference, means the VCF is not of this assembly."""
    names = {canonical_contig(n): n for n in lengths}
    shared = 0
    for name, length in contigs.items():
        known = name if name in lengths else names.get(canonical_contig(name))
        if known is None:
            continue
        shared += 1
        if length is not None and length != lengths[known]:
            raise UsageError(f"{source}: contig {name} is {length:,} bp, but {known} of {reference} is "
                             f"{lengths[known]:,} bp: the VCF and the reference are not of one assembly")
    if contigs and not shared:
        raise UsageError(f"{source}: none of its {len(contigs)} contigs is in {reference} (first: "
                         f"{next(iter(contigs))}): the VCF and the reference are not of one assembly")


def read_contig_map(path: str) -> dict[str, str]:
    """A --contig-map file: per line, a contig name as the --gff writes it and the --fasta's name for it, separated
    by a tab or spaces ('#' lines are comments)."""
    names: dict[str, str] = {}
    for number, line in text_lines(path):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 2:
            raise InputError(path, "a contig map line needs two names: the --gff's and the --fasta's", line=number)
        if fields[0] in names:
            raise InputError(path, f"contig {fields[0]} is mapped twice", line=number)
        names[fields[0]] = fields[1]
    if not names:
        raise InputError(path, "no contig names in the map")
    return names
