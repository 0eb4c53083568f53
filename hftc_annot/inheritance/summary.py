"""The summary: candidate findings (a sample's flag in one gene, a compound-het pair counting once), their
interpretation in the panel's words, and their ranking into one line per sample, gene and pattern."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from hftc_annot.inheritance.facts import AlleleFacts
from hftc_annot.inheritance.flags import FLAG_KINDS, KINDS, Flag, strength
from hftc_annot.inheritance.rules import dominant_zygosity
from hftc_annot.panel import Gene
from hftc_annot.resources import package_table

_DISORDER = re.compile(r"^(?P<name>.*?)\s*\((?P<modes>[^()]*)\)$")
_OMIM = re.compile(r"\[OMIM:(\d+)\]")
TIER_ORDER = ("1", "2", "3", ".")


class SummaryLine(NamedTuple):
    """One candidate finding (a pattern in one sample and gene), ranked strongest first by `rank`."""

    sample: str
    gene: str
    candidate: str
    """The pattern in words, e.g. 'biallelic (compound heterozygous, multiallelic trans)'."""
    confidence: str
    tier: str
    """The evidence tier of the line's alleles (a pair's weaker allele): '1', '2', '3' or '.'."""
    variants: str
    others: int
    """How many other candidates of the same pattern this sample has in this gene (pairs, or variants)."""
    evidence: str
    interpretation: str

    def cells(self) -> list[str]:
        """The line's cells for the --summary table."""
        return [*self[:6], str(self.others), self.evidence, self.interpretation]


SUMMARY_COLUMNS = ("sample", "gene", "candidate", "confidence", "tier", "variants", "other_candidates", "evidence",
                   "interpretation")


@dataclass(frozen=True)
class Candidate:
    """One flag of one sample in one gene, before ranking: a single allele's, or a compound-het pair's (both
    alleles). alleles: (record index, ALT number) of each; core: the gene is a core HFTC gene."""

    sample: str
    gene: str
    core: bool
    flag: Flag
    alleles: tuple[tuple[int, int], ...]
    variants: str
    interpretation: str
    zygosity: str = ""
    """For an AD flag, the sample's call in words ('homozygous' in 'homozygous in an autosomal dominant gene')."""
    good: bool = True
    """Whether every call of the candidate passes the quality gates (of two otherwise equal candidates, that one is
    shown: a pair of good calls before one resting on a call below the gates)."""


def candidates(sample: str, gene: Gene, interpretation: dict[str, str],
               flags: list[tuple[AlleleFacts, Flag]]) -> list[Candidate]:
    """The candidates of one sample's flags in one gene, in the order of its flags; `interpretation` is the
    gene's, per flag kind (see `interpretations`)."""
    pairs: dict[str, list[AlleleFacts]] = {}
    for allele, flag in flags:
        if flag.pair:
            pairs.setdefault(flag.pair, []).append(allele)
    out = []
    seen = set()
    core = gene.group == "core HFTC"
    for allele, flag in flags:
        finding = (flag.name, flag.pair or allele.key)
        if finding in seen:
            continue
        seen.add(finding)
        members = pairs[flag.pair] if flag.pair else [allele]
        text = interpretation[flag.name]
        if text.startswith("consistent with"):
            text += _conditions(flag, members)
        out.append(Candidate(sample, gene.symbol, core, flag, tuple(a.key for a in members),
                             ", ".join(a.label for a in members), text,
                             dominant_zygosity(allele) if flag.name == "AD" else "", all(a.good for a in members)))
    return out


def _conditions(flag: Flag, members: list[AlleleFacts]) -> str:
    """What 'consistent with' rests on beyond the genotypes: an unphased pair's trans, and a protein change where
    the protein effect of an allele was not computed (one of unknown effect may be synonymous; a known disease allele
    needs none), e.g. ' if the two variants are in trans and c.536G>A changes the protein (not computed)'."""
    conditions = ["the two variants are in trans"] if flag.phase == "unphased" else []
    unknown = [a.label for a in members if a.protein_unknown and not a.known]
    if unknown:
        who = "both change" if len(unknown) > 1 else f"{unknown[0]} changes"  # a candidate is one allele or a pair
        conditions.append(f"{who} the protein (not computed)")
    return f" if {' and '.join(conditions)}" if conditions else ""


def rank(found: list[Candidate], tier_of: Callable[[tuple[int, int], str, Flag, str], str]) -> list[SummaryLine]:
    """One line per sample, gene and pattern: its strongest candidate, with how many others there are; strongest
    lines first (genotype patterns before leads such as AR_single, then tier, confidence, trans established, core
    HFTC gene, phase evidence, calls passing the quality gates), equal lines in the order found.
    `tier_of(allele, gene, flag, sample)` gives an allele's tier for that flag."""
    def tier(candidate: Candidate) -> str:
        tiers = [tier_of(allele, candidate.gene, candidate.flag, candidate.sample)
                 for allele in candidate.alleles]
        return max(tiers, key=TIER_ORDER.index)

    def key(candidate: Candidate, tier: str) -> tuple:
        confidence, unphased, phase = strength(candidate.flag)
        return not KINDS[candidate.flag.name].pattern, TIER_ORDER.index(tier), confidence, unphased, \
            not candidate.core, phase, not candidate.good

    groups: dict[tuple[str, str, str], list[tuple[tuple, Candidate, str]]] = {}
    for candidate in found:
        t = tier(candidate)
        groups.setdefault((candidate.sample, candidate.gene, candidate.flag.name), []).append(
            (key(candidate, t), candidate, t))
    best = [min(group, key=lambda entry: entry[0]) + (len(group) - 1,) for group in groups.values()]
    best.sort(key=lambda entry: entry[0])
    lines = []
    for _, c, t, others in best:
        words = KINDS[c.flag.name].candidate.format(phase=c.flag.phase.replace("_", " "), zygosity=c.zygosity)
        lines.append(SummaryLine(c.sample, c.gene, words, c.flag.confidence, t, c.variants, others,
                                 c.flag.evidence, c.interpretation))
    return lines


@dataclass(frozen=True)
class Disorder:
    """One disorder of a gene as the panel facts write it, 'Name [OMIM:n] (AR)' (its `label`); `caveat` says
    when its dominant form is caused by particular variants only (specific_variants.tsv), '' otherwise."""

    name: str
    label: str
    modes: tuple[str, ...]
    caveat: str


@cache
def _caveats() -> dict[tuple[str, str], str]:
    return {(row["gene"], row["omim"]): row["caveat"]
            for row in package_table("hftc_annot.inheritance", "specific_variants.tsv")}


def disorders(gene: Gene) -> list[Disorder]:
    """The gene's disorders with their modes ('AD/AR' counts as both) and caveats."""
    out = []
    for part in gene.disorders.split(";"):
        found = _DISORDER.match(part.strip())
        if not found:
            continue
        omim = _OMIM.search(found["name"])
        caveat = _caveats().get((gene.symbol, omim.group(1)), "") if omim else ""
        out.append(Disorder(found["name"], part.strip(), tuple(found["modes"].replace("/", ";").split(";")), caveat))
    return out


def _caveat_text(gene: Gene, special: list[Disorder]) -> str:
    return f"{gene.symbol}'s dominant disorder{'s' if len(special) > 1 else ''} " + "; ".join(
        f"({d.name}) {d.caveat}" for d in special)


def dominant_caveat(gene: Gene) -> str:
    """When no dominant disorder of the gene follows from any heterozygous variant: a short note saying so, for
    the AD flag's evidence (the interpretation says why); '' otherwise."""
    dominant = [d for d in disorders(gene) if "AD" in d.modes]
    if not dominant or not all(d.caveat for d in dominant):
        return ""
    return f"not every variant causes {gene.symbol}'s dominant disorder" + \
        ("s" if len(dominant) > 1 else "") + f" ({'; '.join(d.name for d in dominant)}): review"


def interpretations(gene: Gene, modes: tuple[str, ...]) -> dict[str, str]:
    """Per flag kind, the gene's disorders whose mode such a finding fits, in the panel's words ('consistent
    with ...'); a dominant disorder caused by particular variants only is named with that caveat instead. Without
    a fitting disorder, the gene's modes."""
    out = {}
    for kind in FLAG_KINDS:
        fitting = [d for d in disorders(gene) if set(d.modes) & set(kind.modes)]
        special = [d for d in fitting if d.caveat and "AD" in d.modes and kind.name in ("AD", "de_novo")]
        plain = [d.label for d in fitting if d not in special]
        if special:
            caveat = _caveat_text(gene, special)
            out[kind.name] = f"consistent with {'; '.join(plain)}; note: {caveat}" if plain else caveat
        elif plain:
            out[kind.name] = kind.reading.format(disorders="; ".join(plain))
        else:
            plural = "s" if len(modes) > 1 else ""
            out[kind.name] = f"mode{plural} of {gene.symbol}: {', '.join(modes) or 'not recorded'}"
    return out
