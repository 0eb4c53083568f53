"""Transcript models: exons and CDS on the genome, and coordinate mapping (gff.py reads them from files)."""

from __future__ import annotations

import functools
from bisect import bisect_right
from dataclasses import dataclass

FLANK = 5000  # VEP's upstream/downstream distance


@dataclass(frozen=True)
class Transcript:
    """A transcript. Exons are genomic 1-based closed intervals in transcript order (5' to 3'); `cds` is the lowest
    and highest genomic CDS base, stop codon included, or None for a non-coding transcript."""

    id: str
    refseq: str
    protein: str
    gene: str
    chrom: str
    strand: int
    exons: tuple[tuple[int, int], ...]
    cds: tuple[int, int] | None
    tags: tuple[str, ...] = ()

    @property
    def coding(self) -> bool:
        return self.cds is not None

    @property
    def hgvs_kind(self) -> str:
        """The HGVS coordinate type: 'c' (coding DNA) or 'n' (non-coding DNA)."""
        return "c" if self.coding else "n"

    @functools.cached_property
    def start(self) -> int:
        return min(s for s, _ in self.exons)

    @functools.cached_property
    def end(self) -> int:
        return max(e for _, e in self.exons)

    @functools.cached_property
    def _exon_cdna(self) -> tuple[int, ...]:
        """cDNA position of each exon's 5' base."""
        starts, position = [], 1
        for start, end in self.exons:
            starts.append(position)
            position += end - start + 1
        return tuple(starts)

    @property
    def cdna_length(self) -> int:
        return sum(e - s + 1 for s, e in self.exons)

    @functools.cached_property
    def coding_cdna(self) -> tuple[int, int]:
        """cDNA positions of the first CDS base (A of ATG) and the last (third base of the stop codon)."""
        first, last = (self.cds[0], self.cds[1]) if self.strand == 1 else (self.cds[1], self.cds[0])
        return self.cdna_of(first), self.cdna_of(last)

    @property
    def cds_length(self) -> int:
        """0 for a non-coding transcript."""
        return self.coding_cdna[1] - self.coding_cdna[0] + 1 if self.coding else 0

    @functools.cached_property
    def _by_position(self) -> tuple[list[int], list[int]]:
        """Exon starts in genomic order, and each one's index in transcript order."""
        order = sorted(range(len(self.exons)), key=lambda i: self.exons[i][0])
        return [self.exons[i][0] for i in order], order

    def exon_index(self, g: int) -> int | None:
        """Index (transcript order) of the exon holding genomic position g."""
        starts, order = self._by_position
        k = bisect_right(starts, g) - 1
        if k < 0:
            return None
        i = order[k]
        return i if g <= self.exons[i][1] else None

    def cdna_of(self, g: int) -> int:
        """cDNA position of an exonic genomic position."""
        i = self.exon_index(g)
        if i is None:
            raise ValueError(f"{g} is not exonic in {self.id}")
        start, end = self.exons[i]
        return self._exon_cdna[i] + (g - start if self.strand == 1 else end - g)

    def genomic_of(self, cdna: int) -> int:
        """Genomic position of a cDNA position (1..cdna_length)."""
        for i, (start, end) in enumerate(self.exons):
            offset = cdna - self._exon_cdna[i]
            if 0 <= offset <= end - start:
                return start + offset if self.strand == 1 else end - offset
        raise ValueError(f"cDNA position {cdna} is outside {self.id}")

    def intron(self, g: int) -> tuple[int, int, int] | None:
        """For an intronic position: (intron index, distance from the donor side, distance from the
        acceptor side), distances counted from 1 in transcript orientation; None when not intronic."""
        if not self.start <= g <= self.end or self.exon_index(g) is not None:
            return None
        starts, order = self._by_position
        before = order[bisect_right(starts, g) - 1]  # the exon just 5' of g on the genome
        i = before if self.strand == 1 else before - 1
        if self.strand == 1:
            left, right = self.exons[i][1], self.exons[i + 1][0]
            return i, g - left, right - g
        left, right = self.exons[i + 1][1], self.exons[i][0]
        return i, right - g, g - left

    def c_number(self, cdna: int) -> str:
        """HGVS c. number of a cDNA position: '-35' in the 5' UTR, '1460' in the CDS, '*120' in the 3' UTR; on a
        non-coding transcript the n. number ('-5' before its first base, '*7' after its last)."""
        first, last = self.coding_cdna if self.coding else (1, self.cdna_length)
        if cdna < first:
            return f"-{first - cdna}"
        if cdna > last:
            return f"*{cdna - last}"
        return str(cdna - first + 1)

    def c_position(self, g: int) -> str:
        """HGVS c. (or n.) position of a genomic position ('1524+1', '-12-5', '*45'); beyond the transcript's ends the
        numbering continues upstream (c.-N) and downstream (c.*N)."""
        if self.exon_index(g) is not None:
            return self.c_number(self.cdna_of(g))
        if g < self.start or g > self.end:
            beyond = self.start - g if g < self.start else g - self.end
            upstream = (g < self.start) == (self.strand == 1)
            return self.c_number(1 - beyond if upstream else self.cdna_length + beyond)
        i, donor, acceptor = self.intron(g)
        if donor <= acceptor:  # the middle base of an odd-length intron takes '+' (HGVS)
            anchor = self._exon_cdna[i] + self.exons[i][1] - self.exons[i][0]
            return f"{self.c_number(anchor)}+{donor}"
        return f"{self.c_number(self._exon_cdna[i + 1])}-{acceptor}"
