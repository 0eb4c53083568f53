"""Provenance: the preamble written by to_lines() reads back as the same object, and every shipped example's
preamble (tests/data/golden) is re-written byte for byte from what from_lines() reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from hftc_annot.provenance import Provenance

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"
FULL = Provenance(
    version="0.1.0", command="hftc-annot a.vcf --build GRCh37 -o out.tsv", inputs=("a.vcf", "b.vcf"),
    merged="2 reports (a.tsv, b.tsv)", build="GRCh37", build_reason="given with --build", panel_key="panel",
    panel="41 genes (shipped panel; MANE Select v1.5 models, GENCODE v44), padding 50 bp", genes=("GALNT3", "KL"),
    samples=("KID", "MUM"), consequences="computed; transcripts: shipped MANE Select models; reference: none",
    knowledge="curated HFTC literature variants", evidence_tier="evidence tier (not an ACMG classification)",
    not_covered=("SAMD9", "SPP1"), build_check="0 records in GRCh37 panel regions, but 8 would be in GRCh38")


def test_round_trip_of_every_field() -> None:
    lines = FULL.to_lines()
    assert lines[:4] == ["hftc-annot 0.1.0", "command: hftc-annot a.vcf --build GRCh37 -o out.tsv", "input: a.vcf",
                         "input: b.vcf"]
    assert "not covered on GRCh37 (no transcript model): SAMD9, SPP1" in lines
    assert Provenance.from_lines(lines) == FULL
    assert FULL.padding == 50


def test_sites_only_regions_run_round_trips() -> None:
    bare = Provenance(version="0.1.0", command="c", inputs=("-",), build="GRCh38", build_reason="from x",
                      panel_key="regions", panel="t.bed (2 BED regions, genes from the shipped panel)", genes=(),
                      samples=())
    assert bare.to_lines()[-2:] == ["genes: ", "samples: 0"]
    assert Provenance.from_lines(bare.to_lines()) == bare and bare.padding is None


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.tsv")), ids=lambda p: p.name)
def test_shipped_preambles_are_rewritten_byte_for_byte(path: Path) -> None:
    """A report's preamble is its provenance; a --summary table's ends with its own without_candidates line."""
    lines = [line[3:] for line in path.read_text().splitlines() if line.startswith("## ")]
    if path.name.endswith(".summary.tsv"):
        assert lines.pop().startswith("without_candidates: ")
    assert Provenance.from_lines(lines).to_lines() == lines


def test_missing_line_is_named() -> None:
    lines = [line for line in FULL.to_lines() if not line.startswith("genes: ")]
    with pytest.raises(KeyError, match="genes"):
        Provenance.from_lines(lines)


def test_shard_line_round_trips_and_a_damaged_one_is_named() -> None:
    shard = Provenance.from_lines([*FULL.to_lines()[:4], "shard: 2/4", *FULL.to_lines()[4:]])
    assert shard.shard == (2, 4) and shard.to_lines()[4] == "shard: 2/4"
    assert Provenance.from_lines(shard.to_lines()) == shard and FULL.shard is None
    with pytest.raises(ValueError, match="^'shard: 2 of 4' is not 'shard: K/N'$"):
        Provenance.from_lines([*FULL.to_lines(), "shard: 2 of 4"])


def test_a_panel_read_from_a_pipe_is_named_by_the_checksum_of_what_was_read(tmp_path: Path) -> None:
    """The preamble's checksum re-read the --panel file: a pipe gave the checksum of nothing, and a FIFO blocked."""
    import hashlib
    import os
    import threading

    from conftest import run_cli

    fifo = tmp_path / "panel.tsv"
    os.mkfifo(fifo)
    data = b"gene\tinheritance\nGALNT3\tAR\n"
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    result = run_cli(Path(__file__).resolve().parents[1] / "example_vcfs" / "trio.vcf", "-q", "--panel", fifo)
    writer.join()
    assert result.code == 0, result.err
    assert f"## panel: 1 genes from {fifo} (sha256 {hashlib.sha256(data).hexdigest()}; " in result.out


def test_the_annotated_vcf_of_a_regions_run_names_its_bed(tmp_path: Path) -> None:
    """The TSV's '## regions:' line had no counterpart in the annotated VCF: nothing but the command said which
    regions chose its records, and merge joined the VCFs of runs over different BEDs."""
    from conftest import run_cli

    exome = Path(__file__).resolve().parents[1] / "example_vcfs" / "single_exome.vcf"
    beds = {name: tmp_path / f"{name}.bed" for name in ("galnt3", "abcc6")}
    beds["galnt3"].write_text("chr2\t165747000\t165800000\tG\n")
    beds["abcc6"].write_text("chr16\t16170000\t16180000\tA\n")
    for name, bed in beds.items():
        result = run_cli(exome, "-q", "--regions", bed, "-o", tmp_path / f"{name}.vcf")
        assert (result.code, result.err) == (0, "")
    header = [line for line in (tmp_path / "galnt3.vcf").read_text().splitlines() if line.startswith("##hftc-annot_")]
    assert f"##hftc-annot_regions={beds['galnt3']} (1 BED regions, genes from the shipped panel)" in header
    assert not any(line.startswith("##hftc-annot_padding=") for line in header)
    result = run_cli("merge", "-o", tmp_path / "both.vcf", tmp_path / "galnt3.vcf", tmp_path / "abcc6.vcf")
    assert (result.code, result.err) == (2, f"hftc-annot: error: cannot merge {tmp_path / 'galnt3.vcf'} with "
                                            f"{tmp_path / 'abcc6.vcf'}: different regions ('{beds['galnt3']} (1 BED "
                                            f"regions, genes from the shipped panel)' vs '{beds['abcc6']} (1 BED "
                                            "regions, genes from the shipped panel)')\n")
    assert not (tmp_path / "both.vcf").exists()
