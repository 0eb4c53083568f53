"""Knowledge: ClinVar snapshot matches are exact on the allele; other alleles at a known position or codon are
named as such; curated HFTC variants keep their confidence."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, table, write_vcf

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
    found = table(run_cli(vcf, "--gnomad", gnomad).out)
    assert sorted((r["alt"], r["population_af"], r["inheritance_flags"]) for r in found) == [
        ("G", "0.3", "AR_hom"), ("T", "0.0001", "AR_hom")]
    filtered = table(run_cli(vcf, "--gnomad", gnomad, "--max-af", "0.01").out)
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
