"""Write the benchmark's synthetic GRCh38 reference: a bgzipped FASTA (with .fai and .gzi) for timing only.

It holds the GRCh38 chromosomes of the panel genes at their full lengths, 'N' except around the panel genes,
which hold the consequence oracle test's sequence (tests/oracle/harness.py): synthetic random sequence with each
MANE Select model's exons, an ORF and GT...AG introns imprinted, and the real LRG sequence for COL1A1/COL1A2.
make_synthetic_vcf.py --reference takes its REF bases from it, so bcftools csq and hftc-annot --fasta accept the
records. It is NOT the human reference: never use it for anything but timing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pysam

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.make_synthetic_vcf import GRCH38  # noqa: E402
from bench.run_bench import contig_rank  # noqa: E402
from tests.oracle.harness import build_oracle_reference, read_models  # noqa: E402

MODELS_GFF3 = REPO / "resources" / "mane_select.GRCh38.gff3"
WIDTH = 60


def chromosomes(workdir: Path, seed: int) -> dict[str, np.ndarray]:
    """The panel genes' chromosomes as ASCII arrays: N, and the oracle's sequence at each gene's place."""
    oracle = build_oracle_reference(read_models(MODELS_GFF3), workdir, seed=seed)
    sequences = oracle.sequences()
    arrays = {c.chrom: np.full(GRCH38[c.chrom], ord("N"), dtype=np.uint8) for c in oracle.contigs.values()}
    for contig in oracle.contigs.values():
        bases = sequences[contig.contig]
        start = contig.to_genome(1) - 1
        arrays[contig.chrom][start:start + len(bases)] = bases
    return arrays


def fasta_text(name: str, bases: np.ndarray) -> bytes:
    """One FASTA record, WIDTH bases per line."""
    lines = -(-len(bases) // WIDTH)
    body = np.full(lines * WIDTH, ord("N"), dtype=np.uint8)
    body[:len(bases)] = bases
    rows = np.full((lines, WIDTH + 1), ord("\n"), dtype=np.uint8)
    rows[:, :WIDTH] = body.reshape(lines, WIDTH)
    text = rows.tobytes()
    cut = len(text) - (WIDTH - len(bases) % WIDTH) % WIDTH
    return f">{name}\n".encode() + text[:cut - 1] + b"\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="output .fa.gz")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    arrays = chromosomes(args.output.parent / "oracle", args.seed)
    partial = args.output.with_name(args.output.name + ".partial")
    with open(partial, "wb") as out:
        bgzip = subprocess.Popen(["bgzip", "-c"], stdin=subprocess.PIPE, stdout=out)
        assert bgzip.stdin is not None
        for chrom in sorted(arrays, key=contig_rank):
            bgzip.stdin.write(fasta_text(chrom, arrays[chrom]))
        bgzip.stdin.close()
        if bgzip.wait() != 0:
            sys.exit("bgzip failed")
    os.replace(partial, args.output)
    pysam.faidx(str(args.output))


if __name__ == "__main__":
    main()
