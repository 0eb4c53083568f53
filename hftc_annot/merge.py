"""Merge hftc-annot outputs of gene shards or of separate samples into one report or annotated VCF."""

from __future__ import annotations

import gzip
import heapq
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pysam

from hftc_annot import __version__
from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError, UsageError
from hftc_annot.panel import contig_rank, load_panel
from hftc_annot.provenance import Provenance
from hftc_annot.resources import BUILDS
from hftc_annot.writers.rows import report_order
from hftc_annot.writers.tsv import COLUMNS

VCF_SAME = ("##hftc-annot_version=", "##hftc-annot_build=")


@dataclass
class Report:
    """One hftc-annot TSV report and the provenance its preamble records."""

    path: str
    provenance: Provenance

    @property
    def input(self) -> str:
        return self.provenance.inputs[-1]

    def same(self) -> list[tuple[str, str]]:
        """(name, value) of what must be equal in every merged report."""
        p = self.provenance
        return [("hftc-annot version", p.version), ("padding", f"{p.padding} bp"),
                ("build", f"{p.build} ({p.build_reason})"), ("consequences", p.consequences),
                ("qualifying", p.qualifying), ("knowledge", p.knowledge), ("evidence_tier", p.evidence_tier)]


def _open(path: str):
    try:
        with open(path, "rb") as probe:
            packed = probe.read(2) == b"\x1f\x8b"
        return gzip.open(path, "rt", encoding="utf-8") if packed else open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None


def _read_report(path: str) -> Report:
    lines: list[str] = []
    with _open(path) as handle:
        for number, line in enumerate(handle, 1):
            if number == 1 and not line.startswith("## hftc-annot "):
                raise InputError(path, "not an hftc-annot TSV report (no '## hftc-annot VERSION' first line)")
            if not line.startswith("## "):
                if line.rstrip("\n").split("\t") != list(COLUMNS):
                    raise InputError(path, "the column header is not that of this hftc-annot version's report",
                                     line=number)
                break
            lines.append(line[3:].rstrip("\n"))
        else:
            raise InputError(path, "not an hftc-annot TSV report (no column header)")
    try:
        provenance = Provenance.from_lines(lines)
    except KeyError as missing:
        raise InputError(path, f"the report has no '## {missing.args[0]}:' line (made by hftc-annot before "
                         "0.1.0?)") from None
    except ValueError as exc:
        raise InputError(path, f"the report's preamble is damaged: {exc}") from None
    if not provenance.inputs or provenance.panel_key != "panel" or provenance.padding is None:
        raise InputError(path, "the report has no '## input:' or '## panel: …, padding N bp' line (a --regions "
                         "report cannot be merged)")
    return Report(path, provenance)


def _check_reports(reports: list[Report]) -> None:
    first = reports[0]
    for report in reports[1:]:
        for (name, mine), (_, theirs) in zip(first.same(), report.same(), strict=True):
            if mine != theirs:
                raise UsageError(f"cannot merge {report.path} with {first.path}: different {name} "
                                 f"('{theirs}' vs '{mine}')")
    by_input: dict[str, list[Report]] = {}
    for report in reports:
        by_input.setdefault(report.input, []).append(report)
    for shards in by_input.values():
        if any(shard.provenance.part for shard in shards):
            _check_parts(shards)
            continue
        seen: dict[str, str] = {}
        for shard in shards:
            if shard.provenance.samples != shards[0].provenance.samples:
                raise UsageError(f"cannot merge {shard.path} with {shards[0].path}: same input, different samples")
            for gene in shard.provenance.genes:
                if gene in seen:
                    raise UsageError(f"cannot merge {shard.path} with {seen[gene]}: both report {gene} of the "
                                     f"same input (shards must not share genes)")
                seen[gene] = shard.path
    gene_sets = {frozenset(g for shard in shards for g in shard.provenance.genes) for shards in by_input.values()}
    if len(gene_sets) > 1:
        raise UsageError("cannot merge: the inputs were annotated for different gene sets (use the same --genes "
                         "or the same set of --shard runs for every input)")
    owner: dict[str, str] = {}
    for source, shards in by_input.items():
        for sample in shards[0].provenance.samples:
            if sample in owner:
                raise UsageError(f"cannot merge: sample {sample} is in two inputs ({owner[sample]} and {source})")
            owner[sample] = source


def _check_parts(parts: list[Report]) -> None:
    """The parts of one family-split run (hftc-annot hail): all N of them, once each, of the same run (its id),
    samples and genes."""
    first = parts[0]
    for part in parts:
        if part.provenance.part is None:
            raise UsageError(f"cannot merge {part.path} with {first.path}: one is a part of a family-split run of "
                             "the same input, the other is not")
        if (part.provenance.samples, part.provenance.genes) != (first.provenance.samples, first.provenance.genes):
            raise UsageError(f"cannot merge {part.path} with {first.path}: parts of one run with different samples "
                             "or genes")
    runs = {part.provenance.part[2]: part.path for part in parts}
    if len(runs) > 1:
        (run, path), (other, other_path) = sorted(runs.items())[:2]
        raise UsageError(f"cannot merge {other_path} with {path}: parts of different runs ({other} and {run})")
    numbers = sorted(part.provenance.part[:2] for part in parts)
    count = numbers[0][1]
    if numbers != [(k, count) for k in range(1, count + 1)]:
        have = ", ".join(f"{k} of {n}" for k, n in numbers)
        raise UsageError(f"cannot merge: the parts of {first.input} are not parts 1 to {count} of {count}, each once "
                         f"(given: {have})")


def _rows(path: str, rank: dict[str, int]) -> Iterator[tuple[tuple, str]]:
    tier = COLUMNS.index("evidence_tier")
    sample, gene, chrom, pos = (COLUMNS.index(c) for c in ("sample", "gene", "chrom", "pos"))
    with _open(path) as handle:
        for line in handle:
            if line.startswith("## ") or line.startswith("chrom\t"):
                continue
            cells = line.rstrip("\n").split("\t")
            name = cells[sample].removeprefix("'") if cells[sample] != "." else None
            yield report_order(rank[name] if name is not None else len(rank), cells[tier], cells[gene], cells[chrom],
                               int(cells[pos])), line


def _panel_source(reports: list) -> str:
    """Where the merged reports' genes came from (a --panel file, with its checksum, and the models), when they all
    say the same: ' from mine.tsv (sha256 …; models …)'; '' otherwise."""
    sources = {r.provenance.panel_source for r in reports}
    source = sources.pop() if len(sources) == 1 else ""
    return f" {source}" if source.startswith("from ") else ""


def merge_reports(paths: list[str], output, command: str, base: str | None = None) -> int:
    """Write the merged report of `paths` to `output` (a text handle); returns the number of rows. The preamble
    names the reports as given, or relative to the directory `base`."""
    reports = sorted((_read_report(p) for p in paths), key=lambda r: (r.input, r.provenance.genes))
    _check_reports(reports)
    inputs = list(dict.fromkeys(r.input for r in reports))
    samples = [s for source in inputs for s in next(r for r in reports if r.input == source).provenance.samples]
    first = reports[0].provenance
    shipped = load_panel(first.build, padding=0).genes if first.build in BUILDS else ()
    panel_order = {g.symbol: i for i, g in enumerate(shipped)}
    genes = sorted({g for r in reports for g in r.provenance.genes},
                   key=lambda g: (panel_order.get(g, len(panel_order)), g))
    names = [os.path.relpath(r.path, base) if base else r.path for r in reports]
    merged = Provenance(
        version=__version__, command=command, inputs=tuple(inputs),
        merged=f"{len(reports)} reports ({', '.join(sorted(names))})",
        build=first.build, build_reason=first.build_reason, panel_key="panel",
        panel=f"{len(genes)} genes (merged{_panel_source(reports)}), padding {first.padding} bp", genes=tuple(genes),
        samples=tuple(samples),
        consequences=first.consequences, knowledge=first.knowledge, evidence_tier=first.evidence_tier,
        protein_effects=" | ".join(dict.fromkeys(r.provenance.protein_effects for r in reports
                                                 if r.provenance.protein_effects)),
        qualifying=first.qualifying)
    output.writelines(f"## {line}\n" for line in merged.to_lines())
    output.write("\t".join(COLUMNS) + "\n")
    rank = {s: i for i, s in enumerate(samples)}
    count = 0
    for _, line in heapq.merge(*(_rows(r.path, rank) for r in reports), key=lambda item: item[0]):
        output.write(line if line.endswith("\n") else line + "\n")
        count += 1
    return count


def _vcf_parts(path: str) -> tuple[list[str], Iterator[str]]:
    """Header lines and an iterator over the record lines of an annotated VCF (plain or bgzipped)."""
    handle = _open(path)
    header = []
    for line in handle:
        header.append(line.rstrip("\n"))
        if line.startswith("#CHROM"):
            break
    if not header or not header[0].startswith("##fileformat=VCF") or not header[-1].startswith("#CHROM"):
        raise InputError(path, "not a VCF (no ##fileformat / #CHROM header)")
    if not any(line.startswith("##hftc-annot_version=") for line in header):
        raise InputError(path, "not a VCF written by hftc-annot (no ##hftc-annot_version line)")
    return header, (line.rstrip("\n") for line in handle)


def merge_vcfs(paths: list[str], output: str, compressed: bool, command: str) -> int:
    """Merge annotated VCF shards of one input into the file `output` (bgzipped when `compressed`); returns the
    number of records."""
    parts = [(path, *_vcf_parts(path)) for path in sorted(paths)]
    first_path, first, _ = parts[0]
    for path, header, _ in parts[1:]:
        for prefix in VCF_SAME:
            mine = [line for line in first if line.startswith(prefix)]
            theirs = [line for line in header if line.startswith(prefix)]
            if mine != theirs:
                raise UsageError(f"cannot merge {path} with {first_path}: different {prefix.strip('#=')} "
                                 f"({theirs[0] if theirs else 'none'} vs {mine[0] if mine else 'none'})")
        if header[-1] != first[-1]:
            raise UsageError(f"cannot merge {path} with {first_path}: different samples (#CHROM lines differ); "
                             "use bcftools merge for different samples")
    contigs = [line.split("ID=", 1)[1].split(",")[0].rstrip(">") for line in first if line.startswith("##contig=")]
    order = {c: i for i, c in enumerate(contigs)}
    header = [line for line in first if not line.startswith("##hftc-annot_command=")]
    header.insert(-1, f"##hftc-annot_command={command}")

    def keyed(path: str, records: Iterator[str]) -> Iterator[tuple[tuple, str, str]]:
        for line in records:
            chrom, pos = line.split("\t", 2)[:2]
            yield (order.get(chrom, len(order)), contig_rank(canonical_contig(chrom)), int(pos)), line, path

    count = 0
    seen: dict[tuple, str] = {}
    with (pysam.BGZFile(output, "wb") if compressed else open(output, "wb")) as out:
        out.write(("\n".join(header) + "\n").encode())
        for key, line, path in heapq.merge(*(keyed(p, r) for p, _, r in parts), key=lambda item: item[0]):
            site = (*key, *line.split("\t", 5)[3:5])
            if seen.get(site, path) != path:
                raise UsageError(f"cannot merge: record {line.split(chr(9))[0]}:{key[2]} is in {seen[site]} and "
                                 f"{path} (shards must not share genes; use --shard, which keeps overlapping "
                                 "genes together)")
            seen[site] = path
            out.write((line + "\n").encode())
            count += 1
    return count


def output_kind(paths: list[str]) -> str:
    """'vcf' when every input is a VCF, 'tsv' when every input is a report; mixed inputs are refused."""
    kinds = set()
    for path in paths:
        if not os.path.exists(path):
            raise InputError(path, "no such file")
        if path.endswith(".bcf"):
            raise UsageError(f"{path}: merge reads VCF text (.vcf, .vcf.gz); write the shards as .vcf.gz")
        try:
            with _open(path) as handle:
                first = handle.readline()
        except (UnicodeDecodeError, OSError, EOFError):
            raise InputError(path, "neither an hftc-annot TSV report nor a VCF (not text)") from None
        kinds.add("vcf" if first.startswith("##fileformat=VCF") else "tsv")
    if len(kinds) > 1:
        raise UsageError("cannot merge TSV reports with VCFs: give one kind")
    return kinds.pop()
