"""The shipped resources: invariants checked against independent facts, and reproducible generation."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from hftc_annot.panel import load_panel
from hftc_annot.resources import genes_bed, models_gff3, read_table, resource_path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "data" / "raw"
# Protein lengths (aa, without the stop) of the MANE Select proteins, as stated in issue #2 / UniProt.
KNOWN_PROTEIN_LENGTHS = {"GALNT3": 633, "FGF23": 251, "KL": 1012}
GRCH37_WITHOUT_MODEL = {"SAMD9", "SLC20A2", "MYORG", "ACVR1", "SLC34A3", "SPP1", "ENPP3", "FBN2"}


def gff_transcripts(build: str) -> dict[str, dict]:
    """Per gene: strand, mRNA span, exons and CDS segments (1-based closed) with phases."""
    genes: dict[str, str] = {}
    tx_gene: dict[str, str] = {}
    out: dict[str, dict] = defaultdict(lambda: {"exons": [], "cds": []})
    for line in models_gff3(build).read_text().splitlines():
        if line.startswith("#"):
            continue
        chrom, _, kind, start, end, _, strand, phase, attrs = line.split("\t")
        attr = dict(a.split("=", 1) for a in attrs.split(";"))
        if kind == "gene":
            genes[attr["ID"]] = attr["Name"]
        elif kind == "mRNA":
            tx_gene[attr["ID"]] = genes[attr["Parent"]]
            out[genes[attr["Parent"]]].update(chrom=chrom, strand=strand, span=(int(start), int(end)),
                                              tag=attr["tag"], mane=attr["mane_select"], tx=attr["ID"])
        elif kind == "exon":
            out[tx_gene[attr["Parent"]]]["exons"].append((int(start), int(end)))
        elif kind == "CDS":
            out[tx_gene[attr["Parent"]]]["cds"].append((int(start), int(end), int(phase)))
    return dict(out)


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_models_are_well_formed(build: str) -> None:
    models = gff_transcripts(build)
    assert len(models) == (49 if build == "GRCh38" else 41)
    for gene, m in models.items():
        exons = sorted(m["exons"])
        assert all(a[1] < b[0] for a, b in zip(exons, exons[1:], strict=False)), f"{gene}: exons overlap"
        assert (exons[0][0], exons[-1][1]) == m["span"], gene
        cds = sorted(m["cds"], reverse=m["strand"] == "-")
        length = sum(e - s + 1 for s, e, _ in cds)
        assert length % 3 == 0, gene
        done = 0
        for start, end, phase in cds:
            assert phase == (3 - done % 3) % 3, f"{gene}: CDS phase"
            assert any(s <= start and end <= e for s, e in exons), f"{gene}: CDS outside exons"
            done += end - start + 1
        assert m["tag"] == "MANE_Select" and m["mane"].startswith("NM_")


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_known_protein_lengths(build: str) -> None:
    models = gff_transcripts(build)
    for gene, aa in KNOWN_PROTEIN_LENGTHS.items():
        cds_bases = sum(e - s + 1 for s, e, _ in models[gene]["cds"])
        assert cds_bases == (aa + 1) * 3, gene


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_bed_agrees_with_models(build: str) -> None:
    models = gff_transcripts(build)
    rows = [line.split("\t") for line in genes_bed(build).read_text().splitlines() if not line.startswith("#")]
    assert {r[3] for r in rows} == set(models)
    for chrom, start0, end, name, _, strand in rows:
        assert (chrom, (int(start0) + 1, int(end)), strand) == (
            models[name]["chrom"], models[name]["span"], models[name]["strand"])


def test_panel_facts_cover_every_gene_and_grch37_gaps_are_named() -> None:
    facts = read_table("panel_facts.tsv")
    assert len(facts) == 49
    assert {f["symbol"] for f in facts if f["grch37_model"] not in ("ok", "ok_per_exon")} == GRCH37_WITHOUT_MODEL
    galnt3 = next(f for f in facts if f["symbol"] == "GALNT3")
    assert (galnt3["hgnc_id"], galnt3["inheritance"], galnt3["mane_select_refseq"]) == (
        "HGNC:4125", "AR", "NM_004482.4")
    panel37 = load_panel("GRCh37")
    assert set(panel37.without_model) == GRCH37_WITHOUT_MODEL
    assert len(panel37.genes) == 41


def test_exact_coordinates_of_galnt3() -> None:
    """MANE v1.5 NM_004482.4 spans chr2:165,747,588-165,794,247 (minus strand) on GRCh38."""
    gene = next(g for g in load_panel("GRCh38").genes if g.symbol == "GALNT3")
    assert (gene.chrom, gene.start, gene.end, gene.strand) == ("chr2", 165747588, 165794247, "-")
    assert (gene.refseq, gene.ensembl_transcript) == ("NM_004482.4", "ENST00000392701.8")


def test_provenance_hashes_match_shipped_files() -> None:
    for row in read_table("PROVENANCE.tsv"):
        if row["role"] == "output":
            digest = hashlib.sha256(resource_path(row["file"]).read_bytes()).hexdigest()
            assert digest == row["sha256"], row["file"]


@pytest.mark.skipif(not RAW.is_dir(), reason="../shared/data/raw is not beside this checkout")
def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_resources.py"), "--raw", str(RAW),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    for made in tmp_path.iterdir():
        assert made.read_bytes() == (ROOT / "resources" / made.name).read_bytes(), made.name
