"""Inheritance flags for every family shape, and the cases genmod and slivar get wrong.

All genotypes are made up; positions are intronic GALNT3 (AR), SLC20A2 (AD) and PHEX (XLD) positions. Intronic
alleles do not qualify for flags by default, so these runs use --qualify all: they test segregation, and the
qualifying rules are tested in tests/issues/test_012.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli, table, vcf_text, write_vcf

A, B, C = "chr2 165750000 . A G 50 PASS .", "chr2 165760000 . C T 50 PASS .", "chr2 165765000 . G A 50 PASS ."
FORMAT = "GT:AD:DP:GQ"
HET, HOM, REF, MISS = "0/1:10,10:20:60", "1/1:0,20:20:60", "0/0:20,0:20:60", "./.:.:.:."


def ped(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join("\t".join(line.split()) for line in lines) + "\n")
    return path


def flags(tmp: Path, records: list[str], samples: tuple[str, ...], ped_lines: list[str] | None = None,
          *args: str) -> dict[tuple[str, str], tuple[str, str, str, str]]:
    """(pos, sample) -> (flags, confidence, phase evidence, pair id) for rows with a flag."""
    vcf = write_vcf(tmp / "in.vcf", records, samples=samples)
    extra = ["--ped", str(ped(tmp / "fam.ped", ped_lines))] if ped_lines else []
    result = run_cli(vcf, *extra, "--qualify", "all", *args)
    assert result.code == 0, result.err
    return {(r["pos"], r["sample"]): (r["inheritance_flags"], r["confidence"], r["phase_evidence"],
                                      r["comphet_pair_id"])
            for r in table(result.out) if r["inheritance_flags"] != "."}


TRIO = ["F1 KID DAD MUM 2 2", "F1 DAD 0 0 1 1", "F1 MUM 0 0 2 1"]


def test_singleton_hom_and_unphased_comphet(tmp: Path) -> None:
    found = flags(tmp, [f"{A} {FORMAT} {HOM}", f"{B} {FORMAT} {HET}", f"{C} {FORMAT} {HET}"], ("S1",))
    assert found == {
        ("165750000", "S1"): ("AR_hom", "medium", ".", "."),
        ("165760000", "S1"): ("AR_comphet", "low", "unphased", "CH1"),
        ("165765000", "S1"): ("AR_comphet", "low", "unphased", "CH1"),
    }


def test_pair_ids_count_within_each_sample_so_a_subset_of_samples_gives_the_same_ids(tmp: Path) -> None:
    records = [f"{A} {FORMAT} {HET} {HET}", f"{B} {FORMAT} {HET} {HET}", f"{C} {FORMAT} {REF} {HET}"]
    cohort = flags(tmp, records, ("S1", "S2"))
    assert {key: value[3] for key, value in cohort.items()} == {
        ("165750000", "S1"): "CH1", ("165760000", "S1"): "CH1",
        ("165750000", "S2"): "CH1,CH2", ("165760000", "S2"): "CH1,CH3", ("165765000", "S2"): "CH2,CH3"}
    alone = flags(tmp, records, ("S1", "S2"), None, "--samples", "S2")
    assert alone == {key: value for key, value in cohort.items() if key[1] == "S2"}


def test_trio_parental_trans_and_cis(tmp: Path) -> None:
    trans = flags(tmp, [f"{B} {FORMAT} {HET} {HET} {REF}", f"{C} {FORMAT} {HET} {REF} {HET}"],
                  ("KID", "DAD", "MUM"), TRIO)
    assert trans == {("165760000", "KID"): ("AR_comphet", "high", "parental_trans", "CH1"),
                     ("165765000", "KID"): ("AR_comphet", "high", "parental_trans", "CH1")}
    cis = flags(tmp, [f"{B} {FORMAT} {HET} {HET} {REF}", f"{C} {FORMAT} {HET} {HET} {REF}"],
                ("KID", "DAD", "MUM"), TRIO)
    assert cis == {}  # both from the father: not a compound heterozygote


def test_trio_hom_with_carrier_parents_and_pseudo_dominance(tmp: Path) -> None:
    assert flags(tmp, [f"{A} {FORMAT} {HOM} {HET} {HET}"], ("KID", "DAD", "MUM"), TRIO) == {
        ("165750000", "KID"): ("AR_hom", "high", ".", ".")}
    unaffected_hom_parent = flags(tmp, [f"{A} {FORMAT} {HOM} {HOM} {HET}"], ("KID", "DAD", "MUM"), TRIO)
    assert unaffected_hom_parent == {("165750000", "KID"): ("AR_hom", "low", ".", ".")}
    affected_dad = ["F1 KID DAD MUM 2 2", "F1 DAD 0 0 1 2", "F1 MUM 0 0 2 1"]
    pseudo = flags(tmp, [f"{A} {FORMAT} {HOM} {HOM} {HET}"], ("KID", "DAD", "MUM"), affected_dad)
    assert pseudo == {("165750000", "KID"): ("AR_hom", "high", ".", "."),
                      ("165750000", "DAD"): ("AR_hom", "medium", ".", ".")}


def test_missing_parental_genotype_still_pairs(tmp: Path) -> None:
    """genmod misses compound hets when a parent's genotype is missing; here it is inferred from the other."""
    found = flags(tmp, [f"{B} {FORMAT} {HET} {MISS} {HET}", f"{C} {FORMAT} {HET} {MISS} {REF}"],
                  ("KID", "DAD", "MUM"), TRIO)
    assert found == {("165760000", "KID"): ("AR_comphet", "medium", "parental_trans", "CH1"),
                     ("165765000", "KID"): ("AR_comphet", "medium", "parental_trans", "CH1")}


def test_duo_with_one_parent(tmp: Path) -> None:
    duo = ["F1 KID 0 MUM 2 2", "F1 MUM 0 0 2 1"]
    one_each = flags(tmp, [f"{B} {FORMAT} {HET} {HET}", f"{C} {FORMAT} {HET} {REF}"], ("KID", "MUM"), duo)
    assert one_each[("165760000", "KID")] == ("AR_comphet", "medium", "parental_trans", "CH1")
    both_in_mum = flags(tmp, [f"{B} {FORMAT} {HET} {HET}", f"{C} {FORMAT} {HET} {HET}"], ("KID", "MUM"), duo)
    assert both_in_mum[("165760000", "KID")] == ("AR_comphet", "low", "unphased", "CH1")


def test_read_backed_phasing(tmp: Path) -> None:
    fmt = "GT:AD:DP:GQ:PS"
    trans = flags(tmp, [f"{B} {fmt} 0|1:10,10:20:60:100", f"{C} {fmt} 1|0:10,10:20:60:100"], ("S1",))
    assert trans[("165760000", "S1")] == ("AR_comphet", "high", "phased_trans", "CH1")
    cis = flags(tmp, [f"{B} {fmt} 0|1:10,10:20:60:100", f"{C} {fmt} 0|1:10,10:20:60:100"], ("S1",))
    assert cis == {}
    blocks = flags(tmp, [f"{B} {fmt} 0|1:10,10:20:60:100", f"{C} {fmt} 1|0:10,10:20:60:200"], ("S1",))
    assert blocks[("165760000", "S1")] == ("AR_comphet", "low", "unphased", "CH1")


def test_a_phased_cis_pair_the_parents_show_in_trans_is_a_low_candidate_naming_the_conflict(tmp: Path) -> None:
    """The proband's phased calls put the pair in cis while good calls of both parents show one from each: one of
    the two is wrong, and the pair was dropped without a word (found by review). It is an unphased, low candidate
    now; with the parents agreeing (both from the father) it stays unflagged."""
    fmt = "GT:AD:DP:GQ:PS"
    cis = ("0|1:10,10:20:60:100", "0|1:10,10:20:60:100")
    conflict = flags(tmp, [f"{B} {fmt} {cis[0]} {HET}:. {REF}:.", f"{C} {fmt} {cis[1]} {REF}:. {HET}:."],
                     ("KID", "DAD", "MUM"), TRIO)
    assert conflict == {(pos, "KID"): ("AR_comphet", "low", "unphased", "CH1") for pos in ("165760000", "165765000")}
    agreeing = flags(tmp, [f"{B} {fmt} {cis[0]} {HET}:. {REF}:.", f"{C} {fmt} {cis[1]} {HET}:. {REF}:."],
                     ("KID", "DAD", "MUM"), TRIO)
    assert agreeing == {}


def test_gatk_physical_phasing_pgt_and_pid(tmp: Path) -> None:
    """GATK's HaplotypeCaller phases nearby hets in FORMAT/PGT and PID and leaves GT unphased (and joint genotyping
    keeps it so): PGT 0|1 and 1|0 in one PID are in trans (they were 'unphased'), 0|1 twice in cis (no pair), other
    PIDs say nothing, and a PGT that disagrees with GT (1|1 at a 0/1) is not read. The genotype column shows the
    phase read."""
    phasing = ('##FORMAT=<ID=PGT,Number=1,Type=String,Description="Physical phasing haplotype information">',
               '##FORMAT=<ID=PID,Number=1,Type=String,Description="Physical phasing ID information">')
    fmt, pid = "GT:AD:DP:GQ:PGT:PID", "165760000_C_T"

    def run(first: str, second: str) -> list[tuple[str, str, str, str, str]]:
        vcf = write_vcf(tmp / "in.vcf", [f"{B} {fmt} 0/1:10,10:20:60:{first}", f"{C} {fmt} 0/1:10,10:20:60:{second}"],
                        extra_header=phasing)
        result = run_cli(vcf, "--qualify", "all")
        assert result.code == 0, result.err
        return sorted((r["pos"], r["genotype"], r["inheritance_flags"], r["confidence"], r["phase_evidence"])
                      for r in table(result.out))

    assert run(f"0|1:{pid}", f"1|0:{pid}") == [("165760000", "0|1", "AR_comphet", "high", "phased_trans"),
                                                ("165765000", "1|0", "AR_comphet", "high", "phased_trans")]
    assert run(f"0|1:{pid}", f"0|1:{pid}") == [("165760000", "0|1", ".", ".", "."), ("165765000", "0|1", ".", ".", ".")]
    assert run(f"0|1:{pid}", "1|0:165765000_G_A") == [("165760000", "0|1", "AR_comphet", "low", "unphased"),
                                                       ("165765000", "1|0", "AR_comphet", "low", "unphased")]
    assert run(f"1|1:{pid}", f".:{pid}") == [("165760000", "0/1", "AR_comphet", "low", "unphased"),
                                             ("165765000", "0/1", "AR_comphet", "low", "unphased")]


def test_gatk_physical_phasing_is_read_only_within_a_sample_and_never_mixed_with_another_phase(tmp: Path) -> None:
    """PGT's order is relative to the other PGTs of its PID (GATK writes 0|1 for a group's first call, whatever the
    haplotype): a GT phased by the caller against its PGT (1|0 at PGT 0|1) was put in the PID's phase set beside a
    GT read from PGT, and the two orders, of two sources, made a pair GATK phased in cis 'phased_trans' (high), and
    one it phased in trans a pair in cis (no flag). PS wins over PID (a GATK 4 record has both); a PID shared by two
    samples links nothing across them."""
    header = ('##FORMAT=<ID=PGT,Number=1,Type=String,Description="Physical phasing haplotype information">',
              '##FORMAT=<ID=PID,Number=1,Type=String,Description="Physical phasing ID information">',
              '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">')
    pid = "165760000_C_T"

    def run(first: str, second: str, fmt: str = "GT:AD:DP:GQ:PGT:PID", samples: tuple[str, ...] = ("S1",)
            ) -> list[tuple[str, str, str, str, str, str]]:
        vcf = write_vcf(tmp / "in.vcf", [f"{B} {fmt} {first}", f"{C} {fmt} {second}"], samples=samples,
                        extra_header=header)
        result = run_cli(vcf, "--qualify", "all")
        assert result.code == 0, result.err
        return sorted((r["sample"], r["pos"], r["genotype"], r["inheritance_flags"], r["confidence"],
                       r["phase_evidence"]) for r in table(result.out))

    unphased = ("AR_comphet", "low", "unphased")
    assert run(f"1|0:10,10:20:60:0|1:{pid}", f"0/1:10,10:20:60:0|1:{pid}") == [
        ("S1", "165760000", "1|0", *unphased), ("S1", "165765000", "0|1", *unphased)]
    assert run(f"0|1:10,10:20:60:1|0:{pid}", f"0/1:10,10:20:60:0|1:{pid}") == [
        ("S1", "165760000", "0|1", *unphased), ("S1", "165765000", "0|1", *unphased)]
    assert run(f"0|1:10,10:20:60:0|1:{pid}", f"1|0:10,10:20:60:1|0:{pid}") == [  # the caller's phase, as PGT's
        ("S1", "165760000", "0|1", "AR_comphet", "high", "phased_trans"),
        ("S1", "165765000", "1|0", "AR_comphet", "high", "phased_trans")]
    assert run(f"0|1:10,10:20:60:0|1:{pid}:100", f"1|0:10,10:20:60:1|0:{pid}:200", "GT:AD:DP:GQ:PGT:PID:PS") == [
        ("S1", "165760000", "0|1", *unphased), ("S1", "165765000", "1|0", *unphased)]
    assert run(f"0/1:10,10:20:60:0|1:{pid} 0/1:10,10:20:60:0|1:{pid}",
               f"0/1:10,10:20:60:.:. 0/1:10,10:20:60:1|0:{pid}", samples=("S1", "S2")) == [
        ("S1", "165760000", "0|1", *unphased), ("S1", "165765000", "0/1", *unphased),
        ("S2", "165760000", "0|1", "AR_comphet", "high", "phased_trans"),
        ("S2", "165765000", "1|0", "AR_comphet", "high", "phased_trans")]


def test_multiallelic_1_2_is_trans(tmp: Path) -> None:
    found = flags(tmp, ["chr2 165750000 . A G,T 50 PASS . GT:AD:DP:GQ 1/2:0,10,10:20:60"], ("S1",))
    assert found == {("165750000", "S1"): ("AR_comphet", "high", "multiallelic_trans", "CH1")}


def test_unaffected_sibling_demotes(tmp: Path) -> None:
    quartet = [*TRIO, "F1 SIB DAD MUM 1 1"]
    records = [f"{B} {FORMAT} {HET} {HET} {REF} {HET}", f"{C} {FORMAT} {HET} {REF} {HET} {HET}",
               f"{A} {FORMAT} {HOM} {HET} {HET} {HOM}"]
    found = flags(tmp, records, ("KID", "DAD", "MUM", "SIB"), quartet)
    assert found[("165760000", "KID")] == ("AR_comphet", "low", "parental_trans", "CH1")
    assert found[("165750000", "KID")] == ("AR_hom", "low", ".", ".")
    assert ("165750000", "SIB") not in found  # unaffected samples get no flags


def test_unsorted_input_pairs_the_same(tmp: Path) -> None:
    found = flags(tmp, [f"{C} {FORMAT} {HET} {REF} {HET}", f"{B} {FORMAT} {HET} {HET} {REF}"],
                  ("KID", "DAD", "MUM"), TRIO)
    assert found[("165760000", "KID")] == ("AR_comphet", "high", "parental_trans", "CH1")


def test_de_novo_and_low_quality_parent(tmp: Path) -> None:
    record = "chr8 42450000 . A G 50 PASS . GT:AD:DP:GQ"
    found = flags(tmp, [f"{record} {HET} {REF} {REF}"], ("KID", "DAD", "MUM"), TRIO)
    assert found == {("42450000", "KID"): ("de_novo;AD", "high;high", ".;.", ".;.")}
    shallow = flags(tmp, [f"{record} {HET} 0/0:3,0:3:8 {REF}"], ("KID", "DAD", "MUM"), TRIO)
    assert shallow[("42450000", "KID")][:2] == ("de_novo;AD", "low;medium")  # AD's de novo rests on that call too


def test_de_novo_with_alt_reads_in_a_parents_reference_call(tmp: Path) -> None:
    """The father's 0/0 holds 2 ALT reads of 32 (a mosaic parent?): both flags that rest on 'absent from both
    parents' drop to medium and say why; a read of the other ALT does not count."""
    record = "chr8 42450000 . A G,T 50 PASS . GT:AD:DP:GQ"
    vcf = write_vcf(tmp / "in.vcf", [f"{record} 0/1:10,10,0:20:60 0/0:30,2,0:32:60 0/0:20,0,3:23:60"],
                    samples=("KID", "DAD", "MUM"))
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", TRIO)), "--qualify", "all")
    assert result.code == 0, result.err
    [row] = [r for r in table(result.out) if r["sample"] == "KID"]
    assert (row["inheritance_flags"], row["confidence"]) == ("de_novo;AD", "medium;medium")
    reads = "the father's 2 ALT reads behind a reference call (a mosaic parent, or noise?)"
    assert row["evidence"] == (
        f"not found in either parent: both parents homozygous reference; {reads} | heterozygous in an autosomal "
        f"dominant gene; absent from both parents (de novo); {reads}")


def test_a_new_allele_shared_by_affected_siblings_names_them_and_parental_mosaicism(tmp: Path) -> None:
    """Two affected sisters carry an allele neither parent has: each sister's de_novo names the other (a parent's
    germline mosaicism; the recurrence risk counts on it); an affected brother without it lowers it to medium (a
    phenocopy, or another cause?: it stayed high, and he was not named; found by review). An unaffected carrier
    sister is named as one, and lowers it as before."""
    record = "chr8 42450000 . A G 50 PASS . GT:AD:DP:GQ"
    family = [*TRIO, "F1 SIS DAD MUM 2 2", "F1 BRO DAD MUM 1 2"]
    vcf = write_vcf(tmp / "in.vcf", [f"{record} {HET} {REF} {REF} {HET} {REF}"],
                    samples=("KID", "DAD", "MUM", "SIS", "BRO"))
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", family)), "--qualify", "all")
    assert result.code == 0, result.err
    found = {r["sample"]: (r["inheritance_flags"], r["confidence"], r["evidence"].split(" | ")[0])
             for r in table(result.out)}
    shared = "a parent may carry it in the germline (mosaic), which raises the recurrence risk"
    brother = "affected sibling BRO does not carry it (a phenocopy, or another cause?)"
    assert found == {
        "KID": ("de_novo;AD", "medium;medium", "not found in either parent: both parents homozygous reference; also "
                f"carried by the affected sibling SIS: {shared}; {brother}"),
        "SIS": ("de_novo;AD", "medium;medium", "not found in either parent: both parents homozygous reference; also "
                f"carried by the affected sibling KID: {shared}; {brother}")}
    unaffected = [*TRIO, "F1 SIS DAD MUM 2 1", "F1 BRO DAD MUM 1 2"]
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", unaffected)), "--qualify", "all")
    [row] = [r for r in table(result.out) if r["sample"] == "KID"]
    assert (row["inheritance_flags"], row["confidence"], row["evidence"].split(" | ")[0]) == (
        "de_novo;AD", "low;low", "not found in either parent: both parents homozygous reference; also carried by the "
        f"unaffected sibling SIS (germline mosaicism in a parent?); {brother}")


def test_an_affected_sibling_with_another_alt_of_the_record_is_not_called_homozygous_reference(tmp: Path) -> None:
    """A multi-allelic site in GALNT3 (AR), parents 1/2: KID 1/1. An affected sister 2/2 does not carry G but is not
    homozygous reference (the evidence said she was, as if she had no variant there): the evidence names the other
    ALT. An affected brother 1/2 is biallelic there, as an AR disease needs: he fits, and does not lower (he was
    'heterozygous (a phenocopy, or another cause?)'); found by review."""
    record = "chr2 165750000 . A G,T 50 PASS . GT:AD:DP:GQ"
    het_both, hom_g, hom_t = "1/2:0,10,10:20:60", "1/1:0,20,0:20:60", "2/2:0,0,20:20:60"
    family = [*TRIO, "F1 SIS DAD MUM 2 2", "F1 BRO DAD MUM 1 2"]
    samples = ("KID", "DAD", "MUM", "SIS", "BRO")
    carriers = "homozygous; both parents heterozygous carriers"
    expected = {
        hom_t: ("AR_hom", "medium", f"{carriers}; affected sibling SIS does not carry it (another ALT of the record "
                                    "instead) (a phenocopy, or another cause?)"),
        het_both: ("AR_hom", "high", carriers)}
    for sister, brother in ((hom_t, het_both), (het_both, het_both)):
        vcf = write_vcf(tmp / "in.vcf", [f"{record} {hom_g} {het_both} {het_both} {sister} {brother}"],
                        samples=samples)
        result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", family)), "--qualify", "all")
        assert result.code == 0, result.err
        [row] = [r for r in table(result.out) if r["sample"] == "KID"]
        assert (row["inheritance_flags"], row["confidence"], row["evidence"]) == expected[sister]


def test_affected_siblings_sharing_a_new_allele_are_named_by_call_quality_and_on_chrx_as_brother_or_sister(
        tmp: Path) -> None:
    """The affected siblings a new allele is shared with: a call below the quality gates says so (it was named as
    firmly as a good one); a partial call (./1) carries it; a missing call and a half sibling are not named. On chrX
    outside the PARs the siblings are a brother and a sister, and when either child is a son the parent who may be
    mosaic is the mother (a son's X is hers): the sister's flag said 'a parent'."""
    shared = "may carry it in the germline (mosaic), which raises the recurrence risk"
    record = "chr8 42450000 . A G 50 PASS . GT:AD:DP:GQ"
    samples = ("KID", "DAD", "MUM", "LOW", "PART", "MISS", "HALF")
    family = [*TRIO, "F1 LOW DAD MUM 1 2", "F1 PART DAD MUM 2 2", "F1 MISS DAD MUM 2 2", "F1 HALF DAD 0 2 2"]
    vcf = write_vcf(tmp / "in.vcf", [f"{record} {HET} {REF} {REF} 0/1:10,10:20:5 ./1:5,5:10:60 {MISS} {HET}"],
                    samples=samples)
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", family)), "--qualify", "all")
    assert result.code == 0, result.err
    [row] = [r for r in table(result.out) if r["sample"] == "KID"]
    siblings = f"the affected siblings LOW (a call below the quality gates) and PART: a parent {shared}"
    assert (row["inheritance_flags"], row["confidence"], row["evidence"]) == (
        "de_novo;AD", "high;high", f"not found in either parent: both parents homozygous reference; also carried by "
        f"{siblings} | heterozygous in an autosomal dominant gene; absent from both parents (de novo); also carried "
        f"by {siblings}")  # the AD flag's summary line says 'de novo' on its own: it names them too

    record = "chrX 22050000 . G A 50 PASS . GT:AD:DP:GQ"
    family = ["F1 KID DAD MUM 1 2", "F1 DAD 0 0 1 1", "F1 MUM 0 0 2 1", "F1 SIS DAD MUM 2 2"]
    vcf = write_vcf(tmp / "in.vcf", [f"{record} 1:0,20:20:60 0:20,0:20:60 {REF} {HET}"],
                    samples=("KID", "DAD", "MUM", "SIS"))
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", family)), "--qualify", "all")
    assert result.code == 0, result.err
    found = {r["sample"]: (r["inheritance_flags"], r["evidence"].split(" | ")[0]) for r in table(result.out)}
    parents = "not found in either parent: both parents homozygous reference"
    assert found == {"KID": ("de_novo;XL", f"{parents}; also carried by the affected sister SIS: the mother {shared}"),
                     "SIS": ("de_novo;XL", f"{parents}; also carried by the affected brother KID: the mother {shared}")}


def test_ad_typed_string_is_read_as_counts(tmp: Path) -> None:
    """A header declaring AD Type=String: htslib gives '10,10' per sample, which the report showed as 1,0 (its first
    characters) and the inheritance stage ignored (no allele-balance gate, no parental ALT reads)."""
    record = "chr8 42450000 . A G 50 PASS . GT:AD:DP:GQ"
    text = vcf_text([f"{record} 0/1:10,10:20:60 0/0:30,2:32:60 0/0:.:20:60 0/1:2,18:20:60"],
                    samples=("KID", "DAD", "MUM", "AUNT"))
    vcf = tmp / "in.vcf"
    vcf.write_text(text.replace("ID=AD,Number=R,Type=Integer", "ID=AD,Number=R,Type=String"))
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", TRIO)), "--qualify", "all")
    assert result.code == 0, result.err
    assert [(r["sample"], r["ad"], r["allele_fraction"], r["inheritance_flags"], r["confidence"])
            for r in table(result.out)] == [("KID", "10,10", "0.500", "de_novo;AD", "medium;medium"),
                                            ("AUNT", "2,18", "0.900", "AD", "low")]


def test_varscan_ad_is_the_alt_depth_and_rd_the_ref_depth(tmp: Path) -> None:
    """VarScan2 writes FORMAT/AD as Number=1, the ALT allele's reads, and the REF reads in FORMAT/RD (as in PyVCF3's
    test file issue-140-file1.vcf). AD's one value was taken for the REF depth: the report showed 10,. for 10 REF and
    10 ALT reads, with no allele fraction, and the inheritance stage had no allele balance and no parental ALT reads.
    Read as RD,AD they give what the same calls give with an AD of Number=R (test_ad_typed_string_is_read_as_counts)."""
    record = "chr8 42450000 . A G 50 PASS . GT:GQ:DP:RD:AD"
    text = vcf_text([f"{record} 0/1:60:20:10:10 0/0:60:32:30:2 0/0:60:20:.:. 0/1:60:20:2:18"],
                    samples=("KID", "DAD", "MUM", "AUNT"))
    vcf = tmp / "in.vcf"
    vcf.write_text(text.replace(
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
        '##FORMAT=<ID=RD,Number=1,Type=Integer,Description="Depth of reference-supporting bases (reads1)">\n'
        '##FORMAT=<ID=AD,Number=1,Type=Integer,Description="Depth of variant-supporting bases (reads2)">'))
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", TRIO)), "--qualify", "all")
    assert result.code == 0, result.err
    assert [(r["sample"], r["ad"], r["allele_fraction"], r["inheritance_flags"], r["confidence"])
            for r in table(result.out)] == [("KID", "10,10", "0.500", "de_novo;AD", "medium;medium"),
                                            ("AUNT", "2,18", "0.900", "AD", "low")]


def test_strelka2_indel_depth_is_read_from_dpi(tmp: Path) -> None:
    """Strelka2 germline writes an indel's depth in FORMAT/DPI ("Read depth associated with indel, taken from the
    site preceding the indel", its header line as in Illumina/strelka's user guide, docs/userGuide/README.md) and
    no DP; its SNVs have DP. The indel's dp was '.', so a call on 4 reads passed the --min-dp gate."""
    header = ('##FORMAT=<ID=GQX,Number=1,Type=Integer,Description="Empirically calibrated genotype quality score for '
              'variant sites, otherwise minimum of {Genotype quality assuming variant position,Genotype quality '
              'assuming non-variant position}">',
              '##FORMAT=<ID=DPI,Number=1,Type=Integer,Description="Read depth associated with indel, taken from the '
              'site preceding the indel">',
              '##FORMAT=<ID=FT,Number=1,Type=String,Description="Sample filter, \'PASS\' indicates that all filters '
              'have passed for this sample">',
              '##FORMAT=<ID=PL,Number=G,Type=Integer,Description="Normalized, Phred-scaled likelihoods for genotypes '
              'as defined in the VCF specification">')
    records = ["chr2 165750000 . AGT A 30 PASS . GT:GQ:GQX:DPI:AD:FT:PL 1/1:30:30:4:0,4:PASS:300,30,0",
               "chr2 165760000 . C T 30 PASS . GT:GQ:GQX:DP:AD:FT:PL 1/1:30:30:40:0,40:PASS:300,30,0"]
    vcf = write_vcf(tmp / "in.vcf", records, extra_header=header)
    result = run_cli(vcf, "--qualify", "all")
    assert result.code == 0, result.err
    assert [(r["pos"], r["dp"], r["inheritance_flags"], r["confidence"]) for r in table(result.out)] == [
        ("165750000", "4", "AR_hom", "low"), ("165760000", "40", "AR_hom", "medium")]


def test_platypus_nr_and_nv_are_read_as_depth_and_allele_depths(tmp: Path) -> None:
    """Platypus writes no AD and no DP: FORMAT/NR (reads covering the site) and NV (reads holding the ALT), declared
    Number=. with one value per ALT (its header lines as in Platypus's vcf header, andyrimmer/Platypus; GEMINI issue
    arq5x/gemini#847 shows such a file). Read as NR - NV, NV they give what the same calls give with AD
    (test_ad_typed_string_is_read_as_counts); they were '.', so every call passed every gate: the father's 2 ALT
    reads left the de novo flag high, UNCLE's call on 5 reads passed --min-dp. UNCLE's NV above NR is not read as
    depths, nor are a multi-allelic record's NV (they give no REF count)."""
    header = ('##FORMAT=<ID=GOF,Number=.,Type=Float,Description="Goodness of fit value">',
              '##FORMAT=<ID=NR,Number=.,Type=Integer,Description="Number of reads covering variant location in this '
              'sample">',
              '##FORMAT=<ID=NV,Number=.,Type=Integer,Description="Number of reads containing variant in this sample">')
    record = "chr8 42450000 . A G 50 PASS . GT:GOF:GQ:NR:NV"
    multiallelic = "chr8 42450010 . A G,T 50 PASS . GT:GOF:GQ:NR:NV"
    vcf = write_vcf(tmp / "in.vcf", [f"{record} 0/1:3:60:20:10 0/0:3:60:32:2 0/0:3:60:20:. 0/1:3:60:20:18 0/1:3:60:5:6",
                                     f"{multiallelic} 0/0:3:60:20,21:0,0 0/0:3:60:20,21:0,0 0/0:3:60:20,21:0,0 "
                                     "1/2:3:60:20,21:9,10 0/0:3:60:20,21:0,0"],
                    samples=("KID", "DAD", "MUM", "AUNT", "UNCLE"), extra_header=header)
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", TRIO)), "--qualify", "all")
    assert result.code == 0, result.err
    assert [(r["pos"], r["alt"], r["sample"], r["dp"], r["ad"], r["allele_fraction"], r["inheritance_flags"],
             r["confidence"]) for r in table(result.out)] == [
        ("42450000", "G", "KID", "20", "10,10", "0.500", "de_novo;AD", "medium;medium"),
        ("42450000", "G", "AUNT", "20", "2,18", "0.900", "AD", "low"),
        ("42450010", "G", "AUNT", "20", ".,.", ".", "AD", "medium"),
        ("42450010", "T", "AUNT", "20", ".,.", ".", "AD", "medium"),
        ("42450000", "G", "UNCLE", "5", ".,.", ".", "AD", "low")]


def test_platypus_nr_of_a_record_split_by_bcftools_norm_is_no_depth(tmp: Path) -> None:
    """NR and NV are Number=. (one value per ALT), so bcftools norm -m- keeps both ALTs' values on each split record:
    the T record's dp was the G's NR (20). Which of them is the record's own cannot be told: dp and ad are '.'."""
    header = ('##FORMAT=<ID=NR,Number=.,Type=Integer,Description="Number of reads covering variant location in this '
              'sample">',
              '##FORMAT=<ID=NV,Number=.,Type=Integer,Description="Number of reads containing variant in this sample">')
    write_vcf(tmp / "multi.vcf", ["chr8 42450010 . A G,T 50 PASS . GT:GQ:NR:NV 1/2:60:20,21:9,10"],
              extra_header=header)
    split = subprocess.run(["bcftools", "norm", "-m-", str(tmp / "multi.vcf")], capture_output=True, text=True,
                           check=True).stdout
    (tmp / "split.vcf").write_text(split)
    result = run_cli(tmp / "split.vcf", "--qualify", "all")
    assert result.code == 0, result.err
    assert [(r["alt"], r["genotype"], r["dp"], r["ad"]) for r in table(result.out)] == [
        ("G", "1/0", ".", ".,."), ("T", "0/1", ".", ".,.")]


def test_allele_depths_a_record_cannot_give_to_its_alleles_are_not_read(tmp: Path) -> None:
    """GATK 3 declared AD Number=. (GATK 4: Number=R); bcftools norm -m- then keeps every allele's depths on each
    split record, so the record of ALT T read its ALT depth from C's value: '1,10' and 0.323 where T has 20 of 31
    reads, a wrong het balance for the gate. Such an AD is not read (a warning says so). A negative count (damaged
    input) gave allele_fraction 2.000; that sample's depths are now missing. Both were read as given before."""
    text = vcf_text(["chr2 165750000 . A C,T 50 PASS . GT:AD:DP:GQ 1/2:1,10,20:31:60 1/1:-5,10,0:10:60"],
                    samples=("S1", "S2")).replace("ID=AD,Number=R", "ID=AD,Number=.")
    (tmp / "multi.vcf").write_text(text)
    split = subprocess.run(["bcftools", "norm", "-m-", str(tmp / "multi.vcf")], capture_output=True, text=True,
                           check=True).stdout
    (tmp / "split.vcf").write_text(split)
    result = run_cli(tmp / "split.vcf", "--qualify", "all")
    assert result.code == 0, result.err
    assert [(r["alt"], r["sample"], r["genotype"], r["ad"], r["allele_fraction"]) for r in table(result.out)] == [
        ("C", "S1", "1/0", ".,.", "."), ("T", "S1", "0/1", ".,.", "."), ("C", "S2", "1/1", ".,.", ".")]
    warnings = [line for line in result.err.splitlines() if "FORMAT/AD" in line]
    assert warnings == [
        "hftc-annot: warning: FORMAT/AD has more values than the record has alleles (a record split by bcftools norm "
        "from a header declaring AD Number=., as GATK 3 did, keeps every allele's depths), so those depths are not "
        "read: ad and allele_fraction are '.', and the allele-balance gate does not apply: 2 times (first at "
        "chr2:165750000)"]
    result = run_cli(tmp / "multi.vcf", "--qualify", "all")
    assert [(r["alt"], r["sample"], r["ad"], r["allele_fraction"]) for r in table(result.out)] == [
        ("C", "S1", "1,10", "0.323"), ("T", "S1", "1,20", "0.645"), ("C", "S2", ".,.", ".")]
    assert "hftc-annot: warning: FORMAT/AD holds a negative read count (damaged input?): that sample's depths are " \
           "read as missing: 1 time (first at chr2:165750000)" in result.err


@pytest.mark.parametrize("kind", ["Integer", "String", "Float"])
def test_a_negative_allele_depth_is_read_alike_whatever_ads_type(tmp: Path, kind: str) -> None:
    """A sample whose AD holds a negative count is read as missing, with a warning, whatever type the header gives AD:
    typed String, the '-5' was read as a missing value and the rest kept ('.,10', allele_fraction 1.000), typed Float
    it was read as it stands ('-5,10', 2.000), both without a warning. A count too large for htslib's Integer (over
    9 digits) is a missing value; typed String it stopped the run with a traceback (int32 overflow)."""
    records = ["chr2 165750000 . A C 50 PASS . GT:AD:DP:GQ 0/1:-5,10:31:60 0/1:5,10:15:60",
               "chr2 165750010 . A C 50 PASS . GT:AD:DP:GQ 0/1:99999999999,10:31:60 0/1:5,10:15:60"]
    text = vcf_text(records if kind == "String" else records[:1], samples=("S1", "S2"))
    vcf = tmp / "in.vcf"
    vcf.write_text(text.replace("ID=AD,Number=R,Type=Integer", f"ID=AD,Number=R,Type={kind}"))
    result = run_cli(vcf, "--qualify", "all")
    assert result.code == 0, result.err
    rows = [(r["pos"], r["sample"], r["ad"], r["allele_fraction"]) for r in table(result.out)]
    large = [("165750010", "S1", ".,10", "1.000")] if kind == "String" else []
    assert rows == [("165750000", "S1", ".,.", "."), *large, ("165750000", "S2", "5,10", "0.667"),
                    *[("165750010", "S2", "5,10", "0.667")] * len(large)]
    assert "hftc-annot: warning: FORMAT/AD holds a negative read count (damaged input?): that sample's depths are " \
           "read as missing: 1 time (first at chr2:165750000)" in result.err


def test_a_flagged_call_without_gq_dp_or_allele_depths_is_a_warning(tmp: Path) -> None:
    """bcftools call writes GT:PL unless -a asks for more (its PL header line as in samtools/bcftools
    test/mpileup.vcf). Missing values fail no gate, so such a call's flag was medium or high
    with no word that the gates had read nothing: the flag stays, and a warning counts the flagged calls the gates
    could not judge. A call with GQ, DP and AD is not counted, nor one whose only value is an AD of 0,0 (it was: its
    allele balance is no number)."""
    header = ('##FORMAT=<ID=PL,Number=G,Type=Integer,Description="List of Phred-scaled genotype likelihoods">',)
    found = []
    for record in ("chr2 165750000 . A G 5 PASS . GT:PL 1/1:30,3,0", f"chr2 165750000 . A G 5 PASS . {FORMAT} {HOM}",
                   "chr2 165750000 . A G 5 PASS . GT:AD 1/1:0,0"):
        vcf = write_vcf(tmp / "in.vcf", [record], extra_header=header)
        result = run_cli(vcf, "--qualify", "all", "-o", tmp / "out.tsv")
        assert result.code == 0, result.err
        found += [(r["gq"], r["inheritance_flags"], r["confidence"]) for r in table((tmp / "out.tsv").read_text())]
        found.append([line for line in result.err.splitlines() if "quality gates" in line])
    assert found == [(".", "AR_hom", "medium"),
                     ["hftc-annot: warning: a flagged call without GQ, DP or allele depths: the quality gates could "
                      "not judge it, so its confidence rests on the genotype, FILTER and FORMAT/FT alone: 1 time "
                      "(first at S1 at chr2:165750000)"],
                     ("60", "AR_hom", "medium"), [], (".", "AR_hom", "medium"), []]


def test_a_fathers_alt_reads_do_not_lower_his_sons_new_x_linked_allele(tmp: Path) -> None:
    """A son's chrX outside the PARs comes from his mother: his father's ALT reads there (3 of 23 behind a haploid 0)
    say nothing about a mosaic parent, so de_novo stays high; the same reads lower a daughter's (PHEX, XLD)."""
    record = "chrX 22050000 . G A 50 PASS . GT:AD:DP:GQ"
    vcf = write_vcf(tmp / "in.vcf", [f"{record} 1:0,20:20:60 0:20,3:23:60 0/0:30,0:30:60"],
                    samples=("KID", "DAD", "MUM"))
    son = ["F1 KID DAD MUM 1 2", "F1 DAD 0 0 1 1", "F1 MUM 0 0 2 1"]
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", son)), "--qualify", "all")
    assert result.code == 0, result.err
    [row] = [r for r in table(result.out) if r["sample"] == "KID"]
    assert (row["inheritance_flags"], row["confidence"], row["evidence"]) == (
        "de_novo;XL", "high;high", "not found in either parent: both parents homozygous reference | hemizygous in a "
        "male (X-linked); mother homozygous reference (de novo?)")
    vcf = write_vcf(tmp / "in.vcf", [f"{record} 0/1:10,10:20:60 0:20,3:23:60 0/0:30,0:30:60"],
                    samples=("KID", "DAD", "MUM"))
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", TRIO)), "--qualify", "all")
    [row] = [r for r in table(result.out) if r["sample"] == "KID"]
    assert (row["inheritance_flags"], row["confidence"]) == ("de_novo;XL", "medium;medium")
    assert "the father's 3 ALT reads behind a reference call (a mosaic parent, or noise?)" in row["evidence"]


def test_ad_inherited_from_affected_or_unaffected_parent(tmp: Path) -> None:
    record = "chr8 42450000 . A G 50 PASS . GT:AD:DP:GQ"
    affected_mum = ["F1 KID DAD MUM 2 2", "F1 DAD 0 0 1 1", "F1 MUM 0 0 2 2"]
    found = flags(tmp, [f"{record} {HET} {REF} {HET}"], ("KID", "DAD", "MUM"), affected_mum)
    assert found[("42450000", "KID")] == ("AD", "high", ".", ".")
    shallow = flags(tmp, [f"{record} {HET} {REF} 0/1:2,2:4:8"], ("KID", "DAD", "MUM"), affected_mum)
    assert shallow[("42450000", "KID")] == ("AD", "medium", ".", ".")
    unaffected = flags(tmp, [f"{record} {HET} {REF} {HET}"], ("KID", "DAD", "MUM"), TRIO)
    assert unaffected[("42450000", "KID")] == ("AD", "low", ".", ".")
    assert flags(tmp, [f"{record} {HET}"], ("S1",)) == {("42450000", "S1"): ("AD", "medium", ".", ".")}


def test_x_linked_male_and_female(tmp: Path) -> None:
    record = "chrX 22050000 . G A 50 PASS . GT:AD:DP:GQ"
    sexes = ["F1 BOY 0 0 1 2", "F2 GIRL 0 0 2 2"]
    found = flags(tmp, [f"{record} 1:0,20:20:60 {HET}"], ("BOY", "GIRL"), sexes)
    assert found == {("22050000", "BOY"): ("XL", "high", ".", "."), ("22050000", "GIRL"): ("XL", "medium", ".", ".")}


def test_female_with_a_haploid_call_on_x_is_a_warning(tmp: Path) -> None:
    """A PED female with a haploid chrX call was 'heterozygous female in an X-linked dominant gene' (medium), without
    the warning a PED male with a diploid call gets."""
    vcf = write_vcf(tmp / "in.vcf", [f"chrX 22050000 . G A 50 PASS . {FORMAT} 1:0,20:20:60"], samples=("GIRL",))
    result = run_cli(vcf, "--qualify", "all", "--ped", ped(tmp / "p.ped", ["F1 GIRL 0 0 2 2"]))
    assert result.code == 0, result.err
    row = table(result.out)[0]
    assert (row["inheritance_flags"], row["confidence"], row["evidence"]) == (
        "XL", "low", "haploid call in a female on chrX outside the pseudo-autosomal regions (sex or call error?)")
    assert "haploid call in a female on chrX outside the pseudo-autosomal regions (sex or call error?): 1 time " \
           "(first at GIRL at chrX:22050000)" in result.err


def test_male_heterozygous_on_x_is_a_warning(tmp: Path) -> None:
    vcf = write_vcf(tmp / "in.vcf", [f"chrX 22050000 . G A 50 PASS . {FORMAT} {HET}"], samples=("BOY",))
    result = run_cli(vcf, "--qualify", "all", "--ped", ped(tmp / "p.ped", ["F1 BOY 0 0 1 2"]))
    assert "heterozygous call in a male on chrX outside the pseudo-autosomal regions (sex or call error?): 1 time " \
           "(first at BOY at chrX:22050000)" in result.err


def test_max_af_min_impact_and_mode_override(tmp: Path) -> None:
    common = "chr2 165750000 . A G 50 PASS gnomAD_AF=0.2"
    records = [f"{common} {FORMAT} {HOM}"]
    header = ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD allele frequency">',)
    vcf = write_vcf(tmp / "in.vcf", records, extra_header=header)
    assert table(run_cli(vcf, "--qualify", "all").out)[0]["inheritance_flags"] == "AR_hom"
    assert table(run_cli(vcf, "--qualify", "all", "--max-af", "0.01").out)[0]["inheritance_flags"] == "."
    intronic = run_cli(vcf, "--qualify", "all", "--min-impact", "HIGH")
    assert table(intronic.out)[0]["inheritance_flags"] == "."
    overridden = run_cli(vcf, "--qualify", "all", "--inheritance", "GALNT3=AD")
    assert table(overridden.out)[0]["inheritance_flags"] == "AD"


def test_inheritance_option_takes_several_modes_and_refuses_a_gene_twice(tmp: Path) -> None:
    """GENE=AR,AD was refused (the option's value was cut at its commas), and a gene given twice silently kept its
    last modes."""
    vcf = write_vcf(tmp / "in.vcf", [f"chr2 165750000 . A G 50 PASS . {FORMAT} {HOM}"])
    both = run_cli(vcf, "--qualify", "all", "--inheritance", "galnt3=ar,AD,FGF23=AD")
    assert both.code == 0, both.err
    assert table(both.out)[0]["inheritance_flags"] == "AR_hom;AD"
    assert "inheritance modes GALNT3=AR,AD FGF23=AD\n" in both.out
    expected = {
        ("--inheritance", "GALNT3=AR", "--inheritance", "GALNT3=AD"):
            "--inheritance: GALNT3 is given twice; give all its modes once (GALNT3=AR,AD)",
        ("--inheritance", "GALNT3=AR", "--genes", "FGF23"):
            "--inheritance GALNT3=AR: GALNT3 is not among this run's 1 panel genes (--genes, --shard and --panel "
            "choose them)",
        ("--inheritance", "GALNT3=XL"):
            "--inheritance GALNT3=XL: expected GENE=MODE, modes from AR, AD, XLD, XLR (several comma-separated: "
            "GENE=AR,AD)",
    }
    for args, message in expected.items():
        result = run_cli(vcf, *args, "-o", tmp / "out.tsv")
        assert (result.code, result.err) == (2, f"hftc-annot: error: {message}\n")
        assert not (tmp / "out.tsv").exists()


def test_affected_option_and_unaffected_samples(tmp: Path) -> None:
    records = [f"{A} {FORMAT} {HOM} {HOM}"]
    ped_lines = ["F1 S1 0 0 0 1", "F2 S2 0 0 0 0"]
    found = flags(tmp, records, ("S1", "S2"), ped_lines)
    assert list(found) == [("165750000", "S2")]  # S1 is unaffected
    found = flags(tmp, records, ("S1", "S2"), ped_lines, "--affected", "S1")
    assert set(found) == {("165750000", "S1"), ("165750000", "S2")}


def test_evidence_segregation_vcf_and_summary(tmp: Path) -> None:
    vcf = write_vcf(tmp / "in.vcf", [f"{B} {FORMAT} {HET} {HET} {REF}", f"{C} {FORMAT} {HET} {REF} {HET}"],
                    samples=("KID", "DAD", "MUM"))
    family = ped(tmp / "fam.ped", TRIO)
    result = run_cli(vcf, "--qualify", "all", "--ped", family, "--summary", tmp / "summary.tsv")
    row = next(r for r in table(result.out) if r["pos"] == "165760000" and r["sample"] == "KID")
    assert row["evidence"] == ("two heterozygous variants in GALNT3 (c.839-430G>A, c.572C>T), in trans: "
                               "one from each parent")
    assert row["segregation"] == "KID (affected): het; DAD (unaffected): het; MUM (unaffected): ref"
    lines = [line for line in (tmp / "summary.tsv").read_text().splitlines() if not line.startswith("## ")]
    assert lines == ["sample\tgene\tcandidate\tconfidence\ttier\tvariants\tother_candidates\tevidence\t"
                     "interpretation",
                     "KID\tGALNT3\tbiallelic (compound heterozygous, parental trans)\thigh\t.\t"
                     "c.839-430G>A, c.572C>T\t0\ttwo heterozygous variants in GALNT3 (c.839-430G>A, c.572C>T), in "
                     "trans: one from each parent\tconsistent with Tumoral calcinosis, hyperphosphatemic, "
                     "familial, 1 [OMIM:211900] (AR) if c.572C>T changes the protein (not computed)"]
    out_vcf = run_cli(vcf, "--qualify", "all", "--ped", family, "--format", "vcf").out
    body = [line.split("\t") for line in out_vcf.splitlines() if not line.startswith("#")]
    assert body[0][7].endswith("HFTC_INHERITANCE=AR_comphet")
    assert body[0][8].endswith(":HFTC_FLAGS") and body[0][9].endswith(":AR_comphet/high/CH1")
    assert body[0][10].endswith(":.")


def test_summary_table_and_json_name_the_assessed_samples_without_a_candidate(tmp: Path) -> None:
    """Two affected sibs and an unaffected parent: SIB1 is homozygous, SIB2 carries nothing; the parent is evidence
    only (not assessed). The HTML report named SIB2; the --summary table and the JSON did not."""
    vcf = write_vcf(tmp / "in.vcf", [f"{A} {FORMAT} {HOM} {REF} {HET}"], samples=("SIB1", "SIB2", "DAD"))
    family = ped(tmp / "fam.ped", ["F1 SIB1 DAD 0 1 2", "F1 SIB2 DAD 0 2 2", "F1 DAD 0 0 1 1"])
    result = run_cli(vcf, "--qualify", "all", "--ped", family, "--summary", tmp / "summary.tsv", "-o",
                     tmp / "out.json", "-q")
    assert result.code == 0, result.err
    preamble = [line for line in (tmp / "summary.tsv").read_text().splitlines() if line.startswith("## without")]
    assert preamble == ["## without_candidates: 1 of 2 samples assessed (affected or of unknown status): SIB2"]
    document = json.loads((tmp / "out.json").read_text())
    assert [line["sample"] for line in document["summary"]] == ["SIB1"]
    assert document["without_candidates"] == ["SIB2"]


@pytest.mark.parametrize(("lines", "message"), [
    (["F1 KID DAD"], "line 1: a PED line needs 6 columns"),
    (["F1 KID 0 0 1 2", "F1 KID 0 0 1 2"], "line 2: individual 'KID' is listed twice"),
    (["F1 KID KID 0 1 2"], "line 1: individual 'KID' is listed as its own parent"),
    (["F1 KID DAD MUM 1 2", "F1 DAD 0 0 2 1", "F1 MUM 0 0 2 1"], "'DAD' is the father of 'KID' but has sex female"),
    (["F1 A B 0 1 1", "F1 B A 0 1 1"], "pedigree loop"),
    (["F1 KID 0 0 3 2"], "line 1: sex '3' must be 1/male/M, 2/female/F or 0/-9/-1/unknown/other/NA"),
    (["F1 KID 0 0 1 sick"], "line 1: phenotype 'sick' must be 2/affected, 1/unaffected or 0/-9/unknown/missing/NA"),
    (["F1 KID 0 0 1 5"], "line 1: phenotype '5' looks quantitative: quantitative phenotypes are not supported"),
])
def test_bad_ped(tmp: Path, lines: list[str], message: str) -> None:
    vcf = write_vcf(tmp / "in.vcf", [f"{A} {FORMAT} {HOM}"], samples=("KID",))
    result = run_cli(vcf, "--ped", ped(tmp / "bad.ped", lines), "-o", tmp / "out.tsv")
    assert result.code == 2 and message in result.err and result.err.count("\n") == 1, result.err
    assert not (tmp / "out.tsv").exists()


def test_ped_and_vcf_sample_mismatches_are_warnings(tmp: Path) -> None:
    vcf = write_vcf(tmp / "in.vcf", [f"{A} {FORMAT} {HOM} {HOM}"], samples=("KID", "OTHER"))
    result = run_cli(vcf, "--qualify", "all", "--ped", ped(tmp / "fam.ped", TRIO))
    assert result.code == 0
    assert "2 PED individual(s) are not in the VCF and count as not genotyped: DAD, MUM" in result.err
    assert "1 VCF sample(s) are not in the PED and count as unrelated, of unknown status: OTHER" in result.err
    bad = run_cli(vcf, "--affected", "NOBODY")
    assert (bad.code, bad.err) == (2, f"hftc-annot: error: --affected: 'NOBODY' is not a sample of {vcf} (names are "
                                      "case-sensitive)\n")
    left_out = run_cli(vcf, "--samples", "KID", "--affected", "OTHER", "--ped", tmp / "fam.ped")
    assert (left_out.code, left_out.err) == (2, "hftc-annot: error: --affected: 'OTHER' is not among the samples read "
                                                f"from {vcf} (--samples) nor in the PED (names are case-sensitive)\n")


def test_many_heterozygous_alleles_do_not_explode_into_pairs(tmp: Path) -> None:
    records = [f"chr2 {165750000 + 10 * i} . A G 50 PASS . {FORMAT} {HET}" for i in range(21)]
    vcf = write_vcf(tmp / "in.vcf", records)
    result = run_cli(vcf, "--qualify", "all")
    assert {r["inheritance_flags"] for r in table(result.out)} == {"."}
    assert ("more than 20 heterozygous alleles in one gene: compound-het pairs not listed (narrow with "
            "--min-impact or --max-af): 1 time (first at S1 in GALNT3)") in result.err
    few = run_cli(write_vcf(tmp / "few.vcf", records[:20]), "--qualify", "all")
    assert {r["inheritance_flags"] for r in table(few.out)} == {"AR_comphet(19 pairs)"}
    assert {r["comphet_pair_id"].count(",") + 1 for r in table(few.out)} == {19}


def test_each_parent_genotyped_at_a_different_variant(tmp: Path) -> None:
    """Mother missing at one site, father missing at the other: still one from each parent."""
    found = flags(tmp, [f"{B} {FORMAT} {HET} {MISS} {HET}", f"{C} {FORMAT} {HET} {HET} {MISS}"],
                  ("KID", "DAD", "MUM"), TRIO)
    assert found[("165760000", "KID")] == ("AR_comphet", "medium", "parental_trans", "CH1")


def test_a_duplicated_record_is_not_a_compound_het_with_itself(tmp: Path) -> None:
    """The same allele written twice (two callers' files joined, overlapping chunks) is one allele called twice."""
    assert flags(tmp, [f"{B} {FORMAT} {HET}", f"{B} {FORMAT} {HET}"], ("S1",)) == {}
    found = flags(tmp, [f"{B} {FORMAT} {HET}", f"{B} {FORMAT} {HET}", f"{C} {FORMAT} {HET}"], ("S1",))
    assert found == {("165760000", "S1"): ("AR_comphet", "low", "unphased", "CH1"),
                     ("165765000", "S1"): ("AR_comphet", "low", "unphased", "CH1")}


def test_a_call_its_caller_filtered_in_format_ft_is_low(tmp: Path) -> None:
    """FORMAT/FT (Strelka2, DRAGEN, GATK --genotype-filter-expression) failing a sample's call is a failed gate."""
    fmt, header = "GT:AD:DP:GQ:FT", ('##FORMAT=<ID=FT,Number=1,Type=String,Description="Sample filter">',)
    records = [f"{A} {fmt} 1/1:0,20:20:60:{kid} 0/1:10,10:20:60:PASS 0/1:10,10:20:60:."
               for kid in ("LowGQX;LowDepth", "PASS")]
    found = []
    for record in records:
        vcf = write_vcf(tmp / "in.vcf", [record], samples=("KID", "DAD", "MUM"), extra_header=header)
        result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", TRIO)), "--qualify", "all")
        assert result.code == 0, result.err
        found += [(r["inheritance_flags"], r["confidence"], r["evidence"]) for r in table(result.out)
                  if r["sample"] == "KID"]
    carriers = "homozygous; both parents heterozygous carriers"
    assert found == [("AR_hom", "low", f"{carriers}; genotype below the quality gates"), ("AR_hom", "high", carriers)]


def test_de_novo_in_a_gene_whose_dominant_disorder_needs_particular_variants_is_low(tmp: Path) -> None:
    """A new ClinVar P/LP allele of ENPP1's recessive disorder (ENPP1's dominant Cole disease needs particular
    missense variants) is no tier-1 de novo finding: low like its AD flag, with the caveat; SLC20A2's stays high."""
    vcf = write_vcf(tmp / "in.vcf", [f"chr6 131860504 . C A 50 PASS . {FORMAT} {HET} {REF} {REF}",
                                     f"chr8 42428829 . C T 50 PASS . {FORMAT} {HET} {REF} {REF}"],
                    samples=("KID", "DAD", "MUM"))
    result = run_cli(vcf, "--ped", ped(tmp / "fam.ped", TRIO), "--summary", tmp / "summary.tsv")
    assert result.code == 0, result.err
    lines = [line.split("\t")[:5] for line in (tmp / "summary.tsv").read_text().splitlines()
             if not line.startswith("## ")][1:]
    assert lines == [["KID", "SLC20A2", "de novo", "high", "1"],
                     ["KID", "SLC20A2", "heterozygous in an autosomal dominant gene", "high", "1"],
                     ["KID", "ENPP1", "de novo", "low", "2"],
                     ["KID", "ENPP1", "heterozygous in an autosomal dominant gene", "low", "2"],
                     ["KID", "ENPP1", "one known disease allele in a recessive gene, no second found", "low", "2"]]
    row = next(r for r in table(result.out) if r["gene"] == "ENPP1" and r["sample"] == "KID")
    assert (row["inheritance_flags"], row["confidence"], row["evidence_tier"]) == ("de_novo;AD", "low;low", "2")
    assert row["evidence"].split(" | ")[0] == (
        "not found in either parent: both parents homozygous reference; not every variant causes ENPP1's dominant "
        "disorder (Cole disease [OMIM:615522]): review")


def test_a_dominant_or_x_linked_flag_low_for_quality_says_so(tmp: Path) -> None:
    """The low confidence of an AD or XL flag on a call below the gates is explained in its evidence, as AR_hom's,
    AR_comphet's and de_novo's are."""
    low = "0/1:10,10:20:5"
    vcf = write_vcf(tmp / "in.vcf", [f"chr8 42428829 . C T 50 PASS . {FORMAT} {low}",
                                     f"chrX 22033063 . C T 50 PASS . {FORMAT} 1:0,20:20:5"], samples=("S1",))
    result = run_cli(vcf, "--ped", ped(tmp / "fam.ped", ["F1 S1 0 0 1 2"]), "--summary", tmp / "summary.tsv")
    assert result.code == 0, result.err
    lines = [line.split("\t")[1:8:6] + line.split("\t")[3:4] for line in (tmp / "summary.tsv").read_text()
             .splitlines() if not line.startswith("## ")][1:]
    assert lines == [
        ["SLC20A2", "heterozygous in an autosomal dominant gene; no parental genotypes; genotype below the quality "
                    "gates", "low"],
        ["PHEX", "hemizygous in a male (X-linked); genotype below the quality gates", "low"]]


def test_a_pair_of_unknown_phase_never_makes_tier_1_even_at_medium_confidence(tmp: Path) -> None:
    """One variant from the mother, the other in neither parent (de novo?): a medium unphased pair, whose trans is
    only a possibility, is not a genotype pattern that fits (tier 2, not 1), in the rows and the summary."""
    vcf = write_vcf(tmp / "in.vcf", [f"chr2 165754626 . C T 50 PASS . {FORMAT} {HET} {REF} {HET}",
                                     f"chr2 165770217 . G A 50 PASS . {FORMAT} {HET} {REF} {REF}"],
                    samples=("KID", "DAD", "MUM"))
    result = run_cli(vcf, "--ped", ped(tmp / "fam.ped", TRIO), "--summary", tmp / "summary.tsv")
    assert result.code == 0, result.err
    kid = [(r["pos"], r["confidence"], r["phase_evidence"], r["evidence_tier"], r["tier_reasons"])
           for r in table(result.out) if r["sample"] == "KID"]
    assert kid == [("165754626", "medium", "unphased", "2", "known P/LP in ClinVar (>=2 stars)"),
                   ("165770217", "medium", "unphased", "2", "known P/LP in ClinVar (>=2 stars)")]
    lines = [line.split("\t")[2:6] for line in (tmp / "summary.tsv").read_text().splitlines()
             if not line.startswith("## ")][1:]
    assert lines == [["biallelic (compound heterozygous, unphased)", "medium", "2", "c.1626+1G>A, c.484C>T"]]


def test_a_homozygous_call_in_a_dominant_gene_is_not_called_heterozygous_in_the_summary(tmp: Path) -> None:
    vcf = write_vcf(tmp / "in.vcf", [f"chr8 42428829 . C T 50 PASS . {FORMAT} {HOM}"], samples=("S1",))
    result = run_cli(vcf, "--summary", tmp / "summary.tsv", "--report", tmp / "report.html")
    assert result.code == 0, result.err
    lines = [line.split("\t")[2:4] for line in (tmp / "summary.tsv").read_text().splitlines()
             if not line.startswith("## ")][1:]
    assert lines == [["homozygous in an autosomal dominant gene", "medium"]]
    html = (tmp / "report.html").read_text()
    assert "heterozygous in an autosomal dominant gene" not in html
    assert html.count("homozygous in an autosomal dominant gene") == 4  # summary, its evidence, finding, evidence


def test_a_de_novo_allele_in_an_ar_ad_gene_is_held_to_the_dominant_frequency_limit(tmp: Path) -> None:
    """README: a de novo allele fits AD, XLD and XLR only, so in FGF23 (AR/AD) one at 0.5% is no de_novo (nor AD)
    finding; at 0.05% it is."""
    header = ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="population frequency">',)
    found = {}
    for af in ("0.005", "0.0005"):
        vcf = write_vcf(tmp / "in.vcf", [f"chr12 4370714 . A G 50 PASS gnomAD_AF={af} {FORMAT} {HET} {REF} {REF}"],
                        samples=("KID", "DAD", "MUM"), extra_header=header)
        result = run_cli(vcf, "--ped", ped(tmp / "fam.ped", TRIO))
        assert result.code == 0, result.err
        found[af] = next(r["inheritance_flags"] for r in table(result.out) if r["sample"] == "KID")
    assert found == {"0.005": ".", "0.0005": "de_novo;AD"}


def test_one_known_disease_allele_in_a_recessive_gene_is_a_summary_line_not_a_row_flag(tmp: Path) -> None:
    """An affected singleton heterozygous for a ClinVar P/LP GALNT3 allele, with no second: a low summary line
    that asks for the missed second allele; the row keeps no flag (one allele does not fit AR). Not for an
    unaffected sample, nor above the AR frequency limit (1%), nor with a second qualifying allele (a pair)."""
    known = "chr2 165754626 . C T 50 PASS"
    summary = tmp / "summary.tsv"

    def lines(records: list[str], status: int = 2, flag: str = ".") -> list[list[str]]:
        vcf = write_vcf(tmp / "in.vcf", records, extra_header=(
            '##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD AF">',))
        result = run_cli(vcf, "--ped", ped(tmp / "fam.ped", [f"F1 S1 0 0 1 {status}"]), "--summary", summary)
        assert result.code == 0, result.err
        row = next(r for r in table(result.out) if r["pos"] == "165754626")
        assert (row["clinvar_significance"], row["inheritance_flags"], row["evidence_tier"]) == (
            "Pathogenic", flag, "2")
        return [line.split("\t")[1:] for line in summary.read_text().splitlines() if not line.startswith("## ")][1:]

    assert lines([f"{known} . {FORMAT} {HET}"]) == [[
        "GALNT3", "one known disease allele in a recessive gene, no second found", "low", "2", "c.1626+1G>A", "0",
        "heterozygous known disease allele (ClinVar P/LP or curated HFTC); no biallelic genotype found in GALNT3",
        "Tumoral calcinosis, hyperphosphatemic, familial, 1 [OMIM:211900] (AR): needs a second allele; look for one "
        "this VCF may miss (a deletion, a deep-intronic variant); without one, a carrier"]]
    assert lines([f"{known} . {FORMAT} {HET}"], status=1) == []
    assert lines([f"{known} gnomAD_AF=0.02 {FORMAT} {HET}"]) == []
    assert [line[1] for line in lines([f"{known} gnomAD_AF=0.01 {FORMAT} {HET}"])] == [
        "one known disease allele in a recessive gene, no second found"]
    second = "chr2 165754927 . C G 50 PASS . " + f"{FORMAT} {HET}"  # not the P/LP change there: a novel allele
    assert [line[1] for line in lines([f"{known} . {FORMAT} {HET}", second], flag="AR_comphet")] == [
        "biallelic (compound heterozygous, unphased)"]


def test_mother_son_duo_gives_a_new_hemizygous_x_allele_as_de_novo(tmp: Path) -> None:
    """A son's PHEX allele (chrX outside the PARs) that his genotyped mother does not carry, with no father in the
    VCF: de novo, high (it was only X-linked, with no de novo line); a daughter's needs both parents."""
    record = f"chrX 22033063 . C T 50 PASS . {FORMAT} 1:0,20:20:60 {REF}"
    vcf = write_vcf(tmp / "in.vcf", [record], samples=("SON", "MUM"))
    result = run_cli(vcf, "--ped", ped(tmp / "fam.ped", ["F1 SON DAD MUM 1 2", "F1 MUM 0 0 2 1"]),
                     "--summary", tmp / "summary.tsv")
    assert result.code == 0, result.err
    lines = [line.split("\t")[1:5] + line.split("\t")[7:8] for line in (tmp / "summary.tsv").read_text()
             .splitlines() if not line.startswith("## ")][1:]
    assert lines[0] == ["PHEX", "de novo", "high", "1", "not found in the mother: the mother homozygous reference; "
                        "the father not genotyped (a son's X is his mother's)"]
    assert [line[1] for line in lines] == ["de novo", "X-linked"]
    daughter = write_vcf(tmp / "d.vcf", [f"chrX 22033063 . C T 50 PASS . {FORMAT} {HET} {REF}"],
                         samples=("GIRL", "MUM"))
    result = run_cli(daughter, "--ped", ped(tmp / "girl.ped", ["F1 GIRL DAD MUM 2 2", "F1 MUM 0 0 2 1"]),
                     "--summary", tmp / "summary.tsv")
    assert result.code == 0, result.err
    assert [line.split("\t")[2] for line in (tmp / "summary.tsv").read_text().splitlines()
            if not line.startswith("## ")][1:] == ["X-linked"]


def test_of_equal_pairs_the_summary_shows_one_whose_calls_pass_the_quality_gates(tmp: Path) -> None:
    """A singleton with three heterozygous GALNT3 alleles, the first a LowQual call (GQ 5, DP 8): its three pairs
    are all low and tier 2 (unphased), so the line showed the first found, resting on the failed call, and named
    it 'a genotype is below the quality gates' while a pair of two good calls was among the 'others'."""
    vcf = write_vcf(tmp / "in.vcf", [f"chr2 165749825 . G A 30 LowQual . {FORMAT} 0/1:5,3:8:5",
                                     f"chr2 165759516 . TA T 50 PASS . {FORMAT} {HET}",
                                     f"chr2 165770217 . G A 50 PASS . {FORMAT} {HET}"], samples=("S1",))
    result = run_cli(vcf, "--summary", tmp / "summary.tsv")
    assert result.code == 0, result.err
    lines = [line.split("\t")[2:] for line in (tmp / "summary.tsv").read_text().splitlines()
             if not line.startswith("## ")][1:]
    assert lines == [["biallelic (compound heterozygous, unphased)", "low", "2", "chr2:165759516 TA>T, c.484C>T",
                      "2", "two heterozygous variants in GALNT3 (chr2:165759516 TA>T, c.484C>T), phase unknown (no "
                      "parental genotypes)", "consistent with Tumoral calcinosis, hyperphosphatemic, familial, 1 "
                      "[OMIM:211900] (AR) if the two variants are in trans"]]
    rows = {r["pos"]: (r["comphet_pair_id"], r["evidence"]) for r in table(result.out)}
    assert rows["165759516"] == ("CH3,CH1", "two heterozygous variants in GALNT3 (chr2:165759516 TA>T, c.484C>T), "
                                 "phase unknown (no parental genotypes) (and 1 other candidate pair)")


def test_maternal_half_siblings_count_on_chrx_as_full_siblings_do(tmp: Path) -> None:
    """Outside the PARs a maternal half-sibling shares the mother's X as a full sibling does: an unaffected maternal
    half-brother hemizygous for a son's allele lowers his XL flag, and an affected maternal half-sister sharing a new
    allele names the mother's germline mosaicism; both were left out as half siblings. A paternal half-brother (the
    father's Y, not his X) still does not count, nor does a maternal half-sibling on an autosome."""
    record = "chrX 22050000 . G A 50 PASS . GT:AD:DP:GQ"
    family = ["F1 KID DAD MUM 1 2", "F1 DAD 0 0 1 1", "F1 MUM 0 0 2 1", "F1 HB STEP MUM 1 1", "F1 PHB DAD EX 1 1"]
    vcf = write_vcf(tmp / "in.vcf", [f"{record} 1:0,20:20:60 0:20,0:20:60 {HET} 1:0,20:20:60 1:0,20:20:60"],
                    samples=("KID", "DAD", "MUM", "HB", "PHB"))
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", family)), "--qualify", "all")
    assert result.code == 0, result.err
    [kid] = [(r["inheritance_flags"], r["confidence"], r["evidence"]) for r in table(result.out)
             if r["sample"] == "KID"]
    assert kid == ("XL", "low", "hemizygous in a male (X-linked); unaffected mother is heterozygous for it (reduced "
                                "penetrance?); unaffected maternal half-brother HB is hemizygous for it")

    family = ["F1 KID DAD MUM 1 2", "F1 DAD 0 0 1 1", "F1 MUM 0 0 2 1", "F1 HS STEP MUM 2 2"]
    vcf = write_vcf(tmp / "in.vcf", [f"{record} 1:0,20:20:60 0:20,0:20:60 {REF} {HET}"],
                    samples=("KID", "DAD", "MUM", "HS"))
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", family)), "--qualify", "all")
    assert result.code == 0, result.err
    [kid] = [r["evidence"].split(" | ")[0] for r in table(result.out) if r["sample"] == "KID"]
    assert kid == ("not found in either parent: both parents homozygous reference; also carried by the affected "
                   "maternal half-sister HS: the mother may carry it in the germline (mosaic), which raises the "
                   "recurrence risk")

    record = "chr8 42450000 . A G 50 PASS . GT:AD:DP:GQ"
    family = [*TRIO, "F1 HB STEP MUM 1 1"]
    vcf = write_vcf(tmp / "in.vcf", [f"{record} {HET} {REF} {REF} {HET}"], samples=("KID", "DAD", "MUM", "HB"))
    result = run_cli(vcf, "--ped", str(ped(tmp / "fam.ped", family)), "--qualify", "all")
    [kid] = [(r["inheritance_flags"], r["confidence"]) for r in table(result.out) if r["sample"] == "KID"]
    assert kid == ("de_novo;AD", "high;high")


def test_a_candidate_resting_on_an_allele_of_unknown_protein_effect_says_so(tmp: Path) -> None:
    """Without a reference a coding SNV's protein effect is unknown (it may be synonymous): 'consistent with' was said
    of it as of a stop, and only the report's banner said effects were not computed. A known disease allele (c.484C>T,
    ClinVar P/LP) needs no such condition."""
    vcf = write_vcf(tmp / "in.vcf", [f"chr2 165749830 . G A 50 PASS . {FORMAT} {HOM}",
                                     f"chr2 165770217 . G A 50 PASS . {FORMAT} {REF}"], samples=("S1",))
    pair = write_vcf(tmp / "pair.vcf", [f"chr2 165749830 . G A 50 PASS . {FORMAT} {HET}",
                                        f"chr2 165770217 . G A 50 PASS . {FORMAT} {HET}"], samples=("S1",))
    found = []
    for given in (vcf, pair):
        result = run_cli(given, "--summary", tmp / "summary.tsv")
        assert result.code == 0, result.err
        found += [line.split("\t")[5::3] for line in (tmp / "summary.tsv").read_text().splitlines()
                  if not line.startswith("## ")][1:]
    disorder = "consistent with Tumoral calcinosis, hyperphosphatemic, familial, 1 [OMIM:211900] (AR)"
    assert found == [["c.1691C>T", f"{disorder} if c.1691C>T changes the protein (not computed)"],
                     ["c.1691C>T, c.484C>T", f"{disorder} if the two variants are in trans and c.1691C>T changes the "
                                             "protein (not computed)"]]
