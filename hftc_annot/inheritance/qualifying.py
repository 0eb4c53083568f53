"""Which alleles take part in inheritance flags: the evidence rules of qualifying.tsv (any one suffices) and the
population-frequency limit per mode of frequency_limits.tsv."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hftc_annot.consequence import Effect
from hftc_annot.inheritance.flags import FLAG_KINDS
from hftc_annot.knowledge import Knowledge, pathogenic
from hftc_annot.resources import package_table


@dataclass(frozen=True)
class Rule:
    """One row of qualifying.tsv: an allele qualifies when its `evidence` (impact, term, clinvar or curated) has
    this `value`."""

    evidence: str
    value: str
    reason: str


@cache
def rules() -> tuple[Rule, ...]:
    return tuple(Rule(**row) for row in package_table("hftc_annot.inheritance", "qualifying.tsv"))


@cache
def frequency_limits() -> dict[str, float]:
    """The highest population frequency an allele may have to count for a mode (AR, AD, XLD, XLR)."""
    return {row["mode"]: float(row["max_af"]) for row in package_table("hftc_annot.inheritance",
                                                                       "frequency_limits.tsv")}


def known_disease_allele(known: Knowledge | None) -> bool:
    """ClinVar calls the allele pathogenic or likely pathogenic (any review status), or it is a curated HFTC variant
    (this change): the evidence of an AR_single candidate."""
    return bool(known) and (pathogenic(known.clinvar_significance) or known.known_hftc_exact)


def reason(effect: Effect | None, known: Knowledge | None) -> str:
    """The reason of the first rule the allele meets, '' when it meets none."""
    consequence = effect.consequence if effect else None
    return _first_reason(consequence.impact if consequence else None, consequence.terms if consequence else (),
                         bool(known) and pathogenic(known.clinvar_significance),
                         bool(known) and known.known_hftc_exact)


@cache  # asked for every panel allele; a run has few distinct answers
def _first_reason(impact: str | None, terms: tuple[str, ...], clinvar_plp: bool, curated_exact: bool) -> str:
    facts = {
        "impact": {impact},
        "term": set(terms),
        "clinvar": {"P/LP"} if clinvar_plp else set(),
        "curated": {"exact"} if curated_exact else set(),
    }
    return next((rule.reason for rule in rules() if rule.value in facts[rule.evidence]), "")


@dataclass(frozen=True)
class Qualifying:
    """The run's choice: by default an allele needs a rule of qualifying.tsv and a frequency within its mode's
    limit; `every_allele` (--qualify all) drops both; `max_af` (--max-af) replaces every mode's limit."""

    every_allele: bool = False
    max_af: float | None = None

    def describe(self) -> str:
        """The choice in words, for the report's preamble."""
        if self.every_allele:
            what = "every allele (--qualify all)"
        else:
            what = "protein-altering, splice, unknown protein effect, ClinVar P/LP or curated HFTC (qualifying.tsv)"
        if self.max_af is not None:
            return f"{what}; population frequency at most {self.max_af:g} (--max-af)"
        if self.every_allele:
            return what
        limits = ", ".join(f"{mode} {limit:g}" for mode, limit in frequency_limits().items())
        return f"{what}; population frequency at most {limits} (frequency_limits.tsv)"

    def qualifies(self, effect: Effect | None, known: Knowledge | None) -> bool:
        return self.every_allele or bool(reason(effect, known))

    def kind_limits(self, modes: tuple[str, ...]) -> dict[str, float]:
        """Per flag kind, the highest population frequency of an allele it may use in a gene of these modes: the
        most permissive limit among the modes the kind fits (none when no limit applies)."""
        if self.max_af is not None:
            return {kind.name: self.max_af for kind in FLAG_KINDS}
        if self.every_allele:
            return {}
        table = frequency_limits()
        out = {}
        for kind in FLAG_KINDS:
            fitting = [table[m] for m in kind.modes if m in modes and m in table]
            if fitting:
                out[kind.name] = max(fitting)
        return out
