"""The gene panel: the shipped genes for a build, their padded target regions, shards, and genes per position.
Light to import (no numpy, no htslib), so that `hftc-annot panel` starts fast; hits.py applies it to records."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError, UsageError, text_lines
from hftc_annot.resources import BUILDS, genes_bed, read_table

if TYPE_CHECKING:
    from hftc_annot.regions import Regions

DEFAULT_PADDING = 5000
"""bp added on each side of a transcript: covers splice regions and VEP's 5 kb up/downstream window."""


@dataclass(frozen=True)
class Gene:
    """A panel gene with its MANE Select transcript span on one build (1-based, inclusive)."""

    symbol: str
    hgnc_id: str
    group: str
    secondary_group: str
    inheritance: tuple[str, ...]
    disorders: str
    omim_gene: str
    refseq: str
    ensembl_transcript: str
    protein: str
    chrom: str
    contig: str
    start: int
    end: int
    strand: str


@dataclass(frozen=True)
class Panel:
    """The genes in play for one run, and the regions the reader keeps."""

    build: str
    genes: tuple[Gene, ...]
    padding: int
    without_model: tuple[str, ...]
    custom_regions: tuple[tuple[str, int, int, str], ...] = ()

    @functools.cached_property
    def _by_contig(self) -> dict[str, tuple[Gene, ...]]:
        by_contig: dict[str, list[Gene]] = {}
        for gene in self.genes:
            by_contig.setdefault(gene.contig, []).append(gene)
        return {contig: tuple(genes) for contig, genes in by_contig.items()}

    def regions(self, contigs: Iterable[str] = ()) -> Regions:
        """The padded transcripts (or the --regions BED), numbering `contigs` too (see Regions)."""
        from hftc_annot.regions import Regions  # numpy: only for runs, not for `hftc-annot panel`

        if self.custom_regions:
            return Regions(((c, s, e) for c, s, e, _ in self.custom_regions), contigs)
        return Regions(((g.contig, g.start - self.padding, g.end + self.padding) for g in self.genes), contigs)

    def genes_at(self, contig: str, pos: int, end: int) -> tuple[tuple[Gene, ...], str]:
        """The genes whose padded span touches contig:pos-end (canonical contig name), and the name of the --regions
        BED region it falls in when no gene does ('.' otherwise)."""
        genes = tuple(g for g in self._by_contig.get(contig, ())
                      if g.start - self.padding <= end and pos <= g.end + self.padding)
        label = "."
        if self.custom_regions and not genes:
            label = next((n for c, s, e, n in self.custom_regions if c == contig and s <= end and pos <= e), ".")
        return genes, label


PANEL_FILE_COLUMNS = ("gene", "inheritance", "group", "disorders")
"""The columns of a --panel file, as `hftc-annot panel --format tsv` writes them; only `gene` is required."""
_MODE_WORDS = ("AR", "AD", "XLR", "XLD", "sporadic", "somatic mosaic")
"""What an inheritance cell may hold between its ';' and '/': the modes, and the qualifiers of the shipped facts."""


@dataclass(frozen=True)
class Model:
    """Where a gene without a shipped model on the run's assembly lies, from its chosen transcript in --gff."""

    chrom: str
    start: int
    end: int
    strand: str
    refseq: str
    ensembl_transcript: str
    protein: str

    @property
    def span(self) -> tuple[str, int, int, str]:
        return self.chrom, self.start, self.end, self.strand


def read_panel_file(path: str) -> dict[str, dict[str, str]]:
    """A --panel file: per gene symbol (file order), the facts its cells give ('' and '.' cells give none)."""
    lines = [(n, line) for n, line in text_lines(path, " (save it as UTF-8 tab-separated text)")
             if line.strip() and not line.startswith("#")]
    if not lines:
        raise InputError(path, "empty panel file: it needs a header line with a 'gene' column, then one gene per line")
    header_line, header_text = lines[0]
    columns = _without_empty_tail([_unquote(c) for c in header_text.split("\t")], 1)
    unknown = [c for c in columns if c not in PANEL_FILE_COLUMNS]
    if unknown or "gene" not in columns or len(set(columns)) < len(columns):
        raise InputError(path, f"header must name the columns {', '.join(PANEL_FILE_COLUMNS)} (gene required, each "
                         f"once), tab-separated; found {', '.join(repr(c) for c in columns)}", line=header_line)
    by_hgnc_id = {row["hgnc_id"].upper(): row["symbol"] for row in read_table("panel_facts.tsv")}
    genes: dict[str, dict[str, str]] = {}
    for number, text in lines[1:]:
        cells = _without_empty_tail([_unquote(c) for c in text.split("\t")], len(columns))
        if len(cells) != len(columns):
            raise InputError(path, f"{len(cells)} tab-separated cells where the header has {len(columns)}", line=number)
        given = {c: v.strip() for c, v in zip(columns, cells, strict=True) if v.strip() not in ("", ".")}
        symbol = given.pop("gene", "")
        if not symbol:
            raise InputError(path, "no gene symbol", line=number)
        named = symbol
        if symbol.upper().startswith("HGNC:"):  # a shipped gene's HGNC id stands for its symbol
            if symbol.upper() not in by_hgnc_id:
                raise InputError(path, f"{symbol} is not the HGNC id of a shipped panel gene: name the gene by its "
                                 "symbol (as --gff names it)", line=number)
            symbol = by_hgnc_id[symbol.upper()]
            named = f"{named} ({symbol})"
        if symbol.upper() in (g.upper() for g in genes):
            raise InputError(path, f"gene {named} is listed twice", line=number)
        modes = [[w.strip() for w in part.split("/")] for part in given.get("inheritance", "").split(";")
                 if part.strip()]
        bad = [w for mode in modes for w in mode if w not in _MODE_WORDS]
        if bad:
            raise InputError(path, f"inheritance '{bad[0]}' is not one of {', '.join(_MODE_WORDS[:4])} "
                             "(several separated by ';')", line=number)
        if modes:
            given["inheritance"] = ";".join("/".join(mode) for mode in modes)
        genes[symbol] = given
    if not genes:
        raise InputError(path, "no genes listed below the header")
    return genes


def _without_empty_tail(cells: list[str], keep: int) -> list[str]:
    """A line's cells without the empty ones after the first `keep`: the trailing tabs a spreadsheet or an editor
    leaves are not cells of their own."""
    while len(cells) > keep and not cells[-1].strip():
        cells.pop()
    return cells


def _unquote(cell: str) -> str:
    """A cell as a spreadsheet saves it in tab-separated text: one holding a comma or a quote is written "..." with
    each quote doubled; its text is what was typed."""
    text = cell.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return cell


def load_panel(build: str, symbols: list[str] | None = None, padding: int = DEFAULT_PADDING,
               custom: dict[str, dict[str, str]] | None = None, models: dict[str, Model] | None = None) -> Panel:
    """The shipped panel on `build`, or the genes of a --panel file (`custom`, from read_panel_file) with the shipped
    facts and spans of the shipped genes among them and `models` for the others; optionally cut down to `symbols`
    (case-insensitive). On an assembly without shipped models (--build custom) every span comes from `models`."""
    facts = {row["symbol"]: row for row in read_table("panel_facts.tsv")}
    spans = _shipped_spans(build) if build in BUILDS else {}
    if custom is not None:
        facts, spans = _custom_facts(custom, facts, spans, models or {})
    else:
        spans |= {s: m.span for s, m in (models or {}).items()}
    chosen = list(facts)
    if symbols:
        by_upper = {s.upper(): s for s in facts}
        unknown = [s for s in symbols if s.upper() not in by_upper]
        if unknown:
            raise UsageError(f"--genes: '{unknown[0]}' is not a panel gene; 'hftc-annot panel' lists the "
                             f"{len(facts)} genes")
        chosen = list(dict.fromkeys(by_upper[s.upper()] for s in symbols))
        lacking = [s for s in chosen if s not in spans]
        if lacking:
            raise UsageError(f"--genes: {', '.join(lacking)} has no transcript model on {build}; "
                             + ("use GRCh38 input, or give --gff with a model of it" if build in BUILDS
                                else "--gff does not have it"))
    genes = []
    for symbol in chosen:
        if symbol not in spans:
            continue
        f = facts[symbol]
        chrom, start, end, strand = spans[symbol]
        genes.append(Gene(
            symbol=symbol, hgnc_id=f["hgnc_id"], group=f["group"], secondary_group=f["secondary_group"],
            inheritance=tuple(m for m in f["inheritance"].split(";") if m), disorders=f["disorders"],
            omim_gene=f["omim_gene"], refseq=f["mane_select_refseq"], ensembl_transcript=f["mane_select_ensembl"],
            protein=f["mane_select_protein"],
            chrom=chrom, contig=canonical_contig(chrom), start=start, end=end, strand=strand,
        ))
    without_model = tuple(s for s in chosen if s not in spans)
    genes.sort(key=lambda g: (contig_rank(g.contig), g.start))
    return Panel(build=build, genes=tuple(genes), padding=padding, without_model=without_model)


def _shipped_spans(build: str) -> dict[str, tuple[str, int, int, str]]:
    spans = {}
    with open(genes_bed(build)) as handle:
        for line in handle:
            if not line.startswith("#"):
                chrom, start0, end, name, _, strand = line.rstrip("\n").split("\t")
                spans[name] = (chrom, int(start0) + 1, int(end), strand)
    return spans


def _custom_facts(custom: dict[str, dict[str, str]], shipped: dict[str, dict[str, str]],
                  shipped_spans: dict[str, tuple[str, int, int, str]], models: dict[str, Model]) -> tuple[dict, dict]:
    """Facts and spans of a --panel file's genes: shipped facts (matched case-insensitively) overridden by the file's
    cells, shipped spans for shipped genes, `models` for the others."""
    by_upper = {s.upper(): s for s in shipped}
    facts, spans = {}, {}
    for given_symbol, given in custom.items():
        symbol = by_upper.get(given_symbol.upper(), given_symbol)
        model = models.get(symbol)
        row = dict(shipped.get(symbol) or {
            "symbol": symbol, "hgnc_id": "", "group": "custom", "secondary_group": "", "inheritance": "",
            "disorders": "", "omim_gene": "", "mane_select_refseq": model.refseq if model else "",
            "mane_select_ensembl": model.ensembl_transcript if model else "",
            "mane_select_protein": model.protein if model else ""})
        row.update(given)
        facts[symbol] = row
        if symbol in shipped_spans:
            spans[symbol] = shipped_spans[symbol]
        elif model is not None:
            spans[symbol] = model.span
    return facts, spans


def shard_genes(genes: tuple[Gene, ...], padding: int, count: int) -> list[tuple[str, ...]]:
    """The genes split into `count` groups for cluster jobs, as symbols in panel order.

    A gene is never split, and genes whose padded spans overlap stay in one group (a record touching both
    must be annotated, and paired for compound hets, in one job). Groups are balanced by padded span length,
    largest first into the lightest group; the result depends only on the genes, padding and count.
    """
    clusters: list[list[Gene]] = []
    for gene in sorted(genes, key=lambda g: (contig_rank(g.contig), g.start)):
        last = clusters[-1][-1] if clusters else None
        if last and last.contig == gene.contig and gene.start - padding <= max(g.end for g in clusters[-1]) + padding:
            clusters[-1].append(gene)
        else:
            clusters.append([gene])
    if count > len(clusters):
        raise UsageError(f"cannot make {count} shards: the {len(genes)} genes form only {len(clusters)} "
                         "groups (genes whose padded spans overlap stay together)")
    size = {id(c): sum(g.end - g.start + 1 + 2 * padding for g in c) for c in clusters}
    loads = [0] * count
    members: list[list[Gene]] = [[] for _ in range(count)]
    for cluster in sorted(clusters, key=lambda c: (-size[id(c)], c[0].symbol)):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        loads[lightest] += size[id(cluster)]
        members[lightest] += cluster
    order = {g.symbol: i for i, g in enumerate(genes)}
    return [tuple(sorted((g.symbol for g in m), key=order.__getitem__)) for m in members]


def contig_rank(contig: str) -> tuple[int, str]:
    """Sort key of a canonical contig name: numbered contigs in numeric order, then the others by name."""
    return (int(contig), "") if contig.isdigit() else (100, contig)


MAX_POS = 2**31 - 1
"""The largest position a VCF record can have (htslib's); a BED end beyond it stands for the rest of the contig."""


def read_bed(path: str) -> tuple[tuple[str, int, int, str], ...]:
    """Regions from a BED file (plain or gzipped) as (canonical contig, 1-based start, end, name or '.')."""
    regions = []
    for number, line in text_lines(path):
        if not line.strip() or line.startswith(("#", "track", "browser")):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise InputError(path, "a BED line needs chrom, start and end separated by tabs", line=number)
        try:
            start0, end = int(fields[1]), int(fields[2])
        except ValueError:
            raise InputError(path, f"start '{fields[1]}' and end '{fields[2]}' must be whole numbers",
                             line=number) from None
        if start0 < 0 or end <= start0:
            raise InputError(path, f"empty or negative interval {start0}-{end} (BED is 0-based, end "
                             "exclusive)", line=number)
        if start0 >= MAX_POS:
            raise InputError(path, f"start {start0} is beyond the largest VCF position ({MAX_POS:,})", line=number)
        name = fields[3] if len(fields) > 3 and fields[3] else "."
        regions.append((canonical_contig(fields[0]), start0 + 1, min(end, MAX_POS), name))
    if not regions:
        raise InputError(path, "no regions in the BED file")
    return tuple(regions)


def on_other_build(panel: Panel) -> Panel | None:
    """The same genes and padding on the other build (those with a model there), for telling a file of the
    wrong build; None for a --regions run, whose BED has one build only, and on an assembly of the user's own."""
    if panel.custom_regions or panel.build not in BUILDS:
        return None
    other = next(build for build in BUILDS if build != panel.build)
    wanted = {g.symbol for g in panel.genes}
    full = load_panel(other, None, panel.padding)
    return dataclasses.replace(full, genes=tuple(g for g in full.genes if g.symbol in wanted))
