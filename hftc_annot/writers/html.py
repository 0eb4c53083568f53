"""Self-contained HTML report for genetic counselors: summary per sample, findings, gene figures, panel, sources.

No scripts and no network: inline CSS and inline SVG. Every value from the input is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from hftc_annot.consequence.terms import terms
from hftc_annot.consequence.transcripts import Transcript
from hftc_annot.inheritance import SummaryLine
from hftc_annot.panel import Gene
from hftc_annot.writers.rows import ReportRow

TIER_COLOURS = {"1": "#c0392b", "2": "#e67e22", "3": "#d4ac0d", ".": "#7f8c8d"}
_CSS = """
body{font-family:Arial,Helvetica,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;font-size:13px;width:100%}th,td{border:1px solid #ddd;padding:4px 6px;
vertical-align:top;text-align:left}th{background:#f4f4f4}.tier{font-weight:bold;color:#fff;padding:1px 6px;
border-radius:3px}.note{color:#555;font-size:12px}figure{margin:12px 0}figcaption{font-size:13px}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def explain(row: ReportRow) -> str:
    """One plain-language sentence for a finding."""
    variant = row.hgvs_c if row.hgvs_c != "." else f"{row.chrom}:{row.pos} {row.ref}>{row.alt}"
    parts = [f"{row.gene} {variant}"]
    if row.hgvs_p != ".":
        parts[0] += f" ({row.hgvs_p.split(':', 1)[-1]})"
    first = row.consequence.split("&")[0]
    if first in terms():
        parts.append(terms()[first].description)
    if row.sample != ".":
        parts.append(f"{row.sample} is {row.zygosity.replace('_', ' ')}")
    if row.evidence != ".":
        parts.append(row.evidence)
    if row.clinvar_id != ".":
        parts.append(f"ClinVar {row.clinvar_id}: {row.clinvar_significance} ({row.clinvar_stars} stars)")
    elif row.clinvar_nearby != ".":
        parts.append(row.clinvar_nearby)
    if row.known_hftc_variant != ".":
        parts.append("reported in the HFTC literature: " + row.known_hftc_variant)
    return "; ".join(parts) + "."


def _figure(gene: Gene, t: Transcript, rows: list[ReportRow]) -> str:
    """The transcript's exons (CDS taller) from 5' to 3', with each finding drawn at its position."""
    width, left, right = 900, 20, 880
    span = max(1, t.end - t.start)

    def x(g: int) -> float:
        fraction = (g - t.start) / span if t.strand == 1 else (t.end - g) / span
        return left + min(1.0, max(0.0, fraction)) * (right - left)

    shapes = [f'<line x1="{left}" y1="60" x2="{right}" y2="60" stroke="#555" stroke-width="1"/>']
    for start, end in t.exons:
        a, b = sorted((x(start), x(end)))
        shapes.append(f'<rect x="{a:.1f}" y="52" width="{max(1.0, b - a):.1f}" height="16" fill="#aab7c4"/>')
        cds_a, cds_b = max(start, t.cds[0]), min(end, t.cds[1])
        if cds_a <= cds_b:
            a, b = sorted((x(cds_a), x(cds_b)))
            shapes.append(f'<rect x="{a:.1f}" y="46" width="{max(1.0, b - a):.1f}" height="28" fill="#34495e"/>')
    seen = set()
    for row in rows:
        key = (row.pos, row.alt)
        if key in seen:
            continue
        seen.add(key)
        cx = x(int(row.pos))
        colour = TIER_COLOURS.get(row.evidence_tier, TIER_COLOURS["."])
        label = row.hgvs_c if row.hgvs_c != "." else f"{row.pos} {row.ref}>{row.alt}"
        shapes.append(f'<line x1="{cx:.1f}" y1="44" x2="{cx:.1f}" y2="20" stroke="{colour}" stroke-width="2"/>'
                      f'<circle class="finding" cx="{cx:.1f}" cy="16" r="5" fill="{colour}"><title>{_e(label)} '
                      f'(tier {_e(row.evidence_tier)})</title></circle>')
    return (f'<figure><svg class="gene-figure" xmlns="http://www.w3.org/2000/svg" width="{width}" height="90" '
            f'role="img" aria-label="{_e(gene.symbol)} findings">{"".join(shapes)}'
            f'<text x="{left}" y="86" font-size="11">5\'</text><text x="{right - 10}" y="86" font-size="11">3\'</text>'
            f'</svg><figcaption>{_e(gene.symbol)} ({_e(t.refseq or t.id)}, {len(t.exons)} exons, drawn 5\' to 3\'): '
            f'{len(seen)} finding(s); dark boxes are coding exons; colours are evidence tiers.</figcaption></figure>')


def render(preamble: list[str], rows: Iterable[ReportRow], summary: list[SummaryLine], genes: tuple[Gene, ...],
           transcripts: dict[str, Transcript], not_covered: tuple[str, ...]) -> str:
    """The whole report as one HTML page."""
    rows = list(rows)
    parts = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>hftc-annot report</title>",
             f"<style>{_CSS}</style></head><body>", "<h1>hftc-annot: calcification gene panel report</h1>",
             "<p class=\"note\">" + "<br>".join(_e(line) for line in preamble) + "</p>",
             "<p class=\"note\">Evidence tiers are not an ACMG classification; they order findings for review.</p>"]
    parts.append("<h2>Summary per sample</h2>")
    if summary:
        parts.append("<table><tr><th>sample</th><th>gene</th><th>candidate</th><th>confidence</th>"
                     "<th>variants</th><th>interpretation</th></tr>")
        parts += ["<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in line) + "</tr>" for line in summary]
        parts.append("</table>")
    else:
        parts.append("<p>No genotype fits a gene's mode of inheritance.</p>")
    parts.append("<h2>Findings</h2>")
    if rows:
        parts.append("<table><tr><th>tier</th><th>sample</th><th>gene</th><th>variant</th><th>consequence</th>"
                     "<th>genotype</th><th>inheritance</th><th>explanation</th></tr>")
        for row in rows:
            colour = TIER_COLOURS.get(row.evidence_tier, TIER_COLOURS["."])
            variant = f"{row.chrom}:{row.pos} {row.ref}>{row.alt}"
            parts.append(
                f"<tr><td><span class=\"tier\" style=\"background:{colour}\">{_e(row.evidence_tier)}</span>"
                f"<div class=\"note\">{_e(row.tier_reasons)}</div></td><td>{_e(row.sample)}</td>"
                f"<td>{_e(row.gene)}</td><td>{_e(variant)}<div class=\"note\">{_e(row.hgvs_c)}<br>"
                f"{_e(row.hgvs_p)}</div></td><td>{_e(row.consequence)}</td>"
                f"<td>{_e(row.genotype)} ({_e(row.zygosity)})</td><td>{_e(row.inheritance_flags)} "
                f"{_e(row.confidence)}</td><td>{_e(explain(row))}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No variant in the panel regions.</p>")
    parts.append("<h2>Genes with findings</h2>")
    by_gene: dict[str, list[ReportRow]] = {}
    for row in rows:
        by_gene.setdefault(row.gene, []).append(row)
    for gene in genes:
        if gene.symbol in by_gene and gene.symbol in transcripts:
            parts.append(_figure(gene, transcripts[gene.symbol], by_gene[gene.symbol]))
    parts.append("<h2>Panel</h2><table><tr><th>gene</th><th>group</th><th>inheritance</th><th>transcript</th>"
                 "<th>disorders</th></tr>")
    parts += [f"<tr><td>{_e(g.symbol)}</td><td>{_e(g.group)}</td><td>{_e(', '.join(g.inheritance))}</td>"
              f"<td>{_e(g.refseq)}</td><td>{_e(g.disorders)}</td></tr>" for g in genes]
    parts.append("</table>")
    if not_covered:
        parts.append(f"<p>Not covered on this build (no transcript model): {_e(', '.join(not_covered))}.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
