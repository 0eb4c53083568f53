"""Benchmark hftc-annot against bcftools on a WGS-scale synthetic VCF, in one run, and report ratios.

Cases, each timed on the same input in the same run (median wall time of --repeat runs, peak RSS of the child):

  (a) unindexed: hftc-annot on a copy without an index   vs  bcftools view -T panel.bed FILE -Ou -o /dev/null
  (b) indexed:   hftc-annot on the .tbi-indexed file     vs  bcftools view -R panel.bed FILE -Ou -o /dev/null
  (c) threads:   hftc-annot unindexed with --threads 2   vs  bcftools view --threads 1 -T panel.bed ...
  (d) memory:    hftc-annot unindexed peak RSS on the full file vs a thinned copy: the same panel records and 1/5 of
                 the others (panel records are kept until the inheritance stage has seen them all)
  (e) csq, indexed:   hftc-annot on the indexed file vs bcftools view -R panel.bed FILE -Ou | bcftools csq -p a
  (f) csq, unindexed: hftc-annot on the copy without index vs bcftools view -T panel.bed FILE -Ou | bcftools csq -p a

Every hftc-annot run and every bcftools csq run uses the same --fasta: reference.fa.gz, built here (synthetic, for
timing only): the GRCh38 chromosomes of the panel genes at their full lengths, 'N' except around the panel genes,
which hold the consequence oracle test's synthetic sequence (tests/oracle/harness.py: random sequence with each
MANE Select model's exons, an ORF and GT...AG introns imprinted; COL1A1/COL1A2 real LRG sequence). The synthetic
VCFs take their REF from it (make_synthetic_vcf.py --reference), so that both tools accept the records. bcftools
csq reads the shipped resources/mane_select.GRCh38.gff3, the models hftc-annot uses.

Before timing, the bytecode of the hftc_annot being timed is written, as `pip install` does.

panel.bed is resources/genes.bed padded by hftc-annot's default 5000 bp on each side, so both tools keep the
same regions. The run also checks correctness: the indexed and unindexed TSV outputs are identical apart from
their '## ' preamble, and hftc-annot's 'N in panel regions' (stderr summary of one non-quiet run per route)
equals the number of records bcftools -T and -R keep.

Usage: python3 bench/run_bench.py [--records 5000000] [--workdir DIR] [--repeat 3] [--threads 1] [--write-results]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GENES_BED = REPO / "resources" / "genes.bed"
GENERATOR = BENCH / "make_synthetic_vcf.py"
REFERENCE_BUILDER = BENCH / "make_synthetic_reference.py"
MODELS_GFF3 = REPO / "resources" / "mane_select.GRCh38.gff3"
RESULTS = BENCH / "RESULTS.md"

PADDING = 5000  # hftc-annot's default --padding
MEMORY_SHRINK = 5  # case (d): the thinned copy keeps 1/MEMORY_SHRINK of the records outside the panel
TARGET_UNINDEXED = 0.5  # hftc-annot / bcftools -T (alone or piped into csq), cases (a), (c), (f); stretch 0.35
TARGET_INDEXED = 5.0  # hftc-annot / bcftools -R (includes Python interpreter start-up)
TARGET_INDEXED_CSQ = 3.0  # hftc-annot / bcftools -R | bcftools csq -p a
TARGET_MEMORY = 1.10  # peak RSS full file / peak RSS thinned copy: "flat"
TARGET_RSS_MB = 100  # peak RSS of any single-sample run

SUMMARY = re.compile(
    r"^hftc-annot: (?P<build>[^,]+), (?P<route>.+?): (?P<read>[\d,]+) records read, "
    r"(?P<panel>[\d,]+) in panel regions, (?P<alleles>[\d,]+) alleles annotated, (?P<rows>[\d,]+) rows written"
)


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float
    max_rss_kb: int
    stderr: str


@dataclass
class Timings:
    """Repeated runs of one command."""

    runs: list[Run] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return max(r.max_rss_kb for r in self.runs) / 1024


@dataclass(frozen=True)
class Case:
    """A hftc-annot command and the bcftools command it is measured against."""

    name: str
    hftc: list[str]
    baseline: list[str]
    output: Path
    target: float
    """The ratio hftc-annot / baseline to reach (issue 15)."""


# --------------------------------------------------------------------------- running commands


def run_measured(cmd: Sequence[str], stdout: int | None = subprocess.DEVNULL) -> Run:
    """Run cmd; wall time around it and the child's own peak RSS (os.wait4). Exit on failure."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
    if proc.returncode != 0:
        sys.exit(f"FAILED (exit status {proc.returncode}): {' '.join(map(str, cmd))}\n{stderr}")
    return Run(seconds=seconds, max_rss_kb=usage.ru_maxrss, stderr=stderr)


def byte_compile() -> None:
    """Write the bytecode of the hftc_annot being timed, as `pip install` does: without it (a checkout, or
    PYTHONDONTWRITEBYTECODE set) every run would compile the package again, about 0.08 s."""
    output_of([sys.executable, "-c", "import compileall, os, hftc_annot; "
               "compileall.compile_dir(os.path.dirname(hftc_annot.__file__), quiet=1)"])


def output_of(cmd: Sequence[str]) -> str:
    """stdout of a short command; exit on failure."""
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED (exit status {result.returncode}): {' '.join(map(str, cmd))}\n{result.stderr}")
    return result.stdout


def hftc_cmd(vcf: Path, output: Path, threads: int, fasta: Path, quiet: bool = True) -> list[str]:
    return [sys.executable, "-m", "hftc_annot", str(vcf), "-o", str(output), "--threads", str(threads),
            "--fasta", str(fasta), *(["-q"] if quiet else [])]


def bcftools_cmd(option: str, panel: Path, vcf: Path, threads: int | None = None) -> list[str]:
    extra = ["--threads", str(threads)] if threads is not None else []
    return ["bcftools", "view", *extra, option, str(panel), str(vcf), "-Ou", "-o", "/dev/null"]


def csq_chain(option: str, panel: Path, vcf: Path, fasta: Path) -> list[str]:
    """bcftools view (-R or -T) piped into bcftools csq -p a, as one shell pipeline that fails if either fails."""
    view = shlex.join(["bcftools", "view", option, str(panel), str(vcf), "-Ou"])
    csq = shlex.join(["bcftools", "csq", "-p", "a", "-f", str(fasta), "-g", str(MODELS_GFF3), "-Ou", "-o", "/dev/null"])
    return ["bash", "-c", f"set -o pipefail; {view} | {csq}"]


# --------------------------------------------------------------------------- inputs


def synthetic(workdir: Path, records: int, reference: Path) -> Path:
    """workdir/synthetic_<records>.vcf.gz with its .tbi, generated unless both already exist."""
    path = workdir / f"synthetic_{records}.vcf.gz"
    index = Path(f"{path}.tbi")
    if path.exists() and index.exists():
        print(f"reusing {path}", file=sys.stderr)
        return path
    partial = workdir / f"synthetic_{records}.partial.vcf.gz"
    print(f"generating {path} ({records:,} records)", file=sys.stderr)
    run_measured([sys.executable, str(GENERATOR), str(partial), "--records", str(records), "--index",
                  "--reference", str(reference)])
    # data first, index last: an interrupted rename leaves no index, so the next run regenerates
    os.replace(partial, path)
    os.replace(f"{partial}.tbi", index)
    return path


def thinned(full: Path, panel: Path) -> tuple[Path, int]:
    """A copy of `full` (no index) with the same records in the padded panel regions and every MEMORY_SHRINK-th
    record elsewhere, in the same order, and its record count: case (d) then varies only what a run must not
    keep (the records it rejects), since every panel record is kept until the inheritance stage has seen all."""
    path = full.with_name(full.name.replace(".vcf.gz", f".thinned{MEMORY_SHRINK}.vcf.gz"))
    if not path.exists():
        print(f"writing {path}", file=sys.stderr)
        whole, regions = shlex.quote(str(full)), shlex.quote(str(panel))
        script = (f"set -o pipefail; (bcftools view -h {whole}; (bcftools view -H -T {regions} {whole}; "
                  f"bcftools view -H -T ^{regions} {whole} | awk 'NR % {MEMORY_SHRINK} == 0') "
                  f"| sort -k1,1V -k2,2n -s) | bgzip > {shlex.quote(str(path))}.partial")
        run_measured(["bash", "-c", script])
        os.replace(f"{path}.partial", path)
    records = int(output_of(["bash", "-c", f"bcftools view -H {shlex.quote(str(path))} | wc -l"]))
    return path, records


def unindexed_copy(path: Path) -> Path:
    """A copy of path with no index next to it (hftc-annot then streams the whole file)."""
    copy = path.with_name(path.name.replace(".vcf.gz", ".noindex.vcf.gz"))
    shutil.copyfile(path, copy)
    for suffix in (".tbi", ".csi"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return copy


def contig_rank(chrom: str) -> tuple[int, str]:
    name = chrom.removeprefix("chr")
    if name.isdigit():
        return int(name), ""
    return {"X": 23, "Y": 24, "M": 25, "MT": 25}.get(name, 99), name


def padded_panel(workdir: Path) -> Path:
    """resources/genes.bed padded by PADDING bp on each side (start floored at 0), sorted, as BED."""
    rows = []
    with open(GENES_BED) as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            chrom, start, end, name = line.split("\t")[:4]
            rows.append((chrom, max(0, int(start) - PADDING), int(end) + PADDING, name))
    rows.sort(key=lambda r: (contig_rank(r[0]), r[1], r[2]))
    panel = workdir / "panel.bed"
    panel.write_text("".join(f"{c}\t{s}\t{e}\t{n}\n" for c, s, e, n in rows))
    return panel


def synthetic_reference(workdir: Path) -> Path:
    """workdir/reference.fa.gz (bgzipped, with .fai and .gzi), built by make_synthetic_reference.py unless it
    exists (in a child process, so that this process stays small: children inherit its peak RSS)."""
    path = workdir / "reference.fa.gz"
    if path.exists() and Path(f"{path}.fai").exists() and Path(f"{path}.gzi").exists():
        print(f"reusing {path}", file=sys.stderr)
        return path
    print(f"building {path} (synthetic)", file=sys.stderr)
    run_measured([sys.executable, str(REFERENCE_BUILDER), str(path)])
    return path


# --------------------------------------------------------------------------- checks


def summary_of(stderr: str) -> dict[str, str]:
    """The fields of hftc-annot's closing stderr line."""
    for line in stderr.splitlines():
        match = SUMMARY.match(line)
        if match:
            return match.groupdict()
    sys.exit(f"no summary line in hftc-annot stderr:\n{stderr}")


def count(value: str) -> int:
    return int(value.replace(",", ""))


def tsv_body(path: Path) -> list[str]:
    """The TSV without its '## ' preamble (which names the command and input)."""
    with open(path) as handle:
        return [line for line in handle if not line.startswith("## ")]


def bcftools_records(option: str, panel: Path, vcf: Path) -> int:
    return output_of(["bcftools", "view", "-H", option, str(panel), str(vcf)]).count("\n")


def check_route(label: str, vcf: Path, output: Path, threads: int, fasta: Path, expected_route: str,
                records: int | None) -> tuple[int, list[str]]:
    """One non-quiet hftc-annot run: its panel-record count, and any problems with its stderr or output."""
    run = run_measured(hftc_cmd(vcf, output, threads, fasta, quiet=False))
    summary = summary_of(run.stderr)
    problems = []
    noise = [line for line in run.stderr.splitlines()
             if not SUMMARY.match(line) and not line.startswith("hftc-annot: warning: ")]
    if noise:
        problems.append(f"{label}: unexpected stderr lines besides the summary and warnings: {noise}")
    if not summary["route"].startswith(expected_route):
        problems.append(f"{label}: route is '{summary['route']}', expected '{expected_route}'")
    if records is not None and count(summary["read"]) != records:
        problems.append(f"{label}: {summary['read']} records read, the file has {records:,}")
    data_rows = len(tsv_body(output)) - 1  # minus the column header
    if data_rows != count(summary["rows"]):
        problems.append(f"{label}: summary says {summary['rows']} rows written, the TSV has {data_rows:,}")
    return count(summary["panel"]), problems


def correctness(full: Path, unindexed: Path, panel: Path, workdir: Path, records: int, threads: int,
                fasta: Path) -> list[str]:
    """Counts agree between hftc-annot (both routes) and bcftools (-T and -R). Returns the problems found."""
    streamed, problems = check_route("unindexed", unindexed, workdir / "check_unindexed.tsv", threads, fasta,
                                     "streamed", records)
    indexed, more = check_route("indexed", full, workdir / "check_indexed.tsv", threads, fasta, "indexed", None)
    problems += more
    by_targets = bcftools_records("-T", panel, unindexed)
    by_regions = bcftools_records("-R", panel, full)
    counts = {"hftc-annot unindexed": streamed, "hftc-annot indexed": indexed,
              "bcftools -T": by_targets, "bcftools -R": by_regions}
    print("panel records: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), file=sys.stderr)
    if len(set(counts.values())) != 1:
        problems.append(f"panel record counts differ: {counts}")
    return problems


def compare_outputs(reference: Path, others: Sequence[Path]) -> list[str]:
    """Each of `others` has the same TSV body as `reference`."""
    body = tsv_body(reference)
    return [f"{other.name} differs from {reference.name} (beyond the '## ' preamble)"
            for other in others if tsv_body(other) != body]


def quiet_noise(label: str, timings: Timings) -> list[str]:
    """-q runs should print nothing on stderr."""
    noisy = {r.stderr.strip() for r in timings.runs if r.stderr.strip()}
    return [f"{label}: -q run printed on stderr: {text!r}" for text in sorted(noisy)]


# --------------------------------------------------------------------------- timing and report


def time_case(case: Case, repeat: int) -> tuple[Timings, Timings]:
    """Alternate hftc-annot and baseline runs so drift (thermal, cache) hits both alike."""
    hftc, baseline = Timings(), Timings()
    for i in range(repeat):
        print(f"  {case.name}: run {i + 1}/{repeat}", file=sys.stderr)
        hftc.runs.append(run_measured(case.hftc))
        baseline.runs.append(run_measured(case.baseline))
    return hftc, baseline


def machine_facts(records: int, repeat: int) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    bcftools = output_of(["bcftools", "--version"]).splitlines()
    hftc = output_of([sys.executable, "-m", "hftc_annot", "--version"]).strip()
    return [
        f"- records: {records:,} (1 sample, synthetic GRCh38, bgzipped; memory case also a "
        f"thinned copy: same panel records, 1/{MEMORY_SHRINK} of the others)",
        f"- repeats: {repeat} (median wall time; peak RSS is the maximum over the repeats, of the largest "
        "process: with --threads 2 the scan runs in a forked child, which shares its parent's pages)",
        f"- CPU: {cpu}; nproc: {os.cpu_count()}",
        f"- Python {platform.python_version()}; {hftc}; {bcftools[0]} ({bcftools[1]})",
    ]


def report(rows: list[tuple[Case, Timings, Timings]], memory: tuple[int, Timings, int, Timings],
           problems: list[str], facts: list[str]) -> str:
    lines = ["| case | hftc-annot median s | baseline median s | ratio (hftc/baseline) | target "
             "| hftc-annot peak RSS MB | baseline peak RSS MB |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    targets = []
    for case, hftc, baseline in rows:
        ratio = hftc.median_s / baseline.median_s
        lines.append(f"| {case.name} | {hftc.median_s:.2f} | {baseline.median_s:.2f} | {ratio:.2f} "
                     f"| <= {case.target:g} {verdict(ratio <= case.target)} "
                     f"| {hftc.peak_rss_mb:.0f} | {baseline.peak_rss_mb:.0f} |")
        targets.append(f"- {case.name}: ratio {ratio:.2f}, target <= {case.target:g} {verdict(ratio <= case.target)}")
    full_n, full, small_n, small = memory
    rss_ratio = full.peak_rss_mb / small.peak_rss_mb
    lines += ["", "| (d) memory, hftc-annot unindexed | records | median s | peak RSS MB |", "|---|---:|---:|---:|",
              f"| thinned copy (1/{MEMORY_SHRINK} outside the panel) | {small_n:,} | {small.median_s:.2f} "
              f"| {small.peak_rss_mb:.0f} |",
              f"| full file | {full_n:,} | {full.median_s:.2f} | {full.peak_rss_mb:.0f} |",
              f"| ratio full / thinned | | | {rss_ratio:.2f} |"]
    peak = max(t.peak_rss_mb for _, t, _ in rows)
    lines += ["", "Targets (issue 15):", "", *targets,
              f"- memory flat (peak RSS ratio <= {TARGET_MEMORY:.2f}): {rss_ratio:.2f} "
              f"{verdict(rss_ratio <= TARGET_MEMORY)}",
              f"- peak RSS <= {TARGET_RSS_MB} MB: {peak:.0f} MB {verdict(peak <= TARGET_RSS_MB)}",
              "", "Correctness checks: " + ("all passed" if not problems else "FAILED")]
    if problems:
        lines += ["", *(f"- {p}" for p in problems)]
    lines += ["", "Machine:", "", *facts]
    return "\n".join(lines) + "\n"


def verdict(ok: bool) -> str:
    return "(met)" if ok else "(MISSED)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=5_000_000, help="records in the synthetic VCF")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hftc-annot-bench"),
                        help="where inputs and outputs go; a synthetic file with the same record count is reused")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command; the median wall time is reported")
    parser.add_argument("--threads", type=int, default=1, help="hftc-annot --threads for cases (a), (b), (d)")
    parser.add_argument("--write-results", action="store_true", help=f"also write the report to {RESULTS}")
    args = parser.parse_args()
    if args.records < MEMORY_SHRINK or args.repeat < 1 or args.threads < 1:
        parser.error("--records must be >= 5, --repeat and --threads >= 1")
    if shutil.which("bcftools") is None:
        sys.exit("bcftools is not on PATH")
    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    byte_compile()

    fasta = synthetic_reference(workdir)
    full = synthetic(workdir, args.records, fasta)
    unindexed = unindexed_copy(full)
    panel = padded_panel(workdir)
    small_unindexed, small_records = thinned(full, panel)

    print("checking correctness", file=sys.stderr)
    problems = correctness(full, unindexed, panel, workdir, args.records, args.threads, fasta)

    def hftc(vcf: Path, name: str, threads: int = args.threads) -> list[str]:
        return hftc_cmd(vcf, workdir / name, threads, fasta)

    cases = [
        Case("(a) unindexed vs bcftools -T", hftc(unindexed, "out_unindexed.tsv"),
             bcftools_cmd("-T", panel, unindexed), workdir / "out_unindexed.tsv", TARGET_UNINDEXED),
        Case("(b) indexed vs bcftools -R", hftc(full, "out_indexed.tsv"),
             bcftools_cmd("-R", panel, full), workdir / "out_indexed.tsv", TARGET_INDEXED),
        Case("(c) unindexed --threads 2 vs bcftools --threads 1 -T", hftc(unindexed, "out_threads2.tsv", 2),
             bcftools_cmd("-T", panel, unindexed, threads=1), workdir / "out_threads2.tsv", TARGET_UNINDEXED),
        Case("(e) indexed vs bcftools -R, piped to csq -p a", hftc(full, "out_indexed_csq.tsv"),
             csq_chain("-R", panel, full, fasta), workdir / "out_indexed_csq.tsv", TARGET_INDEXED_CSQ),
        Case("(f) unindexed vs bcftools -T, piped to csq -p a", hftc(unindexed, "out_unindexed_csq.tsv"),
             csq_chain("-T", panel, unindexed, fasta), workdir / "out_unindexed_csq.tsv", TARGET_UNINDEXED),
    ]
    rows = []
    for case in cases:
        hftc_times, baseline = time_case(case, args.repeat)
        problems += quiet_noise(case.name, hftc_times)
        rows.append((case, hftc_times, baseline))
    small_timings = Timings()
    for i in range(args.repeat):
        print(f"  (d) thinned copy: run {i + 1}/{args.repeat}", file=sys.stderr)
        small_timings.runs.append(run_measured(hftc(small_unindexed, "out_small.tsv")))
    problems += quiet_noise("(d) thinned copy", small_timings)
    problems += compare_outputs(workdir / "out_unindexed.tsv", [c.output for c in cases[1:]]
                                + [workdir / "check_unindexed.tsv", workdir / "check_indexed.tsv"])

    text = report(rows, (args.records, rows[0][1], small_records, small_timings), problems,
                  machine_facts(args.records, args.repeat))
    print(text)
    if args.write_results:
        RESULTS.write_text("# hftc-annot vs bcftools: benchmark results\n\n"
                           f"Produced by `python3 bench/run_bench.py --records {args.records} --repeat {args.repeat} "
                           f"--threads {args.threads} --write-results`.\n\n" + text)
        print(f"wrote {RESULTS}", file=sys.stderr)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
