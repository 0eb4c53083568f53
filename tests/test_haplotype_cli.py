"""Haplotype-aware consequences through the command line (issue 16), on the oracle's SYNTHETIC ENPP1 reference
(tests/oracle/harness.py) run as `--build custom`. Expected amino acids are translated here from the synthetic CDS,
independently of the engine."""

from __future__ import annotations

from pathlib import Path

import pysam
import pytest

from conftest import run_cli, table
from oracle.harness import build_oracle_reference, read_models, translate

ROOT = Path(__file__).resolve().parent.parent
STOPS = ("TAA", "TAG", "TGA")
THREE = {"A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly", "H": "His",
         "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp",
         "Y": "Tyr", "V": "Val", "*": "Ter"}


@pytest.fixture(scope="module")
def enpp1(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("haplotype_cli")
    models = [m for m in read_models(ROOT / "resources" / "mane_select.GRCh38.gff3") if m.gene == "ENPP1"]
    oracle = build_oracle_reference(models, work, seed=7)
    (work / "panel.tsv").write_text("gene\tinheritance\nENPP1\tAR\n")
    model = next(iter(read_models(oracle.gff3)))
    bases = [p for s, e in sorted(model.cds) for p in range(s, e + 1)]
    fasta = pysam.FastaFile(str(oracle.fasta))
    cds = "".join(fasta.fetch("ENPP1", p - 1, p).upper() for p in bases)
    return work, bases, cds


def _two_changes_to_a_stop(cds: str) -> tuple[int, tuple[int, str], tuple[int, str]]:
    """A codon (index) that two changes at positions i < j turn into a stop, neither alone doing so."""
    for c in range(10, len(cds) // 3 - 1):
        codon = cds[3 * c:3 * c + 3]
        for stop in STOPS:
            differ = [k for k in range(3) if codon[k] != stop[k]]
            if len(differ) != 2:
                continue
            singles = [codon[:k] + stop[k] + codon[k + 1:] for k in differ]
            if not any(translate(s) == "*" for s in singles):
                return c, (differ[0], stop[differ[0]]), (differ[1], stop[differ[1]])
    raise AssertionError("no such codon in the synthetic CDS")


def test_two_missense_changes_in_cis_are_one_stop_and_change_the_tier(enpp1) -> None:
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    first, second = bases[3 * c + i], bases[3 * c + j]
    ref = cds[3 * c:3 * c + 3]
    third = bases[3 * (c + 5)]
    other = next(x for x in "ACGT" if x != cds[3 * (c + 5)])
    records = [f"ENPP1\t{first}\t.\t{cds[3 * c + i]}\t{a}\t50\tPASS\t.\tGT\t0|1\t1|0\t0/1\t1/1",
               f"ENPP1\t{second}\t.\t{cds[3 * c + j]}\t{b}\t50\tPASS\t.\tGT\t0|1\t0|1\t0/1\t1/1",
               f"ENPP1\t{third}\t.\t{cds[3 * (c + 5)]}\t{other}\t50\tPASS\t.\tGT\t1|0\t0|0\t0/0\t0/0"]
    header = (work / "oracle.fa.fai").read_text().splitlines()
    vcf = work / "pair.vcf"
    vcf.write_text("\n".join([
        "##fileformat=VCFv4.2", *(f"##contig=<ID={h.split()[0]},length={h.split()[1]}>" for h in header),
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "CIS", "TRANS",
                   "UNPHASED", "HOM"]), *records]) + "\n")
    result = run_cli(vcf, "--fasta", work / "oracle.fa", "--gff", work / "oracle.gff3", "--panel",
                     work / "panel.tsv", "--build", "custom", "--qualify", "all")
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"]): r for r in table(result.out)}
    members = f"ENPP1:{first}:{cds[3 * c + i]}:{a};ENPP1:{second}:{cds[3 * c + j]}:{b}"
    expected_p = f"p.({THREE[translate(ref)]}{c + 1}Ter)"
    for sample, phase in (("CIS", "cis"), ("UNPHASED", "unknown"), ("HOM", "cis (homozygous)")):
        for pos in (str(first), str(second)):
            row = rows[(sample, pos)]
            assert (row["haplotype_members"], row["haplotype_phase"], row["haplotype_consequence"]) == (
                members, phase, "stop_gained")
            assert row["haplotype_hgvs_p"].endswith(expected_p)
            assert row["haplotype_hgvs_c"].endswith(f":c.[{3 * c + i + 1}{ref[i]}>{a};{3 * c + j + 1}{ref[j]}>{b}]")
    for pos in (str(first), str(second)):
        assert rows[("TRANS", pos)]["haplotype_members"] == "."
        assert rows[("CIS", pos)]["consequence"] != "stop_gained"  # neither alone
    assert rows[("CIS", str(first))]["evidence_tier"] != rows[("UNPHASED", str(first))]["evidence_tier"]
    assert rows[("TRANS", str(first))]["phase_evidence"] == "phased_trans"
    # the haplotype in cis is one allele facing the third, in trans: one pair, not two
    assert [rows[("CIS", str(p))]["comphet_pair_id"] for p in (first, second, third)] == ["CH1", ".", "CH1"]
