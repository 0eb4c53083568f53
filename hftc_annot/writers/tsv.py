"""The report as TSV (a '## ' preamble, a header, one line per row) or as JSON; spreadsheet escaping lives here."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import TextIO

from hftc_annot.inheritance import SUMMARY_COLUMNS, SummaryLine
from hftc_annot.writers.rows import COLUMNS, ReportRow
from hftc_annot.writers.summary import without_candidates

__all__ = ["COLUMNS", "safe", "safe_line", "tsv_line", "write_json", "write_summary", "write_tsv"]

_FORMULA = frozenset("=+-@\t\r")
_FORMULA_CELL = re.compile("\t[=+\\-@\r]")
"""A cell after the first that starts like a formula, as it shows in the joined line."""


def safe(cell: str) -> str:
    """A cell from the input that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
    leading apostrophe, which spreadsheets hide and which marks the text as text."""
    return "'" + cell if cell[:1] in _FORMULA else cell


def tsv_line(cells: Iterable[str]) -> str:
    """The cells as one TSV line (no newline), each made safe for a spreadsheet: any cell can hold text from the input
    (IDs, sample names, FILTER, a --panel's groups, the input's own HGVS with --consequences from-input). Our own
    cells never start like a formula, so the joined line is checked first."""
    return safe_line("\t".join(cells))


def safe_line(line: str) -> str:
    """A line of tab-separated cells with each cell made safe for a spreadsheet (see `tsv_line`)."""
    if line[:1] in _FORMULA or _FORMULA_CELL.search(line):
        return "\t".join(safe(cell) for cell in line.split("\t"))
    return line


def write_tsv(handle: TextIO, preamble: list[str], lines: Iterable[str]) -> None:
    """The preamble, the header and the report's rows, given as tab-joined lines (ReportRows.lines)."""
    handle.writelines(f"## {line}\n" for line in preamble)
    handle.write("\t".join(COLUMNS) + "\n")
    handle.writelines(safe_line(line) + "\n" for line in lines)


def write_summary(handle: TextIO, preamble: list[str], lines: list[SummaryLine], assessed: Sequence[str]) -> None:
    """The --summary table: the preamble with the `assessed` samples (affected or of unknown status) that have no
    candidate, a header, one line per candidate finding (strongest first); text from the input (sample names,
    evidence) made safe."""
    handle.writelines(f"## {line}\n" for line in preamble)
    without = without_candidates(assessed, lines)
    handle.write(f"## without_candidates: {len(without)} of {len(assessed)} samples assessed (affected or of unknown "
                 f"status){': ' + ', '.join(without) if without else ''}\n")
    handle.write("\t".join(SUMMARY_COLUMNS) + "\n")
    handle.writelines(tsv_line(line.cells()) + "\n" for line in lines)


def write_json(handle: TextIO, preamble: list[str], rows: Iterable[ReportRow], summary: list[SummaryLine],
               assessed: Sequence[str], warnings: Sequence[str] = ()) -> None:
    """metadata (the preamble lines), the run's warnings about its inputs (as the HTML report lists them), the ranked
    summary (strongest first), the `assessed` samples (affected or of unknown status) without a summary line,
    columns, and rows as objects of text cells."""
    document = {"metadata": preamble, "warnings": list(warnings),
                "summary": [dict(zip(SUMMARY_COLUMNS, line, strict=True)) for line in summary],
                "without_candidates": without_candidates(assessed, summary),
                "columns": list(COLUMNS), "rows": [row._asdict() for row in rows]}
    json.dump(document, handle, indent=1, ensure_ascii=False)
    handle.write("\n")
