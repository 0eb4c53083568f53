"""The ranked summary: keeps the evidence tiers of the flagged alleles as the findings are written, then ranks the
inheritance stage's candidates into summary lines (strongest first)."""

from __future__ import annotations

from collections.abc import Sequence

from hftc_annot.inheritance import Candidate, Flag, SummaryLine
from hftc_annot.inheritance.qualifying import known_disease_allele
from hftc_annot.inheritance.summary import rank
from hftc_annot.knowledge.tiers import fits
from hftc_annot.model import PanelRecord


def without_candidates(assessed: Sequence[str], lines: list[SummaryLine]) -> list[str]:
    """The assessed samples (affected or of unknown status) that no summary line names, in VCF order."""
    named = {line.sample for line in lines}
    return [sample for sample in assessed if sample not in named]


class SummaryRanking:
    """A writer of no rows: collects, per flagged (record, ALT, gene) or known disease allele (AR_single), the tiers
    the ranking needs (and, per sample whose allele is part of a haplotype in cis, those of the combined change)."""

    def __init__(self, samples: tuple[str, ...]) -> None:
        self._samples = samples
        self.tiers: dict[tuple[int, int, str], dict[bool, tuple[str, str]]] = {}
        self.haplotype_tiers: dict[tuple[int, int, str, str], dict[bool, tuple[str, str]]] = {}

    def write(self, item: PanelRecord) -> int:
        for finding in item.findings:
            if finding.flags or known_disease_allele(finding.knowledge):
                key = (finding.record, finding.allele, finding.symbol)
                self.tiers[key] = finding.tiers
                for sample, tiers in finding.haplotype_tiers.items():
                    self.haplotype_tiers[(*key, self._samples[sample])] = tiers
        return 0

    def lines(self, candidates: list[Candidate]) -> list[SummaryLine]:
        """The summary lines of the run's candidates, strongest first."""
        def tier_of(allele: tuple[int, int], gene: str, flag: Flag, sample: str) -> str:
            tiers = self.haplotype_tiers.get((*allele, gene, sample)) or self.tiers[(*allele, gene)]
            return tiers[fits(flag)][0]

        return rank(candidates, tier_of)
