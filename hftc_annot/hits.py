"""Panel stage: a record's panel genes and a finding per annotatable ALT and gene, with its carriers."""

from __future__ import annotations

from dataclasses import dataclass

from hftc_annot.alleles import minimal
from hftc_annot.assembly import canonical_contig
from hftc_annot.model import AlleleFinding, PanelRecord
from hftc_annot.panel import Panel
from hftc_annot.reader.genotypes import carriers
from hftc_annot.reader.records import Record, skip_reason


@dataclass(frozen=True)
class PanelStage:
    """The run's panel, applied to records (panel.py holds the panel itself, light to import)."""

    panel: Panel

    def hit(self, record: Record) -> PanelRecord:
        """The record with the panel genes its REF span touches (padded) and a finding per annotatable ALT and
        gene, with the samples carrying that ALT; each ALT that cannot be annotated as a sequence change gives its
        reason in `skipped`."""
        contig = canonical_contig(record.chrom)
        genes, label = self.panel.genes_at(contig, record.pos, record.end)
        findings, skipped = [], []
        for number, alt in enumerate(record.alts, 1):
            reason = skip_reason(record.ref, alt)
            if reason is not None:
                skipped.append(reason)
                continue
            change = minimal(contig, record.pos, record.ref, alt)
            calls = carriers(record, number) if record.genotypes is not None else None
            findings += [AlleleFinding(record.index, number, alt, change, gene, calls=calls)
                         for gene in genes or (None,)]
        return PanelRecord(record, genes, tuple(skipped), label, findings)
