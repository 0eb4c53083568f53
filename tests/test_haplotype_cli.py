"""Haplotype-aware consequences through the command line (issue 16), on the oracle's SYNTHETIC ENPP1 reference
(tests/oracle/harness.py) run as `--build custom`. Expected amino acids are translated here from the synthetic CDS,
independently of the engine."""

from __future__ import annotations

import html
import json
from itertools import product
from pathlib import Path

import pysam
import pytest

from conftest import bgzip_index, run_cli, table
from oracle.harness import build_oracle_reference, read_models, translate

ROOT = Path(__file__).resolve().parent.parent
STOPS = ("TAA", "TAG", "TGA")
THREE = {"A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly", "H": "His",
         "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp",
         "Y": "Tyr", "V": "Val", "*": "Ter"}


@pytest.fixture(scope="module")
def enpp1(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("haplotype_cli")
    models = [m for m in read_models(ROOT / "resources" / "mane_select.GRCh38.gff3") if m.gene == "ENPP1"]
    oracle = build_oracle_reference(models, work, seed=7)
    (work / "panel.tsv").write_text("gene\tinheritance\nENPP1\tAR\n")
    model = next(iter(read_models(oracle.gff3)))
    bases = [p for s, e in sorted(model.cds) for p in range(s, e + 1)]
    fasta = pysam.FastaFile(str(oracle.fasta))
    cds = "".join(fasta.fetch("ENPP1", p - 1, p).upper() for p in bases)
    return work, bases, cds


def _two_changes_to_a_stop(cds: str) -> tuple[int, tuple[int, str], tuple[int, str]]:
    """A codon (index) that two changes at positions i < j turn into a stop, neither alone doing so."""
    for c in range(10, len(cds) // 3 - 1):
        codon = cds[3 * c:3 * c + 3]
        for stop in STOPS:
            differ = [k for k in range(3) if codon[k] != stop[k]]
            if len(differ) != 2:
                continue
            singles = [codon[:k] + stop[k] + codon[k + 1:] for k in differ]
            if not any(translate(s) == "*" for s in singles):
                return c, (differ[0], stop[differ[0]]), (differ[1], stop[differ[1]])
    raise AssertionError("no such codon in the synthetic CDS")


def _vcf(work: Path, name: str, samples: list[str], records: list[str]) -> Path:
    header = (work / "oracle.fa.fai").read_text().splitlines()
    vcf = work / name
    vcf.write_text("\n".join([
        "##fileformat=VCFv4.2", *(f"##contig=<ID={h.split()[0]},length={h.split()[1]}>" for h in header),
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">',
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
        '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
        "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]),
        *records]) + "\n")
    return vcf


def _run(work: Path, vcf: Path, *more: str | Path):
    return run_cli(vcf, "--fasta", work / "oracle.fa", "--gff", work / "oracle.gff3", "--panel", work / "panel.tsv",
                   "--build", "custom", "--qualify", "all", *more)


def _kid_rows_with_enpp1_dominant(work: Path, name: str, ped: str, samples: list[str], records: list[list[str]]
                                  ) -> list[dict[str, str]]:
    """KID's report rows of a run on `records` (one list of columns each) with ENPP1 read as an AD gene, under the
    PED text `ped`."""
    (work / "panel_ad.tsv").write_text("gene\tinheritance\nENPP1\tAD\n")
    (work / f"{name}.ped").write_text(ped)
    vcf = _vcf(work, f"{name}.vcf", samples, ["\t".join(r) for r in records])
    result = run_cli(vcf, "--fasta", work / "oracle.fa", "--gff", work / "oracle.gff3", "--panel",
                     work / "panel_ad.tsv", "--build", "custom", "--qualify", "all", "--ped", work / f"{name}.ped")
    assert result.code == 0, result.err
    return [r for r in table(result.out) if r["sample"] == "KID"]


def test_two_missense_changes_in_cis_are_one_stop_and_change_the_tier(enpp1) -> None:
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    first, second = bases[3 * c + i], bases[3 * c + j]
    ref = cds[3 * c:3 * c + 3]
    third = bases[3 * (c + 5)]
    other = next(x for x in "ACGT" if x != cds[3 * (c + 5)])
    records = [f"ENPP1\t{first}\t.\t{cds[3 * c + i]}\t{a}\t50\tPASS\t.\tGT\t0|1\t1|0\t0/1\t1/1",
               f"ENPP1\t{second}\t.\t{cds[3 * c + j]}\t{b}\t50\tPASS\t.\tGT\t0|1\t0|1\t0/1\t1/1",
               f"ENPP1\t{third}\t.\t{cds[3 * (c + 5)]}\t{other}\t50\tPASS\t.\tGT\t1|0\t0|0\t0/0\t0/0"]
    vcf = _vcf(work, "pair.vcf", ["CIS", "TRANS", "UNPHASED", "HOM"], records)
    result = _run(work, vcf)
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"]): r for r in table(result.out)}
    members = f"ENPP1:{first}:{cds[3 * c + i]}:{a};ENPP1:{second}:{cds[3 * c + j]}:{b}"
    expected_p = f"p.({THREE[translate(ref)]}{c + 1}Ter)"
    for sample, phase in (("CIS", "cis"), ("UNPHASED", "unknown"), ("HOM", "cis (homozygous)")):
        for pos in (str(first), str(second)):
            row = rows[(sample, pos)]
            assert (row["haplotype_members"], row["haplotype_phase"], row["haplotype_consequence"]) == (
                members, phase, "stop_gained")
            assert row["haplotype_hgvs_p"].endswith(expected_p)
            assert row["haplotype_hgvs_c"].endswith(f":c.[{3 * c + i + 1}{ref[i]}>{a};{3 * c + j + 1}{ref[j]}>{b}]")
    for pos in (str(first), str(second)):
        assert rows[("TRANS", pos)]["haplotype_members"] == "."
        assert rows[("CIS", pos)]["consequence"] != "stop_gained"  # neither alone
    assert rows[("CIS", str(first))]["evidence_tier"] != rows[("UNPHASED", str(first))]["evidence_tier"]
    assert rows[("TRANS", str(first))]["phase_evidence"] == "phased_trans"
    # the haplotype in cis is one allele facing the third, in trans: one pair, not two; both its rows show it
    assert [rows[("CIS", str(p))]["comphet_pair_id"] for p in (first, second, third)] == ["CH1", "CH1", "CH1"]
    assert [rows[("CIS", str(p))]["evidence_tier"] for p in (first, second)] == ["2", "2"]

    # the same in the annotated VCF (declared FORMAT field), JSON and HTML
    result = _run(work, vcf, "-o", work / "pair.out.vcf")
    assert result.code == 0, result.err
    text = (work / "pair.out.vcf").read_text()
    assert '##FORMAT=<ID=HFTC_HAPLOTYPE,Number=.,Type=String,' in text
    line = next(x for x in text.splitlines() if x.startswith(f"ENPP1\t{first}\t"))
    fields = line.split("\t")
    keys = fields[8].split(":")
    cells = {name: dict(zip(keys, cell.split(":"), strict=True)) for name, cell in
             zip(["CIS", "TRANS", "UNPHASED", "HOM"], fields[9:], strict=True)}
    spelled = f"ENPP1_{first}_{cds[3 * c + i]}/{a}&ENPP1_{second}_{cds[3 * c + j]}/{b}"
    change = f"c.[{3 * c + i + 1}{ref[i]}>{a};{3 * c + j + 1}{ref[j]}>{b}]"
    assert cells["CIS"]["HFTC_HAPLOTYPE"] == (f"1|ENPP1|cis|{spelled}|stop_gained|NM_006208.3%3A{change}|"
                                              f"NP_006199.2%3A{expected_p}")
    assert cells["HOM"]["HFTC_HAPLOTYPE"].split("|")[2] == "cis_(homozygous)"
    assert cells["TRANS"]["HFTC_HAPLOTYPE"] == "."
    result = _run(work, vcf, "-o", work / "pair.json")
    assert result.code == 0, result.err
    found = {(r["sample"], r["pos"]): r for r in json.loads((work / "pair.json").read_text())["rows"]}
    assert (found[("CIS", str(first))]["haplotype_hgvs_c"], found[("CIS", str(first))]["haplotype_phase"]) == (
        f"NM_006208.3:{change}", "cis")
    result = _run(work, vcf, "-o", work / "pair.html")
    assert result.code == 0, result.err
    page = html.unescape((work / "pair.html").read_text())
    other = f"c.{3 * c + j + 1}{ref[j]}>{b}"
    assert f"together with {other} on the same chromosome: {expected_p} (stop gained)" in page
    assert f"if in cis with {other} (phase unknown): together {expected_p} (stop gained)" in page


def test_three_changes_in_one_codon_and_a_multiallelic_partner(enpp1) -> None:
    """Three SNVs of one codon on one haplotype make one change; at a 1|2 site, the ALT on the haplotype of the
    partner (slot 2) combines with it and the other ALT (slot 1, in trans) does not."""
    work, bases, cds = enpp1
    c = 30
    codon = cds[3 * c:3 * c + 3]
    alts = next(combo for combo in product(*[[x for x in "ACGT" if x != codon[k]] for k in range(3)])
                if translate("".join(combo)) not in ("*", translate(codon)))
    p = [bases[3 * c + k] for k in range(3)]
    d = 40
    partner = cds[3 * d:3 * d + 3]
    one, two = [x for x in "ACGT" if x != partner[1]][:2]
    records = [f"ENPP1\t{p[k]}\t.\t{codon[k]}\t{alts[k]}\t50\tPASS\t.\tGT\t0|1\t0|0" for k in range(3)] + [
        f"ENPP1\t{bases[3 * d]}\t.\t{partner[0]}\t{'T' if partner[0] != 'T' else 'C'}\t50\tPASS\t.\tGT\t0|0\t0|1",
        f"ENPP1\t{bases[3 * d + 1]}\t.\t{partner[1]}\t{one},{two}\t50\tPASS\t.\tGT\t0|0\t1|2"]
    result = _run(work, _vcf(work, "three.vcf", ["THREE", "MULTI"], records))
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"], r["alt"]): r for r in table(result.out)}
    expected = f"p.({THREE[translate(codon)]}{c + 1}{THREE[translate(''.join(alts))]})"
    for k in range(3):
        row = rows[("THREE", str(p[k]), alts[k])]
        assert row["haplotype_members"] == ";".join(f"ENPP1:{p[m]}:{codon[m]}:{alts[m]}" for m in range(3))
        assert (row["haplotype_phase"], row["haplotype_consequence"]) == ("cis", "missense_variant")
        assert row["haplotype_hgvs_p"] == f"NP_006199.2:{expected}"
        assert row["haplotype_hgvs_c"] == "NM_006208.3:c.[" + ";".join(
            f"{3 * c + m + 1}{codon[m]}>{alts[m]}" for m in range(3)) + "]"
    first = "T" if partner[0] != "T" else "C"
    combined_codon = first + two + partner[2]
    row = rows[("MULTI", str(bases[3 * d + 1]), two)]
    assert row["haplotype_members"] == (f"ENPP1:{bases[3 * d]}:{partner[0]}:{first};"
                                        f"ENPP1:{bases[3 * d + 1]}:{partner[1]}:{two}")
    assert row["haplotype_phase"] == "cis"
    new = translate(combined_codon)
    was = THREE[translate(partner)]
    assert row["haplotype_hgvs_p"] == f"NP_006199.2:p.({was}{d + 1}{'=' if new == translate(partner) else THREE[new]})"
    assert rows[("MULTI", str(bases[3 * d + 1]), one)]["haplotype_members"] == "."


def test_a_trio_phases_by_transmission(enpp1) -> None:
    """Two changes of one codon, both from the mother: in cis, one stop; one from each parent: not combined."""
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    first, second = bases[3 * c + i], bases[3 * c + j]
    records = [f"ENPP1\t{first}\t.\t{cds[3 * c + i]}\t{a}\t50\tPASS\t.\tGT\t0/1\t0/0\t0/1\t0/1\t0/1\t0/0",
               f"ENPP1\t{second}\t.\t{cds[3 * c + j]}\t{b}\t50\tPASS\t.\tGT\t0/1\t0/0\t0/1\t0/1\t0/0\t0/1"]
    vcf = _vcf(work, "trio.vcf", ["KID", "DAD", "MUM", "KID2", "DAD2", "MUM2"], records)
    ped = work / "trio.ped"
    ped.write_text("F1\tKID\tDAD\tMUM\t1\t2\nF1\tDAD\t0\t0\t1\t1\nF1\tMUM\t0\t0\t2\t1\n"
                   "F2\tKID2\tDAD2\tMUM2\t1\t2\nF2\tDAD2\t0\t0\t1\t1\nF2\tMUM2\t0\t0\t2\t1\n")
    result = _run(work, vcf, "--ped", ped)
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"]): r for r in table(result.out)}
    expected_p = f"p.({THREE[translate(cds[3 * c:3 * c + 3])]}{c + 1}Ter)"
    for pos in (first, second):
        assert (rows[("KID", str(pos))]["haplotype_phase"], rows[("KID", str(pos))]["haplotype_consequence"]) == (
            "cis", "stop_gained")
        assert rows[("MUM", str(pos))]["haplotype_phase"] == "unknown"  # unaffected relatives get them too
        assert rows[("KID", str(pos))]["haplotype_hgvs_p"].endswith(expected_p)
        assert rows[("KID2", str(pos))]["haplotype_members"] == "."
    assert (rows[("KID", str(first))]["inheritance_flags"], rows[("KID2", str(first))]["phase_evidence"]) == (
        ".", "parental_trans")
    assert rows[("KID", str(first))]["evidence_tier"] != rows[("KID2", str(first))]["evidence_tier"]


def test_a_phased_cis_that_good_parental_calls_contradict_is_no_certain_haplotype(enpp1) -> None:
    """Two changes of one codon phased in cis in a child (one PS) while good calls of both parents show one from
    each: the phase is unknown, as for the pair (a phasing or genotype error?). The combined change was reported as
    the child's chromosome (cis, its tier, no pair); now it is a possibility naming the conflict, each row keeps its
    own tier, and the pair is the low 'unphased' candidate. Parents that agree with cis (AGREE), a parental call
    missing (MISSING) or below the quality gates (SHAKY: a 0/0 of DP 3) leave the phased cis as it was; calls
    phased apart stay apart whatever the parents say (READ_TRANS)."""
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    first, second = bases[3 * c + i], bases[3 * c + j]
    good_het, good_ref = "0/1:.:30:60", "0/0:.:30:60"
    calls = {  # per family: the child's, the father's and the mother's calls at (first, second)
        "CONFLICT": (("0|1:100:30:60", "0|1:100:30:60"), (good_het, good_ref), (good_ref, good_het)),
        "AGREE": (("0|1:100:30:60", "0|1:100:30:60"), (good_ref, good_ref), (good_het, good_het)),
        "MISSING": (("0|1:100:30:60", "0|1:100:30:60"), (good_het, "./.:.:.:."), (good_ref, good_het)),
        "SHAKY": (("0|1:100:30:60", "0|1:100:30:60"), (good_het, "0/0:.:3:60"), (good_ref, good_het)),
        "READ_TRANS": (("0|1:100:30:60", "1|0:100:30:60"), (good_ref, good_ref), (good_het, good_het)),
    }
    samples = [f"{family}_{role}" for family in calls for role in ("KID", "DAD", "MUM")]
    records = [f"ENPP1\t{pos}\t.\t{cds[k]}\t{alt}\t50\tPASS\t.\tGT:PS:DP:GQ\t"
               + "\t".join(person[n] for trio in calls.values() for person in trio)
               for n, (pos, k, alt) in enumerate(((first, 3 * c + i, a), (second, 3 * c + j, b)))]
    vcf = _vcf(work, "conflict.vcf", samples, records)
    ped = work / "conflict.ped"
    ped.write_text("".join(f"{f}\t{f}_KID\t{f}_DAD\t{f}_MUM\t1\t2\n{f}\t{f}_DAD\t0\t0\t1\t1\n"
                           f"{f}\t{f}_MUM\t0\t0\t2\t1\n" for f in calls))
    result = _run(work, vcf, "--ped", ped)
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"]): r for r in table(result.out)}
    members = f"ENPP1:{first}:{cds[3 * c + i]}:{a};ENPP1:{second}:{cds[3 * c + j]}:{b}"
    expected_p = f"NP_006199.2:p.({THREE[translate(cds[3 * c:3 * c + 3])]}{c + 1}Ter)"
    columns = ("haplotype_members", "haplotype_phase", "haplotype_consequence", "haplotype_hgvs_p",
               "inheritance_flags", "confidence", "phase_evidence", "comphet_pair_id", "evidence_tier")
    own_tiers = ("3", ".")  # a missense change and a synonymous one, alone
    conflict = "in cis on the phased haplotypes but one from each parent"
    assert [tuple(rows[("CONFLICT_KID", str(pos))][x] for x in columns) for pos in (first, second)] == [
        (members, f"unknown ({conflict})", "stop_gained", expected_p, "AR_comphet", "low", "unphased", "CH1", tier)
        for tier in own_tiers]
    assert {rows[("CONFLICT_KID", str(pos))]["evidence"] for pos in (first, second)} == {
        f"two heterozygous variants in ENPP1 (c.{3 * c + i + 1}{cds[3 * c + i]}>{a}, c.{3 * c + j + 1}"
        f"{cds[3 * c + j]}>{b}), phase unknown: {conflict} (a phasing or genotype error?)"}
    for family in ("AGREE", "MISSING", "SHAKY"):
        assert [tuple(rows[(f"{family}_KID", str(pos))][x] for x in columns) for pos in (first, second)] == [
            (members, "cis", "stop_gained", expected_p, ".", ".", ".", ".", "2")] * 2, family
    assert [tuple(rows[("READ_TRANS_KID", str(pos))][x] for x in columns) for pos in (first, second)] == [
        (".", ".", ".", ".", "AR_comphet", "low", "phased_trans", "CH1", tier) for tier in own_tiers]

    # the reason in the annotated VCF's phase and in the HTML note too
    result = _run(work, vcf, "--ped", ped, "-o", work / "conflict.out.vcf")
    assert result.code == 0, result.err
    line = next(x for x in (work / "conflict.out.vcf").read_text().splitlines() if x.startswith(f"ENPP1\t{first}\t"))
    fields = line.split("\t")
    cells = dict(zip(fields[8].split(":"), fields[9 + samples.index("CONFLICT_KID")].split(":"), strict=True))
    assert cells["HFTC_HAPLOTYPE"].split("|")[2] == f"unknown_({conflict.replace(' ', '_')})"
    result = _run(work, vcf, "--ped", ped, "-o", work / "conflict.html")
    assert result.code == 0, result.err
    page = html.unescape((work / "conflict.html").read_text())
    assert (f"if in cis with c.{3 * c + j + 1}{cds[3 * c + j]}>{b} (phase unknown: {conflict}): together "
            f"{expected_p.split(':')[1]} (stop gained)") in page


def _snv(bases: list[int], cds: str, k: int, alt: str, *calls: str) -> str:
    """A record with FORMAT GT, or GT:PS when the calls give a PS."""
    return "\t".join(["ENPP1", str(bases[k]), ".", cds[k], alt, "50", "PASS", ".",
                      "GT:PS" if ":" in calls[0] else "GT", *calls])


def _codon_where(cds: str, want) -> tuple[int, str, str, str]:
    """The first codon (from 10 on) with alternative bases x, y, z at its three places that `want(codon, x, y, z)`
    accepts."""
    for c in range(10, len(cds) // 3 - 1):
        codon = cds[3 * c:3 * c + 3]
        for x, y, z in product(*[[b for b in "ACGT" if b != codon[k]] for k in range(3)]):
            if want(codon, x, y, z):
                return c, x, y, z
    raise AssertionError("no such codon in the synthetic CDS")


def test_alleles_that_cannot_share_a_chromosome_are_not_combined(enpp1) -> None:
    """A homozygous allele with two others on opposite haplotypes lies with each on one chromosome: nothing is
    combined (each row keeps its own consequence). Two alleles in cis and a third unphased: the two combine."""
    work, bases, cds = enpp1
    c, x, y, z = _codon_where(cds, lambda codon, x, y, z: "*" not in (translate(x + y + codon[2]),))
    k = 3 * c
    records = [_snv(bases, cds, k, x, "1|1:100", "0|1:100"), _snv(bases, cds, k + 1, y, "0|1:100", "0|1:100"),
               _snv(bases, cds, k + 2, z, "1|0:100", "0/1:.")]
    result = _run(work, _vcf(work, "mixed.vcf", ["HOM_TRANS", "CIS_UNPHASED"], records))
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"]): r for r in table(result.out)}
    assert [rows[("HOM_TRANS", str(bases[k + m]))]["haplotype_members"] for m in range(3)] == [".", ".", "."]
    assert [rows[("CIS_UNPHASED", str(bases[k + m]))]["haplotype_phase"] for m in range(3)] == ["cis", "cis", "."]
    assert rows[("CIS_UNPHASED", str(bases[k]))]["haplotype_hgvs_p"] == (
        f"NP_006199.2:p.({THREE[translate(cds[k:k + 3])]}{c + 1}{THREE[translate(x + y + cds[k + 2])]})")


def test_a_haplotype_qualifies_by_its_combined_change(enpp1) -> None:
    """A synonymous change and a missense one that together make a stop, in trans with a third allele: under the
    default --qualify rules the haplotype pairs with it (the synonymous member alone would not qualify). A
    homozygous member of a heterozygous haplotype keeps its own tier: its other copy is alone."""
    work, bases, cds = enpp1
    c, x, y, _ = _codon_where(cds, lambda codon, x, y, z: translate(x + codon[1:]) == translate(codon)
                              and translate(codon[0] + y + codon[2]) not in ("*", translate(codon))
                              and translate(x + y + codon[2]) == "*")
    k, third = 3 * c, 3 * (c + 8)
    other = next(b for b in "ACGT" if b != cds[third] and translate(
        b + cds[third + 1:third + 3]) not in ("*", translate(cds[third:third + 3])))
    records = [_snv(bases, cds, k, x, "0|1", "1/1", "1/1"), _snv(bases, cds, k + 1, y, "0|1", "0/1", "0/0"),
               _snv(bases, cds, third, other, "1|0", "0/0", "0/0")]
    result = run_cli(_vcf(work, "qualify.vcf", ["CIS", "HOMHET", "HOM"], records), "--fasta", work / "oracle.fa",
                     "--gff", work / "oracle.gff3", "--panel", work / "panel.tsv", "--build", "custom")
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"]): r for r in table(result.out)}
    assert [rows[("CIS", str(bases[p]))]["comphet_pair_id"] for p in (k, k + 1, third)] == ["CH1", "CH1", "CH1"]
    assert rows[("CIS", str(bases[k]))]["consequence"] == "synonymous_variant"
    assert rows[("HOMHET", str(bases[k]))]["haplotype_consequence"] == "stop_gained"
    assert rows[("HOMHET", str(bases[k]))]["evidence_tier"] == rows[("HOM", str(bases[k]))]["evidence_tier"]
    assert rows[("HOMHET", str(bases[k + 1]))]["evidence_tier"] == rows[("CIS", str(bases[k + 1]))]["evidence_tier"]


def test_a_change_between_a_frameshift_and_its_restoring_indel_is_translated_with_them(enpp1) -> None:
    work, bases, cds = enpp1
    for start in range(30, len(cds) - 60, 3):
        snv = start + 7
        alt = next(b for b in "ACGT" if b != cds[snv])
        altered = cds[:start] + cds[start + 1:snv] + alt + cds[snv + 1:start + 13] + "G" + cds[start + 13:]
        if "*" not in translate(altered[:start + 15]) and translate(altered) != translate(cds):
            break
    anchor = bases[start - 1]
    records = [f"ENPP1\t{anchor}\t.\t{cds[start - 1:start + 1]}\t{cds[start - 1]}\t50\tPASS\t.\tGT\t0|1",
               _snv(bases, cds, snv, alt, "0|1"),
               f"ENPP1\t{bases[start + 12]}\t.\t{cds[start + 12]}\t{cds[start + 12]}G\t50\tPASS\t.\tGT\t0|1"]
    result = _run(work, _vcf(work, "between.vcf", ["S"], records))
    assert result.code == 0, result.err
    row = next(r for r in table(result.out) if r["pos"] == str(anchor))
    assert len(row["haplotype_members"].split(";")) == 3
    ref_protein, alt_protein = translate(cds), translate(altered)
    first = next(i for i in range(len(ref_protein)) if ref_protein[i] != alt_protein[i])
    last = max(i for i in range(len(ref_protein)) if ref_protein[i] != alt_protein[i])
    expected = "".join(THREE[a] for a in alt_protein[first:last + 1])
    assert row["haplotype_hgvs_p"] == (f"NP_006199.2:p.({THREE[ref_protein[first]]}{first + 1}_"
                                       f"{THREE[ref_protein[last]]}{last + 1}delins{expected})")


def test_an_allele_without_hgvs_is_not_combined(enpp1) -> None:
    """A REF that differs from the reference: the allele has no HGVS c., its partner is not combined with it."""
    work, bases, cds = enpp1
    k = 3 * 40
    records = [_snv(bases, cds, k, next(b for b in "ACGT" if b != cds[k]), "0|1"),
               "\t".join(["ENPP1", str(bases[k + 2]), ".", "N", "T", "50", "PASS", ".", "GT", "0|1"])]
    result = _run(work, _vcf(work, "nref.vcf", ["S"], records))
    assert result.code == 0, result.err
    assert [r["haplotype_members"] for r in table(result.out)] == [".", "."]


def test_two_synonymous_changes_that_make_a_missense_one_qualify_together(enpp1) -> None:
    """Neither synonymous change qualifies under --qualify rules; their haplotype (a missense change) does, and
    pairs with an allele in trans."""
    work, bases, cds = enpp1
    same = lambda a, b: translate(a) == translate(b)  # noqa: E731
    c, x, _, z = _codon_where(cds, lambda codon, x, y, z: same(x + codon[1:], codon) and same(codon[:2] + z, codon)
                              and translate(x + codon[1] + z) not in ("*", translate(codon)))
    k, third = 3 * c, 3 * (c + 8)
    other = next(b for b in "ACGT" if b != cds[third] and translate(
        b + cds[third + 1:third + 3]) not in ("*", translate(cds[third:third + 3])))
    records = [_snv(bases, cds, k, x, "0|1"), _snv(bases, cds, k + 2, z, "0|1"), _snv(bases, cds, third, other, "1|0")]
    result = run_cli(_vcf(work, "synonymous.vcf", ["S"], records), "--fasta", work / "oracle.fa", "--gff",
                     work / "oracle.gff3", "--panel", work / "panel.tsv", "--build", "custom")
    assert result.code == 0, result.err
    rows = {r["pos"]: r for r in table(result.out)}
    assert [rows[str(bases[p])]["consequence"] for p in (k, k + 2)] == ["synonymous_variant"] * 2
    assert rows[str(bases[k])]["haplotype_consequence"] == "missense_variant"
    assert [rows[str(bases[p])]["comphet_pair_id"] for p in (k, k + 2, third)] == ["CH1", "CH1", "CH1"]


def test_a_rescued_chromosome_does_not_pair(enpp1) -> None:
    """Two missense changes of one codon that together keep the amino acid, in trans with a stop: that chromosome
    makes a normal protein, so no pair (CIS). A homozygous missense change with a rescuing change on one copy, and a
    stop phased with the lone copy: the lone copy and the stop are in cis, the rescued copy pairs with nothing
    (HOM_RESCUED). Three changes of one codon, one homozygous and two unphased: the possibility holds all three
    (POSSIBLE)."""
    work, bases, cds = enpp1
    def rescued(codon: str, x: str, y: str, z: str) -> bool:
        singles = (translate(x + codon[1:]), translate(codon[0] + y + codon[2]))
        return translate(x + y + codon[2]) == translate(codon) and not {"*", translate(codon)} & set(singles)

    c, x, y, _ = _codon_where(cds, rescued)
    k, stop = 3 * c, next(3 * d for d in range(c + 5, len(cds) // 3) if any(
        translate(b + cds[3 * d + 1:3 * d + 3]) == "*" for b in "ACGT"))
    s = next(b for b in "ACGT" if translate(b + cds[stop + 1:stop + 3]) == "*")
    z = next(b for b in "ACGT" if b != cds[k + 2])
    records = [_snv(bases, cds, k, x, "0|1", "1|1", "1/1"), _snv(bases, cds, k + 1, y, "0|1", "0|1", "0/1"),
               _snv(bases, cds, k + 2, z, "0|0", "0|0", "0/1"), _snv(bases, cds, stop, s, "1|0", "1|0", "0/0")]
    result = run_cli(_vcf(work, "rescue.vcf", ["CIS", "HOM_RESCUED", "POSSIBLE"], records), "--fasta",
                     work / "oracle.fa", "--gff", work / "oracle.gff3", "--panel", work / "panel.tsv", "--build",
                     "custom", "--summary", work / "rescue.summary.tsv")
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"]): r for r in table(result.out)}
    assert rows[("CIS", str(bases[k]))]["haplotype_consequence"] == "synonymous_variant"
    for sample in ("CIS", "HOM_RESCUED"):
        assert [rows[(sample, str(bases[p]))]["inheritance_flags"] for p in (k, k + 1, stop)] == [".", ".", "."]
    for p in (k, k + 1, k + 2):
        assert rows[("POSSIBLE", str(bases[p]))]["haplotype_members"].count(";") == 2
        assert rows[("POSSIBLE", str(bases[p]))]["haplotype_phase"] == "unknown"


def test_a_relative_homozygous_for_one_member_of_a_haplotype_carries_it_once(enpp1) -> None:
    """An unaffected sibling homozygous for one member of the sample's haplotype in cis and heterozygous for the
    other carries the haplotype at most once: the pair stays high. The sibling's call at the haplotype was their
    call at its first member, so homozygous at the first member made the sibling 'homozygous for' the haplotype
    and lowered the pair, homozygous at the second did not."""
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    third = 3 * (c + 5)
    alt = next(x for x in "ACGT" if x != cds[third])
    ped = work / "sib.ped"
    ped.write_text("F1\tKID\tDAD\tMUM\t1\t2\nF1\tSIB\tDAD\tMUM\t1\t1\n")
    changes = f"c.[{3 * c + i + 1}{cds[3 * c + i]}>{a};{3 * c + j + 1}{cds[3 * c + j]}>{b}]"
    for first, second in (("1/1", "0/1"), ("0/1", "1/1")):
        records = [_snv(bases, cds, 3 * c + i, a, "0|1:5", f"{first}:."),
                   _snv(bases, cds, 3 * c + j, b, "0|1:5", f"{second}:."),
                   _snv(bases, cds, third, alt, "1|0:5", "0/0:.")]
        result = _run(work, _vcf(work, "sib.vcf", ["KID", "SIB"], records), "--ped", ped)
        assert result.code == 0, result.err
        row = next(r for r in table(result.out) if (r["sample"], r["pos"]) == ("KID", str(bases[third])))
        assert (row["inheritance_flags"], row["confidence"], row["phase_evidence"], row["comphet_pair_id"],
                row["evidence"]) == (
            "AR_comphet", "high", "phased_trans", "CH1",
            f"two heterozygous variants in ENPP1 ({changes}, c.{third + 1}{cds[third]}>{alt}), in trans on the "
            "phased haplotypes")


def test_the_combined_hgvs_c_describes_the_haplotype_when_an_indel_would_shift_onto_another_change(enpp1) -> None:
    """An indel's 3' shift stops at the bases the haplotype's other changes alter: ATCCA with C inserted after the T
    and the first C changed to G reads ATCGCA, c.[k_k+1insC;k+1C>G] (as its own row, the insertion shifts to a dup
    of the last C, and c.[k+2dup;k+1C>G] read ATGCCA). Likewise a deletion of the first base of a run beside a change
    of the second: c.[k+1del;k+2X>Y], not c.[k+2del;k+2X>Y]. The protein is unchanged."""
    work, bases, cds = enpp1
    k = next(k for k in range(60, len(cds) - 60) if cds[k] == cds[k + 1] != cds[k - 1] and cds[k + 2] != cds[k]
             and bases[k + 1] - bases[k - 1] == 2 and k % 3 != 2)  # one exon; k, k+1 in one codon
    base, new = cds[k], next(b for b in "ACGT" if b not in (cds[k], cds[k + 2]))
    insertion = f"ENPP1\t{bases[k - 1]}\t.\t{cds[k - 1]}\t{cds[k - 1]}{base}\t50\tPASS\t.\tGT\t0|1\t0|0"
    deletion = f"ENPP1\t{bases[k - 1]}\t.\t{cds[k - 1]}{base}\t{cds[k - 1]}\t50\tPASS\t.\tGT\t0|0\t0|1"
    records = [insertion, deletion, _snv(bases, cds, k, new, "0|1", "0|0"), _snv(bases, cds, k + 1, new, "0|0", "0|1")]
    result = _run(work, _vcf(work, "shifted.vcf", ["INS", "DEL"], records))
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"], r["alt"]): r for r in table(result.out)}
    assert rows[("INS", str(bases[k - 1]), cds[k - 1] + base)]["hgvs_c"] == f"NM_006208.3:c.{k + 2}dup"
    assert rows[("INS", str(bases[k]), new)]["haplotype_hgvs_c"] == (
        f"NM_006208.3:c.[{k}_{k + 1}ins{base};{k + 1}{base}>{new}]")
    assert rows[("DEL", str(bases[k - 1]), cds[k - 1])]["hgvs_c"] == f"NM_006208.3:c.{k + 2}del"
    assert rows[("DEL", str(bases[k + 1]), new)]["haplotype_hgvs_c"] == (
        f"NM_006208.3:c.[{k + 1}del;{k + 2}{base}>{new}]")


def test_a_frame_restored_and_shifted_again_is_not_one_frameshift(enpp1) -> None:
    """A deletion, an insertion 5 codons on that restores the frame (no stop between), and a deletion 60 codons
    further on, all in cis: the protein changes in the first stretch, is the reference's until the second deletion
    and shifts there. One frameshift from the first change (p.(Xxx44YyyfsTer88), as if nothing after it were the
    reference's) would misdescribe it: the three are not combined. The first two alone combine."""
    work, bases, cds = enpp1
    i, j, k = next((3 * x + 1, 3 * (x + 5) + 1, 3 * (x + 65) + 1) for x in range(40, 300)
                   if bases[3 * x] == bases[3 * x + 1] - 1 and bases[3 * x + 16] + 1 == bases[3 * x + 17]
                   and bases[3 * x + 195] == bases[3 * x + 196] - 1
                   and "*" not in translate((cds[:3 * x + 1] + cds[3 * x + 2:3 * x + 17] + "A")[3 * x:3 * x + 18]))

    def deletion(n: int) -> str:
        return f"ENPP1\t{bases[n - 1]}\t.\t{cds[n - 1:n + 1]}\t{cds[n - 1]}\t50\tPASS\t.\tGT\t0|1\t0|1"

    insertion = f"ENPP1\t{bases[j]}\t.\t{cds[j]}\t{cds[j]}A\t50\tPASS\t.\tGT\t0|1\t0|1"
    records = [deletion(i), insertion, deletion(k).replace("0|1\t0|1", "0|1\t0|0")]
    result = _run(work, _vcf(work, "reshifted.vcf", ["THREE", "TWO"], records))
    assert result.code == 0, result.err
    rows = {(r["sample"], r["pos"]): r for r in table(result.out)}
    assert [rows[("THREE", str(bases[n - 1 if n != j else n]))]["haplotype_members"] for n in (i, j, k)] == [
        ".", ".", "."]
    assert rows[("TWO", str(bases[i - 1]))]["haplotype_consequence"] == "missense_variant"
    assert rows[("TWO", str(bases[i - 1]))]["haplotype_hgvs_c"] == f"NM_006208.3:c.[{i + 1}del;{j + 1}_{j + 2}insA]"


def test_a_known_allele_combined_in_cis_is_no_single_known_allele_whichever_member_it_is(enpp1) -> None:
    """Two changes in one codon in cis, one of them ClinVar P/LP: the chromosome carries their combined change, not
    the known allele, so the summary has no AR_single line for it, whether the known allele is the haplotype's first
    member in the CDS or its second (the first gave one, named by the combined change, the second none); alone, each
    known allele gives one."""
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    changes = [(bases[3 * c + k], cds[3 * c + k], alt, 3 * c + k + 1) for k, alt in ((i, a), (j, b))]
    records = [f"ENPP1\t{changes[0][0]}\t.\t{changes[0][1]}\t{a}\t50\tPASS\t.\tGT\t0|1\t0|1\t0|0",
               f"ENPP1\t{changes[1][0]}\t.\t{changes[1][1]}\t{b}\t50\tPASS\t.\tGT\t0|1\t0|0\t0|1"]
    vcf = _vcf(work, "known_in_cis.vcf", ["CIS", "ALONE1", "ALONE2"], records)
    found = []
    for known, (pos, ref, alt, cdna) in enumerate(changes):
        clinvar = work / f"clinvar{known}.vcf"
        clinvar.write_text("\n".join([
            "##fileformat=VCFv4.2", '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="x">',
            '##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description="x">',
            '##INFO=<ID=GENEINFO,Number=1,Type=String,Description="x">',
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
            f"ENPP1\t{pos}\t42\t{ref}\t{alt}\t.\t.\tCLNSIG=Pathogenic;"
            "CLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts;GENEINFO=ENPP1:5167"]) + "\n")
        summary = work / "known_in_cis.summary.tsv"
        result = _run(work, vcf, "--clinvar", bgzip_index(clinvar), "--summary", summary)
        assert result.code == 0, result.err
        assert {r["clinvar_significance"] for r in table(result.out) if r["pos"] == str(pos)} == {"Pathogenic"}
        found.append([line.split("\t")[:6] for line in summary.read_text().splitlines()
                      if not line.startswith(("## ", "sample\t"))])
        assert found[-1] == [[f"ALONE{known + 1}", "ENPP1", "one known disease allele in a recessive gene, no second "
                              "found", "low", "2", f"c.{cdna}{ref}>{alt}"]]


def test_a_new_haplotype_names_the_affected_siblings_who_carry_all_of_it_and_the_quality_of_their_calls(
        enpp1) -> None:
    """Two new changes of one codon in cis in a child (AD here): the combined change's de_novo names the affected
    sibling who carries both (one call below the quality gates: said so, as for a single allele; it was named as
    firmly as a good call), and one who carries only one of them as not carrying it (a phenocopy, or another
    cause?: an affected sibling without the allele lowers a flag to medium, here already low)."""
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    ped = ("F1\tKID\tDAD\tMUM\t1\t2\nF1\tDAD\t0\t0\t1\t1\nF1\tMUM\t0\t0\t2\t1\nF1\tSIS\tDAD\tMUM\t2\t2\n"
           "F1\tSIS2\tDAD\tMUM\t2\t2\n")
    records = [["ENPP1", str(bases[3 * c + i]), ".", cds[3 * c + i], a, "50", "PASS", ".", "GT:GQ:PS", "0|1:60:5",
                "0/0:60:.", "0/0:60:.", "0/1:60:.", "0/1:60:."],
               ["ENPP1", str(bases[3 * c + j]), ".", cds[3 * c + j], b, "50", "PASS", ".", "GT:GQ:PS", "0|1:60:5",
                "0/0:60:.", "0/0:60:.", "0/1:5:.", "0/0:60:."]]
    rows = _kid_rows_with_enpp1_dominant(work, "shared", ped, ["KID", "DAD", "MUM", "SIS", "SIS2"], records)
    assert [(r["haplotype_phase"], r["haplotype_consequence"]) for r in rows] == [("cis", "stop_gained")] * 2
    assert {(r["inheritance_flags"], r["evidence"].split(" | ")[0]) for r in rows} == {(
        "de_novo;AD", "not found in either parent: both parents homozygous reference; also carried by the affected "
        "sibling SIS (a call below the quality gates): a parent may carry it in the germline (mosaic), which raises "
        "the recurrence risk; affected sibling SIS2 does not carry it (a phenocopy, or another cause?); not every "
        "variant causes ENPP1's dominant disorder (Cole disease [OMIM:615522]): review")}


def test_an_affected_sibling_with_one_good_reference_call_at_a_haplotypes_members_lacks_it_for_sure(enpp1) -> None:
    """An affected sibling homozygous reference at both members of a new haplotype, one call below the quality gates
    (GQ 5) and one good: the good call alone shows that they lack the haplotype, so the sibling counts as a good
    call (which lowers a flag to medium; ENPP1's AD flag is low already). The first member's call was taken, with
    its quality: the sibling was named as 'a call below the quality gates', which does not lower; found by review."""
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    ped = "F1\tKID\tDAD\tMUM\t1\t2\nF1\tDAD\t0\t0\t1\t1\nF1\tMUM\t0\t0\t2\t1\nF1\tSIS\tDAD\tMUM\t2\t2\n"
    records = [["ENPP1", str(bases[3 * c + i]), ".", cds[3 * c + i], a, "50", "PASS", ".", "GT:GQ:PS", "0|1:60:5",
                "0/0:60:.", "0/0:60:."],
               ["ENPP1", str(bases[3 * c + j]), ".", cds[3 * c + j], b, "50", "PASS", ".", "GT:GQ:PS", "0|1:60:5",
                "0/0:60:.", "0/0:60:."]]
    records.sort(key=lambda r: int(r[1]))
    records[0].append("0/0:5:.")  # the shallow call at the first member in the report, the good one at the second
    records[1].append("0/0:60:.")
    rows = _kid_rows_with_enpp1_dominant(work, "lacking", ped, ["KID", "DAD", "MUM", "SIS"], records)
    assert [(r["haplotype_phase"], r["haplotype_consequence"]) for r in rows] == [("cis", "stop_gained")] * 2
    assert {(r["inheritance_flags"], r["evidence"].split(" | ")[0]) for r in rows} == {(
        "de_novo;AD", "not found in either parent: both parents homozygous reference; affected sibling SIS does not "
        "carry it (a phenocopy, or another cause?); not every variant causes ENPP1's dominant disorder (Cole disease "
        "[OMIM:615522]): review")}


def test_a_parents_good_reference_call_at_one_member_shows_the_haplotype_is_new(enpp1) -> None:
    """A new haplotype whose father is homozygous reference at both members, one call below the quality gates (GQ 5)
    and one good: the good call alone shows that he lacks it. The first member's call was taken, with its quality,
    so the de novo rested on 'a call below the quality gates' (as the affected sibling's did before 07288e0)."""
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    ped = "F1\tKID\tDAD\tMUM\t1\t2\nF1\tDAD\t0\t0\t1\t1\nF1\tMUM\t0\t0\t2\t1\n"
    records = [["ENPP1", str(bases[3 * c + k]), ".", cds[3 * c + k], alt, "50", "PASS", ".", "GT:GQ:PS", "0|1:60:5"]
               for k, alt in ((i, a), (j, b))]
    records.sort(key=lambda r: int(r[1]))
    records[0] += ["0/0:5:.", "0/0:60:."]  # the father's shallow call at the first member, his good one at the second
    records[1] += ["0/0:60:.", "0/0:60:."]
    rows = _kid_rows_with_enpp1_dominant(work, "shallow_father", ped, ["KID", "DAD", "MUM"], records)
    assert {(r["haplotype_phase"], r["inheritance_flags"], r["evidence"].split(" | ")[0]) for r in rows} == {(
        "cis", "de_novo;AD", "not found in either parent: both parents homozygous reference; not every variant causes "
        "ENPP1's dominant disorder (Cole disease [OMIM:615522]): review")}


def test_the_annotated_vcf_gives_an_allele_the_tier_of_its_best_report_row(enpp1) -> None:
    """EVIDENCE_TIER and TIER_REASONS of an HFTC entry are the report's best row's (README): a carrier whose allele
    is on a haplotype in cis takes the combined change's tier there. The VCF gave the allele's own tier: two
    missense changes making one stop in the only carrier were tier 3 and no tier in the VCF, tier 2 in the report."""
    work, bases, cds = enpp1
    c, (i, a), (j, b) = _two_changes_to_a_stop(cds)
    first, second = bases[3 * c + i], bases[3 * c + j]
    records = [f"ENPP1\t{first}\t.\t{cds[3 * c + i]}\t{a}\t50\tPASS\t.\tGT\t0|1\t0/0",
               f"ENPP1\t{second}\t.\t{cds[3 * c + j]}\t{b}\t50\tPASS\t.\tGT\t0|1\t0/1"]
    vcf = _vcf(work, "best.vcf", ["CIS", "ALONE"], records)
    result = _run(work, vcf)
    assert result.code == 0, result.err
    assert [(r["sample"], r["pos"], r["evidence_tier"], r["tier_reasons"]) for r in table(result.out)] == [
        ("CIS", str(first), "2", "rare null variant in a related gene"),
        ("CIS", str(second), "2", "rare null variant in a related gene"),
        ("ALONE", str(second), ".", ".")]
    result = _run(work, vcf, "-o", work / "best.out.vcf")
    assert result.code == 0, result.err
    entries = [line.split("\t")[7].removeprefix("HFTC=").split(";")[0].split("|")
               for line in (work / "best.out.vcf").read_text().splitlines() if not line.startswith("#")]
    assert [(entry[16], entry[26], entry[27]) for entry in entries] == [
        ("1", "2", "rare_null_variant_in_a_related_gene"), ("1", "2", "rare_null_variant_in_a_related_gene")]
