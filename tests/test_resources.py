"""The shipped resources: invariants checked against independent facts, and reproducible generation."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from hftc_annot.panel import load_panel
from hftc_annot.resources import genes_bed, models_gff3, read_table, resource_path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "data" / "raw"
# Protein lengths (aa, without the stop) of the MANE Select proteins, as stated in issue #2 / UniProt.
KNOWN_PROTEIN_LENGTHS = {"GALNT3": 633, "FGF23": 251, "KL": 1012}
GRCH37_WITHOUT_MODEL = {"ACVR1", "SLC20A2"}
# Models that scripts/build_resources.py moved to GRCh37 itself (status verified_lift37): the offset GRCh37 - GRCh38
# of each exon in transcript order and the GRCh37 CDS span (1-based, stop codon included), as found independently
# by /work/notes/grch37_research.md. FBN2 has a 1-bp longer intron 19 on GRCh37; MYORG is KIAA1161 in GENCODE V24.
LIFTED_GRCH37 = {
    "ENPP3": ([321140] * 25, (131958525, 132068096)),
    "FBN2": ([-664307] * 19 + [-664308] * 46, (127595147, 127873296)),
    "MYORG": ([-2] * 2, (34370797, 34372941)),
    "SAMD9": ([-370687] * 3, (92730641, 92735410)),
    "SLC34A3": ([2894452] * 13, (140126155, 140130868)),
    "SPP1": ([921152] * 7, (88898048, 88904048)),
}


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
    assert len(models) == (49 if build == "GRCh38" else 47)
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
    status = {f["symbol"]: f["grch37_model"] for f in facts}
    assert {g for g, s in status.items() if s not in ("ok", "ok_per_exon", "verified_lift37")} == GRCH37_WITHOUT_MODEL
    assert {g for g, s in status.items() if s == "verified_lift37"} == set(LIFTED_GRCH37)
    galnt3 = next(f for f in facts if f["symbol"] == "GALNT3")
    assert (galnt3["hgnc_id"], galnt3["inheritance"], galnt3["mane_select_refseq"]) == (
        "HGNC:4125", "AR", "NM_004482.4")
    panel37 = load_panel("GRCh37")
    assert set(panel37.without_model) == GRCH37_WITHOUT_MODEL
    assert len(panel37.genes) == 47


def test_lifted_grch37_models_have_the_verified_offsets_and_cds() -> None:
    models38, models37 = gff_transcripts("GRCh38"), gff_transcripts("GRCh37")
    for gene, (offsets, cds_span) in LIFTED_GRCH37.items():
        m38, m37 = models38[gene], models37[gene]
        minus = m38["strand"] == "-"
        exons38, exons37 = sorted(m38["exons"], reverse=minus), sorted(m37["exons"], reverse=minus)
        assert [(s7 - s8, e7 - e8) for (s8, e8), (s7, e7) in zip(exons38, exons37, strict=True)] == [
            (o, o) for o in offsets], gene
        assert (min(s for s, _, _ in m37["cds"]), max(e for _, e, _ in m37["cds"])) == cds_span, gene
        assert sum(e - s for s, e, _ in m37["cds"]) == sum(e - s for s, e, _ in m38["cds"]), gene


def build_script() -> Any:
    """scripts/build_resources.py as a module."""
    spec = importlib.util.spec_from_file_location("build_resources", ROOT / "scripts" / "build_resources.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_lift37_rule_brackets_only_in_segments_of_equal_length() -> None:
    """The rule of scripts/build_resources.py on a made-up canonical transcript whose second intron is 10 bp longer
    on GRCh37: a MANE exon boundary must be at a canonical boundary or inside a segment of the same length."""
    build = build_script()
    c38, c37 = [(100, 200), (300, 400), (500, 600)], [(1100, 1200), (1300, 1400), (1510, 1610)]

    def lift(exons: list[tuple[int, int]], cds: tuple[int, int]) -> object:
        m = build.Model("G", "chr1", "+", exons[0][0], exons[-1][1], *cds, tuple(exons))
        return build.lift37(m, c38, c37)[0]

    # exon 250-260 lies in the first intron (same length): bracketed; the last exon moves with its own offset
    lifted = lift([(50, 200), (250, 260), (300, 400), (500, 650)], (150, 550))
    assert lifted == build.Model("G", "chr1", "+", 1050, 1660, 1150, 1560,
                                 ((1050, 1200), (1250, 1260), (1300, 1400), (1510, 1660)))
    assert lift([(50, 200), (420, 450), (500, 650)], (150, 550)) is None  # inside the intron of different length
    assert lift([(20, 60), (100, 200)], (150, 180)) is None  # first exon outside the canonical transcript
    assert lift([(50, 200), (350, 550), (600, 650)], (150, 620)) is None  # one exon, two offsets


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
def test_lift37_rule_reproduces_the_41_derived_grch37_models() -> None:
    """Control: the rule that gave the verified_lift37 models, applied to the genes whose GRCh37 model comes from
    mane_select_models_GRCh37_derived.tsv, gives exactly those models."""
    build = build_script()
    canonical = {v: build.read_canonical(RAW / build.CANONICAL.format(v)) for v in ("38", "37")}
    rows38 = {r["gene"]: r for r in build.read_tsv(RAW / build.MODELS_38)}
    derived = [r for r in build.read_tsv(RAW / build.MODELS_37) if r["status"] in build.GRCH37_USABLE]
    assert len(derived) == 41
    for r in derived:
        m38 = build.parse_model(r["gene"], rows38[r["gene"]])
        key = (build.V24_NAMES.get(m38.gene, m38.gene), m38.chrom, m38.strand)
        lifted, evidence = build.lift37(m38, canonical["38"][key], canonical["37"][key])
        assert lifted == build.parse_model(r["gene"], {**r, "strand": m38.strand}), (r["gene"], evidence)


@pytest.mark.skipif(not RAW.is_dir(), reason="../shared/data/raw is not beside this checkout")
def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_resources.py"), "--raw", str(RAW),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    for made in tmp_path.iterdir():
        assert made.read_bytes() == (ROOT / "resources" / made.name).read_bytes(), made.name
