"""Throughput of the consequence stage alone on the oracle saturation set, against bcftools csq on the same set.

Builds the oracle reference (tests/oracle: 47 synthetic genes with the shipped MANE structures plus real
COL1A1/COL1A2 sequence) and its saturation set (every CDS SNV, every SNV within 20 bp of an exon boundary,
5,000 indels), then times predict() over all alleles (sequence fetched once per transcript, as in a run)
and `bcftools csq -l` on the same VCF.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hftc_annot.consequence.alleles import minimal  # noqa: E402
from hftc_annot.consequence.gff import read_transcripts  # noqa: E402
from hftc_annot.consequence.predict import CodingSequence, predict  # noqa: E402
from hftc_annot.consequence.sequence import FastaSource  # noqa: E402

from oracle.harness import (  # noqa: E402
    build_oracle_reference,
    read_models,
    run_bcftools_csq,
    saturation_variants,
    write_vcf,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indels", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        oracle = build_oracle_reference(read_models(ROOT / "resources" / "mane_select.GRCh38.gff3"), work / "ref",
                                        seed=20261121)
        variants = saturation_variants(oracle, seed=20261121, n_indels=args.indels)
        write_vcf(variants, work / "sat.vcf", oracle.contig_lengths())
        transcripts = {t.chrom: t for t in read_transcripts(work / "ref" / "oracle.gff3")}
        seq = FastaSource(str(work / "ref" / "oracle.fa"))
        started = time.perf_counter()
        coding = {contig: CodingSequence(t, seq) for contig, t in transcripts.items()}
        for contig, pos, ref, alt in variants:
            predict(transcripts[contig], minimal(contig, pos, ref, alt), seq, coding[contig])
        ours = time.perf_counter() - started
        bcftools = run_bcftools_csq(work / "sat.vcf", oracle, work / "csq").seconds
    rate = len(variants) / ours
    print("| alleles | hftc-annot consequence stage s | alleles/s | bcftools csq -l s (same VCF, incl. I/O) |")
    print("|---:|---:|---:|---:|")
    print(f"| {len(variants):,} | {ours:.1f} | {rate:,.0f} | {bcftools:.2f} |")
    print(f"target >= 50,000 alleles/s: {'met' if rate >= 50_000 else 'MISSED'}")


if __name__ == "__main__":
    main()
