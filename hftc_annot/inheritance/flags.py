"""What an inheritance finding is: the modes of inheritance, the table of flag kinds, confidence, and Flag."""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("AR", "AD", "XLD", "XLR")
CONFIDENCE = ("high", "medium", "low")


def worse(confidence: str, floor: str) -> str:
    """The lower of two confidences."""
    return CONFIDENCE[max(CONFIDENCE.index(confidence), CONFIDENCE.index(floor))]


@dataclass(frozen=True)
class FlagKind:
    """A kind of flag: the modes of inheritance a finding of this kind fits, its words in the summary
    (`{phase}` stands for a pair's phase evidence, `{zygosity}` for the call of an AD flag's sample), what it
    says of the gene's disorders of those modes (`{disorders}`), and whether it is a genotype pattern of those modes
    (else a lead, which the summary ranks after every pattern)."""

    name: str
    modes: tuple[str, ...]
    candidate: str
    reading: str = "consistent with {disorders}"
    pattern: bool = True


FLAG_KINDS = (
    FlagKind("AR_hom", ("AR",), "biallelic (homozygous)"),
    FlagKind("AR_comphet", ("AR",), "biallelic (compound heterozygous, {phase})"),
    FlagKind("AD", ("AD",), "{zygosity} in an autosomal dominant gene"),
    FlagKind("XL", ("XLD", "XLR"), "X-linked"),
    FlagKind("de_novo", ("AD", "XLD", "XLR"), "de novo"),
    FlagKind("AR_single", ("AR",), "one known disease allele in a recessive gene, no second found",
             "{disorders}: needs a second allele; look for one this VCF may miss (a deletion, a deep-intronic "
             "variant); without one, a carrier", pattern=False),
)
"""AR_single is a candidate of the summary only (rules.single_known), never a flag of a report row: one allele does
not fit a recessive gene's inheritance."""
KINDS = {kind.name: kind for kind in FLAG_KINDS}


@dataclass(frozen=True)
class Flag:
    """One inheritance finding for one sample at one allele. name is a FlagKind's; phase is the pair's phase kind
    (e.g. "parental_trans") and pair its id ("CH1"), both "" when the flag is not a compound-het pair."""

    name: str
    confidence: str
    evidence: str
    phase: str = ""
    pair: str = ""


PHASE_ORDER = ("", "multiallelic_trans", "phased_trans", "haplotype_trans", "deletion_trans", "parental_trans",
               "unphased")
"""Phase evidence from strongest to weakest ('' for a flag that is not a pair: it needs none)."""


def strength(flag: Flag) -> tuple[int, bool, int]:
    """A flag's sort key, strongest first: confidence, then whether trans is established (an unphased pair is
    only a possibility), then the kind of phase evidence."""
    return CONFIDENCE.index(flag.confidence), flag.phase == "unphased", PHASE_ORDER.index(flag.phase)
