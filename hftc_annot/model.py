"""The typed findings the stages build and the writers render: a PanelRecord per panel record, holding one
AlleleFinding per (ALT allele, panel gene); each stage fills its own fields, in the order pipeline.Pipeline gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hftc_annot.alleles import Allele, Spelling, StructuralAllele

if TYPE_CHECKING:  # the model names the stages' value types; the stages import the model
    from hftc_annot.consequence import Effect
    from hftc_annot.inheritance import Flag
    from hftc_annot.inheritance.haplotypes import Haplotype
    from hftc_annot.knowledge import Knowledge
    from hftc_annot.panel import Gene
    from hftc_annot.reader.genotypes import Carriers
    from hftc_annot.reader.records import Record


@dataclass(slots=True)
class AlleleFinding:
    """One ALT allele of a panel record on one panel gene; `gene` is None for a --regions record that touches no
    panel gene (its region's name is the PanelRecord's label).

    record: the reader's record key (Record.index). allele: the 1-based ALT number. alt: the ALT as in the input;
    change: the allele in minimal form, or the structural variant (1-based, canonical contig name).
    Filled by the stages: effect (consequence), frequency (population frequency), knowledge, calls (the samples
    carrying this ALT, None for a sites-only VCF), flags and segregation per sample index (inheritance), tiers
    (evidence tier and reason for a sample whose pattern here does not fit / fits the gene's inheritance:
    knowledge.tiers.fitting); haplotypes, per sample index, the haplotype (inheritance/haplotypes.py) this allele
    is combined into, and haplotype_tiers its tiers (those of the combined change, for a haplotype in cis).
    repeat (consequence stage, with a reference): an indel that could be placed elsewhere in its repeat, written
    over all of it (consequence.alleles.across_repeat), so that the knowledge and frequency lookups find it however
    ClinVar or gnomAD place it; None otherwise.
    """

    record: int
    allele: int
    alt: str
    change: Allele | StructuralAllele
    gene: Gene | None
    effect: Effect | None = None
    repeat: Spelling | None = None
    frequency: float | None = None
    knowledge: Knowledge | None = None
    calls: Carriers | None = None
    flags: dict[int, list[Flag]] = field(default_factory=dict)
    segregation: dict[int, str] = field(default_factory=dict)
    tiers: dict[bool, tuple[str, str]] = field(default_factory=dict)
    haplotypes: dict[int, Haplotype] = field(default_factory=dict)
    haplotype_tiers: dict[int, dict[bool, tuple[str, str]]] = field(default_factory=dict)

    def last_base(self, record: Record) -> int:
        """The last reference base this allele covers: its record's REF's, or a structural ALT's END."""
        return self.change.end if isinstance(self.change, StructuralAllele) else record.pos + len(record.ref) - 1

    @property
    def symbol(self) -> str:
        return self.gene.symbol if self.gene is not None else ""

    @property
    def transcript_ids(self) -> tuple[str, str]:
        """(RefSeq, Ensembl or other) ids of the transcript the consequence is named on ('' when it has none): the
        gene's MANE Select ids when there is no consequence; ('', '') outside the panel genes."""
        t = self.effect.consequence.transcript if self.effect and self.effect.consequence else None
        if t is not None:
            return t.refseq, t.id if t.id != t.refseq else ""
        return (self.gene.refseq, self.gene.ensembl_transcript) if self.gene is not None else ("", "")


@dataclass(slots=True)
class PanelRecord:
    """A record in the panel regions: the genes its REF span touches (padded), why its other ALTs are not
    annotated, and a finding per annotated (ALT, gene), ALT-major in panel gene order."""

    record: Record
    genes: tuple[Gene, ...]
    skipped: tuple[str, ...]
    label: str
    findings: list[AlleleFinding]

    @property
    def key(self) -> int:
        return self.record.index

    @property
    def alleles(self) -> tuple[int, ...]:
        """The annotated ALT numbers, in order."""
        return tuple(dict.fromkeys(f.allele for f in self.findings))

    def without_samples(self) -> PanelRecord:
        """The record without its per-sample arrays: what is kept until the writers run."""
        return PanelRecord(self.record.without_samples(), self.genes, self.skipped, self.label, self.findings)
