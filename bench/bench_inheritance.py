"""Time of the inheritance stage on a synthetic 2,504-sample cohort restricted to the panel, and its scaling.

The cohort is synthetic: records at random positions inside the GRCh38 panel genes, random bases, rare and
common alleles drawn per sample. The stage is timed through the library (reader -> panel -> consequence ->
inheritance, each stage timed separately) for 100, 500, 1,000 and 2,504 samples; a whole CLI run is timed
too, with its peak RSS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pysam

ROOT = Path(__file__).resolve().parents[1]
GRCH38_CONTIGS = ROOT / "resources" / "assemblies.tsv"


def make_cohort(path: Path, samples: int, records: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    genes = [line.split("\t") for line in (ROOT / "resources" / "genes.bed").read_text().splitlines()
             if not line.startswith("#")]
    lengths = [line.split("\t") for line in GRCH38_CONTIGS.read_text().splitlines()[1:] if line.startswith("GRCh38")]
    sites = sorted({(g[0], int(rng.integers(int(g[1]) + 1, int(g[2])))) for g in genes for _ in range(records // 49)},
                   key=lambda s: (int(s[0][3:]) if s[0][3:].isdigit() else 100, s[1]))
    names = [f"S{i:04d}" for i in range(samples)]
    with open(path, "w") as out:
        out.write("##fileformat=VCFv4.2\n")
        out.writelines(f"##contig=<ID={'chrM' if c == 'MT' else 'chr' + c},length={n}>\n" for _, c, n, *_ in lengths)
        out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        out.write('##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">\n')
        out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(names) + "\n")
        for chrom, pos in sites:
            frequency = float(rng.choice([0.001, 0.005, 0.02, 0.2], p=[0.5, 0.3, 0.15, 0.05]))
            copies = rng.binomial(2, frequency, size=samples)
            calls = np.where(copies == 0, "0/0:60", np.where(copies == 1, "0/1:60", "1/1:60"))
            out.write(f"{chrom}\t{pos}\t.\tA\tG\t50\tPASS\t.\tGT:GQ\t" + "\t".join(calls) + "\n")
    pysam.tabix_compress(str(path), str(path) + ".gz", force=True)
    path.unlink()


def time_stages(vcf: str, samples: list[str]) -> dict[str, float]:
    from hftc_annot.consequence import ConsequenceStage
    from hftc_annot.consequence.gff import read_transcripts
    from hftc_annot.hits import PanelStage
    from hftc_annot.inheritance import InheritanceStage, Settings
    from hftc_annot.inheritance.pedigree import Pedigree
    from hftc_annot.panel import load_panel
    from hftc_annot.reader import open_vcf
    from hftc_annot.resources import models_gff3

    panel = load_panel("GRCh38")
    consequence = ConsequenceStage(read_transcripts(models_gff3("GRCh38")), None, lambda _: None)
    inheritance = InheritanceStage(Pedigree({}), tuple(samples), "GRCh38", Settings(), lambda *_: None)
    source = open_vcf(vcf)
    times = {"read+panel": 0.0, "consequence": 0.0, "inheritance": 0.0}
    started = time.perf_counter()
    stage = PanelStage(panel)
    items = [stage.hit(record) for record in source.records(panel.regions(), samples)]
    times["read+panel"] = time.perf_counter() - started
    started = time.perf_counter()
    for item in items:
        consequence.annotate(item)
    times["consequence"] = time.perf_counter() - started
    started = time.perf_counter()
    for item in items:
        inheritance.add(item)
    inheritance.finish()
    for item in items:
        inheritance.annotate(item)
    times["inheritance"] = time.perf_counter() - started
    times["flags"] = sum(len(flags) for item in items for f in item.findings for flags in f.flags.values())
    times["records"] = len(items)
    source.close()
    return times


def cli_run(vcf: str, samples: list[str], output: Path) -> tuple[float, float]:
    command = [sys.executable, "-m", "hftc_annot", vcf, "-o", str(output), "-q", "--samples", ",".join(samples)]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"hftc-annot failed: {command[:6]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=2504)
    parser.add_argument("--records", type=int, default=2450, help="about this many panel records")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "cohort.vcf"
        started = time.perf_counter()
        make_cohort(plain, args.samples, args.records, seed=2504)
        vcf = str(plain) + ".gz"
        print(f"synthetic cohort: {args.samples} samples, made in {time.perf_counter() - started:.1f} s")
        print("| samples | records | read+panel s | consequence s | inheritance s | inheritance ms/sample | flags "
              "| whole CLI run s | peak RSS MB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        names = [f"S{i:04d}" for i in range(args.samples)]
        for count in sorted({min(c, args.samples) for c in (100, 500, 1000, args.samples)}):
            times = time_stages(vcf, names[:count])
            seconds, rss = cli_run(vcf, names[:count], Path(tmp) / "out.tsv")
            print(f"| {count:,} | {times['records']:,} | {times['read+panel']:.2f} | {times['consequence']:.2f} | "
                  f"{times['inheritance']:.2f} | {1000 * times['inheritance'] / count:.2f} | {times['flags']:,} | "
                  f"{seconds:.1f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
