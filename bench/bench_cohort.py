"""Cohort benchmark: hftc-annot (consequences + inheritance, TSV report) against bcftools view -T on synthetic
multi-sample VCF.gz files of 100, 500 and 2,504 samples, each pair timed in the same run on the same file.

The files are synthetic and 1000 Genomes-shaped (GT:GQ, unphased): the same sites in all three, the samples
being the first 100, 500 or all 2,504 columns. --panel-records sites fall inside the panel genes, with allele
frequencies drawn from 0.001 / 0.005 / 0.02 / 0.2 (half / 30% / 15% / 5% of the sites), so the inheritance
stage has hundreds of thousands of carrier genotypes to judge; --background sites lie outside the padded panel
regions, spread over chr1-22 by length, each with 1-4 carriers (a rare-variant background).

Also measured: --samples with the first 100 samples of the 2,504-sample file (work follows the samples asked
for). Checked in the same run: hftc-annot's 'N in panel regions' equals the record count of bcftools -T.

Usage: python3 bench/bench_cohort.py [--background 100000] [--panel-records 2450] [--repeat 3]
                                      [--workdir /tmp/hftc-annot-cohort] [--write-results]
"""

from __future__ import annotations

import argparse
import platform
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
from run_bench import REPO, Timings, bcftools_cmd, byte_compile, contig_rank, padded_panel, run_measured

SAMPLE_COUNTS = (100, 500, 2504)
TARGET_RATIO = {100: 1.0, 2504: 0.5}  # issue 15: by sample count (none for 500 samples or --samples)
TARGET_RSS_MB = 150
RESULTS = Path(__file__).resolve().parent / "RESULTS_COHORT.md"
FREQUENCIES = ([0.001, 0.005, 0.02, 0.2], [0.5, 0.3, 0.15, 0.05])


def contig_lengths() -> list[tuple[str, int]]:
    rows = [line.split("\t") for line in (REPO / "resources" / "assemblies.tsv").read_text().splitlines()[1:]]
    return [("chrM" if c == "MT" else f"chr{c}", int(n)) for build, c, n, *_ in rows if build == "GRCh38"]


def sites(panel: Path, background: int, panel_records: int, rng: np.random.Generator) -> list[tuple[str, int, bool]]:
    """Sorted (chrom, pos, in_panel) sites: panel_records inside the genes, background outside the padded panel."""
    regions = [(c, int(s), int(e)) for c, s, e, _ in (line.split("\t") for line in panel.read_text().splitlines())]
    genes = [line.split("\t") for line in (REPO / "resources" / "genes.bed").read_text().splitlines()
             if not line.startswith("#")]
    chosen = {(g[0], int(rng.integers(int(g[1]) + 1, int(g[2])))) for g in genes
              for _ in range(panel_records // len(genes))}
    out = [(c, p, True) for c, p in chosen]
    autosomes = [(c, n) for c, n in contig_lengths() if c[3:].isdigit()]
    weights = np.array([n for _, n in autosomes], dtype=float)
    placed = set()
    while len(placed) < background:
        index = int(rng.choice(len(autosomes), p=weights / weights.sum()))
        chrom, length = autosomes[index]
        pos = int(rng.integers(1, length))
        if not any(c == chrom and s < pos <= e for c, s, e in regions):
            placed.add((chrom, pos))
    out += [(c, p, False) for c, p in placed]
    return sorted(out, key=lambda s: (contig_rank(s[0]), s[1]))


def make_cohorts(workdir: Path, panel: Path, background: int, panel_records: int) -> dict[int, Path]:
    """workdir/cohort_<n>.vcf.gz for each sample count, written together (same sites), unless present."""
    paths = {n: workdir / f"cohort_{n}_{background}_{panel_records}.vcf.gz" for n in SAMPLE_COUNTS}
    if all(p.exists() for p in paths.values()):
        return paths
    rng = np.random.default_rng(2504)
    total = max(SAMPLE_COUNTS)
    names = [f"S{i:04d}" for i in range(total)]
    header = ["##fileformat=VCFv4.2", *(f"##contig=<ID={c},length={n}>" for c, n in contig_lengths()),
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
              '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">']
    columns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t"
    pool = []  # background genotype columns: all 0/0 but for 1-4 carriers
    for _ in range(256):
        calls = np.full(total, "0/0:60", dtype=object)
        calls[rng.choice(total, size=int(rng.integers(1, 5)), replace=False)] = "0/1:60"
        pool.append({n: "\t".join(calls[:n]) for n in SAMPLE_COUNTS})
    writers = {n: subprocess.Popen(["bgzip", "-@2", "-c"], stdin=subprocess.PIPE,
                                   stdout=open(str(p) + ".part", "wb")) for n, p in paths.items()}
    for n, proc in writers.items():
        proc.stdin.write(("\n".join(header) + "\n" + columns + "\t".join(names[:n]) + "\n").encode())
    for chrom, pos, in_panel in sites(panel, background, panel_records, rng):
        prefix = f"{chrom}\t{pos}\t.\tA\tG\t50\tPASS\t.\tGT:GQ\t"
        if in_panel:
            frequency = float(rng.choice(FREQUENCIES[0], p=FREQUENCIES[1]))
            copies = rng.binomial(2, frequency, size=total)
            calls = np.where(copies == 0, "0/0:60", np.where(copies == 1, "0/1:60", "1/1:60"))
            for n, proc in writers.items():
                proc.stdin.write((prefix + "\t".join(calls[:n]) + "\n").encode())
        else:
            genotypes = pool[int(rng.integers(len(pool)))]
            for n, proc in writers.items():
                proc.stdin.write((prefix + genotypes[n] + "\n").encode())
    for n, proc in writers.items():
        proc.stdin.close()
        if proc.wait() != 0:
            sys.exit("bgzip failed")
        Path(str(paths[n]) + ".part").rename(paths[n])
    return paths


def hftc(vcf: Path, output: Path, samples: int | None = None, quiet: bool = True) -> list[str]:
    chosen = ["--samples", ",".join(f"S{i:04d}" for i in range(samples))] if samples else []
    return [sys.executable, "-m", "hftc_annot", str(vcf), "-o", str(output), *chosen, *(["-q"] if quiet else [])]


def timed(cmd: list[str], repeat: int) -> Timings:
    timings = Timings()
    for _ in range(repeat):
        timings.runs.append(run_measured(cmd))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--background", type=int, default=120_000)
    parser.add_argument("--panel-records", type=int, default=1225)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hftc-annot-cohort"))
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    byte_compile()
    panel = padded_panel(args.workdir)
    files = make_cohorts(args.workdir, panel, args.background, args.panel_records)
    output = args.workdir / "out.tsv"
    lines = [f"Cohort benchmark ({platform.node()}, {platform.processor() or platform.machine()}; "
             f"{args.background:,} background + ~{args.panel_records:,} panel sites; median of {args.repeat})", "",
             "| samples | file MB | hftc-annot s | bcftools -T s | ratio | hftc-annot peak RSS MB | target |",
             "|---:|---:|---:|---:|---:|---:|---|"]
    failures = []
    cases = [(n, files[n], None) for n in SAMPLE_COUNTS] + [(2504, files[2504], 100)]
    for n, vcf, subset in cases:
        ours = timed(hftc(vcf, output, subset), args.repeat)
        theirs = timed(bcftools_cmd("-T", panel, vcf), args.repeat)
        ratio = ours.median_s / theirs.median_s
        limit = TARGET_RATIO.get(n) if subset is None else None
        ok = (limit is None or ratio <= limit) and ours.peak_rss_mb <= TARGET_RSS_MB
        label = f"{n:,}" if subset is None else f"{n:,}, --samples first {subset}"
        target = (f"ratio ≤ {limit}, " if limit is not None else "") + f"RSS ≤ {TARGET_RSS_MB} MB"
        lines.append(f"| {label} | {vcf.stat().st_size / 1e6:.0f} | {ours.median_s:.2f} | {theirs.median_s:.2f} | "
                     f"{ratio:.2f}x | {ours.peak_rss_mb:.0f} | {target}: {'met' if ok else 'MISSED'} |")
        if subset is None:
            stderr = run_measured(hftc(vcf, output, quiet=False)).stderr
            found = re.search(r"([\d,]+) in panel regions", stderr)
            kept = subprocess.run(["bcftools", "view", "-H", "-T", str(panel), str(vcf)], capture_output=True,
                                  check=True).stdout.count(b"\n")
            if not found or int(found.group(1).replace(",", "")) != kept:
                failures.append(f"{n} samples: hftc-annot panel records {found and found.group(1)} != bcftools {kept}")
    lines += [""] + [f"FAILED: {f}" for f in failures]
    text = "\n".join(lines).rstrip() + "\n"
    print(text)
    if args.write_results:
        RESULTS.write_text(text)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
