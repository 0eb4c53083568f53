"""PED dialects as case files, and the CLI reading them.

tests/data/ped/ok/NAME.ped parses to NAME.expected: a TSV (family, id, father, mother, sex, phenotype; a missing
parent is '.') followed by one 'warning: TEXT' line per warning, in order. tests/data/ped/bad/NAME.ped fails with
the one-line error in NAME.error (the message after the file name). Samples, families and genotypes are made up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hftc_annot.errors import InputError
from hftc_annot.inheritance import pedigree as ped

from conftest import body, run_cli, table, write_vcf

CASES = Path(__file__).parent / "data" / "ped"
SEX = {ped.MALE: "male", ped.FEMALE: "female", ped.UNKNOWN_SEX: "unknown"}
STATUS = {ped.AFFECTED: "affected", ped.UNAFFECTED: "unaffected", ped.UNKNOWN_STATUS: "unknown"}
HEADER = "family\tid\tfather\tmother\tsex\tphenotype"


def render(pedigree: ped.Pedigree, warnings: list[str]) -> str:
    """The parse in the form of a .expected file."""
    rows = ["\t".join((i.family, i.id, i.father or ".", i.mother or ".", SEX[i.sex], STATUS[i.status]))
            for i in pedigree.individuals.values()]
    return "".join(f"{line}\n" for line in [HEADER, *rows, *(f"warning: {w}" for w in warnings)])


def cases(kind: str) -> list[Path]:
    return sorted((CASES / kind).glob("*.ped"))


def test_every_case_has_its_answer_and_is_stored_byte_exact() -> None:
    for kind, answer in (("ok", ".expected"), ("bad", ".error")):
        assert {p.stem for p in cases(kind)} == {p.stem for p in (CASES / kind).glob(f"*{answer}")}
    assert (CASES / "ok" / "crlf.ped").read_bytes().count(b"\r\n") == 3  # .gitattributes: tests/data/ped/** -text
    assert (CASES / "ok" / "bom.ped").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("case", cases("ok"), ids=lambda p: p.stem)
def test_dialect_parses(case: Path) -> None:
    expected = case.with_suffix(".expected").read_text(encoding="utf-8")
    ids = tuple(line.split("\t")[1] for line in expected.splitlines()[1:] if not line.startswith("warning: "))
    warnings: list[str] = []
    assert render(ped.read_ped(str(case), ids, (), warnings.append), warnings) == expected


@pytest.mark.parametrize("case", cases("bad"), ids=lambda p: p.stem)
def test_bad_ped_is_refused(case: Path) -> None:
    with pytest.raises(InputError) as caught:
        ped.read_ped(str(case), (), (), [].append)
    assert str(caught.value) == f"{case}: {case.with_suffix('.error').read_text(encoding='utf-8').rstrip()}"


def test_siblings_share_a_known_father_and_a_known_mother() -> None:
    """ok/half_siblings.ped: KID and SIB are full siblings; HALF shares only DAD; P1 and P2 share DAD and have no
    mother in the PED; A and B are founders."""
    pedigree = ped.read_ped(str(CASES / "ok" / "half_siblings.ped"), (), (), [].append)
    assert {s: [i.id for i in pedigree.siblings(s)] for s in ("KID", "SIB", "HALF", "P1", "P2", "A", "B", "NEW")} == {
        "KID": ["SIB"], "SIB": ["KID"], "HALF": [], "P1": [], "P2": [], "A": [], "B": [], "NEW": []}


def test_deep_pedigrees_are_walked_once(tmp: Path) -> None:
    """A 5,000-generation line of fathers parses, and errors when its eldest is the father of its youngest; an
    inbred ladder (each generation's couple the children of the one before), whose ancestry paths double with each
    generation, parses too."""
    chain = [f"F1 G{g} G{g + 1} 0 1 1" for g in range(5000)] + ["F1 G5000 0 0 1 1"]
    ladder = [f"F1 {child}{g} F{g + 1} M{g + 1} {sex} 1" for g in range(24) for child, sex in (("F", 1), ("M", 2))]
    ladder += ["F1 F24 0 0 1 1", "F1 M24 0 0 2 1", "F1 KID F0 M0 1 2"]
    for name, lines in (("chain", chain), ("ladder", ladder)):
        (tmp / f"{name}.ped").write_text("\n".join(lines) + "\n")
        assert len(ped.read_ped(str(tmp / f"{name}.ped"), (), (), [].append).individuals) == len(lines)
    chain[-1] = "F1 G5000 G0 0 1 1"
    (tmp / "loop.ped").write_text("\n".join(chain) + "\n")
    with pytest.raises(InputError, match="line 1: pedigree loop: 'G0' is an ancestor of itself"):
        ped.read_ped(str(tmp / "loop.ped"), (), (), [].append)


FORMAT, HET, REF = "GT:AD:DP:GQ", "0/1:10,10:20:60", "0/0:20,0:20:60"
RECORDS = [f"chr2 165760000 . C T 50 PASS . {FORMAT} {HET} {HET} {REF}",  # intronic GALNT3 (AR): --qualify all
           f"chr2 165765000 . G A 50 PASS . {FORMAT} {HET} {REF} {HET}"]


def test_cli_dialect_ped_gives_the_plain_output(tmp: Path) -> None:
    """ok/trio_dialect.ped (BOM, comment, CRLF, PLINK header, tabs with empty parents, sex and phenotype words) is
    the trio of ok/plain.ped."""
    vcf = write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "DAD", "MUM"))
    plain, dialect = (run_cli(vcf, "--qualify", "all", "--ped", CASES / "ok" / f"{name}.ped")
                      for name in ("plain", "trio_dialect"))
    assert plain.code == dialect.code == 0, plain.err + dialect.err
    assert body(dialect.out) == body(plain.out)
    assert {(r["sample"], r["inheritance_flags"], r["phase_evidence"]) for r in table(plain.out)} >= {
        ("KID", "AR_comphet", "parental_trans")}


@pytest.mark.parametrize("name", ["two_families", "gzipped", "nul_in_field"])
def test_cli_bad_ped_exits_2_with_one_line(tmp: Path, name: str) -> None:
    vcf = write_vcf(tmp / "in.vcf", RECORDS, samples=("KID", "DAD", "MUM"))
    case = CASES / "bad" / f"{name}.ped"
    result = run_cli(vcf, "--ped", case, "-o", tmp / "out.tsv")
    error = case.with_suffix(".error").read_text(encoding="utf-8")
    assert (result.code, result.err) == (2, f"hftc-annot: error: {case}: {error}")
    assert not (tmp / "out.tsv").exists()


def test_a_ped_read_from_a_pipe_is_named_by_the_checksum_of_what_was_read(tmp: Path) -> None:
    """The preamble's checksum (which merge compares) was that of a second, empty read of the pipe."""
    import hashlib
    import os
    import threading

    trio = Path(__file__).resolve().parents[1] / "example_vcfs"
    fifo = tmp / "trio.ped"
    os.mkfifo(fifo)
    data = (trio / "trio.ped").read_bytes()
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    result = run_cli(trio / "trio.vcf", "-q", "--ped", fifo)
    writer.join()
    assert result.code == 0, result.err
    assert f"## pedigree: {fifo} (sha256 {hashlib.sha256(data).hexdigest()})\n" in result.out


def test_ped_individuals_left_out_by_samples_are_not_said_to_be_missing_from_the_vcf() -> None:
    trio = Path(__file__).resolve().parents[1] / "example_vcfs"
    result = run_cli(trio / "trio.vcf", "--ped", trio / "trio.ped", "--samples", "CHILD", "--log-level", "warning")
    assert result.code == 0, result.err
    assert ("hftc-annot: warning: 2 PED individual(s) are not among the samples read (--samples) and count as not "
            "genotyped: FATHER, MOTHER\n") in result.err


def test_vcf_samples_named_only_as_parents_are_not_said_to_be_unrelated(tmp: Path) -> None:
    """A PED with the child's line only: its parents in the VCF are used as its parents (de novo, carriers), so the
    warning does not call them unrelated (it did; found by review)."""
    trio = Path(__file__).resolve().parents[1] / "example_vcfs"
    (tmp / "child.ped").write_text("FAM1\tCHILD\tFATHER\tMOTHER\t2\t2\n")
    result = run_cli(trio / "trio.vcf", "--ped", tmp / "child.ped", "--summary", tmp / "s.tsv", "-o", tmp / "o.tsv",
                     "--log-level", "warning")
    assert result.code == 0, result.err
    assert result.err.splitlines()[1:] == [
        "hftc-annot: warning: 2 VCF sample(s) are parents in the PED without a line of their own and count as "
        "parents of unknown status (a father male, a mother female): FATHER, MOTHER"]
    evidence = {(r["gene"], r["candidate"]): r["evidence"] for r in table((tmp / "s.tsv").read_text())
                if r["sample"] == "CHILD"}
    assert evidence[("PHEX", "de novo")] == "not found in either parent: both parents homozygous reference"
    rows = table((tmp / "o.tsv").read_text())  # the segregation text names them too (it was empty)
    assert rows[0]["segregation"] == "CHILD (affected): hom; FATHER (unknown): het; MOTHER (unknown): het"
    warnings: list[str] = []
    ped.read_ped(str(tmp / "child.ped"), ("CHILD", "FATHER", "AUNT"), (), warnings.append)
    assert warnings == [
        "1 PED individual(s) are not in the VCF and count as not genotyped: MOTHER",
        "1 VCF sample(s) are not in the PED and count as unrelated, of unknown status: AUNT",
        "1 VCF sample(s) are parents in the PED without a line of their own and count as parents of unknown status "
        "(a father male, a mother female): FATHER"]


def test_a_parent_named_only_in_a_parent_column_and_not_in_the_vcf_is_a_warning(tmp: Path) -> None:
    """A misspelt father id (DAD1 for DAD) left the child without a genotyped father in silence: DAD has a line
    and is in the VCF, DAD1 is in neither (found by review)."""
    (tmp / "typo.ped").write_text("F1 KID DAD1 MUM 1 2\nF1 DAD 0 0 1 1\nF1 MUM 0 0 2 1\nF1 SIB DAD1 GM 2 1\n")
    warnings: list[str] = []
    ped.read_ped(str(tmp / "typo.ped"), ("KID", "DAD", "MUM", "SIB"), (), warnings.append)
    assert warnings == ["2 PED individual(s) are not in the VCF and count as not genotyped: DAD1, GM"]


def test_affected_over_a_peds_unaffected_is_a_warning_and_long_name_lists_say_there_are_more(tmp: Path) -> None:
    """--affected overrides the PED's status, and says so when the PED calls the sample unaffected (it did so
    silently); a warning's list of names cut at five ends in '…'; a name given twice counts once (found by review)."""
    (tmp / "fam.ped").write_text("F1 KID DAD MUM 2 1\nF1 DAD 0 0 1 1\nF1 MUM 0 0 2 0\n")
    samples = ("KID", "DAD", "MUM", *(f"S{i}" for i in range(6)))
    warnings: list[str] = []
    pedigree = ped.read_ped(str(tmp / "fam.ped"), samples, ("KID", "MUM"), warnings.append)
    assert warnings == [
        "6 VCF sample(s) are not in the PED and count as unrelated, of unknown status: S0, S1, S2, S3, S4, …",
        "--affected marks 1 individual(s) the PED calls unaffected as affected: KID"]
    assert [pedigree.get(s).status for s in ("KID", "DAD", "MUM")] == [ped.AFFECTED, ped.UNAFFECTED, ped.AFFECTED]
    trio = Path(__file__).resolve().parents[1] / "example_vcfs" / "trio.vcf"
    result = run_cli(trio, "--ped", tmp / "fam.ped", "--affected", "KID", "--affected", "KID", "-o", tmp / "o.tsv")
    assert result.code == 0, result.err
    assert f"## pedigree: {tmp / 'fam.ped'}" in (tmp / "o.tsv").read_text()
    assert next(line for line in (tmp / "o.tsv").read_text().splitlines()
                if line.startswith("## pedigree:")).endswith("; affected KID")


def test_a_parent_the_ped_gives_no_sex_has_the_sex_of_the_role_in_their_own_flags_too(tmp: Path) -> None:
    """An affected father of sex 0 (or without a line) counted as male in his daughter's evidence but as a female in
    his own flags: his diploid 1/1 chrX call was 'homozygous ... (no sex in a PED ...)' and his 0/1 call a
    'heterozygous female' (found by review)."""
    x_records = [f"chrX 22100000 . G A 50 PASS . {FORMAT} {HET} 1/1:0,20:20:60 {REF}",  # PHEX (XLD)
                 f"chrX 22100100 . G A 50 PASS . {FORMAT} {HET} {HET} {REF}"]
    vcf = write_vcf(tmp / "in.vcf", x_records, samples=("KID", "DAD", "MUM"))
    expected = [("hemizygous in a male (X-linked)", "high"),
                ("in a male (X-linked); heterozygous call in a male on chrX outside the pseudo-autosomal regions (sex "
                 "or call error?)", "low")]
    for name, lines in (("sex0", "F1 KID DAD MUM 2 2\nF1 DAD 0 0 0 2\nF1 MUM 0 0 0 1\n"),
                        ("no_line", "F1 KID DAD MUM 2 2\n")):
        (tmp / f"{name}.ped").write_text(lines)
        result = run_cli(vcf, "-q", "--qualify", "all", "--ped", tmp / f"{name}.ped")
        assert result.code == 0, result.err
        assert [(r["evidence"], r["confidence"]) for r in table(result.out) if r["sample"] == "DAD"] == expected
    pedigree = ped.read_ped(str(tmp / "sex0.ped"), ("KID", "DAD", "MUM"), (), [].append)
    assert [pedigree.sex(s) for s in ("KID", "DAD", "MUM", "OTHER")] == [ped.FEMALE, ped.MALE, ped.FEMALE,
                                                                       ped.UNKNOWN_SEX]


def test_a_cohort_ped_is_indexed_once_not_searched_per_sample(tmp: Path) -> None:
    """Each sample's siblings and PED family were looked for among all individuals, so finding a cohort's relatives
    took time quadratic in the cohort (20,000 quads: over 15 minutes). The individuals are now walked a fixed number
    of times, however many samples ask (found by review)."""
    from hftc_annot.inheritance.facts import family_of

    class Walked(dict):
        walks = 0

        def values(self):
            Walked.walks += 1
            return super().values()

    lines = [line for i in range(500) for line in (
        f"F{i} K{i} D{i} M{i} 1 2", f"F{i} D{i} 0 0 1 1", f"F{i} M{i} 0 0 2 1", f"F{i} S{i} D{i} M{i} 2 1")]
    (tmp / "cohort.ped").write_text("\n".join(lines) + "\n")
    samples = tuple(line.split()[1] for line in lines)
    index = {s: i for i, s in enumerate(samples)}
    pedigree = ped.Pedigree(Walked(ped.read_ped(str(tmp / "cohort.ped"), samples, (), [].append).individuals))
    families = [family_of(pedigree, index, s) for s in samples]
    assert Walked.walks <= 3
    kid = families[-4]
    assert (kid.father.name, kid.mother.name, [s.name for s in kid.siblings], len(kid.members)) == (
        "D499", "M499", ["S499"], 4)


def test_a_vcf_sample_named_like_a_ped_family_is_not_of_that_family(tmp: Path) -> None:
    """Family ids are often a proband's id: a VCF sample P1 without a PED line of its own was given family P1's
    members as its segregation (found by review)."""
    from hftc_annot.inheritance.facts import family_of

    (tmp / "fam.ped").write_text("P1 KID DAD MUM 2 2\nP1 DAD 0 0 1 1\nP1 MUM 0 0 2 1\n")
    samples = ("KID", "DAD", "MUM", "P1")
    pedigree = ped.read_ped(str(tmp / "fam.ped"), samples, (), [].append)
    index = {s: i for i, s in enumerate(samples)}
    assert family_of(pedigree, index, "P1").members == ()
    assert [name for name, _ in family_of(pedigree, index, "KID").members] == [
        "KID (affected)", "DAD (unaffected)", "MUM (unaffected)"]


def test_names_that_differ_only_in_case_are_pointed_out(tmp: Path) -> None:
    """A PED written with lower-case ids for an upper-case VCF matched no sample: both warnings came, and nothing said
    why (found by review)."""
    (tmp / "fam.ped").write_text("F1 kid dad mum 1 2\nF1 dad 0 0 1 1\nF1 mum 0 0 2 1\n")
    warnings: list[str] = []
    ped.read_ped(str(tmp / "fam.ped"), ("KID", "DAD", "OTHER"), (), warnings.append)
    assert warnings == [
        "3 PED individual(s) are not in the VCF and count as not genotyped: kid, dad, mum",
        "3 VCF sample(s) are not in the PED and count as unrelated, of unknown status: KID, DAD, OTHER; names are "
        "case-sensitive: PED kid is VCF KID, PED dad is VCF DAD"]
