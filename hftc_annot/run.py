"""Wire the stages for one run: reader -> panel -> writers, with all-or-nothing output."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
import stat
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from hftc_annot import __version__
from hftc_annot.assembly import (
    CUSTOM,
    BuildEvidence,
    assembly_lengths,
    canonical_contig,
    check_contigs,
    contig_spellings,
    detect_build,
    read_contig_map,
    resolve_build,
)
from hftc_annot.consequence import ConsequenceSource, ConsequenceStage, choose_transcripts
from hftc_annot.consequence.from_input import FromInputStage, declared_annotation
from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.consequence.installed import InstalledSource, installation
from hftc_annot.consequence.sequence import FastaSource, SequenceSource, check_indexed, fai_lengths
from hftc_annot.consequence.transcripts import Transcript
from hftc_annot.errors import InputError, UsageError, read_bytes
from hftc_annot.hits import PanelStage
from hftc_annot.inheritance import MODES, InheritanceStage, Qualifying, Settings, SummaryLine
from hftc_annot.inheritance.calls import Gates
from hftc_annot.inheritance.pedigree import Pedigree, read_ped, with_affected
from hftc_annot.knowledge import KnowledgeStage
from hftc_annot.knowledge.frequency import FrequencyStage, af_field_declared
from hftc_annot.knowledge.lookup import VcfLookup
from hftc_annot.knowledge.tiers import RARE, TierStage
from hftc_annot.model import PanelRecord
from hftc_annot.outputs import Outputs
from hftc_annot.panel import (
    Gene,
    Model,
    Panel,
    contig_rank,
    load_panel,
    on_other_build,
    read_bed,
    read_panel_file,
    shard_genes,
)
from hftc_annot.pipeline import Pipeline, write
from hftc_annot.progress import Progress
from hftc_annot.provenance import Provenance, one_line
from hftc_annot.reader import Record, VcfInput, open_vcf
from hftc_annot.reader.genotypes import highest_allele
from hftc_annot.reader.header import info_declaration
from hftc_annot.reader.second import check_second_input, merged_records
from hftc_annot.resources import BUILDS, models_gff3, read_table
from hftc_annot.writers.html import render
from hftc_annot.writers.rows import ReportRows
from hftc_annot.writers.summary import SummaryRanking
from hftc_annot.writers.tsv import write_json, write_summary, write_tsv
from hftc_annot.writers.vcf import VcfWriter, vcf_mode

log = logging.getLogger("hftc_annot")
_VCF_SUFFIXES = (".vcf", ".vcf.gz", ".vcf.bgz", ".bcf")


@dataclass(frozen=True)
class Config:
    """Everything one annotation run needs; built by the CLI from its options."""

    vcf: str
    output: str = "-"
    fmt: str | None = None
    build: str = "auto"
    genes: tuple[str, ...] = ()
    shard: tuple[int, int] | None = None
    regions_bed: str | None = None
    samples: tuple[str, ...] | None = None
    padding: int = 5000
    threads: int = 1
    fasta: str | None = None
    gff: str | None = None
    contig_map: str | None = None
    panel: str | None = None
    consequences: str = "compute"
    ped: str | None = None
    affected: tuple[str, ...] = ()
    inheritance: tuple[str, ...] = ()
    gates: Gates = Gates()
    max_af: float | None = None
    qualify: str = "rules"
    af_field: str = "gnomAD_AF"
    min_impact: str | None = None
    clinvar: str | None = None
    gnomad: str | None = None
    summary: str | None = None
    report: str | None = None
    sv: str | None = None
    command: str = "hftc-annot"


@dataclass
class Summary:
    """What a run did, for the closing line on stderr."""

    build: str = ""
    route: str = ""
    records_read: int = 0
    panel_records: int = 0
    alleles: int = 0
    rows: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: Counter = field(default_factory=Counter)
    first_problem: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    """The warnings about the inputs that the HTML report lists too (not those its own notices restate)."""

    def note_problem(self, kind: str, where: str) -> None:
        """Count a per-record problem; the first place of each kind is kept for the warning."""
        self.problems[kind] += 1
        self.first_problem.setdefault(kind, where)

    def problem_lines(self) -> list[str]:
        """One warning per kind of per-record problem: how often, and where first."""
        return [f"{kind}: {count:,} time{'s' if count > 1 else ''} (first at {self.first_problem[kind]})"
                for kind, count in sorted(self.problems.items())]

    def keeping(self, warn: Callable[[str], None]) -> Callable[[str], None]:
        """`warn`, also keeping each warning in `warnings`."""
        def both(message: str) -> None:
            self.warnings.append(message)
            warn(message)
        return both


def named_format(path: str) -> str | None:
    """The format an output name says (x.vcf.gz: vcf; x.tsv, x.json, x.html, also gzipped or bgzipped; endings in
    any letter case: X.VCF.GZ), None when it says none."""
    path = path.lower()
    if path.endswith(_VCF_SUFFIXES):
        return "vcf"
    return next((fmt for fmt in ("tsv", "json", "html") if path.endswith((f".{fmt}", f".{fmt}.gz", f".{fmt}.bgz"))),
                None)


def output_format(config: Config) -> str:
    """--format if given (checked against the output name), else inferred from the output name."""
    named = named_format(config.output)
    if config.fmt is None:
        return named or "tsv"
    if named not in (None, config.fmt):
        raise UsageError(f"--format {config.fmt} contradicts the output name {config.output}; drop one of them")
    return config.fmt


def plan_outputs(config: Config, outputs: Outputs) -> None:
    """Check every output path before reading anything: a bad one fails the run before it starts."""
    outputs.add("output", config.output, "-o")
    if config.summary:
        if (named := named_format(config.summary)) not in (None, "tsv"):
            raise UsageError(f"--summary writes a TSV table, and {config.summary} is named as a {named} file: name it "
                             ".tsv")
        outputs.add("summary", config.summary, "--summary")
    if config.report:
        if (named := named_format(config.report)) not in (None, "html"):
            raise UsageError(f"--report writes the HTML report, and {config.report} is named as a {named} file: "
                             "name it .html")
        outputs.add("report", config.report, "--report")


def run(config: Config, warn: Callable[[str], None], progress: Progress | None = None) -> Summary:
    """Annotate config.vcf; the outputs appear only when the whole run succeeded."""
    started = time.perf_counter()
    fmt = output_format(config)
    if config.build == CUSTOM and not (config.fasta and config.gff):
        raise UsageError("--build custom needs the assembly's --fasta REF.fa (its .fai names the contigs) and "
                         "--gff MODELS (the transcript models on it)")
    if config.contig_map and not config.gff:
        raise UsageError("--contig-map renames the contigs of --gff MODELS: give --gff too")
    if config.sv and _same_file(config.sv, config.vcf):
        raise UsageError(f"--sv {config.sv} is the input VCF itself: give the second VCF of structural variants")
    if config.sv and fmt == "vcf":
        raise UsageError("--sv: the annotated VCF holds the records of the input VCF only; write a report (--format "
                         "tsv, json or html) for one report of both, or join the VCFs first (bcftools concat -a, then "
                         "sort)")
    inputs = (config.vcf, config.regions_bed, config.fasta, config.gff, config.contig_map, config.panel, config.ped,
              config.clinvar, config.gnomad, config.sv)
    with Outputs(tuple(path for path in inputs if path)) as outputs:
        plan_outputs(config, outputs)
        regions_bed = read_bed(config.regions_bed) if config.regions_bed else ()
        vcf = open_vcf(config.vcf, config.threads)
        sv = None
        progress = progress or Progress(sys.stderr, enabled=False)
        vcf.progress = progress.records
        try:
            sv = open_vcf(config.sv) if config.sv else None
            summary = _annotate(config, fmt, vcf, sv, regions_bed, outputs, warn, progress)
        except InputError:
            vcf.raise_scan_error()
            raise
        finally:
            progress.close()
            vcf.close()
            if sv is not None:
                sv.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _annotate(config: Config, fmt: str, vcf: VcfInput, sv: VcfInput | None, regions_bed: tuple, outputs: Outputs,
              warn: Callable[[str], None], progress: Progress) -> Summary:
    started = time.perf_counter()
    evidence = BuildEvidence(CUSTOM, f"the contigs of --fasta {config.fasta}") if config.build == CUSTOM else \
        detect_build(vcf.header.contigs, list(vcf.header.lines), vcf.source)
    build = resolve_build(config.build, evidence, vcf.source, own_models=bool(config.fasta and config.gff))
    if sv is not None:
        check_second_input(sv, vcf, build)
    if build not in BUILDS:
        check_indexed(config.fasta)
        check_contigs(vcf.header.contigs, fai_lengths(config.fasta), vcf.source, config.fasta)
    custom = read_panel_file(config.panel) if config.panel else None
    own = _own_transcripts(config, build, custom)
    if custom and own:
        custom = _spelled_as_models(custom, own)
    panel = _panel(config, build, regions_bed, custom, own)
    summary = Summary(build=build, route=_route(vcf))
    _warn_about_input(config, vcf, sv, panel, summary.keeping(warn), warn)
    log.debug("input: source=%s kind=%s route=%s samples=%d build=%s evidence=%r", vcf.source, vcf.info.kind.name,
              _route(vcf), len(vcf.header.samples), build, evidence.reason)
    log.debug("panel: genes=%d padding=%d regions=%d", len(panel.genes), panel.padding,
              len(panel.custom_regions) or len(panel.genes))
    samples = vcf.header.samples if config.samples is None else \
        tuple(s for s in vcf.header.samples if s in config.samples)
    pipeline = build_pipeline(config, panel, own, vcf.header.lines, samples, warn, summary,
                              sv.header.lines if sv is not None else ())
    provenance = run_provenance(config, vcf.source if config.vcf == "-" else config.vcf, build, evidence, panel,
                                samples, pipeline)
    if sv is not None:
        provenance = dataclasses.replace(provenance, structural=sv.source)
    kept_path = _temporary() if fmt == "vcf" else None
    report = ReportRows(samples) if fmt != "vcf" or config.report else None
    other = on_other_build(panel)
    try:
        records = _panel_records(config, vcf, panel, other, pipeline, kept_path)
        if sv is not None:
            records = merged_records(records, _panel_records(config, sv, panel, None, pipeline, None),
                                     tuple(s for s in sv.header.samples if s in samples), samples)
        kept = pipeline.read(records, _counter(summary, progress, bool(samples)))
        progress.close()  # erased before the next stderr line (debug) and before the output (stdout, a terminal too)
        log.debug("read: records=%d panel_records=%d other_build_records=%d seconds=%.2f", vcf.records_read,
                  summary.panel_records, vcf.other_hits, time.perf_counter() - started)
        check = _build_check(config, build, evidence, other, summary, vcf)
        if check:
            warn(check)
            provenance = provenance.with_build_check(check)
        started = time.perf_counter()
        finished = pipeline.finish(kept)
        log.debug("inheritance: samples=%d candidates=%d seconds=%.2f", len(samples),
                  len(pipeline.inheritance.candidates), time.perf_counter() - started)
        started = time.perf_counter()
        vcf_writer = _vcf_writer(outputs, kept_path, provenance) if kept_path else None
        try:
            ranking = SummaryRanking(samples)
            writers = {name: w for name, w in (("vcf", vcf_writer), ("report", report), ("summary", ranking))
                       if w is not None}
            summary.rows = write(finished, writers)["vcf" if fmt == "vcf" else "report"]
            if vcf_writer is not None:
                vcf_writer.finish()
        finally:
            if vcf_writer is not None:
                vcf_writer.close()
        _write_reports(config, fmt, outputs, provenance, report, ranking.lines(pipeline.inheritance.candidates),
                       pipeline, panel, summary.warnings + summary.problem_lines())
        summary.records_read = vcf.records_read + (sv.records_read if sv is not None else 0)
        log.debug("write: format=%s rows=%d seconds=%.2f", fmt, summary.rows, time.perf_counter() - started)
        outputs.publish()
    finally:
        if report is not None:
            report.close()
        if kept_path:
            os.unlink(kept_path)
    return summary


def _same_file(one: str, other: str) -> bool:
    """Do two input names (a path, or '-' for standard input) name one file?"""
    one, other = ("/dev/stdin" if name == "-" else name for name in (one, other))
    if one == other:
        return True
    try:
        return os.path.samefile(one, other)
    except (OSError, ValueError):  # a name that is not a file (yet): opening it reports the error
        return False


def _panel(config: Config, build: str, regions_bed: tuple, custom: dict[str, dict[str, str]] | None,
           own: list[Transcript] | None) -> Panel:
    models = _models(config, build, custom, own)
    symbols = list(config.genes) or None
    if config.shard:
        index, count = config.shard
        whole = load_panel(build, None, config.padding, custom, models)
        symbols = list(shard_genes(whole.genes, config.padding, count)[index - 1])
    panel = load_panel(build, symbols, config.padding, custom, models)
    if config.shard:  # the genes without a model are in no shard: every shard names them
        panel = dataclasses.replace(panel, without_model=whole.without_model)
    return dataclasses.replace(panel, custom_regions=regions_bed) if regions_bed else panel


def _own_transcripts(config: Config, build: str, custom: dict[str, dict[str, str]] | None) -> list[Transcript] | None:
    """The --gff transcripts of the shipped panel genes and the --panel genes (None without --gff), read once; each
    must end within its contig: the build's, or on an assembly of one's own the --fasta's."""
    if not config.gff:
        return None
    contig_map = read_contig_map(config.contig_map) if config.contig_map else None
    shipped = {row["symbol"].upper(): row["symbol"] for row in read_table("panel_facts.tsv")}
    symbols = set(shipped.values()) | set(custom or ())
    lengths = assembly_lengths()[build] if build in BUILDS else fai_lengths(config.fasta)
    read = read_transcripts(config.gff, symbols, contig_map, lengths, any_case=True,
                            build=build if build in BUILDS else None)
    transcripts = _one_spelling(config.gff, read, symbols)
    # a gene is a shipped one whatever its letter case (Galnt3 is GALNT3): so are its --gff transcripts
    transcripts = [dataclasses.replace(t, gene=shipped[t.gene.upper()]) if shipped.get(t.gene.upper(), t.gene) != t.gene
                   else t for t in transcripts]
    if build in BUILDS:
        _check_model_build(config.gff, build, transcripts)
    return transcripts


def _one_spelling(gff: str, transcripts: list[Transcript], symbols: set[str]) -> list[Transcript]:
    """The --gff transcripts of each gene under one spelling of its symbol: where the file spells a gene two ways
    (FOO and Foo), those under the spelling `symbols` (the shipped genes' and the --panel file's) has; two others are
    an error."""
    spellings: dict[str, set[str]] = {}
    for t in transcripts:
        spellings.setdefault(t.gene.upper(), set()).add(t.gene)
    kept = set()
    for names in spellings.values():
        exact = sorted(names & symbols)
        if len(names) > 1 and not exact:
            raise UsageError(f"--gff {gff}: the genes {' and '.join(sorted(names))} differ only in letter case: name "
                             "the one meant in --panel as the file spells it")
        kept.add(exact[0] if exact else names.pop())
    return [t for t in transcripts if t.gene in kept]


def _spelled_as_models(custom: dict[str, dict[str, str]], own: list[Transcript]) -> dict[str, dict[str, str]]:
    """The --panel genes, those the shipped panel lacks spelled as --gff spells them (foo in the file is the --gff's
    FOO); the shipped ones are matched in any letter case when the panel is read."""
    modelled = {t.gene.upper(): t.gene for t in own}
    return {modelled.get(symbol.upper(), symbol): given for symbol, given in custom.items()}


def _check_model_build(gff: str, build: str, transcripts: list[Transcript]) -> None:
    """The --gff transcript chosen for a shipped gene must overlap the gene's shipped model on `build`: elsewhere, the
    file is of another assembly (a GRCh38 annotation on GRCh37 input annotates nothing, or the wrong bases)."""
    shipped = {g.symbol: g for g in load_panel(build, padding=0).genes}
    for symbol, (t, _) in choose_transcripts([t for t in transcripts if t.gene in shipped]).items():
        gene = shipped[symbol]
        if canonical_contig(t.chrom) != gene.contig or t.end < gene.start or gene.end < t.start:
            raise UsageError(f"--gff {gff}: {symbol} ({t.id}) is at {t.chrom}:{t.start:,}-{t.end:,}, but on {build} "
                             f"at {gene.chrom}:{gene.start:,}-{gene.end:,}: give a {build} annotation")


def _models(config: Config, build: str, custom: dict[str, dict[str, str]] | None,
            own: list[Transcript] | None) -> dict[str, Model]:
    """Where the genes without a shipped model on `build` lie: their chosen --gff transcripts. Required: the --panel
    genes the shipped panel lacks, and on an assembly of the user's own every --panel gene (one without a model is
    an error). Optional: shipped genes without a shipped model on `build` (all of them on an assembly of one's own),
    which are reported as not covered when --gff lacks them too."""
    shipped = {row["symbol"].upper(): row["symbol"] for row in read_table("panel_facts.tsv")}
    listed = [shipped.get(s.upper(), s) for s in custom] if custom else list(shipped.values())
    gaps = set(load_panel(build, padding=0).without_model) if build in BUILDS else set(shipped.values())
    required = [s for s in listed if s.upper() not in shipped or (custom and build not in BUILDS)]
    optional = [s for s in listed if s not in required and s in gaps]
    if required and own is None:
        raise UsageError(f"--panel {config.panel}: {required[0]} is not a shipped panel gene, so it needs a "
                         "transcript model: give --gff MODELS with it")
    if own is None:
        return {}
    chosen = choose_transcripts([t for t in own if t.gene in required or t.gene in optional])
    lacking = [s for s in required if s not in chosen]
    if lacking:
        raise UsageError(f"--panel {config.panel}: no transcript of {lacking[0]} in --gff {config.gff} (genes "
                         "are matched by symbol: Name, gene_name or gene)")
    if build not in BUILDS:
        _check_model_contigs(config, [t for t, _ in chosen.values()])
    return {s: Model(t.chrom, t.start, t.end, "+" if t.strand == 1 else "-", t.refseq, t.id, t.protein)
            for s, (t, _) in chosen.items()}


def _check_model_contigs(config: Config, transcripts: list[Transcript]) -> None:
    lengths = fai_lengths(config.fasta)
    names = {canonical_contig(n) for n in lengths}
    for t in transcripts:
        if t.chrom not in lengths and canonical_contig(t.chrom) not in names:
            remedy = f"no line of --contig-map {config.contig_map} maps it to a contig of the FASTA" \
                if config.contig_map else "give --contig-map with the FASTA's name for each GFF contig"
            raise UsageError(f"--gff {config.gff}: {t.gene} ({t.id}) is on contig {t.chrom}, which --fasta "
                             f"{config.fasta} does not have; {remedy}")


def build_pipeline(config: Config, panel: Panel, own: list[Transcript] | None, header_lines: tuple[str, ...],
                   samples: tuple[str, ...], warn: Callable[[str], None], summary: Summary,
                   sv_header_lines: tuple[str, ...] = ()) -> Pipeline:
    """The stages in their order, built from the options (each checks its own inputs as it is built);
    `sv_header_lines`: the --sv VCF's header, whose own declaration of the --af-field counts for its records."""
    consequence = consequence_stage(config, panel, own, header_lines, warn, summary.note_problem)
    warn = summary.keeping(warn)  # listed in the HTML report (whose protein-effects notice restates the stage's)
    vcf, chosen = "<stdin>" if config.vcf == "-" else config.vcf, config.samples is not None
    pedigree = read_ped(config.ped, samples, config.affected, warn, chosen, vcf) if config.ped else \
        with_affected(Pedigree({}), config.affected, samples, vcf, chosen)
    qualifying = Qualifying(every_allele=config.qualify == "all", max_af=config.max_af)
    settings = Settings(config.gates, qualifying, config.min_impact, parse_modes(config.inheritance, panel))
    source = consequence if isinstance(consequence, ConsequenceStage) else None  # from-input: no sequence
    inheritance = InheritanceStage(pedigree, samples, panel.build, settings, summary.note_problem, source)
    knowledge = KnowledgeStage(panel.build, _chosen(consequence, panel),
                               _lookup(config, config.clinvar, "--clinvar", panel.build, warn) if config.clinvar
                               else None)
    name = "<stdin>" if config.vcf == "-" else config.vcf
    if config.gnomad:
        frequency = FrequencyStage(config.af_field, _lookup(config, config.gnomad, "--gnomad", panel.build, warn))
    else:
        declared = af_field_declared(header_lines, config.af_field, name) if header_lines else True  # Hail: no header
        # the --sv VCF's own declaration is checked when its records are read (_panel_records)
        declared = declared or info_declaration(sv_header_lines, config.af_field) is not None
        frequency = FrequencyStage(config.af_field, source=f"{name} or --sv {config.sv}" if config.sv else name,
                                   declared=declared)
    tiers = TierStage(config.max_af if config.max_af is not None else RARE)
    return Pipeline(panel=PanelStage(panel), consequence=consequence, frequency=frequency, knowledge=knowledge,
                    inheritance=inheritance, tiers=tiers)


def _lookup(config: Config, path: str, option: str, build: str, warn: Callable[[str], None]) -> VcfLookup:
    """An indexed VCF of the run's build; on --build custom its contigs are checked against the reference's."""
    lookup = VcfLookup(path, option, build, fai_lengths(config.fasta) if build == CUSTOM else None)
    for note in lookup.notes:
        warn(note)
    return lookup


def _chosen(consequence: ConsequenceSource, panel: Panel) -> dict[str, Transcript]:
    """The transcript chosen for each panel gene that has one."""
    return {g.symbol: found[0] for g in panel.genes if (found := consequence.transcript(g.symbol))}


def run_provenance(config: Config, source: str, build: str, evidence: BuildEvidence, panel: Panel,
                   samples: tuple[str, ...], pipeline: Pipeline) -> Provenance:
    """What the report's preamble says about a run on `source` (the input as the user named it)."""
    panel_key, panel_text = _panel_line(panel, config).split(": ", 1)
    return Provenance(
        version=__version__, command=config.command, inputs=(_with_size(source),),
        build=build, build_reason=_build_reason(config, evidence),
        panel_key=panel_key, panel=panel_text, genes=tuple(g.symbol for g in panel.genes), samples=samples,
        consequences=pipeline.consequence.describe(
            f"{config.gff}, contigs renamed by --contig-map {config.contig_map}" if config.gff and config.contig_map
            else config.gff or "shipped MANE Select models"),
        protein_effects=pipeline.consequence.protein_effects, qualifying=pipeline.inheritance.qualifying.describe(),
        not_covered=panel.without_model, knowledge="; ".join([*pipeline.knowledge.sources, pipeline.frequency.source]),
        evidence_tier=TIER_NOTE, settings=_settings_line(config, pipeline.inheritance.settings.modes),
        pedigree=_pedigree_line(config), shard=config.shard)


def _with_size(source: str) -> str:
    """The input as named, with its size when it is a regular file: merge tells files of one name apart by it."""
    try:
        info = os.stat(source)
    except OSError:
        return source
    return f"{source} ({info.st_size} bytes)" if stat.S_ISREG(info.st_mode) else source


def _settings_line(config: Config, overrides: dict[str, tuple[str, ...]]) -> str:
    """The options that change inheritance flags and confidence but no other preamble line records."""
    gates = config.gates
    modes = " ".join(f"{gene}={','.join(chosen)}" for gene, chosen in overrides.items()) or "the panel's"
    return (f"genotype gates GQ >= {gates.min_gq:g}, DP >= {gates.min_dp:g}, heterozygous allele balance "
            f"{gates.min_het_ab:g}-{gates.max_het_ab:g}; minimum impact {config.min_impact or 'none'}; "
            f"inheritance modes {modes}")


def _pedigree_line(config: Config) -> str:
    """--ped (with its checksum: the same file can have another name in another job) and --affected."""
    parts = [f"{config.ped} (sha256 {hashlib.sha256(read_bytes(config.ped)).hexdigest()})"] if config.ped else []
    parts += [f"affected {','.join(config.affected)}"] if config.affected else []
    return "; ".join(parts)


def _build_reason(config: Config, evidence: BuildEvidence) -> str:
    if config.build == "auto":
        return "from " + evidence.reason
    return "given with --build" + (f": {evidence.reason}" if config.build == CUSTOM else "")


def _panel_records(config: Config, vcf: VcfInput, panel: Panel, other: Panel | None, pipeline: Pipeline,
                   kept_path: str | None) -> Iterator[Record]:
    """The reader's records in the panel regions (and the count of those in `other`'s, the other build's)."""
    contigs = {g.contig for g in panel.genes} | ({g.contig for g in other.genes} if other else set())
    # each VCF's own declaration of the --af-field (the --sv VCF's too): an undeclared one is not read
    frequency = tuple(key for key in pipeline.frequency.info_keys if info_declaration(vcf.header.lines, key)
                      and af_field_declared(vcf.header.lines, key, vcf.source))
    info = frequency + pipeline.consequence.info_keys
    return vcf.records(regions=panel.regions(contigs), samples=list(config.samples) if config.samples else None,
                       other=other.regions(contigs) if other else None, info=info, keep=kept_path)


NO_GT = "no FORMAT/GT: the calls of the samples are not read, and the rows of the record name no sample"
"""A panel record of a VCF with samples that gives them no genotype (Strelka's somatic calls, a FORMAT without GT)."""


def _counter(summary: Summary, progress: Progress, has_samples: bool) -> Callable[[PanelRecord], None]:
    """Counts the panel records, their alleles and skipped ALTs, and notes records whose genotypes cannot be used."""
    def seen(item: PanelRecord) -> None:
        summary.panel_records += 1
        summary.alleles += len(item.alleles)
        if item.skipped:
            summary.skipped.update(item.skipped)
        record = item.record
        genotypes = record.genotypes
        if genotypes is not None and genotypes.size and highest_allele(genotypes) > len(record.alts):
            summary.note_problem("genotype names an ALT allele the record does not have", record.site)
        elif genotypes is None and has_samples:
            summary.note_problem(NO_GT, record.site)
        for problem in record.problems:
            summary.note_problem(problem, record.site)
        progress.panel(summary.panel_records)
    return seen


def _build_check(config: Config, build: str, evidence: BuildEvidence, other: Panel | None, summary: Summary,
                 vcf: VcfInput) -> str | None:
    check = build_check(build, evidence if config.build == "auto" else None, summary.panel_records,
                        other.build if other else "", vcf.other_hits)
    return check or naming_check(build, summary.panel_records, vcf.first_contig,
                                 config.fasta if build not in BUILDS else None)


def build_check(build: str, evidence: BuildEvidence | None, found: int, other_build: str, other: int) -> str | None:
    """A warning when far more records fall in the panel regions of the other build than of `build`: a file of
    the wrong build must not look like a file without findings. `evidence` is the header's, when it chose."""
    if other < 3 or other <= 3 * found:
        return None
    question = f"{found:,} records in {build} panel regions, but {other:,} would be in {other_build} panel regions"
    if evidence is not None and evidence.build == build:
        return f"{question}: the header says {build} ({evidence.reason}); do the records and the header agree?"
    return f"{question}: is this file {other_build}? (use --build {other_build})"


def naming_check(build: str, found: int, first_contig: str | None, fasta: str | None = None) -> str | None:
    """A warning when no record is in the panel and the records' contig names are not ones the reader maps (on an
    assembly of one's own, `fasta`: not the names of the --fasta's contigs)."""
    if found or first_contig is None:
        return None
    if fasta is not None:
        names = fai_lengths(fasta)
        if first_contig in names or canonical_contig(first_contig) in map(canonical_contig, names):
            return None
        return (f"0 records in {build} panel regions, and the input's first contig '{first_contig}' is not a contig "
                f"of --fasta {fasta}: rename the contigs to the FASTA's names, e.g. with bcftools annotate "
                "--rename-chrs")
    if build not in BUILDS:
        return None
    canonical = canonical_contig(first_contig)
    if canonical in assembly_lengths()[build] and first_contig in contig_spellings(canonical):
        return None
    return (f"0 records in {build} panel regions, and the input's first contig '{first_contig}' is not a "
            "chromosome name hftc-annot reads (1-22, X, Y, MT, with or without 'chr'): rename the contigs, e.g. "
            "with bcftools annotate --rename-chrs")


def consequence_stage(config: Config, panel: Panel, own: list[Transcript] | None, header_lines: tuple[str, ...],
                      warn: Callable[[str], None], note_problem: Callable[[str, str], None]) -> ConsequenceSource:
    """Transcript models for the panel genes (shipped, or `own`: read from --gff) and the reference, checked against
    the build; or, with --consequences from-input, the input's own CSQ/ANN/BCSQ annotations."""
    wanted = {g.symbol: g for g in panel.genes}
    models = [t for t in own if t.gene in wanted] if own is not None else \
        read_transcripts(models_gff3(panel.build), wanted)
    if own is not None and not models:
        raise UsageError(f"--gff {config.gff}: no transcript of a panel gene (genes are matched by symbol: "
                         "Name, gene_name or gene)")
    if own is not None and panel.build in BUILDS:  # a panel gene the file does not have keeps its shipped model
        found = {t.gene for t in models}
        models += read_transcripts(models_gff3(panel.build), [g for g in wanted if g not in found])
    transcripts = [_with_mane_ids(t, wanted[t.gene]) for t in models]
    if config.consequences == "from-input":
        source = "<stdin>" if config.vcf == "-" else config.vcf
        annotation = declared_annotation(header_lines, source)
        records = f"{source} or --sv {config.sv}" if config.sv else source  # the records of both pass here
        return FromInputStage(annotation, choose_transcripts(transcripts), note_problem, records)
    seq: SequenceSource | None = None
    if config.fasta:
        check_indexed(config.fasta)
        seq = FastaSource(config.fasta)
        _check_fasta_build(seq, panel)
        seq.check_index(sorted({g.contig for g in panel.genes}))
    elif panel.build in BUILDS and (installed := installation(panel.build)) is not None:
        seq = InstalledSource(panel.build, found=installed)
    else:
        warn("no reference FASTA: protein-level consequences, HGVS p. and indel HGVS c. are left empty; "
             "give --fasta REF.fa (or set HFTC_ANNOT_FASTA), or run 'hftc-annot reference install REF.fa' once")
    return ConsequenceStage(transcripts, seq, warn, note_problem, strict=panel.build in BUILDS)


def _with_mane_ids(t: Transcript, gene: Gene) -> Transcript:
    """The gene's MANE Select transcript read from a file without RefSeq ids (GENCODE, Ensembl) takes its MANE
    RefSeq transcript and protein from the panel facts, so that HGVS names NM_/NP_ as with the shipped models. So does
    one whose id has no version (a file that drops them), when the file tags it MANE Select."""
    unversioned = "." not in t.id and "MANE_Select" in t.tags and t.id == gene.ensembl_transcript.split(".")[0]
    if t.refseq or (t.id != gene.ensembl_transcript and not unversioned):
        return t
    return dataclasses.replace(t, refseq=gene.refseq, protein=gene.protein)


def _check_fasta_build(seq: FastaSource, panel: Panel) -> None:
    lengths = assembly_lengths().get(panel.build, {})
    for contig in sorted({g.contig for g in panel.genes}):
        found = seq.length(contig)
        if found is not None and contig in lengths and found != lengths[contig]:
            raise UsageError(f"--fasta {seq.name}: contig {contig} is {found:,} bp, but {panel.build} has "
                             f"{lengths[contig]:,} bp; give the {panel.build} reference")


def parse_modes(values: tuple[str, ...], panel: Panel) -> dict[str, tuple[str, ...]]:
    """--inheritance GENE=MODE[,MODE] (repeatable; several genes may also share one value, GENE=AR,GENE2=AD):
    override a gene's modes of inheritance. A gene given twice, or not among the run's panel genes, is an error."""
    symbols = {g.symbol.upper(): g.symbol for g in panel.genes}
    modes: dict[str, tuple[str, ...]] = {}
    for value in values:
        for part in re.split(r",(?=[^,=]*=)", value):  # a comma before GENE= starts another gene
            gene, _, listed = part.partition("=")
            chosen = tuple(m.strip().upper() for m in listed.split(",") if m.strip())
            if not chosen or any(m not in MODES for m in chosen):
                raise UsageError(f"--inheritance {value}: expected GENE=MODE, modes from {', '.join(MODES)} "
                                 "(several comma-separated: GENE=AR,AD)")
            symbol = symbols.get(gene.strip().upper())
            if symbol is None:
                raise UsageError(f"--inheritance {value}: {gene.strip()} is not among this run's {len(symbols)} panel "
                                 "genes (--genes, --shard and --panel choose them)")
            if symbol in modes:
                raise UsageError(f"--inheritance: {symbol} is given twice; give all its modes once "
                                 f"({symbol}={','.join(dict.fromkeys([*modes[symbol], *chosen]))})")
            modes[symbol] = chosen
    return modes


TIER_NOTE_PLAIN = "evidence tier (not an ACMG classification); rows sorted by sample, tier, gene, position"
"""The evidence-tier line of the JSON preamble, whose cells are as the input gave them."""
TIER_NOTE_HTML = "evidence tier (not an ACMG classification); findings sorted by strength (tier, confidence, core " \
    "HFTC genes first)"
"""The evidence-tier line of the HTML report's provenance."""
TIER_NOTE = TIER_NOTE_PLAIN + "; cells that start with = + - @ get a leading apostrophe"
"""The evidence-tier line of the spreadsheet outputs (TSV report, --summary)."""


def _route(vcf: VcfInput) -> str:
    if vcf.indexed:
        return f"indexed ({os.path.basename(vcf.info.index)})"
    return "streamed"


def _panel_line(panel: Panel, config: Config) -> str:
    if config.panel:
        digest = hashlib.sha256(read_bytes(config.panel)).hexdigest()
        models = _models_line(config, panel)
        if panel.custom_regions:  # the BED chose the records: a regions run (which merge refuses), not a panel run
            return (f"regions: {config.regions_bed} ({len(panel.custom_regions)} BED regions, genes from "
                    f"{config.panel} (sha256 {digest}; {models}))")
        return (f"panel: {len(panel.genes)} genes from {config.panel} (sha256 {digest}; {models}), "
                f"padding {panel.padding} bp")
    if panel.custom_regions:
        return f"regions: {config.regions_bed} ({len(panel.custom_regions)} BED regions, genes from the shipped panel)"
    chosen = "selected with --genes" if config.genes else "shipped panel"
    if config.shard:
        chosen = f"shard {config.shard[0]}/{config.shard[1]} of the shipped panel, by gene"
    models = _models_line(config, panel) if panel.build not in BUILDS else "MANE Select v1.5 models, GENCODE v44"
    return f"panel: {len(panel.genes)} genes ({chosen}; {models}), padding {panel.padding} bp"


def _models_line(config: Config, panel: Panel) -> str:
    if panel.build not in BUILDS:
        return f"models from --gff {config.gff}"
    if config.gff:
        return f"models from --gff {config.gff} where it has the gene, else the shipped MANE Select models"
    return "shipped MANE Select models"


def _warn_about_input(config: Config, vcf: VcfInput, sv: VcfInput | None, panel: Panel, warn: Callable[[str], None],
                      stderr_only: Callable[[str], None]) -> None:
    """Warnings about the inputs (`warn`: listed in the HTML report too); how the VCF and the --sv VCF are read (an
    index not used: the same rows, more slowly) concerns only who runs it (`stderr_only`)."""
    if panel.without_model and not config.genes:
        where = f"in --gff {config.gff}" if config.gff else f"on {panel.build}"
        fix = "" if config.gff else f"; give --gff with a {panel.build} annotation that has them (e.g. GENCODE's GTF)"
        warn(f"{len(panel.without_model)} panel genes have no transcript model {where} and are not covered: "
             f"{', '.join(panel.without_model)}{fix}")
    if config.clinvar is None and panel.build != "GRCh38":  # KnowledgeStage reads the snapshot on GRCh38 only
        warn(f"ClinVar not consulted: the shipped ClinVar snapshot has GRCh38 positions and this run is on "
             f"{panel.build}, so the ClinVar columns are empty and no tier rests on ClinVar; give --clinvar with a "
             "ClinVar VCF of this assembly")
    for given in (vcf, sv) if sv is not None else (vcf,):
        for note in given.notes:
            warn(note)
        for note in given.route_notes:
            stderr_only(note)
        if given.info.stale_index:
            stderr_only(f"{given.info.stale_index} is older than {given.source}; not using it (streaming the whole "
                        "file)")
    declared = {canonical_contig(c) for c in vcf.header.contigs}
    if vcf.header.contigs and not declared & {g.contig for g in panel.genes}:
        warn(f"none of the panel's chromosomes is among the {len(declared)} contigs declared in {vcf.source}; "
             "contig names other than 1/chr1 style are not recognised")
    elsewhere = [c for c, _, _, _ in panel.custom_regions if c not in declared] if vcf.header.contigs else []
    if elsewhere:
        names = sorted(set(elsewhere), key=contig_rank)
        warn(f"--regions {config.regions_bed}: {len(elsewhere)} of its {len(panel.custom_regions)} regions are on "
             f"contigs {vcf.source} does not declare ({', '.join(names[:5])}{', …' if len(names) > 5 else ''}): "
             "they select no records; contig names other than 1/chr1 style are not recognised")


def _temporary() -> str:
    handle, temp = tempfile.mkstemp(prefix="hftc-annot-", suffix=".bcf")
    os.close(handle)
    return temp


def _vcf_writer(outputs: Outputs, kept_path: str, provenance: Provenance) -> VcfWriter:
    return VcfWriter(outputs.temp("output"), vcf_mode(outputs.destination("output").path), kept_path,
                     vcf_meta(provenance))


def vcf_meta(provenance: Provenance) -> dict[str, str]:
    """The annotated VCF's ##hftc-annot_KEY=VALUE lines, by KEY (merge_checks.RULES says how merge joins each)."""
    meta = {"version": provenance.version, "command": provenance.command, "build": provenance.build}
    meta |= {key: value for key, value in (("protein_effects", provenance.protein_effects),
                                           ("qualifying", provenance.qualifying),
                                           ("build_check", provenance.build_check),
                                           ("not_covered", ", ".join(provenance.not_covered))) if value}
    meta |= {"input": provenance.inputs[0], "consequences": provenance.consequences,
             "knowledge": provenance.knowledge, "settings": provenance.settings}
    meta |= {key: value for key, value in (
        ("padding", f"{provenance.padding} bp" if provenance.padding is not None else ""),
        ("pedigree", provenance.pedigree), ("panel_file", provenance.panel_file),
        ("regions", provenance.panel if provenance.panel_key == "regions" else ""),
        ("shard", "{}/{}".format(*provenance.shard) if provenance.shard else ""))
        if value}
    return {key: one_line(value) for key, value in meta.items()}


def _write_reports(config: Config, fmt: str, outputs: Outputs, provenance: Provenance, report: ReportRows | None,
                   summary_lines: list[SummaryLine], pipeline: Pipeline, panel: Panel, warnings: list[str]) -> None:
    """The TSV, JSON or HTML output, the --report HTML and the --summary table, from the sorted report rows and
    the ranked summary; the HTML report lists the `warnings` of the run too."""
    preamble = provenance.to_lines()
    plain = dataclasses.replace(provenance, evidence_tier=TIER_NOTE_PLAIN).to_lines()
    assessed, unaffected = pipeline.inheritance.assessed()
    html = None
    if report is not None and (fmt == "html" or config.report):
        notices = [text for text in (provenance.protein_effects and f"Protein effects {provenance.protein_effects}.",
                                     provenance.build_check) if text] + warnings
        html = render(dataclasses.replace(provenance, evidence_tier=TIER_NOTE_HTML).to_lines(), report.rows(),
                      summary_lines, panel.genes, _chosen(pipeline.consequence, panel), panel.without_model, notices,
                      pipeline.inheritance.settings.modes, assessed, unaffected)
    if fmt != "vcf":
        with outputs.text("output") as handle:
            if fmt == "html":
                handle.write(html)
            elif fmt == "json":
                write_json(handle, plain, report.rows(), summary_lines, assessed, warnings)
            else:
                write_tsv(handle, preamble, report.lines())
    if config.report:
        with outputs.text("report") as handle:
            handle.write(html)
    if config.summary:
        with outputs.text("summary") as handle:
            write_summary(handle, preamble, summary_lines, assessed)

