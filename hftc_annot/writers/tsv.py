"""The report as TSV (a '## ' preamble, a header, one line per row) or as JSON; spreadsheet escaping lives here."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from hftc_annot.inheritance import SUMMARY_COLUMNS, SummaryLine
from hftc_annot.writers.rows import COLUMNS, ReportRow

__all__ = ["COLUMNS", "safe", "write_json", "write_summary", "write_tsv"]

_FORMULA = frozenset("=+-@\t\r")
_FROM_INPUT = tuple(COLUMNS.index(c) for c in ("id", "sample", "filter", "evidence", "segregation"))
"""Columns whose text comes from the input (IDs, sample names, FILTER), so may start like a formula."""


def safe(cell: str) -> str:
    """A cell from the input that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
    leading apostrophe, which spreadsheets hide and which marks the text as text."""
    return "'" + cell if cell[:1] in _FORMULA else cell


def tsv_cells(row: ReportRow) -> list[str]:
    """The row's cells for a spreadsheet: text from the input made safe."""
    cells = list(row)
    for index in _FROM_INPUT:
        cells[index] = safe(cells[index])
    return cells


def write_tsv(handle: TextIO, preamble: list[str], rows: Iterable[ReportRow]) -> None:
    handle.writelines(f"## {line}\n" for line in preamble)
    handle.write("\t".join(COLUMNS) + "\n")
    handle.writelines("\t".join(tsv_cells(row)) + "\n" for row in rows)


def write_summary(handle: TextIO, preamble: list[str], lines: list[SummaryLine]) -> None:
    """The --summary table: the preamble, a header, one line per candidate finding (strongest first); text from
    the input (sample names, evidence) made safe."""
    handle.writelines(f"## {line}\n" for line in preamble)
    handle.write("\t".join(SUMMARY_COLUMNS) + "\n")
    for line in lines:
        cells = line.cells()
        cells[0], cells[7] = safe(cells[0]), safe(cells[7])
        handle.write("\t".join(cells) + "\n")


def write_json(handle: TextIO, preamble: list[str], rows: Iterable[ReportRow], summary: list[SummaryLine]) -> None:
    """metadata (the preamble lines), the ranked summary (strongest first), columns, and rows as objects of text
    cells."""
    document = {"metadata": preamble,
                "summary": [dict(zip(SUMMARY_COLUMNS, line, strict=True)) for line in summary],
                "columns": list(COLUMNS), "rows": [row._asdict() for row in rows]}
    json.dump(document, handle, indent=1, ensure_ascii=False)
    handle.write("\n")
