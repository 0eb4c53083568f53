"""A transcript's spliced coding sequence and protein, read from the reference once per transcript."""

from __future__ import annotations

from hftc_annot.consequence.sequence import SequenceSource, reverse_complement
from hftc_annot.consequence.terms import translate
from hftc_annot.consequence.transcripts import Transcript


class CodingSequence:
    """A transcript's spliced CDS and 3' UTR (transcript orientation), fetched once."""

    def __init__(self, transcript: Transcript, seq: SequenceSource) -> None:
        t = transcript
        pieces = [seq.fetch(t.chrom, s, e) for s, e in t.exons]
        cdna = "".join(p if t.strand == 1 else reverse_complement(p) for p in pieces)
        first, last = t.coding_cdna
        self.cdna = cdna
        self.cds = cdna[first - 1:last]
        self.utr3 = cdna[last:]
        self.protein = translate(self.cds)
