"""Command line: parse options into a Config, call run(), map errors to exit codes. Nothing else."""

from __future__ import annotations

import errno
import gc
import importlib.util
import logging
import math
import os
import shlex
import signal
import sys
import threading
from typing import TYPE_CHECKING, TextIO

import click
from click.core import ParameterSource

from hftc_annot import __version__
from hftc_annot.errors import HftcError
from hftc_annot.panel import DEFAULT_PADDING, MAX_POS
from hftc_annot.progress import Progress

if TYPE_CHECKING:
    from hftc_annot.run import Summary

PROG = "hftc-annot"
FORMATS = ("tsv", "vcf", "json", "html")
LEVELS = ("debug", "info", "warning", "error")
log = logging.getLogger("hftc_annot")

EXAMPLES = """\b
Examples:
  hftc-annot sample.vcf.gz > sample.hftc.tsv
  hftc-annot sample.vcf.gz -o sample.hftc.vcf.gz          # annotated VCF (format from the name)
  hftc-annot trio.vcf.gz --ped trio.ped --summary trio.summary.tsv -o trio.tsv
  hftc-annot trio.vcf.gz --sv trio.manta.vcf.gz --ped trio.ped -o trio.html   # SV/CNV calls of another caller
  hftc-annot trio.bcf --genes GALNT3,FGF23,KL --samples CHILD,MOTHER
  bcftools view -f PASS cohort.vcf.gz | hftc-annot - --build GRCh38 -o pass.tsv
  hftc-annot exome_b37.vcf --build GRCh37 --padding 50
  hftc-annot panel --build GRCh37                          # the genes and their transcripts
  hftc-annot panel --format tsv > mine.tsv                 # edit, then: --panel mine.tsv --gff gencode.gtf.gz
  hftc-annot chm13.vcf.gz --fasta chm13.fa --gff chm13.gff3.gz --contig-map chm13.map   # T2T, own models
  hftc-annot x.vcf --build custom --fasta ref.fa --gff ref.gff3 --panel mine.tsv       # any assembly
  hftc-annot cohort.vcf.gz --shard 3/8 -o part3.tsv         # one cluster job: gene group 3 of 8
  hftc-annot merge -o cohort.tsv part*.tsv                  # join shards (or per-sample reports)
  hftc-annot hail cohort.vcf.bgz --ped cohort.ped --out cohort_hftc   # Hail/Spark (pip install hftc-annot[hail])
\b
Exit status: 0 done; 2 bad input or options (one line on stderr, no output file); 1 internal error; 128 + N
stopped by signal N (130 Ctrl-C, 141 the reader of its pipe gone, as with | head, 143 SIGTERM).
"""


class _Format(logging.Formatter):
    """'hftc-annot: level: message'; info lines (the summary) carry no level word."""

    def format(self, record: logging.LogRecord) -> str:
        level = "" if record.levelno == logging.INFO else record.levelname.lower() + ": "
        return f"{PROG}: {level}{record.getMessage()}"


def _configure_logging(name: str) -> int:
    level = getattr(logging, name.upper())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format())
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False
    return level


def _shard(_ctx, _param, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise click.BadParameter(f"'{value}' is not K/N with 1 <= K <= N (e.g. 3/8)")
    return int(index), int(count)


def _names(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated, repeatable list of names, each once; a value given with no name in it ('') is refused, as it
    would silently mean every name (or none)."""
    names = tuple(dict.fromkeys(v.strip() for value in values for v in value.split(",") if v.strip()))
    if values and not names:
        raise click.BadParameter("no names given (comma-separated names expected)", ctx, param)
    return names


def _file_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A file given as '' (`--ped "$PED"` with the variable unset) is refused: taken for no option, the run went on
    without the file (or wrote no --summary) and said nothing."""
    if value == "":
        raise click.BadParameter("an empty file name (an unset shell variable?)", ctx, param)
    return value


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A number option: NaN and infinity compare false with everything, so they would switch a gate off."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number", ctx, param)
    return value


class _ReaderGone(Exception):
    """A pipe being written lost its reader (`| head` has what it wanted): the output was not delivered."""


class _Command(click.Command):
    """A command whose broken pipe reaches main(): click itself would turn it into exit 1, the status of a bug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _ReaderGone from None


class _Group(click.Group):
    """A group of such commands."""

    command_class = _Command


def _summary_line(summary: Summary) -> str:
    skipped = ", ".join(f"{n:,} {reason}" for reason, n in sorted(summary.skipped.items())) or "none"
    return (f"{PROG}: {summary.build}, {summary.route}: {summary.records_read:,} records read, "
            f"{summary.panel_records:,} in panel regions, {summary.alleles:,} alleles annotated, "
            f"{summary.rows:,} rows written; skipped alleles: {skipped}; {summary.seconds:.2f} s")


@click.command(cls=_Command, epilog=EXAMPLES,
               context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("vcf", metavar="VCF", callback=_file_name)
@click.option("-o", "--output", default="-", show_default=True, callback=_file_name,
              help="Output file ('-' = stdout), written only when the run succeeds; a pipe, device or symlink is "
                   "written through, never replaced.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="tsv (report), vcf, json (the report's rows, for LIMS) or html (for counselors). Default from "
                   "the output name (.vcf/.vcf.gz/.bcf, .json, .html), else tsv.")
@click.option("--build", type=click.Choice(["GRCh38", "GRCh37", "custom", "auto"]), default="auto", show_default=True,
              help="Genome build. auto reads ##contig lengths / ##reference (a contradiction is an error) and also "
                   "knows T2T-CHM13v2.0; custom: any assembly, contigs from the --fasta's .fai, models from --gff.")
@click.option("--genes", multiple=True, callback=_names, metavar="SYMBOLS",
              help="Only these panel genes (comma-separated HGNC symbols; repeatable).")
@click.option("--shard", callback=_shard, metavar="K/N",
              help="Only gene group K of N, for cluster jobs over a cohort VCF ('hftc-annot panel --shards N' lists "
                   "the groups); 'hftc-annot merge' joins the outputs.")
@click.option("--shard-by", type=click.Choice(["gene"]), default="gene", show_default=True,
              help="Unit of --shard: whole genes (a gene's records must meet in one job for compound hets; genes "
                   "with overlapping padded spans stay together).")
@click.option("--regions", "regions_bed", type=click.Path(dir_okay=False), callback=_file_name, metavar="BED",
              help="Custom target regions instead of the panel's padded transcripts.")
@click.option("--panel", "panel_file", type=click.Path(dir_okay=False), callback=_file_name, metavar="PANEL.tsv",
              help="Your gene list instead of the shipped panel (columns gene, inheritance, group, disorders; "
                   "'hftc-annot panel --format tsv' writes the shipped one); genes not shipped need --gff.")
@click.option("--sv", type=click.Path(dir_okay=False), callback=_file_name, metavar="VCF",
              help="A second VCF/BCF of structural-variant or CNV calls (<DEL>, <DUP>, <INV>, <CNV>) of the same "
                   "samples and build, reported and paired with the input's variants (TSV, JSON or HTML output).")
@click.option("--samples", multiple=True, callback=_names, metavar="NAMES",
              help="Only these samples (comma-separated, exact names as in the VCF; repeatable).")
@click.option("--padding", type=click.IntRange(min=0, max=MAX_POS), default=DEFAULT_PADDING, show_default=True,
              help="bp kept on each side of every MANE transcript (splice regions, up/downstream).")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True,
              help="With 2 or more, a streamed VCF is inflated and scanned in a second process while this one "
                   "annotates.")
@click.option("--fasta", type=click.Path(dir_okay=False), callback=_file_name, envvar="HFTC_ANNOT_FASTA",
              metavar="REF.fa",
              help="Reference FASTA of the VCF's build (plain or bgzipped, with .fai/.gzi); also $HFTC_ANNOT_FASTA. "
                   "Needed for protein consequences, HGVS p., REF checks and changes combined on one haplotype.")
@click.option("--gff", type=click.Path(dir_okay=False), callback=_file_name, metavar="MODELS",
              help="Transcript models instead of the shipped MANE Select ones: Ensembl, GENCODE or RefSeq GFF3, "
                   "GENCODE or Ensembl GTF, plain or gzipped.")
@click.option("--contig-map", type=click.Path(dir_okay=False), callback=_file_name, metavar="MAP",
              help="Two columns: a contig name as --gff writes it, the --fasta's name for it (e.g. NC_060925.1 "
                   "chr1). GRCh37/GRCh38 RefSeq accessions need no map.")
@click.option("--consequences", type=click.Choice(["compute", "from-input"]), default="compute", show_default=True,
              help="compute them, or take the input's VEP CSQ / SnpEff ANN / bcftools BCSQ entry for the MANE "
                   "transcript.")
@click.option("--ped", type=click.Path(dir_okay=False), callback=_file_name, metavar="PED",
              help="6-column pedigree (family, id, father, mother, sex 1/2/0 or male/M/female/F/unknown, "
                   "phenotype 2/1/0/-9 or affected/unaffected/unknown); tab- or space-separated, with header, "
                   "comments, CRLF and BOM allowed.")
@click.option("--affected", multiple=True, callback=_names, metavar="NAMES",
              help="Samples to treat as affected (comma-separated, repeatable); overrides the PED's phenotype.")
@click.option("--inheritance", "modes", multiple=True, metavar="GENE=MODE",
              help="Override a gene's modes (AR, AD, XLD, XLR; several comma-separated: GALNT3=AR,AD); "
                   "repeatable.")
@click.option("--min-gq", type=float, default=20.0, show_default=True, callback=_finite, help="Genotype quality gate.")
@click.option("--min-dp", type=float, default=10.0, show_default=True, callback=_finite, help="Read depth gate.")
@click.option("--min-het-ab", type=click.FloatRange(0, 0.5), default=0.2, show_default=True, callback=_finite,
              help="Heterozygous calls need an allele balance between this and 1 minus this.")
@click.option("--qualify", type=click.Choice(["rules", "all"]), default="rules", show_default=True,
              help="Which alleles take part in inheritance flags: 'rules' = protein-altering, splice, unknown "
                   "protein effect, ClinVar P/LP or curated HFTC, within the mode's frequency limit (AR/XLR 1%, "
                   "AD/XLD 0.1%); 'all' = every allele (0.1's behaviour).")
@click.option("--max-af", type=click.FloatRange(0, 1), callback=_finite, metavar="AF",
              help="Alleles with a population frequency above this do not count for inheritance flags (replaces "
                   "the per-mode limits); also the tiers' rarity limit.")
@click.option("--af-field", default="gnomAD_AF", show_default=True, metavar="INFO",
              help="INFO field (Number=A) with the population allele frequency, for --max-af.")
@click.option("--min-impact", type=click.Choice(["HIGH", "MODERATE", "LOW", "MODIFIER"]),
              help="Only alleles of at least this impact count for inheritance flags (UNKNOWN impact, without a "
                   "reference, is kept and counted in a warning).")
@click.option("--clinvar", type=click.Path(dir_okay=False), callback=_file_name, metavar="VCF",
              help="A newer ClinVar VCF (bgzipped, indexed) used instead of the shipped 2024-12-15 snapshot.")
@click.option("--gnomad", type=click.Path(dir_okay=False), callback=_file_name, metavar="VCF",
              help="gnomAD sites VCF (bgzipped, indexed): population frequency from its INFO/AF.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), callback=_file_name, metavar="FILE.html",
              help="Also write the self-contained HTML report for counselors.")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False), callback=_file_name, metavar="FILE",
              help="Also write one line per sample and gene with a candidate finding.")
@click.option("-q", "--quiet", is_flag=True, help="No progress, warnings or summary on stderr (errors only).")
@click.option("--log-level", type=click.Choice(LEVELS), default="info", show_default=True,
              help="debug adds one 'stage: key=value ...' line per stage; warning drops the summary line; error "
                   "keeps only errors.")
@click.version_option(__version__, prog_name=PROG)
def annotate(vcf, output, fmt, build, genes, shard, shard_by, regions_bed, panel_file, sv, samples, padding, threads,
             fasta, gff, contig_map, consequences, ped, affected, modes, min_gq, min_dp, min_het_ab, qualify, max_af,
             af_field, min_impact, clinvar, gnomad, report_path, summary_path, quiet, log_level) -> None:
    """Keep the VCF/BCF records in the calcification gene panel and report them.

    VCF is a plain, bgzipped or gzipped VCF, or a BCF; '-' reads standard input. With a .tbi/.csi
    index only the panel regions are read. Other commands: 'hftc-annot panel' lists the genes,
    'hftc-annot merge' joins outputs, 'hftc-annot reference' installs a reference, 'hftc-annot hail' runs
    on Hail and Spark.
    """
    if genes and regions_bed:
        raise click.UsageError("--genes and --regions cannot be combined: --regions replaces the gene list")
    if shard and (genes or regions_bed):
        raise click.UsageError("--shard cannot be combined with --genes or --regions: it chooses the genes itself")
    if fasta and click.get_current_context().get_parameter_source("fasta") is ParameterSource.ENVIRONMENT \
            and not os.path.exists(fasta):
        raise click.UsageError(f"$HFTC_ANNOT_FASTA names {fasta}, which does not exist (unset it, or give --fasta)")
    if gnomad and click.get_current_context().get_parameter_source("af_field") is not ParameterSource.DEFAULT:
        raise click.UsageError("--af-field cannot be combined with --gnomad: the frequency is the --gnomad file's AF")
    # the engine is imported only for a run, so that --version, --help and the subcommands start fast
    from hftc_annot.inheritance.calls import Gates
    from hftc_annot.run import Config, run

    config = Config(
        vcf=vcf, output=output, fmt=fmt, build=build, genes=genes, shard=shard, regions_bed=regions_bed,
        samples=samples or None, padding=padding, threads=threads, fasta=fasta, gff=gff,
        contig_map=contig_map, panel=panel_file,
        consequences=consequences, ped=ped, affected=affected, inheritance=modes,
        gates=Gates(min_gq, min_dp, min_het_ab, 1 - min_het_ab), qualify=qualify, max_af=max_af,
        af_field=af_field, min_impact=min_impact, clinvar=clinvar, gnomad=gnomad, summary=summary_path,
        report=report_path, sv=sv,
        command=" ".join([PROG, *map(shlex.quote, sys.argv[1:])]),
    )
    level = _configure_logging("error" if quiet else log_level)
    progress = Progress(sys.stderr, enabled=level <= logging.INFO and sys.stderr.isatty())
    warnings: list[str] = []
    gc.disable()  # a run leaves a few hundred objects in reference cycles whatever its size; the collector would
    try:  # scan the kept panel records over and over (about 8% of a run's time)
        summary = run(config, warnings.append, progress)  # warnings are shown only for a run that succeeds
    finally:
        gc.enable()
    warnings += summary.problem_lines()
    for message in warnings:
        log.warning(message)
    log.info(_summary_line(summary).removeprefix(f"{PROG}: "))


@click.command(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--build", type=click.Choice(["GRCh38", "GRCh37"]), default="GRCh38", show_default=True)
@click.option("--shards", type=click.IntRange(min=1), metavar="N",
              help="Add a column with the gene's group K of N, as 'hftc-annot VCF --shard K/N' takes it.")
@click.option("--padding", type=click.IntRange(min=0, max=MAX_POS), default=DEFAULT_PADDING, show_default=True,
              help="The --padding of the runs (genes whose padded spans overlap share a shard).")
@click.option("--format", "fmt", type=click.Choice(["table", "tsv"]), default="table", show_default=True,
              help="table: genes with MANE transcripts and coordinates; tsv: the --panel file format, to copy, "
                   "extend and pass back with --panel.")
def panel(build: str, shards: int | None, padding: int, fmt: str) -> None:
    """Print the shipped gene panel: MANE transcripts and coordinates on --build, or a --panel file (tsv)."""
    from hftc_annot.panel import PANEL_FILE_COLUMNS, load_panel, shard_genes
    from hftc_annot.resources import read_table

    padded = click.get_current_context().get_parameter_source("padding") is not ParameterSource.DEFAULT
    if fmt == "tsv" and (shards or padded):
        raise click.UsageError("--shards and --padding group the genes of the table (--format table); the --panel "
                               "file format (--format tsv) has no such column")
    if padded and not shards:
        raise click.UsageError("--padding sets how genes are grouped into --shards N (the table's coordinates are "
                               "not padded); give --shards too")
    if fmt == "tsv":
        click.echo("\t".join(PANEL_FILE_COLUMNS))
        for fact in read_table("panel_facts.tsv"):
            click.echo("\t".join([fact["symbol"], fact["inheritance"] or ".", fact["group"] or ".",
                                  fact["disorders"] or "."]))
        return
    genes = {g.symbol: g for g in load_panel(build, padding=0).genes}
    shard_of = {}
    if shards:
        for number, symbols in enumerate(shard_genes(tuple(genes.values()), padding, shards), 1):
            shard_of.update(dict.fromkeys(symbols, f"{number}/{shards}"))
    columns = ["gene", "group", "inheritance", "disorders", "omim_gene", "hgnc_id", "transcript",
               "ensembl_transcript", "chrom", "start", "end", "strand"] + (["shard"] if shards else [])
    click.echo("\t".join(columns))
    for fact in read_table("panel_facts.tsv"):
        gene = genes.get(fact["symbol"])
        place = [gene.chrom, str(gene.start), str(gene.end), gene.strand] if gene else [".", ".", ".", "."]
        group = fact["group"] + (f"; {fact['secondary_group']}" if fact["secondary_group"] else "")
        click.echo("\t".join([fact["symbol"], group, fact["inheritance"] or ".", fact["disorders"] or ".",
                              fact["omim_gene"], fact["hgnc_id"], fact["mane_select_refseq"],
                              fact["mane_select_ensembl"], *place,
                              *([shard_of.get(fact["symbol"], ".")] if shards else [])]))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.pass_context
def reference(ctx: click.Context) -> int | None:
    """Install the panel regions of a genome FASTA once, so that runs need no --fasta."""
    if ctx.invoked_subcommand is None:  # the commands, on stderr: a usage error (exit 2), not an 'error: Usage:'
        click.echo(ctx.get_help(), err=True)
        return 2
    return None


@reference.command("install")
@click.argument("fasta", metavar="REF.fa", callback=_file_name)
def reference_install(fasta: str) -> None:
    """Cut the panel genes (plus 10 kb) out of REF.fa (indexed) into the cache, after checking it."""
    from hftc_annot.consequence.install import install

    build, path, warnings = install(fasta)
    for message in warnings:
        click.echo(f"{PROG}: warning: {message}", err=True)
    click.echo(f"installed {build} panel reference: {path} (from {fasta})")


@reference.command("status")
def reference_status() -> int:
    """Show the installed panel references; exit 2 when one is damaged (its line says which file and why)."""
    from hftc_annot.consequence.installed import REINSTALL, DamagedReference, cache_dir, installation, verify_contents
    from hftc_annot.resources import BUILDS

    click.echo(f"cache: {cache_dir()} (set HFTC_ANNOT_CACHE to move it)")
    code = 0
    for build in BUILDS:
        try:
            found = installation(build)
            if found is not None:
                verify_contents(found)
        except DamagedReference as exc:
            click.echo(f"{build}: damaged: {exc.path}: {exc.why}; {REINSTALL}")
            code = 2
            continue
        click.echo(f"{build}: " + (f"installed from {found.source}: {found.path}" if found else "not installed"))
    return code


@click.command(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, required=True, metavar="FILE...")
@click.option("-o", "--output", default="-", show_default=True, callback=_file_name,
              help="Merged output ('-' = stdout): a TSV report (.tsv, .tsv.gz) of TSV reports, a VCF (.vcf, bgzip for "
                   ".vcf.gz) of VCFs; a name asking for another format is refused.")
def merge(inputs: tuple[str, ...], output: str) -> None:
    """Join hftc-annot outputs: TSV reports of separate samples, of --shard runs over one cohort or the parts
    of a 'hftc-annot hail' run, or the annotated VCFs (.vcf/.vcf.gz) of --shard runs over one input.

    Refuses outputs of another hftc-annot version, build, padding, knowledge, reference or settings, an incomplete
    set of shards, shards that share a gene, a sample found in two inputs, and damaged parts (one line naming the
    file and line). An input is known by its file name and size. Rows come out in the order one unsharded run
    would give.
    """
    from hftc_annot.merge import check_output_name, merge_reports, merge_vcfs, output_kind
    from hftc_annot.outputs import Outputs

    command = " ".join([PROG, *map(shlex.quote, sys.argv[1:])])
    kind = output_kind(list(inputs))
    check_output_name(output, kind)
    with Outputs(inputs) as outputs:
        outputs.add("output", output, "-o")
        if kind == "vcf":
            count = merge_vcfs(list(inputs), outputs.temp("output"), outputs.destination("output").compressed,
                               command)
        else:
            with outputs.text("output") as handle:
                count = merge_reports(list(inputs), handle, command)
        outputs.publish()
    click.echo(f"{PROG} merge: {len(inputs)} {kind.upper()} files, {count:,} {'records' if kind == 'vcf' else 'rows'}"
               f" written", err=True)


@click.command(cls=_Command, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("vcf", metavar="VCF", callback=_file_name)
@click.option("--out", required=True, metavar="DIR", callback=_file_name,
              help="New (or empty) directory for report.tsv, report.json, summary.tsv, report.ht (a Hail Table) "
                   "and the parts/ they are merged from.")
@click.option("--ped", type=click.Path(dir_okay=False), callback=_file_name, metavar="PED",
              help="Families and affected status.")
@click.option("--fasta", type=click.Path(dir_okay=False), callback=_file_name, envvar="HFTC_ANNOT_FASTA",
              metavar="REF.fa",
              help="Reference FASTA (indexed) for HGVS p. and indel HGVS c.  [env: HFTC_ANNOT_FASTA]")
@click.option("--build", type=click.Choice(["GRCh38", "GRCh37", "auto"]), default="auto", show_default=True,
              help="Genome build of VCF.")
@click.option("--master", metavar="URL", help="Spark master (default: Hail's, e.g. local[*], or the cluster's).")
@click.option("--parts", type=click.IntRange(min=1), metavar="N",
              help="Spark tasks that judge the families, one part file each (default: Spark's partitions).")
@click.option("-q", "--quiet", is_flag=True, help="No warnings or summary on stderr (errors only).")
def hail(vcf: str, out: str, ped: str | None, fasta: str | None, build: str, master: str | None,
         parts: int | None, quiet: bool) -> None:
    """Run the analysis of 'hftc-annot VCF --ped PED' on Hail and Spark, for cohorts of biobank size.

    VCF is a bgzipped VCF (or plain); Hail reads it in parallel. The rows of report.tsv and report.json are those
    of the single-machine run (see the README for the few differences of Hail's VCF import).
    """
    if importlib.util.find_spec("hail") is None:
        raise click.UsageError("hftc-annot hail needs Hail: pip install 'hftc-annot[hail]'")
    from hftc_annot.biobank.hail_path import run_hail
    from hftc_annot.run import Config

    config = Config(vcf=vcf, build=build, fasta=fasta, ped=ped,
                    command=" ".join([PROG, *map(shlex.quote, sys.argv[1:])]))
    _configure_logging("error" if quiet else "info")
    if quiet:  # Hail's own Python warnings (e.g. about the Java version) too
        import warnings as python_warnings
        python_warnings.simplefilter("ignore")
    warnings: list[str] = []
    done = run_hail(config, out, master, parts, warnings.append)
    warnings += done.summary.problem_lines()
    for message in warnings:
        log.warning(message)
    log.info(f"hail: {done.panel_records:,} panel records, {done.rows:,} rows in {done.parts} parts -> {out}")


SUBCOMMANDS = {"panel": panel, "reference": reference, "merge": merge, "hail": hail}


_FULL_OR_BROKEN_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO}
"""Errors of the machine, not of hftc-annot: reported on one line like bad input."""


def _unexpected(exc: Exception) -> int:
    """A full or failing disk is reported like bad input (exit 2); anything else is a bug (exit 1). One line."""
    if isinstance(exc, OSError) and exc.errno in _FULL_OR_BROKEN_DISK:
        click.echo(f"{PROG}: error: {exc.filename or 'while writing'}: {exc.strerror}", err=True)
        return 2
    click.echo(f"{PROG}: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
    return 1


def _terminate(signum: int, _frame) -> None:
    """SIGTERM (a cluster's time limit, `kill`) unwinds like an error, so every temporary file is removed."""
    raise SystemExit(128 + signum)


def _standard_error() -> TextIO:
    """Descriptor 2 as sys.stderr, where Python found none at start: /dev/null put there when it is closed (so the
    messages go nowhere and the run goes on), without taking a lower free descriptor, such as a closed standard
    output's 1, and passing for it."""
    try:
        os.fstat(2)
    except OSError:
        opened = os.open(os.devnull, os.O_WRONLY)
        if opened != 2:
            os.dup2(opened, 2)
            os.close(opened)
    return open(2, "w", closefd=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: dispatch to a subcommand or the default annotate command; never a traceback."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    if sys.stderr is None:
        sys.stderr = _standard_error()
    args = list(sys.argv[1:] if argv is None else argv)
    command, name = annotate, PROG
    if args and args[0] in SUBCOMMANDS:
        command, name = SUBCOMMANDS[args[0]], f"{PROG} {args[0]}"
        args = args[1:]
    try:
        code = command.main(args=args, prog_name=name, standalone_mode=False)
    except click.ClickException as exc:
        click.echo(f"{PROG}: error: {exc.format_message()}", err=True)
        code = 2
    except HftcError as exc:
        click.echo(f"{PROG}: error: {exc}", err=True)
        code = exc.exit_code
    except (KeyboardInterrupt, click.exceptions.Abort):  # click turns Ctrl-C into Abort without standalone mode
        code = 130
    except _ReaderGone:  # as a tool killed by SIGPIPE: 141, quietly
        if sys.stdout is not None:  # its unwritten buffer goes nowhere at exit, instead of an 'Exception ignored'
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        code = 128 + signal.SIGPIPE
    except Exception as exc:  # the last line of defence: one line, never a traceback
        code = _unexpected(exc)
    sys.exit(code if isinstance(code, int) else 0)
