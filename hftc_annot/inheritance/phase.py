"""Phase evidence for two heterozygous alleles of one sample: one multi-allelic call, phased reads, the parents."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Protocol

from hftc_annot.inheritance.facts import AlleleFacts
from hftc_annot.reader.genotypes import Zygosity

PARENTS = ("father", "mother")


class PhaseKind(Enum):
    """Where the phase comes from and what it says; the value is the report's phase_evidence word."""

    MULTIALLELIC_TRANS = "multiallelic_trans"
    PHASED_TRANS = "phased_trans"
    PHASED_CIS = "phased_cis"
    PARENTAL_TRANS = "parental_trans"
    PARENTAL_CIS = "parental_cis"
    DELETION_TRANS = "deletion_trans"
    HAPLOTYPE_TRANS = "haplotype_trans"
    UNPHASED = "unphased"

    @property
    def cis(self) -> bool:
        return self in (PhaseKind.PHASED_CIS, PhaseKind.PARENTAL_CIS)


@dataclass(frozen=True)
class Phase:
    """Phase evidence for a pair: its kind, the confidence it gives the pair, and the reason in words."""

    kind: PhaseKind
    confidence: str
    reason: str


PARENTAL_TRANS = Phase(PhaseKind.PARENTAL_TRANS, "high", "in trans: one from each parent")
"""Trans by the parents, in good calls of both at both alleles."""
PHASED_CIS_PARENTAL_TRANS = "in cis on the phased haplotypes but one from each parent"
"""The sample's own phase and good, complete parental calls disagree: one of the two is wrong, the phase unknown."""
UNKNOWN_BY_PARENTS = f"unknown ({PHASED_CIS_PARENTAL_TRANS})"
"""The haplotype phase of alleles in that conflict: a possibility, as 'unknown' is, with the reason."""
READ_BACKED = {PhaseKind.MULTIALLELIC_TRANS: "in trans: one multi-allelic genotype carries both",
               PhaseKind.PHASED_TRANS: "in trans on the phased haplotypes",
               PhaseKind.PHASED_CIS: "in cis on the phased haplotypes"}


class Calls(Protocol):
    """One person's calls at an allele, as far as their own phase goes (AlleleFacts, or a relative's call)."""

    phased: bool
    haplotype: int
    phase_set: float | None
    with_other_alt: bool


def phase(a: AlleleFacts, b: AlleleFacts) -> Phase:
    """The strongest evidence, in this order: one allele inside the other, a deletion (deletion_phase); the lone
    copy of a homozygous allele facing the haplotype its other copy lies on (trans, high); one multi-allelic
    genotype holding both ALTs (trans, high); read-backed or statistical phasing, both phased in the same phase set
    (trans high, or cis); else the parents. A phased cis pair that good, complete parental calls show one from each
    parent is unphased (low), the conflict named: one of the two is wrong, and the pair is not dropped."""
    inside = a if a.inside_deletion == b.key else b if b.inside_deletion == a.key else None
    if inside is not None:
        return deletion_phase(inside, b if inside is a else a)
    if a.beside_haplotype is not None and a.beside_haplotype == b.beside_haplotype:
        return Phase(PhaseKind.PHASED_CIS, "high", "in cis: the other copies of two homozygous alleles")
    lone = a if a.beside_haplotype == b.key else b if b.beside_haplotype == a.key else None
    if lone is not None:
        return Phase(PhaseKind.HAPLOTYPE_TRANS, "high", f"in trans: the other copy of the homozygous {lone.label} "
                     f"lies on the haplotype {(b if lone is a else a).label}")
    kind = own_phase(a, b, a.key[0] == b.key[0])
    if kind is PhaseKind.PHASED_CIS and parents_show_trans(a, b):
        return Phase(PhaseKind.UNPHASED, "low", f"phase unknown: {PHASED_CIS_PARENTAL_TRANS} (a phasing or genotype "
                                                "error?)")
    if kind:
        return Phase(kind, "high", READ_BACKED[kind])
    return parental_phase(a, b)


def deletion_phase(inside: AlleleFacts, deletion: AlleleFacts) -> Phase:
    """An allele inside the sample's heterozygous deletion is in trans with it (a deleted chromosome cannot carry
    it): high when it looks homozygous (hemizygous); medium when its call is heterozygous, which one copy left does
    not explain, unless the parents show trans. A parent who carries the deletion and not the allele is named: in
    a trio that is what an apparent non-paternity or non-maternity at the allele means."""
    if not inside.hemizygous:
        parental = parental_phase(inside, deletion)
        if parental.kind is PhaseKind.PARENTAL_TRANS and parental.confidence == "high":
            return parental
        return Phase(PhaseKind.DELETION_TRANS, "medium", f"in trans: {inside.label} lies inside the deletion, which a "
                     "deleted chromosome cannot carry (its heterozygous call is unexpected with one copy left: check "
                     "both calls)")
    origin = [role for role in PARENTS if getattr(deletion, role).zygosity.carries
              and getattr(inside, role).zygosity.carries is False]
    named = "".join(f"; the {role} passed on the deletion, not {inside.label} (not a sign of non-"
                    f"{'paternity' if role == 'father' else 'maternity'})" for role in origin)
    return Phase(PhaseKind.DELETION_TRANS, "high", f"in trans: {inside.label} lies inside the deletion and looks "
                 f"homozygous because the other copy is deleted (hemizygous, not homozygous){named}")


def own_phase(a: Calls, b: Calls, same_record: bool) -> PhaseKind | None:
    """What one person's own calls at two alleles say: a multi-allelic genotype holding both (trans), both phased in
    one phase set (trans or cis); None when they say nothing."""
    if same_record and a.with_other_alt:
        return PhaseKind.MULTIALLELIC_TRANS
    if a.phased and b.phased and a.haplotype >= 0 and b.haplotype >= 0 and _same_block(a.phase_set, b.phase_set):
        return PhaseKind.PHASED_TRANS if a.haplotype != b.haplotype else PhaseKind.PHASED_CIS
    return None


def haplotype_phase(a: AlleleFacts, b: AlleleFacts) -> str | None:
    """Whether one person's two alleles lie on one haplotype, so that their changes combine (issue 16): 'cis
    (homozygous)' when both are homozygous, 'cis' when one is homozygous (it is on both haplotypes), both are
    haploid or on a male's X, both are phased on one haplotype of one phase set, or both came from one parent;
    'unknown' for heterozygous calls that nothing phases (a possibility, "if in cis"), and UNKNOWN_BY_PARENTS for
    calls phased on one haplotype that good, complete parental calls show one from each parent (as `phase` does
    for the pair); None when they are in trans (phased apart, one 1/2 genotype, or one from each parent)."""
    if a.x_linked and a.male:
        return "cis"  # one X: whatever the caller wrote
    homozygous = (a.zygosity is Zygosity.HOM_ALT, b.zygosity is Zygosity.HOM_ALT)
    if all(homozygous):
        return "cis (homozygous)"
    if any(homozygous) or (a.zygosity is Zygosity.HEMI and b.zygosity is Zygosity.HEMI):
        return "cis"
    kind = own_phase(a, b, a.key[0] == b.key[0]) or parental_phase(a, b).kind
    if kind is PhaseKind.PHASED_CIS and parents_show_trans(a, b):
        return UNKNOWN_BY_PARENTS
    if kind.cis:
        return "cis"
    return "unknown" if kind is PhaseKind.UNPHASED else None


def parents_show_trans(a: AlleleFacts, b: AlleleFacts) -> bool:
    """Do good calls of both parents at both alleles show one from each (high parental trans)? Against them a
    phased cis is no certain phase, and a full sibling who carries both has them in trans; a missing parental call,
    or one below the quality gates, shows neither."""
    return parental_phase(a, b) == PARENTAL_TRANS


def _same_block(first: float | None, second: float | None) -> bool:
    """Both calls in one phase set: both records without PS, or the same PS value (NaN, a missing PS, equals none)."""
    if first is None or second is None:
        return first is None and second is None
    return first == second


def parental_phase(a: AlleleFacts, b: AlleleFacts) -> Phase:
    """Phase from whatever genotypes the parents have (a parent may be missing at one site): one variant from each
    parent is trans (high when all four calls are known, else medium), both from one parent and neither from the
    other is cis; a variant in neither parent, or in both, leaves it unphased. Trans and cis rest on the calls of a
    parent without an allele: one of them below the quality gates lowers trans a step and leaves cis unknown."""
    in_a, in_b = _carried_by_parents(a), _carried_by_parents(b)
    known = [*in_a.values(), *in_b.values()]
    if all(c is None for c in known):
        return Phase(PhaseKind.UNPHASED, "low", "phase unknown (no parental genotypes)")
    complete = None not in known
    shaky = _shaky(a, b)
    first, second = _origin(in_a), _origin(in_b)
    if _one_from_each_parent(a, b):
        if complete:
            return _weighed(PARENTAL_TRANS, shaky)
        return _weighed(Phase(PhaseKind.PARENTAL_TRANS, "medium",
                              "in trans: one seen in each parent (a parental genotype is missing)"), shaky)
    if "both" in (first, second):
        return Phase(PhaseKind.UNPHASED, "low", "phase unknown: a variant is carried by both parents")
    if first is not None and first == second:
        other = _other(first)
        if in_a[other] is False and in_b[other] is False:
            if shaky:
                return Phase(PhaseKind.UNPHASED, "low", f"phase unknown: both seen in the {first}; {shaky}")
            return Phase(PhaseKind.PARENTAL_CIS, "high", "in cis: both from one parent")
        return Phase(PhaseKind.UNPHASED, "low", f"phase unknown: the {first} carries both (trans only if the {first} "
                                                f"is a compound heterozygote too); {_missing(other, a, b)}")
    seen = first or second
    if seen is not None:
        unseen = in_b if first == seen else in_a
        if unseen[seen] is False:
            if unseen[_other(seen)] is False:
                return Phase(PhaseKind.UNPHASED, "medium", "phase unknown: one variant is in neither parent (de novo?)")
            return _weighed(Phase(PhaseKind.PARENTAL_TRANS, "medium", f"in trans by inference: the {seen} carries "
                                                                      f"only one ({_missing(_other(seen), a, b)})"),
                            shaky)
        return Phase(PhaseKind.UNPHASED, "low", f"phase unknown: the {seen}'s genotype at the other variant is missing")
    if complete:
        return Phase(PhaseKind.UNPHASED, "medium", "phase unknown: neither variant is in the parents (de novo?)")
    return Phase(PhaseKind.UNPHASED, "low", "phase unknown: the parental genotypes are incomplete")


def _one_from_each_parent(a: AlleleFacts, b: AlleleFacts) -> bool:
    """Is each allele carried by one parent, a different one for each, the other parent not carrying it or not
    genotyped there?"""
    first, second = _origin(_carried_by_parents(a)), _origin(_carried_by_parents(b))
    return first in PARENTS and second in PARENTS and first != second


def _missing(role: str, a: AlleleFacts, b: AlleleFacts) -> str:
    """What is missing of a parent's calls at a pair: 'the mother is not genotyped' (at either allele), else 'the
    mother's genotype at c.572C>T is missing' (she is genotyped at the other)."""
    missing = [allele.label for allele in (a, b) if getattr(allele, role).zygosity is Zygosity.MISSING]
    return f"the {role} is not genotyped" if len(missing) == 2 else f"the {role}'s genotype at {missing[0]} is missing"


def _shaky(a: AlleleFacts, b: AlleleFacts) -> str:
    """Which call of a parent without an allele is below the quality gates (the allele may be missed there, and
    parental trans or cis rests on such calls), '' when none is."""
    for allele in (a, b):
        for role in PARENTS:
            call = getattr(allele, role)
            if call.zygosity.carries is False and not call.good:
                return f"the {role}'s call without {allele.label} is below the quality gates"
    return ""


def _weighed(evidence: Phase, shaky: str) -> Phase:
    """Trans evidence a step lower, saying why, when it rests on a parent's call below the quality gates."""
    if not shaky:
        return evidence
    lower = "medium" if evidence.confidence == "high" else "low"
    return replace(evidence, confidence=lower, reason=f"{evidence.reason}; {shaky}")


def _carried_by_parents(allele: AlleleFacts) -> dict[str, bool | None]:
    """Whether each parent carries the allele (None: not known)."""
    return {"father": allele.father.zygosity.carries, "mother": allele.mother.zygosity.carries}


def _origin(carried: dict[str, bool | None]) -> str | None:
    """'both', the one parent who carries the allele, or None."""
    if carried["father"] and carried["mother"]:
        return "both"
    return next((parent for parent in PARENTS if carried[parent]), None)


def _other(parent: str) -> str:
    return "mother" if parent == "father" else "father"
