"""Consequences through the command line: --fasta, the installed reference, REF checks, --gff, from-input.

The reference here is SYNTHETIC: a GRCh38-length chr21 that is N everywhere except JAM2 (± 5 kb), where the
oracle harness imprints a valid ORF on the real MANE exon structure.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pysam
import pytest

from hftc_annot.consequence import ConsequenceStage
from hftc_annot.consequence.alleles import minimal
from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.consequence.predict import CodingSequence, predict
from hftc_annot.consequence.sequence import MemorySource
from hftc_annot.errors import InputError
from hftc_annot.resources import models_gff3

from conftest import run_cli, table, write_vcf
from oracle.harness import build_oracle_reference, read_models

CHR21 = 46_709_983
SHIPPED = Path(__file__).resolve().parents[1] / "resources" / "mane_select.GRCh38.gff3"


@pytest.fixture(scope="module")
def genome(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("genome")
    jam2 = [m for m in read_models(SHIPPED) if m.gene == "JAM2"]
    oracle = build_oracle_reference(jam2, work / "oracle", seed=7)
    contig = oracle.contigs["JAM2"]
    sequence = pysam.FastaFile(str(work / "oracle" / "oracle.fa")).fetch(contig.contig)
    start = 1 + contig.offset  # GRCh38 position of the contig's first base
    plain = work / "chr21.fa"
    with open(plain, "w") as out:
        out.write(">chr21 synthetic: N except JAM2\n")
        body = "N" * (start - 1) + sequence + "N" * (CHR21 - (start - 1) - len(sequence))
        out.writelines(body[i:i + 60] + "\n" for i in range(0, len(body), 60))
    fasta = work / "chr21.fa.gz"
    pysam.tabix_compress(str(plain), str(fasta), force=True)
    pysam.faidx(str(fasta))
    pysam.faidx(str(plain))
    t = next(t for t in read_transcripts(models_gff3("GRCh38")) if t.gene == "JAM2")
    return {"fasta": fasta, "plain": plain, "sequence": sequence, "start": start, "transcript": t, "work": work}


def _base(genome: dict, pos: int) -> str:
    return genome["sequence"][pos - genome["start"]]


def _cds_positions(genome: dict, codon: int) -> list[int]:
    """Genomic positions of the three bases of a codon (1-based) of JAM2 (plus strand)."""
    t = genome["transcript"]
    first = t.coding_cdna[0]
    return [t.genomic_of(first + (codon - 1) * 3 + k) for k in range(3)]


def test_fasta_gives_protein_consequences_and_checks_ref(genome: dict, tmp: Path) -> None:
    p = _cds_positions(genome, 20)
    ref = _base(genome, p[1])
    alt = "A" if ref != "A" else "C"
    records = [f"chr21 {p[1]} . {ref} {alt} 50 PASS . GT 0/1",
               f"chr21 {p[0]} . {'T' if _base(genome, p[0]) != 'T' else 'G'} A 50 PASS . GT 0/1"]
    vcf = write_vcf(tmp / "in.vcf", records)
    result = run_cli(vcf, "--fasta", genome["fasta"], "--genes", "JAM2")
    assert result.code == 0, result.err
    rows = table(result.out)
    expected = predict(genome["transcript"], minimal("chr21", p[1], ref, alt),
                       MemorySource({"chr21": "N" * (genome["start"] - 1) + genome["sequence"]}),
                       CodingSequence(genome["transcript"], MemorySource(
                           {"chr21": "N" * (genome["start"] - 1) + genome["sequence"]})))
    assert rows[0]["hgvs_c"] == expected.hgvs_c and rows[0]["hgvs_p"] == expected.hgvs_p != ""
    assert rows[0]["consequence"] == "&".join(expected.terms)
    assert rows[0]["codons"] == expected.codons and rows[0]["protein_position"] == "20"
    # REF disagrees with the FASTA: the position's terms, no HGVS c., the protein effect unknown
    assert (rows[1]["consequence"], rows[1]["impact"], rows[1]["hgvs_c"]) == ("coding_sequence_variant", "UNKNOWN", ".")
    assert rows[1]["consequence_note"].endswith(": consequence from the position only; protein effect unknown")
    assert rows[1]["consequence_note"].startswith("REF does not match the reference (REF ")
    assert "REF differs from the reference FASTA; consequence from the position only: 1 time (first at chr21:" \
        in result.err
    assert "has no sequence (missing or all N) for 0" not in result.err



def test_a_skipped_allele_is_not_counted_as_annotated_from_its_position(genome: dict, tmp: Path) -> None:
    """An IUPAC REF (R) is skipped: no REF warning saying its consequence came from the position."""
    p = _cds_positions(genome, 20)
    vcf = write_vcf(tmp / "in.vcf", [f"chr21 {p[1]} . R A 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--fasta", genome["fasta"], "--genes", "JAM2")
    assert result.code == 0, result.err
    assert table(result.out) == []
    assert "REF differs" not in result.err
    assert "skipped alleles: 1 allele with letters other than A, C, G, T, N;" in result.err

def test_installed_reference_replaces_fasta(genome: dict, tmp: Path) -> None:
    env = {**os.environ, "HFTC_ANNOT_CACHE": str(tmp / "cache")}
    p = _cds_positions(genome, 30)
    ref = _base(genome, p[2])
    vcf = write_vcf(tmp / "in.vcf", [f"chr21 {p[2]} . {ref} {'G' if ref != 'G' else 'T'} 50 PASS . GT 0/1"])
    status = run_cli("reference", "status", env=env)
    assert "GRCh38: not installed" in status.out
    installed = run_cli("reference", "install", genome["fasta"], env=env)
    assert installed.code == 0, installed.err
    assert installed.out.startswith("installed GRCh38 panel reference: ")
    assert "lacks the contigs of 48 panel genes" in installed.err
    # the warning names the installed file, not the temporary folder it was built and checked in (now gone)
    assert (f"hftc-annot: warning: installed GRCh38 panel reference ({tmp / 'cache' / 'reference' / 'GRCh38'}"
            "/panel.fa.gz) has no sequence (missing or all N) for 48 panel gene(s): ABCC6, ") in installed.err
    assert ".hftc-annot-" not in installed.err
    assert "GRCh38: installed from" in run_cli("reference", "status", env=env).out
    with_fasta = run_cli(vcf, "--fasta", genome["fasta"], "--genes", "JAM2", env=env)
    without = run_cli(vcf, "--genes", "JAM2", env=env)
    assert table(with_fasta.out) == table(without.out)
    assert table(without.out)[0]["hgvs_p"] != "."
    assert "no reference FASTA" not in without.err


def test_annotated_vcf_escapes_the_equals_sign_of_a_synonymous_hgvs_p(genome: dict, tmp: Path) -> None:
    """p.(Leu20=) in INFO/HFTC is written p.(Leu20%3D), as VEP writes it: VCF INFO values may not hold '='."""
    p = _cds_positions(genome, 20)
    assert "".join(_base(genome, x) for x in p) == "TTA"
    vcf = write_vcf(tmp / "in.vcf", [f"chr21 {p[2]} . A G 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--fasta", genome["fasta"], "--genes", "JAM2", "--format", "vcf")
    assert result.code == 0, result.err
    info = result.out.splitlines()[-1].split("\t")[7]
    assert info.split("|")[9:11] == ["NM_021219.4:c.60A>G", "NP_067042.1:p.(Leu20%3D)"]


@pytest.mark.parametrize(("case", "message"), [
    ("short", "contig 21 is 1,000 bp, but GRCh38 has 46,709,983 bp"),
    ("no-index", "has no .fai index; run samtools faidx"),
    ("gzip", "is compressed with gzip, not bgzip, so it cannot be indexed or read at an offset; recompress it (zcat "),
])
def test_wrong_fasta_is_refused(genome: dict, tmp: Path, case: str, message: str) -> None:
    """A gzip (not bgzip) FASTA such as UCSC's hg38.fa.gz is named so, even beside a .fai: samtools faidx refuses it,
    and being told to run it was no help."""
    fasta = tmp / "bad.fa"
    fasta.write_text(">chr21\n" + "A" * 1000 + "\n")
    if case == "short":
        pysam.faidx(str(fasta))
    if case == "gzip":
        fasta = tmp / "bad.fa.gz"
        fasta.write_bytes(gzip.compress(b">chr21\n" + b"A" * 1000 + b"\n"))
        (tmp / "bad.fa.gz.fai").write_text("chr21\t1000\t7\t1000\t1001\n")
    vcf = write_vcf(tmp / "in.vcf", ["chr21 25700000 . A G 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--fasta", fasta, "-o", tmp / "out.tsv")
    assert result.code == 2 and message in result.err and result.err.count("\n") == 1, result.err
    assert not (tmp / "out.tsv").exists()


def _stale_copy(genome: dict, tmp: Path, kind: str) -> Path:
    """A copy of the FASTA whose title line grew after it was indexed: its .fai offsets are 9 bytes short."""
    source = genome["fasta" if kind == "bgzip" else "plain"]
    copy = tmp / source.name
    copy.symlink_to(source)
    for suffix in (".gzi",) if kind == "bgzip" else ():
        (tmp / (source.name + suffix)).symlink_to(str(source) + suffix)
    rows = [line.split("\t") for line in Path(str(source) + ".fai").read_text().splitlines()]
    Path(str(copy) + ".fai").write_text("".join("\t".join([r[0], r[1], str(int(r[2]) - 9), *r[3:]]) + "\n"
                                                for r in rows))
    return copy


@pytest.mark.parametrize("kind", ["plain", "bgzip"])
def test_stale_fasta_index_is_refused(genome: dict, tmp: Path, kind: str) -> None:
    fasta = _stale_copy(genome, tmp, kind)
    vcf = write_vcf(tmp / "in.vcf", ["chr21 25700000 . A G 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--fasta", fasta, "-o", tmp / "out.tsv")
    assert result.code == 2, result.err
    assert result.err == (f"hftc-annot: error: {fasta}: contig chr21: the .fai/.gzi index does not match the file "
                          "(was the FASTA changed after it was indexed?); re-index it with samtools faidx\n")
    assert not (tmp / "out.tsv").exists()


def test_a_fasta_cut_short_after_indexing_is_one_line(genome: dict, tmp: Path) -> None:
    """A copy of the FASTA cut at 40% (an interrupted transfer), its .fai the whole file's: htslib printed its own
    '[E::fai_retrieve] ...' line before the error."""
    fasta = tmp / "chr21.fa"
    with open(genome["plain"], "rb") as whole, open(fasta, "wb") as cut:
        cut.write(whole.read(genome["plain"].stat().st_size * 2 // 5))
    Path(f"{fasta}.fai").write_bytes(Path(f"{genome['plain']}.fai").read_bytes())
    vcf = write_vcf(tmp / "in.vcf", ["chr21 25700000 . A G 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--fasta", fasta, "-o", tmp / "out.tsv")
    assert result.code == 2
    assert result.err.count("\n") == 1 and result.err.startswith(f"hftc-annot: error: {fasta}: cannot read chr21:"), \
        result.err
    assert not (tmp / "out.tsv").exists()


def test_a_fasta_index_htslib_cannot_read_is_one_line(genome: dict, tmp: Path) -> None:
    """A .fai of four columns: htslib printed '[E::fai_read] ...' and '[E::fai_load3_core] ...' before the error."""
    fasta = tmp / "chr21.fa"
    fasta.symlink_to(genome["plain"])
    Path(f"{fasta}.fai").write_text("chr21\t46709983\t7\t60\n")
    error = (f"hftc-annot: error: {fasta}: cannot open as an indexed FASTA (error when opening file `{fasta}`); "
             "index it with samtools faidx\n")
    vcf = write_vcf(tmp / "in.vcf", ["chr21 25700000 . A G 50 PASS . GT 0/1"])
    run = run_cli(vcf, "--fasta", fasta, "-o", tmp / "out.tsv")
    assert (run.code, run.err) == (2, error)
    assert not (tmp / "out.tsv").exists()
    installed = run_cli("reference", "install", fasta, env={**os.environ, "HFTC_ANNOT_CACHE": str(tmp / "cache")})
    assert (installed.code, installed.err) == (2, error)
    assert not (tmp / "cache").exists()


def test_failed_install_leaves_the_cache_as_it_was(genome: dict, tmp: Path) -> None:
    cache = tmp / "cache"
    env = {**os.environ, "HFTC_ANNOT_CACHE": str(cache)}
    stale = _stale_copy(genome, tmp, "bgzip")
    first = run_cli("reference", "install", stale, env=env)
    assert first.code == 2 and first.err.count("\n") == 1 and "re-index it with samtools faidx" in first.err
    assert not cache.exists()  # no empty folders left behind
    assert run_cli("reference", "install", genome["fasta"], env=env).code == 0
    installed = sorted(p.name for p in (cache / "reference" / "GRCh38").iterdir())
    assert run_cli("reference", "install", stale, env=env).code == 2
    assert sorted(p.name for p in (cache / "reference" / "GRCh38").iterdir()) == installed
    assert [p.name for p in (cache / "reference").iterdir()] == ["GRCh38"]
    assert "GRCh38: installed from" in run_cli("reference", "status", env=env).out


def test_install_that_fails_its_translation_check_keeps_the_old_one(genome: dict, tmp: Path) -> None:
    """A FASTA of the right lengths whose JAM2 CDS does not translate fails after the new cache folder was
    built: the folder is removed and the previous installation stays."""
    cache = tmp / "cache"
    env = {**os.environ, "HFTC_ANNOT_CACHE": str(cache)}
    text = genome["plain"].read_text()
    title, _, sequence = text.partition("\n")
    bases = sequence.replace("\n", "")
    t = genome["transcript"]
    first = t.genomic_of(t.coding_cdna[0])
    broken = bases[:first - 1] + "TAA" + bases[first + 2:]  # the start codon becomes a stop
    wrong = tmp / "wrong.fa"
    wrong.write_text(title + "\n" + "".join(broken[i:i + 60] + "\n" for i in range(0, len(broken), 60)))
    pysam.faidx(str(wrong))
    first_try = run_cli("reference", "install", wrong, env=env)
    assert first_try.code == 2, first_try.err
    assert "the JAM2 CDS (" in first_try.err and "does not translate from ATG" in first_try.err
    assert not cache.exists()
    assert run_cli("reference", "install", genome["fasta"], env=env).code == 0
    before = {p.name: p.read_bytes() for p in (cache / "reference" / "GRCh38").iterdir()}
    assert run_cli("reference", "install", wrong, env=env).code == 2
    assert {p.name: p.read_bytes() for p in (cache / "reference" / "GRCh38").iterdir()} == before
    assert [p.name for p in (cache / "reference").iterdir()] == ["GRCh38"]


def test_install_into_a_linked_cache_keeps_the_link(genome: dict, tmp: Path) -> None:
    (tmp / "disk" / "GRCh38").mkdir(parents=True)
    (tmp / "cache" / "reference").mkdir(parents=True)
    link = tmp / "cache" / "reference" / "GRCh38"
    link.symlink_to(tmp / "disk" / "GRCh38")
    env = {**os.environ, "HFTC_ANNOT_CACHE": str(tmp / "cache")}
    result = run_cli("reference", "install", genome["fasta"], env=env)
    assert result.code == 0, result.err
    assert link.is_symlink() and (tmp / "disk" / "GRCh38" / "panel.fa.gz").is_file()


def test_install_beside_another_making_the_cache_folders(genome: dict, tmp: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Two jobs installing into a new cache at once: the other makes the cache folder between this one's look and its
    mkdir. This one failed: 'cannot write the reference cache .../reference/GRCh38 (File exists)'."""
    from hftc_annot.consequence.install import install

    cache = tmp / "cache"
    monkeypatch.setenv("HFTC_ANNOT_CACHE", str(cache))
    mkdir = Path.mkdir

    def other_job_first(self: Path, *args, **kwargs) -> None:
        if self == cache:
            mkdir(self)  # the other job's
        mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", other_job_first)
    build, path, _ = install(str(genome["fasta"]))
    assert (build, path) == ("GRCh38", cache / "reference" / "GRCh38" / "panel.fa.gz")
    assert sorted(p.name for p in path.parent.iterdir()) == ["manifest.tsv", "panel.fa.gz", "panel.fa.gz.fai",
                                                             "panel.fa.gz.gzi"]


@pytest.mark.parametrize("installed_before", [False, True])
def test_install_beside_another_swapping_its_own_in(genome: dict, tmp: Path, monkeypatch: pytest.MonkeyPatch,
                                                    installed_before: bool) -> None:
    """Another job's installation lands in the cache between this one's look and its rename: this one's goes in (the
    last to swap stays). This one failed: 'cannot write the reference cache .../GRCh38 (Directory not empty)'."""
    from hftc_annot.consequence import install as module

    cache = tmp / "cache"
    monkeypatch.setenv("HFTC_ANNOT_CACHE", str(cache))
    final = cache / "reference" / "GRCh38"
    if installed_before:
        assert module.install(str(genome["fasta"]))[0] == "GRCh38"
    rename, once = os.rename, [True]

    def other_job_first(source: Path, target: Path) -> None:
        if Path(target) == final and once:
            once.clear()
            final.mkdir()
            (final / "other").write_text("another job's installation\n")
        rename(source, target)

    monkeypatch.setattr(module.os, "rename", other_job_first)
    build, path, _ = module.install(str(genome["fasta"]))
    assert (build, path) == ("GRCh38", final / "panel.fa.gz")
    assert sorted(p.name for p in final.iterdir()) == ["manifest.tsv", "panel.fa.gz", "panel.fa.gz.fai",
                                                       "panel.fa.gz.gzi"]
    assert sorted(p.name for p in (cache / "reference").iterdir()) == ["GRCh38"]


@pytest.mark.parametrize("step", ["tabix_compress", "faidx"])
def test_install_on_a_full_disk_is_one_line(genome: dict, tmp: Path, monkeypatch: pytest.MonkeyPatch,
                                            step: str) -> None:
    """htslib failing to write the cut file (as on a full disk) is the cache error, nothing left behind. It said
    '(None)' for panel.fa.gz, and was 'internal error: SamtoolsError' for its index."""
    from hftc_annot.consequence.install import install
    from hftc_annot.errors import UsageError

    def full_disk(*args, **kwargs) -> None:  # what pysam raises when the disk fills
        if step == "faidx":
            raise pysam.utils.SamtoolsError("samtools returned with error 1: stdout=, stderr=[faidx] Could not "
                                            "build fai index panel.fa.gz.fai\n")
        raise OSError("writing failed")

    cache = tmp / "cache"
    monkeypatch.setenv("HFTC_ANNOT_CACHE", str(cache))
    monkeypatch.setattr(pysam, step, full_disk)
    with pytest.raises(UsageError) as failed:
        install(str(genome["fasta"]))
    assert str(failed.value) == (f"cannot write the reference cache {cache / 'reference' / 'GRCh38'} (htslib could "
                                 "not write panel.fa.gz and its index); set HFTC_ANNOT_CACHE to a writable folder")
    assert not cache.exists()


REINSTALL = "reinstall it with 'hftc-annot reference install REF.fa'"


@pytest.fixture(scope="module")
def installed_cache(genome: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the GRCh38 panel reference installed from the synthetic genome; tests damage copies of it."""
    cache = tmp_path_factory.mktemp("installed") / "cache"
    result = run_cli("reference", "install", genome["fasta"], env={**os.environ, "HFTC_ANNOT_CACHE": str(cache)})
    assert result.code == 0, result.err
    return cache


def _damaged_run(genome: dict, installed_cache: Path, tmp: Path, damage) -> tuple:
    """Damage a copy of the installed cache; `reference status` and a run that uses it (no --fasta)."""
    cache = tmp / "cache"
    shutil.copytree(installed_cache, cache, symlinks=True)
    folder = cache / "reference" / "GRCh38"
    damage(folder)
    env = {**os.environ, "HFTC_ANNOT_CACHE": str(cache)}
    p = _cds_positions(genome, 30)
    ref = _base(genome, p[2])
    vcf = write_vcf(tmp / "in.vcf", [f"chr21 {p[2]} . {ref} {'G' if ref != 'G' else 'T'} 50 PASS . GT 0/1"])
    status = run_cli("reference", "status", env=env)
    run = run_cli(vcf, "--build", "GRCh38", "--genes", "JAM2", "-o", tmp / "out.tsv", env=env)
    return folder, status, run


def _assert_damaged(folder: Path, status, run, tmp: Path, name: str, why: str) -> None:
    path = folder / name
    assert status.code == 2, status
    assert f"GRCh38: damaged: {path}: {why}; {REINSTALL}\n" in status.out and status.err == ""
    assert "GRCh37: not installed\n" in status.out
    assert run.code == 2, run
    assert run.err == (f"hftc-annot: error: {path}: the installed GRCh38 panel reference is damaged ({why}); "
                       f"{REINSTALL}\n")
    assert not (tmp / "out.tsv").exists()


@pytest.mark.parametrize(("case", "name", "why"), [
    ("no tab", "manifest.tsv", "line 3 has no tab"),
    ("no source", "manifest.tsv", "it has no 'source' line"),
    ("no lengths", "manifest.tsv", "it has no 'length' lines"),
    ("no manifest", "manifest.tsv", "the file is missing"),
])
def test_damaged_manifest_is_a_one_line_error(genome: dict, installed_cache: Path, tmp: Path, case: str, name: str,
                                              why: str) -> None:
    def damage(folder: Path) -> None:
        manifest = folder / "manifest.tsv"
        lines = manifest.read_text().splitlines(keepends=True)
        if case == "no tab":
            lines[2] = "source\n"
        elif case == "no source":
            lines = [line for line in lines if not line.startswith("source\t")]
        elif case == "no lengths":
            lines = [line for line in lines if not line.startswith("length\t")]
        manifest.write_text("".join(lines))
        if case == "no manifest":
            manifest.unlink()

    _assert_damaged(*_damaged_run(genome, installed_cache, tmp, damage), tmp, name, why)


@pytest.mark.parametrize(("case", "name", "why"), [
    ("cut", "panel.fa.gz", "it is 15,000 bytes, {size:,} when installed"),
    ("cut, no .gzi", "panel.fa.gz.gzi", "the file is missing"),  # htslib would rebuild it in the cache and crash
    ("cut, before stamps", "panel.fa.gz", "truncated: no BGZF end-of-file block"),
    ("other .gzi, before stamps", "panel.fa.gz.gzi", "the index does not fit panel.fa.gz"),
    ("long .fai, before stamps", "panel.fa.gz.fai", "line 1 reaches beyond the end of panel.fa.gz"),
])
def test_cut_installed_reference_is_a_one_line_error(genome: dict, installed_cache: Path, tmp: Path, case: str,
                                                     name: str, why: str) -> None:
    """The sizes stamped at install time catch a cut file; an installation made before the stamp (no 'size' lines)
    is checked by what htslib needs: the BGZF EOF block, the .gzi's last block, the .fai inside the file."""
    size = (installed_cache / "reference" / "GRCh38" / "panel.fa.gz").stat().st_size

    def damage(folder: Path) -> None:
        if "before stamps" in case:
            manifest = folder / "manifest.tsv"
            manifest.write_text("".join(line for line in manifest.read_text().splitlines(keepends=True)
                                        if not line.startswith("size\t")))
        data = folder / "panel.fa.gz"
        if case.startswith("cut"):
            data.write_bytes(data.read_bytes()[:15_000])
        if "no .gzi" in case:
            (folder / "panel.fa.gz.gzi").unlink()
        if case.startswith("other .gzi"):
            (folder / "panel.fa.gz.gzi").write_bytes(b"\x01" + bytes(7) + (9999).to_bytes(8, "little") + bytes(8))
        if case.startswith("long .fai"):
            fai = folder / "panel.fa.gz.fai"
            fields = fai.read_text().split("\t")
            fai.write_text("\t".join([fields[0], str(int(fields[1]) + 1000), *fields[2:]]))

    _assert_damaged(*_damaged_run(genome, installed_cache, tmp, damage), tmp, name, why.format(size=size))


def test_status_finds_damage_inside_the_file(genome: dict, installed_cache: Path, tmp: Path) -> None:
    """Bytes changed in place (same size) pass a run's cheap checks; `reference status` decompresses the file."""
    def damage(folder: Path) -> None:
        data = folder / "panel.fa.gz"
        raw = bytearray(data.read_bytes())
        raw[5000:5004] = bytes(b ^ 0xFF for b in raw[5000:5004])
        data.write_bytes(bytes(raw))

    folder, status, run = _damaged_run(genome, installed_cache, tmp, damage)
    assert status.code == 2, status
    assert re.fullmatch(rf"GRCh38: damaged: {re.escape(str(folder / 'panel.fa.gz'))}: it does not decompress: "
                        rf"[^\n]+; {re.escape(REINSTALL)}", status.out.splitlines()[1]), status.out
    assert run.code == 2 and run.err.endswith(f"); {REINSTALL}\n") and "internal error" not in run.err, run.err
    assert not (tmp / "out.tsv").exists()


def test_installed_reference_status_and_run_are_clean(genome: dict, installed_cache: Path, tmp: Path) -> None:
    folder, status, run = _damaged_run(genome, installed_cache, tmp, lambda folder: None)
    assert status.code == 0 and status.out.splitlines()[1:] == [
        f"GRCh38: installed from {genome['fasta']}: {folder / 'panel.fa.gz'}", "GRCh37: not installed"], status
    assert run.code == 0 and table((tmp / "out.tsv").read_text())[0]["hgvs_p"] != ".", run.err


_NO_HOME = ("import pwd, sys\n"
            "def unknown(uid): raise KeyError(uid)\n"
            "pwd.getpwuid = unknown  # a container's user with no entry in /etc/passwd\n"
            "from hftc_annot.cli import main\n"
            "main(sys.argv[1:])\n")


def test_no_home_directory_is_no_installed_reference(genome: dict, tmp: Path) -> None:
    """Without $HOME, $XDG_CACHE_HOME and a password entry (a container's --user) there is no cache: a run goes on
    without a reference, `reference status` and `install` say to set HFTC_ANNOT_CACHE. All three were 'internal error:
    RuntimeError: Could not determine home directory.'"""
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CACHE_HOME", "HFTC_ANNOT_CACHE")}
    vcf = write_vcf(tmp / "in.vcf", ["chr21 25700000 . A G 50 PASS . GT 0/1"])
    error = ("hftc-annot: error: no cache folder: $HOME is not set and this user has no home directory; set "
             "HFTC_ANNOT_CACHE to a writable folder\n")

    def run(*args: str | Path) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", _NO_HOME, *map(str, args)], capture_output=True, text=True,
                              env=env, cwd=tmp, timeout=300)

    annotated = run(vcf, "--genes", "JAM2", "-o", tmp / "out.tsv")
    assert annotated.returncode == 0, annotated.stderr
    assert annotated.stderr.startswith("hftc-annot: warning: no reference FASTA: ")
    assert (run("reference", "status").returncode, run("reference", "status").stderr) == (2, error)
    installed = run("reference", "install", genome["fasta"])
    assert (installed.returncode, installed.stderr) == (2, error)


def test_reference_without_a_command_a_relative_xdg_cache_and_a_stale_fasta_variable(tmp: Path) -> None:
    """'hftc-annot reference' alone lists its commands on stderr (exit 2; it printed them as 'error: Usage: ...'); a
    relative $XDG_CACHE_HOME is ignored, as the XDG spec says (it was used, relative to each run's folder); a
    $HFTC_ANNOT_FASTA naming no file says that the path came from it (it said '/x.fa: no such file')."""
    bare = run_cli("reference")
    assert (bare.code, bare.out, bare.err.splitlines()[0]) == (
        2, "", "Usage: hftc-annot reference [OPTIONS] [COMMAND] [ARGS]...")
    assert "  install  Cut the panel genes" in bare.err and "error" not in bare.err
    env = {k: v for k, v in os.environ.items() if k != "HFTC_ANNOT_CACHE"}
    status = subprocess.run([sys.executable, "-m", "hftc_annot", "reference", "status"], capture_output=True,
                            text=True, env={**env, "XDG_CACHE_HOME": "relative", "HOME": str(tmp)}, cwd=tmp, timeout=60)
    assert status.stdout.splitlines()[0] == f"cache: {tmp}/.cache/hftc-annot (set HFTC_ANNOT_CACHE to move it)"
    vcf = write_vcf(tmp / "in.vcf", ["chr21 25700000 . A G 50 PASS . GT 0/1"])
    stale = subprocess.run([sys.executable, "-m", "hftc_annot", str(vcf), "-o", str(tmp / "out.tsv")],
                           capture_output=True, text=True, env={**env, "HFTC_ANNOT_FASTA": str(tmp / "gone.fa")},
                           timeout=60)
    assert (stale.returncode, stale.stderr) == (2, f"hftc-annot: error: $HFTC_ANNOT_FASTA names {tmp}/gone.fa, which "
                                                   "does not exist (unset it, or give --fasta)\n")
    assert not (tmp / "out.tsv").exists()
    os.mkfifo(tmp / "pipe.fa")  # a named pipe is there, but cannot be read at the index's offsets
    piped = run_cli(vcf, "--fasta", tmp / "pipe.fa", "-o", tmp / "out.tsv")
    assert (piped.code, piped.err) == (2, f"hftc-annot: error: {tmp}/pipe.fa: is not a regular file (a FASTA is read "
                                          "at its index's offsets: a pipe or device cannot be)\n")


def test_a_cache_without_read_permission_is_not_called_damaged(installed_cache: Path, tmp: Path, monkeypatch) -> None:
    """A cache this user may not read (another user's $HOME/.cache) is said so, not 'damaged ...; reinstall it',
    which a reinstall would not mend (found by review). As root reads everything, permission is refused by a stub."""
    from hftc_annot.consequence import installed

    folder = installed_cache / "reference" / "GRCh38"

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    for name in ("listdir", "stat"):
        with monkeypatch.context() as patched:
            patched.setattr(installed.os, name, denied)
            with pytest.raises(InputError) as caught:
                installed.installation("GRCh38", folder)
        assert not isinstance(caught.value, installed.DamagedReference)
        verb, where = ("list", folder) if name == "listdir" else ("read", folder / installed.FILES[0])
        assert str(caught.value) == (f"{where}: cannot {verb} the installed GRCh38 panel reference (Permission "
                                     "denied): make the cache readable, set HFTC_ANNOT_CACHE to another one, or give "
                                     "--fasta")


def test_cds_that_does_not_translate_is_refused() -> None:
    t = next(t for t in read_transcripts(models_gff3("GRCh38")) if t.gene == "FGF23")
    wrong = MemorySource({"chr12": "ACGT" * (t.end // 4 + 10)}, "wrong.fa")
    with pytest.raises(InputError, match="wrong.fa: the FGF23 CDS .* does not translate from ATG to one final stop"):
        ConsequenceStage([t], wrong, lambda _: None)
    notes: list[str] = []
    ConsequenceStage([t], MemorySource({"chr12": "N" * (t.end + 10)}, "blank.fa"), notes.append)
    assert notes == ["blank.fa has no sequence (missing or all N) for 1 panel gene(s): FGF23; their protein-level "
                     "consequences and HGVS p. are not given"]


@pytest.mark.parametrize(("change", "message"), [
    ("phase", "line 5: CDS line without a phase (0, 1 or 2): '.'"),
    ("overlap", "exon overlaps another exon of transcript:ENSTX"),
    ("wrong-phase", "CDS phase 1 of transcript:ENSTX disagrees with the CDS length before it (expected 0)"),
])
def test_bad_gff3_is_refused(tmp: Path, change: str, message: str) -> None:
    lines = [
        "##gff-version 3",
        "chr12\tt\tgene\t100\t400\t.\t+\t.\tID=gene:G1;Name=FGF23",
        "chr12\tt\tmRNA\t100\t400\t.\t+\t.\tID=transcript:ENSTX;Parent=gene:G1;transcript_id=ENSTX;version=1",
        "chr12\tt\texon\t100\t200\t.\t+\t.\tParent=transcript:ENSTX",
        "chr12\tt\tCDS\t150\t200\t.\t+\t0\tParent=transcript:ENSTX",
        "chr12\tt\texon\t300\t400\t.\t+\t.\tParent=transcript:ENSTX",
        "chr12\tt\tCDS\t300\t350\t.\t+\t2\tParent=transcript:ENSTX",
    ]
    if change == "phase":
        lines[4] = lines[4].replace("\t0\t", "\t.\t")
    elif change == "overlap":
        lines[5] = lines[5].replace("\t300\t400\t", "\t190\t400\t")
    else:
        lines[4] = lines[4].replace("\t0\t", "\t1\t")
    gff = tmp / "models.gff3"
    gff.write_text("\n".join(lines) + "\n")
    vcf = write_vcf(tmp / "in.vcf", ["chr12 4370000 . A G 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--gff", gff)
    assert result.code == 2 and message in result.err, result.err


def test_user_gff_models_are_used(tmp: Path) -> None:
    gff = tmp / "fgf23.gff3"
    shipped = SHIPPED.read_text().split("###\n")
    gff.write_text("##gff-version 3\n" + next(block for block in shipped if "Name=FGF23;" in block))
    vcf = write_vcf(tmp / "in.vcf", ["chr12 4379371 . C T 50 PASS . GT 0/1", "chr2 165750000 . A G 50 PASS . GT 0/1"])
    rows = table(run_cli(vcf, "--gff", gff).out)
    assert [(r["gene"], r["consequence"], r["hgvs_c"]) for r in rows] == [
        ("FGF23", "splice_donor_variant", "NM_020638.3:c.211+1G>A"),
        ("GALNT3", "intron_variant", "NM_004482.4:c.1627-106T>C")]  # not in the file: its shipped model (issue 14)


CSQ_HEADER = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
              'Format: Allele|Consequence|IMPACT|SYMBOL|Feature|EXON|INTRON|HGVSc|HGVSp|Protein_position">')
ANN_HEADER = ("##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | "
              "Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | "
              "HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | "
              "ERRORS / WARNINGS / INFO' \">")
BCSQ_HEADER = ('##INFO=<ID=BCSQ,Number=.,Type=String,Description="Local consequence annotation from BCFtools/csq, '
               'Format: Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change">')


def _from_input(tmp: Path, header: str, records: list[str], *args: str) -> list[dict]:
    """The report rows of a from-input run on synthetic records (spaces for tabs)."""
    vcf = write_vcf(tmp / "in.vcf", records, extra_header=(header,))
    result = run_cli(vcf, "--consequences", "from-input", *args)
    assert result.code == 0, result.err
    return table(result.out)


@pytest.mark.parametrize(("header", "info", "expected"), [
    (CSQ_HEADER, "CSQ=A|missense_variant|MODERATE|FGF23|ENST00000999999|1/3||x|y|5,"
                 "A|stop_gained|HIGH|FGF23|ENST00000237837.2|1/3||ENST00000237837.2:c.1C>T|ENSP:p.(Gln1Ter)|1",
     ("stop_gained", "HIGH", "ENST00000237837.2:c.1C>T", "ENSP:p.(Gln1Ter)", "1/3")),
    (ANN_HEADER, "ANN=A|missense_variant|MODERATE|FGF23|ENSG|transcript|ENST00000237837.2|protein_coding|1/3|"
                 "c.5G>A|p.Arg2Lys|5/100|5/756|2/251||",
     ("missense_variant", "MODERATE", "ENST00000237837.2:c.5G>A", "NP_065689.1:p.Arg2Lys", "1/3")),
    (BCSQ_HEADER, "BCSQ=missense&splice_region|FGF23|ENST00000237837|protein_coding|-|2R>2K|4379580G>A",
     ("missense_variant&splice_region_variant", "MODERATE", ".", ".", ".")),
])
def test_consequences_from_input(tmp: Path, header: str, info: str, expected: tuple) -> None:
    vcf = write_vcf(tmp / "in.vcf", [f"chr12 4379580 . G A 50 PASS {info} GT 0/1"], extra_header=(header,))
    result = run_cli(vcf, "--consequences", "from-input")
    assert result.code == 0, result.err
    row = table(result.out)[0]
    assert (row["consequence"], row["impact"], row["hgvs_c"], row["hgvs_p"], row["exon"]) == expected
    assert row["transcript_rule"].startswith("MANE Select (from input ")
    assert "no reference FASTA" not in result.err


def test_csq_percent_escapes_are_decoded(tmp: Path) -> None:
    """VEP percent-encodes characters that VCF INFO reserves ('=' in p.Arg2%3D, ';', ','): every field is decoded."""
    rows = _from_input(tmp, CSQ_HEADER, ["chr12 4379580 . G A 50 PASS CSQ=A|synonymous_variant|LOW|FGF23|"
                                         "ENST00000237837.2|1/3||ENST00000237837.2:c.6C>T|ENSP00000237837.2:p.Arg2%3D|"
                                         "2 GT 0/1"])
    assert (rows[0]["consequence"], rows[0]["hgvs_c"], rows[0]["hgvs_p"]) == (
        "synonymous_variant", "ENST00000237837.2:c.6C>T", "ENSP00000237837.2:p.Arg2=")


def test_csq_escapes_of_control_characters_stay_escaped(tmp: Path) -> None:
    """%09 decoded would put a tab inside a report cell and shift every later column: it stays as written."""
    rows = _from_input(tmp, CSQ_HEADER, ["chr12 4379580 . G A 50 PASS CSQ=A|synonymous_variant|LOW|FGF23|"
                                         "ENST00000237837.2|1/3||ENST00000237837.2:c.6C>T%09%0a%7F|"
                                         "ENSP00000237837.2:p.Arg2%3D%1F|2 GT 0/1"])
    assert (rows[0]["hgvs_c"], rows[0]["hgvs_p"], rows[0]["sample"]) == (
        "ENST00000237837.2:c.6C>T%09%0a%7F", "ENSP00000237837.2:p.Arg2=%1F", "S1")


def test_csq_entry_whose_allele_contradicts_its_allele_num_is_not_used(tmp: Path) -> None:
    """With ALLELE_NUM and Allele both given, an entry whose Allele is no spelling of the ALT it is numbered for is not
    used (noted); VEP's spellings are: as given, first base dropped, and --minimal's trimmed form ('-' when empty)."""
    header = CSQ_HEADER.replace('Protein_position">', 'Protein_position|ALLELE_NUM">')
    entry = "{}|missense_variant|MODERATE|FGF23|ENST00000237837.2|1/3||ENST00000237837.2:c.{}|p.{}|2|{}"
    records = [f"chr12 4379580 . G T 50 PASS CSQ={entry.format('C', '1', '1', 1)} GT 0/1",
               f"chr12 4379590 . GCC G,GCCA 50 PASS CSQ={entry.format('-', '2', '2', 1)},"
               f"{entry.format('CCA', '3', '3', 2)} GT 1/2",  # VEP's default: the shared first base dropped
               f"chr12 4379600 . GCC G,GCCA 50 PASS CSQ={entry.format('-', '4', '4', 1)},"
               f"{entry.format('A', '5', '5', 2)} GT 1/2",  # --minimal
               f"chr12 4379610 . AC ACAC 50 PASS CSQ={entry.format('AC', '6', '6', 1)} GT 0/1"]  # --minimal, 5' first
    vcf = write_vcf(tmp / "in.vcf", records, extra_header=(header,))
    result = run_cli(vcf, "--consequences", "from-input")
    assert result.code == 0, result.err
    assert sorted((r["pos"], r["alt"], r["hgvs_c"], r["consequence_note"]) for r in table(result.out)) == [
        ("4379580", "T", ".", "no usable CSQ entry for the chosen transcript ENST00000237837.2: its entry for "
         "ALLELE_NUM 1 has Allele C, not ALT T"),
        *((pos, alt, f"ENST00000237837.2:c.{n}", ".") for pos, alt, n in (
            ("4379590", "G", 2), ("4379590", "GCCA", 3), ("4379600", "G", 4), ("4379600", "GCCA", 5),
            ("4379610", "ACAC", 6)))]
    assert ("CSQ entry whose Allele contradicts its ALLELE_NUM (entry not used): 1 time (first at chr12:4379580)"
            in result.err)


def test_csq_of_vep_minimal_without_allele_num_is_found_by_its_trimmed_allele(tmp: Path) -> None:
    """VEP --minimal without --allele_number writes each ALT trimmed of what it shares with REF (AC>ACAC: 'AC';
    GCC>GCCA: 'A'), neither as given nor VEP's default: those entries were not found ('no CSQ entry'). A trimmed
    spelling that could be another ALT's is still not taken (G>GA,A: 'A' is the SNV's)."""
    entry = "{}|{}|HIGH|FGF23|ENST00000237837.2|1/3||ENST00000237837.2:c.{}|p.X|2"
    rows = _from_input(tmp, CSQ_HEADER, [
        f"chr12 4379610 . AC ACAC 50 PASS CSQ={entry.format('AC', 'frameshift_variant', '1')} GT 0/1",
        f"chr12 4379620 . GCC G,GCCA 50 PASS CSQ={entry.format('-', 'inframe_deletion', '2')},"
        f"{entry.format('A', 'frameshift_variant', '3')} GT 1/2",
        f"chr12 4379630 . G GA,A 50 PASS CSQ={entry.format('A', 'missense_variant', '4')} GT 1/2"])
    assert sorted((r["pos"], r["alt"], r["consequence"], r["hgvs_c"]) for r in rows) == [
        ("4379610", "ACAC", "frameshift_variant", "ENST00000237837.2:c.1"),
        ("4379620", "G", "inframe_deletion", "ENST00000237837.2:c.2"),
        ("4379620", "GCCA", "frameshift_variant", "ENST00000237837.2:c.3"),
        ("4379630", "A", "missense_variant", "ENST00000237837.2:c.4"), ("4379630", "GA", ".", ".")]


def test_ann_rank_of_an_intronic_variant_is_its_intron(tmp: Path) -> None:
    """SnpEff's Rank numbers the exon, or the intron for intronic terms (intron, splice donor/acceptor); its HGVS
    takes the entry's transcript as VEP's and the computed HGVS have theirs."""
    entry = "ANN=T|{}|{}|FGF23|ENSG|transcript|ENST00000237837.2|protein_coding|{}|{}||||||"
    entries = [("intron_variant", "MODIFIER", "1/2", "c.212-20C>A"),
               ("splice_donor_variant&intron_variant", "HIGH", "2/2", "c.211+1C>A"),
               ("splice_region_variant&synonymous_variant", "LOW", "3/3", "c.9C>A")]
    rows = _from_input(tmp, ANN_HEADER, [f"chr12 {4379580 + 10 * i} . G T 50 PASS {entry.format(*e)} GT 0/1"
                                         for i, e in enumerate(entries)])
    assert sorted((r["pos"], r["exon"], r["intron"], r["hgvs_c"]) for r in rows) == [
        ("4379580", ".", "1/2", "ENST00000237837.2:c.212-20C>A"),
        ("4379590", ".", "2/2", "ENST00000237837.2:c.211+1C>A"),
        ("4379600", "3/3", ".", "ENST00000237837.2:c.9C>A")]


def test_ann_sequence_feature_entries_are_not_the_transcripts(tmp: Path) -> None:
    """SnpEff with NextProt writes sequence_feature entries naming the transcript in Feature_ID, with the feature in
    Feature_Type, sorted before a MODIFIER intron entry (as in real SnpEff output): the intron variant was reported
    as sequence_variant (an unknown term) from the domain's entry; the transcript's own entry is read."""
    entry = "T|{}|{}|FGF23|ENSG00000118972|{}|ENST00000237837.2|protein_coding|{}|c.212-20C>A||||||"
    ann = ",".join(entry.format(*e) for e in (
        ("sequence_feature", "LOW", "topological_domain:Extracellular", ""),
        ("sequence_feature", "LOW", "domain:FGF", "2/3"),
        ("intron_variant", "MODIFIER", "transcript", "1/2")))
    rows = _from_input(tmp, ANN_HEADER, [f"chr12 4379580 . G T 50 PASS ANN={ann} GT 0/1"])
    assert [(r["consequence"], r["impact"], r["exon"], r["intron"], r["hgvs_c"], r["consequence_note"])
            for r in rows] == [("intron_variant", "MODIFIER", ".", "1/2", "ENST00000237837.2:c.212-20C>A", ".")]


def test_from_input_names_the_rule_that_chose_the_transcript(tmp: Path) -> None:
    """With --gff models that carry no MANE tag, the rule is the one the computed path gives (Ensembl canonical here),
    with ' (from input CSQ)' after it; a gene absent from --gff keeps its shipped MANE model."""
    block = next(b for b in SHIPPED.read_text().split("###\n") if "Name=FGF23;" in b)
    gff = tmp / "fgf23.gff3"
    gff.write_text("##gff-version 3\n" + block.replace("tag=MANE_Select;", "tag=Ensembl_canonical;"))
    entry = "A|missense_variant|MODERATE|{}|{}|1/3||x|y|5"
    rows = _from_input(tmp, CSQ_HEADER, [
        f"chr12 4379580 . G A 50 PASS CSQ={entry.format('FGF23', 'ENST00000237837.2')} GT 0/1",
        f"chr2 165750000 . G A 50 PASS CSQ={entry.format('GALNT3', 'ENST00000392701.8')} GT 0/1"], "--gff", gff)
    assert sorted((r["gene"], r["transcript_rule"], r["consequence"]) for r in rows) == [
        ("FGF23", "Ensembl canonical (from input CSQ)", "missense_variant"),
        ("GALNT3", "MANE Select (from input CSQ)", "missense_variant")]


def test_from_input_without_annotations_is_an_error(tmp: Path) -> None:
    vcf = write_vcf(tmp / "in.vcf", ["chr12 4379580 . G A 50 PASS . GT 0/1"])
    result = run_cli(vcf, "--consequences", "from-input")
    assert result.code == 2
    assert "has no CSQ (VEP), ANN (SnpEff) or BCSQ (bcftools) field" in result.err


@pytest.mark.parametrize(("header", "message"), [
    (CSQ_HEADER.replace("Format: Allele|Consequence|IMPACT|SYMBOL|Feature|EXON|INTRON|HGVSc|HGVSp|Protein_position",
                        "Format: "),
     "declares no fields in its Format: list the '|'-separated field names of its entries"),
    (CSQ_HEADER.replace("|Feature|", "|"), "declares no transcript field (Feature, Feature_ID or transcript): "
                                           "annotate again with that field"),
    (CSQ_HEADER.replace("Type=String", "Type=Flag"), "declares Type=Flag, but its entries are text: declare "
                                                     "Type=String (bcftools reheader -h)"),
    (CSQ_HEADER.replace("Type=String", "Type=Integer"), "declares Type=Integer, but its entries are text: declare "
                                                        "Type=String (bcftools reheader -h)"),
])
def test_from_input_unreadable_header_is_an_error(tmp: Path, header: str, message: str) -> None:
    vcf = write_vcf(tmp / "in.vcf", ["chr12 4379580 . G A 50 PASS . GT 0/1"], extra_header=(header,))
    result = run_cli(vcf, "--consequences", "from-input")
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.strip() == f"hftc-annot: error: --consequences from-input: the CSQ header line of {vcf} {message}"


def test_csq_declared_twice_with_different_fields_is_an_error(tmp: Path) -> None:
    """VEP --keep_csq keeps the old CSQ line and adds its own after it; htslib reads the first, so a record annotated
    only the second time was read with the old line's fields (its INTRON 1/2 reported as exon 1/2): an error. The
    same line twice is read as before."""
    again = CSQ_HEADER.replace("EXON|INTRON", "INTRON|EXON")
    record = "chr12 4379580 . G A 50 PASS CSQ=A|intron_variant|MODIFIER|FGF23|ENST00000237837.2|1/2|||| GT 0/1"
    vcf = write_vcf(tmp / "in.vcf", [record], extra_header=(CSQ_HEADER, '##VEP="v110"', again))
    result = run_cli(vcf, "--consequences", "from-input")
    assert (result.code, result.out) == (2, "")
    assert result.err == (f"hftc-annot: error: --consequences from-input: the CSQ of {vcf} is declared 2 times with "
                          "different fields (annotated twice, e.g. VEP --keep_csq): which fields a record's entries "
                          "have cannot be told; annotate the file once (bcftools annotate -x INFO/CSQ, then annotate "
                          "again)\n")
    twice = run_cli(write_vcf(tmp / "twice.vcf", [record.replace("1/2|", "|1/2")],
                              extra_header=(CSQ_HEADER, CSQ_HEADER)), "--consequences", "from-input")
    assert twice.code == 0, twice.err
    assert [(r["exon"], r["intron"]) for r in table(twice.out)] == [(".", "1/2")]


@pytest.mark.parametrize(("header", "info"), [
    (CSQ_HEADER, "CSQ=A|missense_variant|MODERATE|FGF23|ENST00000237837.2|1/3"),
    (ANN_HEADER, "ANN=A|missense_variant|MODERATE|FGF23|ENSG|transcript|ENST00000237837.2|protein_coding|1/3|"
                 "c.5G>A|p.Arg2Lys|5/100|5/756|2/251|||extra"),
    (BCSQ_HEADER, "BCSQ=missense|FGF23|ENST00000237837|protein_coding|-|2R>2K|4379580G>A|extra"),
])
def test_from_input_entry_with_other_field_count_is_an_error(tmp: Path, header: str, info: str) -> None:
    """An entry whose fields differ in number from the header's (BCSQ's may be fewer) cannot be read field by field:
    an error naming the record's line."""
    vcf = write_vcf(tmp / "in.vcf", ["chr12 4379570 . G A 50 PASS . GT 0/1",
                                     f"chr12 4379580 . G A 50 PASS {info} GT 0/1"], extra_header=(header,))
    result = run_cli(vcf, "--consequences", "from-input")
    tag, declared, found = info.split("=")[0], len(header.split("|")), len(info.split("|"))
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1, result.err
    line = next(i for i, x in enumerate(vcf.read_text().splitlines(), 1) if "4379580" in x)
    assert result.err.startswith(f"hftc-annot: error: {vcf}: line {line}: a {tag} entry has {found} fields where "
                                 f"the header declares {declared} ("), result.err
    assert result.err.rstrip().endswith("): annotate the file again, or give it the header its annotator wrote")


@pytest.mark.parametrize("header", [CSQ_HEADER, ANN_HEADER, BCSQ_HEADER])
def test_from_input_missing_value_is_no_entry(tmp: Path, header: str) -> None:
    """'CSQ=.' is VCF's missing value (a record the annotator did not reach): no entry, noted, not an entry of
    1 field (exit 2, 'annotate the file again')."""
    tag = header.split("ID=")[1].split(",")[0]
    result = run_cli(write_vcf(tmp / "in.vcf", [f"chr12 4379580 . G A 50 PASS {tag}=. GT 0/1"],
                               extra_header=(header,)), "--consequences", "from-input")
    assert result.code == 0, result.err
    assert [(r["consequence"], r["consequence_note"]) for r in table(result.out)] == [
        (".", f"no {tag} entry for the chosen transcript ENST00000237837.2")]


def test_csq_entry_with_empty_consequence_is_not_used(tmp: Path) -> None:
    """An empty Consequence is no answer (it was reported as '.' with impact MODIFIER): the entry is not used, noted."""
    vcf = write_vcf(tmp / "in.vcf", ["chr12 4379580 . G A 50 PASS CSQ=A||MODERATE|FGF23|ENST00000237837.2|1/3|||| "
                                     "GT 0/1"], extra_header=(CSQ_HEADER,))
    result = run_cli(vcf, "--consequences", "from-input")
    assert result.code == 0, result.err
    row = table(result.out)[0]
    assert (row["consequence"], row["impact"], row["consequence_note"]) == (
        ".", ".", "no usable CSQ entry for the chosen transcript ENST00000237837.2: its entry for ALT A has an empty "
        "Consequence")
    assert "CSQ entry with an empty Consequence (entry not used): 1 time (first at chr12:" in result.err


def test_csq_of_a_record_split_after_vep_is_found_by_allele(tmp: Path) -> None:
    """bcftools norm -m- after VEP leaves every entry on each split record, with the ALLELE_NUM of the record before
    the split: the ALT C (now ALT 1) takes the entry whose Allele is C (ALLELE_NUM 2), not A's; on the record that
    was not split, ALLELE_NUM decides as before."""
    entries = ("CSQ=A|missense_variant|MODERATE|FGF23|ENST00000237837.2|1/3||ENST00000237837.2:c.5G>A|x|1,"
               "C|stop_gained|HIGH|FGF23|ENST00000237837.2|1/3||ENST00000237837.2:c.5G>C|y|2")
    result = run_cli(write_vcf(tmp / "in.vcf", [f"chr12 4379580 . G C 50 PASS {entries} GT 0/1",
                                                f"chr12 4379590 . G A,C 50 PASS {entries} GT 1/2"],
                               extra_header=(CSQ_HEADER.replace("Protein_position", "ALLELE_NUM"),)),
                     "--consequences", "from-input")
    assert result.code == 0, result.err
    assert sorted((r["pos"], r["alt"], r["consequence"], r["hgvs_c"]) for r in table(result.out)) == [
        ("4379580", "C", "stop_gained", "ENST00000237837.2:c.5G>C"),
        ("4379590", "A", "missense_variant", "ENST00000237837.2:c.5G>A"),
        ("4379590", "C", "stop_gained", "ENST00000237837.2:c.5G>C")]
    assert "contradicts" not in result.err


def test_bcsq_short_entries_and_references(tmp: Path) -> None:
    """bcftools csq writes 4 of the 7 fields for splice, intron and UTR consequences, and '@POS' where a consequence
    was written at the record at POS (as `bcftools csq -p a` does): the short entry is read, '@' is no entry."""
    rows = _from_input(tmp, BCSQ_HEADER, [
        "chr12 4379580 . G A 50 PASS BCSQ=splice_donor|FGF23|ENST00000237837|protein_coding GT 0/1",
        "chr12 4379590 . G A 50 PASS BCSQ=@4379580 GT 0/1"])
    assert sorted((r["pos"], r["consequence"], r["impact"], r["consequence_note"]) for r in rows) == [
        ("4379580", "splice_donor_variant", "HIGH", "."),
        ("4379590", ".", ".", "no BCSQ entry for the chosen transcript ENST00000237837.2")]


def test_bcsq_entries_are_matched_to_alts_by_dna_change(tmp: Path) -> None:
    """BCSQ entries have no allele field: on a multiallelic record each ALT takes the entry whose dna_change names
    it. bcftools csq writes the record's own POS, REF and ALT, untrimmed ('4379590CCG>CAG'), '+'-joined with the
    other records of a compound consequence; entries here are in the opposite order to the ALTs."""
    entry = "BCSQ={}|FGF23|ENST00000237837|protein_coding|-|{}|{}"
    rows = _from_input(tmp, BCSQ_HEADER, [
        "chr12 4379580 . G A,T 50 PASS " + entry.format("stop_gained", "17C>17*", "4379580G>T") + ","
        + entry.format("synonymous", "17C", "4379580G>A")[5:] + " GT 1/2",
        "chr12 4379590 . CCG C,CAG 50 PASS " + entry.format("synonymous", "20R", "4379590CCG>CAG") + ","
        + entry.format("inframe_deletion", "20SR>20S", "4379590CCG>C+4379600CC>C")[5:] + " GT 1/2",
        "chr12 4379610 . G A,C 50 PASS " + entry.format("missense", "2R>2K", "4379610G>T") + " GT 1/2"])
    assert sorted((r["pos"], r["alt"], r["consequence"], r["consequence_note"]) for r in rows) == [
        ("4379580", "A", "synonymous_variant", "."), ("4379580", "T", "stop_gained", "."),
        ("4379590", "C", "inframe_deletion", "."), ("4379590", "CAG", "synonymous_variant", "."),
        ("4379610", "A", ".", "no BCSQ entry for the chosen transcript ENST00000237837.2"),
        ("4379610", "C", ".", "no BCSQ entry for the chosen transcript ENST00000237837.2")]


def test_bcsq_entries_without_dna_change_or_transcript(tmp: Path) -> None:
    """As bcftools csq 1.16 writes them (checked on a synthetic reference): one short splice entry for all the ALTs
    of a multiallelic record, after the entries that name an ALT; an intron entry with no transcript, named by its
    gene ('intron|FOO||protein_coding')."""
    short = "splice_region|FGF23|ENST00000237837|protein_coding"
    rows = _from_input(tmp, BCSQ_HEADER, [
        f"chr12 4379580 . G A,T 50 PASS BCSQ={short} GT 1/2",
        f"chr12 4379590 . GG G,GT 50 PASS BCSQ=splice_donor&{short} GT 1/2",
        f"chr12 4379600 . G A,T 50 PASS BCSQ={short},missense|FGF23|ENST00000237837|protein_coding|-|2R>2K|"
        "4379600G>T GT 1/2",
        "chr12 4379700 . C A 50 PASS BCSQ=intron|FGF23||protein_coding GT 0/1",
        "chr12 4379710 . C A 50 PASS BCSQ=intron|KL||protein_coding GT 0/1"])
    assert sorted((r["pos"], r["alt"], r["consequence"], r["consequence_note"]) for r in rows) == [
        ("4379580", "A", "splice_region_variant", "."), ("4379580", "T", "splice_region_variant", "."),
        ("4379590", "G", "splice_donor_variant&splice_region_variant", "."),
        ("4379590", "GT", "splice_donor_variant&splice_region_variant", "."),
        ("4379600", "A", "splice_region_variant", "."), ("4379600", "T", "missense_variant", "."),
        ("4379700", "A", "intron_variant", "."),
        ("4379710", "A", ".", "no BCSQ entry for the chosen transcript ENST00000237837.2")]


def test_bcsq_different_entries_without_dna_change_are_not_given_to_every_alt(tmp: Path) -> None:
    """bcftools csq 1.16 -l on a synthetic reference wrote, for TATG>T,CATG over a start codon,
    'start_lost|…|+,5_prime_utr|…': one short entry per ALT, neither naming its ALT. Both ALTs took start_lost
    (the 5' UTR SNV reported HIGH); the ALT of each cannot be told, so neither is used (noted). One short entry for
    all the ALTs is still read."""
    result = run_cli(write_vcf(tmp / "in.vcf", [
        "chr12 4379580 . TATG T,CATG 50 PASS BCSQ=start_lost|FGF23|ENST00000237837|protein_coding|-,"
        "5_prime_utr|FGF23|ENST00000237837|protein_coding GT 1/2",
        "chr12 4379590 . G A,T 50 PASS BCSQ=splice_region|FGF23|ENST00000237837|protein_coding GT 1/2"],
        extra_header=(BCSQ_HEADER,)), "--consequences", "from-input")
    assert result.code == 0, result.err
    why = ("no usable BCSQ entry for the chosen transcript ENST00000237837.2: its record has 2 different BCSQ entries "
           "without dna_change for its ALTs: which is this ALT's cannot be told")
    assert sorted((r["pos"], r["alt"], r["consequence"], r["impact"], r["consequence_note"])
                  for r in table(result.out)) == [
        ("4379580", "CATG", ".", ".", why), ("4379580", "T", ".", ".", why),
        ("4379590", "A", "splice_region_variant", "LOW", "."), ("4379590", "T", "splice_region_variant", "LOW", ".")]
    assert ("BCSQ entry without dna_change on a multiallelic record with several different ones (entry not used): "
            "4 times (first at chr12:4379580)") in result.err


def test_records_skipped_by_one_stage_never_shift_flags(genome: dict, tmp: Path) -> None:
    """Between JAM2 (AR) records that earn flags lie a record whose REF disagrees with the reference (no
    consequence), a symbolic allele (no row) and a record outside the padded panel (not read on): the flags of
    every output (TSV, JSON, VCF, HTML) stay on the records that earned them."""
    p = [_cds_positions(genome, codon)[1] for codon in (10, 20, 30, 40)]
    other = {b: ("A" if b != "A" else "C") for b in "ACGT"}
    ref = [_base(genome, pos) for pos in p]
    wrong = other[ref[0]]
    records = [
        f"chr21 {p[0]} . {wrong} {other[wrong]} 50 PASS . GT 0/1",  # REF differs from the reference
        f"chr21 {p[1] - 3} . {_base(genome, p[1] - 3)} <DEL> 50 PASS SVTYPE=DEL GT 0/1",  # symbolic: skipped
        f"chr21 {p[1]} . {ref[1]} {other[ref[1]]} 50 PASS . GT 0/1",
        f"chr21 {p[2]} . {ref[2]} {other[ref[2]]} 50 PASS . GT 0/1",
        f"chr21 {p[3]} . {ref[3]} {other[ref[3]]} 50 PASS . GT 1/1",
    ]
    vcf = write_vcf(tmp / "in.vcf", records, extra_header=(
        '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">',))
    common = ["--fasta", genome["fasta"], "--genes", "JAM2", "--qualify", "all"]  # the unannotated record pairs too
    for fmt in ("tsv", "json", "vcf", "html"):
        assert run_cli(vcf, *common, "-o", tmp / f"out.{fmt}").code == 0
    rows = table((tmp / "out.tsv").read_text())
    flags = {(row["pos"], row["inheritance_flags"]) for row in rows}
    expected = {(str(p[0]), "AR_comphet(2 pairs)"), (str(p[1]), "AR_comphet(2 pairs)"),
                (str(p[2]), "AR_comphet(2 pairs)"), (str(p[3]), "AR_hom")}
    assert flags == expected
    assert next(r for r in rows if r["pos"] == str(p[0]))["consequence_note"].startswith(
        "REF does not match the reference")
    document = json.loads((tmp / "out.json").read_text())
    assert {(row["pos"], row["inheritance_flags"]) for row in document["rows"]} == expected
    with pysam.VariantFile(str(tmp / "out.vcf")) as annotated:
        in_vcf = {(str(r.pos), r.info.get("HFTC_INHERITANCE", (".",))[0]) for r in annotated}
    assert in_vcf == {(str(p[0]), "AR_comphet"), (str(p[1] - 3), "."), (str(p[1]), "AR_comphet"),
                      (str(p[2]), "AR_comphet"), (str(p[3]), "AR_hom")}
    html = (tmp / "out.html").read_text()
    findings = {(position.group(1), flags.group(1)) for row in html.split("<tr>")
                if (position := re.search(r"<td>chr21:(\d+) ", row))
                and (flags := re.search(r'<td class="inheritance" title="([^"]+)"', row))}
    assert findings == expected
