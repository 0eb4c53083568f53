"""Reference sequence behind a narrow interface: a FASTA file (pysam) or an in-memory mapping."""

from __future__ import annotations

from typing import Protocol

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError

_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def reverse_complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)[::-1]


class SequenceSource(Protocol):
    """Genomic sequence by 1-based inclusive coordinates, upper case; `name` identifies the source."""

    name: str

    def fetch(self, chrom: str, start: int, end: int) -> str:
        """Bases start..end; empty when end < start, shorter at a contig end."""

    def length(self, chrom: str) -> int | None: ...


class FastaSource:
    """A (b)gzipped or plain FASTA with a .fai (and .gzi), read with pysam. chr2 and 2 are the same contig."""

    def __init__(self, path: str) -> None:
        import pysam  # imported here: only runs that have a FASTA pay for it

        self.name = path
        try:
            self._fasta = pysam.FastaFile(path)
        except (OSError, ValueError) as exc:
            raise InputError(path, f"cannot open as an indexed FASTA ({exc}); index it with samtools faidx") from None
        self._lengths = dict(zip(self._fasta.references, self._fasta.lengths, strict=True))
        self._names = {canonical_contig(n): n for n in self._fasta.references}

    def _resolve(self, chrom: str) -> str | None:
        if chrom in self._lengths:
            return chrom
        return self._names.get(canonical_contig(chrom))

    def length(self, chrom: str) -> int | None:
        name = self._resolve(chrom)
        return self._lengths[name] if name else None

    def fetch(self, chrom: str, start: int, end: int) -> str:
        name = self._resolve(chrom)
        if name is None:
            raise InputError(self.name, f"has no contig {chrom}")
        if end < start:
            return ""
        return self._fasta.fetch(name, max(0, start - 1), min(end, self._lengths[name])).upper()


class MemorySource:
    """Sequences held in a dict (contig name to sequence, position 1 first); for tests and small inputs."""

    def __init__(self, sequences: dict[str, str], name: str = "in-memory sequence") -> None:
        self.name = name
        self._seqs = {canonical_contig(k): v.upper() for k, v in sequences.items()}

    def length(self, chrom: str) -> int | None:
        seq = self._seqs.get(canonical_contig(chrom))
        return len(seq) if seq is not None else None

    def fetch(self, chrom: str, start: int, end: int) -> str:
        seq = self._seqs.get(canonical_contig(chrom))
        if seq is None:
            raise InputError(self.name, f"has no contig {chrom}")
        return seq[max(0, start - 1):end]
