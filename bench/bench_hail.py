"""Hail benchmark: `hftc-annot hail` (Hail on Spark in local mode) next to the single-machine `hftc-annot VCF`, on
the same synthetic 2,504-sample cohort VCF.gz, in the same run.

Measured for each: wall time (median of --repeat runs) and peak RSS of the whole process tree (the maximum over
the repeats), i.e. the sum of the RSS of the process and all its descendants (for Hail the JVM and the Python
workers it starts), read from /proc every 0.1 s; the JVM's share of the Hail peak is shown too. A third case, Hail
start-up alone (import hail, hl.init with the same master, exit; no data), is the fixed cost inside the Hail
run's time.
Checked in the same run: the two TSV reports have the same lines after their '## ' preamble.

The cohort file is bench_cohort.py's (same generator, same name, same --workdir): without --background a
2,504-sample file it already made there is reused (the smallest if several), else one is made with
DEFAULT_BACKGROUND sites outside the panel; with --background N, the file of that size is reused or made.

Usage (the interpreter must have Hail and hftc_annot installed):
  /work/hailvenv/bin/python bench/bench_hail.py [--background N] [--panel-records 1225] [--repeat 1]
                                                [--master 'local[2]'] [--workdir /tmp/hftc-annot-cohort]
                                                [--write-results]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from bench_cohort import make_cohorts
from run_bench import BENCH, Run, Timings, output_of, padded_panel, tsv_body

SAMPLES = 2504
DEFAULT_BACKGROUND = 20_000
POLL_SECONDS = 0.1
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
RESULTS = BENCH / "RESULTS_HAIL.md"


@dataclass(frozen=True)
class TreeRun(Run):
    """A finished command whose max_rss_kb is the peak summed RSS of its process tree."""

    jvm_rss_kb: int
    """RSS of the tree's java processes at the moment of that peak."""


def process_tree(root: int) -> list[tuple[int, str]]:
    """(pid, command name) of root and each of its living descendants."""
    names: dict[int, str] = {}
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited since the listing
            continue
        pid, parent = int(entry.name), int(stat[stat.rindex(")") + 1:].split()[1])
        names[pid] = stat[stat.index("(") + 1:stat.rindex(")")]
        children.setdefault(parent, []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append((pid, names.get(pid, "")))
        todo += children.get(pid, [])
    return tree


def rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
    except (OSError, IndexError):  # exited, or a zombie
        return 0


def run_tree(cmd: Sequence[str]) -> TreeRun:
    """Run cmd; wall time around it and the peak summed RSS of its process tree, polled. Exit on failure."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr)
        peak, jvm = 0, 0
        while proc.poll() is None:
            sizes = [(rss_kb(pid), name) for pid, name in process_tree(proc.pid)]
            total = sum(size for size, _ in sizes)
            if total > peak:
                peak, jvm = total, sum(size for size, name in sizes if name == "java")
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
        stderr.seek(0)
        text = stderr.read().decode(errors="replace")
    if proc.returncode != 0:
        sys.exit(f"FAILED (exit status {proc.returncode}): {' '.join(map(str, cmd))}\n{text}")
    return TreeRun(seconds=seconds, max_rss_kb=peak, stderr=text, jvm_rss_kb=jvm)


def cohort_file(workdir: Path, background: int | None, panel_records: int) -> Path:
    """The 2,504-sample cohort VCF.gz (see the module docstring for which one)."""
    if background is None:
        made = list(workdir.glob(f"cohort_{SAMPLES}_*_{panel_records}.vcf.gz"))
        if made:
            return min(made, key=lambda path: path.stat().st_size)
        background = DEFAULT_BACKGROUND
    print(f"generating or reusing the cohort files ({background:,} background sites) in {workdir}", file=sys.stderr)
    return make_cohorts(workdir, padded_panel(workdir), background, panel_records)[SAMPLES]


def hftc(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "hftc_annot", *map(str, args), "-q"]


def hail_startup(master: str, log: Path) -> list[str]:
    """hl.init and exit, as `hftc-annot hail` ends (without hl.stop, which takes seconds more)."""
    script = f"import hail as hl; hl.init(master={master!r}, quiet=True, log={str(log)!r})"
    return [sys.executable, "-c", script]


def machine_line() -> str:
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal:"))
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    hftc_version = output_of([sys.executable, "-m", "hftc_annot", "--version"]).strip()
    return (f"Machine: {os.cpu_count()} CPUs, {memory_kb / 1024 ** 2:.1f} GiB RAM; Python {platform.python_version()};"
            f" {java}; Hail {version('hail')}, PySpark {version('pyspark')}; {hftc_version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--background", type=int,
                        help=f"sites outside the panel (default: reuse a cohort file, else {DEFAULT_BACKGROUND:,})")
    parser.add_argument("--panel-records", type=int, default=1225)
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the median wall time is reported")
    parser.add_argument("--master", default="local[2]", help="Spark master of the Hail runs")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hftc-annot-cohort"))
    parser.add_argument("--write-results", action="store_true", help=f"also write the report to {RESULTS}")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    args.workdir.mkdir(parents=True, exist_ok=True)
    vcf = cohort_file(args.workdir, args.background, args.panel_records)
    single_tsv, hail_dir = args.workdir / "hail_bench_single.tsv", args.workdir / "hail_bench_out"
    single, hail, startup = Timings(), Timings(), Timings()
    for i in range(args.repeat):
        print(f"run {i + 1}/{args.repeat}: single machine, hail, hail start-up", file=sys.stderr)
        single.runs.append(run_tree(hftc(vcf, "-o", single_tsv)))
        shutil.rmtree(hail_dir, ignore_errors=True)
        hail.runs.append(run_tree(hftc("hail", vcf, "--out", hail_dir, "--master", args.master)))
        startup.runs.append(run_tree(hail_startup(args.master, args.workdir / "hail_bench_startup.log")))

    expected, found = tsv_body(single_tsv), tsv_body(hail_dir / "report.tsv")
    identical = expected == found
    jvm_mb = max(run.jvm_rss_kb for run in hail.runs) / 1024
    text = "\n".join([
        f"{SAMPLES:,}-sample synthetic cohort {vcf.name} ({vcf.stat().st_size / 1e6:.1f} MB), Spark master "
        f"{args.master}; median of {args.repeat} run(s)", "",
        "| case | seconds | peak RSS MB (process tree) | rows | identical rows |",
        "|---|---:|---:|---:|---|",
        f"| single machine: `hftc-annot VCF -o out.tsv` | {single.median_s:.1f} | {single.peak_rss_mb:.0f} "
        f"| {len(expected) - 1:,} | (reference) |",
        f"| Hail: `hftc-annot hail VCF --out DIR --master {args.master}` | {hail.median_s:.1f} "
        f"| {hail.peak_rss_mb:.0f} (JVM {jvm_mb:.0f}) | {len(found) - 1:,} | {'yes' if identical else 'NO'} |",
        f"| Hail start-up alone (`import hail`, `hl.init`, exit; part of the Hail time) | {startup.median_s:.1f} "
        f"| {startup.peak_rss_mb:.0f} | | |",
        "", f"Hail / single machine: {hail.median_s / single.median_s:.1f}x the time, "
        f"{hail.peak_rss_mb / single.peak_rss_mb:.1f}x the peak RSS.", "", machine_line(), ""])
    print(text)
    if args.write_results:
        RESULTS.write_text(
            "# hftc-annot hail vs the single-machine run\n\n"
            f"Produced by `/work/hailvenv/bin/python bench/bench_hail.py --repeat {args.repeat} --write-results` "
            "from the repository root (any Python with Hail and hftc_annot installed will do; `--background N` "
            "picks or makes another cohort file, `--master URL` another Spark master). It runs `hftc-annot VCF` "
            "and `hftc-annot hail` one after the other on bench_cohort.py's synthetic cohort file "
            "(`cohort_<samples>_<background sites>_<panel sites>.vcf.gz`) and checks that the two reports have the "
            "same lines after their `## ` preamble. Wall time is measured around each child process (median over "
            "the repeats); peak RSS (maximum over the repeats) is the sum of the RSS of the process and all its "
            "descendants (for Hail the JVM and Spark's Python workers), polled from /proc every "
            f"{POLL_SECONDS} s, so pages that forked workers share count once per process.\n\n"
            f"This is Hail in Spark local mode ({args.master}) on a {os.cpu_count()}-core machine, against a "
            "single-machine run on one core: the ratio is not what a cluster gives, where Hail's VCF import and "
            "the per-family judging spread over many executors and the fixed start-up (third row) is paid once "
            "per job.\n\n" + text)
        print(f"wrote {RESULTS}", file=sys.stderr)
    if not identical:
        sys.exit("the Hail report's rows differ from the single-machine report's")


if __name__ == "__main__":
    main()
