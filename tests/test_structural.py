"""Structural variants (<DEL>, <DUP>, <INV>, <CNV>): found by their span in every route, named with VEP's SV terms
and HGVS, and paired in recessive calls. Expected values are worked out by hand from the shipped MANE models:

ABCC6 NM_001171.6 (minus strand, 31 exons): exon 22 ends (3' side) at 16169646 = c.2995, exon 23 starts at 16165933
= c.2996; exon 29 ends at 16154628 = c.4208, exon 30 starts at 16150772 = c.4209; exons 23-29 hold c.2996-4208
(1213 coding bases). p.Arg1141Ter is c.3421C>T at chr16:16163078 G>A, in exon 24 (inside a deletion of 23-29).
ENPP1 NM_006208.3 (plus strand, 25 exons): exon 2 ends at 131847848 = c.313, exon 3 is 131849990-131850106 =
c.314-430 (117 bases), exon 4 is 131851142-131851267 = c.431-556 (126), exon 5 starts at 131852175 = c.557.
FGF23 NM_020638.3 (minus strand, 3 exons): its first base is 4379712 = c.-130, its last 4368227 = c.*2116.
Every VCF here is synthetic (REF bases are arbitrary).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pysam
import pytest

from tests.conftest import bgzip_index, run_cli, table, write_vcf

SV_HEADER = (
    '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">',
    '##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="Length of the structural variant">',
    '##INFO=<ID=CIPOS,Number=2,Type=Integer,Description="Confidence interval around POS">',
    '##INFO=<ID=CIEND,Number=2,Type=Integer,Description="Confidence interval around END">',
    '##INFO=<ID=IMPRECISE,Number=0,Type=Flag,Description="Imprecise structural variation">',
    '##INFO=<ID=PRECISE,Number=0,Type=Flag,Description="Precise structural variation">',
    '##INFO=<ID=HOMLEN,Number=.,Type=Integer,Description="Length of the homology at the breakpoints">',
    '##INFO=<ID=HOMSEQ,Number=.,Type=String,Description="Sequence of the homology at the breakpoints">',
    '##FORMAT=<ID=CN,Number=1,Type=Integer,Description="Copy number">',
    '##ALT=<ID=DEL,Description="Deletion">',
    '##ALT=<ID=DUP,Description="Duplication">',
    '##ALT=<ID=INV,Description="Inversion">',
    '##ALT=<ID=CNV,Description="Copy number variable region">',
)
ABCC6_DEL = "chr16 16152000 del23_29 N <DEL> 50 PASS SVTYPE=DEL;END=16167001"
ABCC6_DEL_IMPRECISE = "chr16 16152000 del23_29 N <DEL> 50 PASS SVTYPE=DEL;END=16167001;CIPOS=-200,200;" \
    "CIEND=-300,300;IMPRECISE"
R1141X = "chr16 16163078 . G A 50 PASS ."
ABCC6_EXON30 = "chr16 16150700 . G A 50 PASS ."  # c.4281C>T, outside the deletion
GT = "GT:GQ:DP"


def _rows(tmp: Path, records: list[str], *args: str, samples: tuple[str, ...] = ("S1",)) -> list[dict[str, str]]:
    path = write_vcf(tmp / "in.vcf", records, samples=samples, extra_header=SV_HEADER)
    result = run_cli(path, "-q", *args)
    assert result.code == 0, result.err
    return table(result.out)


def _effect(row: dict[str, str]) -> tuple[str, ...]:
    return (row["consequence"], row["impact"], row["hgvs_c"], row["hgvs_p"], row["exon"], row["intron"],
            row["consequence_note"], row["end"])


EFFECTS = [
    pytest.param(f"{ABCC6_DEL} GT 0/1", (
        "feature_truncation&exon_loss_variant&intron_variant", "HIGH", "NM_001171.6:c.2996-1068_4209-1229del",
        "NP_001162.5:p.?", "23-29/31", "22-29/30",
        "deletion of exons 23-29 of 31 of ABCC6 (NM_001171.6); 1213 coding bases: frameshift", "16167001"),
        id="multi-exon"),
    pytest.param(f"{ABCC6_DEL_IMPRECISE} GT 0/1", (
        "feature_truncation&exon_loss_variant&intron_variant", "HIGH",
        "NM_001171.6:c.(2995+1_2996-1)_(4208+1_4209-1)del", "NP_001162.5:p.?", "23-29/31", "22-29/30",
        "deletion of exons 23-29 of 31 of ABCC6 (NM_001171.6); 1213 coding bases: frameshift; imprecise "
        "breakpoints", "16167001"), id="imprecise"),
    pytest.param("chr6 131848999 . N <DEL> 50 PASS SVTYPE=DEL;END=131851000 GT 0/1", (
        "feature_truncation&exon_loss_variant&intron_variant", "HIGH", "NM_006208.3:c.314-990_431-142del",
        "NP_006199.2:p.?", "3/25", "2-3/24", "deletion of exon 3 of 25 of ENPP1 (NM_006208.3); 117 coding bases: "
        "in frame", "131851000"), id="single-exon"),
    pytest.param("chr12 4360000 . N <DEL> 50 PASS SVTYPE=DEL;END=4390000 GT 0/1", (
        "transcript_ablation", "HIGH", "NM_020638.3:c.-10418_*10342del", "NP_065689.1:p.0?", "1-3/3", "1-2/2",
        "deletion of the whole of FGF23 (NM_020638.3)", "4390000"), id="whole-gene"),
    pytest.param("chr12 4360000 . N <DEL> 50 PASS SVTYPE=DEL;END=4390000;IMPRECISE GT 0/1", (
        "transcript_ablation", "HIGH", "NM_020638.3:c.(?_-130)_(*2116_?)del", "NP_065689.1:p.0?", "1-3/3", "1-2/2",
        "deletion of the whole of FGF23 (NM_020638.3); imprecise breakpoints", "4390000"), id="whole-gene-imprecise"),
    pytest.param("chr6 131850107 . N <DEL> 50 PASS SVTYPE=DEL;SVLEN=-193 GT 0/1", (  # VEP: no splice terms for SVs
        "intron_variant", "MODIFIER", "NM_006208.3:c.430+2_430+194del", ".", ".", "3/24",
        "deletion within intron 3 of ENPP1 (NM_006208.3)", "131850300"), id="intronic-at-donor-svlen"),
    pytest.param("chr6 131850400 . N <DEL> 50 PASS SVTYPE=DEL;END=131850401 GT 0/1", (
        "intron_variant", "MODIFIER", "NM_006208.3:c.430+295del", ".", ".", "3/24",
        "deletion within intron 3 of ENPP1 (NM_006208.3)", "131850401"), id="one-base"),
    pytest.param("chr6 131850400 . N <DEL> 50 PASS SVTYPE=DEL;END=131850600;IMPRECISE GT 0/1", (
        "intron_variant", "MODIFIER", "NM_006208.3:c.(430+1_431-1)_(430+1_431-1)del", ".", ".", "3/24",
        "deletion within intron 3 of ENPP1 (NM_006208.3); imprecise breakpoints", "131850600"),
        id="imprecise-within-an-intron"),
    pytest.param("chr6 131848999 . N <DEL> 50 PASS SVTYPE=DEL;END=131851000;CIEND=-20,30 GT 0/1", (
        "feature_truncation&exon_loss_variant&intron_variant", "HIGH", "NM_006208.3:c.314-990_(430+1_431-1)del",
        "NP_006199.2:p.?", "3/25", "2-3/24", "deletion of exon 3 of 25 of ENPP1 (NM_006208.3); 117 coding bases: "
        "in frame; imprecise breakpoints", "131851000"), id="imprecise-end-only"),
    pytest.param("chr6 131848999 . N <DEL> 50 PASS SVTYPE=DEL;END=131851000;CIPOS=0,2;CIEND=0,2;HOMLEN=2;HOMSEQ=AG "
                 "GT 0/1", (  # Manta: precise, placed 2 bases 3' on the plus strand
        "feature_truncation&exon_loss_variant&intron_variant", "HIGH", "NM_006208.3:c.314-988_431-140del",
        "NP_006199.2:p.?", "3/25", "2-3/24", "deletion of exon 3 of 25 of ENPP1 (NM_006208.3); 117 coding bases: "
        "in frame", "131851000"), id="microhomology-plus-strand"),
    pytest.param(f"{ABCC6_DEL};CIPOS=0,3;CIEND=0,3;HOMSEQ=ACG GT 0/1", (  # minus strand: POS+1 is already 3'-most
        "feature_truncation&exon_loss_variant&intron_variant", "HIGH", "NM_001171.6:c.2996-1068_4209-1229del",
        "NP_001162.5:p.?", "23-29/31", "22-29/30",
        "deletion of exons 23-29 of 31 of ABCC6 (NM_001171.6); 1213 coding bases: frameshift", "16167001"),
        id="microhomology-minus-strand"),
    pytest.param("chr6 131848999 . N <DEL> 50 PASS SVTYPE=DEL;END=131851000;PRECISE;CIPOS=-7,7;CIEND=-7,7;HOMLEN=2 "
                 "GT 0/1", (  # DELLY: the intervals are the read pairs', the split reads place it
        "feature_truncation&exon_loss_variant&intron_variant", "HIGH", "NM_006208.3:c.314-990_431-142del",
        "NP_006199.2:p.?", "3/25", "2-3/24", "deletion of exon 3 of 25 of ENPP1 (NM_006208.3); 117 coding bases: "
        "in frame", "131851000"), id="precise-flag"),
    pytest.param("chr6 131848999 . N <DEL> 50 PASS SVTYPE=DEL;END=131851000;CIPOS=0,2;CIEND=0,2;HOMLEN=2;IMPRECISE "
                 "GT 0/1", (
        "feature_truncation&exon_loss_variant&intron_variant", "HIGH",
        "NM_006208.3:c.(313+1_314-1)_(430+1_431-1)del", "NP_006199.2:p.?", "3/25", "2-3/24",
        "deletion of exon 3 of 25 of ENPP1 (NM_006208.3); 117 coding bases: in frame; imprecise breakpoints",
        "131851000"), id="imprecise-despite-homology"),
    pytest.param("chr16 16149700 . N <DEL> 50 PASS SVTYPE=DEL;END=16150000 GT 0/1", (
        "feature_truncation&3_prime_UTR_variant", "HIGH", "NM_001171.6:c.*133_*432del", ".", "31/31", ".",
        "deletion of exon 31 (exon 31 in part) of 31 of ABCC6 (NM_001171.6)", "16150000"), id="utr-only"),
    pytest.param("chr6 131850400 . N <DEL> 50 PASS SVTYPE=DEL;END=131850600 GT 0/1", (
        "intron_variant", "MODIFIER", "NM_006208.3:c.430+295_430+494del", ".", ".", "3/24",
        "deletion within intron 3 of ENPP1 (NM_006208.3)", "131850600"), id="intronic"),
    pytest.param("chr6 131848999 . N <DUP:TANDEM> 50 PASS SVTYPE=DUP;END=131852000 GT 0/1", (
        "feature_elongation&coding_sequence_variant&intron_variant", "HIGH", "NM_006208.3:c.314-990_557-175dup",
        "NP_006199.2:p.?", "3-4/25", "2-4/24", "duplication of exons 3-4 of 25 of ENPP1 (NM_006208.3); 243 coding "
        "bases: in frame", "131852000"), id="duplication"),
    pytest.param("chr12 4360000 . N <DUP> 50 PASS SVTYPE=DUP;END=4390000 GT 0/1", (
        "transcript_amplification", "HIGH", "NM_020638.3:c.-10418_*10342dup", "NP_065689.1:p.?", "1-3/3", "1-2/2",
        "duplication of the whole of FGF23 (NM_020638.3)", "4390000"), id="whole-gene-duplication"),
    pytest.param("chr6 131848999 . N <INV> 50 PASS SVTYPE=INV;END=131852000 GT 0/1", (
        "coding_sequence_variant&intron_variant", "MODIFIER", "NM_006208.3:c.314-990_557-175inv", "NP_006199.2:p.?",
        "3-4/25", "2-4/24", "inversion of exons 3-4 of 25 of ENPP1 (NM_006208.3)", "131852000"), id="inversion"),
]


@pytest.mark.parametrize(("record", "expected"), EFFECTS)
def test_consequence_of_a_structural_variant(tmp: Path, record: str, expected: tuple[str, ...]) -> None:
    rows = [r for r in _rows(tmp, [record]) if r["gene"] in ("ABCC6", "ENPP1", "FGF23")]
    assert len(rows) == 1
    assert _effect(rows[0]) == expected


_POSITION = r"(?:[-*]?\d+(?:[-+]\d+)?)"
_BREAKPOINT = rf"(?:{_POSITION}|\((?:\?|{_POSITION})_(?:\?|{_POSITION})\))"
UNCERTAIN = re.compile(rf"^NM_\d+\.\d+:c\.{_BREAKPOINT}_{_BREAKPOINT}(?:del|dup|inv)$")
"""HGVS's uncertain positions (c.(A_B)_(C_D)del, '?' for an unknown end), which the biocommons grammar lacks."""


def test_every_hgvs_string_is_valid_hgvs() -> None:
    parser_module = pytest.importorskip("hgvs.parser", reason="biocommons hgvs is not installed (.ci/run installs it)")
    parser = parser_module.Parser()
    strings = [text for case in EFFECTS for text in case.values[1][2:4] if text != "."]
    exact = [text for text in strings if "(" not in text]
    assert len(exact) == 26
    for text in exact:
        assert str(parser.parse_hgvs_variant(text)) == text
    uncertain = [text for text in strings if "(" in text]
    assert len(uncertain) == 5
    assert all(UNCERTAIN.match(text) for text in uncertain)
    assert not UNCERTAIN.match("NM_001171.6:c.(2995+1_2996-1)_(4208+1)del")  # the pattern can fail


def test_a_deletion_past_the_end_of_a_gene(tmp: Path) -> None:
    """A deletion of ABCC6's last two exons and 9.6 kb beyond its 3' end: its HGVS counts on past the last base
    (c.*568), and it holds the stop codon, so no reading frame is stated."""
    rows = _rows(tmp, ["chr16 16140000 . N <DEL> 50 PASS SVTYPE=DEL;END=16152000 GT 0/1"])
    assert [(r["gene"], r["consequence"], r["exon"], r["hgvs_c"], r["consequence_note"]) for r in rows] == [
        ("ABCC6", "feature_truncation&exon_loss_variant&intron_variant", "30-31/31",
         "NM_001171.6:c.4209-1228_*10132del", "deletion of exons 30-31 of 31 of ABCC6 (NM_001171.6)")]


def test_copy_number_decides_the_genotype_where_gt_does_not(tmp: Path) -> None:
    """CN-only calls (no GT): CN 0 is a homozygous loss, 1 a heterozygous one, 2 no call of the ALT; a <CNV> whose
    changed copy numbers are all losses is a deletion. A haploid GT of a gCNV-style call gives way to its CN; a
    called diploid GT does not (DELLY writes a read-depth CN beside its GT)."""
    rows = _rows(tmp, ["chr6 131848999 . N <CNV> 50 PASS SVTYPE=CNV;END=131851000 CN 1 0 2",
                       "chr12 4360000 . N <DEL> 50 PASS SVTYPE=DEL;END=4390000 GT:CN 1:0 0:2 1:1",
                       "chr16 16152000 . N <DEL> 50 PASS SVTYPE=DEL;END=16167001 GT:CN 0/1:2 1/1:1 0/0:1"],
                 samples=("S1", "S2", "S3"))
    assert sorted((r["gene"], r["sample"], r["genotype"], r["zygosity"], r["consequence"]) for r in rows) == [
        ("ABCC6", "S1", "0/1", "het", "feature_truncation&exon_loss_variant&intron_variant"),
        ("ABCC6", "S2", "1/1", "hom_alt", "feature_truncation&exon_loss_variant&intron_variant"),
        ("ENPP1", "S1", "0/1", "het", "feature_truncation&exon_loss_variant&intron_variant"),
        ("ENPP1", "S2", "1/1", "hom_alt", "feature_truncation&exon_loss_variant&intron_variant"),
        ("FGF23", "S1", "1/1", "hom_alt", "transcript_ablation"),
        ("FGF23", "S3", "0/1", "het", "transcript_ablation"),
    ]


def test_unsupported_symbolic_alleles_are_still_skipped_and_counted(tmp: Path) -> None:
    path = write_vcf(tmp / "in.vcf", [
        "chr6 131850000 . N <INS> 50 PASS SVTYPE=INS;END=131850000 GT 0/1",
        "chr6 131850010 . N N]chr2:1000] 50 PASS SVTYPE=BND GT 0/1",
        "chr6 131850020 . N <DEL> 50 PASS SVTYPE=DEL GT 0/1",
        "chr6 131850030 . A <NON_REF> 50 PASS END=131850040 GT 0/0",
    ], extra_header=SV_HEADER)
    result = run_cli(path)
    assert result.code == 0, result.err
    assert table(result.out) == []
    assert ("skipped alleles: 1 breakend, 1 reference block (<NON_REF>/<*>), 1 structural allele without INFO/END or "
            "SVLEN, 1 symbolic allele (<...>);") in result.err


def _abcc6(tmp: Path, records: list[str], samples: tuple[str, ...], *args: str) -> dict[tuple[str, str], dict]:
    return {(r["sample"], r["alt"]): r for r in _rows(tmp, records, *args, samples=samples) if r["gene"] == "ABCC6"}


def test_deletion_and_nonsense_in_a_singleton_are_a_compound_het_candidate(tmp: Path) -> None:
    """The nonsense variant lies inside the deletion, so a deleted chromosome cannot carry it: in trans. A
    heterozygous call there is unexpected (one copy is left), so the pair is of medium confidence."""
    rows = _abcc6(tmp, [f"{ABCC6_DEL_IMPRECISE} GT 0/1", f"{R1141X} {GT} 0/1:99:30"], ("S1",))
    for alt in ("<DEL>", "A"):
        row = rows[("S1", alt)]
        assert (row["inheritance_flags"], row["confidence"], row["phase_evidence"], row["comphet_pair_id"]) == (
            "AD;AR_comphet", "low;medium", ".;deletion_trans", ".;CH1")
    assert "in trans: c.3421C>T lies inside the deletion, which a deleted chromosome cannot carry" in \
        rows[("S1", "A")]["evidence"]


def test_a_homozygous_looking_variant_inside_a_deletion_is_hemizygous(tmp: Path) -> None:
    """Not AR_hom: the variant is one copy, facing the deletion (a compound het of high confidence)."""
    rows = _abcc6(tmp, [f"{ABCC6_DEL} GT 0/1", f"{R1141X} {GT} 1/1:99:30"], ("S1",))
    snv = rows[("S1", "A")]
    assert (snv["zygosity"], snv["inheritance_flags"], snv["confidence"], snv["phase_evidence"]) == (
        "hom_alt", "AD;AR_comphet", "low;high", ".;deletion_trans")
    assert snv["evidence"].endswith(" | a deletion and a variant inside it in ABCC6 (c.2996-1068_4209-1229del, "
                                    "c.3421C>T), in trans: c.3421C>T lies inside the deletion and looks homozygous "
                                    "because the other copy is deleted (hemizygous, not homozygous)")
    assert "AR_hom" not in {r["inheritance_flags"] for r in rows.values()}


def test_trio_each_parent_carrying_one(tmp: Path) -> None:
    """KID has the deletion from MUM and the nonsense variant from DAD. Called heterozygous, the parents give the
    phase; called homozygous (what one copy gives), it is hemizygous, and MUM not carrying it is explained."""
    ped = tmp / "trio.ped"
    ped.write_text("F KID DAD MUM 1 2\nF DAD 0 0 1 1\nF MUM 0 0 2 1\n")
    trio = ("KID", "DAD", "MUM")
    rows = _abcc6(tmp, [f"{ABCC6_DEL} GT 0/1 0/0 0/1", f"{R1141X} {GT} 0/1:99:30 0/1:99:30 0/0:99:30"], trio,
                  "--ped", str(ped))
    kid = rows[("KID", "A")]  # ABCC6 is AD too (forme fruste PXE): inherited from an unaffected parent, AD is low
    assert (kid["inheritance_flags"], kid["confidence"], kid["phase_evidence"]) == (
        "AD;AR_comphet", "low;high", ".;parental_trans")
    rows = _abcc6(tmp, [f"{ABCC6_DEL} GT 0/1 0/0 0/1", f"{R1141X} {GT} 1/1:99:30 0/1:99:30 0/0:99:30"], trio,
                  "--ped", str(ped))
    kid = rows[("KID", "A")]
    assert (kid["inheritance_flags"], kid["confidence"], kid["phase_evidence"]) == (
        "AD;AR_comphet", "low;high", ".;deletion_trans")
    assert kid["evidence"].endswith("(hemizygous, not homozygous); the mother passed on the deletion, not "
                                    "c.3421C>T (not a sign of non-maternity)")
    assert kid["segregation"] == "KID (affected): hom; DAD (unaffected): het; MUM (unaffected): ref"


def test_trio_deletion_and_a_variant_outside_it(tmp: Path) -> None:
    ped = tmp / "trio.ped"
    ped.write_text("F KID DAD MUM 1 2\nF DAD 0 0 1 1\nF MUM 0 0 2 1\n")
    rows = _abcc6(tmp, [f"{ABCC6_EXON30} {GT} 0/1:99:30 0/1:99:30 0/0:99:30", f"{ABCC6_DEL} GT 0/1 0/0 0/1"],
                  ("KID", "DAD", "MUM"), "--ped", str(ped))
    kid = rows[("KID", "<DEL>")]
    assert (kid["inheritance_flags"], kid["confidence"], kid["phase_evidence"], kid["evidence_tier"]) == (
        "AD;AR_comphet", "low;high", ".;parental_trans", "2")
    assert kid["evidence"].endswith(" | two heterozygous variants in ABCC6 (c.4281C>T, c.2996-1068_4209-1229del), in "
                                    "trans: one from each parent")


@pytest.fixture
def far_start(tmp: Path) -> tuple[Path, list[str]]:
    """3,000 records 130-160 kb before ABCC6's padded region, and among them a deletion whose POS lies there too
    but whose END reaches ABCC6's exon 30: groups of lines the quick pass would otherwise prove far from it."""
    records = [f"chr16 {16_000_000 + 10 * i} . A G 50 PASS . GT 0/1" for i in range(3000)]
    records.insert(1500, "chr16 16014995 bigdel N <DEL> 50 PASS SVTYPE=DEL;END=16150700 GT 0/1")
    path = write_vcf(tmp / "far.vcf", records, extra_header=SV_HEADER)
    return path, records


def test_a_record_whose_span_reaches_the_panel_is_found_in_every_route(tmp: Path, far_start) -> None:
    path, _ = far_start
    unindexed = bgzip_index(path, index=False).rename(tmp / "plain.vcf.gz")
    indexed = bgzip_index(path)
    bcf = tmp / "far.bcf"
    subprocess.run(["bcftools", "view", "-Ob", "-o", str(bcf), str(path)], check=True)
    outputs = []
    for source, args in ((path, ()), (path, ("--threads", "2")), (unindexed, ()), (indexed, ()), (bcf, ())):
        result = run_cli(source, *args)
        assert result.code == 0, result.err
        outputs.append(table(result.out))
        assert [(r["id"], r["gene"], r["exon"], r["end"]) for r in outputs[-1]] == [
            ("bigdel", "ABCC6", "30-31/31", "16150700")], source
        assert "1 in panel regions" in result.err


def test_structural_variants_from_a_second_vcf(tmp: Path) -> None:
    """--sv: the SV VCF's samples in another order; its deletion pairs with the input's nonsense variant."""
    main = write_vcf(tmp / "small.vcf", [f"{R1141X} {GT} 0/0:99:30 1/1:99:30"], samples=("A", "B"))
    sv = write_vcf(tmp / "sv.vcf", [f"{ABCC6_DEL} GT 0/1 0/0"], samples=("B", "A"), extra_header=SV_HEADER)
    result = run_cli(main, "--sv", sv)
    assert result.code == 0, result.err
    rows = [(r["sample"], r["alt"], r["inheritance_flags"], r["phase_evidence"]) for r in table(result.out)
            if r["gene"] == "ABCC6"]
    assert rows == [("B", "A", "AD;AR_comphet", ".;deletion_trans"),
                    ("B", "<DEL>", "AD;AR_comphet", ".;deletion_trans")]
    assert f"## structural_variants: {sv}" in result.out
    assert "2 records read, 2 in panel regions" in result.err
    piped = run_cli(main, "--sv", "-", stdin=sv.read_bytes())
    assert piped.code == 0, piped.err
    assert "## structural_variants: <stdin>" in piped.out and table(piped.out) == table(result.out)
    only_b = run_cli(main, "--sv", sv, "--samples", "B")
    assert only_b.code == 0, only_b.err
    assert [(r["sample"], r["alt"], r["genotype"]) for r in table(only_b.out) if r["gene"] == "ABCC6"] == [
        ("B", "A", "1/1"), ("B", "<DEL>", "0/1")]


@pytest.mark.parametrize(("declared", "message", "af"), [
    ('##INFO=<ID=gnomAD_AF,Number=1,Type=String,Description="x">', "--af-field gnomAD_AF: {sv} declares "
     "INFO/gnomAD_AF with Number=1, Type=String; an allele frequency needs Type=Float and Number=A (or 1)", None),
    (None, None, "."),
    ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="x">', None, "0.5"),
])
def test_sv_vcf_af_field_is_read_as_its_own_header_declares_it(tmp: Path, declared: str | None, message: str | None,
                                                                 af: str | None) -> None:
    """The input declares gnomAD_AF a Float; the --sv VCF's own declaration counts for its records: a String is an
    error naming it, none leaves the value unread. Both were 'internal error: TypeError' (the text 'abc' compared
    with 0 as a frequency)."""
    main = write_vcf(tmp / "small.vcf", [f"{R1141X} {GT} 0/1:99:30"], samples=("A",), extra_header=(
        '##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="x">',))
    value = "abc" if af != "0.5" else "0.5"
    sv = write_vcf(tmp / "sv.vcf", [f"{ABCC6_DEL};gnomAD_AF={value} GT 0/1"], samples=("A",),
                   extra_header=SV_HEADER + ((declared,) if declared else ()))
    result = run_cli(main, "--sv", sv, "-o", tmp / "out.tsv")
    if message:
        assert (result.code, result.err) == (2, f"hftc-annot: error: {message.format(sv=sv)}\n")
        assert not (tmp / "out.tsv").exists()
        return
    assert result.code == 0, result.err
    rows = table((tmp / "out.tsv").read_text())
    assert [(r["alt"], r["population_af"]) for r in rows] == [("A", "."), ("<DEL>", af)]


def test_sv_vcf_af_field_is_read_when_only_it_declares_it(tmp: Path) -> None:
    """The --sv VCF's own declaration counts for its records also when the small-variant input declares no
    gnomAD_AF: its <DEL> had population_af '.', and a String declaration there was not refused."""
    main = write_vcf(tmp / "small.vcf", [f"{R1141X} {GT} 0/1:99:30"], samples=("A",))
    for declared, expected in (("Number=A,Type=Float", "0.5"), ("Number=1,Type=String", None)):
        sv = write_vcf(tmp / "sv.vcf", [f"{ABCC6_DEL};gnomAD_AF=0.5 GT 0/1"], samples=("A",), extra_header=(
            *SV_HEADER, f'##INFO=<ID=gnomAD_AF,{declared},Description="x">'))
        result = run_cli(main, "--sv", sv)
        if expected is None:
            assert (result.code, result.err) == (2, f"hftc-annot: error: --af-field gnomAD_AF: {sv} declares "
                                                    "INFO/gnomAD_AF with Number=1, Type=String; an allele frequency "
                                                    "needs Type=Float and Number=A (or 1)\n")
            continue
        assert result.code == 0, result.err
        assert [(r["alt"], r["population_af"]) for r in table(result.out)] == [("A", "."), ("<DEL>", expected)]


def test_warnings_about_the_sv_vcf_are_given(tmp: Path) -> None:
    """The --sv VCF's header repaired for htslib (no ##fileformat line) was said of the input VCF only."""
    main = write_vcf(tmp / "small.vcf", [f"{R1141X} {GT} 0/1:99:30"], samples=("A",))
    sv = tmp / "sv.vcf"
    sv.write_text("".join(line for line in write_vcf(tmp / "with.vcf", [f"{ABCC6_DEL} GT 0/1"], samples=("A",),
                                                     extra_header=SV_HEADER).read_text().splitlines(keepends=True)
                          if not line.startswith("##fileformat=")))
    result = run_cli(main, "--sv", sv)
    assert result.code == 0, result.err
    assert f"hftc-annot: warning: {sv}: the header has no ##fileformat line; read as VCFv4.2\n" in result.err


def test_phase_without_ps_is_not_compared_across_the_two_vcfs(tmp: Path) -> None:
    """A phased SV without PS (as Sniffles2 --phase writes) beside a small variant phased without PS: their haplotype
    numbers come from different files, so 0|1 and 0|1 are not cis (the pair was dropped) nor 1|0 and 0|1 trans. A PS
    both files share (a joint phasing) still phases them."""
    header = (*SV_HEADER, '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">')
    outcomes = []
    for small, sv_call in (("GT:GQ:DP 0|1:99:30", "GT 0|1"), ("GT:GQ:DP 0|1:99:30", "GT 1|0"),
                           ("GT:GQ:DP:PS 0|1:99:30:16150000", "GT:PS 1|0:16150000")):
        main = write_vcf(tmp / "small.vcf", [f"{ABCC6_EXON30} {small}"], samples=("A",), extra_header=header)
        sv = write_vcf(tmp / "sv.vcf", [f"{ABCC6_DEL} {sv_call}"], samples=("A",), extra_header=header)
        result = run_cli(main, "--sv", sv)
        assert result.code == 0, result.err
        outcomes.append([(r["alt"], r["inheritance_flags"], r["phase_evidence"]) for r in table(result.out)])
    assert outcomes == [[("<DEL>", "AD;AR_comphet", ".;unphased"), ("A", "AD;AR_comphet", ".;unphased")]] * 2 + [
        [("<DEL>", "AD;AR_comphet", ".;phased_trans"), ("A", "AD;AR_comphet", ".;phased_trans")]]


def test_phase_without_ps_holds_within_the_second_vcf(tmp: Path) -> None:
    """Two deletions of the --sv VCF phased without PS are phased with each other, as in one VCF: 0|1 and 1|0 are in
    trans, 0|1 and 0|1 in cis (no pair)."""
    header = (*SV_HEADER, '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">')
    other = "chr16 16180000 del_b N <DEL> 50 PASS SVTYPE=DEL;END=16185000"
    outcomes = []
    for second in ("1|0", "0|1"):
        main = write_vcf(tmp / "small.vcf", [f"{ABCC6_EXON30} GT 0/0"], samples=("A",), extra_header=header)
        sv = write_vcf(tmp / "sv.vcf", [f"{ABCC6_DEL} GT 0|1", f"{other} GT {second}"], samples=("A",),
                       extra_header=header)
        result = run_cli(main, "--sv", sv, "--qualify", "all")
        assert result.code == 0, result.err
        outcomes.append([(r["id"], r["inheritance_flags"], r["phase_evidence"]) for r in table(result.out)])
    assert outcomes == [[("del23_29", "AD;AR_comphet", ".;phased_trans"), ("del_b", "AD;AR_comphet", ".;phased_trans")],
                        [("del23_29", "AD", "."), ("del_b", "AD", ".")]]


@pytest.mark.parametrize(("samples", "build", "extra", "message"), [
    (("A", "C"), "GRCh38", (), "sv.vcf: --sv needs the samples of {main} (names match exactly): it lacks B; has C, "
                              "which {main} lacks"),
    (("A", "B"), "GRCh37", (), "sv.vcf: --sv is on GRCh37 (##contig lengths (24 contigs)), {main} on GRCh38"),
    (("A", "B"), "GRCh38", ("-o", "out.vcf"), "--sv: the annotated VCF holds the records of the input VCF only"),
])
def test_second_vcf_refusals(tmp: Path, samples, build, extra, message) -> None:
    main = write_vcf(tmp / "small.vcf", [f"{R1141X} {GT} 0/0:99:30 1/1:99:30"], samples=("A", "B"))
    sv = write_vcf(tmp / "sv.vcf", ["chr16 16152000 . N <DEL> 50 PASS SVTYPE=DEL;END=16167001 GT 0/1 0/0"],
                   samples=samples, build=build, extra_header=SV_HEADER)
    result = run_cli(main, "--sv", sv, *extra, cwd=tmp)
    assert result.code == 2
    assert message.format(main=main) in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp / "out.vcf").exists()


def test_html_draws_the_deleted_span(tmp: Path) -> None:
    path = write_vcf(tmp / "in.vcf", [f"{ABCC6_DEL_IMPRECISE} GT 0/1"], extra_header=SV_HEADER)
    result = run_cli(path, "--format", "html", "-q")
    assert result.code == 0, result.err
    assert result.out.count('<rect class="span"') == 1
    assert ("<title>deletion of exons 23-29 of 31 of ABCC6 (NM_001171.6); 1213 coding bases: frameshift; imprecise "
            "breakpoints (tier 2)</title>") in result.out


def test_one_deletion_called_twice_is_not_a_compound_het(tmp: Path) -> None:
    """The same deletion from two callers: sequence-resolved in the input (118 bases, ENPP1 exon 3 and around it)
    and symbolic in --sv, or the same <DEL> in both files (taken once); the --sv file's small variants are not
    taken (they would count twice), and --sv naming the input itself is refused."""
    small = f"chr6 131849989 . A{'C' * 117} A 50 PASS . GT 0/1"
    main = write_vcf(tmp / "small.vcf", [small, f"{ABCC6_DEL} GT 0/1"], extra_header=SV_HEADER)
    sv = write_vcf(tmp / "sv.vcf", ["chr6 131849989 . N <DEL> 50 PASS SVTYPE=DEL;END=131850106 GT 0/1",
                                    f"{ABCC6_DEL} GT 0/1", f"{R1141X} GT 1/1"], extra_header=SV_HEADER)
    result = run_cli(main, "--sv", sv)
    assert result.code == 0, result.err
    rows = [(r["gene"], r["alt"], r["inheritance_flags"]) for r in table(result.out)]
    assert sorted(rows) == [("ABCC6", "<DEL>", "AD"), ("ENPP1", "<DEL>", "AD"), ("ENPP1", "A", "AD")]
    assert "3 in panel regions" in result.err
    itself = run_cli(main, "--sv", main)
    assert itself.code == 2
    assert f"--sv {main} is the input VCF itself" in itself.err
    for vcf, second in (("-", "/dev/stdin"), ("/dev/stdin", "-")):
        stdin_twice = run_cli(vcf, "--sv", second, stdin=main.read_bytes())
        assert (stdin_twice.code, stdin_twice.err) == (2, f"hftc-annot: error: --sv {second} is the input VCF itself: "
                                                           "give the second VCF of structural variants\n")


def test_a_deletion_that_cannot_pair_leaves_a_homozygous_call_alone(tmp: Path) -> None:
    """A common deletion (gnomAD AF 5%, over the 1% AR limit) does not turn a homozygous nonsense variant inside
    it into one copy: that stays AR_hom."""
    header = (*SV_HEADER, '##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="Population frequency">')
    path = write_vcf(tmp / "in.vcf", [f"{ABCC6_DEL.replace('END=', 'gnomAD_AF=0.05;END=')} GT 0/1",
                                      f"{R1141X} {GT} 1/1:99:30"], extra_header=header)
    result = run_cli(path)
    assert result.code == 0, result.err
    snv = next(r for r in table(result.out) if r["alt"] == "A")
    assert (snv["inheritance_flags"], snv["zygosity"]) == ("AR_hom;AD", "hom_alt")


def test_structural_variants_with_consequences_from_input(tmp: Path) -> None:
    """--consequences from-input reads the small variants' CSQ; a structural variant is computed from its
    coordinates (VEP writes no HGVS for it), so it still pairs."""
    header = (*SV_HEADER, '##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl '
              'VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Feature|EXON|INTRON|HGVSc|HGVSp|Protein_position">')
    csq = "CSQ=A|stop_gained|HIGH|ABCC6|ENST00000205557.12|24/31||c.3421C>T|p.Arg1141Ter|1141"
    path = write_vcf(tmp / "in.vcf", [f"{ABCC6_DEL};CSQ=deletion|feature_truncation|HIGH|ABCC6|ENST00000205557.12"
                                      f"|23-29/31|||| GT 0/1", R1141X.replace(" .", f" {csq}") + f" {GT} 1/1:99:30"],
                      extra_header=header)
    result = run_cli(path, "--consequences", "from-input")
    assert result.code == 0, result.err
    rows = {r["alt"]: r for r in table(result.out)}
    assert (rows["<DEL>"]["consequence"], rows["<DEL>"]["hgvs_c"], rows["<DEL>"]["transcript_rule"]) == (
        "feature_truncation&exon_loss_variant&intron_variant", "NM_001171.6:c.2996-1068_4209-1229del",
        "MANE Select (computed: the input's annotation of structural variants is not read)")
    assert (rows["A"]["consequence"], rows["A"]["phase_evidence"]) == ("stop_gained", ".;deletion_trans")


def test_on_chrx_gt_decides(tmp: Path) -> None:
    """PHEX (chrX) in males, gCNV-style <DEL>,<DUP> calls: GT 1 (CN 0) is a hemizygous loss, GT 2 (CN 2) a gain of
    one copy, GT 0 (CN 1) no change."""
    rows = _rows(tmp, ["chrX 22000000 . N <DEL>,<DUP> 50 PASS SVTYPE=CNV;END=22300000 GT:CN 1:0 2:2 0:1"],
                 samples=("M1", "M2", "M3"))
    assert [(r["sample"], r["alt"], r["genotype"], r["zygosity"], r["consequence"]) for r in rows] == [
        ("M1", "<DEL>", "1", "hemi", "transcript_ablation"), ("M2", "<DUP>", "2", "hemi", "transcript_amplification")]


def test_a_cnv_takes_its_direction_from_its_carriers(tmp: Path) -> None:
    """DELLY/Canvas-style <CNV> with GT and CN on chrX: the males' normal CN 1 (GT 0, 0/0) is no loss, so the woman's
    CN 3 makes a duplication, not a change of unknown direction."""
    rows = _rows(tmp, ["chrX 22032000 . N <CNV> 50 PASS SVTYPE=CNV;END=22040000 GT:CN 0:1 0/0:1 0/1:3"],
                 samples=("M1", "M2", "F"))
    assert [(r["sample"], r["genotype"], r["consequence"], r["hgvs_c"], r["inheritance_flags"]) for r in rows] == [
        ("F", "0/1", "feature_elongation&coding_sequence_variant&intron_variant", "NM_000444.6:c.-1005_187+1463dup",
         "XL")]


def test_a_cnv_without_a_carrier_on_chrx_has_no_direction(tmp: Path) -> None:
    """On chrX CN is not read as GT (a male's normal CN is 1): a <CNV> that no GT names a carrier of takes no direction
    from the copy numbers (the README's 'give GT'), rather than a male's 1 counting as a loss."""
    path = write_vcf(tmp / "in.vcf", ["chrX 22032000 . N <CNV> 50 PASS SVTYPE=CNV;END=22040000 CN 1 2",
                                      "chrX 22032000 . N <CNV> 50 PASS SVTYPE=CNV;END=22040001 GT:CN 0:1 0/0:2"],
                     samples=("A", "B"), extra_header=SV_HEADER)
    result = run_cli(path, "-o", tmp / "out.vcf")
    assert result.code == 0, result.err
    records = [line for line in (tmp / "out.vcf").read_text().splitlines() if not line.startswith("#")]
    assert [r.split("\t")[7].split("HFTC=")[1].split("|")[1:3] + r.split("HFTC=")[1].split("|")[9:10]
            for r in records] == [["coding_sequence_variant&intron_variant", "MODIFIER", ""]] * 2


def test_two_cnvs_at_one_pos_without_hgvs_are_two_alleles(tmp: Path) -> None:
    """<CNV>s of unknown direction (losses and gains in different samples) have no HGVS c.: their label names their
    END, so two of them at one POS are two alleles that pair, not one called twice."""
    lines = [f"chr16 16152000 . N <CNV> 50 PASS SVTYPE=CNV;END={end} GT:CN 0/1:1 0/1:3" for end in (16160000, 16167001)]
    rows = _rows(tmp, lines, "--qualify", "all", samples=("A", "B"))
    assert [(r["sample"], r["hgvs_c"], r["inheritance_flags"]) for r in rows] == [
        (sample, ".", "AD;AR_comphet") for sample in ("A", "A", "B", "B")]


def test_an_end_not_after_pos_is_skipped(tmp: Path) -> None:
    path = write_vcf(tmp / "in.vcf", ["chr6 131849999 . N <DEL> 50 PASS SVTYPE=DEL;END=131849000 GT 0/1",
                                      "chr6 131849999 . N <DUP> 50 PASS SVTYPE=DUP;SVLEN=0 GT 0/1"],
                     extra_header=SV_HEADER)
    result = run_cli(path)
    assert result.code == 0, result.err
    assert table(result.out) == []
    assert "skipped alleles: 2 structural allele whose END is not after POS;" in result.err


def test_a_small_alt_beside_a_structural_one_keeps_its_own_span(tmp: Path) -> None:
    """G is 130 kb from ABCC6; only the <DEL> beside it reaches the gene."""
    rows = _rows(tmp, ["chr16 16014995 . A G,<DEL> 50 PASS SVTYPE=DEL;END=16150700 GT 1/2"])
    assert [(r["alt"], r["gene"], r["end"]) for r in rows] == [("<DEL>", "ABCC6", "16150700")]


def test_html_draws_every_structural_variant_at_one_position(tmp: Path) -> None:
    path = write_vcf(tmp / "in.vcf", ["chr6 131848999 . N <DEL> 50 PASS SVTYPE=DEL;END=131851000 GT 0/1 0/0",
                                      "chr6 131848999 . N <DEL> 50 PASS SVTYPE=DEL;END=131852000 GT 0/0 0/1"],
                     samples=("S1", "S2"), extra_header=SV_HEADER)
    result = run_cli(path, "--format", "html", "-q")
    assert result.code == 0, result.err
    assert result.out.count('<rect class="span"') == 2


@pytest.mark.parametrize("length", [2423, 9999])
def test_second_vcf_on_an_assembly_of_ones_own(tmp: Path, length: int) -> None:
    """--build custom: the --sv VCF must give every contig both declare the same length."""
    suite = Path(__file__).resolve().parent / "data" / "csq_suite"
    for name in ("ctgA.fa", "ctgA.gff", "ctgA.vcf"):
        shutil.copy(suite / name, tmp / name)
    pysam.faidx(str(tmp / "ctgA.fa"))
    rows = (suite / "panel.tsv").read_text().splitlines()
    (tmp / "panel.tsv").write_text("\n".join([rows[0], *(r for r in rows if r.startswith("MINIA\t"))]) + "\n")
    (tmp / "sv.vcf").write_text("\n".join([
        "##fileformat=VCFv4.2", f"##contig=<ID=ctgA,length={length}>", *SV_HEADER[-4:],
        '##INFO=<ID=END,Number=1,Type=Integer,Description="End">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="GT">',
        "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "S1"]),
        "\t".join(["ctgA", "1000", "sv1", "N", "<DEL>", "50", "PASS", "END=1300", "GT", "0/1"])]) + "\n")
    result = run_cli("ctgA.vcf", "--fasta", "ctgA.fa", "--gff", "ctgA.gff", "--panel", "panel.tsv", "--build", "custom",
                     "--sv", "sv.vcf", cwd=tmp)
    if length == 9999:
        assert result.code == 2
        assert "sv.vcf: --sv says contig ctgA is 9,999 bp long, ctgA.vcf 2,423: not the same assembly" in result.err
        return
    assert result.code == 0, result.err
    assert [(r["id"], r["gene"], r["consequence"]) for r in table(result.out) if r["alt"] == "<DEL>"] == [
        ("sv1", "MINIA", "feature_truncation&exon_loss_variant&intron_variant")]


def test_two_overlapping_deletions_shown_in_trans_are_a_compound_het(tmp: Path) -> None:
    """Overlapping by more than half, but one from each parent: two events, not one called twice."""
    ped = tmp / "trio.ped"
    ped.write_text("F KID DAD MUM 1 2\nF DAD 0 0 1 1\nF MUM 0 0 2 1\n")
    rows = _abcc6(tmp, ["chr16 16144999 a N <DEL> 50 PASS SVTYPE=DEL;END=16160000 GT 0/1 0/1 0/0",
                        "chr16 16151999 b N <DEL> 50 PASS SVTYPE=DEL;END=16167001 GT 0/1 0/0 0/1"],
                  ("KID", "DAD", "MUM"), "--ped", str(ped))
    kid = rows[("KID", "<DEL>")]
    assert (kid["inheritance_flags"], kid["confidence"], kid["phase_evidence"]) == (
        "AD;AR_comphet", "low;high", ".;parental_trans")


def test_one_deletion_called_three_times_or_twice_around_a_variant_pairs_once(tmp: Path) -> None:
    rows = _rows(tmp, [f"chr16 {16152000 + shift} . N <DEL> 50 PASS SVTYPE=DEL;END={16167001 + shift} GT 0/1"
                       for shift in (0, 100, 200)])
    assert {r["inheritance_flags"] for r in rows} == {"AD"}
    rows = _rows(tmp, [f"{ABCC6_DEL} GT 0/1", "chr16 16152100 . N <DEL> 50 PASS SVTYPE=DEL;END=16167100 GT 0/1",
                       f"{R1141X} {GT} 1/1:99:30"])
    assert sorted((r["pos"], r["inheritance_flags"], r["comphet_pair_id"]) for r in rows) == [
        ("16152000", "AD;AR_comphet", ".;CH1"), ("16152100", "AD", "."), ("16163078", "AD;AR_comphet", ".;CH1")]


def test_an_insertion_beside_a_deletion_is_not_inside_it(tmp: Path) -> None:
    """Inserted between the kept POS base and the first deleted base: homozygous, not hemizygous."""
    rows = _rows(tmp, [f"{ABCC6_DEL} GT 0/1", "chr16 16152000 . G GT 50 PASS . GT:GQ:DP 1/1:99:30"],
                 "--qualify", "all")
    insertion = next(r for r in rows if r["alt"] == "GT")
    assert insertion["inheritance_flags"] == "AR_hom;AD"


def test_the_same_deletion_in_both_inputs_is_taken_once_whatever_their_order_and_spelling(tmp: Path) -> None:
    """The input is sorted chr16 before chr2 (lexicographically) and writes 'chr16'; --sv writes '16' and sorts
    2 before 16. Each deletion is taken once, and the nonsense variant inside GALNT3's pairs once."""
    galnt3_del = "chr2 165750000 g N <DEL> 50 PASS SVTYPE=DEL;END=165760000 GT 0/1"
    inside = "chr2 165754626 . C T 50 PASS . GT:GQ:DP 1/1:99:30"
    main = write_vcf(tmp / "main.vcf", [f"{ABCC6_DEL} GT 0/1", galnt3_del, inside], extra_header=SV_HEADER)
    sv = write_vcf(tmp / "sv.vcf", [galnt3_del.removeprefix("chr"), f"{ABCC6_DEL} GT 0/1".removeprefix("chr"),
                                    "16 16170000 . N <INS> 50 PASS SVTYPE=INS;END=16170000 GT 0/1"],
                   prefix="", extra_header=SV_HEADER)
    result = run_cli(main, "--sv", sv)
    assert result.code == 0, result.err
    rows = table(result.out)
    assert sorted((r["gene"], r["alt"], r["comphet_pair_id"]) for r in rows) == [
        ("ABCC6", "<DEL>", "."), ("GALNT3", "<DEL>", "CH1"), ("GALNT3", "T", "CH1")]
    assert "4 in panel regions" in result.err and "skipped alleles: 1 symbolic allele (<...>)" in result.err


def test_copy_number_alone_on_chrx_is_not_read(tmp: Path) -> None:
    """Without a GT the number of copies on chrX is not known (CN 1 is normal in a male): no call."""
    assert _rows(tmp, ["chrX 22032000 . N <CNV> 50 PASS SVTYPE=CNV;END=22040000 CN 1 2"], samples=("M", "F")) == []


def test_a_homozygous_looking_variant_inside_a_deletion_in_dominant_and_x_linked_genes(tmp: Path) -> None:
    """Outside recessive pairs too, a 1/1 call inside the sample's heterozygous deletion is one copy: SLC20A2 (AD)
    says hemizygous, not homozygous; a woman's PHEX (XLD) variant facing a deletion of her other X is a hemizygous
    female (from her affected father), not a homozygous one."""
    ped = tmp / "f.ped"
    ped.write_text("F KID DAD MUM 2 2\nF DAD 0 0 1 2\nF MUM 0 0 2 1\n")
    records = ["chr8 42420000 . N <DEL> 50 PASS SVTYPE=DEL;END=42430000 GT 0/1 0/0 0/1",
               "chr8 42425000 . C T 50 PASS . GT:GQ:DP 1/1:99:30 0/1:99:30 0/0:99:30",
               "chrX 22100000 . N <DEL> 50 PASS SVTYPE=DEL;END=22110000 GT 0/1 0 0/1",
               "chrX 22105000 . C T 50 PASS . GT:GQ:DP 1/1:99:30 1:99:30 0/0:99:30"]
    rows = {(r["gene"], r["alt"]): r for r in _rows(tmp, records, "--ped", str(ped), "--qualify", "all",
                                                   samples=("KID", "DAD", "MUM")) if r["sample"] == "KID"}
    slc = rows[("SLC20A2", "T")]
    assert slc["evidence"].startswith("hemizygous (the other copy is deleted) in an autosomal dominant gene")
    phex = rows[("PHEX", "T")]
    assert (phex["inheritance_flags"], phex["confidence"]) == ("XL", "high")
    assert phex["evidence"].startswith("hemizygous female in an X-linked dominant gene: the other X's copy is deleted")


def test_a_variant_where_an_imprecise_breakpoint_may_lie_is_not_inside_the_deletion(tmp: Path) -> None:
    """CIPOS lets the deletion's 3' breakpoint (ABCC6 is on the minus strand) lie anywhere in 16151501-16164001, so
    c.3421C>T at 16163078 may be outside it: its 1/1 call is not one copy facing the deletion (it was taken as
    hemizygous, deletion_trans of high confidence). With CIPOS=-500,500 it is surely deleted, and is."""
    unsure = "chr16 16152000 d N <DEL> 50 PASS SVTYPE=DEL;END=16167001;CIPOS=-500,12000;CIEND=-300,300;IMPRECISE"
    rows = _abcc6(tmp, [f"{unsure} GT 0/1", f"{R1141X} {GT} 1/1:99:30"], ("S1",))
    snv = rows[("S1", "A")]
    assert (snv["inheritance_flags"], snv["confidence"], snv["phase_evidence"]) == ("AR_hom;AD", "medium;low", ".;.")
    assert "hemizygous" not in snv["evidence"]
    sure = unsure.replace("CIPOS=-500,12000", "CIPOS=-500,500")
    snv = _abcc6(tmp, [f"{sure} GT 0/1", f"{R1141X} {GT} 1/1:99:30"], ("S1",))[("S1", "A")]
    assert (snv["inheritance_flags"], snv["confidence"], snv["phase_evidence"]) == (
        "AD;AR_comphet", "low;high", ".;deletion_trans")


def test_a_haploid_gcnv_loss_of_one_copy_on_chrx_is_a_womans_heterozygous_deletion(tmp: Path) -> None:
    """GATK gCNV writes a haploid GT on every contig, against the contig's baseline ploidy: a woman's heterozygous
    PHEX deletion is GT 1 with CN 1. A male's loss is CN 0, so a haploid loss with CN 1 on chrX can only be a loss of
    one of two copies: 0/1 (it was read as a hemizygous call in a female, 'sex or call error?', of low confidence).
    CN 0 stays as GT says (a male's loss)."""
    ped = tmp / "f.ped"
    ped.write_text("F KID 0 0 2 2\nF M 0 0 1 2\n")
    rows = _rows(tmp, ["chrX 22000000 . N <DEL>,<DUP> 50 PASS SVTYPE=CNV;END=22300000 GT:CN 1:1 1:0"], "--ped",
                 str(ped), samples=("KID", "M"))
    assert [(r["sample"], r["genotype"], r["zygosity"], r["inheritance_flags"], r["confidence"], r["evidence"])
            for r in rows] == [
        ("KID", "0/1", "het", "XL", "medium", "heterozygous female in an X-linked dominant gene"),
        ("M", "1", "hemi", "XL", "high", "hemizygous in a male (X-linked)")]


def test_a_haploid_gcnv_gain_to_three_copies_on_chrx_is_a_womans_heterozygous_duplication(tmp: Path) -> None:
    """A woman's PHEX duplication from gCNV is GT 2 with CN 3 (her baseline is 2): 0/2, heterozygous (it was read as
    a hemizygous call in a female, 'sex or call error?'). A male's gain is CN 2 and stays hemizygous."""
    ped = tmp / "f.ped"
    ped.write_text("F KID 0 0 2 2\nF M 0 0 1 2\n")
    rows = _rows(tmp, ["chrX 22000000 . N <DEL>,<DUP> 50 PASS SVTYPE=CNV;END=22300000 GT:CN 2:3 2:2"], "--ped",
                 str(ped), samples=("KID", "M"))
    assert [(r["sample"], r["alt"], r["genotype"], r["zygosity"], r["inheritance_flags"], r["confidence"])
            for r in rows] == [("KID", "<DUP>", "0/2", "het", "XL", "medium"),
                               ("M", "<DUP>", "2", "hemi", "XL", "high")]


def test_each_alt_of_a_multiallelic_record_without_end_takes_its_own_svlen(tmp: Path) -> None:
    """SVLEN is Number=A (VCF 4.4): without END, the <DUP> reaches 3001 bases (ENPP1 exons 3-4), not the <DEL>'s 2001
    (it took the first ALT's length, and was named a duplication of exon 3 alone)."""
    rows = _rows(tmp, ["chr6 131848999 . N <DEL>,<DUP> 50 PASS SVLEN=-2001,3001 GT 0/1 0/2"], samples=("A", "B"))
    assert [(r["alt"], r["hgvs_c"], r["exon"], r["end"]) for r in rows] == [
        ("<DEL>", "NM_006208.3:c.314-990_431-142del", "3/25", "131851000"),
        ("<DUP>", "NM_006208.3:c.314-990_557-175dup", "3-4/25", "131852000")]
