"""Independent-oracle harness: compare variant consequences against ``bcftools csq``.

This is test code. It must not import ``hftc_annot.consequence`` (the engine under test): everything it needs
(GFF3 reading, sequence building, translation) is written here from scratch.

Pieces
------
* :func:`read_models` reads the shipped Ensembl-style GFF3 (``resources/mane_select.GRCh38.gff3``) into
  :class:`Model` objects (1-based closed coordinates, exons and CDS sorted by genomic start).
* :func:`build_oracle_reference` writes ``oracle.fa`` (+ ``.fai``) and ``oracle.gff3``: one contig per gene,
  named after the gene symbol. Every contig reads along the GRCh38 *forward* strand, so a contig position ``p``
  stands for GRCh38 ``chrom:p + offset`` with the same REF/ALT (see :class:`OracleContig`).

  - COL1A1 and COL1A2 hold REAL sequence: the whole of LRG_1 / LRG_2 (``tests/data/lrg_col1a1_col1a2.fa.gz``).
    LRG_1 lies on the GRCh38 minus strand, so the COL1A1 contig is the reverse complement of LRG_1; the
    transcript model stays on the minus strand.
  - Every other gene gets SYNTHETIC random sequence over the transcript span +- ``pad`` bp, with the real exon
    and CDS structure imprinted: the CDS (on the transcript strand) is ATG + random sense codons + one stop
    codon (TAA/TAG/TGA), every intron is GT...AG on the transcript strand, everything else is random.
  - ``oracle.gff3`` repeats the input GFF3 records with only seqid and coordinates changed (phases stay valid).
* :func:`saturation_variants` makes every SNV at every CDS base and at every base within 20 bp of every exon
  boundary, plus random deletions / insertions / delins (1-30 bp) over exons and exon/intron boundaries.
* :func:`write_vcf` writes them as a sites-only VCF; :func:`run_bcftools_csq` runs ``bcftools csq -l`` and maps
  its INFO/BCSQ consequences to Sequence Ontology terms (:data:`BCFTOOLS_TO_SO`).

All randomness comes from ``numpy.random.default_rng`` seeded by the caller, so equal seeds give equal files.
"""

from __future__ import annotations

import functools
import gc
import gzip
import itertools
import subprocess
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pysam

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LRG_FASTA = DATA_DIR / "lrg_col1a1_col1a2.fa.gz"
BCFTOOLS = "bcftools"

Variant = tuple[str, int, str, str]
"""(contig, 1-based POS, REF, ALT), VCF style."""

SPLICE_FLANK = 20
"""Saturation covers this many bases on each side of every exon boundary."""

MAX_INDEL = 30

# ---------------------------------------------------------------------------------------------------------------
# bcftools csq -> Sequence Ontology
# ---------------------------------------------------------------------------------------------------------------

BCFTOOLS_TO_SO: dict[str, str] = {
    "missense": "missense_variant",
    "synonymous": "synonymous_variant",
    "stop_gained": "stop_gained",
    "stop_lost": "stop_lost",
    "start_lost": "start_lost",
    "stop_retained": "stop_retained_variant",
    "start_retained": "start_retained_variant",
    "frameshift": "frameshift_variant",
    "inframe_deletion": "inframe_deletion",
    "inframe_insertion": "inframe_insertion",
    "inframe_altering": "protein_altering_variant",
    "splice_acceptor": "splice_acceptor_variant",
    "splice_donor": "splice_donor_variant",
    "splice_region": "splice_region_variant",
    "5_prime_utr": "5_prime_UTR_variant",
    "3_prime_utr": "3_prime_UTR_variant",
    "intron": "intron_variant",
    "coding_sequence": "coding_sequence_variant",
    "non_coding": "non_coding_transcript_variant",
    "intergenic": "intergenic_variant",
    "feature_elongation": "feature_elongation",
}
"""bcftools csq consequence type (the first ``|`` field of one BCSQ entry, after splitting on ``&``) -> SO term.

The keys are the complete list of "Supported consequence types" in the bcftools 1.16 manual. Two prefixes can
precede an entry and are handled by :func:`parse_bcsq`:

* ``*`` (e.g. ``*missense|...``): the variant lies downstream of a stop codon created by another variant on the
  same haplotype. Only haplotype-aware mode produces it; with ``-l`` it should never appear. The term is still
  mapped, and the entry is flagged ``downstream_of_stop``.
* ``@POS`` (the whole entry is e.g. ``@122106101``): the consequence of this record is reported jointly at the
  record at POS (compound variants in one codon / frame). Haplotype-aware mode only; it carries no term here.
"""

# ---------------------------------------------------------------------------------------------------------------
# Sequence helpers (numpy uint8 arrays of ASCII codes)
# ---------------------------------------------------------------------------------------------------------------

BASES = np.frombuffer(b"ACGT", dtype=np.uint8)
_COMPLEMENT = np.arange(256, dtype=np.uint8)
_COMPLEMENT[np.frombuffer(b"ACGTNacgtn", dtype=np.uint8)] = np.frombuffer(b"TGCANtgcan", dtype=np.uint8)

_CODON_ORDER = ["".join(c) for c in itertools.product("TCAG", repeat=3)]
_AMINO_ACIDS = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON_TABLE: dict[str, str] = dict(zip(_CODON_ORDER, _AMINO_ACIDS, strict=True))
"""Standard genetic code, stop = ``*``."""
STOP_CODONS = ("TAA", "TAG", "TGA")
_STOP_ARRAY = np.frombuffer("".join(STOP_CODONS).encode(), dtype=np.uint8).reshape(3, 3)
_SENSE_ARRAY = np.frombuffer("".join(c for c in _CODON_ORDER if CODON_TABLE[c] != "*").encode(),
                             dtype=np.uint8).reshape(61, 3)
_ATG = np.frombuffer(b"ATG", dtype=np.uint8)


def reverse_complement(seq: str) -> str:
    return _revcomp_array(np.frombuffer(seq.encode("ascii"), dtype=np.uint8)).tobytes().decode("ascii")


def _revcomp_array(arr: np.ndarray) -> np.ndarray:
    return _COMPLEMENT[arr[::-1]]


def translate(cds: str) -> str:
    """Translate codon by codon (a trailing partial codon is ignored); stop = ``*``, unknown codon = ``X``."""
    return "".join(CODON_TABLE.get(cds[i:i + 3], "X") for i in range(0, len(cds) - 2, 3))


def _random_bases(rng: np.random.Generator, n: int) -> np.ndarray:
    return BASES[rng.integers(0, 4, n)]


# ---------------------------------------------------------------------------------------------------------------
# GFF3 models
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GffRecord:
    """One GFF3 feature line, columns kept as text except start/end."""

    seqid: str
    source: str
    type: str
    start: int
    end: int
    score: str
    strand: str
    phase: str
    attributes: str

    @classmethod
    def parse(cls, line: str) -> GffRecord:
        cols = line.rstrip("\n").split("\t")
        if len(cols) != 9:
            raise ValueError(f"GFF3 line without 9 columns: {line!r}")
        return cls(cols[0], cols[1], cols[2], int(cols[3]), int(cols[4]), cols[5], cols[6], cols[7], cols[8])

    def attr(self, key: str) -> str | None:
        for item in self.attributes.split(";"):
            name, _, value = item.partition("=")
            if name == key:
                return value
        return None

    def shifted(self, seqid: str, offset: int) -> GffRecord:
        """The same feature on ``seqid`` with ``offset`` subtracted from both ends."""
        return GffRecord(seqid, self.source, self.type, self.start - offset, self.end - offset, self.score,
                         self.strand, self.phase, self.attributes)

    def line(self) -> str:
        return "\t".join([self.seqid, self.source, self.type, str(self.start), str(self.end), self.score,
                          self.strand, self.phase, self.attributes])


Interval = tuple[int, int]


@dataclass(frozen=True)
class Model:
    """One transcript: 1-based closed intervals sorted by start, on ``chrom`` (or an oracle contig)."""

    gene: str
    gene_id: str
    transcript_id: str
    refseq_id: str
    chrom: str
    strand: str
    exons: tuple[Interval, ...]
    cds: tuple[Interval, ...]
    records: tuple[GffRecord, ...] = field(default=(), repr=False, compare=False)
    """The gene line, the mRNA line, then the child lines in file order (used to write GFF3 back)."""

    @property
    def start(self) -> int:
        return self.exons[0][0]

    @property
    def end(self) -> int:
        return self.exons[-1][1]

    @property
    def introns(self) -> tuple[Interval, ...]:
        return tuple((a[1] + 1, b[0] - 1) for a, b in zip(self.exons, self.exons[1:], strict=False))

    @property
    def cds_length(self) -> int:
        return sum(b - a + 1 for a, b in self.cds)

    def shifted(self, seqid: str, offset: int) -> Model:
        """The model on ``seqid`` where a position ``p`` becomes ``p - offset``."""
        def move(iv: tuple[Interval, ...]) -> tuple[Interval, ...]:
            return tuple((a - offset, b - offset) for a, b in iv)
        return Model(self.gene, self.gene_id, self.transcript_id, self.refseq_id, seqid, self.strand,
                     move(self.exons), move(self.cds), tuple(r.shifted(seqid, offset) for r in self.records))


def _strip_prefix(value: str | None, prefix: str) -> str:
    if value is None:
        return ""
    return value[len(prefix):] if value.startswith(prefix) else value


def read_models(gff3: Path) -> list[Model]:
    """All mRNA models of an Ensembl-style GFF3, in file order.

    Expects ``gene`` lines (``ID=gene:…;Name=SYMBOL``), ``mRNA`` lines (``ID=transcript:ENST…;Parent=gene:…;
    mane_select=NM_…``) and ``exon``/``CDS``/UTR lines with ``Parent=transcript:…``.
    """
    genes: dict[str, GffRecord] = {}
    mrnas: dict[str, GffRecord] = {}
    children: dict[str, list[GffRecord]] = {}
    with open(gff3) as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            rec = GffRecord.parse(line)
            if rec.type == "gene":
                genes[rec.attr("ID") or ""] = rec
            elif rec.type == "mRNA":
                mrnas[rec.attr("ID") or ""] = rec
            else:
                children.setdefault(rec.attr("Parent") or "", []).append(rec)
    return [_model(genes[mrna.attr("Parent") or ""], mrna, children.get(tx_id, [])) for tx_id, mrna in mrnas.items()]


def _model(gene: GffRecord, mrna: GffRecord, kids: list[GffRecord]) -> Model:
    exons = tuple(sorted((r.start, r.end) for r in kids if r.type == "exon"))
    cds = tuple(sorted((r.start, r.end) for r in kids if r.type == "CDS"))
    if not exons:
        raise ValueError(f"{mrna.attr('ID')}: no exons")
    return Model(
        gene=gene.attr("Name") or _strip_prefix(gene.attr("ID"), "gene:"),
        gene_id=_strip_prefix(gene.attr("ID"), "gene:"),
        transcript_id=_strip_prefix(mrna.attr("ID"), "transcript:"),
        refseq_id=mrna.attr("mane_select") or "",
        chrom=mrna.seqid,
        strand=mrna.strand,
        exons=exons,
        cds=cds,
        records=(gene, mrna, *kids),
    )


# ---------------------------------------------------------------------------------------------------------------
# Oracle reference
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LrgPlacement:
    """Where an LRG lies on GRCh38 (``main_assembly`` mapping of the LRG XML; one span, no diffs)."""

    lrg: str
    chrom: str
    start: int
    end: int
    strand: str


LRG_PLACEMENTS: dict[str, LrgPlacement] = {
    "COL1A1": LrgPlacement("LRG_1", "chr17", 50182096, 50206639, "-"),
    "COL1A2": LrgPlacement("LRG_2", "chr7", 94389561, 94433232, "+"),
}
"""Genes whose oracle contig is real sequence; see tests/data/README.md for the provenance."""


@dataclass(frozen=True)
class OracleContig:
    """One contig of the oracle FASTA.

    The contig reads along the GRCh38 forward strand (``orientation`` is always +1): contig position ``p`` stands
    for GRCh38 ``chrom:p + offset``, with the same bases for the real (LRG) contigs. For COL1A1 this means the
    contig is the reverse complement of LRG_1 (``lrg_reversed``).
    """

    gene: str
    contig: str
    length: int
    chrom: str
    offset: int
    orientation: int
    synthetic: bool
    lrg: str = ""
    lrg_reversed: bool = False
    description: str = ""

    def to_genome(self, pos: int) -> int:
        return pos + self.offset

    def to_contig(self, genome_pos: int) -> int:
        return genome_pos - self.offset


@dataclass(frozen=True, eq=False)
class OracleSet:
    """The files written by :func:`build_oracle_reference` and how they relate to GRCh38."""

    fasta: Path
    gff3: Path
    seed: int
    pad: int
    contigs: dict[str, OracleContig]
    """By gene symbol, in FASTA order."""
    models: tuple[Model, ...]
    """The models in contig coordinates (what ``oracle.gff3`` holds)."""

    def contig_lengths(self) -> dict[str, int]:
        return {c.contig: c.length for c in self.contigs.values()}

    def contig_of(self, contig: str) -> OracleContig:
        for c in self.contigs.values():
            if c.contig == contig:
                return c
        raise KeyError(contig)

    def sequences(self) -> dict[str, np.ndarray]:
        """Every contig as a uint8 array of ASCII bases (index 0 = position 1)."""
        with pysam.FastaFile(str(self.fasta)) as fa:
            return {name: np.frombuffer(fa.fetch(name).encode("ascii"), dtype=np.uint8).copy()
                    for name in self.contig_lengths()}


def build_oracle_reference(models: list[Model], out_dir: Path, seed: int, pad: int = 5000) -> OracleSet:
    """Write ``out_dir/oracle.fa`` (+ ``.fai``) and ``out_dir/oracle.gff3``; return what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lrg_seqs: dict[str, str] | None = None
    contigs: dict[str, OracleContig] = {}
    shifted: list[Model] = []
    fasta_records: list[tuple[str, bytes]] = []
    for gene, gene_models in _group_by_gene(models).items():
        if gene in LRG_PLACEMENTS:
            if lrg_seqs is None:
                lrg_seqs = read_fasta(LRG_FASTA)
            contig, seq = _lrg_contig(gene, gene_models, lrg_seqs)
        else:
            contig, seq = _synthetic_contig(gene, gene_models, seed, pad)
        contigs[gene] = contig
        fasta_records.append((f"{contig.contig} {contig.description}", seq))
        shifted.extend(m.shifted(contig.contig, contig.offset) for m in gene_models)
    fasta = out_dir / "oracle.fa"
    gff3 = out_dir / "oracle.gff3"
    write_fasta(fasta_records, fasta)
    pysam.faidx(str(fasta))
    write_gff3(shifted, gff3, contigs.values(), seed, pad)
    return OracleSet(fasta, gff3, seed, pad, contigs, tuple(shifted))


def _group_by_gene(models: Iterable[Model]) -> dict[str, list[Model]]:
    groups: dict[str, list[Model]] = {}
    for m in models:
        groups.setdefault(m.gene, []).append(m)
    return groups


def _synthetic_contig(gene: str, models: list[Model], seed: int, pad: int) -> tuple[OracleContig, bytes]:
    if len(models) != 1:
        raise ValueError(f"{gene}: a synthetic contig carries exactly one model, got {len(models)}")
    model = models[0]
    lo = max(1, model.start - pad)
    hi = model.end + pad
    rng = np.random.default_rng([seed, zlib.crc32(gene.encode())])
    arr = _random_bases(rng, hi - lo + 1)
    _imprint_orf(arr, model, lo, rng)
    _imprint_splice_sites(arr, model, lo)
    desc = (f"synthetic random sequence (seed {seed}, pad {pad}) carrying the exon/CDS structure of "
            f"{model.transcript_id} ({model.refseq_id}); stands for GRCh38 {model.chrom}:{lo}-{hi}, "
            f"position p = {model.chrom}:p+{lo - 1}")
    contig = OracleContig(gene, gene, len(arr), model.chrom, lo - 1, 1, True, description=desc)
    return contig, arr.tobytes()


def _imprint_orf(arr: np.ndarray, model: Model, lo: int, rng: np.random.Generator) -> None:
    """Write ATG + random sense codons + a stop codon over the CDS segments (transcript strand)."""
    n = model.cds_length
    if n % 3 or n < 6:
        raise ValueError(f"{model.transcript_id}: CDS length {n} is not a multiple of 3 of at least 6")
    middle = _SENSE_ARRAY[rng.integers(0, len(_SENSE_ARRAY), n // 3 - 2)].ravel()
    orf = np.concatenate([_ATG, middle, _STOP_ARRAY[rng.integers(0, 3)]])
    genomic = orf if model.strand == "+" else _revcomp_array(orf)
    i = 0
    for a, b in model.cds:
        arr[a - lo:b - lo + 1] = genomic[i:i + b - a + 1]
        i += b - a + 1


def _imprint_splice_sites(arr: np.ndarray, model: Model, lo: int) -> None:
    """GT at the 5' end and AG at the 3' end of every intron, on the transcript strand."""
    first, last = (b"GT", b"AG") if model.strand == "+" else (b"CT", b"AC")  # genomic left / right ends
    for x, y in model.introns:
        if y - x + 1 < 4:
            raise ValueError(f"{model.transcript_id}: intron {x}-{y} shorter than 4 bp")
        arr[x - lo:x - lo + 2] = np.frombuffer(first, dtype=np.uint8)
        arr[y - lo - 1:y - lo + 1] = np.frombuffer(last, dtype=np.uint8)


def _lrg_contig(gene: str, models: list[Model], lrg_seqs: dict[str, str]) -> tuple[OracleContig, bytes]:
    place = LRG_PLACEMENTS[gene]
    seq = lrg_seqs[place.lrg]
    if len(seq) != place.end - place.start + 1:
        raise ValueError(f"{place.lrg}: {len(seq)} bp, mapping says {place.end - place.start + 1}")
    forward = seq if place.strand == "+" else reverse_complement(seq)
    for m in models:
        if m.chrom != place.chrom or m.start < place.start or m.end > place.end:
            raise ValueError(f"{m.transcript_id} {m.chrom}:{m.start}-{m.end} is not inside {place.lrg}")
    how = "" if place.strand == "+" else ", reverse-complemented to the GRCh38 forward strand"
    desc = (f"real {place.lrg} sequence{how}; = GRCh38 {place.chrom}:{place.start}-{place.end}, "
            f"position p = {place.chrom}:p+{place.start - 1}")
    contig = OracleContig(gene, gene, len(seq), place.chrom, place.start - 1, 1, False, lrg=place.lrg,
                          lrg_reversed=place.strand == "-", description=desc)
    return contig, forward.encode("ascii")


def read_fasta(path: Path) -> dict[str, str]:
    """Plain or gzipped FASTA -> {first word of the header: upper-case sequence}."""
    opener = gzip.open if path.suffix == ".gz" else open
    seqs: dict[str, list[str]] = {}
    name = ""
    with opener(path, "rt") as fh:
        for line in fh:
            if line.startswith(">"):
                name = line[1:].split()[0]
                seqs[name] = []
            else:
                seqs[name].append(line.strip().upper())
    return {k: "".join(v) for k, v in seqs.items()}


def write_fasta(records: list[tuple[str, bytes]], path: Path, width: int = 60) -> None:
    with open(path, "wb") as fh:
        for header, seq in records:
            fh.write(b">" + header.encode("ascii") + b"\n")
            fh.write(b"\n".join(seq[i:i + width] for i in range(0, len(seq), width)) + b"\n")


def write_gff3(models: list[Model], path: Path, contigs: Iterable[OracleContig], seed: int, pad: int) -> None:
    """Models (already in contig coordinates) in the layout of the shipped GFF3; each gene line written once."""
    lines = ["##gff-version 3"]
    lines += [f"##sequence-region {c.contig} 1 {c.length}" for c in contigs]
    lines.append(f"#!genome-build hftc-oracle seed={seed} pad={pad}")
    seen_genes: set[str] = set()
    for m in models:
        gene_rec, *rest = m.records
        if m.gene_id not in seen_genes:
            seen_genes.add(m.gene_id)
            lines += ["###", gene_rec.line()]
        lines += [r.line() for r in rest]
    path.write_text("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------------------------
# Saturation variant set
# ---------------------------------------------------------------------------------------------------------------


def saturation_positions(oracle: OracleSet, flank: int = SPLICE_FLANK) -> dict[str, np.ndarray]:
    """Per contig, the sorted unique positions that get all three SNVs.

    Every CDS base, and for every exon [a, b] the ``flank`` bases on each side of both of its boundaries:
    a-flank..a+flank-1 and b-flank+1..b+flank (clipped to the contig). Outer transcript ends count too.
    """
    lengths = oracle.contig_lengths()
    per_contig: dict[str, list[np.ndarray]] = {c: [] for c in lengths}
    for m in oracle.models:
        parts = per_contig[m.chrom]
        parts += [np.arange(a, b + 1) for a, b in m.cds]
        for a, b in m.exons:
            parts += [np.arange(a - flank, a + flank), np.arange(b - flank + 1, b + flank + 1)]
    out: dict[str, np.ndarray] = {}
    for contig, parts in per_contig.items():
        pos = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
        out[contig] = pos[(pos >= 1) & (pos <= lengths[contig])]
    return out


def saturation_snvs(oracle: OracleSet, seqs: dict[str, np.ndarray]) -> list[Variant]:
    """All three SNVs at every :func:`saturation_positions` position, ALT in A/C/G/T order."""
    out: list[Variant] = []
    for contig, pos in saturation_positions(oracle).items():
        refs = seqs[contig][pos - 1].tobytes().decode("ascii")
        for p, ref in zip(pos.tolist(), refs, strict=True):
            out += [(contig, p, ref, alt) for alt in "ACGT" if alt != ref]
    return out


class _Sampler:
    """Uniform draws over a union of intervals [(contig, a, b)], weighted by length."""

    def __init__(self, intervals: list[tuple[str, int, int]]):
        self.intervals = intervals
        self.cum = np.cumsum([b - a + 1 for _, a, b in intervals])

    def draw(self, rng: np.random.Generator) -> tuple[str, int]:
        k = int(rng.integers(0, int(self.cum[-1])))
        i = int(np.searchsorted(self.cum, k, side="right"))
        contig, a, _ = self.intervals[i]
        return contig, a + k - (int(self.cum[i - 1]) if i else 0)


def random_indels(oracle: OracleSet, seqs: dict[str, np.ndarray], seed: int, n: int) -> list[Variant]:
    """``n`` distinct random deletions, insertions and delins of 1-30 bp (kinds in turn: n/3 each, rounded).

    Placement also rotates: across an exon boundary (touching or spanning it), anywhere in a CDS, anywhere in
    an exon. Deletions and insertions carry the VCF anchor base and are *unshiftable* (no left or right shift
    gives the same allele, so left-aligned = right-aligned = as written). Delins differ from REF in their first
    and last base (nothing to trim).
    """
    rng = np.random.default_rng([seed, 0x1D31])
    boundaries = [(m.chrom, x) for m in oracle.models for a, b in m.exons for x in (a - 1, b)]
    cds = _Sampler([(m.chrom, a, b) for m in oracle.models for a, b in m.cds])
    exons = _Sampler([(m.chrom, a, b) for m in oracle.models for a, b in m.exons])
    makers = (_deletion, _insertion, _delins)
    out: list[Variant] = []
    seen: set[Variant] = set()
    for i in range(n):
        maker = makers[i % 3]
        placement = (i // 3) % 3
        for _ in range(1000):
            if placement == 0:
                contig, x = boundaries[int(rng.integers(0, len(boundaries)))]
                near_boundary = True
            else:
                contig, x = (cds if placement == 1 else exons).draw(rng)
                near_boundary = False
            variant = maker(seqs[contig], contig, x, near_boundary, rng)
            if variant is not None and variant not in seen:
                seen.add(variant)
                out.append(variant)
                break
        else:
            raise RuntimeError("could not place an indel")
    return out


def _base(seq: np.ndarray, pos: int) -> str:
    return chr(seq[pos - 1])


def _bases(seq: np.ndarray, start: int, end: int) -> str:
    return seq[start - 1:end].tobytes().decode("ascii")


def _draw_base(rng: np.random.Generator, avoid: str) -> str:
    allowed = [b for b in "ACGT" if b not in avoid]
    return allowed[int(rng.integers(0, len(allowed)))]


def _span_start(x: int, length: int, near_boundary: bool, rng: np.random.Generator) -> int:
    """First base of a ``length``-bp span: touching/spanning boundary x|x+1, or starting at base x."""
    return int(rng.integers(x - length + 1, x + 2)) if near_boundary else x


def _deletion(seq: np.ndarray, contig: str, x: int, near_boundary: bool, rng: np.random.Generator) -> Variant | None:
    length = int(rng.integers(1, MAX_INDEL + 1))
    p = _span_start(x, length, near_boundary, rng)
    q = p + length - 1
    if p < 2 or q + 1 > len(seq):
        return None
    if _base(seq, p - 1) == _base(seq, q) or _base(seq, p) == _base(seq, q + 1):
        return None  # shiftable
    return contig, p - 1, _bases(seq, p - 1, q), _base(seq, p - 1)


def _insertion(seq: np.ndarray, contig: str, x: int, near_boundary: bool, rng: np.random.Generator) -> Variant | None:
    length = int(rng.integers(1, MAX_INDEL + 1))
    p = int(rng.integers(x - 1, x + 2)) if near_boundary else x  # anchor; insertion between p and p+1
    if p < 1 or p + 1 > len(seq):
        return None
    anchor, after = _base(seq, p), _base(seq, p + 1)
    ins = list(_random_bases(rng, length).tobytes().decode("ascii"))
    if length == 1:
        ins[0] = _draw_base(rng, anchor + after)
    else:
        ins[0] = _draw_base(rng, after)
        ins[-1] = _draw_base(rng, anchor)
    return contig, p, anchor, anchor + "".join(ins)


def _delins(seq: np.ndarray, contig: str, x: int, near_boundary: bool, rng: np.random.Generator) -> Variant | None:
    ref_len = int(rng.integers(1, MAX_INDEL + 1))
    alt_len = int(rng.integers(2 if ref_len == 1 else 1, MAX_INDEL + 1))
    p = _span_start(x, ref_len, near_boundary, rng)
    q = p + ref_len - 1
    if p < 1 or q > len(seq):
        return None
    ref = _bases(seq, p, q)
    alt = list(_random_bases(rng, alt_len).tobytes().decode("ascii"))
    if alt_len == 1:
        alt[0] = _draw_base(rng, ref[0] + ref[-1])
    else:
        alt[0] = _draw_base(rng, ref[0])
        alt[-1] = _draw_base(rng, ref[-1])
    return contig, p, ref, "".join(alt)


def saturation_variants(oracle: OracleSet, seed: int, n_indels: int) -> list[Variant]:
    """All saturation SNVs plus ``n_indels`` random indels; REF from the oracle FASTA.

    Sorted by contig (FASTA order), position, REF, ALT; duplicates removed.
    """
    seqs = oracle.sequences()
    variants = set(saturation_snvs(oracle, seqs)) | set(random_indels(oracle, seqs, seed, n_indels))
    order = {c: i for i, c in enumerate(oracle.contig_lengths())}
    return sorted(variants, key=lambda v: (order[v[0]], v[1], v[2], v[3]))


# ---------------------------------------------------------------------------------------------------------------
# VCF and bcftools csq
# ---------------------------------------------------------------------------------------------------------------


def write_vcf(variants: Iterable[Variant], path: Path, contigs: dict[str, int]) -> None:
    """Sites-only VCF 4.2 (no INFO, no samples), records written in the order given.

    bcftools csq refuses unsorted input ("The file is not sorted"): pass variants sorted by contig (in the order
    of ``contigs``) and position, as :func:`saturation_variants` returns them.
    """
    header = ["##fileformat=VCFv4.2", *(f"##contig=<ID={c},length={n}>" for c, n in contigs.items()),
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"]
    body = [f"{c}\t{p}\t.\t{r}\t{a}\t.\t.\t." for c, p, r, a in variants]
    path.write_text("\n".join(header + body) + "\n")


class BcsqEntry(NamedTuple):
    """One comma-separated INFO/BCSQ entry:
    ``Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change`` (trailing fields may be absent)."""

    raw: str
    consequences: tuple[str, ...]
    """bcftools terms, ``&`` split, ``*`` prefix removed; empty for ``@POS`` entries."""
    so_terms: frozenset[str]
    """``consequences`` mapped through :data:`BCFTOOLS_TO_SO`."""
    gene: str = ""
    transcript: str = ""
    biotype: str = ""
    strand: str = ""
    aa_change: str = ""
    dna_change: str = ""
    downstream_of_stop: bool = False
    """The entry had the ``*`` prefix."""
    reported_at: int | None = None
    """For an ``@POS`` entry: the position whose record carries the joint consequence."""


class CsqCalls(NamedTuple):
    """What :func:`run_bcftools_csq` returns. Unpack as ``terms, aa_change, entries, seconds = ...``."""

    terms: dict[Variant, set[str]]
    """Per input variant, the SO terms of all its BCSQ entries (empty set: no BCSQ)."""
    aa_change: dict[Variant, str]
    """Per input variant, bcftools' amino-acid change (e.g. ``12W>12*``, ``5P>5L``); ``""`` when there is none.
    Distinct values of several entries are joined with ``,``."""
    entries: dict[Variant, list[BcsqEntry]]
    seconds: float
    """Wall time of the bcftools csq run."""


def to_so(term: str) -> str:
    try:
        return BCFTOOLS_TO_SO[term]
    except KeyError:
        raise ValueError(f"bcftools csq consequence {term!r} is not in BCFTOOLS_TO_SO") from None


@functools.cache
def _consequence_field(text: str) -> tuple[bool, tuple[str, ...], frozenset[str]]:
    """``*splice_region&missense`` -> (starred, bcftools terms, SO terms); raises on an unknown term."""
    starred = text.startswith("*")
    terms = tuple(text.lstrip("*").split("&"))
    return starred, terms, frozenset(to_so(t) for t in terms)


def parse_bcsq(value: str) -> list[BcsqEntry]:
    """Split an INFO/BCSQ value into entries (see :data:`BCFTOOLS_TO_SO` for the ``*`` and ``@`` prefixes)."""
    entries: list[BcsqEntry] = []
    for raw in value.split(","):
        if raw.startswith("@"):
            entries.append(BcsqEntry(raw, (), frozenset(), reported_at=int(raw[1:])))
            continue
        fields = raw.split("|")
        starred, terms, so = _consequence_field(fields[0])
        if len(fields) < 7:
            fields += [""] * (7 - len(fields))
        entries.append(BcsqEntry(raw, terms, so, fields[1], fields[2], fields[3], fields[4], fields[5], fields[6],
                                 starred, None))
    return entries


def _info_value(info: str, key: str) -> str | None:
    for item in info.split(";"):
        name, _, value = item.partition("=")
        if name == key:
            return value
    return None


def _vcf_records(path: Path) -> Iterator[list[str]]:
    with open(path) as fh:
        for line in fh:
            if not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def run_bcftools_csq(vcf: Path, oracle: OracleSet, work: Path) -> CsqCalls:
    """Run ``bcftools csq -l`` (local, one record at a time) on ``vcf`` against the oracle; parse INFO/BCSQ.

    ``--force`` is not needed for the oracle files. ``-n 64`` only matters for FORMAT/BCSQ (INFO/BCSQ always
    lists every consequence) and is passed as a guard. Raises CalledProcessError when bcftools fails.
    """
    work.mkdir(parents=True, exist_ok=True)
    out = work / "csq.vcf"
    cmd = [BCFTOOLS, "csq", "-l", "-n", "64", "-f", str(oracle.fasta), "-g", str(oracle.gff3), "-Ov", "-o",
           str(out), str(vcf)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    (work / "csq.stderr").write_text(proc.stderr)
    proc.check_returncode()
    terms: dict[Variant, set[str]] = {}
    aa: dict[Variant, str] = {}
    entries: dict[Variant, list[BcsqEntry]] = {}
    gc_was_enabled = gc.isenabled()
    gc.disable()  # half a million small objects: the cyclic collector would triple the parse time
    try:
        _parse_csq_vcf(out, terms, aa, entries)
    finally:
        if gc_was_enabled:
            gc.enable()
    return CsqCalls(terms, aa, entries, seconds)


def _parse_csq_vcf(out: Path, terms: dict[Variant, set[str]], aa: dict[Variant, str],
                   entries: dict[Variant, list[BcsqEntry]]) -> None:
    for cols in _vcf_records(out):
        key = (cols[0], int(cols[1]), cols[3], cols[4])
        value = _info_value(cols[7], "BCSQ")
        parsed = parse_bcsq(value) if value else []
        entries[key] = parsed
        if len(parsed) == 1:
            terms[key] = set(parsed[0].so_terms)
            aa[key] = parsed[0].aa_change
        else:
            terms[key] = set().union(*(e.so_terms for e in parsed))
            aa[key] = ",".join(dict.fromkeys(e.aa_change for e in parsed if e.aa_change))


# ---------------------------------------------------------------------------------------------------------------
# Checks used by the self-test (and handy for the comparison)
# ---------------------------------------------------------------------------------------------------------------


def spliced(seq: np.ndarray | str, intervals: Iterable[Interval], strand: str) -> str:
    """Concatenate 1-based closed intervals of ``seq`` in transcript order, on the transcript strand."""
    text = seq if isinstance(seq, str) else seq.tobytes().decode("ascii")
    joined = "".join(text[a - 1:b] for a, b in sorted(intervals))
    return joined if strand == "+" else reverse_complement(joined)


def intron_dinucleotides(seq: np.ndarray | str, model: Model) -> list[tuple[str, str]]:
    """(first two, last two) bases of every intron, on the transcript strand, in transcript order."""
    text = seq if isinstance(seq, str) else seq.tobytes().decode("ascii")
    out = []
    for x, y in model.introns:
        intron = spliced(text[x - 1:x + 1] + text[y - 2:y], [(1, 4)], model.strand)
        out.append((intron[:2], intron[2:]))
    return out if model.strand == "+" else out[::-1]


def aa_position(aa_change: str) -> int | None:
    """The protein position that a bcftools amino-acid change starts with (``12W>12*`` -> 12), or None."""
    digits = ""
    for ch in aa_change:
        if not ch.isdigit():
            break
        digits += ch
    return int(digits) if digits else None
