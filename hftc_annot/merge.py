"""Merge hftc-annot outputs of gene shards or of separate samples into one report or annotated VCF."""

from __future__ import annotations

import gzip
import heapq
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from hftc_annot import __version__
from hftc_annot.errors import InputError, UsageError
from hftc_annot.inheritance import SUMMARY_COLUMNS
from hftc_annot.merge_checks import (
    EQUAL,
    JOINED,
    OWN,
    PER_INPUT,
    RULES,
    check_same,
    check_shards,
    contig_order,
    input_identity,
    joined,
)
from hftc_annot.outputs import BgzfWriter, NamedFile
from hftc_annot.panel import load_panel
from hftc_annot.provenance import Provenance, one_line
from hftc_annot.reader.sniff import lacks_bgzf_eof
from hftc_annot.resources import BUILDS
from hftc_annot.writers.rows import report_order
from hftc_annot.writers.tsv import COLUMNS


@dataclass
class Report:
    """One hftc-annot TSV report and the provenance its preamble records."""

    path: str
    provenance: Provenance

    @property
    def inputs(self) -> str:
        """The input (or, for a merged report, the inputs) the report's rows are of, as its '## input:' lines
        name them."""
        return ", ".join(self.provenance.inputs)

    def values(self) -> dict[str, str]:
        """The value of each key with a merge rule (merge_checks.RULES) but those merge writes anew."""
        p = self.provenance
        return {"version": p.version, "padding": f"{p.padding} bp", "build": f"{p.build} ({p.build_reason})",
                "consequences": p.consequences, "qualifying": p.qualifying, "knowledge": p.knowledge,
                "evidence_tier": p.evidence_tier, "settings": p.settings, "panel_file": p.panel_file,
                "input": self.inputs,
                "samples": ",".join(p.samples), "pedigree": p.pedigree, "structural_variants": p.structural,
                "protein_effects": p.protein_effects, "build_check": p.build_check,
                "not_covered": ", ".join(p.not_covered)}


def _open(path: str) -> IO[bytes]:
    """The part's bytes, inflated when it is gzipped; a cut BGZF file (no end-of-file block) is refused here."""
    try:
        with open(path, "rb") as probe:
            head = probe.read(18)
        if head[:2] != b"\x1f\x8b":
            return open(path, "rb")
        if head[12:14] == b"BC" and lacks_bgzf_eof(path):
            raise InputError(path, "truncated: the BGZF file has no end-of-file block (cut short while written or "
                             "copied?)")
        return gzip.open(path, "rb")
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None


def _lines(path: str) -> Iterator[tuple[int, str]]:
    """(line number, line without its end) of a part, plain or gzipped. Bytes that are not UTF-8, a cut or
    damaged gzip stream and a last line without its line end (hftc-annot ends every line) are InputErrors naming
    the file (and line)."""
    number = 0
    with _open(path) as handle:
        try:
            for number, raw in enumerate(handle, 1):
                if not raw.endswith(b"\n"):
                    raise InputError(path, "truncated: the last line has no line end", line=number)
                try:
                    yield number, raw[:-1].decode("utf-8")
                except UnicodeDecodeError:
                    raise InputError(path, "not UTF-8 text (hftc-annot writes UTF-8)", line=number) from None
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise InputError(path, f"truncated or damaged gzip stream after line {number} ({exc})") from None


def _read_report(path: str) -> Report:
    lines: list[str] = []
    for number, line in _lines(path):
        if number == 1 and not line.startswith("## hftc-annot "):
            raise InputError(path, "not an hftc-annot TSV report (no '## hftc-annot VERSION' first line)")
        if not line.startswith("## "):
            if line.split("\t") == list(SUMMARY_COLUMNS):
                raise InputError(path, "a --summary table cannot be merged: merge the TSV reports (-o) of the runs",
                                 line=number)
            if line.split("\t") != list(COLUMNS):
                raise InputError(path, "the column header is not that of this hftc-annot version's report",
                                 line=number)
            break
        lines.append(line[3:])
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
    number, line = next((n, line) for n, line in enumerate(lines, 1) if line.startswith("samples: "))
    count = line.removeprefix("samples: ").partition(" ")[0]
    if count != str(len(provenance.samples)):  # the names are joined by ',' there
        raise InputError(path, f"the '## samples: {count} (…)' line holds {len(provenance.samples)} names when split "
                         "at ',': a sample name with a comma cannot be merged", line=number)
    return Report(path, provenance)


def _check_reports(reports: list[Report]) -> None:
    check_same([(report.path, report.values()) for report in reports], EQUAL)
    by_input: dict[str, list[Report]] = {}
    for report in reports:
        by_input.setdefault(input_identity(report.inputs), []).append(report)
    for shards in by_input.values():
        check_same([(shard.path, shard.values()) for shard in shards], PER_INPUT, "the same input with a different")
        check_shards([(shard.path, shard.provenance.shard) for shard in shards], shards[0].inputs)
        if any(shard.provenance.part for shard in shards):
            _check_parts(shards)
            continue
        seen: dict[str, str] = {}
        for shard in shards:
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
    for shards in by_input.values():
        for sample in shards[0].provenance.samples:
            if sample in owner:
                raise UsageError(f"cannot merge: sample {sample} is in two inputs ({owner[sample]} and "
                                 f"{shards[0].inputs})")
            owner[sample] = shards[0].inputs


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
        raise UsageError(f"cannot merge: the parts of {first.inputs} are not parts 1 to {count} of {count}, each once "
                         f"(given: {have})")


def _rows(report: Report, rank: dict[str, int]) -> Iterator[tuple[tuple, str]]:
    """The report's rows (with their line ends) and their places in the merged report. A row hftc-annot would not
    have written (another column count, a sample not in its preamble, a pos that is not a number, out of order) is
    an InputError naming the line."""
    tier, sample, gene, chrom, pos = (COLUMNS.index(c) for c in ("evidence_tier", "sample", "gene", "chrom", "pos"))
    own = set(report.provenance.samples)
    lines = _lines(report.path)
    next(number for number, line in lines if not line.startswith("## "))  # the column header (_read_report read it)
    place: tuple = ()
    for number, line in lines:
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise InputError(report.path, f"{len(cells)} columns, the column header has {len(COLUMNS)}", line=number)
        name = cells[sample].removeprefix("'") if cells[sample] != "." else None
        if name is not None and name not in own:
            raise InputError(report.path, f"sample {name} is not in the report's '## samples:' line", line=number)
        if not cells[pos].isdigit():
            raise InputError(report.path, f"pos '{cells[pos]}' is not a position", line=number)
        key = report_order(rank[name] if name is not None else len(rank), cells[tier], cells[gene], cells[chrom],
                           int(cells[pos]))
        _in_order(report.path, number, key, place)
        place = key
        yield key, line + "\n"


def _in_order(path: str, number: int, key: tuple, place: tuple) -> None:
    """Line `number` must not sort before the previous line's place. Two equal lines are not refused: a run writes
    them for a record the input holds twice (two callers' files joined), and a sharded run must merge as it."""
    if key < place:
        raise InputError(path, "out of order: it sorts before the line above it (hftc-annot writes its rows and "
                         "records sorted)", line=number)


def _panel_source(reports: list) -> str:
    """Where the merged reports' genes came from, when a --panel file (the same in every report, by its checksum:
    _check_reports) and the first report's models: ' from mine.tsv (sha256 …; models …)'; '' otherwise."""
    source = reports[0].provenance.panel_source
    if source.startswith("(merged "):  # a merged report: '(merged from mine.tsv (sha256 …; models …))'
        source = source.removeprefix("(merged ").removesuffix(")")
    return f" {source}" if source.startswith("from ") else ""


def _pedigrees(reports: list[Report]) -> str:
    """The pedigree lines of the merged reports, each once (by checksum), joined by ' | '."""
    found: dict[str, str] = {}
    for report in reports:
        if report.provenance.pedigree:
            found.setdefault(report.provenance.pedigree_identity, report.provenance.pedigree)
    return " | ".join(found.values())


def merge_reports(paths: list[str], output, command: str, base: str | None = None) -> int:
    """Write the merged report of `paths` to `output` (a text handle); returns the number of rows. The preamble
    names the reports as given, or relative to the directory `base`."""
    reports = sorted((_read_report(p) for p in paths), key=lambda r: (input_identity(r.inputs), r.provenance.shard
                                                                     or (0, 0), r.provenance.genes))  # shards in order
    _check_reports(reports)
    firsts: dict[str, Report] = {}  # the first report of each input
    for report in reports:
        firsts.setdefault(input_identity(report.inputs), report)
    inputs = [i for r in firsts.values() for i in r.provenance.inputs]
    samples = [s for r in firsts.values() for s in r.provenance.samples]
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
        protein_effects=joined([r.provenance.protein_effects for r in reports]),
        build_check=joined([r.provenance.build_check for r in reports]),
        not_covered=tuple(dict.fromkeys(g for r in reports for g in r.provenance.not_covered)),
        structural=joined([r.provenance.structural for r in reports]),
        qualifying=first.qualifying, settings=first.settings, pedigree=_pedigrees(reports))
    output.writelines(f"## {line}\n" for line in merged.to_lines())
    output.write("\t".join(COLUMNS) + "\n")
    rank = {s: i for i, s in enumerate(samples)}
    count = 0
    for _, line in heapq.merge(*(_rows(r, rank) for r in reports), key=lambda item: item[0]):
        output.write(line)
        count += 1
    return count


def _vcf_parts(path: str) -> tuple[list[str], Iterator[tuple[int, str]]]:
    """Header lines and an iterator over the (line number, record line) of an annotated VCF (plain or bgzipped)."""
    lines = _lines(path)
    header = []
    for _, line in lines:
        header.append(line)
        if line.startswith("#CHROM"):
            break
    if not header or not header[0].startswith("##fileformat=VCF") or not header[-1].startswith("#CHROM"):
        raise InputError(path, "not a VCF (no ##fileformat / #CHROM header)")
    if not any(line.startswith("##hftc-annot_version=") for line in header):
        raise InputError(path, "not a VCF written by hftc-annot (no ##hftc-annot_version line)")
    return header, lines


def _records(path: str, header: list[str], lines: Iterator[tuple[int, str]],
             order: dict[str, int]) -> Iterator[tuple[tuple, str, str]]:
    """(place, record line, path) of each record of a VCF part, its place by the contig `order` and POS; a record
    hftc-annot would not have written (another column count than #CHROM, a POS that is not a number, out of order)
    is an InputError naming the line."""
    columns = header[-1].count("\t") + 1
    place: tuple = ()
    for number, line in lines:
        cells = line.split("\t", columns)
        if len(cells) != columns:
            raise InputError(path, f"{len(cells)} columns, the #CHROM line has {columns}", line=number)
        if not cells[1].isdigit():
            raise InputError(path, f"POS '{cells[1]}' is not a position", line=number)
        key = (order.get(cells[0], len(order)), int(cells[1]))
        _in_order(path, number, key, place)
        place = key
        yield key, line, path


def _contigs(path: str) -> list[str]:
    """The contigs of a VCF part's records, in the order they first come."""
    found: dict[str, None] = {}
    for _, line in _lines(path):
        if not line.startswith("#"):
            found.setdefault(line.split("\t", 1)[0])
    return list(found)


def _hftc_lines(header: list[str]) -> dict[str, str]:
    """The ##hftc-annot_KEY=VALUE lines of a VCF header, by KEY."""
    return dict(line[len("##hftc-annot_"):].split("=", 1) for line in header if line.startswith("##hftc-annot_"))


def _check_vcf_headers(parts: list[tuple[str, list[str], Iterator]]) -> None:
    """The VCF shards of one input: ##hftc-annot_ lines as merge_checks.RULES has them (one input, so those that
    are PER_INPUT must be equal too) and the same samples."""
    outputs = [(path, _hftc_lines(header)) for path, header, _ in parts]
    check_same(outputs, EQUAL)
    check_same(outputs, PER_INPUT)
    first_path, first, _ = parts[0]
    for path, header, _ in parts[1:]:
        if header[-1] != first[-1]:
            raise UsageError(f"cannot merge {path} with {first_path}: different samples (#CHROM lines differ); "
                             "use bcftools merge for different samples")


def _merged_header(parts: list[tuple[str, list[str], Iterator]], command: str) -> list[str]:
    """The first part's header with merge's command, without the parts' OWN lines (command, shard) and with the
    JOINED ones joined over the parts (one the first part lacks stands before #CHROM)."""
    values = {key: joined([_hftc_lines(header).get(key, "") for _, header, _ in parts])
              for key, rule in RULES.items() if rule == JOINED}
    header = []
    for line in parts[0][1]:
        key = line[len("##hftc-annot_"):].split("=", 1)[0] if line.startswith("##hftc-annot_") else ""
        if RULES.get(key) == OWN:
            continue
        header.append(f"##hftc-annot_{key}={values.pop(key)}" if key in values else line)
    header[-1:-1] = [f"##hftc-annot_{key}={value}" for key, value in values.items() if value]
    header.insert(-1, f"##hftc-annot_command={one_line(command)}")
    return header


def _vcf_shard(path: str, header: list[str]) -> tuple[int, int] | None:
    """(K, N) of a --shard K/N run's VCF (its ##hftc-annot_shard line), else None."""
    shard = _hftc_lines(header).get("shard")
    if shard is None:
        return None
    k, _, n = shard.partition("/")
    if not (k.isdigit() and n.isdigit()):
        raise InputError(path, f"the header's '##hftc-annot_shard={shard}' line is not K/N")
    return int(k), int(n)


def merge_vcfs(paths: list[str], output: str, compressed: bool, command: str) -> int:
    """Merge annotated VCF shards of one input into the file `output` (bgzipped when `compressed`); returns the
    number of records."""
    parts = sorted(((path, *_vcf_parts(path)) for path in paths),
                   key=lambda part: (_vcf_shard(part[0], part[1]) or (0, 0), part[0]))  # joined lines in shard order
    _check_vcf_headers(parts)
    first_path, first, _ = parts[0]
    check_shards([(path, _vcf_shard(path, header)) for path, header, _ in parts],
                 _hftc_lines(first).get("input", first_path))
    declared = [line.split("ID=", 1)[1].split(",")[0].rstrip(">") for line in first if line.startswith("##contig=")]
    order = contig_order([(path, _contigs(path)) for path, _, _ in parts], declared)
    header = _merged_header(parts, command)

    sharded = _vcf_shard(first_path, first) is not None
    count = 0
    seen: dict[tuple, str] = {}
    with (BgzfWriter(output) if compressed else io.BufferedWriter(NamedFile(output, "w"))) as out:
        out.write(("\n".join(header) + "\n").encode())
        for key, line, path in heapq.merge(*(_records(p, h, r, order) for p, h, r in parts), key=lambda item: item[0]):
            site = (*key, *line.split("\t", 5)[3:5])
            if seen.get(site, path) != path:
                where = f"record {line.split(chr(9))[0]}:{key[1]} is in {seen[site]} and {path}"
                if sharded:  # --shard keeps genes whose padded spans overlap together, not two a long REF or END joins
                    raise UsageError(f"cannot merge: {where}: it reaches genes of two shards (a long deletion or "
                                     "structural variant), and merge does not join one record's annotations; merge "
                                     "the TSV reports, or annotate this input in one run")
                raise UsageError(f"cannot merge: {where} (shards must not share genes; use --shard, which keeps "
                                 "overlapping genes together)")
            seen[site] = path
            out.write((line + "\n").encode())
            count += 1
    return count


NOT_MERGED = {"{": "JSON output", "<": "HTML output"}
"""How an output that merge does not join starts, and what it is."""


def output_kind(paths: list[str]) -> str:
    """'vcf' when every input is a VCF, 'tsv' when every input is a report; mixed inputs, a file given twice, an
    empty file and the JSON or HTML output are refused."""
    kinds = set()
    for number, path in enumerate(paths):
        if not os.path.exists(path):
            if path == "-":
                raise UsageError("merge reads its inputs from files, not from standard input ('-'): name the files")
            raise InputError(path, "no such file")
        if path.lower().endswith(".bcf"):
            raise UsageError(f"{path}: merge reads VCF text (.vcf, .vcf.gz); write the shards as .vcf.gz")
        for other in paths[:number]:
            if os.path.samefile(path, other):
                also = "" if path == other else f" (also as {other})"
                raise UsageError(f"{path} is given twice{also}; give each output once")
        first = next((line for _, line in _lines(path)), None)
        if first is None:
            raise InputError(path, "empty (no preamble, header or rows; did the run that wrote it fail?)")
        if first.endswith("\r"):
            raise InputError(path, "Windows (CRLF) line ends: the file was saved by another program (a spreadsheet?); "
                             "merge the file hftc-annot wrote", line=1)
        if first[:1] in NOT_MERGED:
            raise InputError(path, f"{NOT_MERGED[first[:1]]} cannot be merged: merge the TSV reports or the "
                             "annotated VCFs of the runs")
        kinds.add("vcf" if first.startswith("##fileformat=VCF") else "tsv")
    if len(kinds) > 1:
        raise UsageError("cannot merge TSV reports with VCFs: give one kind")
    return kinds.pop()


NAMED = {".tsv": "a TSV report", ".tsv.gz": "a TSV report", ".tsv.bgz": "a TSV report", ".vcf": "a VCF",
         ".vcf.gz": "a VCF", ".vcf.bgz": "a VCF", ".bcf": "a BCF", ".json": "JSON", ".json.gz": "JSON",
         ".json.bgz": "JSON", ".html": "HTML", ".html.gz": "HTML", ".html.bgz": "HTML"}
"""What an output name asks for, by its ending (as the main command reads -o)."""
WRITES = {"tsv": ("a TSV report", ".tsv or .tsv.gz"), "vcf": ("a VCF", ".vcf or .vcf.gz")}
"""What merge writes for each kind of input, and the names for it."""


def check_output_name(output: str, kind: str) -> None:
    """An output name that asks for another format than merge writes for `kind` inputs is a UsageError (a name
    without a known ending, or '-', takes what merge writes)."""
    asked = next((what for suffix, what in NAMED.items() if output.lower().endswith(suffix)), None)
    writes, names = WRITES[kind]
    if asked is not None and asked != writes:
        raise UsageError(f"-o {output}: the name asks for {asked}, but merging {kind.upper()} files writes {writes}; "
                         f"name it {names}")
