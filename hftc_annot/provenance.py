"""What produced a report: the typed facts behind the '## key: value' preamble of the TSV report, the JSON
metadata, the HTML header and the annotated VCF's ##hftc-annot_ lines, written and read back in one place."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

_PADDING = re.compile(r", padding (\d+) bp$")
_PART = re.compile(r"^(\d+) of (\d+) \(run (\w+);")
_NOT_COVERED = re.compile(r"^not covered on (\S+) \(no transcript model\)$")
_SHARD = re.compile(r"^(\d+)/(\d+)$")
_PANEL_FILE = re.compile(r"from (.*?) \(sha256 ([0-9a-f]{64});")


def file_identity(named: str) -> str:
    """A file named with its checksum ('trio.ped (sha256 …)…', as the pedigree and --panel file lines give them)
    without its path, which the same file has under another name in another job."""
    return re.sub(r"^.*? \(sha256 ", "(sha256 ", named)


def one_line(text: str) -> str:
    """Text with its line breaks written \\r and \\n, so that it stays on one preamble or header line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


@dataclass(frozen=True)
class Provenance:
    """One run (or merge) of hftc-annot. `panel_key` is 'panel' (the shipped genes) or 'regions' (a --regions
    BED); `panel` is that line's text; `padding` is None where the line does not state it."""

    version: str
    command: str
    inputs: tuple[str, ...]
    build: str
    build_reason: str
    panel_key: str
    panel: str
    genes: tuple[str, ...]
    samples: tuple[str, ...]
    consequences: str = ""
    protein_effects: str = ""
    qualifying: str = ""
    knowledge: str = ""
    evidence_tier: str = ""
    merged: str = ""
    not_covered: tuple[str, ...] = ()
    build_check: str = ""
    part: tuple[int, int, str] | None = None
    """(K, N, run id): this report is part K of N of one run, split by family (hftc-annot hail); None for a whole
    run."""
    structural: str = ""
    """The second VCF of structural-variant calls (--sv), '' when none."""
    settings: str = ""
    """The genotype gates, impact limit and inheritance-mode overrides the flags were judged with."""
    pedigree: str = ""
    """The --ped file (with its checksum) and --affected samples, '' when neither was given."""
    shard: tuple[int, int] | None = None
    """(K, N) of a --shard K/N run (of the shipped panel or a --panel file), else None."""

    @property
    def pedigree_identity(self) -> str:
        return file_identity(self.pedigree)

    @property
    def panel_source(self) -> str:
        """The panel line without its gene count and padding: 'from mine.tsv (sha256 …; …)', '(shipped panel; …)'."""
        return re.sub(r"^\d+ genes ", "", _PADDING.sub("", self.panel))

    @property
    def panel_file(self) -> str:
        """The --panel file the genes came from, 'mine.tsv (sha256 …)'; '' for the shipped panel."""
        found = _PANEL_FILE.search(self.panel)
        return f"{found.group(1)} (sha256 {found.group(2)})" if found else ""

    @property
    def padding(self) -> int | None:
        found = _PADDING.search(self.panel)
        return int(found.group(1)) if found else None

    def with_build_check(self, message: str) -> Provenance:
        return dataclasses.replace(self, build_check=message)

    def to_lines(self) -> list[str]:
        """The preamble lines, without the '## ' that the TSV report puts before each; a line break in a name (of an
        input, in the command) is written \\n, so that it cannot start a line of its own."""
        lines = [f"hftc-annot {self.version}", f"command: {self.command}"]
        lines += [f"input: {source}" for source in self.inputs]
        if self.structural:
            lines.append(f"structural_variants: {self.structural}")
        if self.part:
            lines.append(f"part: {self.part[0]} of {self.part[1]} (run {self.part[2]}; the rows of some families)")
        if self.shard:
            lines.append(f"shard: {self.shard[0]}/{self.shard[1]}")
        if self.merged:
            lines.append(f"merged: {self.merged}")
        lines += [f"build: {self.build} ({self.build_reason})", f"{self.panel_key}: {self.panel}",
                  "genes: " + ",".join(self.genes),
                  f"samples: {len(self.samples)}" + (f" ({','.join(self.samples)})" if self.samples else "")]
        if self.consequences:
            lines.append(f"consequences: {self.consequences}")
        if self.protein_effects:
            lines.append(f"protein_effects: {self.protein_effects}")
        if self.qualifying:
            lines.append(f"qualifying: {self.qualifying}")
        lines += [f"{key}: {value}" for key, value in (("settings", self.settings), ("pedigree", self.pedigree))
                  if value]
        if self.not_covered:
            lines.append(f"not covered on {self.build} (no transcript model): {', '.join(self.not_covered)}")
        lines += [f"{key}: {value}" for key, value in (("knowledge", self.knowledge),
                                                       ("evidence_tier", self.evidence_tier),
                                                       ("build_check", self.build_check)) if value]
        return [one_line(line) for line in lines]

    @classmethod
    def from_lines(cls, lines: list[str]) -> Provenance:
        """Read `to_lines` back; a KeyError names a line that is missing, a ValueError a line that is malformed."""
        first, *rest = lines
        if not first.startswith("hftc-annot "):
            raise ValueError("the first line is not 'hftc-annot VERSION'")
        fields: dict[str, str] = {}
        inputs: list[str] = []
        not_covered: tuple[str, ...] = ()
        for line in rest:
            key, separator, value = line.partition(": ")
            if not separator:
                raise ValueError(f"'{line}' is not 'key: value'")
            if key == "input":
                inputs.append(value)
            elif _NOT_COVERED.match(key):
                not_covered = tuple(value.split(", "))
            else:
                fields[key] = value
        build, _, reason = fields["build"].partition(" (")
        part = _PART.match(fields.get("part", ""))
        if "part" in fields and not part:
            raise ValueError(f"'part: {fields['part']}' is not 'part: K of N (run ID; …)'")
        shard = _SHARD.match(fields.get("shard", ""))
        if "shard" in fields and not shard:
            raise ValueError(f"'shard: {fields['shard']}' is not 'shard: K/N'")
        panel_key = "panel" if "panel" in fields else "regions"
        samples = fields["samples"].partition(" (")[2].removesuffix(")")
        return cls(version=first.removeprefix("hftc-annot "), command=fields["command"], inputs=tuple(inputs),
                   build=build, build_reason=reason.removesuffix(")"), panel_key=panel_key,
                   panel=fields[panel_key], genes=tuple(fields["genes"].split(",")) if fields["genes"] else (),
                   samples=tuple(samples.split(",")) if samples else (),
                   consequences=fields.get("consequences", ""), protein_effects=fields.get("protein_effects", ""),
                   qualifying=fields.get("qualifying", ""),
                   knowledge=fields.get("knowledge", ""),
                   evidence_tier=fields.get("evidence_tier", ""), merged=fields.get("merged", ""),
                   not_covered=not_covered, build_check=fields.get("build_check", ""),
                   part=(int(part.group(1)), int(part.group(2)), part.group(3)) if part else None,
                   structural=fields.get("structural_variants", ""), settings=fields.get("settings", ""),
                   pedigree=fields.get("pedigree", ""),
                   shard=(int(shard.group(1)), int(shard.group(2))) if shard else None)
