"""An indel the caller placed elsewhere in its repeat still finds its ClinVar and gnomAD records (given a reference).

The sequences here are SYNTHETIC: short test strings, and GRCh38-length chr20s that are N everywhere except windows
in GNAS: one holding the REF bases of a real record of the shipped ClinVar snapshot (426629, CCGCCAT>C at 58891722)
inside a repeat of the deleted bases, two in an intron for records of a --clinvar file written here.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pysam
import pytest
from test_knowledge import CLINVAR_HEADER

from hftc_annot.alleles import Allele, Spelling, minimal, same_change
from hftc_annot.consequence import choose_transcripts
from hftc_annot.consequence.alleles import across_repeat
from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.consequence.sequence import MemorySource
from hftc_annot.hits import PanelStage
from hftc_annot.knowledge import KnowledgeStage
from hftc_annot.panel import load_panel
from hftc_annot.reader.records import Record
from hftc_annot.resources import models_gff3, read_table

from conftest import bgzip_index, run_cli, table, write_vcf

CHR20 = 64_444_167
INTRON = {58895000: "ACGTTGACAG" + "G" + "CCC" + "TGAGTCAGTA",  # 58895010 G, then C at 58895011-58895013
          58895100: "ACGTTGAC" + "C" + "TATATA" + "GCAGTCAGTA"}  # 58895108 C, then TA TA TA at 58895109-58895114


def test_an_indel_is_written_over_its_whole_repeat() -> None:
    seq = MemorySource({"1": "GGCAAAATGCACACAGT"})  # A run at 4-7, CA repeat at 10-15 (synthetic)
    deleted_last_a = minimal("1", 6, "AA", "A")  # the A at 7
    assert across_repeat(deleted_last_a, "1", seq, 17) == Spelling(3, "CAAAAT", "CAAAT")
    inserted_ca = minimal("1", 15, "A", "ACA")  # CA after the last CA
    assert across_repeat(inserted_ca, "1", seq, 17) == Spelling(9, "GCACACAG", "GCACACACAG")
    assert across_repeat(minimal("1", 8, "TG", "T"), "1", seq, 17) is None  # the G at 9 has one place
    assert across_repeat(minimal("1", 5, "A", "T"), "1", seq, 17) is None  # a substitution does not move
    assert across_repeat(Allele("1", 1, 2, "GG", "T"), "1", seq, 17) is None  # nor does a delins
    at_the_end = minimal("1", 16, "GT", "G")  # the run of one T ends the contig
    assert across_repeat(minimal("1", 3, "CA", "C"), "1", seq, 17) == Spelling(3, "CAAAAT", "CAAAT")
    assert across_repeat(at_the_end, "1", seq, 17) is None


def test_the_spelling_over_the_repeat_is_the_same_change_as_every_placement() -> None:
    over = Spelling(3, "CAAAAT", "CAAAT")
    assert [same_change(over, other) for other in [(3, "CA", "C"), (6, "AA", "A"), (7, "AT", "T"), (4, "AAAA", "AAA"),
                                                   (3, "CAA", "C"), (7, "A", "T")]] == [
        True, True, True, True, False, False]


def test_the_snapshot_finds_an_indel_placed_elsewhere_in_its_repeat() -> None:
    """The snapshot's 426629 deletes CGCCAT after the C at 58891722; here that C is followed by CGCCAT twice, and the
    record deletes the second copy. (In-process: a window this close to the GNAS CDS start would fail the run's
    check that the CDS translates, on a chr20 that is otherwise N.)"""
    seq = MemorySource({"20": "N" * 58891714 + "ACGTTGA" + "C" + "CGCCAT" * 2 + "GTACGTA"})
    stage = KnowledgeStage("GRCh38", {gene: t for gene, (t, _) in choose_transcripts(
        read_transcripts(models_gff3("GRCh38"))).items()})
    found = []
    for pos, ref, alt in [(58891728, "TCGCCAT", "T"), (58891728, "TCGCCATG", "T")]:  # the second: another change
        item = PanelStage(load_panel("GRCh38")).hit(Record("chr20", pos, ".", ref, (alt,), (), None, None, None, None,
                                                           None, None, index=0))
        for finding in item.findings:
            finding.repeat = across_repeat(finding.change, "chr20", seq, seq.length("20"))
        stage.annotate(item)
        found += [(f.repeat, f.knowledge.clinvar_id, f.knowledge.clinvar_significance) for f in item.findings]
    assert found == [(Spelling(58891722, "CCGCCATCGCCATG", "CCGCCATG"), "426629", "Pathogenic/Likely pathogenic"),
                     (None, "", "")]


@pytest.fixture(scope="module")
def chr20(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bases = bytearray(b"N" * CHR20)
    for start, window in INTRON.items():
        bases[start - 1:start - 1 + len(window)] = window.encode()
    fasta = tmp_path_factory.mktemp("chr20") / "chr20.fa"
    with open(fasta, "wb") as out:
        out.write(b">chr20 synthetic: N except two windows in a GNAS intron\n")
        out.writelines(bytes(bases[i:i + 60]) + b"\n" for i in range(0, CHR20, 60))
    pysam.faidx(str(fasta))
    return fasta


RECORDS = ["chr20 58895013 . C CC 50 PASS . GT 0/1",  # the file's G>GC at 58895010, placed at the repeat's end
           "chr20 58895112 . ATA A 50 PASS . GT 0/1",  # the file's CTA>C at 58895108, placed at the repeat's end
           "chr20 58895013 . C CCC 50 PASS . GT 0/1"]  # another change in the same repeat


def test_user_clinvar_and_gnomad_find_an_indel_placed_elsewhere_in_its_repeat(chr20: Path, tmp_path: Path) -> None:
    info = "CLNREVSTAT=reviewed_by_expert_panel;GENEINFO=GNAS:1"
    known = bgzip_index(write_vcf(tmp_path / "known.vcf", [
        f"20 58895010 700 G GC . . CLNSIG=Likely_pathogenic;{info};AF=0.001",
        f"20 58895108 701 CTA C . . CLNSIG=Pathogenic;{info};AF=0.002"],
        samples=(), prefix="", extra_header=tuple(CLINVAR_HEADER)))
    vcf = write_vcf(tmp_path / "in.vcf", RECORDS)
    clinvar = run_cli(vcf, "--fasta", chr20, "--clinvar", known)
    assert clinvar.code == 0, clinvar.err
    assert sorted((r["pos"], r["alt"], r["clinvar_id"], r["clinvar_stars"]) for r in table(clinvar.out)) == [
        ("58895013", "CC", "700", "3"), ("58895013", "CCC", ".", "."), ("58895112", "A", "701", "3")]
    gnomad = run_cli(vcf, "--fasta", chr20, "--gnomad", known)
    assert gnomad.code == 0, gnomad.err
    assert sorted((r["pos"], r["alt"], r["population_af"]) for r in table(gnomad.out)) == [
        ("58895013", "CC", "0.001"), ("58895013", "CCC", "."), ("58895112", "A", "0.002")]
    without = run_cli(vcf, "--clinvar", known)  # no reference: only the records' own places are matched
    assert [r["clinvar_id"] for r in table(without.out)] == [".", ".", "."]


def test_a_record_of_the_inputs_own_spelling_wins_over_one_elsewhere_in_the_repeat(chr20: Path, tmp_path: Path) -> None:
    """The file holds the change twice: left-aligned (700) and as the input writes it (702); the input's own record is
    the one used (the first in the file was), for ClinVar and for the frequency."""
    info = "CLNREVSTAT=reviewed_by_expert_panel;GENEINFO=GNAS:1"
    known = bgzip_index(write_vcf(tmp_path / "known.vcf", [
        f"20 58895010 700 G GC . . CLNSIG=Likely_pathogenic;{info};AF=0.001",
        f"20 58895013 702 C CC . . CLNSIG=Pathogenic;{info};AF=0.005"],
        samples=(), prefix="", extra_header=tuple(CLINVAR_HEADER)))
    vcf = write_vcf(tmp_path / "in.vcf", RECORDS[:1])
    found = [table(run_cli(vcf, "--fasta", chr20, option, known).out)[0] for option in ("--clinvar", "--gnomad")]
    assert (found[0]["clinvar_id"], found[0]["clinvar_significance"], found[1]["population_af"]) == (
        "702", "Pathogenic", "0.005")


def _made(seq: str, pos: int, ref: str, alt: str) -> str:
    return seq[:pos - 1] + alt + seq[pos - 1 + len(ref):]


def test_the_spelling_finds_every_record_of_the_same_change_and_no_other() -> None:
    """Exhaustively on every 6-base sequence of A and C: each placement of a movable indel gets one spelling, which
    makes the indel's own sequence, and same_change matches it to exactly the records (any POS, REF of 1-3 bases, ALT
    of 1-3: anchored either side, padded, delins) that make that sequence -- repeats at both contig ends included."""
    n = 6
    for seq in map("".join, itertools.product("AC", repeat=n)):
        source = MemorySource({"1": seq.lower()})  # a soft-masked reference reads as upper case
        records = {(pos, seq[pos - 1:pos - 1 + k], alt) for pos in range(1, n + 1) for k in range(1, 4)
                   if pos + k - 1 <= n for a in range(1, 4) for alt in map("".join, itertools.product("AC", repeat=a))}
        records = {r: _made(seq, *r) for r in records if r[1] != r[2]}
        spellings: dict[str, Spelling] = {}
        for (pos, ref, alt), result in records.items():
            spelling = across_repeat(minimal("1", pos, ref, alt.lower()), "1", source, n)
            if spelling is not None:
                assert _made(seq, *spelling) == result
                assert spellings.setdefault(result, spelling) == spelling, (seq, pos, ref, alt)
        for result, spelling in spellings.items():
            assert {r for r, theirs in records.items() if same_change(spelling, r)} == \
                {r for r, theirs in records.items() if theirs == result}, (seq, spelling)


@pytest.mark.parametrize(("seq", "unit"), [("A" * 600 + "TG", "A"), ("GC" + "A" * 600, "A"),
                                          ("GT" + "CA" * 300 + "GG", "CA"), ("CAG" * 200 + "T", "CAG"),
                                          ("G" + "A" * 256 + "T", "A"), ("G" + "A" * 512 + "T", "A")])
def test_a_repeat_longer_than_the_fetch_window_is_written_whole(seq: str, unit: str) -> None:
    """shift_3prime reads 256 bases at a time: a longer repeat, also one at a contig end, is crossed whole."""
    first = seq.index(unit)
    last = len(seq) - seq[::-1].index(unit[::-1])  # 1-based end of the repeat
    expected = Spelling(max(1, first), seq[max(0, first - 1):last + 1], "")
    source = MemorySource({"1": seq})
    for pos in (first + 1, first + 1 + len(unit) * 100, last - len(unit) + 1):  # the unit deleted at these bases
        spelling = across_repeat(Allele("1", pos, pos + len(unit) - 1, seq[pos - 1:pos - 1 + len(unit)], ""), "1",
                                 source, len(seq))
        assert spelling is not None and (spelling.pos, spelling.ref) == expected[:2]
        assert _made(seq, *spelling) == seq[:pos - 1] + seq[pos - 1 + len(unit):]
        inserted = across_repeat(Allele("1", pos, pos - 1, "", seq[pos - 1:pos - 1 + len(unit)]), "1", source,
                                 len(seq))
        assert inserted is not None and (inserted.pos, inserted.ref) == expected[:2]


def test_each_alt_of_a_multiallelic_record_finds_its_own_record_and_not_a_delins_over_the_repeat(
        chr20: Path, tmp_path: Path) -> None:
    """ATA>A and ATA>ATATA at the end of TATATA: the file's multi-ALT record at 58895110 has both (another placement,
    an AF each); its delins over the whole repeat at 58895108 is another change, and so is the third ALT."""
    info = "CLNREVSTAT=reviewed_by_expert_panel;GENEINFO=GNAS:1"
    known = bgzip_index(write_vcf(tmp_path / "known.vcf", [
        f"20 58895108 703 CTATATAG CG . . CLNSIG=Pathogenic;{info};AF=0.3",
        f"20 58895110 705 ATA A,ATATA . . CLNSIG=Likely_pathogenic;{info};AF=0.001,0.002"],
        samples=(), prefix="", extra_header=tuple(CLINVAR_HEADER)))
    vcf = write_vcf(tmp_path / "in.vcf", ["chr20 58895112 . ATA A,ATATA,ATATATA 50 PASS ."], samples=())
    found = {}
    for option in ("--clinvar", "--gnomad"):
        result = run_cli(vcf, "--fasta", chr20, option, known)
        assert result.code == 0, result.err
        found[option] = [(r["alt"], r["clinvar_id"], r["population_af"]) for r in table(result.out)]
    assert found == {"--clinvar": [("A", "705", "."), ("ATATA", "705", "."), ("ATATATA", ".", ".")],
                     "--gnomad": [("A", ".", "0.001"), ("ATATA", ".", "0.002"), ("ATATATA", ".", ".")]}


def test_a_snapshot_record_whose_ref_starts_before_the_repeat_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """426629 written with two more bases of REF before its anchor (POS 58891720, GACCGCCAT>GAC): its POS is before
    the repeat's spelling, its minimal allele in it."""
    import hftc_annot.knowledge as knowledge

    def padded(name: str) -> list[dict[str, str]]:
        rows = list(read_table(name))
        if name == knowledge.CLINVAR_SNAPSHOT:
            rows = [row | {"pos": "58891720", "ref": "GACCGCCAT", "alt": "GAC"} if row["clinvar_id"] == "426629"
                    else row for row in rows]
        return rows

    monkeypatch.setattr(knowledge, "read_table", padded)
    seq = MemorySource({"20": "N" * 58891714 + "ACGTTGA" + "C" + "CGCCAT" * 2 + "GTACGTA"})
    stage = KnowledgeStage("GRCh38", {gene: t for gene, (t, _) in choose_transcripts(
        read_transcripts(models_gff3("GRCh38"))).items()})
    item = PanelStage(load_panel("GRCh38")).hit(Record("chr20", 58891728, ".", "TCGCCAT", ("T",), (), None, None,
                                                       None, None, None, None, index=0))
    for finding in item.findings:
        finding.repeat = across_repeat(finding.change, "chr20", seq, seq.length("20"))
    stage.annotate(item)
    assert [f.knowledge.clinvar_id for f in item.findings] == ["426629"]
