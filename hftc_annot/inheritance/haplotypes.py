"""Alleles of one person that lie on one haplotype and change the same codons, or a frameshift and the indel that
restores its frame, named together: the combined change their chromosome carries (what a record-by-record
annotator misses)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Protocol

from hftc_annot.inheritance.calls import Occurrence
from hftc_annot.inheritance.facts import AlleleFacts
from hftc_annot.inheritance.phase import haplotype_phase
from hftc_annot.reader.genotypes import Zygosity

if TYPE_CHECKING:
    from hftc_annot.alleles import Allele
    from hftc_annot.consequence import Consequence

MAX_CODONS = 100
"""A frameshift and a restoring indel combine when they are at most this many codons apart."""

CERTAIN = ("cis", "cis (homozygous)")


class HaplotypeSource(Protocol):
    """What combining needs of the consequence stage (ConsequenceStage: it has the sequence)."""

    def cds_span(self, gene: str, change: object) -> tuple[int, int, int] | None: ...

    def combine(self, gene: str, changes: list[Allele], c_changes: list[str]) -> Consequence | None: ...


@dataclass(frozen=True)
class Haplotype:
    """Alleles of one person combined: `members` as chrom:pos:ref:alt in CDS order, `phase` ('cis', 'cis
    (homozygous)' or 'unknown': a possibility, if they are in cis), and their combined consequence; `first` is the
    key of the member that stands for the haplotype in compound-het pairs (a heterozygous one, when there is one);
    `whole` says whether this allele lies on this haplotype only, so that its row takes the combined change's
    tier (not a homozygous allele of a heterozygous haplotype: its other copy is alone on the other chromosome)."""

    members: tuple[str, ...]
    phase: str
    consequence: Consequence
    first: tuple[int, int]
    whole: bool = True


def haplotypes(gene: str, occs: list[Occurrence], alleles: list[AlleleFacts],
               spans: list[tuple[int, int, int] | None], source: HaplotypeSource) -> dict[tuple[int, int], Haplotype]:
    """Per allele key, the haplotype it belongs to, for one person's alleles in one gene (`occs` and their `alleles`
    facts; `spans`: each occurrence's first and last CDS index and length change, None outside the CDS).

    Alleles are grouped first by certain links (cis), then the rest by possible ones (unknown phase). A group is
    combined only when every two of its alleles can lie on one chromosome; a group holding a pair in trans (a
    homozygous allele with two others on opposite haplotypes, the two ALTs of a 1/2 call) is left as it is."""
    coding = [i for i, span in enumerate(spans) if span is not None and occs[i].c_change]
    if len(coding) < 2:
        return {}
    phase = {(i, j): haplotype_phase(alleles[i], alleles[j]) for i, j in combinations(coding, 2)}
    out: dict[tuple[int, int], Haplotype] = {}
    taken: set[int] = set()
    for certain in (True, False):
        free = [i for i in coding if i not in taken]
        links = [(i, j) for i, j in combinations(free, 2) if phase[(i, j)] is not None
                 and (phase[(i, j)] in CERTAIN) == certain and _interact(spans[i], spans[j])]
        groups = _components(links)
        alone = [k for k in free if not any(k in g for g in groups)]
        for group in groups:
            group = _between(group, [k for k in alone if k not in taken], spans, phase, certain)
            labels = {phase[pair] for pair in combinations(sorted(group), 2)}
            if None in labels or (certain and "unknown" in labels):
                continue
            found = _haplotype(gene, sorted(group, key=lambda i: spans[i][:2]), occs, alleles, labels, source)
            if found:
                taken |= set(group)
                out |= found
    return out


def _haplotype(gene: str, members: list[int], occs: list[Occurrence], alleles: list[AlleleFacts], labels: set,
               source: HaplotypeSource) -> dict[tuple[int, int], Haplotype]:
    consequence = source.combine(gene, [occs[i].change for i in members], [occs[i].c_change for i in members])
    if consequence is None:
        return {}
    label = "unknown" if "unknown" in labels else "cis (homozygous)" if labels == {"cis (homozygous)"} else "cis"
    both = {i for i in members if label == "cis" and alleles[i].zygosity is Zygosity.HOM_ALT
            and not (alleles[i].x_linked and alleles[i].male)}
    first = next((occs[i].key for i in members if i not in both), occs[members[0]].key)
    spelled = tuple(occs[i].spelled for i in members)
    return {occs[i].key: Haplotype(spelled, label, consequence, first, i not in both) for i in members}


def _components(links: list[tuple[int, int]]) -> list[set[int]]:
    """The connected groups of the linked alleles."""
    groups: list[set[int]] = []
    for i, j in links:
        joined = [g for g in groups if i in g or j in g]
        merged = {i, j}.union(*joined)
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def _between(group: set[int], alone: list[int], spans: list, phase: dict, certain: bool) -> set[int]:
    """A group that shifts the frame takes in the person's other alleles (`alone`: in no group) that change codons
    between its first and last: the shifted stretch is translated with them."""
    if not any(spans[i][2] % 3 for i in group):
        return group
    low, high = min(spans[i][0] for i in group) // 3, max(spans[i][1] for i in group) // 3
    for k in alone:
        if not low <= spans[k][0] // 3 <= high:
            continue
        kinds = {phase[tuple(sorted((k, i)))] for i in group}
        if None not in kinds and (not certain or kinds <= set(CERTAIN)):
            group = group | {k}
    return group


def _interact(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    """Changes in overlapping codons, or two frameshifts whose lengths restore the frame within MAX_CODONS."""
    (a0, a1, da), (b0, b1, db) = a, b
    a_codons, b_codons = (a0 // 3, max(a0, a1) // 3), (b0 // 3, max(b0, b1) // 3)
    if a_codons[0] <= b_codons[1] and b_codons[0] <= a_codons[1]:
        return True
    return bool(da % 3 and db % 3 and (da + db) % 3 == 0 and abs(a_codons[0] - b_codons[0]) <= MAX_CODONS)
