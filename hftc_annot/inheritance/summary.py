"""The summary: one line per sample, gene and candidate finding (a compound-het pair counts once)."""

from __future__ import annotations

from typing import NamedTuple

from hftc_annot.inheritance.facts import AlleleFacts
from hftc_annot.inheritance.flags import FLAG_KINDS, KINDS, Flag
from hftc_annot.panel import Gene


class SummaryLine(NamedTuple):
    """One candidate finding (a pattern in one sample and gene), ranked strongest first by the caller."""
    sample: str
    gene: str
    candidate: str       # pattern words, e.g. "biallelic (compound heterozygous, multiallelic trans)"
    confidence: str      # high / medium / low
    tier: str            # evidence tier "1", "2", "3" or "." of the line's alleles
    variants: str        # "c.516-2A>T, c.516-2A>G" (HGVS c. or chrom:pos ref>alt)
    others: int          # how many other candidate pairs/variants of the same pattern this sample has in this gene
    evidence: str        # plain-language reason, e.g. "two heterozygous variants in GALNT3 (...), in trans:
    #                      one multi-allelic genotype carries both"
    interpretation: str  # e.g. "consistent with Tumoral calcinosis, hyperphosphatemic, familial, 1 [OMIM:211900] (AR)"


def summary_lines(sample: str, gene: str, interpretation: dict[str, str],
                  flags: list[tuple[AlleleFacts, Flag]]) -> list[SummaryLine]:
    """The summary lines of one sample's flags in one gene, in the order of its flags; `interpretation` is the
    gene's, per flag kind (see `interpretations`)."""
    pair_labels: dict[str, list[str]] = {}
    for allele, flag in flags:
        if flag.pair:
            pair_labels.setdefault(flag.pair, []).append(allele.label)
    lines = []
    seen = set()
    for allele, flag in flags:
        finding = (flag.name, flag.pair or allele.key)
        if finding in seen:
            continue
        seen.add(finding)
        variants = ", ".join(pair_labels[flag.pair]) if flag.pair else allele.label
        candidate = KINDS[flag.name].candidate.format(phase=flag.phase.replace("_", " "))
        lines.append(SummaryLine(sample, gene, candidate, flag.confidence, ".", variants, 0, flag.evidence,
                                 interpretation[flag.name]))
    return lines


def interpretations(gene: Gene, modes: tuple[str, ...]) -> dict[str, str]:
    """Per flag kind, the gene's disorders whose mode such a finding fits, in the panel's words; else the gene's
    modes."""
    out = {}
    for kind in FLAG_KINDS:
        fitting = [d.strip() for d in gene.disorders.split(";") if any(f"({m})" in d for m in kind.modes)]
        out[kind.name] = ("consistent with " + "; ".join(fitting) if fitting else
                          f"mode{'s' if len(modes) > 1 else ''} of {gene.symbol}: {', '.join(modes) or 'not recorded'}")
    return out
