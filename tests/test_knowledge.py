"""Knowledge: ClinVar snapshot matches are exact on the allele; other alleles at a known position or codon are
named as such; curated HFTC variants keep their confidence."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli, table, write_vcf

EXAMPLES = Path(__file__).resolve().parents[1] / "example_vcfs"

AF_HEADER = ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD allele frequency">',)


def rows(tmp: Path, records: list[str], **kwargs) -> list[dict[str, str]]:
    result = run_cli(write_vcf(tmp / "in.vcf", records, extra_header=AF_HEADER, **kwargs))
    assert result.code == 0, result.err
    return table(result.out)


def test_exact_match_other_allele_and_same_codon(tmp: Path) -> None:
    found = rows(tmp, ["chr2 165754626 . C T 50 PASS . GT 0/1", "chr2 165754626 . C A 50 PASS . GT 0/1",
                       "chr2 165770216 . C A 50 PASS . GT 0/1"])
    exact, other, codon = found
    assert (exact["clinvar_id"], exact["clinvar_significance"], exact["clinvar_stars"], exact["clinvar_nearby"]) == (
        "7801", "Pathogenic", "2", ".")
    assert (other["clinvar_id"], other["clinvar_nearby"]) == (
        ".", "same position as ClinVar 7801 (Pathogenic, C>T); not this allele")
    assert (codon["hgvs_c"], codon["clinvar_id"], codon["clinvar_nearby"]) == (
        "NM_004482.4:c.485G>T", ".", "same codon (162) as ClinVar 7792 (Pathogenic); not this allele")


def test_curated_hftc_variants_keep_their_confidence(tmp: Path) -> None:
    found = rows(tmp, ["chr2 165770217 . G A 50 PASS . GT 1/1", "chr12 4370628 . G T 50 PASS . GT 1/1"])
    assert found[0]["known_hftc_variant"] == "c.484C>T p.(Arg162Ter) [confidence: medium-low]"
    assert "Topaz O et al. 2004" in found[0]["known_hftc_reference"]
    assert found[1]["hgvs_c"] == "NM_020638.3:c.471C>A"
    assert found[1]["known_hftc_variant"] == "c.471C>A p.(Phe157Leu) [confidence: low]"


def test_population_frequency_per_alt(tmp: Path) -> None:
    found = rows(tmp, ["chr2 165750000 . A G,T 50 PASS gnomAD_AF=0.01,0.3 GT 1/2"])
    assert [(r["alt"], r["population_af"]) for r in found] == [("G", "0.01"), ("T", "0.3")]


def test_grch37_has_no_snapshot(tmp: Path) -> None:
    result = run_cli(write_vcf(tmp / "in.vcf", ["2 166611136 . G A 50 PASS . GT 0/1"], build="GRCh37", prefix=""))
    assert ("## knowledge: curated HFTC literature variants (hftc_known_variants.tsv, with confidence); population "
            "frequency from the input's INFO/gnomAD_AF") in result.out
    assert table(result.out)[0]["clinvar_id"] == "."


CLINVAR_HEADER = [
    '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="Clinical significance">',
    '##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description="Review status">',
    '##INFO=<ID=GENEINFO,Number=1,Type=String,Description="Gene">',
    '##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency">',
]


def indexed(tmp: Path, name: str, records: list[str], build: str = "GRCh38") -> Path:
    from conftest import bgzip_index

    plain = write_vcf(tmp / name, records, samples=(), build=build, prefix="", extra_header=tuple(CLINVAR_HEADER))
    return bgzip_index(plain)


def test_user_clinvar_overrides_the_snapshot(tmp: Path) -> None:
    clinvar = indexed(tmp, "clinvar.vcf", [
        "2 165754626 999 C A,T . . CLNSIG=Benign;CLNREVSTAT=criteria_provided,_single_submitter;GENEINFO=GALNT3:1"])
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754626 . C T 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--clinvar", clinvar)
    assert result.code == 0, result.err
    row = table(result.out)[0]
    assert (row["clinvar_id"], row["clinvar_significance"], row["clinvar_stars"]) == ("999", "Benign", "1")
    assert f"## knowledge: ClinVar from {clinvar} (instead of the shipped snapshot)" in result.out


def test_gnomad_frequency_and_max_af(tmp: Path) -> None:
    gnomad = indexed(tmp, "gnomad.vcf", ["2 165750000 . A G,T . . AF=0.3,0.0001"])
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165750000 . A T 50 PASS . GT 1/1", "chr2 165750000 . A G 50 PASS . GT 1/1"])
    found = table(run_cli(vcf, "--gnomad", gnomad, "--qualify", "all").out)  # intronic: qualifies only with 'all'
    assert sorted((r["alt"], r["population_af"], r["inheritance_flags"]) for r in found) == [
        ("G", "0.3", "AR_hom"), ("T", "0.0001", "AR_hom")]
    filtered = table(run_cli(vcf, "--gnomad", gnomad, "--qualify", "all", "--max-af", "0.01").out)
    assert sorted((r["alt"], r["inheritance_flags"]) for r in filtered) == [("G", "."), ("T", "AR_hom")]


def test_unindexed_or_misbuilt_knowledge_files_are_refused(tmp: Path) -> None:
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754626 . C T 50 PASS . GT 0/1"])
    plain = write_vcf(tmp / "plain.vcf", ["2 165754626 . C T . . AF=0.1"], samples=(), prefix="",
                      extra_header=tuple(CLINVAR_HEADER))
    unindexed = run_cli(vcf, "--gnomad", plain, "-o", tmp / "out.tsv")
    assert unindexed.code == 2 and "--gnomad: needs a .tbi or .csi index" in unindexed.err
    old = indexed(tmp, "old.vcf", ["2 166611136 . G A . . AF=0.1"], build="GRCh37")
    misbuilt = run_cli(vcf, "--clinvar", old, "-o", tmp / "out.tsv")
    assert misbuilt.code == 2 and "--clinvar: this file is GRCh37 but the input is GRCh38" in misbuilt.err
    assert not (tmp / "out.tsv").exists()


def test_sites_only_input_gets_knowledge_and_tiers(tmp: Path) -> None:
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754626 . C T 50 PASS .", "chr2 165750000 . A G 50 PASS ."], samples=())
    found = {r["pos"]: r for r in table(run_cli(vcf).out)}
    assert (found["165754626"]["sample"], found["165754626"]["clinvar_id"], found["165754626"]["evidence_tier"]) == (
        ".", "7801", "2")
    assert found["165750000"]["evidence_tier"] == "."


@pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools is not installed")
def test_annotated_vcf_carries_the_knowledge_of_the_report(tmp: Path) -> None:
    """bcftools +split-vep reads the knowledge fields; each VCF entry says what the report's best row says."""
    trio = EXAMPLES / "trio.vcf"
    ped = ["--ped", str(EXAMPLES / "trio.ped")]
    assert run_cli(trio, *ped, "-o", tmp / "out.vcf").code == 0
    assert run_cli(trio, *ped, "-o", tmp / "out.tsv").code == 0
    fields = "%POS %Allele %SYMBOL %CLINVAR_ID %CLINVAR_SIG %CLINVAR_STARS %POPULATION_AF %EVIDENCE_TIER %TIER_REASONS"
    split = subprocess.run(["bcftools", "+split-vep", "-a", "HFTC", "-d", "-f", fields + "\n", str(tmp / "out.vcf")],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert split[0] == ("165754626 T GALNT3 7801 Pathogenic 2 . 1 known_P/LP_in_ClinVar_(>%3D2_stars)_in_a_genotype_"
                        "pattern_that_fits_the_gene's_inheritance")
    best: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for row in table((tmp / "out.tsv").read_text()):
        key = (row["pos"], row["alt"], row["gene"])
        mine = tuple(row[column].replace(" ", "_").replace("=", "%3D") for column in (
            "clinvar_id", "clinvar_significance", "clinvar_stars", "population_af", "evidence_tier", "tier_reasons"))
        best[key] = min(best.get(key, mine), mine, key=lambda cells: cells[4])
    from_vcf = {(pos, alt, gene): tuple(rest) for pos, alt, gene, *rest in (line.split(" ") for line in split)}
    assert from_vcf == best and len(from_vcf) == 6
