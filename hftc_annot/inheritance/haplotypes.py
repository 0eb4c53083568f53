"""Alleles of one person that lie on one haplotype and change the same codons, or a frameshift and the indel that
restores its frame, named together: the combined change their chromosome carries (what a record-by-record
annotator misses)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Protocol

from hftc_annot.inheritance.calls import Occurrence
from hftc_annot.inheritance.facts import AlleleFacts
from hftc_annot.inheritance.phase import UNKNOWN_BY_PARENTS, haplotype_phase
from hftc_annot.reader.genotypes import Zygosity

if TYPE_CHECKING:
    from hftc_annot.alleles import Allele
    from hftc_annot.consequence import Consequence

MAX_CODONS = 100
"""A frameshift and a restoring indel combine when they are at most this many codons apart."""

CERTAIN = ("cis", "cis (homozygous)")
POSSIBLE = ("unknown", UNKNOWN_BY_PARENTS)
"""Phases of alleles that may lie on one chromosome: nothing phases them together, or their phased cis and the
parents disagree."""


class HaplotypeSource(Protocol):
    """What combining needs of the consequence stage (ConsequenceStage: it has the sequence)."""

    def cds_span(self, gene: str, change: object) -> tuple[int, int, int] | None: ...

    def combine(self, gene: str, changes: list[Allele]) -> Consequence | None: ...


@dataclass(frozen=True)
class Haplotype:
    """Alleles of one person combined: `members` as chrom:pos:ref:alt in CDS order, `phase` ('cis', 'cis
    (homozygous)', or one of POSSIBLE: a possibility, if they are in cis), and their combined consequence; `first`
    is the key of the member that stands for the haplotype in compound-het pairs (a heterozygous one, when there is
    one); `whole` says whether this allele lies on this haplotype only, so that its row takes the combined change's
    tier (not a homozygous allele of a heterozygous haplotype: its other copy is alone on the other chromosome)."""

    members: tuple[str, ...]
    phase: str
    consequence: Consequence
    first: tuple[int, int]
    whole: bool = True

    @property
    def certain(self) -> bool:
        """In cis for sure, not a possibility."""
        return self.phase in CERTAIN


def haplotypes(gene: str, occs: list[Occurrence], alleles: list[AlleleFacts],
               spans: list[tuple[int, int, int] | None], source: HaplotypeSource) -> dict[tuple[int, int], Haplotype]:
    """Per allele key, the haplotype it belongs to, for one person's alleles in one gene (`occs` and their `alleles`
    facts; `spans`: each occurrence's first and last CDS index and length change, None outside the CDS).

    Alleles are grouped first by certain links (cis), then the rest by any link (cis or a possible phase): a
    possibility. A group is combined only when every two of its alleles can lie on one chromosome; a group holding
    a pair in trans (a homozygous allele with two others on opposite haplotypes, the two ALTs of a 1/2 call) is
    left as it is. A group that shifts the frame takes in the changes between its indels."""
    coding = sorted((i for i, span in enumerate(spans) if span is not None and occs[i].c_change),
                    key=lambda i: spans[i][:2])
    if len(coding) < 2:
        return {}
    known: dict[tuple[int, int], str | None] = {}

    def phase(i: int, j: int) -> str | None:
        pair = (min(i, j), max(i, j))
        if pair not in known:
            known[pair] = haplotype_phase(alleles[pair[0]], alleles[pair[1]])
        return known[pair]

    candidates = _interacting(coding, spans)
    out: dict[tuple[int, int], Haplotype] = {}
    taken: set[int] = set()
    for allowed in (set(CERTAIN), {*CERTAIN, *POSSIBLE}):
        links = [(i, j) for i, j in candidates if i not in taken and j not in taken and phase(i, j) in allowed]
        groups = sorted(_components(links), key=lambda g: not any(spans[i][2] % 3 for i in g))
        for group in groups:
            if group & taken:
                continue  # taken in by a frameshifting group
            group = _between(group, [k for k in coding if k not in taken], spans,
                             lambda k, g=group, ok=allowed: all(phase(k, i) in ok for i in g))
            labels = {phase(i, j) for i, j in combinations(sorted(group), 2)}
            if not labels <= allowed:
                continue
            found = _haplotype(gene, sorted(group, key=lambda i: spans[i][:2]), occs, alleles, labels, source)
            if found:
                taken |= group
                out |= found
    return out


def _interacting(coding: list[int], spans: list) -> list[tuple[int, int]]:
    """The pairs of alleles (in CDS order) whose changes meet: overlapping codons, or two frameshifts that restore
    the frame within MAX_CODONS; a sweep, not every pair."""
    pairs: dict[tuple[int, int], None] = {}
    for x, i in enumerate(coding):
        last = max(spans[i][:2]) // 3
        for y in range(x + 1, len(coding)):
            j = coding[y]
            if spans[j][0] // 3 > last:
                break
            pairs[(i, j)] = None
    shifting = [i for i in coding if spans[i][2] % 3]
    for x, i in enumerate(shifting):
        for y in range(x + 1, len(shifting)):
            j = shifting[y]
            if spans[j][0] // 3 - spans[i][0] // 3 > MAX_CODONS:
                break
            if (spans[i][2] + spans[j][2]) % 3 == 0:
                pairs[(i, j)] = None
    return list(pairs)


def _haplotype(gene: str, members: list[int], occs: list[Occurrence], alleles: list[AlleleFacts], labels: set,
               source: HaplotypeSource) -> dict[tuple[int, int], Haplotype]:
    consequence = source.combine(gene, [occs[i].change for i in members])
    if consequence is None:
        return {}
    label = _label(labels)
    one_x = all(alleles[i].x_linked and alleles[i].male for i in members)
    both = {i for i in members if label == "cis" and not one_x and alleles[i].zygosity is Zygosity.HOM_ALT}
    standing = [i for i in members if i not in both]
    if one_x:  # a male's X: the call that shows one copy best stands for it
        standing.sort(key=lambda i: alleles[i].zygosity is Zygosity.HET)
    first = occs[standing[0]].key
    spelled = tuple(occs[i].spelled for i in members)
    return {occs[i].key: Haplotype(spelled, label, consequence, first, i not in both) for i in members}


def _label(labels: set) -> str:
    """A group's phase from the phases of its pairs: a possibility when one pair's is (naming a conflict of the
    phased cis with the parents when there is one), else cis, homozygous when every pair is."""
    for possible in (UNKNOWN_BY_PARENTS, "unknown"):
        if possible in labels:
            return possible
    return "cis (homozygous)" if labels == {"cis (homozygous)"} else "cis"


def _components(links: list[tuple[int, int]]) -> list[set[int]]:
    """The connected groups of the linked alleles."""
    groups: list[set[int]] = []
    for i, j in links:
        joined = [g for g in groups if i in g or j in g]
        merged = {i, j}.union(*joined)
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def _between(group: set[int], others: list[int], spans: list, fits: Callable[[int], bool]) -> set[int]:
    """A group that shifts the frame takes in the person's other alleles that change codons between its first and
    last and can share its chromosome (`fits`): the shifted stretch is translated with them."""
    if not any(spans[i][2] % 3 for i in group):
        return group
    low, high = min(spans[i][0] for i in group) // 3, max(max(spans[i][:2]) for i in group) // 3
    return group | {k for k in others if k not in group and low <= spans[k][0] // 3
                    and max(spans[k][:2]) // 3 <= high and fits(k)}
