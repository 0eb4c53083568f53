"""Transcript models from annotation files: Ensembl, GENCODE and RefSeq GFF3, GENCODE and Ensembl GTF, plain or
gzipped. A transcript is modelled when it has CDS lines (coding), or exons only and a non-coding type or biotype
(lnc_RNA, ncRNA, a transcript of biotype lncRNA, retained_intron ...).

The dialects differ in how features name each other (GFF3 ID/Parent, GTF gene_id/transcript_id), how a gene
is named (Name, gene_name, gene), where the RefSeq ids are (RefSeq: the transcript itself and its CDS's
protein_id; Ensembl ids in Dbxref), how tags are written ('MANE_Select', RefSeq's 'MANE Select'), and whether
CDS lines include the stop codon (GTF and GENCODE: a separate stop_codon feature). RefSeq contig accessions
(NC_000001.11) are read as chromosome names of GRCh38 or GRCh37.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import IO, NoReturn
from urllib.parse import unquote

from hftc_annot.assembly import canonical_contig
from hftc_annot.consequence.transcripts import Transcript
from hftc_annot.errors import InputError, utf8_line
from hftc_annot.resources import read_table

_GTF_PAIR = re.compile(r'\s*([^\s";]+)\s+"([^"]*)"\s*;?')
_PARENT = re.compile(r"(?:^|;)Parent=([^;]*)")
_GTF_TRANSCRIPT = re.compile(r'transcript_id "([^"]*)"')
_TRANSCRIPT_KINDS = {"mRNA", "transcript"}
_PARTS = {"exon", "CDS", "stop_codon"}
_SKIPPED = {"five_prime_UTR", "three_prime_UTR", "UTR", "start_codon", "Selenocysteine"}
_CODING_BIOTYPES = {"protein_coding", "nonsense_mediated_decay", "non_stop_decay", "protein_coding_LoF"}
"""Biotypes of transcripts that have a CDS: one listed without CDS lines is not read as non-coding."""
_INCOMPLETE = {"cds_start_NF", "cds_end_NF"}
"""GENCODE/Ensembl tags of a CDS whose start or end is not in the model: no protein can be read from it."""


@dataclass
class _Parts:
    """A transcript being assembled from its lines."""

    line: int
    kind: str
    chrom: str
    strand: str
    gene: str
    attrs: dict[str, str]
    span: tuple[str, str]
    gene_key: str = ""
    exons: list[tuple[int, int, int]] = field(default_factory=list)
    cds: list[tuple[int, int, int, int]] = field(default_factory=list)
    stops: list[tuple[int, int]] = field(default_factory=list)


def read_transcripts(path: str, genes: Collection[str] | None = None, contig_map: dict[str, str] | None = None,
                     lengths: dict[str, int] | None = None, any_case: bool = False,
                     build: str | None = None) -> list[Transcript]:
    """The transcripts of a GFF3 or GTF file (of the genes named in `genes`, when given: in any letter case with
    `any_case`, each transcript keeping the file's spelling), with RefSeq chromosome accessions of GRCh38/GRCh37 read
    as chromosome names (unless `lengths` has a contig of that name) and contigs renamed by `contig_map`. With
    `build` (GRCh38 or GRCh37), a transcript on the other build's accession (NC_000001.10 in a GRCh38 run) is an
    error, unless `contig_map` renames that contig.

    Checked, on the lines of the transcripts read: start >= 1 and start <= end, every CDS line has a phase 0/1/2,
    the phases agree with the CDS lengths, a transcript's exons do not overlap, the CDS lies within the exons and
    runs on from exon to exon without a gap, and the transcript ends within its contig (when `lengths` knows the
    contig: chr1 and 1 are one). A failure names the file and line.
    """
    source = str(path)
    copy = _spool(source)
    try:
        wanted = None if genes is None else {g.upper() for g in genes} if any_case else set(genes)
        return _read_transcripts(source, copy or source, wanted, any_case, contig_map, lengths, build)
    finally:
        if copy:
            os.unlink(copy)


def _spool(source: str) -> str | None:
    """A temporary copy of `source` when it is not a regular file (a process substitution, a FIFO): a pipe can be read
    only once, and the file is opened more than once (its first bytes tell gzip, a second pass reads the parts that
    come before their transcript). None for a regular file."""
    try:
        if stat.S_ISREG(os.stat(source).st_mode):
            return None
    except OSError:
        return None  # opening it names the problem
    handle, temp = tempfile.mkstemp(prefix="hftc-annot-", suffix=".gff")
    try:
        with os.fdopen(handle, "wb") as out, open(source, "rb") as stream:
            shutil.copyfileobj(stream, out)
    except BaseException as exc:
        os.unlink(temp)
        if isinstance(exc, OSError):
            raise InputError(source, f"cannot read ({exc.strerror or exc})") from None
        raise
    return temp


def _read_transcripts(source: str, path: str, genes: set[str] | None, any_case: bool,
                      contig_map: dict[str, str] | None, lengths: dict[str, int] | None,
                      build: str | None) -> list[Transcript]:
    """read_transcripts of the file at `path` (`source`, or its copy), named `source` in messages; `genes` are upper
    case with `any_case`."""
    def wanted(symbol: str) -> bool:
        return genes is None or (symbol.upper() if any_case else symbol) in genes

    symbols: dict[str, str] = {}  # gene key (GFF3 ID, GTF gene_id) -> gene symbol
    transcripts: dict[str, _Parts] = {}
    orphans: set[str] = set()  # parents of parts met before any transcript line of theirs
    seen: set[str] = set()  # the kinds of line met: 'transcript' and those of _PARTS
    gtf = None
    for number, fields in _lines(source, path):
        chrom, _, kind, start, end, _, strand, phase, text = fields
        if kind in _SKIPPED:
            continue
        if gtf is None:
            gtf = _GTF_PAIR.match(text) is not None and "=" not in text.split(";")[0]
        if kind in _PARTS:
            seen.add(kind)
            parents = _part_parents(text, gtf)
            keys = [k for k in parents if k in transcripts]
            if keys:
                _add_part(source, number, (kind, start, end, phase, text), gtf, [transcripts[k] for k in keys])
            else:  # another gene's, not a transcript's, or one whose line comes later (a file sorted by position)
                orphans.update(parents)
            continue
        attrs = _gtf_attributes(text) if gtf else _gff3_attributes(text)
        ident = attrs.get("transcript_id", "") if gtf else attrs.get("ID", "")
        gene_key = attrs.get("gene_id", "") if gtf else attrs.get("Parent", "")
        if kind == "gene" or (not gtf and ident.startswith(("gene:", "gene-"))):
            key = gene_key if gtf else ident
            symbols[key] = attrs.get("Name") or attrs.get("gene_name") or attrs.get("gene_id", "")
        elif kind in _TRANSCRIPT_KINDS or (not gtf and ident.startswith(("transcript:", "rna-"))):
            seen.add("transcript")
            symbol = symbols.get(gene_key) or attrs.get("gene_name") or attrs.get("gene", "")
            if ident and (wanted(symbol) or (not symbol and gene_key)):  # no symbol: gene line later
                transcripts[ident] = _Parts(number, kind, chrom, _strand(source, number, strand), symbol, attrs,
                                            (start, end), gene_key)
    _check_any_models(source, seen)
    for ident, parts in list(transcripts.items()):
        parts.gene = parts.gene or symbols.get(parts.gene_key, "")
        if not wanted(parts.gene):
            del transcripts[ident]
    late = orphans & transcripts.keys()
    if late:
        _reread_parts(source, path, bool(gtf), {k: transcripts[k] for k in late})
    # a contig the reference has by its accession (a RefSeq FASTA on --build custom) keeps that name
    accessions = {k: chrom for k, (_, chrom) in _accessions().items() if k not in (lengths or {})} | (contig_map or {})
    if build is not None:
        _check_accession_builds(source, transcripts, build, contig_map or {})
    known = {canonical_contig(name): length for name, length in (lengths or {}).items()} | (lengths or {})
    _check_renamed_apart(source, transcripts, contig_map or {})
    return [_model(source, ident, parts, accessions, known) for ident, parts in transcripts.items()
            if (parts.cds and not _incomplete(parts.attrs)) or (not parts.cds and parts.exons and _non_coding(parts))]


def _check_renamed_apart(source: str, transcripts: dict[str, _Parts], contig_map: dict[str, str]) -> None:
    """Two contigs of the file that carry transcripts cannot be renamed to one contig by the contig map: one of them
    would be read on the other's sequence."""
    first: dict[str, tuple[str, _Parts]] = {}
    for ident, parts in transcripts.items():
        renamed = canonical_contig(contig_map.get(parts.chrom, parts.chrom))
        other_ident, other = first.setdefault(renamed, (ident, parts))
        if other.chrom != parts.chrom and (parts.chrom in contig_map or other.chrom in contig_map):
            raise InputError(source, f"transcript {ident} is on contig {parts.chrom} and {other_ident} on "
                             f"{other.chrom}, which the --contig-map renames to one contig, "
                             f"{contig_map.get(parts.chrom, parts.chrom)}: map each to its own", line=parts.line)


def _check_any_models(source: str, seen: set[str]) -> None:
    """A file without transcript lines or without exon lines has no model of any gene: said of the file (rather
    than of the first panel gene it lacks)."""
    if "transcript" not in seen:
        raise InputError(source, "no transcript models: no mRNA or transcript lines (exon and CDS lines are read "
                         "with their transcript's line)")
    if "exon" not in seen:
        raise InputError(source, "no transcript models: no exon lines")


def _reread_parts(source: str, path: str, gtf: bool, late: dict[str, _Parts]) -> None:
    """All parts of the transcripts in `late`, read again in a second pass: some came before their transcript's line
    (a GFF re-sorted by position puts an exon that starts with its transcript first)."""
    for parts in late.values():
        parts.exons.clear()
        parts.cds.clear()
        parts.stops.clear()
    for number, (_, _, kind, start, end, _, _, phase, text) in _lines(source, path):
        if kind in _PARTS:
            keys = [k for k in _part_parents(text, gtf) if k in late]
            if keys:
                _add_part(source, number, (kind, start, end, phase, text), gtf, [late[k] for k in keys])


def _add_part(source: str, number: int, line: tuple[str, str, str, str, str], gtf: bool,
              owners: list[_Parts]) -> None:
    """Add an exon, CDS or stop_codon line (kind, start, end, phase, attributes) to the transcripts it belongs to."""
    kind, start, end, phase, text = line
    span = _span(source, number, start, end)
    attrs = _gtf_attributes(text) if gtf else _gff3_attributes(text)
    if kind == "CDS" and phase not in ("0", "1", "2"):
        raise InputError(source, f"CDS line without a phase (0, 1 or 2): '{phase}'", line=number)
    for parts in owners:
        if kind == "exon":
            parts.exons.append((*span, number))
        elif kind == "CDS":
            parts.cds.append((*span, int(phase), number))
            if _incomplete(attrs):
                parts.attrs["partial"] = "true"
            if "protein_id" in attrs:
                parts.attrs.setdefault("cds_protein_id", attrs["protein_id"])
        else:
            parts.stops.append(span)


def _lines(source: str, path: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, 9 fields) of each feature line of the file at `path` (named `source`), up to a GFF3 ##FASTA
    section (sequence, not features); gzip is recognised by its magic bytes, and a UTF-8 byte order mark at the start
    is dropped."""
    try:
        with _open(path, "rt", encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if line.startswith("#") or not line.strip():
                    if line.startswith("##FASTA"):
                        return
                    continue
                fields = line.rstrip("\r\n").split("\t")
                if len(fields) != 9:
                    raise InputError(source, "a GFF3/GTF line needs 9 tab-separated columns", line=number)
                yield number, fields
    except UnicodeDecodeError:
        _not_utf8(source, path)
    except (OSError, EOFError) as exc:
        raise InputError(source, f"cannot read ({getattr(exc, 'strerror', None) or exc})") from None


def _open(path: str, mode: str, encoding: str | None = None) -> IO:
    """The file, through gzip when its first bytes say so."""
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, mode, encoding=encoding) if gzipped else open(path, mode, encoding=encoding)


def _not_utf8(source: str, path: str) -> NoReturn:
    """Raise the error naming the first line that is not UTF-8 (text is decoded in blocks, so it is looked for)."""
    with _open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            utf8_line(source, number, raw)
    raise InputError(source, "not UTF-8 text")  # a multi-byte character cut by the end of the file


def _part_parents(text: str, gtf: bool) -> list[str]:
    """The transcript key(s) of an exon/CDS/stop_codon line, found without parsing every attribute: GFF3's Parent
    values are split at their commas before they are percent-decoded (a comma within an ID is written %2C); a GTF's
    transcript_id is one value, as written."""
    found = (_GTF_TRANSCRIPT if gtf else _PARENT).search(text)
    if not found:
        return []
    return [found.group(1)] if gtf else [unquote(value) for value in found.group(1).split(",")]


def _gff3_attributes(text: str) -> dict[str, str]:
    out = {}
    for part in text.strip().split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip()] = unquote(value)
    return out


def _gtf_attributes(text: str) -> dict[str, str]:
    """GTF `key "value";` pairs; a repeated key (tag) gives its values joined by commas."""
    out: dict[str, str] = {}
    for key, value in _GTF_PAIR.findall(text):
        out[key] = f"{out[key]},{value}" if key in out else value
    return out


def _span(source: str, number: int, start: str, end: str) -> tuple[int, int]:
    """A feature line's start and end: whole numbers, 1-based, start <= end."""
    try:
        first, last = int(start), int(end)
    except ValueError:
        raise InputError(source, f"start '{start}' and end '{end}' must be whole numbers", line=number) from None
    if first < 1 or first > last:
        raise InputError(source, f"impossible start {first} and end {last} (positions are 1-based, start <= end)",
                         line=number)
    return first, last


def _strand(source: str, number: int, strand: str) -> str:
    if strand not in ("+", "-"):
        raise InputError(source, f"strand '{strand}' must be + or -", line=number)
    return strand


def _non_coding(parts: _Parts) -> bool:
    """A transcript without a CDS by its type and biotype (Ensembl biotype, GENCODE transcript_type, GTF
    transcript_biotype); an mRNA or a coding biotype without CDS lines is an incomplete record, not non-coding."""
    biotype = parts.attrs.get("biotype") or parts.attrs.get("transcript_type") or \
        parts.attrs.get("transcript_biotype", "")
    return parts.kind != "mRNA" and biotype not in _CODING_BIOTYPES


def _incomplete(attrs: dict[str, str]) -> bool:
    """A CDS whose start or end is not in the model (GENCODE/Ensembl tags, RefSeq partial=true or *_range)."""
    return bool(_INCOMPLETE & set(_tags(attrs))) or attrs.get("partial") == "true" or \
        "start_range" in attrs or "end_range" in attrs


def _tags(attrs: dict[str, str]) -> list[str]:
    """Tags in Ensembl's spelling ('MANE Select' -> 'MANE_Select')."""
    return [t.strip().replace(" ", "_") for t in attrs.get("tag", "").split(",") if t.strip()]


def _accessions() -> dict[str, tuple[str, str]]:
    """RefSeq chromosome accessions (NC_000001.11) -> their build and chromosome name (chr1), both builds."""
    return {row["refseq"]: (row["build"], f"chr{row['contig']}" if row["contig"] != "MT" else "chrM")
            for row in read_table("assemblies.tsv") if row["refseq"] != "."}


def _check_accession_builds(source: str, transcripts: dict[str, _Parts], build: str,
                            contig_map: dict[str, str]) -> None:
    """A transcript on a RefSeq accession of the other build (NC_000001.10, GRCh37's chromosome 1, in a GRCh38 run)
    is of another assembly: read as chr1, it would annotate the wrong bases."""
    accessions = _accessions()
    for ident, parts in transcripts.items():
        found, chrom = accessions.get(parts.chrom, (build, ""))
        if found != build and parts.chrom not in contig_map:
            raise InputError(source, f"transcript {ident} is on {parts.chrom}, {found}'s {chrom}, but the run is "
                             f"{build}: give a {build} annotation", line=parts.line)


def _dbxref(attrs: dict[str, str], database: str) -> str:
    return next((x.split(":", 1)[1] for x in attrs.get("Dbxref", "").split(",") if x.startswith(f"{database}:")), "")


def _identity(ident: str, attrs: dict[str, str]) -> tuple[str, str, str]:
    """(transcript id, RefSeq transcript id, protein id) in each dialect: Ensembl-style ids with their version."""
    transcript_id = attrs.get("transcript_id") or ident.split(":", 1)[-1]
    if transcript_id.startswith(("NM_", "NR_", "XM_", "XR_")):  # RefSeq: the Ensembl id, when given, is a Dbxref
        return _dbxref(attrs, "Ensembl") or transcript_id, transcript_id, attrs.get("cds_protein_id", "")
    version = attrs.get("transcript_version") or attrs.get("version")
    if version and "." not in transcript_id:
        transcript_id = f"{transcript_id}.{version}"
    protein = attrs.get("refseq_protein") or attrs.get("cds_protein_id", "")
    return transcript_id, attrs.get("mane_select", ""), protein


def _model(source: str, ident: str, parts: _Parts, accessions: dict[str, str], lengths: dict[str, int]) -> Transcript:
    """The checked model of one transcript; `lengths` are the contig lengths known (by name and canonical name)."""
    sign = 1 if parts.strand == "+" else -1
    _span(source, parts.line, *parts.span)
    if not parts.exons:
        raise InputError(source, f"transcript {ident} has CDS but no exon lines", line=parts.line)
    ordered = sorted(parts.exons, key=lambda r: r[0])
    chrom = accessions.get(parts.chrom, parts.chrom)
    length = lengths.get(chrom) or lengths.get(canonical_contig(chrom))
    if length is not None and ordered[-1][1] > length:
        raise InputError(source, f"transcript {ident} reaches {ordered[-1][1]:,}, beyond the end of contig {chrom} "
                         f"({length:,} bp)", line=parts.line)
    for (_, end, _), (start, _, line) in zip(ordered, ordered[1:], strict=False):
        if start <= end:
            raise InputError(source, f"exon overlaps another exon of {ident}", line=line)
    spans = [(s, e) for s, e, _ in ordered]
    coding = sorted(parts.cds, key=lambda r: r[0], reverse=sign == -1)
    done, before = 0, None
    for start, end, phase, line in coding:
        exon = next((i for i, (s, e) in enumerate(spans) if s <= start and end <= e), None)
        if exon is None:
            raise InputError(source, f"CDS {start}-{end} of {ident} is not inside an exon", line=line)
        if before is not None and not _joins(spans, before, (exon, start, end), sign):
            raise InputError(source, f"CDS {start}-{end} of {ident} does not continue the CDS before it "
                             f"({before[1]}-{before[2]}): the CDS runs on from the end of one exon to the start of "
                             "the next (no gap inside an exon, no exon skipped)", line=line)
        before = (exon, start, end)
        if phase != (3 - done % 3) % 3:
            raise InputError(source, f"CDS phase {phase} of {ident} disagrees with the CDS length before it "
                             f"(expected {(3 - done % 3) % 3})", line=line)
        done += end - start + 1
    bounds = [b for r in parts.cds for b in r[:2]] + [b for r in parts.stops for b in r]
    transcript_id, refseq, protein = _identity(ident, parts.attrs)
    return Transcript(
        id=transcript_id, refseq=refseq, protein=protein, gene=parts.gene,
        chrom=chrom, strand=sign,
        exons=tuple(spans if sign == 1 else spans[::-1]), cds=(min(bounds), max(bounds)) if parts.cds else None,
        tags=tuple(_tags(parts.attrs)),
    )


def _joins(spans: list[tuple[int, int]], before: tuple[int, int, int], after: tuple[int, int, int], sign: int) -> bool:
    """Does CDS segment `after` continue `before` along the spliced transcript (each: index in `spans`, the exons by
    position, then start and end)? `before` must reach the 3' end of its exon and `after` start at the 5' start of the
    next exon. (A RefSeq exon split by a genomic gap is two exons, its CDS two segments: they join.)"""
    exon, start, end = before
    next_exon, next_start, next_end = after
    if sign == 1:
        return next_exon == exon + 1 and end == spans[exon][1] and next_start == spans[next_exon][0]
    return next_exon == exon - 1 and start == spans[exon][0] and next_end == spans[next_exon][1]
