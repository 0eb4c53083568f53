"""TSV and VCF output: exact rows, multi-allelic and haploid genotypes, sites-only input, determinism."""

from __future__ import annotations

import gzip
import io
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pysam
import pytest

from hftc_annot.panel import load_panel
from hftc_annot.writers.tsv import COLUMNS

from conftest import bgzip_index, body, data_rows, run_cli, table, write_vcf

NEEDS_BCFTOOLS = pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools is not installed")
GALNT3 = ["GALNT3", "HGNC:4125", "core HFTC", "NM_004482.4", "ENST00000392701.8"]
PHEX = ["PHEX", "HGNC:8918", "HFTC differential/phosphate-FGF23 axis", "NM_000444.6", "ENST00000379374.5"]
RECORDS = [
    "chr2 165750000 rs1 A G,T,* 50 PASS . GT:AD:DP:GQ 1/2:1,5,6,0:12:40 2/2:0,0,9,0:9:30 0|3:4,0,0,4:8:20",
    "chr2 165760000 . C CT 50 LowQual . GT:AD:DP:GQ ./1:.,4,:4:. 0/0:9,0:9:99 1|0:3,3:6:50",
    "chrX 22050000 . G A 50 PASS . GT:AD:DP:GQ 1:0,7:7:60 0/1:5,5:10:60 0:8,0:8:60",
]


def test_exact_tsv_rows(tmp: Path) -> None:
    path = write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "MUM", "DAD"))
    result = run_cli(path, "--qualify", "all")  # intronic alleles: flags only when every allele qualifies
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[13] == "\t".join(COLUMNS)
    intron9 = ["MANE Select", "intron_variant", "MODIFIER"]
    rows = data_rows(result.out)
    assert {tuple(row[20:27]) for row in rows} == {(".",) * 7}  # nothing known about these made-up alleles
    base = [
        ["chr2", "165750000", "rs1", "A", "G", *GALNT3, *intron9, "NM_004482.4:c.1627-106T>C", ".", ".", "9/10",
         ".", ".", ".", "KID", "1/2", "het", "40", "12", "1,5", "0.417", "PASS"],
        ["chr2", "165750000", "rs1", "A", "T", *GALNT3, *intron9, "NM_004482.4:c.1627-106T>A", ".", ".", "9/10",
         ".", ".", ".", "KID", "1/2", "het", "40", "12", "1,6", "0.500", "PASS"],
        ["chr2", "165750000", "rs1", "A", "T", *GALNT3, *intron9, "NM_004482.4:c.1627-106T>A", ".", ".", "9/10",
         ".", ".", ".", "MUM", "2/2", "hom_alt", "30", "9", "0,9", "1.000", "PASS"],
        ["chr2", "165760000", ".", "C", "CT", *GALNT3, *intron9[:1], "intron_variant", "MODIFIER", ".", ".", ".",
         "4/10", ".", ".", ".", "KID", "./1", "partial", ".", "4", ".,4", "1.000", "LowQual"],
        ["chr2", "165760000", ".", "C", "CT", *GALNT3, *intron9[:1], "intron_variant", "MODIFIER", ".", ".", ".",
         "4/10", ".", ".", ".", "DAD", "1|0", "het", "50", "6", "3,3", "0.500", "LowQual"],
        ["chrX", "22050000", ".", "G", "A", *PHEX, "MANE Select", "intron_variant", "MODIFIER",
         "NM_000444.6:c.349+2789G>A", ".", ".", "3/21", ".", ".", ".", "KID", "1", "hemi", "60", "7", "0,7", "1.000",
         "PASS"],
        ["chrX", "22050000", ".", "G", "A", *PHEX, "MANE Select", "intron_variant", "MODIFIER",
         "NM_000444.6:c.349+2789G>A", ".", ".", "3/21", ".", ".", ".", "MUM", "0/1", "het", "60", "10", "5,5", "0.500",
         "PASS"],
    ]
    pair_g = "two heterozygous variants in GALNT3 (c.1627-106T>C, c.1627-106T>A), in trans: one multi-allelic " \
             "genotype carries both"
    gated = "phase unknown (no parental genotypes); a genotype is below the quality gates"
    inherited = [  # each flag kind once: the strongest pair's confidence, phase and evidence, every pair id
        ["AR_comphet(2 pairs)", "high", "multiallelic_trans", "CH1,CH2", f"{pair_g} (and 1 other candidate pair)",
         "."],
        ["AR_comphet(2 pairs)", "high", "multiallelic_trans", "CH1,CH3", f"{pair_g} (and 1 other candidate pair)",
         "."],
        ["AR_hom", "low", ".", ".", "homozygous; no parental genotypes; genotype below the quality gates", "."],
        ["AR_comphet(2 pairs)", "low", "unphased", "CH2,CH3",
         f"two heterozygous variants in GALNT3 (c.1627-106T>C, chr2:165760000 C>CT), {gated} (and 1 other "
         "candidate pair)", "."],
        [".", ".", ".", ".", ".", "."],
        ["XL", "low", ".", ".", "hemizygous in a male (X-linked); genotype below the quality gates", "."],
        ["XL", "medium", ".", ".", "heterozygous female in an X-linked dominant gene", "."],
    ]
    expected = [b + i for b, i in zip(base, inherited, strict=True)]
    actual = [row[:20] + row[27:-9] for row in rows]

    def by_site(row: list[str]) -> tuple:
        return int(row[1]), row[4], row[20]

    assert sorted(actual, key=by_site) == sorted(expected, key=by_site)
    assert [(row[27], row[-9]) for row in rows] == [  # sorted by sample (VCF order), then tier
        ("KID", "."), ("KID", "."), ("KID", "."), ("KID", "."), ("MUM", "."), ("MUM", "."), ("DAD", ".")]
    no_sequence = ("HGVS p., codons and indel HGVS c. not given: no reference sequence (give --fasta REF.fa or run "
                   "'hftc-annot reference install REF.fa')")
    assert {(row[1], row[4], row[-7]) for row in rows} == {  # an indel's HGVS c. needs the reference
        ("165750000", "G", "."), ("165750000", "T", "."), ("165760000", "CT", no_sequence), ("22050000", "A", ".")}
    assert {(row[1], row[-6]) for row in rows} == {  # end: the last reference base REF covers
        ("165750000", "165750000"), ("165760000", "165760000"), ("22050000", "22050000")}
    assert "skipped alleles: 1 spanning deletion (*)" in result.err
    assert "3 records read, 3 in panel regions, 4 alleles annotated, 7 rows written" in result.err
    annotated = run_cli(path, "-o", tmp / "out.vcf")  # a VCF's rows are its records, not its HFTC entries
    assert annotated.code == 0, annotated.err
    assert "3 records read, 3 in panel regions, 4 alleles annotated, 3 rows written" in annotated.err


def test_preamble_records_version_build_input_and_panel(tmp: Path) -> None:
    path = write_vcf(tmp / "in.vcf", RECORDS[:1], samples=("KID", "MUM", "DAD"))
    preamble = [line for line in run_cli(path, "--padding", "10").out.splitlines() if line.startswith("## ")]
    assert preamble[0].startswith("## hftc-annot ")
    assert preamble[2:] == [
        f"## input: {path} ({path.stat().st_size} bytes)",
        "## build: GRCh38 (from ##contig lengths (24 contigs))",
        "## panel: 49 genes (shipped panel; MANE Select v1.5 models, GENCODE v44), padding 10 bp",
        "## genes: " + ",".join(g.symbol for g in load_panel("GRCh38").genes),
        "## samples: 3 (KID,MUM,DAD)",
        "## consequences: computed; transcripts: shipped MANE Select models; reference: none",
        "## protein_effects: not computed: no reference sequence; coding substitutions have impact UNKNOWN; give "
        "--fasta REF.fa or run 'hftc-annot reference install REF.fa'",
        "## qualifying: protein-altering, splice, unknown protein effect, ClinVar P/LP or curated HFTC "
        "(qualifying.tsv); population frequency at most AR 0.01, XLR 0.01, AD 0.001, XLD 0.001 "
        "(frequency_limits.tsv)",
        "## settings: genotype gates GQ >= 20, DP >= 10, heterozygous allele balance 0.2-0.8; minimum impact none; "
        "inheritance modes the panel's",
        "## knowledge: ClinVar P/LP >=2 stars, snapshot 2024-12-15 (GRCh38); curated HFTC literature variants "
        "(hftc_known_variants.tsv, with confidence); no population frequency (the input declares no "
        "INFO/gnomAD_AF; give --gnomad or --af-field)",
        "## evidence_tier: evidence tier (not an ACMG classification); rows sorted by sample, tier, gene, "
        "position; cells that start with = + - @ get a leading apostrophe",
    ]


def test_samples_subset_and_sites_only(tmp: Path) -> None:
    path = write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "MUM", "DAD"))
    rows = table(run_cli(path, "--samples", "DAD,MUM").out)
    assert [(r["alt"], r["sample"], r["genotype"]) for r in rows] == [
        ("T", "MUM", "2/2"), ("A", "MUM", "0/1"), ("CT", "DAD", "1|0")]
    sites = write_vcf(tmp / "sites.vcf", [" ".join(r.split()[:8]) for r in RECORDS], samples=())
    rows = table(run_cli(sites).out)
    assert [(r["alt"], r["gene"], r["sample"], r["zygosity"]) for r in rows] == [
        ("G", "GALNT3", ".", "."), ("T", "GALNT3", ".", "."), ("CT", "GALNT3", ".", "."), ("A", "PHEX", ".", ".")]


def test_tsv_reads_cleanly_with_pandas_and_is_deterministic(tmp: Path) -> None:
    path = write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "MUM", "DAD"))
    outputs = []
    for _ in range(2):
        assert run_cli(path, "-o", tmp / "a.tsv").code == 0
        assert run_cli(path, "-o", tmp / "a.tsv.gz").code == 0
        outputs.append(((tmp / "a.tsv").read_bytes(), (tmp / "a.tsv.gz").read_bytes()))
    assert outputs[0] == outputs[1]
    assert body(gzip.decompress(outputs[0][1]).decode()) == body(outputs[0][0].decode())
    assert run_cli(path, "-o", tmp / "a.tsv.bgz").code == 0  # Hail's name for bgzip: BGZF blocks
    assert (tmp / "a.tsv.bgz").read_bytes()[12:14] == b"BC"
    assert body(gzip.decompress((tmp / "a.tsv.bgz").read_bytes()).decode()) == body(outputs[0][0].decode())
    preamble = sum(1 for line in open(tmp / "a.tsv") if line.startswith("## "))  # the README's recipe
    table = pd.read_csv(tmp / "a.tsv", sep="\t", skiprows=preamble, dtype=str, keep_default_na=False)
    assert list(table.columns) == list(COLUMNS)
    assert sorted(table["zygosity"].tolist()) == ["hemi", "het", "het", "het", "het", "hom_alt", "partial"]


@NEEDS_BCFTOOLS
@pytest.mark.parametrize("name", ["out.vcf", "out.vcf.gz", "out.vcf.bgz", "out.bcf"])
def test_vcf_output_declares_its_fields_like_vep(tmp: Path, name: str) -> None:
    path = write_vcf(tmp / "in.vcf", [*RECORDS, "chr9 1000 . A G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60 0/0 0/0"],
                     samples=("KID", "MUM", "DAD"))
    result = run_cli(path, "-o", tmp / name)
    assert result.code == 0, result.err
    assert (tmp / name).read_bytes()[:2] == (b"\x1f\x8b" if "gz" in name or name.endswith(".bcf") else b"##")
    header = subprocess.run(["bcftools", "view", "-h", str(tmp / name)], capture_output=True, text=True).stdout
    declared = next(line for line in header.splitlines() if line.startswith("##INFO=<ID=HFTC,"))
    fields = declared.split("Format: ")[1].rstrip('">').split("|")
    assert fields == ["Allele", "Consequence", "IMPACT", "SYMBOL", "HGNC_ID", "Feature", "MANE_SELECT", "EXON",
                      "INTRON", "HGVSc", "HGVSp", "cDNA_position", "CDS_position", "Protein_position", "Amino_acids",
                      "Codons", "ALLELE_NUM", "TRANSCRIPT_RULE", "CONSEQUENCE_NOTE", "CLINVAR_ID", "CLINVAR_SIG",
                      "CLINVAR_STARS", "CLINVAR_NEARBY", "HFTC_KNOWN", "HFTC_KNOWN_REF", "POPULATION_AF",
                      "EVIDENCE_TIER", "TIER_REASONS"]
    assert "##hftc-annot_build=GRCh38" in header
    query = subprocess.run(["bcftools", "query", "-f", "%CHROM:%POS\t%INFO/HFTC\n", str(tmp / name)],
                           capture_output=True, text=True, check=True)
    entries = [(site, dict(zip(fields, entry.split("|"), strict=True)))
               for site, info in (line.split("\t") for line in query.stdout.splitlines())
               for entry in info.split(",")]
    split = subprocess.run(["bcftools", "+split-vep", "-a", "HFTC", "-d", "-f",
                            "%CHROM:%POS %Allele %SYMBOL %Consequence %HGVSc\n", str(tmp / name)],
                           capture_output=True, text=True, check=True)
    assert split.stdout.splitlines()[:2] == [
        "chr2:165750000 G GALNT3 intron_variant NM_004482.4:c.1627-106T>C",
        "chr2:165750000 T GALNT3 intron_variant NM_004482.4:c.1627-106T>A",
    ]
    picked = [(site, e["Allele"], e["ALLELE_NUM"], e["SYMBOL"], e["Feature"], e["MANE_SELECT"]) for site, e in entries]
    assert picked == [
        ("chr2:165750000", "G", "1", "GALNT3", "ENST00000392701.8", "NM_004482.4"),
        ("chr2:165750000", "T", "2", "GALNT3", "ENST00000392701.8", "NM_004482.4"),
        ("chr2:165760000", "CT", "1", "GALNT3", "ENST00000392701.8", "NM_004482.4"),
        ("chrX:22050000", "A", "1", "PHEX", "ENST00000379374.5", "NM_000444.6"),
    ]


def test_vcf_output_keeps_input_lines_and_subsets_samples(tmp: Path) -> None:
    path = write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "MUM", "DAD"))
    result = run_cli(path, "--format", "vcf", "--samples", "MUM", "--qualify", "all")
    assert result.code == 0, result.err
    lines = [line for line in result.out.splitlines() if not line.startswith("##")]
    assert lines[0].split("\t")[9:] == ["MUM"]
    assert lines[1].split("\t")[7] == (
        "HFTC=G|intron_variant|MODIFIER|GALNT3|HGNC:4125|ENST00000392701.8|NM_004482.4||9/10|"
        "NM_004482.4:c.1627-106T>C|||||||1|MANE_Select||||||||||,"
        "T|intron_variant|MODIFIER|GALNT3|HGNC:4125|ENST00000392701.8|NM_004482.4||9/10|"
        "NM_004482.4:c.1627-106T>A|||||||2|MANE_Select||||||||||;HFTC_INHERITANCE=.,AR_hom,.")
    assert [line.split("\t")[9] for line in lines[1:]] == ["2/2:0,0,9,0:9:30:AR_hom/low", "0/0:9,0:9:99",
                                                          "0/1:5,5:10:60:XL/medium"]


def test_bgzipped_vcf_output_is_bgzf_and_deterministic(tmp: Path) -> None:
    path = bgzip_index(write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "MUM", "DAD")))
    assert run_cli(path, "-o", tmp / "a.vcf.gz").code == 0
    data = (tmp / "a.vcf.gz").read_bytes()
    assert run_cli(path, "-o", tmp / "a.vcf.gz").code == 0
    assert data[12:14] == b"BC"
    assert data == (tmp / "a.vcf.gz").read_bytes()
    with gzip.open(io.BytesIO(data), "rt") as handle:
        assert sum(1 for line in handle if not line.startswith("#")) == 3


def test_panel_command(tmp: Path) -> None:
    result = run_cli("panel", "--build", "GRCh37")
    assert result.code == 0
    rows = [line.split("\t") for line in result.out.splitlines()]
    assert rows[0] == ["gene", "group", "inheritance", "disorders", "omim_gene", "hgnc_id", "transcript",
                       "ensembl_transcript", "chrom", "start", "end", "strand"]
    assert len(rows) == 50
    galnt3 = next(r for r in rows if r[0] == "GALNT3")
    assert galnt3[6:] == ["NM_004482.4", "ENST00000392701.8", "chr2", "166604098", "166650757", "-"]
    assert next(r for r in rows if r[0] == "ACVR1")[8:] == [".", ".", ".", "."]


@pytest.mark.parametrize(("args", "message"), [
    (("--format", "tsv", "--shards", "4"), "--shards and --padding group the genes of the table (--format table); "
     "the --panel file format (--format tsv) has no such column"),
    (("--format", "tsv", "--padding", "5000"), "--shards and --padding group the genes of the table (--format "
     "table); the --panel file format (--format tsv) has no such column"),
    (("--padding", "100",), "--padding sets how genes are grouped into --shards N (the table's coordinates are not "
     "padded); give --shards too"),
])
def test_panel_options_that_would_change_nothing_are_refused(args: tuple[str, ...], message: str) -> None:
    """They were silently ignored: a --format tsv panel has no shard column, and the table's coordinates are the
    transcripts' whatever --padding says."""
    result = run_cli("panel", *args)
    assert (result.code, result.out, result.err) == (2, "", f"hftc-annot: error: {message}\n")


def test_version_and_help() -> None:
    assert run_cli("--version").out.startswith("hftc-annot, version ")
    help_text = run_cli("--help").out
    assert "Examples:" in help_text and "hftc-annot panel" in help_text and "Exit status" in help_text


def test_json_report_has_the_tsv_rows(tmp: Path) -> None:
    import json

    path = write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "MUM", "DAD"))
    assert run_cli(path, "-o", tmp / "r.json").code == 0
    assert run_cli(path, "-o", tmp / "r.tsv").code == 0
    document = json.loads((tmp / "r.json").read_text())
    assert document["columns"] == list(COLUMNS)
    assert [[row[c] for c in COLUMNS] for row in document["rows"]] == data_rows((tmp / "r.tsv").read_text())
    assert document["metadata"][0].startswith("hftc-annot ")
    assert document["warnings"] == []


def test_a_bgzipped_json_name_gets_json(tmp: Path) -> None:
    """-o r.json.bgz (Hail's name for bgzip, as r.tsv.bgz and r.vcf.bgz are read) is the JSON report, bgzipped: it
    was the TSV report under a .json name, as only .json and .json.gz said JSON."""
    import json

    path = write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "MUM", "DAD"))
    assert run_cli(path, "-o", tmp / "r.json").code == 0
    result = run_cli(path, "-o", tmp / "r.json.bgz")
    assert result.code == 0, result.err
    data = (tmp / "r.json.bgz").read_bytes()
    assert data[12:14] == b"BC"
    assert json.loads(gzip.decompress(data))["rows"] == json.loads((tmp / "r.json").read_text())["rows"]
    assert run_cli(path, "--format", "tsv", "-o", tmp / "x.json.bgz").code == 2  # a contradiction, as for .json
    assert run_cli(path, "-o", tmp / "r.tsv").code == 0
    assert run_cli("merge", "-o", tmp / "m.json.bgz", tmp / "r.tsv").code == 2  # merge writes TSV: refused as .json


def test_json_report_lists_the_warnings_about_the_inputs(tmp: Path) -> None:
    """For a LIMS as for the HTML report's reader: the PED's individuals missing from the VCF were on stderr only.
    (KID is a son here: his haploid chrX call is no problem.)"""
    import json

    path = write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "MUM", "DAD"))
    ped = tmp / "fam.ped"
    ped.write_text("F1\tKID\tDAD\tMUM\t1\t2\nF1\tDAD\t0\t0\t1\t1\nF1\tMUM\t0\t0\t2\t1\nF1\tSIB\tDAD\tMUM\t1\t1\n")
    result = run_cli(path, "--ped", ped, "-o", tmp / "r.json")
    assert result.code == 0, result.err
    assert json.loads((tmp / "r.json").read_text())["warnings"] == [
        "1 PED individual(s) are not in the VCF and count as not genotyped: SIB"]


def test_readme_lists_the_columns_in_file_order() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("### TSV report", 1)[1].split("\n### ", 1)[0]
    listed = [name for line in section.splitlines() if line.startswith("| `")
              for name in re.findall(r"`([a-z_]+)`", line.split(" | ")[0])]
    assert listed == list(COLUMNS)


@NEEDS_BCFTOOLS
def test_vcf_output_escapes_text_from_the_input_in_every_field(tmp: Path) -> None:
    """The input's HGVS (--consequences from-input, percent escapes decoded) and a --regions BED name are escaped
    like free text: a ';', ',', '=', '|' or space in them split the HFTC value and broke bcftools and cyvcf2."""
    csq = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
           'Format: Allele|Consequence|IMPACT|SYMBOL|Feature|EXON|INTRON|HGVSc|HGVSp|Protein_position">')
    vcf = write_vcf(tmp / "in.vcf", ["chr12 4379580 . G A 50 PASS CSQ=A|synonymous_variant|LOW|FGF23|"
                                     "ENST00000237837.2|1/3||ENST00000237837.2:c.6C>T%3Bx%2Cy%20z|"
                                     "ENSP00000237837.2:p.Arg2%3D|2 GT 0/1"], extra_header=(csq,))
    assert run_cli(vcf, "--consequences", "from-input", "-o", tmp / "a.vcf").code == 0
    (tmp / "r.bed").write_text("chr1\t999\t1100\tmy target;x=1,y z|w\n")
    vcf = write_vcf(tmp / "r.vcf", ["chr1 1000 . A G 50 PASS . GT 0/1"])
    assert run_cli(vcf, "--regions", tmp / "r.bed", "-o", tmp / "b.vcf").code == 0
    query = [subprocess.run(["bcftools", "query", "-f", "%INFO/HFTC\n", str(tmp / name)], capture_output=True,
                            text=True, check=True) for name in ("a.vcf", "b.vcf")]
    assert [q.stderr for q in query] == ["", ""]
    assert [q.stdout.split("|")[3:11] for q in query] == [
        ["FGF23", "HGNC:3680", "ENST00000237837.2", "NM_020638.3", "1/3", "",
         "ENST00000237837.2:c.6C>T%3Bx%2Cy_z", "ENSP00000237837.2:p.Arg2%3D"],
        ["my_target%3Bx%3D1%2Cy_z%7Cw", "", "", "", "", "", "", ""]]


def test_vcf_output_replaces_the_values_of_an_input_annotated_before(tmp: Path) -> None:
    """An input that an earlier hftc-annot run wrote keeps none of that run's HFTC values: they were left in place
    wherever this run had none, claiming AR_hom on an intron variant that no longer qualifies."""
    assert run_cli(write_vcf(tmp / "in.vcf", ["chr2 165750000 . A G 50 PASS . GT:GQ 1/1:60"]), "--qualify", "all",
                   "-o", tmp / "first.vcf").code == 0
    declared = tuple(line for line in (tmp / "first.vcf").read_text().splitlines()
                     if line.startswith(("##INFO=<ID=HFTC", "##FORMAT=<ID=HFTC")))
    stale = "HFTC=old;HFTC_INHERITANCE=AR_hom GT:GQ:HFTC_FLAGS:HFTC_HAPLOTYPE 1/1:60:AR_hom/medium:x"
    path = write_vcf(tmp / "again.vcf", [f"chr2 165750000 . A G 50 PASS {stale}",
                                         f"chr2 165750010 . A * 50 PASS {stale}"], extra_header=declared)
    result = run_cli(path, "--format", "vcf")
    assert result.code == 0, result.err
    assert [line.split("\t")[7:] for line in result.out.splitlines() if not line.startswith("#")] == [
        ["HFTC=G|intron_variant|MODIFIER|GALNT3|HGNC:4125|ENST00000392701.8|NM_004482.4||9/10|"
         "NM_004482.4:c.1627-106T>C|||||||1|MANE_Select||||||||||", "GT:GQ:HFTC_FLAGS:HFTC_HAPLOTYPE", "1/1:60:.:."],
        [".", "GT:GQ:HFTC_FLAGS:HFTC_HAPLOTYPE", "1/1:60:.:."]]


@NEEDS_BCFTOOLS
def test_vcf_output_declares_its_own_keys_over_the_inputs(tmp: Path) -> None:
    """An input declaring HFTC or HFTC_FLAGS (another tool's, or an older hftc-annot's Format list) gets this run's
    declarations: the input's were kept, so bcftools could not read the String values under an Integer key."""
    declared = ('##INFO=<ID=HFTC,Number=1,Type=Integer,Description="another tool">',
                '##FORMAT=<ID=HFTC_FLAGS,Number=1,Type=Integer,Description="another tool">')
    path = write_vcf(tmp / "in.vcf", ["chr2 165750000 . A G 50 PASS HFTC=3 GT:GQ:HFTC_FLAGS 1/1:60:7"],
                     extra_header=declared)
    assert run_cli(path, "--qualify", "all", "-o", tmp / "out.bcf").code == 0
    header = subprocess.run(["bcftools", "view", "-h", str(tmp / "out.bcf")], capture_output=True, text=True,
                            check=True).stdout
    assert [line.split(",Description")[0] for line in header.splitlines() if "ID=HFTC" in line] == [
        "##INFO=<ID=HFTC,Number=.,Type=String", "##INFO=<ID=HFTC_INHERITANCE,Number=A,Type=String",
        "##FORMAT=<ID=HFTC_FLAGS,Number=1,Type=String", "##FORMAT=<ID=HFTC_HAPLOTYPE,Number=.,Type=String"]
    query = subprocess.run(["bcftools", "query", "-f", "%INFO/HFTC_INHERITANCE [%HFTC_FLAGS]\n", str(tmp / "out.bcf")],
                           capture_output=True, text=True, check=True)
    assert (query.stdout, query.stderr) == ("AR_hom AR_hom/medium\n", "")


@NEEDS_BCFTOOLS
def test_another_tools_keys_of_the_other_kind_keep_their_declarations(tmp: Path) -> None:
    """Only our kind of each key makes way: another tool's FORMAT/HFTC and INFO/HFTC_FLAGS stay declared (removing
    every kind left their values undeclared, and bcftools warned)."""
    declared = ('##FORMAT=<ID=HFTC,Number=1,Type=Integer,Description="another tool">',
                '##INFO=<ID=HFTC_FLAGS,Number=1,Type=Integer,Description="another tool">')
    path = write_vcf(tmp / "in.vcf", ["chr2 165750000 . A G 50 PASS HFTC_FLAGS=4 GT:GQ:HFTC 1/1:60:7"],
                     extra_header=declared)
    assert run_cli(path, "--qualify", "all", "-o", tmp / "out.bcf").code == 0
    query = subprocess.run(["bcftools", "query", "-f", "%INFO/HFTC_FLAGS %INFO/HFTC_INHERITANCE [%HFTC %HFTC_FLAGS]\n",
                            str(tmp / "out.bcf")], capture_output=True, text=True, check=True)
    assert (query.stdout, query.stderr) == ("4 AR_hom 7 AR_hom/medium\n", "")


def test_a_line_break_in_an_input_name_stays_inside_its_preamble_line(tmp: Path) -> None:
    """An input named with a line break wrote a preamble line without '## ' into the TSV report and --summary
    (a second header for a reader that skips the preamble)."""
    path = write_vcf(tmp / "in\n#CHROM.vcf", ["chr2 165750000 . A G 50 PASS . GT:GQ 1/1:60"])
    result = run_cli(path, "--qualify", "all", "--summary", tmp / "s.tsv")
    assert result.code == 0, result.err
    for text in (result.out, (tmp / "s.tsv").read_text()):
        lines = text.splitlines()
        assert [line for line in lines if not line.startswith("## ")] == lines[-2:]
        assert f"## input: {tmp}/in\\n#CHROM.vcf ({path.stat().st_size} bytes)" in lines
    assert run_cli(path, "--qualify", "all", "-o", tmp / "out.vcf").code == 0
    header = [line for line in (tmp / "out.vcf").read_text().splitlines() if line.startswith("#")]
    assert header[-1].startswith("#CHROM\t") and all(line.startswith("##") for line in header[:-1])
    assert f"##hftc-annot_input={tmp}/in\\n#CHROM.vcf ({path.stat().st_size} bytes)" in header


@NEEDS_BCFTOOLS
def test_vcf_output_of_standard_input_names_it_stdin(tmp: Path) -> None:
    """`bcftools view ... | hftc-annot - -o out.vcf.gz` works: the header's input line was '##hftc-annot_input=<stdin>',
    which htslib reads as a structured line and refused ('internal error: Exception: couldn't add ...', exit 1)."""
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165750000 . A G 50 PASS . GT:GQ 1/1:60"])
    result = run_cli("-", "--qualify", "all", "-o", tmp / "out.vcf.gz", stdin=vcf.read_bytes())
    assert (result.code, result.err.count("internal error")) == (0, 0), result.err
    header = subprocess.run(["bcftools", "view", "-h", str(tmp / "out.vcf.gz")], capture_output=True, text=True,
                            check=True).stdout
    assert [line for line in header.splitlines() if line.startswith("##hftc-annot_input")] == [
        "##hftc-annot_input=stdin"]
    query = subprocess.run(["bcftools", "query", "-f", "%POS %INFO/HFTC_INHERITANCE\n", str(tmp / "out.vcf.gz")],
                           capture_output=True, text=True, check=True)
    assert query.stdout == "165750000 AR_hom\n"


def test_a_vcf_annotated_again_keeps_only_this_runs_hftc_annot_lines(tmp: Path) -> None:
    """A shard's VCF annotated again without --shard: the earlier run's ##hftc-annot_ lines are gone (streamed and
    indexed), so merge takes it as the whole panel; its stale 'shard=1/2' line stayed (htslib cannot remove such
    lines) and merge refused it, 'shard 2/2 ... is missing'. A BCF (compressed or not, from a file or standard input,
    with --samples too) loses them as well: its header is read as stored, whose IDX= keep the numbering of its keys;
    it kept them, 'shard=1/2' beside this run's lines."""
    trio = Path(__file__).resolve().parents[1] / "example_vcfs" / "trio.vcf"
    assert run_cli(trio, "--shard", "1/2", "-o", tmp / "s1.vcf").code == 0
    assert run_cli(trio, "--shard", "1/2", "-o", tmp / "s1.vcf.gz").code == 0
    pysam.tabix_index(str(tmp / "s1.vcf.gz"), preset="vcf", force=True)
    for name in ("s1.vcf", "s1.vcf.gz"):
        again = run_cli(tmp / name, "-q", "-o", tmp / "again.vcf")
        assert again.code == 0, again.err
        keys = [line.split("=", 1)[0] for line in (tmp / "again.vcf").read_text().splitlines()
                if line.startswith("##hftc-annot_")]
        assert keys == ["##hftc-annot_" + key for key in ("version", "command", "build", "protein_effects",
                                                          "qualifying", "input", "consequences", "knowledge",
                                                          "settings", "padding")], name
        merged = run_cli("merge", "-o", tmp / "merged.vcf", tmp / "again.vcf")
        assert merged.code == 0, merged.err
    assert run_cli(tmp / "s1.vcf", "-q", "--samples", "CHILD", "-o", tmp / "again.vcf").code == 0
    records = [line for line in (tmp / "again.vcf").read_text().splitlines() if not line.startswith("##")]
    assert len(records) > 1 and records[0].endswith("\tFORMAT\tCHILD")
    for fmt, name in (("-Ob", "s1.bcf"), ("-Ou", "s1.u.bcf")):
        subprocess.run(["bcftools", "view", fmt, "-o", str(tmp / name), str(tmp / "s1.vcf")], check=True)
        for given, stdin in ((tmp / name, None), ("-", (tmp / name).read_bytes())):
            again = run_cli(given, "-q", "--samples", "CHILD", "-o", tmp / "again.vcf", stdin=stdin)
            assert again.code == 0, again.err
            lines = (tmp / "again.vcf").read_text().splitlines()
            assert [line for line in lines if line.startswith("##hftc-annot_shard")] == [], name
            assert [line for line in lines if not line.startswith("##")] == records, name


def test_the_warnings_an_output_lists_are_the_same_on_every_route(tmp_path: Path) -> None:
    """A record's problem is named by CHROM:POS in the JSON and HTML warnings, on every route: a text VCF named it by
    its line ('first at line 34') and its BCF or indexed copy by CHROM:POS, so the outputs differed (found by
    review)."""
    plain = write_vcf(tmp_path / "in.vcf", ["chr2 165760000 . C T 50 PASS . GT:AD:DP:GQ 0/2:5,5:10:50"])
    bcf = tmp_path / "in.bcf"
    subprocess.run(["bcftools", "view", "-Ob", "-o", str(bcf), str(plain)], check=True)
    warning = "genotype names an ALT allele the record does not have: 1 time (first at chr2:165760000)"
    outputs = []
    for source in (plain, bgzip_index(plain), bcf):
        result = run_cli(source, "--format", "json")
        assert result.code == 0 and f"hftc-annot: warning: {warning}\n" in result.err, result.err
        assert warning in result.out
        outputs.append([line for line in result.out.splitlines() if str(source) not in line])
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_vcf_whose_records_give_their_samples_no_gt_says_so(tmp_path: Path) -> None:
    """Strelka's somatic calls (and any FORMAT without GT) name samples but give them no genotype: the rows name no
    sample and no inheritance is judged, which a warning now says (it was silent; found by review)."""
    path = write_vcf(tmp_path / "somatic.vcf", ["chr2 165760000 . C T 50 PASS . DP 30 20"], samples=("TUMOR", "NORMAL"))
    result = run_cli(path, "-o", tmp_path / "out.tsv", "--report", tmp_path / "out.html")
    assert result.code == 0, result.err
    warning = ("no FORMAT/GT: the calls of the samples are not read, and the rows of the record name no sample: 1 time "
               "(first at chr2:165760000)")
    assert f"hftc-annot: warning: {warning}\n" in result.err
    assert warning in (tmp_path / "out.html").read_text()
    assert [row["sample"] for row in table((tmp_path / "out.tsv").read_text())] == ["."]


def test_vcf_values_percent_encode_line_breaks() -> None:
    """A line break in a value (a percent-decoded --gff ID) would end the record's line: CR and LF are %0D and %0A in
    INFO and FORMAT values, as VCF 4.3 asks (found by review)."""
    from hftc_annot.writers import vcf

    assert "a\r\nb c".translate(vcf._ESCAPES) == "a%0D%0Ab_c"
    assert "a\r\nb:c".translate(vcf._FORMAT_ESCAPES) == "a%0D%0Ab%3Ac"
