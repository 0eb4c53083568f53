"""Issue 13: relatives who are not affected are checked in every mode, and the README's table of what their
genotypes do to a flag holds cell by cell; so are affected siblings, who lower a flag whose genotype they do not
share (review).

Each cell of the README tables ("What relatives' genotypes do to a flag") is one case below, run end to end on a
made-up trio or quartet: KID (affected), DAD and MUM (unaffected unless a case says otherwise) and, in sibling
cases, SIB (unaffected, or affected in the rows of an affected sibling, brother or sister). A test reads the README
tables and checks that every cell has its case. Positions are made up and intronic in GALNT3 (AR), SLC20A2 (AD) and
PHEX (XLD; XLR with --inheritance PHEX=XLR), so the runs use --qualify all (qualifying rules are issue 12's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import run_cli, table, write_vcf

README = Path(__file__).resolve().parents[2] / "README.md"
FORMAT = "GT:AD:DP:GQ:PS"
HET, HOM, REF, MISS = "0/1:10,10:20:60:.", "1/1:0,20:20:60:.", "0/0:20,0:20:60:.", "./.:.:.:.:."
P01, P10 = "0|1:10,10:20:60:100", "1|0:10,10:20:60:100"  # phased, one phase set
HEMI, HREF, HMISS = "1:0,20:20:60:.", "0:20,0:20:60:.", ".:.:.:.:."  # haploid (chrX in a male)
SITES = {
    "AR": ["chr2 165750000 . A G 50 PASS ."],  # GALNT3
    "pair": ["chr2 165760000 . C T 50 PASS .", "chr2 165765000 . G A 50 PASS ."],  # GALNT3
    "AD": ["chr8 42450000 . A G 50 PASS ."],  # SLC20A2
    "XLD": ["chrX 22050000 . G A 50 PASS ."],  # PHEX
    "XLR": ["chrX 22050000 . G A 50 PASS ."],
    "XLD, two sites": ["chrX 22040000 . C T 50 PASS .", "chrX 22050000 . G A 50 PASS ."],
}
PAIR = "two heterozygous variants in GALNT3 (c.839-430G>A, c.572C>T), "
AR_HOM = "homozygous; both parents heterozygous carriers"
DE_NOVO_AD = ("de_novo;AD", "high;high", "not found in either parent: both parents homozygous reference | "
              "heterozygous in an autosomal dominant gene; absent from both parents (de novo)")
MALE = "hemizygous in a male (X-linked)"
SIBLING_CARRIES = ("de_novo;AD", "low;low", (
    "not found in either parent: both parents homozygous reference; also carried by the unaffected sibling SIB "
    "(germline mosaicism in a parent?) | heterozygous in an autosomal dominant gene; absent from both parents "
    "(de novo); also carried by the unaffected sibling SIB (reduced penetrance?)"))


@dataclass
class Family:
    """One made-up family at the sites of a mode: each member's calls (one per site), sexes and PED statuses."""

    sites: str
    calls: dict[str, tuple[str, ...]]
    sex: dict[str, int] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)

    def kid(self, tmp: Path) -> tuple[str, str, str] | None:
        """KID's (flags, confidence, evidence), None when KID has no flag."""
        tmp.mkdir(exist_ok=True)
        samples = tuple(self.calls)
        records = [f"{site} {FORMAT} " + " ".join(self.calls[s][i] for s in samples)
                   for i, site in enumerate(SITES[self.sites])]
        vcf = write_vcf(tmp / "in.vcf", records, samples=samples)
        sex = {"KID": 1, "DAD": 1, "MUM": 2, "SIB": 2} | self.sex
        status = {"KID": 2, "DAD": 1, "MUM": 1, "SIB": 1} | self.status
        lines = [f"F1\t{s}\t{'0' if s in ('DAD', 'MUM') else 'DAD'}\t{'0' if s in ('DAD', 'MUM') else 'MUM'}\t"
                 f"{sex[s]}\t{status[s]}" for s in samples]
        (tmp / "fam.ped").write_text("\n".join(lines) + "\n")
        extra = ("--inheritance", "PHEX=XLR") if self.sites == "XLR" else ()
        result = run_cli(vcf, "--qualify", "all", "--ped", tmp / "fam.ped", *extra)
        assert result.code == 0, result.err
        row = next(r for r in table(result.out) if r["sample"] == "KID")
        if row["inheritance_flags"] == ".":
            return None
        return row["inheritance_flags"], row["confidence"], row["evidence"]


def trio(sites: str, kid: tuple[str, ...], dad: tuple[str, ...], mum: tuple[str, ...], **facts) -> Family:
    return Family(sites, {"KID": kid, "DAD": dad, "MUM": mum}, **facts)


def quartet(sites: str, kid: tuple[str, ...], dad: tuple[str, ...], mum: tuple[str, ...], sib: tuple[str, ...],
            **facts) -> Family:
    return Family(sites, {"KID": kid, "DAD": dad, "MUM": mum, "SIB": sib}, **facts)


def ar(dad: str, mum: str, sib: str = REF, **facts) -> Family:
    return quartet("AR", (HOM,), (dad,), (mum,), (sib,), **facts)


def ad(dad: str, mum: str, sib: str = REF, **facts) -> Family:
    return quartet("AD", (HET,), (dad,), (mum,), (sib,), **facts)


def pair(dad: tuple[str, str], mum: tuple[str, str], sib: tuple[str, str] = (REF, REF),
         kid: tuple[str, str] = (HET, HET), **facts) -> Family:
    return quartet("pair", kid, dad, mum, sib, **facts)


def x(sites: str, dad: str, mum: str, sib: str = HREF, sib_sex: int = 1, **facts) -> Family:
    return quartet(sites, (HEMI,), (dad,), (mum,), (sib,), sex={"SIB": sib_sex}, **facts)


AFFECTED_SIB = {"status": {"SIB": 2}}
PHENOCOPY = "(a phenocopy, or another cause?)"
FROM_AFFECTED_FATHER = "heterozygous in an autosomal dominant gene; inherited from the affected father"
SIBLING_SHARES = "also carried by the affected sibling SIB: a parent may carry it in the germline (mosaic), which " \
    "raises the recurrence risk"
SHARED_DE_NOVO = ("de_novo;AD", "high;high", f"not found in either parent: both parents homozygous reference; "
                  f"{SIBLING_SHARES} | heterozygous in an autosomal dominant gene; absent from both parents (de novo); "
                  f"{SIBLING_SHARES}")
TRANS = "in trans: one from each parent"
PHASED = "in trans on the phased haplotypes"
Expected = tuple[str, str, str] | None

# (table, relative, column as in the README) -> [(family, KID's expected flags, confidence and evidence), ...]
CELLS: dict[tuple[str, str, str], list[tuple[Family, Expected]]] = {
    ("AR_hom", "parent", "ref"): [(ar(REF, HET), ("AR_hom", "low", (
        "homozygous; father homozygous reference (deletion of the other allele or uniparental disomy?); "
        "mother heterozygous carrier")))],
    ("AR_hom", "parent", "het"): [(ar(HET, HET), ("AR_hom", "high", AR_HOM))],
    ("AR_hom", "parent", "hom"): [(ar(HOM, HET), ("AR_hom", "low", (
        "homozygous; mother heterozygous carrier; unaffected father is homozygous too")))],
    ("AR_hom", "parent", "not called"): [(ar(MISS, HET), ("AR_hom", "medium", (
        "homozygous; father's genotype not available; mother heterozygous carrier")))],
    ("AR_hom", "sibling", "ref"): [(ar(HET, HET, REF), ("AR_hom", "high", AR_HOM))],
    ("AR_hom", "sibling", "het"): [(ar(HET, HET, HET), ("AR_hom", "high", AR_HOM))],
    ("AR_hom", "sibling", "hom"): [(ar(HET, HET, HOM), ("AR_hom", "low", (
        AR_HOM + "; unaffected sibling SIB is homozygous too")))],
    ("AR_hom", "sibling", "not called"): [(ar(HET, HET, MISS), ("AR_hom", "high", AR_HOM))],
    ("AR_hom", "affected sibling", "ref"): [(ar(HET, HET, REF, **AFFECTED_SIB), ("AR_hom", "medium", (
        f"{AR_HOM}; affected sibling SIB is homozygous reference {PHENOCOPY}")))],
    ("AR_hom", "affected sibling", "het"): [(ar(HET, HET, HET, **AFFECTED_SIB), ("AR_hom", "medium", (
        f"{AR_HOM}; affected sibling SIB is heterozygous {PHENOCOPY}")))],
    ("AR_hom", "affected sibling", "hom"): [(ar(HET, HET, HOM, **AFFECTED_SIB), ("AR_hom", "high", AR_HOM))],
    ("AR_hom", "affected sibling", "not called"): [(ar(HET, HET, MISS, **AFFECTED_SIB), ("AR_hom", "high", AR_HOM))],

    ("AD", "parent", "ref"): [(ad(REF, REF), DE_NOVO_AD)],
    ("AD", "parent", "het"): [(ad(HET, REF), ("AD", "low", (
        "heterozygous in an autosomal dominant gene; also carried by the unaffected father (reduced penetrance?)")))],
    ("AD", "parent", "hom"): [(ad(HOM, REF), ("AD", "low", (
        "heterozygous in an autosomal dominant gene; also carried by the unaffected father (reduced penetrance?)")))],
    ("AD", "parent", "not called"): [
        (ad(MISS, REF), ("AD", "medium", (
            "heterozygous in an autosomal dominant gene; absent from the mother; the other parent is not genotyped"))),
        (ad(MISS, HET, status={"MUM": 2}), ("AD", "high", (
            "heterozygous in an autosomal dominant gene; inherited from the affected mother")))],
    ("AD", "sibling", "ref"): [(ad(REF, REF, REF), DE_NOVO_AD)],
    ("AD", "sibling", "het"): [(ad(REF, REF, HET), SIBLING_CARRIES)],
    ("AD", "sibling", "hom"): [(ad(REF, REF, HOM), SIBLING_CARRIES)],
    ("AD", "sibling", "not called"): [(ad(REF, REF, MISS), DE_NOVO_AD)],
    ("AD", "affected sibling", "ref"): [(ad(HET, REF, REF, status={"DAD": 2, "SIB": 2}), ("AD", "medium", (
        f"{FROM_AFFECTED_FATHER}; affected sibling SIB does not carry it {PHENOCOPY}")))],
    ("AD", "affected sibling", "het"): [
        (ad(HET, REF, HET, status={"DAD": 2, "SIB": 2}), ("AD", "high", FROM_AFFECTED_FATHER))],
    ("AD", "affected sibling", "hom"): [
        (ad(HET, REF, HOM, status={"DAD": 2, "SIB": 2}), ("AD", "high", FROM_AFFECTED_FATHER))],
    ("AD", "affected sibling", "not called"): [
        (ad(HET, REF, MISS, status={"DAD": 2, "SIB": 2}), ("AD", "high", FROM_AFFECTED_FATHER))],

    ("de_novo", "parent", "ref"): [(ad(REF, REF), DE_NOVO_AD)],
    ("de_novo", "parent", "het"): [(ad(REF, HET), ("AD", "low", (
        "heterozygous in an autosomal dominant gene; also carried by the unaffected mother (reduced penetrance?)")))],
    ("de_novo", "parent", "hom"): [(ad(REF, HOM), ("AD", "low", (
        "heterozygous in an autosomal dominant gene; also carried by the unaffected mother (reduced penetrance?)")))],
    ("de_novo", "parent", "not called"): [(ad(REF, MISS), ("AD", "medium", (
        "heterozygous in an autosomal dominant gene; absent from the father; the other parent is not genotyped")))],
    ("de_novo", "sibling", "ref"): [(ad(REF, REF, REF), DE_NOVO_AD)],
    ("de_novo", "sibling", "het"): [(ad(REF, REF, HET), SIBLING_CARRIES)],
    ("de_novo", "sibling", "hom"): [(ad(REF, REF, HOM), SIBLING_CARRIES)],
    ("de_novo", "sibling", "not called"): [(ad(REF, REF, MISS), DE_NOVO_AD)],
    ("de_novo", "affected sibling", "ref"): [(ad(REF, REF, REF, **AFFECTED_SIB), ("de_novo;AD", "medium;medium", (
        f"not found in either parent: both parents homozygous reference; affected sibling SIB does not carry it "
        f"{PHENOCOPY} | heterozygous in an autosomal dominant gene; absent from both parents (de novo); affected "
        f"sibling SIB does not carry it {PHENOCOPY}")))],
    ("de_novo", "affected sibling", "het"): [(ad(REF, REF, HET, **AFFECTED_SIB), SHARED_DE_NOVO)],
    ("de_novo", "affected sibling", "hom"): [(ad(REF, REF, HOM, **AFFECTED_SIB), SHARED_DE_NOVO)],
    ("de_novo", "affected sibling", "not called"): [(ad(REF, REF, MISS, **AFFECTED_SIB), DE_NOVO_AD)],

    ("AR_comphet", "parent", "carries at most one, het"): [
        (pair((HET, REF), (REF, HET)), ("AR_comphet", "high", PAIR + TRANS))],
    ("AR_comphet", "parent", "both, in trans (own phase, homozygous at one, or a sibling's from each parent)"): [
        # the issue's case: the proband phased trans, the unaffected father phased trans too
        (pair((P01, P10), (REF, REF), kid=(P01, P10)), ("AR_comphet", "low", (
            PAIR + PHASED + "; unaffected father carries both in trans"))),
        (pair((HOM, HET), (REF, REF), kid=(P01, P10)), ("AR_comphet", "low", (
            PAIR + PHASED + "; unaffected father carries both in trans (homozygous for one)")))],
    ("AR_comphet", "parent", "both, phase unknown"): [
        (pair((HET, HET), (REF, REF), kid=(P01, P10)), ("AR_comphet", "low", (
            PAIR + PHASED + "; unaffected father carries both (phase unknown)"))),
        (pair((HET, HET), (MISS, MISS)), ("AR_comphet", "low", (
            PAIR + "phase unknown: the father carries both (trans only if the father is a compound heterozygote "
            "too); the mother is not genotyped; unaffected father carries both (phase unknown)"))),
        (pair((HET, HET), (REF, REF)), None)],  # both from the father, neither from the mother: cis
    ("AR_comphet", "parent", "both, in cis (own phase)"): [
        (pair((P01, P01), (REF, REF), kid=(P01, P10)), ("AR_comphet", "high", PAIR + PHASED))],
    ("AR_comphet", "parent", "homozygous for one only"): [
        (pair((HOM, REF), (REF, HET)), ("AR_comphet", "low", (
            PAIR + TRANS + "; unaffected father is homozygous for c.839-430G>A")))],
    ("AR_comphet", "parent", "not called"): [
        (pair((MISS, MISS), (REF, HET)), ("AR_comphet", "medium", (
            PAIR + "in trans by inference: the mother carries only one (the father is not genotyped)")))],
    ("AR_comphet", "sibling", "carries at most one, het"): [
        (pair((HET, REF), (REF, HET), (HET, REF)), ("AR_comphet", "high", PAIR + TRANS))],
    ("AR_comphet", "sibling", "both, in trans (own phase, homozygous at one, or a sibling's from each parent)"): [
        (pair((HET, REF), (REF, HET), ("1|0:10,10:20:60:7", "0|1:10,10:20:60:7")), ("AR_comphet", "low", (
            PAIR + TRANS + "; unaffected sibling SIB carries both in trans"))),
        (pair((HET, REF), (REF, HET), (HET, HOM)), ("AR_comphet", "low", (
            PAIR + TRANS + "; unaffected sibling SIB carries both in trans (homozygous for one)"))),
        (pair((HET, REF), (REF, HET), (HET, HET)), ("AR_comphet", "low", (
            PAIR + TRANS + "; unaffected sibling SIB carries both in trans (one from each parent)")))],
    ("AR_comphet", "sibling", "both, phase unknown"): [
        (pair((MISS, MISS), (MISS, MISS), (HET, HET), kid=(P01, P10)), ("AR_comphet", "low", (
            PAIR + PHASED + "; unaffected sibling SIB carries both (phase unknown)")))],
    ("AR_comphet", "sibling", "both, in cis (own phase)"): [
        (pair((HET, REF), (REF, HET), (P01, P01)), ("AR_comphet", "high", PAIR + TRANS))],
    ("AR_comphet", "sibling", "homozygous for one only"): [
        (pair((HET, REF), (REF, HET), (REF, HOM)), ("AR_comphet", "low", (
            PAIR + TRANS + "; unaffected sibling SIB is homozygous for c.572C>T")))],
    ("AR_comphet", "sibling", "not called"): [
        (pair((HET, REF), (REF, HET), (MISS, MISS)), ("AR_comphet", "high", PAIR + TRANS))],
    ("AR_comphet", "affected sibling", "carries at most one, het"): [
        (pair((HET, REF), (REF, HET), (HET, REF), **AFFECTED_SIB), ("AR_comphet", "medium", (
            f"{PAIR}{TRANS}; affected sibling SIB does not carry c.572C>T {PHENOCOPY}"))),
        (pair((HET, REF), (REF, HET), (REF, REF), **AFFECTED_SIB), ("AR_comphet", "medium", (
            f"{PAIR}{TRANS}; affected sibling SIB carries neither {PHENOCOPY}")))],
    ("AR_comphet", "affected sibling",
     "both, in trans (own phase, homozygous at one, or a sibling's from each parent)"): [
        (pair((HET, REF), (REF, HET), (HET, HOM), **AFFECTED_SIB), ("AR_comphet", "high", PAIR + TRANS)),
        (pair((HET, REF), (REF, HET), (HET, HET), **AFFECTED_SIB), ("AR_comphet", "high", PAIR + TRANS))],
    ("AR_comphet", "affected sibling", "both, phase unknown"): [
        (pair((MISS, MISS), (MISS, MISS), (HET, HET), kid=(P01, P10), **AFFECTED_SIB), (
            "AR_comphet", "high", PAIR + PHASED))],
    ("AR_comphet", "affected sibling", "both, in cis (own phase)"): [
        (pair((MISS, MISS), (MISS, MISS), (P01, P01), kid=(P01, P10), **AFFECTED_SIB), ("AR_comphet", "medium", (
            f"{PAIR}{PHASED}; affected sibling SIB carries both in cis {PHENOCOPY}"))),
        # the parents' good calls show one from each: the sibling's phase is in conflict, not evidence
        (pair((HET, REF), (REF, HET), (P01, P01), **AFFECTED_SIB), ("AR_comphet", "high", PAIR + TRANS))],
    ("AR_comphet", "affected sibling", "homozygous for one only"): [
        (pair((HET, REF), (REF, HET), (REF, HOM), **AFFECTED_SIB), ("AR_comphet", "medium", (
            f"{PAIR}{TRANS}; affected sibling SIB does not carry c.839-430G>A {PHENOCOPY}")))],
    ("AR_comphet", "affected sibling", "not called"): [
        (pair((HET, REF), (REF, HET), (MISS, MISS), **AFFECTED_SIB), ("AR_comphet", "high", PAIR + TRANS)),
        (pair((HET, REF), (REF, HET), (HET, MISS), **AFFECTED_SIB), ("AR_comphet", "high", PAIR + TRANS))],

    ("XL", "father", "ref"): [
        (x("XLD", HREF, MISS), ("XL", "high", MALE)),
        (trio("XLR", (HOM,), (HREF,), (HET,), sex={"KID": 2}), ("XL", "low", (
            "homozygous female in an X-linked recessive gene; mother heterozygous carrier; father does not carry it "
            "(deletion of the other allele or uniparental disomy?)")))],
    ("XL", "father", "hemizygous (male)"): [
        (x("XLD", HEMI, MISS), ("XL", "low", MALE + "; unaffected father is hemizygous for it")),
        (x("XLR", HET, MISS), ("XL", "low", MALE + "; unaffected father carries it")),  # a diploid call
        (x("XLD", HEMI, REF, status={"DAD": 2}), ("XL", "medium", (
            MALE + "; mother homozygous reference (de novo?); the affected father carries it too, but a son's X is his "
            "mother's (not passed from father to son: a sample or pedigree error?)")))],
    ("XL", "father", "not called"): [(x("XLD", HMISS, MISS), ("XL", "high", MALE))],
    ("XL", "mother", "ref"): [  # the father not called: a son's X is his mother's, so also de novo
        (x("XLD", HMISS, REF), ("de_novo;XL", "high;high", (
            "not found in the mother: the mother homozygous reference; the father not genotyped (a son's X is his "
            "mother's) | " + MALE + "; mother homozygous reference (de novo?)"))),
        (trio("XLR", (HOM,), (HEMI,), (REF,), sex={"KID": 2}, status={"DAD": 2}), ("XL", "low", (
            "homozygous female in an X-linked recessive gene; inherited from the father; mother does not carry it "
            "(deletion of the other allele or uniparental disomy?)")))],
    ("XL", "mother", "het (female)"): [
        (x("XLR", HMISS, HET), ("XL", "high", MALE + "; mother heterozygous carrier")),
        (x("XLD", HMISS, HET), ("XL", "low", (
            MALE + "; unaffected mother is heterozygous for it (reduced penetrance?)")))],
    ("XL", "mother", "hom (female)"): [
        (x("XLR", HMISS, HOM), ("XL", "low", MALE + "; unaffected mother is homozygous for it"))],
    ("XL", "mother", "not called"): [(x("XLD", HMISS, MISS), ("XL", "high", MALE))],
    ("XL", "brother", "ref"): [(x("XLD", HMISS, MISS, HREF), ("XL", "high", MALE))],
    ("XL", "brother", "hemizygous (male)"): [
        (x("XLD", HMISS, MISS, HEMI), ("XL", "low", MALE + "; unaffected brother SIB is hemizygous for it")),
        # sex unknown in the PED: a haploid call makes him a brother
        (x("XLR", HMISS, MISS, HEMI, 0), ("XL", "low", MALE + "; unaffected brother SIB is hemizygous for it"))],
    ("XL", "brother", "not called"): [(x("XLD", HMISS, MISS, HMISS), ("XL", "high", MALE))],
    ("XL", "sister", "ref"): [(x("XLD", HMISS, MISS, REF, 2), ("XL", "high", MALE))],
    ("XL", "sister", "het (female)"): [
        (x("XLR", HMISS, MISS, HET, 2), ("XL", "high", MALE)),
        (x("XLD", HMISS, MISS, HET, 2), ("XL", "low", (
            MALE + "; unaffected sister SIB is heterozygous for it (reduced penetrance?)")))],
    ("XL", "sister", "hom (female)"): [
        (x("XLR", HMISS, MISS, HOM, 2), ("XL", "low", MALE + "; unaffected sister SIB is homozygous for it"))],
    ("XL", "sister", "not called"): [(x("XLD", HMISS, MISS, MISS, 2), ("XL", "high", MALE))],
    ("XL", "affected brother", "ref"): [
        (x("XLD", HMISS, MISS, HREF, **AFFECTED_SIB), ("XL", "medium", (
            f"{MALE}; affected brother SIB does not carry it {PHENOCOPY}"))),
        (x("XLR", HMISS, MISS, REF, **AFFECTED_SIB), ("XL", "medium", (  # a diploid call
            f"{MALE}; affected brother SIB does not carry it {PHENOCOPY}")))],
    ("XL", "affected brother", "hemizygous (male)"): [
        (x("XLD", HMISS, MISS, HEMI, **AFFECTED_SIB), ("XL", "high", MALE))],
    ("XL", "affected brother", "not called"): [(x("XLD", HMISS, MISS, HMISS, **AFFECTED_SIB), ("XL", "high", MALE))],
    ("XL", "affected sister", "ref"): [
        (x("XLD", HMISS, MISS, REF, 2, **AFFECTED_SIB), ("XL", "medium", (
            f"{MALE}; affected sister SIB does not carry it {PHENOCOPY}"))),
        (x("XLR", HMISS, MISS, REF, 2, **AFFECTED_SIB), ("XL", "medium", (
            f"{MALE}; affected sister SIB does not carry it {PHENOCOPY}")))],
    ("XL", "affected sister", "het (female)"): [
        (x("XLD", HMISS, MISS, HET, 2, **AFFECTED_SIB), ("XL", "high", MALE)),
        (x("XLR", HMISS, MISS, HET, 2, **AFFECTED_SIB), ("XL", "high", MALE))],  # a manifesting carrier
    ("XL", "affected sister", "hom (female)"): [(x("XLR", HMISS, MISS, HOM, 2, **AFFECTED_SIB), ("XL", "high", MALE))],
    ("XL", "affected sister", "not called"): [(x("XLD", HMISS, MISS, MISS, 2, **AFFECTED_SIB), ("XL", "high", MALE))],
}


@pytest.mark.parametrize("cell", list(CELLS), ids="/".join)
def test_a_relatives_genotype_does_what_the_readme_table_says(tmp_path: Path, cell: tuple[str, str, str]) -> None:
    for number, (family, expected) in enumerate(CELLS[cell]):
        work = tmp_path / str(number)
        work.mkdir()
        assert family.kid(work) == expected, family


def readme_cells() -> set[tuple[str, str, str]]:
    """(flag, relative, column) of every non-empty cell of the README's tables of relatives' effects: the first
    table names the flag in its first column; the pair and X tables name theirs in the text above them."""
    section = README.read_text().split("#### What relatives' genotypes do to a flag")[1].split("\n#### ")[0]
    cells = set()
    for block in section.split("\n\n"):
        rows = [[c.strip() for c in line.strip("|").split("|")] for line in block.splitlines()
                if line.startswith("|") and not line.startswith("|---")]
        if not rows:
            continue
        header, body = rows[0], rows[1:]
        for row in body:
            if header[0] == "flag":
                flag, relative, columns, values = row[0], row[1], header[2:], row[2:]
            else:
                flag = "XL" if "hemizygous (male)" in header else "AR_comphet"
                relative, columns, values = row[0], header[1:], row[1:]
            cells |= {(flag, relative, c) for c, v in zip(columns, values, strict=True) if v}
    return cells


def test_every_cell_of_the_readme_tables_has_its_case() -> None:
    assert readme_cells() == set(CELLS)


def test_a_homozygous_female_in_an_xld_gene_is_flagged(tmp_path: Path) -> None:
    girl = trio("XLD", (HOM,), (HEMI,), (HET,), sex={"KID": 2}, status={"DAD": 2, "MUM": 2})
    assert girl.kid(tmp_path) == ("XL", "high", "homozygous female in an X-linked dominant gene; inherited from the "
                                                "affected mother")


def test_a_males_heterozygous_call_outside_the_pars_makes_his_flags_low(tmp_path: Path) -> None:
    caveat = "; heterozygous call in a male on chrX outside the pseudo-autosomal regions (sex or call error?)"
    boy = trio("XLD", (HET,), (HREF,), (REF,))
    assert boy.kid(tmp_path) == ("de_novo;XL", "low;low", (
        "not found in either parent: both parents homozygous reference" + caveat + " | in a male (X-linked); "
        "mother homozygous reference (de novo?)" + caveat))


def test_a_females_haploid_call_outside_the_pars_makes_her_flags_low(tmp_path: Path) -> None:
    """As the README says of a PED female's haploid call there (X0, or a sex or call error): her de_novo too (it was
    high; found by review)."""
    caveat = "haploid call in a female on chrX outside the pseudo-autosomal regions (sex or call error?)"
    girl = trio("XLD", (HEMI,), (HREF,), (REF,), sex={"KID": 2})
    assert girl.kid(tmp_path) == ("de_novo;XL", "low;low", (
        f"not found in either parent: both parents homozygous reference; {caveat} | {caveat}; mother homozygous "
        "reference (de novo?)"))


@pytest.mark.parametrize(("family", "expected"), [
    (ad(HET, REF, status={"DAD": 0}), ("AD", "medium", (
        "heterozygous in an autosomal dominant gene; also carried by the father of unknown status"))),
    (quartet("AR", (HOM,), (HOM,), (HET,), (REF,), status={"DAD": 0}), (
        "AR_hom", "medium", "homozygous; mother heterozygous carrier; father of unknown status is homozygous too")),
    (Family("pair", {"KID": (P01, P10), "DAD": (HET, HET), "MUM": (REF, REF)}, status={"DAD": 0}), (
        "AR_comphet", "medium", PAIR + PHASED + "; father of unknown status carries both (phase unknown)")),
    (x("XLR", HEMI, MISS, status={"DAD": 0}), (
        "XL", "medium", MALE + "; father of unknown status is hemizygous for it")),
], ids=["AD", "AR_hom", "AR_comphet", "XL"])
def test_a_parent_of_unknown_status_lowers_to_medium(tmp_path: Path, family: Family, expected: Expected) -> None:
    assert family.kid(tmp_path) == expected


@pytest.mark.parametrize(("family", "expected"), [
    (ad(HET, REF, status={"DAD": 2}), ("AD", "high", (
        "heterozygous in an autosomal dominant gene; inherited from the affected father"))),
    (quartet("AR", (HOM,), (HOM,), (HET,), (REF,), status={"DAD": 2}), (
        "AR_hom", "high", "homozygous; affected father is homozygous too (pseudo-dominance); mother heterozygous "
                          "carrier")),
    (Family("pair", {"KID": (P01, P10), "DAD": (P01, P10), "MUM": (REF, REF)}, status={"DAD": 2}), (
        "AR_comphet", "high", PAIR + PHASED)),
    (x("XLR", HEMI, MISS, HEMI, status={"DAD": 2, "SIB": 2}), ("XL", "high", MALE)),
], ids=["AD", "AR_hom", "AR_comphet", "XL"])
def test_an_affected_relative_never_lowers(tmp_path: Path, family: Family, expected: Expected) -> None:
    assert family.kid(tmp_path) == expected


def test_two_affected_siblings_are_each_flagged_and_an_unaffected_one_lowers_both(tmp_path: Path) -> None:
    """Quartet and quintet shapes: an affected sibling is evidence for nobody's confidence; an unaffected one
    carrying the pair in trans lowers every affected child's pair."""
    samples = ("KID", "KID2", "DAD", "MUM")
    records = [f"{SITES['pair'][0]} {FORMAT} {HET} {HET} {HET} {REF}",
               f"{SITES['pair'][1]} {FORMAT} {HET} {HET} {REF} {HET}"]
    ped = ["F1\tKID\tDAD\tMUM\t1\t2", "F1\tKID2\tDAD\tMUM\t2\t2", "F1\tDAD\t0\t0\t1\t1", "F1\tMUM\t0\t0\t2\t1"]
    vcf = write_vcf(tmp_path / "in.vcf", records, samples=samples)
    (tmp_path / "fam.ped").write_text("\n".join(ped) + "\n")
    rows = table(run_cli(vcf, "--qualify", "all", "--ped", tmp_path / "fam.ped").out)
    assert {(r["sample"], r["inheritance_flags"], r["confidence"], r["evidence"]) for r in rows} == {
        (kid, "AR_comphet", "high", PAIR + TRANS) for kid in ("KID", "KID2")} | {
        (parent, ".", ".", ".") for parent in ("DAD", "MUM")}
    records = [f"{record} {HET}" for record in records]
    vcf = write_vcf(tmp_path / "in.vcf", records, samples=(*samples, "SIB"))
    (tmp_path / "fam.ped").write_text("\n".join([*ped, "F1\tSIB\tDAD\tMUM\t2\t1"]) + "\n")
    rows = table(run_cli(vcf, "--qualify", "all", "--ped", tmp_path / "fam.ped").out)
    assert {(r["sample"], r["confidence"], r["evidence"]) for r in rows if r["inheritance_flags"] != "."} == {
        (kid, "low", PAIR + TRANS + "; unaffected sibling SIB carries both in trans (one from each parent)")
        for kid in ("KID", "KID2")}


def test_a_relatives_call_below_the_quality_gates_lowers_to_medium_only_and_says_so(tmp_path: Path) -> None:
    shallow = "0/1:3,2:5:7:."
    assert ad(REF, REF, shallow).kid(tmp_path) == ("de_novo;AD", "medium;medium", (
        "not found in either parent: both parents homozygous reference; also carried by the unaffected sibling SIB "
        "(germline mosaicism in a parent?) (a call below the quality gates) | heterozygous in an autosomal dominant "
        "gene; absent from both parents (de novo); also carried by the unaffected sibling SIB (reduced penetrance?) "
        "(a call below the quality gates)"))


def test_an_affected_siblings_call_below_the_quality_gates_is_named_but_does_not_lower(tmp_path: Path) -> None:
    """A 0/0 of DP 3 may miss the allele: the affected sibling is named, and lowers a step less than with a good call
    (medium), that is not at all, as an unaffected relative's such call lowers to medium instead of low."""
    shallow = "0/0:3,0:3:7:."
    assert ar(HET, HET, shallow, **AFFECTED_SIB).kid(tmp_path) == ("AR_hom", "high", (
        f"{AR_HOM}; affected sibling SIB is homozygous reference {PHENOCOPY} (a call below the quality gates)"))


def test_an_affected_maternal_half_sibling_counts_on_chrx_only(tmp_path: Path) -> None:
    """On chrX outside the PARs an affected maternal half-brother, who shares the mother's X, lowers a son's XL flag
    he does not share; on an autosome a half-sibling shares too little to count."""
    samples = ("KID", "DAD", "MUM", "HB")
    ped = ["F1\tKID\tDAD\tMUM\t1\t2", "F1\tDAD\t0\t0\t1\t1", "F1\tMUM\t0\t0\t2\t1", "F1\tHB\t0\tMUM\t1\t2"]
    (tmp_path / "fam.ped").write_text("\n".join(ped) + "\n")
    for sites, calls, expected in (
            ("XLD", (HEMI, HMISS, MISS, HREF), ("XL", "medium", (
                f"{MALE}; affected maternal half-brother HB does not carry it {PHENOCOPY}"))),
            ("AR", (HOM, HET, HET, REF), ("AR_hom", "high", AR_HOM))):
        vcf = write_vcf(tmp_path / f"{sites}.vcf", [f"{SITES[sites][0]} {FORMAT} {' '.join(calls)}"], samples=samples)
        result = run_cli(vcf, "--qualify", "all", "--ped", tmp_path / "fam.ped")
        assert result.code == 0, result.err
        [row] = [r for r in table(result.out) if r["sample"] == "KID"]
        assert (row["inheritance_flags"], row["confidence"], row["evidence"]) == expected


def test_a_parents_reference_call_below_the_quality_gates_lowers_a_homozygote_to_medium_only(tmp_path: Path) -> None:
    """The Mendelian check (a homozygous child's parent without the allele: deletion or uniparental disomy?) rests on
    the parent's call; one below the quality gates lowers to medium and says so, as every relative's call does (it
    lowered to low without a word; found by review)."""
    shallow = "0/0:3,0:3:7:."
    assert ar(shallow, HET).kid(tmp_path / "a") == ("AR_hom", "medium", (
        "homozygous; father homozygous reference (deletion of the other allele or uniparental disomy?) (a call below "
        "the quality gates); mother heterozygous carrier"))
    girl = trio("XLR", (HOM,), ("0:3,0:3:7:.",), (HET,), sex={"KID": 2})
    assert girl.kid(tmp_path / "b") == ("XL", "medium", (
        "homozygous female in an X-linked recessive gene; mother heterozygous carrier; father does not carry it "
        "(deletion of the other allele or uniparental disomy?) (a call below the quality gates)"))


def test_x_linked_daughters(tmp_path: Path) -> None:
    """A daughter has one X from each parent: from her father when her mother lacks it, and a homozygous daughter
    with both parents without it is two new alleles at once."""
    from_father = trio("XLD", (HET,), (HEMI,), (REF,), sex={"KID": 2}, status={"DAD": 2})
    assert from_father.kid(tmp_path / "a") == (
        "XL", "medium", "heterozygous female in an X-linked dominant gene; inherited from the father")
    twice = trio("XLD", (HOM,), (HREF,), (REF,), sex={"KID": 2})
    assert twice.kid(tmp_path / "b") == ("de_novo;XL", "low;low", (
        "not found in either parent: both parents homozygous reference; the child is homozygous (two new alleles, or "
        "one with a deletion or uniparental disomy?) | homozygous female in an X-linked dominant gene; mother "
        "homozygous reference (de novo?); father does not carry it (deletion of the other allele or uniparental "
        "disomy?)"))


def test_wording_of_what_relatives_carry(tmp_path: Path) -> None:
    both = pair((HET, REF), (REF, HET), (HOM, HOM)).kid(tmp_path / "a")
    assert both == ("AR_comphet", "low", PAIR + TRANS + "; unaffected sibling SIB carries both (homozygous for both)")
    # a sibling of unknown sex with a diploid call here but a haploid one elsewhere in the gene is a brother
    family = Family("XLD, two sites", {"KID": (HREF, HEMI), "DAD": (HMISS, HMISS), "MUM": (MISS, MISS),
                                       "SIB": (HREF, HET)}, sex={"SIB": 0})
    assert family.kid(tmp_path / "b") == ("XL", "low", MALE + "; unaffected brother SIB carries it")


def test_a_males_heterozygous_calls_pair_only_at_low_confidence(tmp_path: Path) -> None:
    """With PHEX taken as AR, two heterozygous calls in a male on chrX can pair, but only as a low candidate."""
    caveat = "; heterozygous call in a male on chrX outside the pseudo-autosomal regions (sex or call error?)"
    records = [f"chrX 22040000 . C T 50 PASS . {FORMAT} {HET}", f"chrX 22050000 . G A 50 PASS . {FORMAT} {HET}"]
    vcf = write_vcf(tmp_path / "in.vcf", records, samples=("BOY",))
    (tmp_path / "p.ped").write_text("F1\tBOY\t0\t0\t1\t2\n")
    rows = table(run_cli(vcf, "--qualify", "all", "--ped", tmp_path / "p.ped", "--inheritance", "PHEX=AR").out)
    assert {(r["inheritance_flags"], r["confidence"], r["evidence"].split("), ")[1]) for r in rows} == {
        ("AR_comphet", "low", "phase unknown (no parental genotypes)" + caveat)}
