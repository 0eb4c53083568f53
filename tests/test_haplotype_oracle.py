"""Alleles of one haplotype applied together, against `bcftools csq -p a` on phased pairs (issue 16).

The reference is the oracle's SYNTHETIC ORF sequence (tests/oracle/harness.py) for ENPP1 (plus strand) and ABCC6
(minus strand). Every codon but the first and last gets a phased pair of SNVs on one haplotype, the position
pairings (1,2), (1,3), (2,3) in turn; a codon split by an intron gets all three. Each of 12 samples carries pairs 4
codons apart, which do not meet.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pysam
import pytest

from hftc_annot.consequence.alleles import minimal
from hftc_annot.consequence.coding import CodingSequence
from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.consequence.haplotype import combined
from hftc_annot.consequence.predict import predict
from hftc_annot.consequence.sequence import FastaSource

from oracle.harness import build_oracle_reference, read_models

ROOT = Path(__file__).resolve().parent.parent
PAIRINGS = ((0, 1), (0, 2), (1, 2))
SAMPLES = 12


def _pairs(fasta: pysam.FastaFile, gff3: Path, seed: int) -> list[tuple[int, list[tuple[str, int, str, str]]]]:
    """(sample, records) of each pair: codon k goes to samples 3 * (k % 4) + n, n = 0 for an unsplit codon and 0, 1, 2
    for the three pairs of a split one; a sample's pairs are 4 codons apart."""
    rng = np.random.default_rng(seed)
    out = []
    for m in read_models(gff3):
        bases = [p for s, e in sorted(m.cds) for p in range(s, e + 1)]
        if m.strand == "-":
            bases = bases[::-1]
        codons = [bases[3 * c:3 * c + 3] for c in range(1, len(bases) // 3 - 1)]  # not the start or stop codon
        for k, codon in enumerate(codons):
            split = max(codon) - min(codon) != 2
            for n, (i, j) in enumerate(PAIRINGS if split else (PAIRINGS[k // 4 % 3],)):
                sample = k % 4 * 3 + n
                records = []
                for p in sorted((codon[i], codon[j])):
                    ref = fasta.fetch(m.gene, p - 1, p).upper()
                    records.append((m.gene, p, ref, str(rng.choice([b for b in "ACGT" if b != ref]))))
                out.append((sample, records))
    return out


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("haplotype_oracle")
    models = [m for m in read_models(ROOT / "resources" / "mane_select.GRCh38.gff3") if m.gene in ("ENPP1", "ABCC6")]
    oracle = build_oracle_reference(models, work, seed=16)
    fasta = pysam.FastaFile(str(oracle.fasta))
    pairs = _pairs(fasta, oracle.gff3, seed=16)
    vcf = work / "pairs.vcf"
    carriers: dict[tuple[str, int, str, str], set[int]] = {}
    for sample, records in pairs:
        for record in records:
            carriers.setdefault(record, set()).add(sample)
    with open(vcf, "w") as out:
        out.write("##fileformat=VCFv4.2\n")
        out.writelines(f"##contig=<ID={n},length={length}>\n" for n, length in zip(fasta.references, fasta.lengths,
                                                                                     strict=True))
        out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        out.write("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT",
                             *(f"S{k}" for k in range(SAMPLES))]) + "\n")
        for record in sorted(carriers):
            calls = ["0|1" if k in carriers[record] else "0|0" for k in range(SAMPLES)]
            out.write("\t".join([record[0], str(record[1]), ".", record[2], record[3], ".", ".", ".", "GT", *calls])
                      + "\n")
    text = subprocess.run(["bcftools", "csq", "-p", "a", "-f", str(oracle.fasta), "-g", str(oracle.gff3),
                           "-Ov", str(vcf)], capture_output=True, text=True, check=True).stdout
    return oracle, pairs, text


def test_every_phased_same_codon_pair_agrees_with_bcftools_csq(comparison) -> None:
    oracle, pairs, text = comparison
    theirs = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        columns = line.split("\t")
        found = re.search(r"BCSQ=([^;\t]+)", columns[7])
        for entry in found.group(1).split(",") if found else ():
            fields = entry.lstrip("*").split("|")
            if len(fields) >= 7 and "+" in fields[6]:
                theirs[fields[6]] = fields[5]
    transcripts = {t.gene: t for t in read_transcripts(str(oracle.gff3))}
    seq = FastaSource(str(oracle.fasta))
    coding = {gene: CodingSequence(t, seq) for gene, t in transcripts.items()}
    compared = 0
    for _, records in pairs:
        gene = records[0][0]
        t = transcripts[gene]
        alleles = [minimal(*r) for r in records]
        ours = combined(t, coding[gene], alleles, [predict(t, a, seq, coding[gene]).hgvs_c for a in alleles])
        key = "+".join(f"{p}{r}>{a}" for _, p, r, a in records)
        found = re.match(r"(\d+)([A-Z*])(?:>\d+([A-Z*]))?$", theirs[key])
        ref, alt = found.group(2), found.group(3) or found.group(2)
        assert (ours.protein_position, ours.amino_acids) == (found.group(1), ref if ref == alt else f"{ref}/{alt}"), key
        compared += 1
    assert compared == len(pairs) == 2478
