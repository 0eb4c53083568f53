"""The inheritance rules one by one, on hand-built genotype facts, and the one genotype vocabulary they share
with the report."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from hftc_annot.inheritance import rules
from hftc_annot.inheritance.calls import Extent, Gates, Pending, occurrences
from hftc_annot.inheritance.facts import NOT_GENOTYPED, SEGREGATION_WORDS, AlleleFacts, Relative
from hftc_annot.inheritance.flags import FLAG_KINDS, Flag
from hftc_annot.inheritance.pedigree import AFFECTED, UNAFFECTED, UNKNOWN_STATUS
from hftc_annot.inheritance.phase import Phase, PhaseKind, parental_phase, phase
from hftc_annot.inheritance.rules import PairIds, ar_hom, compound_het, de_novo, dominant, sample_flags, x_linked
from hftc_annot.inheritance.summary import SummaryLine, candidates, interpretations, rank
from hftc_annot.panel import load_panel
from hftc_annot.reader.genotypes import Zygosity, carriers, zygosities
from hftc_annot.reader.records import ALLELE_ABSENT, ALLELE_MISSING, INT_MISSING, Record, physical_phase

X, M = ALLELE_ABSENT, ALLELE_MISSING
MISSING, REF, HET, HOM, HEMI, PARTIAL = (Zygosity.MISSING, Zygosity.REF, Zygosity.HET, Zygosity.HOM_ALT,
                                         Zygosity.HEMI, Zygosity.PARTIAL)
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
        ("AD", ("AD",), "{zygosity} in an autosomal dominant gene"),
        ("XL", ("XLD", "XLR"), "X-linked"),
        ("de_novo", ("AD", "XLD", "XLR"), "de novo"),
        ("AR_single", ("AR",), "one known disease allele in a recessive gene, no second found")]


def test_interpretation_names_the_disorders_the_flag_fits() -> None:
    genes = {g.symbol: g for g in load_panel("GRCh38").genes}
    assert interpretations(genes["ABCC6"], ("AR", "AD"))["AR_comphet"] == (
        "consistent with Pseudoxanthoma elasticum [OMIM:264800] (AR); Arterial calcification, generalized, of "
        "infancy, 2 [OMIM:614473] (AR)")
    assert interpretations(genes["PHEX"], ("XLD",)) == {
        "AR_hom": "mode of PHEX: XLD", "AR_comphet": "mode of PHEX: XLD", "AD": "mode of PHEX: XLD",
        "XL": "consistent with Hypophosphatemic rickets, X-linked dominant [OMIM:307800] (XLD)",
        "de_novo": "consistent with Hypophosphatemic rickets, X-linked dominant [OMIM:307800] (XLD)",
        "AR_single": "mode of PHEX: XLD"}
    assert interpretations(genes["SPP1"], ())["de_novo"] == "mode of SPP1: not recorded"


def test_report_zygosity_and_inheritance_state_come_from_one_function() -> None:
    calls = ["0/1", "1/1", "1", "1/.", "./.", "1/2"]
    rec = record([CALLS[c] for c in calls])
    report = dict(zip(carriers(rec, 1).samples.tolist(), carriers(rec, 1).zygosities, strict=True))
    [occurrence] = occurrences([Pending(0, 1, "GALNT3", "c.1A>G", rec, True, Extent(rec.pos, rec.pos))], Gates())
    found = {call: (report.get(i, "."), Zygosity(code), SEGREGATION_WORDS[Zygosity(code)])
             for i, (call, code) in enumerate(zip(calls, occurrence.zygosity.tolist(), strict=True))}
    assert found == {"0/1": ("het", HET, "het"), "1/1": ("hom_alt", HOM, "hom"), "1": ("hemi", HEMI, "hemi"),
                     "1/.": ("partial", PARTIAL, "partial"), "./.": (".", MISSING, "missing"),
                     "1/2": ("het", HET, "het")}


def _depth(value: str | int) -> float | None:
    if isinstance(value, str):
        return None if value in (".", "") else float(value)
    return None if value <= INT_MISSING + 1 else float(value)


def _balance_gate(call: tuple[int, int], allele: int, depths: list | None, gates: Gates) -> bool:
    """The allele-balance gate for one sample, spelled out: a het call (one copy, diploid) fails when this ALT's
    share of the AD total (missing values not counted) is outside [min, max]; unknown shares never fail."""
    if depths is None or sum(a == allele for a in call) != 1 or X in call or allele >= len(depths):
        return True
    values = [_depth(d) for d in depths]
    mine, total = values[allele], sum(v for v in values if v is not None)
    if mine is None or total == 0:
        return True
    return gates.min_het_ab <= mine / total <= gates.max_het_ab


def test_allele_balance_gate_matches_a_per_sample_oracle() -> None:
    """The gate runs over a whole batch of alleles at once (grouped by the number of AD values); random calls,
    depths with missing values, ALTs past the AD values, text-typed AD, and records without AD."""
    rng = np.random.default_rng(15)
    samples, gates = 7, Gates(min_het_ab=0.25, max_het_ab=0.75)
    pending, expected = [], []
    choices = [(0, 1), (1, 1), (0, 2), (1, 2), (M, 1), (0, 0), (1, X), (2, 2)]
    for index in range(300):
        calls = [choices[k] for k in rng.integers(len(choices), size=samples)]
        width = int(rng.integers(1, 4))
        raw = rng.integers(0, 12, size=(samples, width)).astype(np.int32)
        raw[rng.random((samples, width)) < 0.15] = INT_MISSING
        kind = index % 5
        ad = None if kind == 0 else raw.astype(str).astype(object) if kind == 1 else raw
        if kind == 1:
            ad[raw == INT_MISSING] = "."
        allele = int(rng.integers(1, 3))
        rec = replace(record(calls), ad=ad, gq=None, dp=None)
        pending.append(Pending(index, allele, "GALNT3", "c.1A>G", rec, True, Extent(rec.pos, rec.pos)))
        expected.append([(_balance_gate(call, allele, None if ad is None else list(ad[i]), gates),
                           _alt_reads(call, allele, None if ad is None else list(ad[i])))
                          for i, call in enumerate(calls)])
    found = [list(zip(o.good.tolist(), o.alt_reads.tolist(), strict=True)) for o in occurrences(pending, gates)]
    assert found == expected


def _alt_reads(call: tuple[int, int], allele: int, depths: list | None) -> int:
    """The ALT reads kept for a sample, spelled out: this ALT's AD value when the call holds no copy of it."""
    if depths is None or allele in call or allele >= len(depths):
        return 0
    return int(_depth(depths[allele]) or 0)


def test_alt_reads_behind_calls_without_the_alt_are_kept_up_to_127() -> None:
    """A parent's 0/0 with ALT reads (a mosaic parent?); counts above int8 are kept as 127; a carrier keeps 0."""
    rec = replace(record([(0, 0), (0, 0), (0, 1), (0, 2), (0, 0)]),
                  ad=np.array([[30, 3, 0], [200, 500, 0], [10, 10, 0], [10, 4, 6], [9, INT_MISSING, 0]],
                              dtype=np.int32))
    [occurrence] = occurrences([Pending(0, 1, "GALNT3", "c.1A>G", rec, True, Extent(rec.pos, rec.pos))], Gates())
    assert occurrence.alt_reads.tolist() == [3, 127, 0, 4, 0]


def relative(zygosity: Zygosity, name: str = "DAD", status: int = UNAFFECTED, good: bool = True) -> Relative:
    return Relative(name, status, zygosity, good)


def allele(zygosity: Zygosity = HET, *, father: Relative = NOT_GENOTYPED, mother: Relative = NOT_GENOTYPED,
           modes: tuple[str, ...] = ("AR",), key: tuple[int, int] = (0, 1), **facts) -> AlleleFacts:
    """Facts of one allele in GALNT3, a good call in a female singleton unless told otherwise."""
    defaults = dict(label=f"v{key[0]}", gene="GALNT3", good=True, siblings=(), male=False, x_linked=False)
    return AlleleFacts(key=key, zygosity=zygosity, father=father, mother=mother, modes=modes,
                       **{**defaults, **facts})


def trio(zygosity: Zygosity, dad: Zygosity, mum: Zygosity, **facts) -> AlleleFacts:
    return allele(zygosity, father=relative(dad), mother=relative(mum, "MUM"), **facts)


def test_ar_hom() -> None:
    assert ar_hom(trio(HOM, HET, HET)) == Flag("AR_hom", "high", "homozygous; both parents heterozygous carriers")
    assert ar_hom(allele(HOM)) == Flag("AR_hom", "medium", "homozygous; no parental genotypes")
    assert ar_hom(trio(HOM, REF, HET)) == Flag("AR_hom", "low", (
        "homozygous; father homozygous reference (deletion of the other allele or uniparental disomy?); "
        "mother heterozygous carrier"))
    assert ar_hom(trio(HOM, MISSING, HET)) == Flag(
        "AR_hom", "medium", "homozygous; father's genotype not available; mother heterozygous carrier")
    assert ar_hom(trio(HOM, HOM, HET)) == Flag(
        "AR_hom", "low", "homozygous; mother heterozygous carrier; unaffected father is homozygous too")
    affected_dad = allele(HOM, father=relative(HOM, status=AFFECTED), mother=relative(HET, "MUM"))
    assert ar_hom(affected_dad) == Flag("AR_hom", "high", (
        "homozygous; affected father is homozygous too (pseudo-dominance); mother heterozygous carrier"))
    sibling = trio(HOM, HET, HET, siblings=(relative(HOM, "SIB"),), good=False)
    assert ar_hom(sibling) == Flag("AR_hom", "low", (
        "homozygous; both parents heterozygous carriers; unaffected sibling SIB is homozygous too; "
        "genotype below the quality gates"))
    assert ar_hom(allele(HET)) is None
    assert ar_hom(allele(HOM, modes=("AD",))) is None
    # a carrier parent's call below the gates: medium, said (it was high, 'both parents heterozygous carriers')
    weak_dad = allele(HOM, father=relative(HET, good=False), mother=relative(HET, "MUM"))
    assert ar_hom(weak_dad) == Flag("AR_hom", "medium", (
        "homozygous; father heterozygous carrier (a call below the quality gates); mother heterozygous carrier"))


def test_de_novo() -> None:
    assert de_novo(trio(HET, REF, REF, modes=("AD",))) == Flag(
        "de_novo", "high", "not found in either parent: both parents homozygous reference")
    assert de_novo(trio(HET, REF, REF, modes=("AD",), good=False)) == Flag("de_novo", "low", (
        "not found in either parent: both parents homozygous reference; the child's genotype is below the quality "
        "gates"))
    assert de_novo(trio(HET, REF, REF)) is None  # GALNT3 is recessive only: a new allele counts only in a pair
    low_parent = allele(HET, father=relative(REF, good=False), mother=relative(REF, "MUM"), modes=("AD",))
    assert de_novo(low_parent) == Flag("de_novo", "low", (
        "not found in either parent: both parents homozygous reference (a parent's genotype is low quality)"))
    assert de_novo(trio(HET, REF, MISSING)) is None
    assert de_novo(allele(HET, mother=relative(REF, "MUM"))) is None  # no father in the VCF


def test_de_novo_of_a_sons_x_needs_only_his_mother() -> None:
    """A son's chrX outside the PARs is his mother's: in a mother-son duo (no father genotyped) a hemizygous allele
    she does not carry is de novo (it was no flag at all), and the father's call quality does not lower it; a
    daughter's still needs both parents, as does a son's on an autosome."""
    son = dict(male=True, x_linked=True, modes=("XLD",))
    mother_only = "not found in the mother: the mother homozygous reference; the father not genotyped (a son's X is " \
        "his mother's)"
    assert de_novo(allele(HEMI, mother=relative(REF, "MUM"), **son)) == Flag("de_novo", "high", mother_only)
    assert de_novo(allele(HEMI, mother=relative(REF, "MUM", good=False), **son)) == Flag(
        "de_novo", "low", "not found in the mother: the mother homozygous reference (the mother's genotype is low "
        "quality); the father not genotyped (a son's X is his mother's)")
    assert de_novo(allele(HEMI, father=relative(REF, good=False), mother=relative(REF, "MUM"), **son)) == Flag(
        "de_novo", "high", "not found in either parent: both parents homozygous reference")
    assert de_novo(allele(HEMI, mother=relative(MISSING, "MUM"), **son)) is None
    assert de_novo(allele(HEMI, father=relative(HEMI), mother=relative(REF, "MUM"), **son)) is None
    assert de_novo(allele(HET, mother=relative(REF, "MUM"), x_linked=True, modes=("XLD",))) is None  # a daughter
    assert de_novo(allele(HET, mother=relative(REF, "MUM"), male=True, modes=("AD",))) is None  # autosomal


def test_de_novo_with_alt_reads_in_a_parent_is_medium_at_best() -> None:
    """A parent's 0/0 call whose AD shows the ALT: a mosaic parent (recurrence risk) or noise; slivar's de novo
    expression refuses any such read, and hftc-annot keeps the flag but not as high."""
    dad = Relative("DAD", UNAFFECTED, REF, True, alt_reads=3)
    mum = Relative("MUM", UNAFFECTED, REF, True, alt_reads=1)
    assert de_novo(allele(HET, father=dad, mother=relative(REF, "MUM"), modes=("AD",))) == Flag("de_novo", "medium", (
        "not found in either parent: both parents homozygous reference; the father's 3 ALT reads behind a "
        "reference call (a mosaic parent, or noise?)"))
    assert de_novo(allele(HET, father=dad, mother=mum, modes=("AD",), good=False)) == Flag("de_novo", "low", (
        "not found in either parent: both parents homozygous reference; the child's genotype is below the quality "
        "gates; the father's 3 ALT reads and the mother's 1 ALT read behind a reference call (a mosaic parent, "
        "or noise?)"))
    many = Relative("DAD", UNAFFECTED, REF, True, alt_reads=127)  # 127: as many as int8 keeps
    assert de_novo(allele(HET, father=many, mother=relative(REF, "MUM"), modes=("AD",))).evidence.endswith(
        "the father's 127 or more ALT reads behind a reference call (a mosaic parent, or noise?)")
    assert dominant(allele(HET, father=relative(REF), mother=mum, modes=("AD",))) == Flag("AD", "medium", (
        "heterozygous in an autosomal dominant gene; absent from both parents (de novo); the mother's 1 ALT read "
        "behind a reference call (a mosaic parent, or noise?)"))


def test_de_novo_of_both_alts_of_a_1_2_call_is_low() -> None:
    """A 1/2 child of 0/0 parents is two new alleles at one site, as unlikely as a homozygous one (low): both ALTs
    were de_novo high. With the other ALT in a parent (0/2, REF at ALT 1), ALT 1 alone is new."""
    assert de_novo(trio(HET, REF, REF, modes=("AD",), with_other_alt=True)) == Flag("de_novo", "low", (
        "not found in either parent: both parents homozygous reference; the child's other ALT here is in neither "
        "parent either (two new alleles at one site?)"))
    father_0_2 = Relative("DAD", UNAFFECTED, REF, True, with_other_alt=True)
    assert de_novo(allele(HET, father=father_0_2, mother=relative(REF, "MUM"), modes=("AD",), with_other_alt=True)) \
        == Flag("de_novo", "high", "not found in either parent: both parents homozygous reference")


def test_x_linked() -> None:
    on_x = {"modes": ("XLD",), "x_linked": True}
    assert x_linked(allele(HEMI, male=True, **on_x)) == Flag("XL", "high", "hemizygous in a male (X-linked)")
    female = allele(HET, mother=relative(HET, "MUM", AFFECTED), **on_x)
    assert x_linked(female) == Flag(
        "XL", "medium", "heterozygous female in an X-linked dominant gene; inherited from the affected mother")
    assert x_linked(replace(female, good=False)).confidence == "low"
    assert x_linked(allele(HET, modes=("XLR",), x_linked=True)) is None
    son = allele(HEMI, male=True, modes=("XLR",), x_linked=True, mother=relative(HET, "MUM"))
    assert x_linked(son).evidence == "hemizygous in a male (X-linked); mother heterozygous carrier"
    affected_mum = replace(son, mother=relative(HET, "MUM", AFFECTED))
    assert x_linked(affected_mum).evidence == "hemizygous in a male (X-linked); inherited from the affected mother"


def test_a_homozygous_daughter_of_a_mother_without_the_allele_is_low() -> None:
    """A daughter's X's are one from each parent, so a homozygous daughter of a homozygous reference mother holds a
    copy her mother did not give (deletion or uniparental disomy?), as for a father without it: it was high, 'mother
    homozygous reference (de novo?)', or 'inherited from the father' when he carries it (found by review)."""
    lacking = "mother does not carry it (deletion of the other allele or uniparental disomy?)"
    daughter = allele(HOM, modes=("XLR",), x_linked=True, mother=relative(REF, "MUM"))
    assert x_linked(daughter) == Flag("XL", "low", f"homozygous female in an X-linked recessive gene; {lacking}")
    from_father = replace(daughter, father=relative(HEMI, status=AFFECTED))
    assert x_linked(from_father) == Flag(
        "XL", "low", f"homozygous female in an X-linked recessive gene; inherited from the father; {lacking}")
    shallow = replace(daughter, mother=relative(REF, "MUM", good=False))
    assert x_linked(shallow) == Flag("XL", "medium", (
        f"homozygous female in an X-linked recessive gene; {lacking} (a call below the quality gates)"))
    assert x_linked(replace(daughter, sex_given=False)) == Flag("XL", "high", (
        "homozygous in an X-linked recessive gene (no sex in a PED: a female, or a male whose chrX is called "
        "diploid); mother homozygous reference (de novo?)"))


def test_a_sons_allele_his_affected_father_carries_and_his_mother_lacks_is_medium_and_says_why() -> None:
    """A son's X is his mother's: an affected father hemizygous for the son's allele with the mother homozygous
    reference is no father-to-son transmission, but a sign of a sample or pedigree error. The flag was high with only
    'mother homozygous reference (de novo?)', though de_novo withholds it because the father carries it (found by
    review). With the mother a carrier, or not called, the father's call says nothing."""
    noted = ("hemizygous in a male (X-linked); mother homozygous reference (de novo?); the affected father carries it "
             "too, but a son's X is his mother's (not passed from father to son: a sample or pedigree error?)")
    son = allele(HEMI, male=True, modes=("XLR",), x_linked=True, father=relative(HEMI, status=AFFECTED),
                 mother=relative(REF, "MUM"))
    assert x_linked(son) == Flag("XL", "medium", noted)
    assert de_novo(son) is None
    shallow = replace(son, mother=relative(REF, "MUM", good=False))
    assert x_linked(shallow) == Flag("XL", "medium", noted + " (a call below the quality gates)")
    assert x_linked(replace(son, mother=relative(HET, "MUM"))) == Flag(
        "XL", "high", "hemizygous in a male (X-linked); mother heterozygous carrier")
    assert x_linked(replace(son, mother=NOT_GENOTYPED)) == Flag("XL", "high", "hemizygous in a male (X-linked)")


def test_a_diploid_chrx_call_without_a_ped_sex_is_not_called_a_female() -> None:
    """A male whose chrX is called diploid (1/1), with no sex in a PED, passed for a 'homozygous female', and his
    father's reference call made it low (deletion or uniparental disomy?); a son's X is his mother's."""
    unknown = allele(HOM, modes=("XLR",), x_linked=True, father=relative(REF), mother=relative(HET, "MUM"),
                     sex_given=False)
    assert x_linked(unknown) == Flag("XL", "high", (
        "homozygous in an X-linked recessive gene (no sex in a PED: a female, or a male whose chrX is called "
        "diploid); mother heterozygous carrier"))
    assert x_linked(replace(unknown, sex_given=True)) == Flag("XL", "low", (
        "homozygous female in an X-linked recessive gene; mother heterozygous carrier; father does not carry it "
        "(deletion of the other allele or uniparental disomy?)"))
    assert x_linked(allele(HET, modes=("XLD",), x_linked=False)) is None  # in a pseudo-autosomal region


def test_dominant() -> None:
    def parents(dad: Zygosity, mum: Zygosity, mum_status: int = UNAFFECTED, **facts) -> AlleleFacts:
        return allele(HET, father=relative(dad), mother=relative(mum, "MUM", mum_status), modes=("AD",), **facts)

    assert dominant(parents(REF, HET, AFFECTED)) == Flag(
        "AD", "high", "heterozygous in an autosomal dominant gene; inherited from the affected mother")
    assert dominant(parents(REF, HET)) == Flag("AD", "low", (
        "heterozygous in an autosomal dominant gene; also carried by the unaffected mother (reduced penetrance?)"))
    assert dominant(parents(REF, HET, UNKNOWN_STATUS)).evidence.endswith(
        "also carried by the mother of unknown status")
    assert dominant(parents(REF, REF)) == Flag(
        "AD", "high", "heterozygous in an autosomal dominant gene; absent from both parents (de novo)")
    assert dominant(parents(REF, MISSING)) == Flag("AD", "medium", (
        "heterozygous in an autosomal dominant gene; absent from the father; the other parent is not genotyped"))
    assert dominant(allele(HOM, modes=("AD",))) == Flag(
        "AD", "medium", "homozygous in an autosomal dominant gene; no parental genotypes")
    sibling = parents(REF, REF, siblings=(relative(PARTIAL, "SIB"),))
    assert dominant(sibling) == Flag("AD", "low", (
        "heterozygous in an autosomal dominant gene; absent from both parents (de novo); "
        "also carried by the unaffected sibling SIB (reduced penetrance?)"))
    assert dominant(allele(HET, modes=("AR",))) is None


def test_phase_from_one_multiallelic_call_and_from_phased_reads() -> None:
    one_call = allele(HET, key=(3, 1), with_other_alt=True), allele(HET, key=(3, 2), with_other_alt=True)
    assert phase(*one_call) == Phase(PhaseKind.MULTIALLELIC_TRANS, "high",
                                     "in trans: one multi-allelic genotype carries both")
    a = allele(HET, key=(0, 1), phased=True, haplotype=1, phase_set=100.0)
    b = allele(HET, key=(1, 1), phased=True, haplotype=0, phase_set=100.0)
    assert phase(a, b) == Phase(PhaseKind.PHASED_TRANS, "high", "in trans on the phased haplotypes")
    assert phase(a, replace(b, haplotype=1)).kind is PhaseKind.PHASED_CIS
    assert phase(a, replace(b, phase_set=200.0)).kind is PhaseKind.UNPHASED  # different blocks
    assert phase(a, replace(b, phase_set=None)).kind is PhaseKind.UNPHASED
    assert phase(replace(a, phase_set=None), replace(b, phase_set=None)).kind is PhaseKind.PHASED_TRANS
    assert phase(a, replace(b, phased=False)).kind is PhaseKind.UNPHASED
    cis_trio = [replace(x, haplotype=0) for x in (trio(HET, HET, REF, key=(0, 1)), trio(HET, REF, HET, key=(1, 1)))]
    phased_cis = [replace(x, phased=True, phase_set=100.0) for x in cis_trio]
    assert phase(*phased_cis) == Phase(PhaseKind.UNPHASED, "low", (
        "phase unknown: in cis on the phased haplotypes but one from each parent (a phasing or genotype error?)"))
    shaky_father = replace(phased_cis[1], father=relative(REF, good=False))  # parental trans below high: cis stands
    assert phase(phased_cis[0], shaky_father).kind is PhaseKind.PHASED_CIS


def test_parental_phase() -> None:
    def pair(a_dad: Zygosity, a_mum: Zygosity, b_dad: Zygosity, b_mum: Zygosity) -> Phase:
        return parental_phase(trio(HET, a_dad, a_mum, key=(0, 1)), trio(HET, b_dad, b_mum, key=(1, 1)))

    assert pair(HET, REF, REF, HET) == Phase(PhaseKind.PARENTAL_TRANS, "high", "in trans: one from each parent")
    assert pair(HET, REF, MISSING, HET) == Phase(
        PhaseKind.PARENTAL_TRANS, "medium", "in trans: one seen in each parent (a parental genotype is missing)")
    assert pair(HET, REF, HET, REF).kind is PhaseKind.PARENTAL_CIS
    assert pair(HET, MISSING, HET, MISSING) == Phase(PhaseKind.UNPHASED, "low", (
        "phase unknown: the father carries both (trans only if the father is a compound heterozygote too); "
        "the mother is not genotyped"))
    assert pair(HET, MISSING, REF, MISSING) == Phase(PhaseKind.PARENTAL_TRANS, "medium", (
        "in trans by inference: the father carries only one (the mother is not genotyped)"))
    # the mother genotyped at one of the two: her call at the other is what is missing (it said 'not genotyped')
    assert pair(HET, REF, REF, MISSING) == Phase(PhaseKind.PARENTAL_TRANS, "medium", (
        "in trans by inference: the father carries only one (the mother's genotype at v1 is missing)"))
    assert pair(HET, REF, HET, MISSING) == Phase(PhaseKind.UNPHASED, "low", (
        "phase unknown: the father carries both (trans only if the father is a compound heterozygote too); "
        "the mother's genotype at v1 is missing"))
    assert pair(HET, REF, REF, REF) == Phase(
        PhaseKind.UNPHASED, "medium", "phase unknown: one variant is in neither parent (de novo?)")
    assert pair(HET, HET, REF, HET) == Phase(
        PhaseKind.UNPHASED, "low", "phase unknown: a variant is carried by both parents")
    assert pair(REF, REF, REF, REF) == Phase(
        PhaseKind.UNPHASED, "medium", "phase unknown: neither variant is in the parents (de novo?)")
    assert pair(MISSING, MISSING, MISSING, MISSING) == Phase(
        PhaseKind.UNPHASED, "low", "phase unknown (no parental genotypes)")


def test_parental_phase_resting_on_a_call_below_the_quality_gates() -> None:
    """A parent's 0/0 below the gates (DP 2) may miss the allele: trans rested on it at high confidence, and cis
    dropped the pair."""
    def pair(weak: str, dad_a: Zygosity, mum_a: Zygosity, dad_b: Zygosity, mum_b: Zygosity) -> Phase:
        calls = {f"{who}_{at}": relative(z, who.upper(), good=f"{who}_{at}" != weak)
                 for who, at, z in (("dad", "a", dad_a), ("mum", "a", mum_a), ("dad", "b", dad_b), ("mum", "b", mum_b))}
        return parental_phase(allele(HET, father=calls["dad_a"], mother=calls["mum_a"], key=(0, 1)),
                              allele(HET, father=calls["dad_b"], mother=calls["mum_b"], key=(1, 1)))

    assert pair("dad_b", HET, REF, REF, HET) == Phase(PhaseKind.PARENTAL_TRANS, "medium", (
        "in trans: one from each parent; the father's call without v1 is below the quality gates"))
    assert pair("dad_a", HET, REF, REF, HET) == Phase(PhaseKind.PARENTAL_TRANS, "high",
                                                      "in trans: one from each parent")  # a carrier's call
    assert pair("mum_a", HET, REF, MISSING, HET) == Phase(PhaseKind.PARENTAL_TRANS, "low", (
        "in trans: one seen in each parent (a parental genotype is missing); the mother's call without v0 is below "
        "the quality gates"))
    assert pair("dad_b", HET, MISSING, REF, MISSING) == Phase(PhaseKind.PARENTAL_TRANS, "low", (
        "in trans by inference: the father carries only one (the mother is not genotyped); the father's call "
        "without v1 is below the quality gates"))
    assert pair("mum_b", HET, REF, HET, REF) == Phase(PhaseKind.UNPHASED, "low", (
        "phase unknown: both seen in the father; the mother's call without v1 is below the quality gates"))
    weak = allele(HET, father=relative(REF, good=False), mother=relative(HET, "MUM"), key=(1, 1))
    assert compound_het(trio(HET, HET, REF, key=(0, 1)), weak) == Flag("AR_comphet", "medium", (
        "two heterozygous variants in GALNT3 (v0, v1), in trans: one from each parent; the father's call without v1 "
        "is below the quality gates"), "parental_trans")


def test_compound_het() -> None:
    a, b = trio(HET, HET, REF, key=(0, 1)), trio(HET, REF, HET, key=(1, 1))
    assert compound_het(a, b) == Flag("AR_comphet", "high", (
        "two heterozygous variants in GALNT3 (v0, v1), in trans: one from each parent"), "parental_trans")
    assert compound_het(a, trio(HET, HET, REF, key=(1, 1))) is None  # both from the father: cis
    sib_a, sib_b = replace(a, siblings=(relative(HET, "SIB"),)), replace(b, siblings=(relative(HET, "SIB"),))
    assert compound_het(sib_a, sib_b).confidence == "low"
    assert compound_het(sib_a, sib_b).evidence.endswith(
        "; unaffected sibling SIB carries both in trans (one from each parent)")
    assert compound_het(replace(a, good=False), b).evidence.endswith("; a genotype is below the quality gates")


def test_a_full_siblings_pair_is_in_trans_when_the_parents_show_one_allele_from_each() -> None:
    """An unaffected full sibling heterozygous at both alleles, with one allele from each parent, is as much in trans
    as the sample: the evidence said 'carries both (phase unknown)', which reads as a weaker contradiction (found by
    review). Without parents who show it, or for a half-sibling (who shares one parent), the phase stays unknown."""
    def sibling(a: AlleleFacts, b: AlleleFacts, sib: Relative) -> str:
        return compound_het(replace(a, siblings=(sib,)), replace(b, siblings=(sib,))).evidence.split("; ", 1)[1]

    a, b = trio(HET, HET, REF, key=(0, 1)), trio(HET, REF, HET, key=(1, 1))
    assert sibling(a, b, relative(HET, "SIB")) == "unaffected sibling SIB carries both in trans (one from each parent)"
    half = replace(relative(HET, "SIB"), half=True)
    assert sibling(a, b, half) == "unaffected maternal half-sibling SIB carries both (phase unknown)"
    # the mother not genotyped at v0: one from each parent only by inference, which tells nothing of the sibling
    unseen = replace(a, mother=relative(MISSING, "MUM"))
    assert sibling(unseen, b, relative(HET, "SIB")) == "unaffected sibling SIB carries both (phase unknown)"
    phased_a, phased_b = (replace(allele(HET, key=k), phased=True, haplotype=h) for k, h in (((0, 1), 0), ((1, 1), 1)))
    assert sibling(phased_a, phased_b, relative(HET, "SIB")) == "unaffected sibling SIB carries both (phase unknown)"


def test_a_relative_heterozygous_for_the_lone_copys_allele_does_not_carry_the_pair() -> None:
    """The lone copy of a homozygous member (v0) in trans with its haplotype (v1 stands for it): a mother
    heterozygous at v0 and carrying the haplotype holds v0 once, on the haplotype or alone, never both; her one call
    was counted twice ("carries both (phase unknown)") and lowered the pair to low. Homozygous at v0, she carries
    both."""
    lone = trio(HET, HET, HET, key=(0, 1), beside_haplotype=(1, 1))
    haplotype = trio(HET, REF, HET, key=(1, 1))
    evidence = "two heterozygous variants in GALNT3 (v0, v1), in trans: the other copy of the homozygous v0 lies on " \
               "the haplotype v1"
    assert compound_het(lone, haplotype) == Flag("AR_comphet", "high", evidence, "haplotype_trans")
    assert compound_het(haplotype, lone) == Flag("AR_comphet", "high", evidence.replace("(v0, v1)", "(v1, v0)"),
                                                 "haplotype_trans")
    homozygous_mother = replace(lone, mother=relative(HOM, "MUM"))
    assert compound_het(homozygous_mother, haplotype) == Flag(
        "AR_comphet", "low", evidence + "; unaffected mother carries both in trans (homozygous for one)",
        "haplotype_trans")


PHENOCOPY = "(a phenocopy, or another cause?)"


def affected_sibling(zygosity: Zygosity, good: bool = True, **call) -> Relative:
    return replace(relative(zygosity, "SIBA", AFFECTED, good), **call)


def test_an_affected_sibling_who_is_not_homozygous_lowers_ar_hom_to_medium() -> None:
    """An affected full sibling homozygous reference or heterozygous: a phenocopy, or another cause (it stayed high;
    genmod, slivar and Exomiser give nothing; found by review). Homozygous, partial (1/.: may be homozygous) or not
    called: no effect; a call below the quality gates (may miss the allele) is named but does not lower."""
    def with_sibling(sibling: Relative, *unaffected: Relative) -> Flag:
        return ar_hom(trio(HOM, HET, HET, affected_siblings=(sibling,), siblings=unaffected))

    carriers = "homozygous; both parents heterozygous carriers"
    assert with_sibling(affected_sibling(REF)) == Flag(
        "AR_hom", "medium", f"{carriers}; affected sibling SIBA is homozygous reference {PHENOCOPY}")
    assert with_sibling(affected_sibling(HET)) == Flag(
        "AR_hom", "medium", f"{carriers}; affected sibling SIBA is heterozygous {PHENOCOPY}")
    for fits in (HOM, PARTIAL, MISSING):
        assert with_sibling(affected_sibling(fits)) == Flag("AR_hom", "high", carriers)
    assert with_sibling(affected_sibling(REF, good=False)) == Flag("AR_hom", "high", (
        f"{carriers}; affected sibling SIBA is homozygous reference {PHENOCOPY} (a call below the quality gates)"))
    assert with_sibling(affected_sibling(HET), relative(HOM, "SIB")) == Flag("AR_hom", "low", (
        f"{carriers}; unaffected sibling SIB is homozygous too; affected sibling SIBA is heterozygous {PHENOCOPY}"))


def test_an_affected_sibling_without_the_allele_lowers_ad_and_de_novo_to_medium() -> None:
    """An affected full sibling homozygous reference: a phenocopy, or another cause (both stayed high; found by
    review). One who carries it (a new allele shared: named, as germline mosaicism) or is not called: no effect."""
    lacking = f"affected sibling SIBA does not carry it {PHENOCOPY}"
    new = trio(HET, REF, REF, modes=("AD",), affected_siblings=(affected_sibling(REF),))
    assert de_novo(new) == Flag(
        "de_novo", "medium", f"not found in either parent: both parents homozygous reference; {lacking}")
    assert dominant(new) == Flag("AD", "medium", (
        f"heterozygous in an autosomal dominant gene; absent from both parents (de novo); {lacking}"))
    inherited = allele(HET, father=relative(HET, status=AFFECTED), mother=relative(REF, "MUM"), modes=("AD",))
    assert dominant(replace(inherited, affected_siblings=(affected_sibling(REF),))) == Flag("AD", "medium", (
        f"heterozygous in an autosomal dominant gene; inherited from the affected father; {lacking}"))
    for fits in (HET, HOM, PARTIAL, MISSING):
        assert dominant(replace(inherited, affected_siblings=(affected_sibling(fits),))) == Flag(
            "AD", "high", "heterozygous in an autosomal dominant gene; inherited from the affected father")
        assert de_novo(replace(new, affected_siblings=(affected_sibling(fits),))).confidence == "high"
    shallow = replace(inherited, affected_siblings=(affected_sibling(REF, good=False),))
    assert dominant(shallow) == Flag("AD", "high", (
        f"heterozygous in an autosomal dominant gene; inherited from the affected father; {lacking} (a call below "
        "the quality gates)"))


def test_an_affected_brother_or_sister_without_the_allele_lowers_xl_to_medium() -> None:
    """An affected brother without the allele, or an affected sister homozygous reference: a phenocopy, or another
    cause (it stayed high; found by review). A heterozygous sister fits an XLR flag too (a manifesting carrier:
    skewed X-inactivation), as she fits an XLD one; a maternal half-sibling counts on chrX (the mother's X)."""
    son = allele(HEMI, male=True, modes=("XLR",), x_linked=True)
    evidence = "hemizygous in a male (X-linked)"

    def with_sibling(sibling: Relative, modes: tuple[str, ...] = ("XLR",)) -> Flag:
        return x_linked(replace(son, modes=modes, affected_siblings=(sibling,)))

    assert with_sibling(affected_sibling(REF, male=True)) == Flag(
        "XL", "medium", f"{evidence}; affected brother SIBA does not carry it {PHENOCOPY}")
    assert with_sibling(affected_sibling(REF)) == Flag(
        "XL", "medium", f"{evidence}; affected sister SIBA does not carry it {PHENOCOPY}")
    assert with_sibling(affected_sibling(REF), ("XLD",)) == Flag(
        "XL", "medium", f"{evidence}; affected sister SIBA does not carry it {PHENOCOPY}")
    assert with_sibling(affected_sibling(REF, half=True)) == Flag(
        "XL", "medium", f"{evidence}; affected maternal half-sister SIBA does not carry it {PHENOCOPY}")
    for fits in (affected_sibling(HEMI, male=True), affected_sibling(HET), affected_sibling(HOM),
                 affected_sibling(MISSING, male=True)):
        assert with_sibling(fits) == Flag("XL", "high", evidence)
    assert with_sibling(affected_sibling(HET), ("XLD",)) == Flag("XL", "high", evidence)
    assert with_sibling(affected_sibling(REF, good=False, male=True)) == Flag("XL", "high", (
        f"{evidence}; affected brother SIBA does not carry it {PHENOCOPY} (a call below the quality gates)"))


def test_an_affected_sibling_without_the_pair_lowers_ar_comphet_to_medium() -> None:
    """An affected full sibling without one of the alleles, or with both in cis by their own phase: a phenocopy, or
    another cause (it stayed high; found by review). Carrying both (phase unknown too: they may be in trans), or not
    called at one that they carry, or at either: no effect; a cis by their own phase against parents who show one
    allele from each is a conflict (their phase or a genotype is wrong), which does not lower."""
    a, b = trio(HET, HET, REF, key=(0, 1)), trio(HET, REF, HET, key=(1, 1))
    trans = "two heterozygous variants in GALNT3 (v0, v1), in trans: one from each parent"

    def with_sibling(at_a: Relative, at_b: Relative, first: AlleleFacts = a, second: AlleleFacts = b) -> Flag:
        return compound_het(replace(first, affected_siblings=(at_a,)), replace(second, affected_siblings=(at_b,)))

    def lowered(note: str) -> Flag:
        return Flag("AR_comphet", "medium", f"{trans}; affected sibling SIBA {note} {PHENOCOPY}", "parental_trans")

    assert with_sibling(affected_sibling(HET), affected_sibling(REF)) == lowered("does not carry v1")
    assert with_sibling(affected_sibling(REF), affected_sibling(MISSING)) == lowered("does not carry v0")
    assert with_sibling(affected_sibling(REF), affected_sibling(REF)) == lowered("carries neither")
    assert with_sibling(affected_sibling(HOM), affected_sibling(REF)) == lowered("does not carry v1")
    fitting = Flag("AR_comphet", "high", trans, "parental_trans")
    for at_a, at_b in ((HET, HET), (HOM, HET), (PARTIAL, HET), (HET, MISSING), (MISSING, MISSING)):
        assert with_sibling(affected_sibling(at_a), affected_sibling(at_b)) == fitting
    assert with_sibling(affected_sibling(HET), affected_sibling(REF, good=False)) == Flag("AR_comphet", "high", (
        f"{trans}; affected sibling SIBA does not carry v1 {PHENOCOPY} (a call below the quality gates)"),
        "parental_trans")
    cis = [affected_sibling(HET, phased=True, haplotype=0, phase_set=7.0) for _ in range(2)]
    assert with_sibling(*cis) == fitting  # the parents show one from each: the sibling's phase is in conflict
    unseen = Flag("AR_comphet", "medium", (
        "two heterozygous variants in GALNT3 (v0, v1), in trans by inference: the father carries only one (the mother "
        "is not genotyped)"), "parental_trans")
    no_mother = [replace(x, mother=relative(MISSING, "MUM")) for x in (a, b)]
    assert with_sibling(*cis, *no_mother) == replace(unseen, evidence=(
        f"{unseen.evidence}; affected sibling SIBA carries both in cis {PHENOCOPY}"))
    apart = (cis[0], replace(cis[1], haplotype=1))
    assert with_sibling(*apart, *no_mother) == unseen


def test_an_affected_siblings_call_with_another_alt_of_the_record_is_named_so() -> None:
    """A reference call at the allele that holds another ALT of the record (0/2, 2/2) is no homozygous reference
    call: the note says 'does not carry it (another ALT of the record instead)' and lowers as a reference call does.
    For AR_hom a sibling heterozygous for the allele and another ALT (1/2) is biallelic there: no effect (each
    was 'is homozygous reference' or 'is heterozygous' and lowered; found by review)."""
    other = affected_sibling(REF, with_other_alt=True)
    instead = f"does not carry it (another ALT of the record instead) {PHENOCOPY}"
    carriers = "homozygous; both parents heterozygous carriers"
    assert ar_hom(trio(HOM, HET, HET, affected_siblings=(other,))) == Flag(
        "AR_hom", "medium", f"{carriers}; affected sibling SIBA {instead}")
    assert ar_hom(trio(HOM, HET, HET, affected_siblings=(affected_sibling(HET, with_other_alt=True),))) == Flag(
        "AR_hom", "high", carriers)
    inherited = allele(HET, father=relative(HET, status=AFFECTED), mother=relative(REF, "MUM"), modes=("AD",),
                       affected_siblings=(other,))
    assert dominant(inherited) == Flag("AD", "medium", (
        f"heterozygous in an autosomal dominant gene; inherited from the affected father; affected sibling SIBA "
        f"{instead}"))
    a, b = trio(HET, HET, REF, key=(0, 1)), trio(HET, REF, HET, key=(1, 1))
    assert compound_het(replace(a, affected_siblings=(affected_sibling(HET),)),
                        replace(b, affected_siblings=(other,))) == Flag("AR_comphet", "medium", (
        "two heterozygous variants in GALNT3 (v0, v1), in trans: one from each parent; affected sibling SIBA does "
        f"not carry v1 (another ALT of the record instead) {PHENOCOPY}"), "parental_trans")
    assert compound_het(replace(a, affected_siblings=(affected_sibling(REF),)),
                        replace(b, affected_siblings=(other,))) == Flag("AR_comphet", "medium", (
        "two heterozygous variants in GALNT3 (v0, v1), in trans: one from each parent; affected sibling SIBA carries "
        f"neither (another ALT of the record instead) {PHENOCOPY}"), "parental_trans")


def test_sample_flags_number_pairs_within_the_sample_and_gene_and_keep_report_order() -> None:
    alleles = [allele(HET, key=(0, 1)), allele(HOM, key=(1, 1)), allele(HET, key=(2, 1)), allele(HET, key=(3, 1))]
    ids = PairIds()
    found = [(a.key, f.name, f.pair) for a, f in sample_flags(alleles, ids)]
    assert found == [((1, 1), "AR_hom", ""), ((0, 1), "AR_comphet", "CH1"), ((2, 1), "AR_comphet", "CH1"),
                     ((0, 1), "AR_comphet", "CH2"), ((3, 1), "AR_comphet", "CH2"), ((2, 1), "AR_comphet", "CH3"),
                     ((3, 1), "AR_comphet", "CH3")]
    many = [allele(HET, key=(i, 1)) for i in range(rules.MAX_PAIRING + 1)]
    assert sample_flags(many, PairIds()) == []


def test_candidates_list_a_pair_once_and_the_summary_keeps_each_patterns_strongest() -> None:
    gene = next(g for g in load_panel("GRCh38").genes if g.symbol == "GALNT3")
    alleles = [allele(HOM, key=(0, 1)), allele(HET, key=(1, 1)), allele(HET, key=(2, 1)), allele(HET, key=(3, 1))]
    flags = sample_flags(alleles, PairIds())
    found = candidates("S1", gene, interpretations(gene, ("AR",)), flags)
    assert [(c.flag.name, c.flag.pair, c.alleles, c.variants) for c in found] == [
        ("AR_hom", "", ((0, 1),), "v0"), ("AR_comphet", "CH1", ((1, 1), (2, 1)), "v1, v2"),
        ("AR_comphet", "CH2", ((1, 1), (3, 1)), "v1, v3"), ("AR_comphet", "CH3", ((2, 1), (3, 1)), "v2, v3")]
    tiers = {(0, 1): "2", (1, 1): "1", (2, 1): "3", (3, 1): "1"}  # a pair is as strong as its weaker allele
    consistent = "consistent with Tumoral calcinosis, hyperphosphatemic, familial, 1 [OMIM:211900] (AR)"
    assert rank(found, lambda key, symbol, confidence, sample: tiers[key]) == [
        SummaryLine("S1", "GALNT3", "biallelic (compound heterozygous, unphased)", "low", "1", "v1, v3", 2,
                    "two heterozygous variants in GALNT3 (v1, v3), phase unknown (no parental genotypes)",
                    consistent + " if the two variants are in trans"),
        SummaryLine("S1", "GALNT3", "biallelic (homozygous)", "medium", "2", "v0", 0,
                    "homozygous; no parental genotypes", consistent)]


def test_the_summary_ranks_a_lead_after_every_genotype_pattern() -> None:
    """An AR_single line (a lead, not a pattern of the gene's modes) comes after a pattern line of a weaker tier:
    a tier-2 single known allele ranked before a medium homozygous candidate of no tier."""
    gene = next(g for g in load_panel("GRCh38").genes if g.symbol == "GALNT3")
    single = (allele(HET, key=(0, 1), known=True), Flag("AR_single", "low", "one"))
    hom = (allele(HOM, key=(1, 1)), Flag("AR_hom", "medium", "two"))
    found = candidates("S1", gene, interpretations(gene, ("AR",)), [single, hom])
    tiers = {(0, 1): "2", (1, 1): "."}
    assert [(line.candidate, line.tier) for line in rank(found, lambda key, *_: tiers[key])] == [
        ("biallelic (homozygous)", "."), ("one known disease allele in a recessive gene, no second found", "2")]


def test_a_relatives_partial_call_counts_as_carrying_the_allele() -> None:
    assert ar_hom(trio(HOM, PARTIAL, HET)) == Flag("AR_hom", "medium", (
        "homozygous; father carries it (the other allele is not called); mother heterozygous carrier"))
    affected_mum = allele(HET, father=relative(REF), mother=relative(PARTIAL, "MUM", AFFECTED), modes=("AD",))
    assert dominant(affected_mum) == Flag(
        "AD", "high", "heterozygous in an autosomal dominant gene; inherited from the affected mother")
    assert de_novo(trio(HET, REF, PARTIAL)) is None
    assert x_linked(allele(HEMI, male=True, modes=("XLR",), x_linked=True, mother=relative(PARTIAL, "MUM"))) == Flag(
        "XL", "high", "hemizygous in a male (X-linked); mother carries it (the other allele is not called)")
    a, b = trio(HET, PARTIAL, REF, key=(0, 1)), trio(HET, REF, HET, key=(1, 1))
    assert parental_phase(a, b) == Phase(PhaseKind.PARENTAL_TRANS, "high", "in trans: one from each parent")
    assert SEGREGATION_WORDS[PARTIAL] == "partial"


def test_a_partial_call_of_the_sample_itself_pairs_as_heterozygous() -> None:
    alleles = [allele(PARTIAL, key=(0, 1)), allele(HET, key=(1, 1))]
    assert [(a.key, f.name, f.phase, f.pair) for a, f in sample_flags(alleles, PairIds())] == [
        ((0, 1), "AR_comphet", "unphased", "CH1"), ((1, 1), "AR_comphet", "unphased", "CH1")]
    assert dominant(allele(PARTIAL, modes=("AD",))).evidence.startswith("heterozygous in an autosomal dominant gene")
    assert x_linked(allele(PARTIAL, modes=("XLD",), x_linked=True)).evidence == (
        "heterozygous female in an X-linked dominant gene")


def test_single_known_allele_in_a_recessive_gene_is_a_low_summary_candidate_without_a_biallelic_flag() -> None:
    """AR_single: a heterozygous known disease allele (ClinVar P/LP or curated HFTC) in an AR gene, when the sample's
    flags there hold no AR_hom or AR_comphet; qualifying, within the AR frequency limit, not X-linked."""
    known = allele(HET, key=(0, 1), known=True)
    evidence = "heterozygous known disease allele (ClinVar P/LP or curated HFTC); no biallelic genotype found in GALNT3"
    assert rules.single_known([known], sample_flags([known], PairIds())) == [
        (known, Flag("AR_single", "low", evidence))]
    poor = replace(known, good=False)
    assert rules.single_known([poor], []) == [
        (poor, Flag("AR_single", "low", evidence + "; genotype below the quality gates"))]
    assert rules.single_known([allele(HET, key=(0, 1))], []) == []  # not known
    assert rules.single_known([replace(known, qualifies=False)], []) == []
    assert rules.single_known([replace(known, zygosity=HOM)], []) == []
    assert rules.single_known([replace(known, modes=("AD",))], []) == []
    assert rules.single_known([replace(known, x_linked=True, modes=("AR", "XLR"))], []) == []
    assert rules.single_known([replace(known, combined_with=(1, 1))], []) == []
    assert rules.single_known([replace(known, af=0.02)], [], {"AR_single": 0.01}) == []
    assert rules.single_known([replace(known, af=0.01)], [], {"AR_single": 0.01}) != []
    second = allele(HET, key=(1, 1))  # an unphased pair with any qualifying allele is a biallelic candidate
    assert rules.single_known([known, second], sample_flags([known, second], PairIds())) == []
    crowd = [known, *(allele(HET, key=(i, 1)) for i in range(1, rules.MAX_PAIRING + 1))]  # pairs not looked for
    assert [f.evidence for _, f in rules.single_known(crowd, sample_flags(crowd, PairIds()))] == [
        evidence + f"; compound-het pairs not looked for (more than {rules.MAX_PAIRING} heterozygous alleles)"]
    in_cis = trio(HET, HET, REF, key=(1, 1))  # both from the father: in cis, no pair
    cis_known = trio(HET, HET, REF, key=(0, 1), known=True)
    assert sample_flags([cis_known, in_cis], PairIds()) == []
    assert [f.name for _, f in rules.single_known([cis_known, in_cis], [])] == ["AR_single"]


def test_a_parent_the_ped_gives_no_sex_is_sexed_by_the_role() -> None:
    """A father of unknown sex in the PED is male, a mother female (found by review): his sex came from his calls
    alone, so a diploid chrX call made him a 'heterozygous female'. A sex the PED gives is kept; siblings are not
    sexed by a role."""
    from hftc_annot.inheritance.facts import family_of
    from hftc_annot.inheritance.pedigree import FEMALE, MALE, UNKNOWN_SEX, Individual, Pedigree

    people = {"KID": Individual("F", "KID", "DAD", "MUM", UNKNOWN_SEX, AFFECTED),
              "DAD": Individual("F", "DAD", None, None, UNKNOWN_SEX, UNAFFECTED),
              "MUM": Individual("F", "MUM", None, None, UNKNOWN_SEX, UNAFFECTED),
              "SIB": Individual("F", "SIB", "DAD", "MUM", UNKNOWN_SEX, UNAFFECTED)}
    index = {name: i for i, name in enumerate(people)}
    family = family_of(Pedigree(people), index, "KID")
    assert (family.father.sex, family.mother.sex, [s.sex for s in family.siblings]) == (MALE, FEMALE, [UNKNOWN_SEX])
    people["DAD"] = Individual("F", "DAD", None, None, MALE, UNAFFECTED)
    assert family_of(Pedigree(people), index, "KID").father.sex == MALE


def test_physical_phase_reads_pgt_only_where_it_agrees_with_gt() -> None:
    """Seven samples: PGT 1|0 at a 0/1 (read), no PID (not read), PGT 0|1 at a 1/1 (disagrees: not read), a GT phased
    by the caller in PGT's order (kept, in its PID), an uncalled GT (not read), a GT phased by the caller against
    its PGT (kept, in no phase set: PGT's order is relative to its PID's other PGTs, which this GT's order need not
    share), a GT phased by the caller with its PGT missing (kept, in no phase set). Only the calls whose phase is
    PGT's are in a PID phase set."""
    genotypes = np.array([[0, 1], [0, 1], [1, 1], [0, 1], [-1, -1], [1, 0], [0, 1]], dtype=np.int32)
    phased = np.array([False, False, False, True, False, True, True])
    pgt = np.array(["1|0", "0|1", "0|1", "0|1", "0|1", "0|1", "."])
    pid = np.array(["100_A_G", ".", "100_A_G", "200_C_T", "100_A_G", "100_A_G", "100_A_G"])
    read, now_phased, phase_set = physical_phase(genotypes, phased, pgt, pid)
    assert read.tolist() == [[1, 0], [0, 1], [1, 1], [0, 1], [-1, -1], [1, 0], [0, 1]]
    assert now_phased.tolist() == [True, False, False, True, False, True, True]
    assert np.isnan(phase_set).tolist() == [False, True, True, False, True, True, True]
    assert phase_set[0] != phase_set[3]
    assert genotypes[0].tolist() == [0, 1] and not phased[0]  # the reader's arrays are not changed
    without_pgt = physical_phase(genotypes, phased, None, pid)  # PID without PGT: nothing says whose phase is PGT's
    assert without_pgt[0] is genotypes and np.isnan(without_pgt[2]).all()
