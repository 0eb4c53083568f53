"""Issue 11: one genotype vocabulary for the report and the inheritance rules. A partial call (1/.) carries the
ALT: `partial` in the zygosity column and in the segregation text, and a parent's partial call is evidence that
the parent carries the allele.

All genotypes are made up; positions are intronic GALNT3 (AR) and SLC20A2 (AD) positions, so the runs use
--qualify all (intronic alleles do not take part in flags by default).
"""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, table, write_vcf

FORMAT = "GT:AD:DP:GQ"
HET, REF, PARTIAL = "0/1:10,10:20:60", "0/0:20,0:20:60", "./1:.,10:10:60"
TRIO = ["F1 KID DAD MUM 2 2", "F1 DAD 0 0 1 1", "F1 MUM 0 0 2 1"]


def rows(tmp: Path, records: list[str]) -> dict[tuple[str, str], dict[str, str]]:
    vcf = write_vcf(tmp / "in.vcf", records, samples=("KID", "DAD", "MUM"))
    (tmp / "fam.ped").write_text("\n".join("\t".join(line.split()) for line in TRIO) + "\n")
    result = run_cli(vcf, "--ped", str(tmp / "fam.ped"), "--qualify", "all")
    assert result.code == 0, result.err
    return {(r["pos"], r["sample"]): r for r in table(result.out)}


def test_a_mothers_partial_call_is_carried_in_the_segregation_text_and_the_ad_rule(tmp: Path) -> None:
    found = rows(tmp, [f"chr8 42450000 . A G 50 PASS . {FORMAT} {HET} {REF} {PARTIAL}"])
    kid, mum = found[("42450000", "KID")], found[("42450000", "MUM")]
    assert (mum["genotype"], mum["zygosity"]) == ("./1", "partial")
    assert kid["segregation"] == "KID (affected): het; DAD (unaffected): ref; MUM (unaffected): partial"
    # her call (./1 with AD .,10) fails the allele-balance gate, so it lowers to medium only (issue 13)
    assert (kid["inheritance_flags"], kid["confidence"]) == ("AD", "medium")
    assert kid["evidence"] == ("heterozygous in an autosomal dominant gene; also carried by the unaffected mother "
                               "(reduced penetrance?) (a call below the quality gates)")


def test_a_fathers_partial_call_phases_a_compound_heterozygote(tmp: Path) -> None:
    found = rows(tmp, [f"chr2 165760000 . C T 50 PASS . {FORMAT} {HET} {PARTIAL} {REF}",
                       f"chr2 165765000 . G A 50 PASS . {FORMAT} {HET} {REF} {HET}"])
    kid = found[("165760000", "KID")]
    assert (kid["inheritance_flags"], kid["confidence"], kid["phase_evidence"], kid["comphet_pair_id"]) == (
        "AR_comphet", "high", "parental_trans", "CH1")
    assert kid["segregation"] == "KID (affected): het; DAD (unaffected): partial; MUM (unaffected): ref"


def test_the_samples_own_partial_call(tmp: Path) -> None:
    found = rows(tmp, [f"chr2 165760000 . C T 50 PASS . {FORMAT} {PARTIAL} {HET} {REF}",
                       f"chr2 165765000 . G A 50 PASS . {FORMAT} {HET} {REF} {HET}"])
    kid = found[("165760000", "KID")]
    assert (kid["zygosity"], kid["segregation"]) == (
        "partial", "KID (affected): partial; DAD (unaffected): het; MUM (unaffected): ref")
    assert (kid["inheritance_flags"], kid["phase_evidence"], kid["comphet_pair_id"]) == (
        "AR_comphet", "parental_trans", "CH1")
