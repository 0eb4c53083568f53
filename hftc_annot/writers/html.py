"""Self-contained HTML report for genetic counselors, rendered from a Jinja2 template with autoescaping."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from hftc_annot.consequence.terms import UNKNOWN, terms
from hftc_annot.consequence.transcripts import Transcript
from hftc_annot.inheritance import SummaryLine
from hftc_annot.inheritance.flags import CONFIDENCE, KINDS
from hftc_annot.inheritance.phase import PHASED_CIS_PARENTAL_TRANS, UNKNOWN_BY_PARENTS
from hftc_annot.inheritance.summary import TIER_ORDER
from hftc_annot.knowledge.tiers import rules
from hftc_annot.panel import Gene
from hftc_annot.writers.rows import MISSING, ReportRow
from hftc_annot.writers.summary import without_candidates

if TYPE_CHECKING:
    import jinja2

CORE = "core HFTC"
FIGURE_WIDTH, LEFT, RIGHT = 900, 20, 880
"""The gene figure's least width and the x of its 5' and 3' ends (SVG units); a figure is widened when a label
near the 3' end needs the room."""
ROW_HEIGHT, CHAR_WIDTH, LABEL_GAP = 16, 7.0, 8
"""Label rows of a figure: their spacing, the width allowed per character of a 12px label, and the room left
between a circle and its label."""
FIGURE_LABELS = 40
"""Findings labelled on one gene figure, the strongest first; the others are circles on the lowest row, their
label in the tooltip (hundreds of labels are unreadable, and placing them takes time that grows as their cube)."""
LABEL_CHARS = 30
"""The longest figure label; a longer HGVS (a long insertion's bases) is cut, whole in the tooltip, so that one label
does not widen the figure and shrink all of it to fit the page."""


class Cell(NamedTuple):
    """One labelled line of a finding's notes."""

    label: str
    text: str


class Finding(NamedTuple):
    """A report row as the template shows it: cells with '' for '.', and the words worked out from them."""

    row: ReportRow
    consequence: str
    protein_unknown: bool
    inheritance: list[str]
    notes: list[Cell]


class Lollipop(NamedTuple):
    """A finding drawn on a gene figure: the circle (x, y), its label (drawn from label_x) and tooltip."""

    x: float
    y: float
    tier: str
    label: str
    label_x: float
    title: str


class Figure(NamedTuple):
    """One gene's transcript drawn 5' to 3' (numbers in SVG units) with its findings."""

    gene: str
    transcript: str
    exon_count: int
    width: int
    height: int
    track_y: int
    exons: list[tuple[float, float]]
    coding: list[tuple[float, float]]
    findings: list[Lollipop]
    spans: list[Span]


class Span(NamedTuple):
    """The bases a structural variant takes (deleted, duplicated, inverted), drawn as a bar under the exons."""

    x: float
    width: float
    tier: str
    title: str


@cache
def _environment() -> jinja2.Environment:
    import jinja2  # here, not at the top: only a run that writes HTML pays for the import

    return jinja2.Environment(loader=jinja2.PackageLoader("hftc_annot.writers", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def _blank(row: ReportRow) -> ReportRow:
    return ReportRow._make("" if cell == MISSING else cell for cell in row)


def _best_confidence(cell: str) -> int:
    """0 for high, 1 medium, 2 low, 3 when the row has no inheritance flag."""
    return min((CONFIDENCE.index(c) for c in cell.split(";") if c in CONFIDENCE), default=len(CONFIDENCE))


def strength_order(rows: list[ReportRow]) -> list[ReportRow]:
    """Rows strongest first: tier, best confidence, core HFTC genes first, sample (order given), gene, position."""
    samples: dict[str, int] = {}
    for row in rows:
        samples.setdefault(row.sample, len(samples))
    return sorted(rows, key=lambda r: (TIER_ORDER.index(r.evidence_tier), _best_confidence(r.confidence),
                                       r.panel_group != CORE, samples[r.sample], r.gene, int(r.pos)))


def _dominant_zygosity(row: ReportRow) -> str:
    """The call of the row's AD flag in words, as its evidence begins (rules.dominant_zygosity): a 1/1 call inside
    the sample's own deletion is 'hemizygous (the other copy is deleted)', not homozygous."""
    after = KINDS["AD"].candidate.removeprefix("{zygosity}")  # ' in an autosomal dominant gene'
    for part in row.evidence.split(" | "):
        words, found, _ = part.partition(after)
        if found:
            return words
    return "homozygous" if row.zygosity == "hom_alt" else "heterozygous"


def _inheritance(row: ReportRow) -> list[str]:
    """Each flag kind of the row in words with its confidence (the strongest pair's, with the number of pairs)."""
    if not row.inheritance_flags:
        return []
    words = []
    for cell, confidence, phase in zip(row.inheritance_flags.split(";"), row.confidence.split(";"),
                                       row.phase_evidence.split(";"), strict=True):
        name, _, pairs = cell.partition("(")  # 'AR_comphet(3 pairs)'
        words_of = KINDS[name].candidate.format(phase=phase.replace("_", " "),
                                                zygosity=_dominant_zygosity(row) if name == "AD" else "")
        text = f"{words_of}: {confidence} confidence"
        words.append(f"{text} ({pairs.removesuffix(')')})" if pairs else text)
    return words


def _notes(row: ReportRow) -> list[Cell]:
    """What a counselor reads about one finding, as labelled lines (empty cells left out)."""
    first = row.consequence.split("&")[0]
    notes = [Cell("effect", terms()[first].description)] if first in terms() else []
    if row.haplotype_phase:
        notes.append(Cell("haplotype", _haplotype(row)))
    evidence = list(dict.fromkeys(part.strip() for part in row.evidence.split(" | ") if part.strip()))
    notes += [Cell("inheritance", text) for text in evidence]
    if row.segregation:
        notes.append(Cell("family", row.segregation))
    if row.clinvar_id:
        stars = f" ({row.clinvar_stars} star{'' if row.clinvar_stars == '1' else 's'})" if row.clinvar_stars else ""
        notes.append(Cell("ClinVar", f"{row.clinvar_id}: {row.clinvar_significance}{stars}"))
    elif row.clinvar_nearby:
        notes.append(Cell("ClinVar", row.clinvar_nearby))
    if row.known_hftc_variant:
        notes.append(Cell("literature", f"{row.known_hftc_variant}; {row.known_hftc_reference}"
                          if row.known_hftc_reference else row.known_hftc_variant))
    if row.population_af:
        notes.append(Cell("population AF", row.population_af))
    if row.consequence_note:
        notes.append(Cell("note", row.consequence_note))
    return notes


def _haplotype(row: ReportRow) -> str:
    """'together with c.39C>A on the same chromosome: p.(Gln13Ter)', or 'if in cis with … (phase unknown)' for
    unknown phase, the reason named when the phased cis and the parents disagree."""
    own = row.hgvs_c.split(":c.", 1)[-1]
    changes = row.haplotype_hgvs_c.split(":c.[", 1)[-1].rstrip("]").split(";")
    others = ", ".join(f"c.{change}" for change in changes if change != own)
    protein = row.haplotype_hgvs_p.split(":", 1)[-1]
    words = row.haplotype_consequence.split("&")[0].replace("_variant", "").replace("_", " ")
    if row.haplotype_phase == "unknown":
        return f"if in cis with {others} (phase unknown): together {protein} ({words})"
    if row.haplotype_phase == UNKNOWN_BY_PARENTS:
        return f"if in cis with {others} (phase unknown: {PHASED_CIS_PARENTAL_TRANS}): together {protein} ({words})"
    where = "on both copies of the chromosome" if row.haplotype_phase == "cis (homozygous)" \
        else "on the same chromosome"
    return f"together with {others} {where}: {protein} ({words})"


def finding(row: ReportRow) -> Finding:
    """One report row prepared for the template."""
    shown = _blank(row)
    return Finding(shown, shown.consequence.replace("&", ", "), shown.impact == UNKNOWN, _inheritance(shown),
                   _notes(shown))


def _short(allele: str) -> str:
    return allele if len(allele) <= 8 else allele[:6] + "…"


def _label(row: ReportRow) -> str:
    """hgvs_c without its transcript, else 'pos ref>alt' (long alleles shortened)."""
    if row.hgvs_c != MISSING:
        return row.hgvs_c.split(":", 1)[-1]
    return f"{row.pos} {_short(row.ref)}>{_short(row.alt)}"


def _fit(label: str) -> str:
    """A figure label cut to LABEL_CHARS, with an ellipsis."""
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def _place(xs: list[float], widths: list[float]) -> list[int]:
    """The label row of each finding (xs ascending; labels start right of their circle): placed right to left,
    each in the lowest row where its circle and label overlap no other in that row and no stem of a finding
    placed higher crosses its label (a stem never crosses a label to its left, so a row is always found)."""
    placed: list[tuple[int, float, float]] = []  # row, circle x, label end
    rows = [0] * len(xs)
    for i in reversed(range(len(xs))):
        x, end = xs[i], xs[i] + LABEL_GAP + widths[i]
        row = 0
        while any((r == row and x - 6 < end_ + 4 and px - 6 < end + 4) or (r > row and x + LABEL_GAP <= px <= end)
                  for r, px, end_ in placed):
            row += 1
        placed.append((row, x, end))
        rows[i] = row
    return rows


def figure(gene: Gene, t: Transcript, rows: list[ReportRow]) -> Figure:
    """The transcript's exons (coding parts taller) from 5' to 3', each distinct finding at its position with its
    best tier; labels stagger into rows so that they do not overlap."""
    span = max(1, t.end - t.start)

    def x(g: int) -> float:
        fraction = (g - t.start) / span if t.strand == 1 else (t.end - g) / span
        return round(LEFT + min(1.0, max(0.0, fraction)) * (RIGHT - LEFT), 1)

    def box(a: int, b: int) -> tuple[float, float]:
        left, right = sorted((x(a), x(b)))
        return left, round(max(1.0, right - left), 1)

    exons = [box(start, end) for start, end in t.exons]
    low, high = t.cds or (0, -1)
    coding = [box(max(s, low), min(e, high)) for s, e in t.exons if max(s, low) <= min(e, high)]
    distinct: dict[tuple[str, str, str], ReportRow] = {}
    for row in strength_order(rows):
        distinct.setdefault((row.pos, row.alt, row.end), row)
    def spans(r: ReportRow) -> bool:
        return r.alt.startswith("<") and int(r.end) > int(r.pos)

    def anchor(r: ReportRow) -> float:
        """Where a finding's circle stands: its position, or the 5' end of a structural variant's bases."""
        return min(x(int(r.pos) + 1), x(int(r.end))) if spans(r) else x(int(r.pos))

    labelled = set(list(distinct)[:FIGURE_LABELS])
    points = sorted(distinct.values(), key=anchor)
    labels = [_fit(_label(r)) if (r.pos, r.alt, r.end) in labelled else "" for r in points]
    xs = [anchor(r) for r in points]
    widths = [len(label) * CHAR_WIDTH for label in labels]
    shown = [i for i, label in enumerate(labels) if label]
    rows_of = [0] * len(points)
    lift = int(len(shown) < len(points))  # labels above the row of unlabelled circles
    for i, row in zip(shown, _place([xs[i] for i in shown], [widths[i] for i in shown]), strict=True):
        rows_of[i] = row + lift
    track_y = 14 + max(rows_of, default=0) * ROW_HEIGHT + 36
    lollipops = []
    for r, label, cx, row in zip(points, labels, xs, rows_of, strict=True):
        consequence = r.consequence.replace("&", ", ")
        lollipops.append(Lollipop(cx, track_y - 36 - row * ROW_HEIGHT, r.evidence_tier, label, cx + LABEL_GAP,
                                  f"{_label(r)} ({consequence}), tier {r.evidence_tier}"))
    spans = [Span(*box(int(r.pos) + 1, int(r.end)), r.evidence_tier, f"{r.consequence_note} (tier {r.evidence_tier})")
             for r in points if spans(r)]
    width = max([FIGURE_WIDTH] + [math.ceil(cx + LABEL_GAP + w + 4) for cx, w in zip(xs, widths, strict=True)])
    return Figure(gene.symbol, t.refseq or t.id, len(t.exons), width, track_y + 34 + 12 * len(spans), track_y,
                  exons, coding, lollipops, spans)


def render(preamble: list[str], rows: Iterable[ReportRow], summary: list[SummaryLine], genes: tuple[Gene, ...],
           transcripts: dict[str, Transcript], not_covered: tuple[str, ...], notices: list[str],
           modes: dict[str, tuple[str, ...]], assessed: tuple[str, ...], unaffected: tuple[str, ...]) -> str:
    """The whole report as one HTML page; `summary` is ranked strongest first and keeps its order; `modes` are the
    --inheritance overrides, shown in the panel table instead of the panel's modes. `assessed` are the samples given
    candidates (affected or of unknown status), `unaffected` the others: the candidate diagnoses say
    which samples have none, and why an empty list is empty (no samples, none affected, no genotypes for the
    variants found (no FORMAT/GT: rows that name no sample), no fitting genotype)."""
    ordered = strength_order(list(rows))
    by_gene: dict[str, list[ReportRow]] = {}
    for row in ordered:
        by_gene.setdefault(row.gene, []).append(row)
    figures = [figure(g, transcripts[g.symbol], by_gene[g.symbol]) for g in genes
               if g.symbol in by_gene and g.symbol in transcripts]
    return _environment().get_template("report.html.j2").render(
        preamble=preamble, notices=notices, summary=summary, rules=rules(), findings=[finding(r) for r in ordered],
        figures=figures, genes=genes, modes=modes, not_covered=not_covered, left=LEFT, right=RIGHT,
        assessed=assessed, without=without_candidates(assessed, summary),
        unaffected=unaffected, genotyped=any(row.sample != MISSING for row in ordered),
        transcript_names={s: t.refseq or t.id for s, t in transcripts.items()})
