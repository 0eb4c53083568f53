"""The ranked summary: keeps the evidence tiers of the flagged alleles as the findings are written, then ranks the
inheritance stage's candidates into summary lines (strongest first)."""

from __future__ import annotations

from hftc_annot.inheritance import Candidate, SummaryLine
from hftc_annot.inheritance.summary import rank
from hftc_annot.knowledge.tiers import fits
from hftc_annot.model import PanelRecord


class SummaryRanking:
    """A writer of no rows: collects, per flagged (record, ALT, gene), the tiers the ranking needs."""

    def __init__(self) -> None:
        self.tiers: dict[tuple[int, int, str], dict[bool, tuple[str, str]]] = {}

    def write(self, item: PanelRecord) -> int:
        for finding in item.findings:
            if finding.flags:
                self.tiers[(finding.record, finding.allele, finding.symbol)] = finding.tiers
        return 0

    def lines(self, candidates: list[Candidate]) -> list[SummaryLine]:
        """The summary lines of the run's candidates, strongest first."""
        return rank(candidates, lambda allele, gene, confidence: self.tiers[(*allele, gene)][fits(confidence)][0])
