"""The genotype facts the inheritance rules read (one sample at one allele, with its parents and siblings), read out
of the per-sample arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hftc_annot.inheritance.calls import Extent, Occurrence
from hftc_annot.inheritance.pedigree import (
    AFFECTED,
    FEMALE,
    MALE,
    UNAFFECTED,
    UNKNOWN_STATUS,
    Individual,
    Pedigree,
)
from hftc_annot.reader.genotypes import ZYGOSITY_BY_CODE, Zygosity


@dataclass(frozen=True, slots=True)
class Relative:
    """A relative's call at one allele; status is the PED's (pedigree.AFFECTED, UNAFFECTED or UNKNOWN_STATUS),
    good says whether the call passes the quality gates, male comes from the PED, else from a haploid call. A
    partial call (1/.) carries the ALT. phased, haplotype, phase_set, with_other_alt: the relative's own phase, as
    in AlleleFacts. alt_reads: reads of the ALT behind a call without it (calls.Occurrence)."""

    name: str
    status: int
    zygosity: Zygosity
    good: bool
    male: bool = False
    phased: bool = False
    haplotype: int = -1
    phase_set: float | None = None
    with_other_alt: bool = False
    alt_reads: int = 0
    half: bool = False
    """A maternal half-sibling (counted on chrX outside the PARs only: the mother's X is all they share)."""


ONE_COPY = (Zygosity.HET, Zygosity.PARTIAL)
"""Diploid calls with one copy of the ALT seen: the heterozygous alleles that can pair (a partial call, 1/., too)."""

NOT_GENOTYPED = Relative("", UNKNOWN_STATUS, Zygosity.MISSING, False)
"""A parent the PED does not name, or who is not in the VCF."""


@dataclass(frozen=True, slots=True)
class AlleleFacts:
    """What the rules know about one sample at one ALT allele it carries (only a qualifying one earns flags).

    key: (record index, ALT number); label: the allele's HGVS c., else CHROM:POS REF>ALT; good: the sample's call
    passes the quality gates; siblings: the unaffected ones in the VCF; male: from the PED, else from a haploid
    call in the gene; modes: the gene's modes of inheritance; x_linked: on chrX outside the pseudo-autosomal
    regions. Read-backed phase: phased (GT uses |), haplotype (the GT slot holding this ALT, -1 unless the call
    holds one copy), phase_set (FORMAT/PS: None when the record has none, NaN when the sample's is missing);
    with_other_alt: the call holds another ALT of the same record (1/2). qualifies and af: see calls.Occurrence;
    dominant_caveat: why the gene's dominant disorders need particular variants ('' when they do not).
    extent: the bases the allele changes. Beside the sample's heterozygous deletions (rules.beside_deletions):
    inside_deletion, the key of the one that holds this allele (None when none does); hemizygous, the allele looks
    homozygous there, so it is one copy (zygosity is then HET) facing the deletion; same_event, the key of a
    deletion that is this one called twice (a small deletion, or an SV from a second caller). combined_with: the
    key of the allele that stands for the haplotype this one is combined into, in cis (haplotypes.py); it then
    earns no flags of its own, and its row shows that allele's. beside_haplotype: for a homozygous allele one copy
    of which lies on a heterozygous haplotype, the key of the allele that stands for it: this allele is then the
    lone other copy (zygosity HET), in trans with the haplotype.
    """

    key: tuple[int, int]
    label: str
    gene: str
    zygosity: Zygosity
    good: bool
    father: Relative
    mother: Relative
    siblings: tuple[Relative, ...]
    male: bool
    modes: tuple[str, ...]
    x_linked: bool
    phased: bool = False
    haplotype: int = -1
    phase_set: float | None = None
    with_other_alt: bool = False
    qualifies: bool = True
    af: float | None = None
    dominant_caveat: str = ""
    extent: Extent | None = None
    inside_deletion: tuple[int, int] | None = None
    hemizygous: bool = False
    same_event: tuple[int, int] | None = None
    combined_with: tuple[int, int] | None = None
    beside_haplotype: tuple[int, int] | None = None
    known: bool = False
    """A known disease allele (qualifying.known_disease_allele)."""
    protein_unknown: bool = False
    """Its protein effect was not computed (no reference sequence, or REF differs from it)."""
    affected_siblings: tuple[Relative, ...] = ()
    """The affected full siblings in the VCF (on chrX outside the PARs the maternal half-siblings too), with their
    calls at this allele."""
    sex_given: bool = True
    """The PED gives the sample's sex, or a parent's role does (else `male` comes from a haploid call: a male whose
    chrX calls are diploid passes for a female)."""

    @property
    def shared_by(self) -> tuple[Relative, ...]:
        """The affected siblings who carry this allele too."""
        return tuple(s for s in self.affected_siblings if s.zygosity.carries)


SEGREGATION_WORDS = {Zygosity.MISSING: "missing", Zygosity.REF: "ref", Zygosity.HET: "het", Zygosity.HOM_ALT: "hom",
                     Zygosity.HEMI: "hemi", Zygosity.PARTIAL: "partial"}
"""The family members' calls in the segregation text (partial: the ALT and a missing allele, as in the report)."""


def segregation_text(members: list[tuple[str, Zygosity]]) -> str:
    """'label: call' of each genotyped family member, e.g. 'KID (affected): het; DAD (unaffected): ref'."""
    return "; ".join(f"{label}: {SEGREGATION_WORDS[zygosity]}" for label, zygosity in members)


@dataclass(frozen=True)
class Kin:
    """A relative in the VCF: sample name and index, PED status and sex."""

    name: str
    index: int
    status: int
    sex: int
    half: bool = False
    """A maternal half-sibling."""

    def at(self, o: Occurrence, haploid: np.ndarray) -> Relative:
        """This relative's call at an allele (`haploid`: per sample, whether any call in the gene is haploid)."""
        i = self.index
        return Relative(self.name, self.status, ZYGOSITY_BY_CODE[o.zygosity[i]], bool(o.good[i]),
                        is_male(self.sex, bool(haploid[i])),
                        bool(o.phased[i]), int(o.slot[i]), None if o.phase_set is None else float(o.phase_set[i]),
                        bool(o.multiallelic_partner[i]), int(o.alt_reads[i]), self.half)


@dataclass(frozen=True)
class Family:
    """A sample's PED entry and its relatives in the VCF (siblings: the unaffected full ones; affected_siblings: the
    affected; half_siblings and affected_half_siblings: the maternal half-siblings, who count on chrX outside the
    PARs); `members` labels the genotyped members of its family for the segregation text (empty unless there are at
    least two)."""

    person: Individual
    father: Kin | None
    mother: Kin | None
    siblings: tuple[Kin, ...]
    members: tuple[tuple[str, int], ...]
    affected_siblings: tuple[Kin, ...] = ()
    half_siblings: tuple[Kin, ...] = ()
    affected_half_siblings: tuple[Kin, ...] = ()


def family_of(pedigree: Pedigree, index: dict[str, int], sample: str) -> Family:
    """A sample's relatives as sample indices (`index`: the VCF's samples). A father the PED gives no sex is male, a
    mother female, as a relative and in their own flags (Pedigree.sex): their calls would otherwise sex them (a
    father's diploid chrX call passed for a female's). The segregation members are the PED family's, and the
    sample's parents where they have no PED line of their own."""
    person = pedigree.with_sex(sample)

    def kin(name: str | None, half: bool = False) -> Kin | None:
        if name not in index:
            return None
        return Kin(name, index[name], pedigree.get(name).status, pedigree.sex(name), half)

    def of(relatives: list[Individual], status: int, half: bool = False) -> tuple[Kin, ...]:
        return tuple(kin(x.id, half) for x in relatives if x.id in index and x.status == status)

    full, half = pedigree.siblings(sample), pedigree.maternal_half_siblings(sample)
    status = {AFFECTED: "affected", UNAFFECTED: "unaffected"}
    listed = [p.id for p in pedigree.family_of(sample)]
    listed += [name for name in (person.father, person.mother) if name and name not in listed]  # no PED line
    members = tuple((f"{name} ({status.get(pedigree.get(name).status, 'unknown')})", index[name])
                    for name in listed if name in index)
    return Family(person, kin(person.father), kin(person.mother), of(full, UNAFFECTED),
                  members if len(members) >= 2 else (), of(full, AFFECTED), of(half, UNAFFECTED, True),
                  of(half, AFFECTED, True))


def is_male(sex: int, haploid: bool) -> bool:
    """Sex from the PED, else from a haploid call in the gene."""
    return sex == MALE if sex in (MALE, FEMALE) else haploid


def allele_facts(o: Occurrence, s: int, family: Family, gene: str, modes: tuple[str, ...], haploid: np.ndarray,
                 x_linked: bool, dominant_caveat: str = "") -> AlleleFacts:
    """Sample s's facts at an allele it carries (`family`: its relatives; `haploid`: per sample, whether any call in
    the gene is haploid, for the sex of those the PED does not give; `modes`, `x_linked`, `dominant_caveat`: see
    AlleleFacts)."""
    return AlleleFacts(
        o.key, o.label, gene, ZYGOSITY_BY_CODE[o.zygosity[s]], bool(o.good[s]),
        family.father.at(o, haploid) if family.father else NOT_GENOTYPED,
        family.mother.at(o, haploid) if family.mother else NOT_GENOTYPED,
        tuple(sibling.at(o, haploid) for sibling in _siblings(family, x_linked)),
        is_male(family.person.sex, bool(haploid[s])), modes, x_linked, bool(o.phased[s]), int(o.slot[s]),
        None if o.phase_set is None else float(o.phase_set[s]), bool(o.multiallelic_partner[s]), o.qualifies, o.af,
        dominant_caveat, o.extent, known=o.known, protein_unknown=o.protein_unknown,
        sex_given=family.person.sex in (MALE, FEMALE),
        affected_siblings=tuple(k.at(o, haploid) for k in _siblings(family, x_linked, affected=True)))


def _siblings(family: Family, x_linked: bool, affected: bool = False) -> tuple[Kin, ...]:
    """The unaffected (or affected) siblings whose calls the rules read: the full ones, and on chrX outside the PARs
    the maternal half-siblings too."""
    full, half = (family.affected_siblings, family.affected_half_siblings) if affected else \
        (family.siblings, family.half_siblings)
    return full + half if x_linked else full

