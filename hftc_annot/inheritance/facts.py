"""The genotype facts the inheritance rules read: one sample at one allele, with its parents and siblings."""

from __future__ import annotations

from dataclasses import dataclass

from hftc_annot.inheritance.pedigree import UNKNOWN_STATUS
from hftc_annot.reader.genotypes import Zygosity


@dataclass(frozen=True, slots=True)
class Relative:
    """A relative's call at one allele; status is the PED's (pedigree.AFFECTED, UNAFFECTED or UNKNOWN_STATUS)
    and good says whether the call passes the quality gates. A partial call (1/.) carries the ALT."""

    name: str
    status: int
    zygosity: Zygosity
    good: bool


NOT_GENOTYPED = Relative("", UNKNOWN_STATUS, Zygosity.MISSING, False)
"""A parent the PED does not name, or who is not in the VCF."""


@dataclass(frozen=True, slots=True)
class AlleleFacts:
    """What the rules know about one sample at one qualifying ALT allele it carries.

    key: (record index, ALT number); label: the allele's HGVS c., else CHROM:POS REF>ALT; good: the sample's call
    passes the quality gates; siblings: the unaffected ones in the VCF; male: from the PED, else from a haploid
    call in the gene; modes: the gene's modes of inheritance; x_linked: on chrX outside the pseudo-autosomal
    regions. Read-backed phase: phased (GT uses |), haplotype (the GT slot holding this ALT, -1 unless the call
    holds one copy), phase_set (FORMAT/PS: None when the record has none, NaN when the sample's is missing);
    with_other_alt: the call holds another ALT of the same record (1/2).
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


SEGREGATION_WORDS = {Zygosity.MISSING: "missing", Zygosity.REF: "ref", Zygosity.HET: "het", Zygosity.HOM_ALT: "hom",
                     Zygosity.HEMI: "hemi", Zygosity.PARTIAL: "partial"}
"""The family members' calls in the segregation text (partial: the ALT and a missing allele, as in the report)."""


def segregation_text(members: list[tuple[str, Zygosity]]) -> str:
    """'label: call' of each genotyped family member, e.g. 'KID (affected): het; DAD (unaffected): ref'."""
    return "; ".join(f"{label}: {SEGREGATION_WORDS[zygosity]}" for label, zygosity in members)
