"""Panel stage: a record's panel genes and a finding per annotatable ALT and gene, with its carriers."""

from __future__ import annotations

from dataclasses import dataclass

from hftc_annot.alleles import Allele, StructuralAllele, minimal, structural_kind
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
        """The record with the panel genes its span touches (padded) and a finding per annotatable ALT and gene,
        with the samples carrying that ALT; each ALT that cannot be annotated gives its reason in `skipped`."""
        contig = canonical_contig(record.chrom)
        genes, label = self.panel.genes_at(contig, record.pos, record.end)
        small = genes  # the genes a sequence ALT touches: its REF's, not a structural ALT's beside it
        if record.span is not None:
            small = self.panel.genes_at(contig, record.pos, record.pos + len(record.ref) - 1)[0]
        findings, skipped = [], []
        for number, alt in enumerate(record.alts, 1):
            change = _change(record, contig, number, alt)
            if isinstance(change, str):
                skipped.append(change)
                continue
            targets = genes if isinstance(change, StructuralAllele) else small
            if genes and not targets:
                continue  # a sequence ALT far from the genes that the structural ALT beside it reaches
            calls = carriers(record, number) if record.genotypes is not None else None
            findings += [AlleleFinding(record.index, number, alt, change, gene, calls=calls)
                         for gene in targets or (None,)]
        return PanelRecord(record, genes, tuple(skipped), label, findings)


def _change(record: Record, contig: str, number: int, alt: str) -> Allele | StructuralAllele | str:
    """An ALT as a change the consequence stage can name, or why it cannot be annotated."""
    kind = structural_kind(alt)
    if kind is None:
        reason = skip_reason(record.ref, alt)
        return reason if reason is not None else minimal(contig, record.pos, record.ref, alt)
    span = record.span
    if span is None:
        return "structural allele without INFO/END or SVLEN"
    end = span.end_of(number)
    if end <= record.pos:
        return "structural allele whose END is not after POS"
    start = record.pos + 1  # POS is the base before the event
    low, high = span.cipos or (0, 0)
    first, last = span.ciend or (0, 0)
    if kind == "CNV":
        kind = span.cnv_direction
    return StructuralAllele(contig, start, end, kind, (max(1, start + low), start + high),
                            (max(1, end + first), end + last), span.imprecise, span.shifts or (0, 0))

