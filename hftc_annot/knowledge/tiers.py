"""Evidence tiers (not an ACMG classification): an ordered rule table (tiers.tsv) applied to each report row; the
consequence groups it asks about (null, missense, coding or splice) are the tier_group column of so_terms.tsv,
'unknown' is a CDS change whose protein effect is unknown. A genotype pattern "fits" the gene's inheritance when
the sample has an inheritance flag of at least FITTING confidence there that is not a pair of unknown phase: a
low-confidence flag (an unaffected relative carries the genotype, a call below the quality gates) does not, nor does
an unphased compound-het pair."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hftc_annot.consequence.terms import term
from hftc_annot.inheritance.flags import CONFIDENCE, Flag
from hftc_annot.knowledge import Knowledge, pathogenic
from hftc_annot.model import AlleleFinding, PanelRecord
from hftc_annot.resources import package_table

RARE = 0.01
"""Population frequency at or below which an allele counts as rare (an unknown frequency counts as rare)."""
FITTING = "medium"
"""The lowest flag confidence with which a genotype pattern fits the gene's inheritance (the `fits` of tiers.tsv)."""


@dataclass(frozen=True)
class Rule:
    tier: str
    clinvar: str
    consequence: str
    gene_group: str
    rare: str
    pattern: str
    reason: str


@cache
def rules() -> tuple[Rule, ...]:
    return tuple(Rule(**row) for row in package_table("hftc_annot.knowledge", "tiers.tsv"))


@dataclass(frozen=True)
class Facts:
    """What the rules look at for one row."""

    terms: tuple[str, ...]
    clinvar_significance: str
    clinvar_stars: str
    core_gene: bool
    population_af: float | None
    fits_pattern: bool
    protein_unknown: bool = False


def fits(flag: Flag) -> bool:
    """Whether a flag makes the genotype pattern fit the gene's inheritance: of FITTING confidence or better, and
    not a compound-het pair of unknown phase (even a medium one, with a variant in neither parent: trans is only a
    possibility)."""
    return flag.phase != "unphased" and CONFIDENCE.index(flag.confidence) <= CONFIDENCE.index(FITTING)


def fitting(flags: list[Flag]) -> bool:
    """Whether any of a sample's flags at an allele makes its pattern fit: the key of its tier."""
    return any(fits(f) for f in flags)


def row_tier(finding: AlleleFinding, sample: int) -> tuple[str, str]:
    """The tier and reason of `sample`'s report row at a finding (-1: a sites-only row): those of the combined change
    where the allele is on a haplotype in cis, else the allele's, as the sample's flags there fit or not."""
    return finding.haplotype_tiers.get(sample, finding.tiers)[fitting(finding.flags.get(sample, []))]


def allele_tiers(terms: tuple[str, ...], known, core_gene: bool, rare_limit: float = RARE,
                 protein_unknown: bool = False) -> dict[bool, tuple[str, str]]:
    """(tier, reason) of one allele in one gene for a sample whose pattern does not fit (False) and fits (True)
    the gene's inheritance (see `fitting`); `known` is the allele's Knowledge."""
    try:
        af = float(known.population_af) if known.population_af else None
    except ValueError:
        af = None
    plp, rare = _plp(known.clinvar_significance, known.clinvar_stars), af is None or af <= rare_limit
    return {fit: _first_rule(tuple(terms), plp, core_gene, rare, fit, protein_unknown) for fit in (False, True)}


def tier(facts: Facts, rare_limit: float = RARE) -> tuple[str, str]:
    """The first matching rule's tier, and its reason ('.' and '' when none applies)."""
    plp = _plp(facts.clinvar_significance, facts.clinvar_stars)
    rare = facts.population_af is None or facts.population_af <= rare_limit
    return _first_rule(tuple(facts.terms), plp, facts.core_gene, rare, facts.fits_pattern, facts.protein_unknown)


def _plp(significance: str, stars: str) -> bool:
    """Pathogenic or likely pathogenic in ClinVar with at least two review stars."""
    return pathogenic(significance) and stars not in ("", "0", "1")


@cache
def _first_rule(terms: tuple[str, ...], plp: bool, core_gene: bool, rare: bool, fits_pattern: bool,
                protein_unknown: bool) -> tuple[str, str]:
    """`tier` once the facts are reduced to what the rules ask (a run has few distinct answers)."""
    groups = {term(name).tier_group for name in terms}
    kinds = {"any": True, "null": "null" in groups, "missense": "missense" in groups, "unknown": protein_unknown,
             "coding_or_splice": bool(groups & {"null", "missense", "coding_or_splice"})}
    for rule in rules():
        if ((rule.clinvar == "any" or plp) and kinds[rule.consequence]
                and (rule.gene_group == "any" or (rule.gene_group == "core") == core_gene)
                and (rule.rare == "any" or rare) and (rule.pattern == "any" or fits_pattern)):
            return rule.tier, rule.reason
    return ".", ""


class TierStage:
    """Gives each finding its evidence tier and reason for a sample whose pattern there fits and does not fit; for a
    sample whose allele lies only on a haplotype in cis, the tiers of the combined change."""

    def __init__(self, rare_limit: float = RARE) -> None:
        self._rare = rare_limit

    def annotate(self, item: PanelRecord) -> None:
        for finding in item.findings:
            effect = finding.effect
            consequence = effect.consequence if effect else None
            core = finding.gene is not None and finding.gene.group == "core HFTC"
            finding.tiers = allele_tiers(consequence.terms if consequence else (), finding.knowledge or Knowledge(),
                                         core, self._rare, bool(consequence and consequence.protein_unknown))
            finding.haplotype_tiers = {
                sample: allele_tiers(h.consequence.terms, finding.knowledge or Knowledge(), core, self._rare)
                for sample, h in finding.haplotypes.items() if h.certain and h.whole}
