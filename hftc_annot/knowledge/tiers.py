"""Evidence tiers (not an ACMG classification): an ordered rule table (tiers.tsv) applied to each report row; the
consequence groups it asks about (null, missense, coding or splice) are the tier_group column of so_terms.tsv."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hftc_annot.consequence.terms import term
from hftc_annot.knowledge import Knowledge
from hftc_annot.model import PanelRecord
from hftc_annot.resources import package_table

PATHOGENIC = ("Pathogenic", "Likely pathogenic", "Pathogenic/Likely pathogenic", "Likely_pathogenic",
              "Pathogenic/Likely_pathogenic")
RARE = 0.01
"""Population frequency at or below which an allele counts as rare (an unknown frequency counts as rare)."""


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


def allele_tiers(terms: tuple[str, ...], known, core_gene: bool,
                 rare_limit: float = RARE) -> dict[bool, tuple[str, str]]:
    """(tier, reason) of one allele in one gene, for a sample without (False) and with (True) an inheritance
    flag there; `known` is the allele's Knowledge."""
    try:
        af = float(known.population_af) if known.population_af else None
    except ValueError:
        af = None
    return {flagged: tier(Facts(terms, known.clinvar_significance, known.clinvar_stars, core_gene, af, flagged),
                          rare_limit) for flagged in (False, True)}


def tier(facts: Facts, rare_limit: float = RARE) -> tuple[str, str]:
    """The first matching rule's tier, and its reason ('.' and '' when none applies)."""
    plp = facts.clinvar_significance in PATHOGENIC and facts.clinvar_stars not in ("", "0", "1")
    groups = {term(name).tier_group for name in facts.terms}
    kinds = {"any": True, "null": "null" in groups, "missense": "missense" in groups,
             "coding_or_splice": bool(groups & {"null", "missense", "coding_or_splice"})}
    rare = facts.population_af is None or facts.population_af <= rare_limit
    for rule in rules():
        if ((rule.clinvar == "any" or plp) and kinds[rule.consequence]
                and (rule.gene_group == "any" or (rule.gene_group == "core") == facts.core_gene)
                and (rule.rare == "any" or rare) and (rule.pattern == "any" or facts.fits_pattern)):
            return rule.tier, rule.reason
    return ".", ""


class TierStage:
    """Gives each finding its evidence tier and reason, for a sample without and with an inheritance flag."""

    def __init__(self, rare_limit: float = RARE) -> None:
        self._rare = rare_limit

    def annotate(self, item: PanelRecord) -> None:
        for finding in item.findings:
            effect = finding.effect
            terms = effect.consequence.terms if effect and effect.consequence else ()
            core = finding.gene is not None and finding.gene.group == "core HFTC"
            finding.tiers = allele_tiers(terms, finding.knowledge or Knowledge(), core, self._rare)
