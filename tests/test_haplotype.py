"""Several alleles on one haplotype applied together (issue 16), on the designed SYNTHETIC
transcript of test_hgvs_cases (codon 3 AAG Lys at c.7-9, codon 7 AGC Ser at c.19-21), on both strands."""

from __future__ import annotations

import pytest
from test_hgvs_cases import LENGTH, designed_contig, transcript

from hftc_annot.consequence.alleles import minimal
from hftc_annot.consequence.haplotype import combined
from hftc_annot.consequence.predict import CodingSequence
from hftc_annot.consequence.sequence import MemorySource, reverse_complement
from hftc_annot.inheritance.facts import NOT_GENOTYPED, AlleleFacts, Relative
from hftc_annot.inheritance.pedigree import UNAFFECTED
from hftc_annot.inheritance.phase import haplotype_phase
from hftc_annot.reader.genotypes import Zygosity

COMPLEMENT = str.maketrans("ACGT", "TGCA")


def _allele(strand: int, pos: int, ref: str, alt: str):
    if strand == 1:
        return minimal("chrS", pos, ref, alt)
    return minimal("chrS", LENGTH + 1 - pos, ref.translate(COMPLEMENT), alt.translate(COMPLEMENT))


@pytest.mark.parametrize("strand", [1, -1])
@pytest.mark.parametrize(("changes", "expected"), [
    ([(137, "A", "C", "c.7A>C"), (139, "G", "T", "c.9G>T")],
     (("missense_variant",), "NM_SYN.1:c.[7A>C;9G>T]", "NP_SYN.1:p.(Lys3His)")),
    ([(149, "A", "T", "c.19A>T"), (151, "C", "A", "c.21C>A")],
     (("stop_gained",), "NM_SYN.1:c.[19A>T;21C>A]", "NP_SYN.1:p.(Ser7Ter)")),
    ([(137, "A", "C", "c.7A>C"), (138, "A", "T", "c.8A>T"), (139, "G", "C", "c.9G>C")],  # AAG -> CTC
     (("missense_variant",), "NM_SYN.1:c.[7A>C;8A>T;9G>C]", "NP_SYN.1:p.(Lys3Leu)")),
])
def test_two_changes_in_one_codon_make_one_amino_acid_change(strand, changes, expected) -> None:
    contig = designed_contig() if strand == 1 else reverse_complement(designed_contig())
    t = transcript(strand)
    coding = CodingSequence(t, MemorySource({"chrS": contig}))
    alleles = [_allele(strand, pos, ref, alt) for pos, ref, alt, _ in changes]
    result = combined(t, coding, alleles, [f"NM_SYN.1:{c}" for *_, c in changes])
    assert (result.terms, result.hgvs_c, result.hgvs_p) == expected


def _facts(zygosity, key, *, phased=False, haplotype=-1, phase_set=None, with_other_alt=False, parents=None,
           male_x=False, good_parents=(True, True)):
    father, mother = (NOT_GENOTYPED, NOT_GENOTYPED) if parents is None else (
        Relative("DAD", UNAFFECTED, parents[0], good_parents[0]), Relative("MUM", UNAFFECTED, parents[1],
                                                                           good_parents[1]))
    return AlleleFacts(key=key, label="", gene="GALNT3", zygosity=zygosity, good=True, father=father,
                       mother=mother, siblings=(), male=male_x, modes=("AR",), x_linked=male_x, phased=phased,
                       haplotype=haplotype, phase_set=phase_set, with_other_alt=with_other_alt)


def test_which_alleles_of_one_person_combine() -> None:
    """Hand cases of the issue: phased in one phase set (cis), phased apart (not combined) or in different phase
    sets ('unknown': nothing phases them), unphased (a possibility), homozygous, a 1|2 partner; and a trio's
    transmission, also against the sample's own phase."""
    het, hom, hemi, ref, missing = Zygosity.HET, Zygosity.HOM_ALT, Zygosity.HEMI, Zygosity.REF, Zygosity.MISSING
    cases = [
        (_facts(het, (0, 1), phased=True, haplotype=1, phase_set=100.0),
         _facts(het, (1, 1), phased=True, haplotype=1, phase_set=100.0), "cis"),
        (_facts(het, (0, 1), phased=True, haplotype=1, phase_set=100.0),
         _facts(het, (1, 1), phased=True, haplotype=0, phase_set=100.0), None),
        (_facts(het, (0, 1), phased=True, haplotype=1, phase_set=100.0),
         _facts(het, (1, 1), phased=True, haplotype=1, phase_set=200.0), "unknown"),
        (_facts(het, (0, 1), phased=True, haplotype=1), _facts(het, (1, 1), phased=True, haplotype=1), "cis"),
        (_facts(het, (0, 1)), _facts(het, (1, 1)), "unknown"),
        (_facts(hom, (0, 1)), _facts(hom, (1, 1)), "cis (homozygous)"),
        (_facts(hom, (0, 1)), _facts(het, (1, 1)), "cis"),
        (_facts(hemi, (0, 1)), _facts(hemi, (1, 1)), "cis"),
        (_facts(het, (0, 1), with_other_alt=True), _facts(het, (0, 2), with_other_alt=True), None),
        # a trio: both from the mother (cis), one from each parent (trans), both in the mother and one in the father
        (_facts(het, (0, 1), parents=(ref, het)), _facts(het, (1, 1), parents=(ref, het)), "cis"),
        (_facts(het, (0, 1), parents=(het, ref)), _facts(het, (1, 1), parents=(ref, het)), None),
        (_facts(het, (0, 1), parents=(het, het)), _facts(het, (1, 1), parents=(ref, het)), "unknown"),
        # phased in cis, one from each parent by good calls: the phase is unknown, the conflict named; a missing
        # parental call or one below the quality gates leaves it cis, and calls phased apart stay apart
        (_facts(het, (0, 1), phased=True, haplotype=1, phase_set=100.0, parents=(het, ref)),
         _facts(het, (1, 1), phased=True, haplotype=1, phase_set=100.0, parents=(ref, het)),
         "unknown (in cis on the phased haplotypes but one from each parent)"),
        (_facts(het, (0, 1), phased=True, haplotype=1, phase_set=100.0, parents=(het, ref)),
         _facts(het, (1, 1), phased=True, haplotype=1, phase_set=100.0, parents=(missing, het)), "cis"),
        (_facts(het, (0, 1), phased=True, haplotype=1, phase_set=100.0, parents=(het, ref)),
         _facts(het, (1, 1), phased=True, haplotype=1, phase_set=100.0, parents=(ref, het),
                good_parents=(False, True)), "cis"),
        (_facts(het, (0, 1), phased=True, haplotype=1, phase_set=100.0, parents=(ref, het)),
         _facts(het, (1, 1), phased=True, haplotype=1, phase_set=100.0, parents=(ref, het)), "cis"),
        (_facts(het, (0, 1), phased=True, haplotype=1, phase_set=100.0, parents=(ref, het)),
         _facts(het, (1, 1), phased=True, haplotype=0, phase_set=100.0, parents=(ref, het)), None),
        # a male's X outside the PARs, called diploid: one chromosome all the same
        (_facts(hom, (0, 1), male_x=True), _facts(hom, (1, 1), male_x=True), "cis"),
        (_facts(het, (0, 1), male_x=True), _facts(het, (1, 1), male_x=True), "cis"),
    ]
    assert [haplotype_phase(a, b) for a, b, _ in cases] == [expected for *_, expected in cases]
