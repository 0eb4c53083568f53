"""Panel filtering is exact at interval edges, for both builds, chr and bare names, on every read route.

The windows are written out here from the MANE v1.5 GALNT3 span (NM_004482.4, GRCh38
chr2:165,747,588-165,794,247; GRCh37 chr2:166,604,098-166,650,757) and the default padding of 5000 bp.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hftc_annot.resources import models_gff3

from conftest import bgzip_index, body, data_rows, run_cli, table, write_vcf

WINDOWS = {"GRCh38": (165742588, 165799247), "GRCh37": (166599098, 166655757)}
ROUTES = ["plain", "bgzip", "bgzip+tbi", "gzip", "stdin", "bcf", "bcf+csi"]
NEEDS_BCFTOOLS = pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools is not installed")


def edge_records(build: str, prefix: str) -> tuple[list[str], set[int]]:
    first, last = WINDOWS[build]
    chrom = f"{prefix}2"
    records = [
        f"{chrom} {first - 1} . A G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60",
        f"{chrom} {first} . A G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60",
        f"{chrom} {first + 100} . A G 50 PASS . GT:AD:DP:GQ 1/1:0,9:9:30",
        f"{chrom} {last} . A G,T 50 PASS . GT:AD:DP:GQ 1/2:0,5,5:10:60",
        f"{chrom} {last + 1} . A G,T 50 PASS . GT:AD:DP:GQ 1/2:0,5,5:10:60",
        f"{chrom} {last + 200000} . A G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60",
    ]
    records.insert(0, f"{chrom} {first - 9} . AAAAAAAAA A 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60")  # ends first-1
    records.insert(1, f"{chrom} {first - 8} . AAAAAAAAA A 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60")  # ends on first
    kept = {first - 8, first, first + 100, last}
    return records, kept


def materialise(plain: Path, route: str, tmp: Path) -> tuple[list[str], bytes | None]:
    """The arguments (and stdin) that feed `plain` to hftc-annot by one route."""
    if route == "plain":
        return [str(plain)], None
    if route == "stdin":
        return ["-"], plain.read_bytes()
    if route == "gzip":
        out = tmp / "in.gzip.vcf.gz"
        subprocess.run(f"gzip -c {plain} > {out}", shell=True, check=True)
        return [str(out)], None
    if route.startswith("bgzip"):
        return [str(bgzip_index(plain, index=route.endswith("tbi")))], None
    out = tmp / "in.bcf"
    subprocess.run(["bcftools", "view", "-Ob", "-o", str(out), str(plain)], check=True, capture_output=True)
    if route.endswith("csi"):
        subprocess.run(["bcftools", "index", str(out)], check=True)
    return [str(out)], None


@NEEDS_BCFTOOLS
@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
@pytest.mark.parametrize("prefix", ["chr", ""])
def test_edges_identical_on_every_route(tmp: Path, build: str, prefix: str) -> None:
    records, kept = edge_records(build, prefix)
    plain = write_vcf(tmp / "in.vcf", records, build=build, prefix=prefix)
    outputs = {}
    for route in ROUTES:
        args, stdin = materialise(plain, route, tmp)
        result = run_cli(*args, stdin=stdin)
        assert result.code == 0, (route, result.err)
        rows = table(result.out)
        assert {int(r["pos"]) for r in rows} == kept, route
        assert [(r["alt"], r["genotype"]) for r in rows if int(r["pos"]) == max(kept)] == [("G", "1/2"), ("T", "1/2")]
        outputs[route] = body(result.out)
        indexed = "indexed" in result.err
        assert indexed == route.endswith(("tbi", "csi")), (route, result.err)
    assert len(set(outputs.values())) == 1


def test_padding_zero_and_custom_padding(tmp: Path) -> None:
    first, last = 165747588, 165794247
    records = [f"chr2 {p} . A G 50 PASS . GT 0/1" for p in (first - 11, first - 10, first - 1, first, last, last + 1)]
    plain = write_vcf(tmp / "in.vcf", records)
    kept0 = {int(r[1]) for r in data_rows(run_cli(plain, "--padding", "0").out)}
    assert kept0 == {first, last}
    kept10 = {int(r[1]) for r in data_rows(run_cli(plain, "--padding", "10").out)}
    assert kept10 == {first - 10, first - 1, first, last, last + 1}


def test_genes_option_restricts_the_panel(tmp: Path) -> None:
    records = ["chr2 165750000 . A G 50 PASS . GT 0/1", "chr12 4370000 . C T 50 PASS . GT 0/1"]
    plain = write_vcf(tmp / "in.vcf", records)
    rows = data_rows(run_cli(plain, "--genes", "fgf23").out)
    assert [(r[0], r[1], r[5]) for r in rows] == [("chr12", "4370000", "FGF23")]
    both = data_rows(run_cli(plain, "--genes", "GALNT3", "--genes", "FGF23").out)
    assert sorted(r[5] for r in both) == ["FGF23", "GALNT3"]


def test_custom_regions_bed(tmp: Path) -> None:
    records = ["chr2 165750000 . A G 50 PASS . GT 0/1", "chr5 1000 . C T 50 PASS . GT 0/1",
               "chr5 2001 . C T 50 PASS . GT 0/1"]
    plain = write_vcf(tmp / "in.vcf", records)
    bed = tmp / "mine.bed"
    bed.write_text("track name=mine\nchr5\t999\t2000\tMYGENE\n2\t165749999\t165750000\n")
    result = run_cli(plain, "--regions", bed)
    assert result.code == 0, result.err
    assert sorted((r["pos"], r["gene"], r["transcript"]) for r in table(result.out)) == [
        ("1000", "MYGENE", "."), ("165750000", "GALNT3", "NM_004482.4")]


def test_grch37_gene_without_model_is_named_not_silently_missed(tmp: Path) -> None:
    plain = write_vcf(tmp / "in.vcf", ["2 166610000 . A G 50 PASS . GT 0/1"], build="GRCh37", prefix="")
    result = run_cli(plain)
    assert result.code == 0
    assert ("2 panel genes have no transcript model on GRCh37 and are not covered: SLC20A2, ACVR1; give --gff with "
            "a GRCh37 annotation that has them (e.g. GENCODE's GTF)\n") in result.err
    assert "## not covered on GRCh37 (no transcript model): SLC20A2, ACVR1\n" in result.out
    refused = run_cli(plain, "--genes", "ACVR1")
    assert refused.code == 2
    assert refused.err == ("hftc-annot: error: --genes: ACVR1 has no transcript model on GRCh37; "
                           "use GRCh38 input, or give --gff with a model of it\n")


def test_a_grch37_gap_is_filled_from_gff(tmp: Path) -> None:
    """ACVR1 has no shipped GRCh37 model; a --gff that has one covers it (a test-only model: the GRCh38 one moved by
    +856,512 bp, the offset of its verified coding exons), and the other genes keep their shipped models."""
    lines = [line.split("\t") for line in models_gff3("GRCh38").read_text().splitlines() if not line.startswith("#")]
    gene_id = next(f[8].split(";")[0] for f in lines if f[2] == "gene" and ";Name=ACVR1;" in f[8])
    transcript_id = next(f[8].split(";")[0] for f in lines if f[2] == "mRNA" and f"Parent={gene_id[3:]}" in f[8])
    keep = [f for f in lines
            if f[8].startswith((gene_id + ";", transcript_id + ";")) or f"Parent={transcript_id[3:]}" in f[8]]
    gff = tmp / "acvr1.GRCh37.gff3"
    gff.write_text("".join("\t".join(["2", f[1], f[2], str(int(f[3]) + 856512), str(int(f[4]) + 856512), *f[5:]]) + "\n"
                           for f in keep))
    cds_start = min(int(f[3]) for f in keep if f[2] == "CDS") + 856512
    plain = write_vcf(tmp / "in.vcf", [f"2 {cds_start + 30} . A G 50 PASS . GT 0/1",
                                       "2 166610000 . A G 50 PASS . GT 0/1"], build="GRCh37", prefix="")
    result = run_cli(plain, "--gff", gff)
    assert result.code == 0, result.err
    assert sorted((r["gene"], r["consequence"].split("&")[-1]) for r in table(result.out)) == \
        [("ACVR1", "coding_sequence_variant"), ("GALNT3", "intron_variant")]
    assert "## not covered on GRCh37 (no transcript model): SLC20A2\n" in result.out


def test_a_gff_of_the_other_build_is_refused(tmp: Path) -> None:
    """A GRCh38 annotation given for GRCh37 input put every shipped gene's model 0.1-1 Mb from its records: the rows
    had no consequence at all (and SLC20A2, ACVR1 were 'covered' at their GRCh38 places), without a word."""
    plain = write_vcf(tmp / "in.vcf", ["2 166610000 . A G 50 PASS . GT 0/1"], build="GRCh37", prefix="")
    result = run_cli(plain, "--gff", models_gff3("GRCh38"))
    assert (result.code, result.out) == (2, "")
    assert result.err == (f"hftc-annot: error: --gff {models_gff3('GRCh38')}: ABCC6 (ENST00000205557.12) is at "
                          "chr16:16,149,565-16,223,494, but on GRCh37 at chr16:16,243,422-16,317,351: give a GRCh37 "
                          "annotation\n")
    result = run_cli(plain, "--gff", models_gff3("GRCh37"))
    assert result.code == 0, result.err
    assert [(r["gene"], r["consequence"]) for r in table(result.out)] == [("GALNT3", "intron_variant")]
