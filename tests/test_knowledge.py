"""Knowledge: ClinVar snapshot matches are exact on the allele; other alleles at a known position or codon are
named as such; curated HFTC variants keep their confidence."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import bgzip_index, run_cli, table, write_vcf

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
    assert ("## knowledge: curated HFTC literature variants (hftc_known_variants.tsv, with confidence); no population "
            "frequency (the input declares no INFO/gnomAD_AF; give --gnomad or --af-field)") in result.out
    assert table(result.out)[0]["clinvar_id"] == "."


CLINVAR_HEADER = [
    '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="Clinical significance">',
    '##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description="Review status">',
    '##INFO=<ID=GENEINFO,Number=1,Type=String,Description="Gene">',
    '##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency">',
]


def indexed(tmp: Path, name: str, records: list[str], build: str = "GRCh38") -> Path:
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
    joint = bgzip_index(write_vcf(tmp / "joint.vcf", ["2 165750000 . A G . . AF_joint=0.3"], samples=(), prefix="",
                                  extra_header=('##INFO=<ID=AF_joint,Number=A,Type=Float,Description="AF">',)))
    v4 = run_cli(vcf, "--gnomad", joint, "-o", tmp / "out.tsv")
    assert (v4.code, v4.err.splitlines()[-1]) == (2, f"hftc-annot: error: {joint}: --gnomad: INFO/AF is not declared; "
                                                     "it needs an ##INFO line with Type=Float (gnomAD v4's joint file "
                                                     "calls it AF_joint: use its exomes or genomes file, or rename it "
                                                     "with bcftools annotate --rename-annots)")
    both = run_cli(vcf, "--gnomad", gnomad, "--af-field", "MY_AF", "-o", tmp / "out.tsv")  # it was silently ignored
    assert (both.code, both.err.splitlines()[-1]) == (2, "hftc-annot: error: --af-field cannot be combined with "
                                                         "--gnomad: the frequency is the --gnomad file's AF")
    assert not (tmp / "out.tsv").exists()


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


def knowledge_file(tmp: Path, name: str, info_lines: list[str], records: list[str], build: str | None = "GRCh38",
                   prefix: str = "") -> Path:
    plain = write_vcf(tmp / name, records, samples=(), build=build, prefix=prefix, extra_header=tuple(info_lines))
    return bgzip_index(plain)


AF_LINE = '##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency">'


@pytest.mark.parametrize(("option", "info", "record", "message"), [
    ("--gnomad", ['##INFO=<ID=X,Number=A,Type=Float,Description="x">'], "2 165754626 . C T . . X=0.1",
     "--gnomad: INFO/AF is not declared; it needs an ##INFO line with Type=Float"),
    ("--gnomad", ['##INFO=<ID=AF,Number=A,Type=String,Description="x">'], "2 165754626 . C T . . AF=abc",
     "--gnomad: INFO/AF is declared Type=String; it needs an ##INFO line with Type=Float"),
    ("--gnomad", ['##INFO=<ID=AF,Number=0,Type=Flag,Description="x">'], "2 165754626 . C T . . AF",
     "--gnomad: INFO/AF is declared Type=Flag; it needs an ##INFO line with Type=Float"),
    ("--gnomad", ['##INFO=<ID=AF,Number=1,Type=Float,Description="x">'], "2 165754626 . C A,T . . AF=0.4",
     "--gnomad: record 2:165754626 has one AF for 2 ALT alleles; declare AF Number=A, or split the record "
     "(bcftools norm -m-)"),
    ("--gnomad", ['##INFO=<ID=AF,Number=R,Type=Float,Description="x">'], "2 165754626 . C T . . AF=0.9,0.1",
     "--gnomad: INFO/AF is declared Number=R; an allele frequency needs Number=A (or 1, on records with one ALT)"),
    ("--gnomad", ['##INFO=<ID=AF,Number=.,Type=Float,Description="x">'], "2 165754626 . C T . . AF=0.9,0.1",
     "--gnomad: INFO/AF is declared Number=.; an allele frequency needs Number=A (or 1, on records with one ALT)"),
    ("--gnomad", ['##INFO=<ID=AF,Number=G,Type=Float,Description="x">'], "2 165754626 . C T . . AF=0.8,0.1,0.1",
     "--gnomad: INFO/AF is declared Number=G; an allele frequency needs Number=A (or 1, on records with one ALT)"),
    ("--gnomad", [AF_LINE], "2 165754626 . C A,T . . AF=0.1,-5",
     "--gnomad: record 2:165754626: AF -5.0 is not a frequency (0 to 1)"),
    ("--gnomad", [AF_LINE], "2 165754626 . C T . . AF=nan", "--gnomad: record 2:165754626: AF nan is not a frequency"),
    ("--clinvar", ['##INFO=<ID=CLNSIG,Number=G,Type=String,Description="x">'], "2 165754626 1 C T . . CLNSIG=Benign",
     "--clinvar: INFO/CLNSIG is declared Number=G, which only a FORMAT field may be; declare it Number=."),
    ("--clinvar", ['##INFO=<ID=CLNSIG,Number=.,Type=String,Description="x">',
                   '##INFO=<ID=CLNREVSTAT,Number=G,Type=String,Description="x">'],
     "2 165754626 1 C T . . CLNSIG=Benign;CLNREVSTAT=practice_guideline",
     "--clinvar: INFO/CLNREVSTAT is declared Number=G, which only a FORMAT field may be; declare it Number=."),
    ("--clinvar", ['##INFO=<ID=GENEINFO,Number=1,Type=String,Description="x">'], "2 165754626 1 C T . . GENEINFO=X:1",
     "--clinvar: INFO/CLNSIG is not declared; it needs an ##INFO line with Type=String"),
])
def test_knowledge_files_with_unusable_values_are_refused(tmp: Path, option: str, info: list[str], record: str,
                                                          message: str) -> None:
    """Each used to be an internal error, or a wrong frequency (one Number=1 AF given to both ALTs, -5, nan; a
    Number=R or Number=. AF gave the ALT the REF's 0.9)."""
    known = knowledge_file(tmp, "known.vcf", info, [record])
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754626 . C T 50 PASS . GT 0/1"])
    result = run_cli(vcf, option, known, "-o", tmp / "out.tsv")
    assert (result.code, result.err.count("\n")) == (2, 1), result.err
    assert f"hftc-annot: error: {known}: {message}" in result.err
    assert not (tmp / "out.tsv").exists()


def test_user_clinvar_names_pathogenic_variants_at_the_position_or_in_the_codon(tmp: Path) -> None:
    """As the snapshot does, from the --clinvar file's P/LP records only: a Benign one at the position is not named,
    nor a pathogenic one in the next codon. GALNT3 is on the minus strand: c.484 is 165770217, c.485 165770216,
    c.486 165770215 (codon 162), c.483 165770218 (codon 161). Rows come in position order."""
    clinvar = indexed(tmp, "clinvar.vcf", [
        "2 165754626 7801 C T . . CLNSIG=Pathogenic;CLNREVSTAT=criteria_provided,_single_submitter",
        "2 165770215 555 G C . . CLNSIG=Benign",
        "2 165770217 7792 G A . . CLNSIG=Likely_pathogenic|risk_factor",
        "2 165770218 556 C T . . CLNSIG=Pathogenic"])
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754626 . C A 50 PASS . GT 0/1", "chr2 165770216 . C A 50 PASS . GT 0/1",
                                     "chr2 165770215 . G A 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--clinvar", clinvar)
    assert result.code == 0, result.err
    assert [(r["hgvs_c"], r["clinvar_id"], r["clinvar_nearby"]) for r in table(result.out)] == [
        ("NM_004482.4:c.1626+1G>T", ".", "same position as ClinVar 7801 (Pathogenic, C>T); not this allele"),
        ("NM_004482.4:c.486C>T", ".", "same codon (162) as ClinVar 7792 (Likely pathogenic|risk factor); not this "
         "allele"),
        ("NM_004482.4:c.485G>T", ".", "same codon (162) as ClinVar 7792 (Likely pathogenic|risk factor); not this "
         "allele")]


def test_clinvar_without_review_and_gene_fields_is_read(tmp: Path) -> None:
    """CLNREVSTAT and GENEINFO are read only when declared (an undeclared key was an internal error)."""
    clinvar = knowledge_file(tmp, "clinvar.vcf", ['##INFO=<ID=CLNSIG,Number=.,Type=String,Description="x">'],
                             ["2 165754626 999 C A,T . . CLNSIG=Likely_benign"])
    row = table(run_cli(write_vcf(tmp / "in.vcf", ["chr2 165754626 . C T 50 PASS . GT 0/1"]), "--clinvar",
                        clinvar).out)[0]
    assert (row["clinvar_id"], row["clinvar_significance"], row["clinvar_stars"]) == ("999", "Likely benign", "0")


def test_clinvar_named_by_refseq_accessions_is_matched(tmp: Path) -> None:
    plain = tmp / "clinvar.vcf"
    plain.write_text("\n".join([
        "##fileformat=VCFv4.2", "##reference=GRCh38", "##contig=<ID=NC_000002.12,length=242193529>",
        '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="x">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
        "NC_000002.12\t165754626\t999\tC\tT\t.\t.\tCLNSIG=Benign"]) + "\n")
    result = run_cli(write_vcf(tmp / "in.vcf", ["chr2 165754626 . C T 50 PASS . GT 0/1"]), "--clinvar",
                     bgzip_index(plain))
    assert result.code == 0, result.err
    assert table(result.out)[0]["clinvar_id"] == "999"


def test_clinvar_of_unknown_contigs_or_unknown_build(tmp: Path) -> None:
    """Contigs that name no chromosome match nothing: refused. No lengths and no ##reference: a warning."""
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754626 . C T 50 PASS . GT 0/1"])
    clnsig = ['##INFO=<ID=CLNSIG,Number=.,Type=String,Description="x">']
    odd = tmp / "odd.vcf"
    odd.write_text("\n".join(["##fileformat=VCFv4.2", "##contig=<ID=scaffold_2>", *clnsig,
                              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
                              "scaffold_2\t165754626\t999\tC\tT\t.\t.\tCLNSIG=Benign"]) + "\n")
    refused = run_cli(vcf, "--clinvar", bgzip_index(odd), "-o", tmp / "out.tsv")
    assert refused.code == 2 and not (tmp / "out.tsv").exists()
    assert (f"{odd}.gz: --clinvar: none of its 1 contigs (first: scaffold_2) is a chromosome of GRCh38 (1, chr1 or "
            "NC_000001 style)") in refused.err
    unknown = knowledge_file(tmp, "nolength.vcf", clnsig, ["2 165754626 999 C T . . CLNSIG=Benign"], build=None)
    result = run_cli(vcf, "--clinvar", unknown)
    assert result.code == 0 and table(result.out)[0]["clinvar_id"] == "999"
    assert (f"warning: --clinvar {unknown}: its build is not checked (no ##contig lengths or ##reference line); it "
            "must be of the input's build") in result.err


def test_broken_or_foreign_index_and_gzip_are_refused(tmp: Path) -> None:
    """A corrupt index used to drop every ClinVar match silently (exit 0); another file's index and plain gzip were
    internal errors."""
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754626 . C T 50 PASS . GT 0/1"])
    records = ["2 165754626 999 C T . . CLNSIG=Benign;AF=0.1"]
    good = knowledge_file(tmp, "good.vcf", [*CLINVAR_HEADER], records)
    corrupt = tmp / "corrupt.vcf.gz"
    corrupt.write_bytes(good.read_bytes())
    Path(f"{corrupt}.tbi").write_bytes(b"\x1f\x8b not an index at all, 40 bytes..")
    foreign = tmp / "foreign.vcf.gz"
    foreign.write_bytes(good.read_bytes())
    other = knowledge_file(tmp, "other.vcf", [AF_LINE], records)  # a shorter header: its offset is in good's header
    Path(f"{foreign}.tbi").write_bytes(Path(f"{other}.tbi").read_bytes())
    gzipped = tmp / "gzipped.vcf.gz"
    gzipped.write_bytes(gzip.compress((tmp / "good.vcf").read_bytes()))
    Path(f"{gzipped}.tbi").write_bytes(Path(f"{good}.tbi").read_bytes())
    expected = {
        corrupt: f"{corrupt}: --clinvar: cannot read its index {corrupt}.tbi; rebuild it (tabix -f -p vcf)",
        foreign: f"{foreign}: --clinvar: cannot read it at 2:165754625-165754627 (",
        gzipped: f"{gzipped}: --clinvar: cannot open as VCF (",
    }
    for path, message in expected.items():
        result = run_cli(vcf, "--clinvar", path, "-o", tmp / "out.tsv")
        assert (result.code, result.err.count("\n")) == (2, 1), result.err
        assert f"hftc-annot: error: {message}" in result.err
        assert not (tmp / "out.tsv").exists()


@pytest.mark.parametrize(("info_line", "value", "args", "message"), [
    ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="x">', "gnomAD_AF=7", (),
     "{vcf}: line 35: INFO/gnomAD_AF 7.0 is not a frequency (0 to 1)"),
    ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="x">', "gnomAD_AF=-0.5", (),
     "{vcf}: line 35: INFO/gnomAD_AF -0.5 is not a frequency (0 to 1)"),
    ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="x">', "gnomAD_AF=nan", (),
     "{vcf}: line 35: INFO/gnomAD_AF nan is not a frequency (0 to 1)"),
    ('##INFO=<ID=gnomAD_AF,Number=1,Type=Float,Description="x">', "gnomAD_AF=0.1", ("multi",),
     "{vcf}: line 35: INFO/gnomAD_AF has 1 value(s) for 2 ALT alleles; declare it Number=A, or split the record "
     "(bcftools norm -m-)"),
    ('##INFO=<ID=DPX,Number=1,Type=Integer,Description="x">', "DPX=67", ("--af-field", "DPX"),
     "--af-field DPX: {vcf} declares INFO/DPX with Number=1, Type=Integer; an allele frequency needs Type=Float and "
     "Number=A (or 1)"),
    ('##INFO=<ID=gnomAD_AF,Number=R,Type=Float,Description="x">', "gnomAD_AF=0.9,0.1", (),
     "--af-field gnomAD_AF: {vcf} declares INFO/gnomAD_AF with Number=R, Type=Float; an allele frequency needs "
     "Type=Float and Number=A (or 1)"),
    ('##INFO=<ID=X,Number=1,Type=Float,Description="x">', "X=0.1", ("--af-field", "NOPE"),
     "--af-field NOPE: {vcf} declares no INFO/NOPE (no ##INFO line)"),
])
def test_af_field_must_be_a_frequency(tmp: Path, info_line: str, value: str, args: tuple[str, ...],
                                      message: str) -> None:
    """The input's --af-field had none of --gnomad's checks: read depth, 7, -0.5 or nan were taken as frequencies
    (dropping or keeping every flag), and a misspelt field gave no frequency silently."""
    alts = "G,T" if "multi" in args else "G"
    vcf = write_vcf(tmp / "in.vcf", [f"chr2 165750000 . A {alts} 50 PASS {value} GT 1/1"], extra_header=(info_line,))
    result = run_cli(vcf, *[a for a in args if a != "multi"], "-o", tmp / "out.tsv")
    assert (result.code, result.err) == (2, f"hftc-annot: error: {message.format(vcf=vcf)}\n")
    assert not (tmp / "out.tsv").exists()


def test_af_field_absent_by_default_is_not_read(tmp: Path) -> None:
    """The default field may be missing from a VCF: no frequency, no error (an undeclared value is not read)."""
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165750000 . A G 50 PASS gnomAD_AF=abc GT 1/1"])
    result = run_cli(vcf, "-q")
    assert result.code == 0, result.err
    assert table(result.out)[0]["population_af"] == "."


@pytest.mark.parametrize(("clnsig", "shown", "tier"), [
    ("Pathogenic|risk_factor", "Pathogenic|risk factor", "1"),
    ("Pathogenic/Likely_pathogenic|other", "Pathogenic/Likely pathogenic|other", "1"),
    ("Likely_pathogenic,_low_penetrance", "Likely pathogenic, low penetrance", "1"),
    ("Pathogenic/Likely_pathogenic/Pathogenic,_low_penetrance", "Pathogenic/Likely pathogenic/Pathogenic, low "
     "penetrance", "1"),
    ("Conflicting_classifications_of_pathogenicity|risk_factor", "Conflicting classifications of pathogenicity|risk "
     "factor", "."),
    ("Uncertain_significance", "Uncertain significance", "."),
])
def test_clinvar_significances_as_ncbi_writes_them(tmp: Path, clnsig: str, shown: str, tier: str) -> None:
    """A P/LP primary significance with a secondary one after |, and the low-penetrance terms (a comma inside a
    value), are P/LP and are shown as written (they were not P/LP; the comma was shown as '/')."""
    clinvar = indexed(tmp, "clinvar.vcf", [f"2 165750000 9 A G . . CLNSIG={clnsig};"
                                           "CLNREVSTAT=reviewed_by_expert_panel;GENEINFO=GALNT3:1"])
    result = run_cli(write_vcf(tmp / "in.vcf", ["chr2 165750000 . A G 50 PASS . GT 1/1"]), "--clinvar", clinvar)
    row = table(result.out)[0]
    assert (row["clinvar_significance"], row["clinvar_stars"], row["evidence_tier"]) == (shown, "3", tier)
    assert row["inheritance_flags"] == ("AR_hom" if tier == "1" else ".")


CSQ_LINE = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
            'Format: Allele|Consequence|IMPACT|SYMBOL|Feature|EXON|INTRON|HGVSc|HGVSp|Protein_position">')


@pytest.mark.parametrize("hgvs_p", ["p.Tyr322Ter", "p.Tyr322*", "p.(Tyr322*)"])
def test_curated_protein_change_in_other_spellings(tmp: Path, hgvs_p: str) -> None:
    """The curated p.(Tyr322Ter) of GALNT3 as VEP (no parentheses) and SnpEff (*) write it is that change (it was
    'same codon ...; not this change')."""
    csq = (f"CSQ=A|stop_gained|HIGH|GALNT3|ENST00000392701.8|4/10||ENST00000392701.8:c.966C>G|"
           f"ENSP00000376465.3:{hgvs_p}|322")
    vcf = write_vcf(tmp / "in.vcf", [f"chr2 165760000 . G A 50 PASS {csq} GT 1/1"], extra_header=(CSQ_LINE,))
    result = run_cli(vcf, "--consequences", "from-input")
    assert result.code == 0, result.err
    assert table(result.out)[0]["known_hftc_variant"] == "p.(Tyr322Ter) p.(Tyr322Ter) [confidence: p.=high; c.=missing]"


def test_indel_anchored_otherwise_matches_clinvar_and_gnomad(tmp: Path) -> None:
    """ClinVar writes GA>G at 165750000 and T>TCC at 165750100; the input writes the same changes as AA>A one base on
    and C>CCC after the anchor: they match (they matched nothing), and a different change next to them does not."""
    clinvar = indexed(tmp, "clinvar.vcf", [
        "2 165750000 500 GA G . . CLNSIG=Pathogenic;CLNREVSTAT=reviewed_by_expert_panel;GENEINFO=GALNT3:1;AF=0.002",
        "2 165750100 501 T TCC . . CLNSIG=Pathogenic;CLNREVSTAT=reviewed_by_expert_panel;GENEINFO=GALNT3:1;AF=0.003"])
    records = ["chr2 165750001 . AA A 50 PASS . GT 1/1", "chr2 165750101 . C CCC 50 PASS . GT 1/1",
               "chr2 165750101 . C CC 50 PASS . GT 1/1"]
    vcf = write_vcf(tmp / "in.vcf", records)
    found = table(run_cli(vcf, "--clinvar", clinvar).out)
    assert [(r["pos"], r["alt"], r["clinvar_id"], r["evidence_tier"]) for r in found] == [
        ("165750001", "A", "500", "1"), ("165750101", "CCC", "501", "1"), ("165750101", "CC", ".", ".")]
    af = table(run_cli(vcf, "--gnomad", clinvar).out)
    assert [r["population_af"] for r in af] == ["0.002", "0.003", "."]


@pytest.mark.parametrize("source", ["--gnomad", "--af-field"])
def test_frequency_at_the_limit_is_within_it(tmp: Path, source: str) -> None:
    """An AF of 0.001 with --max-af 0.001 counts for flags, as 'above this do not count' says: htslib reads a Float in
    single precision (0.0010000000475), which put it above the limit (no AR_hom) while its tier called it rare."""
    gnomad = knowledge_file(tmp, "gnomad.vcf", [AF_LINE], ["chr2 165750000 . A G . . AF=0.001"], prefix="chr")
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165750000 . A G 50 PASS gnomAD_AF=0.001 GT 1/1"], extra_header=AF_HEADER)
    args = ("--gnomad", gnomad) if source == "--gnomad" else ()
    for limit, flags in (("0.001", "AR_hom"), ("0.0009", ".")):
        result = run_cli(vcf, *args, "--qualify", "all", "--max-af", limit)
        assert result.code == 0, result.err
        row = table(result.out)[0]
        assert (row["population_af"], row["inheritance_flags"]) == ("0.001", flags)


def test_symbolic_allele_takes_no_frequency_of_another_extent(tmp: Path) -> None:
    """A 61-base <DEL> took the AF of a 35-kb <DEL> at its POS: symbolic ALTs matched as text, without their END."""
    gnomad = knowledge_file(tmp, "gnomad.vcf", [AF_LINE], ["chr2 165754740 . C <DEL> . . END=165790000;AF=0.3",
                                                          "chr2 165754740 . C T . . AF=0.2"], prefix="chr")
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754740 . C <DEL>,T 50 PASS END=165754800 GT 1/2"])
    result = run_cli(vcf, "--gnomad", gnomad)
    assert result.code == 0, result.err
    assert [(r["alt"], r["end"], r["population_af"]) for r in table(result.out)] == [
        ("<DEL>", "165754800", "."), ("T", "165754740", "0.2")]


def test_user_clinvar_indel_anchored_before_the_codon_is_in_it(tmp: Path) -> None:
    """GALNT3 codon 162 is 165770215-165770217 (minus strand). A P deletion of 165770215 (c.486), written CG>C at its
    anchor 165770214, is in the codon, as the snapshot finds it (by its first changed base); it was not named, its
    POS being outside the codon. One anchored in the codon that deletes 165770218 (codon 161) is not in it."""
    clinvar = indexed(tmp, "clinvar.vcf", [
        "2 165770214 9 CG C . . CLNSIG=Pathogenic;CLNREVSTAT=reviewed_by_expert_panel",
        "2 165770217 10 GC G . . CLNSIG=Pathogenic;CLNREVSTAT=reviewed_by_expert_panel"])
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165770216 . C A 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--clinvar", clinvar)
    assert result.code == 0, result.err
    assert [(r["hgvs_c"], r["clinvar_nearby"]) for r in table(result.out)] == [
        ("NM_004482.4:c.485G>T", "same codon (162) as ClinVar 9 (Pathogenic); not this allele")]


def test_snapshot_matches_an_indel_anchored_otherwise_as_clinvar_does(tmp: Path) -> None:
    """The snapshot's 497358 is GALNT3 TA>T at 165759516; the input (synthetic, its REF saying 165759518 is an A too)
    writes the same deletion one base on, AA>A at 165759517. Without a reference the snapshot matched nothing and
    called it 'same codon (...) as ClinVar 497358 ...; not this allele', where --clinvar with that very record (as
    ClinVar's VCF writes it) matched it: the snapshot now matches as --clinvar does."""
    clinvar = indexed(tmp, "clinvar.vcf", [
        "2 165759516 497358 TA T . . CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts;"
        "CLNSIG=Pathogenic/Likely_pathogenic;GENEINFO=GALNT3:117248"])
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165759517 . AA A 50 PASS . GT 1/1"])
    for args in ((), ("--clinvar", clinvar)):
        result = run_cli(vcf, *args)
        assert result.code == 0, result.err
        row = table(result.out)[0]
        assert (row["clinvar_id"], row["clinvar_significance"], row["clinvar_stars"], row["clinvar_nearby"],
                row["evidence_tier"], row["tier_reasons"]) == (
            "497358", "Pathogenic/Likely pathogenic", "2", ".", "1",
            "known P/LP in ClinVar (>=2 stars) in a genotype pattern that fits the gene's inheritance"), args


def test_user_clinvar_names_pathogenic_neighbours_of_an_allele_it_holds_as_not_pathogenic(tmp: Path) -> None:
    """A --clinvar record of this allele that is not P/LP (here Uncertain_significance, as ClinVar writes it) hid the
    P/LP variant at its position and in its codon: the snapshot (which holds P/LP only) named them, --clinvar gave
    '.'. GALNT3: 7801 is C>T at 165754626, 7792 G>A at 165770217, in codon 162 with 165770216 (c.485)."""
    vus = ("CLNREVSTAT=criteria_provided,_single_submitter;CLNSIG=Uncertain_significance;GENEINFO=GALNT3:117248")
    plp = "CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts;CLNSIG=Pathogenic;GENEINFO=GALNT3:117248"
    clinvar = indexed(tmp, "clinvar.vcf", [f"2 165754626 7801 C T . . {plp}", f"2 165754626 9001 C A . . {vus}",
                                           f"2 165770216 9002 C A . . {vus}", f"2 165770217 7792 G A . . {plp}"])
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754626 . C A 50 PASS . GT 0/1", "chr2 165770216 . C A 50 PASS . GT 0/1",
                                     "chr2 165770217 . G A 50 PASS . GT 0/1"])
    expected = {"165754626": "same position as ClinVar 7801 (Pathogenic, C>T); not this allele",
                "165770216": "same codon (162) as ClinVar 7792 (Pathogenic); not this allele", "165770217": "."}
    snapshot = table(run_cli(vcf).out)
    assert {r["pos"]: r["clinvar_nearby"] for r in snapshot} == expected
    result = run_cli(vcf, "--clinvar", clinvar)
    assert result.code == 0, result.err
    assert [(r["pos"], r["clinvar_id"], r["clinvar_significance"], r["clinvar_nearby"]) for r in table(result.out)] == [
        ("165754626", "9001", "Uncertain significance", expected["165754626"]),
        ("165770216", "9002", "Uncertain significance", expected["165770216"]),
        ("165770217", "7792", "Pathogenic", ".")]


def test_knowledge_line_says_when_no_population_frequency_was_read(tmp: Path) -> None:
    """An input that declares no INFO/gnomAD_AF (the default --af-field) gives no frequency, yet the report said
    'population frequency from the input's INFO/gnomAD_AF', as if each '.' had been looked up and found missing."""
    snapshot = ("ClinVar P/LP >=2 stars, snapshot 2024-12-15 (GRCh38); curated HFTC literature variants "
                "(hftc_known_variants.tsv, with confidence); ")
    records = ["chr2 165754626 . C T 50 PASS . GT 0/1"]
    vcf = write_vcf(tmp / "without.vcf", records)
    without = run_cli(vcf)
    assert without.code == 0, without.err
    line = "no population frequency (the input declares no INFO/gnomAD_AF; give --gnomad or --af-field)"
    assert f"## knowledge: {snapshot}{line}\n" in without.out
    assert run_cli(vcf, "-o", tmp / "out.vcf").code == 0
    assert f"##hftc-annot_knowledge={snapshot}{line}\n" in (tmp / "out.vcf").read_text()
    declared = run_cli(write_vcf(tmp / "with.vcf", records, extra_header=AF_HEADER))
    assert f"## knowledge: {snapshot}population frequency from the input's INFO/gnomAD_AF\n" in declared.out


def test_a_clinvar_record_without_a_germline_classification_says_so(tmp: Path) -> None:
    """ClinVar's somatic-only records have no CLNSIG (their classification is in ONC or SCI): such a record was shown
    with significance '.' and '0' review stars, as if a germline classification had no review; another record of the
    same change with CLNSIG is taken first."""
    somatic = "2 165750000 7 A G . . CLNREVSTAT=criteria_provided,_single_submitter;GENEINFO=GALNT3:1"
    germline = "2 165750000 8 A G . . CLNSIG=Pathogenic;CLNREVSTAT=reviewed_by_expert_panel;GENEINFO=GALNT3:1"
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165750000 . A G 50 PASS . GT 1/1"])
    found = []
    for name, records in (("one.vcf", [somatic]), ("two.vcf", [somatic, germline])):
        row = table(run_cli(vcf, "--clinvar", indexed(tmp, name, records)).out)[0]
        found.append((row["clinvar_id"], row["clinvar_significance"], row["clinvar_stars"]))
    assert found == [("7", "no germline classification", "."), ("8", "Pathogenic", "3")]
