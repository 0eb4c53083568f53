"""The VCF header: meta lines, sample names and declared contigs, validated once before any record."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hftc_annot.errors import InputError

FIXED_COLUMNS = ("#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO")
_CONTIG = re.compile(r"^##contig=<(.*)>\s*$")
_ID = re.compile(r"(?:^|,)ID=([^,>]+)")
_CONTIG_LENGTH = re.compile(r"(?:^|,)length=(\d+)")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
FILEFORMAT = "##fileformat=VCFv4.2"
_INFO_ATTRIBUTE = re.compile(r"[<,](Number|Type)=([^,>]*)")


def info_declaration(lines: tuple[str, ...], key: str) -> dict[str, str] | None:
    """The Number and Type the ##INFO line of `key` declares (the first of each, before any Description text); None
    when no line declares the key."""
    line = next((x for x in lines if x.startswith(f"##INFO=<ID={key},")), None)
    if line is None:
        return None
    declared: dict[str, str] = {}
    for name, value in _INFO_ATTRIBUTE.findall(line):
        declared.setdefault(name, value)
    return declared


@dataclass(frozen=True)
class Header:
    """A parsed VCF header; `lines` holds every line (the #CHROM line last) without newlines."""

    lines: tuple[str, ...]
    samples: tuple[str, ...]
    contigs: dict[str, int | None]

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def for_htslib(self) -> tuple[list[str], list[int | None]]:
        """The header with its `##fileformat` line first, as htslib needs it (added when missing), and the
        input line number of each line (None for the added one)."""
        numbers: list[int | None] = list(range(1, len(self.lines) + 1))
        first = next((i for i, line in enumerate(self.lines) if line.startswith("##fileformat=")), None)
        if first is None:
            return [FILEFORMAT, *self.lines], [None, *numbers]
        order = [first, *(i for i in range(len(self.lines)) if i != first)]
        return [self.lines[i] for i in order], [numbers[i] for i in order]

    def declared(self, kind: str) -> set[str]:
        """IDs of the ##INFO, ##FORMAT or ##FILTER (`kind`) lines."""
        ids = (_ID.search(line[len(kind) + 4:]) for line in self.lines if line.startswith(f"##{kind}=<"))
        return {found.group(1) for found in ids if found}

    @property
    def fileformat_note(self) -> str | None:
        """What for_htslib had to change, as a warning; None when the header was already in order."""
        if self.lines[0].startswith("##fileformat="):
            return None
        if any(line.startswith("##fileformat=") for line in self.lines):
            return "the ##fileformat line is not the first header line; read as if it were"
        return f"the header has no ##fileformat line; read as {FILEFORMAT.removeprefix('##fileformat=')}"


def parse_header(lines: list[str], source: str) -> Header:
    """Validate header lines (meta lines then the #CHROM line) and pull out samples and contigs."""
    if not lines or not lines[-1].startswith("#CHROM"):
        chrom = next((number for number, line in enumerate(lines, 1) if line.startswith("#CHROM")), None)
        if chrom is not None:
            raise InputError(source, "a '#' line after the #CHROM line, which ends the header (a comment among the "
                             "records?)", line=chrom + 1)
        raise InputError(source, "not a VCF: no '#CHROM' header line before the first record")
    columns = lines[-1].rstrip("\r").split("\t")
    if tuple(columns[:8]) != FIXED_COLUMNS:
        raise InputError(source, "not a VCF: the #CHROM line must start with the 8 fixed tab-separated columns "
                         + "\\t".join(FIXED_COLUMNS), line=len(lines))
    samples = tuple(columns[9:])
    if len(columns) > 8 and columns[8] != "FORMAT":
        raise InputError(source, "column 9 of the #CHROM line must be FORMAT", line=len(lines))
    if len(columns) == 9:
        raise InputError(source, "the #CHROM line has a FORMAT column but no sample (htslib refuses it): keep the 8 "
                         "columns before it (cut -f1-8), or add the samples",
                         line=len(lines))
    seen: set[str] = set()
    for name in samples:
        if name in seen:
            raise InputError(source, f"sample name '{name}' appears twice in the #CHROM line", line=len(lines))
        seen.add(name)
    for number, line in enumerate(lines, 1):
        if _CONTROL.search(line.rstrip("\r")):
            raise InputError(source, "header line holds a NUL or other control character", line=number)
    contigs: dict[str, int | None] = {}
    for number, line in enumerate(lines[:-1], 1):
        if not line.startswith("##"):
            raise InputError(source, "header lines before #CHROM must start with '##'", line=number)
        match = _CONTIG.match(line)
        if match:
            ident = _ID.search(match.group(1))
            if not ident:
                raise InputError(source, "##contig line has no ID", line=number)
            length = _CONTIG_LENGTH.search(match.group(1))
            contigs[ident.group(1)] = int(length.group(1)) if length else None
    return Header(lines=tuple(line.rstrip("\r") for line in lines), samples=samples, contigs=contigs)
