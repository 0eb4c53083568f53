"""The inheritance rules one by one, on hand-built genotype facts, and the one genotype vocabulary they share
with the report."""

from __future__ import annotations

import numpy as np

from hftc_annot.inheritance.flags import FLAG_KINDS
from hftc_annot.inheritance.summary import interpretation
from hftc_annot.panel import load_panel
from hftc_annot.reader.genotypes import Zygosity, carriers, zygosities
from hftc_annot.reader.records import ALLELE_ABSENT, ALLELE_MISSING, Record

X, M = ALLELE_ABSENT, ALLELE_MISSING
CALLS = {"0/1": (0, 1), "1/1": (1, 1), "1": (1, X), "1/.": (1, M), "./.": (M, M), "1/2": (1, 2), "0/0": (0, 0),
         "0/.": (0, M), "2/2": (2, 2), "0": (0, X), ".": (M, X)}


def record(genotypes: list[tuple[int, int]]) -> Record:
    n = len(genotypes)
    return Record("chr2", 165750000, ".", "A", ("G", "T"), (), np.array(genotypes, dtype=np.int32),
                  np.zeros(n, dtype=bool), None, None, None, None)


def test_zygosity_codes_of_every_call_shape() -> None:
    codes = zygosities(np.array(list(CALLS.values()), dtype=np.int32), 1)
    assert dict(zip(CALLS, map(Zygosity, codes.tolist()), strict=True)) == {
        "0/1": Zygosity.HET, "1/1": Zygosity.HOM_ALT, "1": Zygosity.HEMI, "1/.": Zygosity.PARTIAL,
        "./.": Zygosity.MISSING, "1/2": Zygosity.HET, "0/0": Zygosity.REF, "0/.": Zygosity.MISSING,
        "2/2": Zygosity.REF, "0": Zygosity.REF, ".": Zygosity.MISSING}
    per_allele = zygosities(np.array([[(1, 2)], [(1, 2)]], dtype=np.int32), np.array([[1], [2]]))
    assert per_allele.tolist() == [[Zygosity.HET], [Zygosity.HET]]


def test_report_zygosity_words_come_from_the_codes() -> None:
    calls = ["0/1", "1/1", "1", "1/.", "./.", "1/2", "0/0"]
    found = carriers(record([CALLS[c] for c in calls]), 1)
    assert found.samples.tolist() == [0, 1, 2, 3, 5]
    assert found.genotypes == ("0/1", "1/1", "1", "1/.", "1/2")
    assert found.zygosities == ("het", "hom_alt", "hemi", "partial", "het")


def test_flag_kinds_table_gives_each_kind_its_modes_and_summary_words() -> None:
    assert [(k.name, k.modes, k.candidate) for k in FLAG_KINDS] == [
        ("AR_hom", ("AR",), "biallelic (homozygous)"),
        ("AR_comphet", ("AR",), "biallelic (compound heterozygous, {phase})"),
        ("AD", ("AD",), "heterozygous in an autosomal dominant gene"),
        ("XL", ("XLD", "XLR"), "X-linked"),
        ("de_novo", ("AR", "AD", "XLD", "XLR"), "de novo")]


def test_interpretation_names_the_disorders_the_flag_fits() -> None:
    genes = {g.symbol: g for g in load_panel("GRCh38").genes}
    assert interpretation(genes["ABCC6"], "AR_comphet", ("AR", "AD")) == (
        "consistent with Pseudoxanthoma elasticum [OMIM:264800] (AR); Arterial calcification, generalized, of "
        "infancy, 2 [OMIM:614473] (AR)")
    assert interpretation(genes["PHEX"], "XL", ("XLD",)) == (
        "consistent with Hypophosphatemic rickets, X-linked dominant [OMIM:307800] (XLD)")
    assert interpretation(genes["PHEX"], "AD", ("XLD",)) == "mode of PHEX: XLD"
    assert interpretation(genes["SPP1"], "de_novo", ()) == "mode of SPP1: not recorded"
