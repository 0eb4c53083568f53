"""Alleles of one person that lie on one haplotype and change the same codons, or a frameshift and the indel that
restores its frame, named together: the combined change their chromosome carries (what a record-by-record
annotator misses)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from hftc_annot.inheritance.calls import Occurrence
from hftc_annot.inheritance.facts import AlleleFacts
from hftc_annot.inheritance.phase import haplotype_phase

if TYPE_CHECKING:
    from hftc_annot.alleles import Allele
    from hftc_annot.consequence import Consequence

MAX_CODONS = 100
"""A frameshift and a restoring indel combine when they are at most this many codons apart."""


class HaplotypeSource(Protocol):
    """What combining needs of the consequence stage (ConsequenceStage: it has the sequence)."""

    def codons(self, gene: str, change: object) -> tuple[int, int, int] | None: ...

    def combine(self, gene: str, changes: list[Allele], c_changes: list[str]) -> Consequence | None: ...


@dataclass(frozen=True)
class Haplotype:
    """Alleles of one person combined: `members` as chrom:pos:ref:alt in CDS order, `phase` ('cis', 'cis
    (homozygous)' or 'unknown': a possibility, if they are in cis), and their combined consequence; `first` is the
    key of its first member (the one that stands for the haplotype in compound-het pairs)."""

    members: tuple[str, ...]
    phase: str
    consequence: Consequence
    first: tuple[int, int]


def haplotypes(gene: str, occs: list[Occurrence], alleles: list[AlleleFacts],
               codons: list[tuple[int, int, int] | None], source: HaplotypeSource) -> dict[tuple[int, int], Haplotype]:
    """Per allele key, the haplotype it belongs to, for one person's alleles in one gene (`occs` and their `alleles`
    facts; `codons`: each occurrence's codon range and length change, None outside the CDS)."""
    coding = [i for i, c in enumerate(codons) if c is not None]
    if len(coding) < 2:
        return {}
    parent = {i: i for i in coding}
    phases: dict[int, list[str]] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    links = []
    for x, i in enumerate(coding):
        for j in coding[x + 1:]:
            phase = haplotype_phase(alleles[i], alleles[j])
            if phase is None or not _interact(codons[i], codons[j]):
                continue
            parent[root(j)] = root(i)
            links.append((i, j, phase))
    for i, _, phase in links:
        phases.setdefault(root(i), []).append(phase)
    out = {}
    for group_root, labels in phases.items():
        members = sorted((i for i in coding if root(i) == group_root), key=lambda i: codons[i][0])
        phase = "unknown" if "unknown" in labels else "cis (homozygous)" if set(labels) == {"cis (homozygous)"} \
            else "cis"
        consequence = source.combine(gene, [occs[i].change for i in members], [occs[i].c_change for i in members])
        if consequence is None:
            continue
        found = Haplotype(tuple(occs[i].spelled for i in members), phase, consequence,
                          min(occs[i].key for i in members))
        out |= {occs[i].key: found for i in members}
    return out


def _interact(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    """Changes in overlapping codons, or two frameshifts whose lengths restore the frame within MAX_CODONS."""
    (a0, a1, da), (b0, b1, db) = a, b
    if a0 <= b1 and b0 <= a1:
        return True
    return bool(da % 3 and db % 3 and (da + db) % 3 == 0 and abs(a0 - b0) <= MAX_CODONS)
