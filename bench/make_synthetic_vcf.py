"""Write a WGS-scale synthetic VCF (GRCh38 contigs, bgzipped, optionally indexed) for benchmarks.

Everything in the file is synthetic: positions are uniform random on the GRCh38 primary
chromosomes and REF/ALT bases are random, so they do not match the reference genome. With
--reference, REF is taken from that FASTA wherever it has a base other than N (the benchmark's
synthetic reference, so that bcftools csq and hftc-annot --fasta accept the records).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pysam

GRCH38 = {
    "chr1": 248956422, "chr2": 242193529, "chr3": 198295559, "chr4": 190214555,
    "chr5": 181538259, "chr6": 170805979, "chr7": 159345973, "chr8": 145138636,
    "chr9": 138394717, "chr10": 133797422, "chr11": 135086622, "chr12": 133275309,
    "chr13": 114364328, "chr14": 107043718, "chr15": 101991189, "chr16": 90338345,
    "chr17": 83257441, "chr18": 80373285, "chr19": 58617616, "chr20": 64444167,
    "chr21": 46709983, "chr22": 50818468, "chrX": 156040895, "chrY": 57227415,
}
BASES = np.array(list("ACGT"))
GENOTYPES = np.array(["0/1", "1/1", "0|1", "1|0", "0/0", "./."])
GT_WEIGHTS = np.array([0.55, 0.3, 0.05, 0.05, 0.03, 0.02])


def header(samples: list[str]) -> str:
    lines = ["##fileformat=VCFv4.2", "##source=hftc-annot bench/make_synthetic_vcf.py (synthetic)"]
    lines += [f"##contig=<ID={c},length={n},assembly=GRCh38>" for c, n in GRCH38.items()]
    lines += [
        '##FILTER=<ID=LowQual,Description="Low quality">',
        '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">',
        '##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
        '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
        "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]),
    ]
    return "\n".join(lines) + "\n"


def write_body(out, records: int, n_samples: int, rng: np.random.Generator, reference: Path | None) -> None:
    lengths = np.array(list(GRCH38.values()), dtype=np.float64)
    per_chrom = rng.multinomial(records, lengths / lengths.sum())
    fasta = pysam.FastaFile(str(reference)) if reference else None
    for (chrom, length), count in zip(GRCH38.items(), per_chrom, strict=True):
        positions = np.sort(rng.integers(1, length - 100, size=count))
        refs = BASES[rng.integers(0, 4, size=count)]
        if fasta is not None and chrom in fasta.references:
            bases = np.frombuffer(fasta.fetch(chrom).upper().encode(), dtype="S1")[positions - 1].astype("U1")
            refs = np.where(bases != "N", bases, refs)
        alts = BASES[(np.searchsorted(BASES, refs) + rng.integers(1, 4, size=count)) % 4]
        quals = rng.integers(20, 999, size=count)
        depth = rng.integers(8, 60, size=(count, n_samples))
        gts = GENOTYPES[rng.choice(len(GENOTYPES), size=(count, n_samples), p=GT_WEIGHTS)]
        alt_depth = depth // 2
        for i in range(count):
            samples = "\t".join(
                f"{gts[i, s]}:{depth[i, s] - alt_depth[i, s]},{alt_depth[i, s]}:{depth[i, s]}:99"
                for s in range(n_samples)
            )
            out.write(
                f"{chrom}\t{positions[i]}\t.\t{refs[i]}\t{alts[i]}\t{quals[i]}\tPASS\t"
                f"DP={depth[i].sum()};AF=0.5\tGT:AD:DP:GQ\t{samples}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path, help="output .vcf.gz")
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--samples", type=int, default=1)
    parser.add_argument("--seed", type=int, default=38)
    parser.add_argument("--index", action="store_true", help="also write a .tbi index")
    parser.add_argument("--reference", type=Path, help="take REF from this indexed FASTA where it is not N")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    plain = args.output.with_suffix("")
    with open(plain, "w") as out:
        out.write(header([f"SAMPLE{i + 1}" for i in range(args.samples)]))
        write_body(out, args.records, args.samples, rng, args.reference)
    pysam.tabix_compress(str(plain), str(args.output), force=True)
    plain.unlink()
    if args.index:
        pysam.tabix_index(str(args.output), preset="vcf", force=True)


if __name__ == "__main__":
    main()
