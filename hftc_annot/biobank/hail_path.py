"""The Hail/Spark path (`hftc-annot hail`): Hail imports the cohort, keeps the panel regions and gathers each
family's calls per gene; the records are annotated once on the driver with the single-machine stages, and the
single-machine inheritance rules judge each family and gene on the Spark workers; rows are written per part and
merged as `hftc-annot merge` merges."""

from __future__ import annotations

import dataclasses
import gzip
import heapq
import json
import logging
import os
import re
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from hftc_annot.alleles import structural_kind
from hftc_annot.assembly import BuildEvidence, canonical_contig, contig_spellings, detect_build, resolve_build
from hftc_annot.biobank.families import Cohort, Entry, FamilyGroup, GroupResult, Site, write_part
from hftc_annot.errors import InputError, UsageError
from hftc_annot.inheritance.pedigree import Pedigree
from hftc_annot.merge import merge_reports
from hftc_annot.model import PanelRecord
from hftc_annot.panel import Panel, load_panel
from hftc_annot.reader import open_vcf
from hftc_annot.reader.records import NEGATIVE_DEPTH, UNASSIGNED_DEPTHS, Record
from hftc_annot.reader.sniff import Kind
from hftc_annot.resources import BUILDS
from hftc_annot.run import (
    TIER_NOTE_PLAIN,
    Config,
    Summary,
    build_pipeline,
    run_provenance,
)
from hftc_annot.writers.rows import COLUMNS, ReportRow
from hftc_annot.writers.summary import SummaryRanking
from hftc_annot.writers.tsv import write_json, write_summary

log = logging.getLogger("hftc_annot")

LEFT_MARGIN = 10_000
"""bp added before each padded panel region in Hail's interval filter, which keeps records by POS: a record whose
REF (up to this long) starts before a region and reaches into it is kept, as the single-machine reader keeps it."""
PARTS = "parts"


@dataclass
class HailSummary:
    """What a Hail run did: panel records, parts, rows and the problems the stages noted."""

    panel_records: int
    parts: int
    rows: int
    summary: Summary


def run_hail(config: Config, out: str, master: str | None, parts: int | None,
             warn: Callable[[str], None]) -> HailSummary:
    """`hftc-annot hail`: import config.vcf into Hail (local mode, or `master`) and write the outputs into `out`."""
    import hail as hl
    from hail.utils.java import FatalError

    build, contigs = _build_and_contigs(config)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local workers run this Python, with hftc_annot
    with OutputDirectory(out) as work:
        try:
            hl.init(master=master, quiet=True, log=os.path.join(work.path, "hail.log"),
                    app_name="hftc-annot hail", idempotent=True,
                    spark_conf={"spark.ui.showConsoleProgress": "false"})
        except Exception as exc:  # Py4J and Spark raise their own types; the message says what failed
            raise UsageError(f"Spark did not start (--master {master or 'default'}): "
                             f"{str(exc).strip().splitlines()[0]}") from None
        hl.spark_context().setLogLevel("ERROR")
        names = _hail_contigs(hl.get_reference(build).contigs)
        recoding = {spelled: hail for canonical, hail in names.items() for spelled in contig_spellings(canonical)
                    if spelled != hail}
        mt = hl.import_vcf(config.vcf, reference_genome=build, force_bgz=config.vcf.endswith((".gz", ".bgz")),
                           array_elements_required=False, contig_recoding=recoding, skip_invalid_loci=True)
        spelling = _input_spelling(contigs, names)
        try:
            result = annotate_matrix_table(mt, work.path, config, parts, spelling, warn)
        except FatalError as exc:
            raise InputError(config.vcf, hail_problem(str(exc))) from None
        work.publish()
    return result


def hail_problem(text: str) -> str:
    """One line from a Hail error: its summary, and the record Hail could not parse (Hail gives a byte offset, not
    a line number)."""
    summary = re.findall(r"^Error summary: (.*)$", text, flags=re.MULTILINE)
    parsing = re.search(r"offset (\d+): error while parsing line\n(.*)", text)
    where = f" at byte offset {parsing.group(1)} (record '{parsing.group(2)[:60]}')" if parsing else ""
    return f"Hail cannot read it: {summary[-1] if summary else text.splitlines()[0]}{where}"


def _build_and_contigs(config: Config) -> tuple[str, list[str]]:
    """The build, found from the header as a single-machine run finds it, and the header's contig names (or,
    when it lists none, the first record's)."""
    if config.vcf == "-":
        raise UsageError("hftc-annot hail reads a file that Hail's workers can read, not standard input")
    vcf = open_vcf(config.vcf)
    try:
        if vcf.info.kind in (Kind.BCF, Kind.GZIP):
            raise UsageError(f"{config.vcf}: Hail reads plain or bgzipped VCF text, not {vcf.info.kind.value}: "
                             "convert it with 'bcftools view -Oz -o cohort.vcf.bgz' first")
        evidence = detect_build(vcf.header.contigs, list(vcf.header.lines), vcf.source)
        build = resolve_build(config.build, evidence, vcf.source, own_models=True)  # T2T: refused below
        contigs = list(vcf.header.contigs) or _first_contig(config.vcf, vcf.info.kind)
    finally:
        vcf.close()
    if build not in BUILDS:
        raise UsageError(f"hftc-annot hail runs on {' and '.join(BUILDS)} only (Hail's reference genomes); "
                         f"{config.vcf} is {build}: annotate it with 'hftc-annot VCF --build custom'")
    return build, contigs


def _first_contig(path: str, kind: Kind) -> list[str]:
    """The CHROM of the first record, as a list (empty for a VCF without records)."""
    with (gzip.open(path, "rt", encoding="utf-8", errors="replace") if kind is Kind.BGZF
          else open(path, encoding="utf-8", errors="replace")) as handle:
        for line in handle:
            if not line.startswith("#"):
                return [line.split("\t", 1)[0]]
    return []


def _input_spelling(contigs: list[str], names: dict[str, str]) -> dict[str, str]:
    """Hail's contig name -> the input's, for every contig of the build: as the header (or the first record)
    spells contigs, 'chr2' or '2'."""
    spelled = {names[canonical_contig(c)]: c for c in contigs if canonical_contig(c) in names}
    prefixed = any(c.startswith("chr") for c in contigs)
    for canonical, hail in names.items():
        spelled.setdefault(hail, ("chrM" if canonical == "MT" else f"chr{canonical}") if prefixed else canonical)
    return spelled


def _hail_contigs(contigs: list[str]) -> dict[str, str]:
    """Hail's contig name of each canonical contig name."""
    return {canonical_contig(c): c for c in contigs}


def annotate_matrix_table(mt, out: str, config: Config, parts: int | None = None,
                          spelling: dict[str, str] | None = None,
                          warn: Callable[[str], None] = log.warning) -> HailSummary:
    """Annotate a Hail MatrixTable (as hl.import_vcf gives it: GT, and GQ, DP, AD, PS, FT where the VCF has them) with
    the analysis `config` describes; write into the directory `out` (which must not hold them yet) the part
    reports, the merged report.tsv, report.json and summary.tsv, and report.ht (a Hail Table of the rows, keyed in
    report order). `parts`: how many Spark tasks (and part files); `spelling`: Hail's contig name -> the input's
    (default: Hail's)."""
    import hail as hl

    _check_options(config)
    _check_out(out)
    build = mt.locus.dtype.reference_genome.name
    if build not in BUILDS:
        raise UsageError(f"the MatrixTable's reference genome is {build}; hftc-annot hail supports "
                         f"{' and '.join(BUILDS)}")
    panel = load_panel(build, padding=config.padding)
    mt = hl.filter_intervals(mt, _intervals(hl, panel, mt.locus.dtype.reference_genome))
    mt = mt.add_row_index("record").add_col_index("column")
    mt = mt.checkpoint(hl.utils.new_temp_file("hftc-annot-panel", "mt"))  # the later passes read only the panel
    samples = tuple(mt.s.collect())
    summary = Summary(build=build, route="hail")
    pipeline = build_pipeline(config, panel, None, (), samples, warn, summary)
    sites, phase_sets = _annotated_sites(mt, config, pipeline, spelling or {}, warn, summary)
    pedigree = pipeline.inheritance.pedigree
    families = _families(pedigree, samples)
    cohort = Cohort(samples, families, pedigree, build, pipeline.inheritance.settings, pipeline.tiers, sites,
                    phase_sets)
    groups = _family_groups(hl, mt, sites, {samples[c]: f for f, columns in families.items() for c in columns})
    evidence = BuildEvidence(build, "the reference genome of the Hail MatrixTable")
    provenance = run_provenance(config, config.vcf, build, evidence, panel, samples, pipeline)
    frame = groups.to_spark(flatten=False)
    count = parts or max(1, frame.rdd.getNumPartitions())  # one part, empty, when no family carries anything
    run = uuid.uuid4().hex[:12]
    preambles = [dataclasses.replace(provenance, part=(k + 1, count, run)).to_lines() for k in range(count)]
    paths = [os.path.join(out, PARTS, f"part-{k + 1:05d}.tsv") for k in range(count)]
    os.makedirs(os.path.join(out, PARTS))
    shared = hl.spark_context().broadcast(cohort)

    def judge_part(index: int, rows: Iterator) -> Iterator[GroupResult]:
        yield write_part((_group(row) for row in rows), shared.value, preambles[index], paths[index])

    results = frame.repartition(count).rdd.mapPartitionsWithIndex(judge_part).collect()
    for part in results:
        for kind, where in part.problems:
            summary.note_problem(kind, where)
    rows = _write_reports(out, paths, config.command, provenance, _summary_lines(results, sites, samples),
                          pipeline.inheritance.assessed()[0], summary.warnings + summary.problem_lines())
    _rows_table(hl, paths, build, spelling or {}).write(os.path.join(out, "report.ht"))
    return HailSummary(panel_records=len(sites), parts=count, rows=rows, summary=summary)


OUTPUTS = ("report.tsv", "report.json", "summary.tsv", "report.ht", PARTS)


def _check_out(out: str) -> None:
    """`out` is a directory without any of the outputs (nothing is replaced)."""
    if not os.path.isdir(out):
        raise UsageError(f"{out}: not a directory")
    found = [name for name in OUTPUTS if os.path.lexists(os.path.join(out, name))]
    if found:
        raise UsageError(f"{out}: already holds {', '.join(found)} (nothing is replaced)")


def _write_reports(out: str, paths: list[str], command: str, provenance, lines: list, assessed: tuple[str, ...],
                   warnings: list[str]) -> int:
    """The parts merged into report.tsv (as `hftc-annot merge` merges them), report.json (with the run's `warnings`)
    and summary.tsv (both naming the `assessed` samples without a candidate); returns the number of rows."""
    with open(os.path.join(out, "report.tsv"), "x", encoding="utf-8") as handle:
        rows = merge_reports(paths, handle, command, base=out)
    plain = dataclasses.replace(provenance, evidence_tier=TIER_NOTE_PLAIN).to_lines()
    with open(os.path.join(out, "report.json"), "x", encoding="utf-8") as handle:
        write_json(handle, plain, _merged_rows(paths), lines, assessed, warnings)
    with open(os.path.join(out, "summary.tsv"), "x", encoding="utf-8") as handle:
        write_summary(handle, provenance.to_lines(), lines, assessed)
    return rows


UNSUPPORTED = {"genes": "--genes", "shard": "--shard", "regions_bed": "--regions", "samples": "--samples",
               "panel": "--panel", "gff": "--gff", "contig_map": "--contig-map"}
"""Options of a single-machine run that the Hail path does not offer (yet): a Config with them is refused."""


def _check_options(config: Config) -> None:
    given = [option for name, option in UNSUPPORTED.items() if getattr(config, name)]
    if config.consequences != "compute":
        given.append("--consequences from-input")
    if given:
        raise UsageError(f"hftc-annot hail does not offer {', '.join(given)} yet: run the single-machine tool, or "
                         "leave them out")


def _intervals(hl, panel: Panel, reference) -> list:
    """The padded panel genes, LEFT_MARGIN wider on the left, as Hail intervals."""
    names = _hail_contigs(reference.contigs)
    lengths = reference.lengths
    return [hl.locus_interval(names[g.contig], max(1, g.start - panel.padding - LEFT_MARGIN),
                              min(lengths[names[g.contig]], g.end + panel.padding), includes_end=True,
                              reference_genome=reference)
            for g in panel.genes if g.contig in names]


def _annotated_sites(mt, config: Config, pipeline, spelling: dict[str, str], warn: Callable[[str], None],
                     summary: Summary) -> tuple[dict[int, PanelRecord], frozenset[int]]:
    """Every panel record, sites-only, through the per-record stages once (consequence, frequency, knowledge); and
    the records where some sample has a FORMAT/PS value (elsewhere, like a record without PS, phased calls share
    one phase set). Records with a structural ALT are left out, with a warning: Hail finds records by POS, not by
    their END. A record where some sample's AD cannot be read (records.readable_depths, which the families' calls
    are read through) is noted in `summary`, as the reader notes it."""
    import hail as hl

    fields = {"rsid": mt.rsid, "filters": mt.filters}
    if "info" in mt.row and config.af_field in mt.info:
        fields["af"] = mt.info[config.af_field]
    if "PS" in mt.entry:
        fields["phase_set"] = hl.agg.any(hl.is_defined(mt.PS))
    if "AD" in mt.entry:
        alleles = hl.len(mt.alleles)
        beyond = hl.coalesce(mt.AD[alleles:].any(hl.is_defined), False)
        negative = hl.coalesce(mt.AD[:alleles].any(lambda depth: hl.coalesce(depth < 0, False)), False)
        fields["unassigned_ad"] = hl.agg.any(beyond)
        fields["negative_ad"] = hl.agg.any(~beyond & negative)
    rows = mt.annotate_rows(**fields).rows().select("record", *fields).collect()
    sites, phase_sets, structural = {}, set(), 0
    for row in rows:
        if any(structural_kind(alt) for alt in row.alleles[1:]):
            structural += 1
            continue
        record = Record(spelling.get(row.locus.contig, row.locus.contig), row.locus.position, row.rsid or ".",
                        row.alleles[0], tuple(row.alleles[1:]), _filters(row.filters), None, None, None, None, None,
                        None, row.record, _info(config.af_field, row.get("af")))
        item = pipeline.panel.hit(record)
        if not (item.genes and item.findings):
            continue
        for stage in pipeline.before:
            stage.annotate(item)
        sites[row.record] = item
        for field, problem in (("unassigned_ad", UNASSIGNED_DEPTHS), ("negative_ad", NEGATIVE_DEPTH)):
            if row.get(field):
                summary.note_problem(problem, record.site)
        if row.get("phase_set"):
            phase_sets.add(row.record)
    if structural:
        warn(f"{structural} records with a structural ALT (<DEL>, <DUP>, <INV>, <CNV>) are not annotated by hftc-annot "
             "hail; annotate them with hftc-annot on one machine (--sv VCF adds them to the small variants)")
    return sites, frozenset(phase_sets)


def _filters(found: set[str] | None) -> tuple[str, ...]:
    """Hail's FILTER set as the reader's tuple: missing is '.', empty is PASS; several are sorted (Hail keeps a
    set, so the input's order is lost)."""
    if found is None:
        return ()
    return tuple(sorted(found)) or ("PASS",)


def _info(key: str, value) -> dict[str, object]:
    """The INFO value the frequency stage reads, as htslib gives it (a single float, or a tuple per ALT; floats in
    single precision, as the VCF's Float type is)."""
    if value is None:
        return {}
    values = value if isinstance(value, list) else [value]
    single = tuple(None if v is None else float(np.float32(v)) for v in values)
    return {key: single if len(single) > 1 else single[0]}


def _families(pedigree: Pedigree, samples: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """Groups of samples judged together, by the name of their first member -> their columns (VCF order): each
    sample with everyone the rules read beside it (its PED family, parents and siblings, as Pedigree gives them to
    the single-machine run), so that no group lacks a relative; a sample the PED does not list stands
    alone (a PED family of its name is not its family)."""
    column = {s: c for c, s in enumerate(samples)}
    root = list(range(len(samples)))

    def find(c: int) -> int:
        while root[c] != c:
            root[c] = root[root[c]]
            c = root[c]
        return c

    def join(first: str, second: str | None) -> None:
        if second in column:
            root[find(column[second])] = find(column[first])

    for sample in samples:
        me = pedigree.get(sample)
        for other in [*(i.id for i in pedigree.family_of(sample)), me.father, me.mother,
                      *(i.id for i in pedigree.siblings(sample)),
                      *(i.id for i in pedigree.maternal_half_siblings(sample))]:
            join(sample, other)
    groups: dict[int, list[int]] = {}
    for c in range(len(samples)):
        groups.setdefault(find(c), []).append(c)
    return {samples[columns[0]]: tuple(columns) for columns in groups.values()}


def _family_groups(hl, mt, sites: dict[int, PanelRecord], family_of: dict[str, str]):
    """A Hail Table keyed by (family, gene): the records of the gene at which a member of the family carries an
    ALT or has a haploid call, each with the calls of every member."""
    genes = hl.literal({index: sorted({f.symbol for f in item.findings}) for index, item in sites.items()},
                       dtype=hl.tdict(hl.tint64, hl.tarray(hl.tstr)))
    mt = mt.annotate_rows(genes=genes.get(mt.record))
    mt = mt.filter_rows(hl.is_defined(mt.genes))
    mt = mt.annotate_cols(family=hl.literal(family_of, dtype=hl.tdict(hl.tstr, hl.tstr))[mt.s])
    marked = hl.is_defined(mt.GT) & (mt.GT.is_non_ref() | (mt.GT.ploidy == 1))
    mt = mt.annotate_rows(families=hl.agg.filter(marked, hl.agg.collect_as_set(mt.family)))
    mt = mt.filter_rows(hl.len(mt.families) > 0)
    gt = mt.GT
    entry = hl.struct(family=mt.family, column=mt.column,
                      alleles=hl.or_missing(hl.is_defined(gt), hl.range(gt.ploidy).map(lambda k: gt[k])),
                      phased=hl.coalesce(gt.phased, False),
                      gq=_field(hl, mt, "GQ"), dp=_field(hl, mt, "DP"), ad=_field(hl, mt, "AD", hl.tarray(hl.tint32)),
                      ps=_field(hl, mt, "PS"), filtered=_filtered(hl, mt))
    mt = mt.annotate_rows(entries=hl.agg.filter(mt.families.contains(mt.family), hl.agg.collect(entry)))
    rows = mt.rows().key_by().select("record", "genes", "entries")
    rows = rows.explode("genes")
    rows = rows.annotate(family=hl.array(hl.group_by(lambda e: e.family, rows.entries)))
    rows = rows.explode("family")
    return rows.group_by(family=rows.family[0], gene=rows.genes).aggregate(
        sites=hl.agg.collect(hl.struct(record=rows.record, entries=rows.family[1].map(lambda e: e.drop("family")))))


def _field(hl, mt, name: str, dtype=None):
    """An entry field, or a missing value where the VCF has none."""
    return mt[name] if name in mt.entry else hl.missing(dtype or hl.tint32)


def _filtered(hl, mt):
    """Whether FORMAT/FT names a filter (not PASS or missing; any of them, where FT holds several), as the reader
    reads it; False where the VCF has no FT."""
    if "FT" not in mt.entry:
        return hl.literal(False)
    names = mt.FT if isinstance(mt.FT.dtype, hl.tarray) else hl.array([mt.FT])
    passing = hl.literal({"PASS", ".", ""})
    return hl.coalesce(names.any(lambda name: hl.is_defined(name) & ~passing.contains(name)), False)


def _group(row) -> FamilyGroup:
    """A Spark row of the grouped table as a FamilyGroup."""
    return FamilyGroup(row.family, row.gene, tuple(
        Site(site.record, tuple(Entry(e.column, tuple(e.alleles) if e.alleles is not None else None, e.phased, e.gq,
                                      e.dp, tuple(e.ad) if e.ad is not None else None, e.ps, e.filtered)
                  for e in site.entries))
        for site in row.sites))


def _summary_lines(results: list[GroupResult], sites: dict[int, PanelRecord], samples: tuple[str, ...]) -> list:
    """The ranked summary of every part's candidates, found in the order one run finds them (genes by their first
    record, then samples in VCF order)."""
    first: dict[str, int] = {}
    for index in sorted(sites):
        for finding in sites[index].findings:
            first.setdefault(finding.symbol, index)
    rank = {s: i for i, s in enumerate(samples)}
    ranking = SummaryRanking(samples)
    found = []
    for part in results:
        ranking.tiers.update(part.tiers)
        found += part.candidates
    found.sort(key=lambda c: (first[c.gene], rank[c.sample]))
    return ranking.lines(found)


def _merged_rows(paths: list[str]) -> Iterator[ReportRow]:
    """The raw rows of every part, in report order."""
    def read(path: str) -> Iterator[tuple[list, list[str]]]:
        with open(path + ".jsonl", encoding="utf-8") as handle:
            for line in handle:
                entry = json.loads(line)
                yield entry["key"], entry["row"]

    for _, cells in heapq.merge(*(read(p) for p in paths), key=lambda item: item[0]):
        yield ReportRow._make(cells)


def _rows_table(hl, paths: list[str], build: str, spelling: dict[str, str]):
    """The report rows as a Hail Table: a string field per column, with locus and alleles, keyed in report order
    (sample rank, tier, gene, contig, position)."""
    row_type = hl.tstruct(key=hl.ttuple(hl.tint32, hl.tstr, hl.tstr, hl.tint32, hl.tstr, hl.tint32, hl.tint32),
                          row=hl.tarray(hl.tstr))
    lines = hl.import_lines([p + ".jsonl" for p in paths])
    parsed = hl.parse_json(lines.text, row_type)
    table = lines.select(order=parsed.key, **{c: parsed.row[i] for i, c in enumerate(COLUMNS)})
    hail_name = hl.literal({name: hail for hail, name in spelling.items()}, dtype=hl.tdict(hl.tstr, hl.tstr))
    contig = hail_name.get(table.chrom, table.chrom)
    table = table.annotate(locus=hl.locus(contig, hl.int32(table.pos), reference_genome=build),
                           alleles=hl.array([table.ref, table.alt]))
    return table.key_by("order")


class OutputDirectory:
    """The --out directory, built as a hidden sibling and renamed into place only when the run succeeded; an
    existing directory must be empty (nothing is replaced)."""

    def __init__(self, path: str) -> None:
        self.target = path.rstrip("/") or path
        if os.path.lexists(self.target) and not (os.path.isdir(self.target) and not os.path.islink(self.target)
                                                 and not os.listdir(self.target)):
            raise UsageError(f"--out {path}: exists and is not an empty directory (nothing is replaced)")
        parent = os.path.dirname(os.path.abspath(self.target))
        if not os.path.isdir(parent):
            raise UsageError(f"--out {path}: no directory {parent}")
        self.path = os.path.join(parent, f".{os.path.basename(self.target)}.hftc-annot-{os.getpid()}")

    def __enter__(self) -> OutputDirectory:
        try:
            os.mkdir(self.path)
        except OSError as exc:
            raise UsageError(f"--out {self.target}: cannot create {self.path} ({exc.strerror})") from None
        return self

    def publish(self) -> None:
        if os.path.isdir(self.target):
            os.rmdir(self.target)
        os.rename(self.path, self.target)

    def __exit__(self, *exc) -> None:
        if os.path.isdir(self.path):
            shutil.rmtree(self.path, ignore_errors=True)

