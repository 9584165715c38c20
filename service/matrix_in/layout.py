"""The tables of a grid: each header row found, its title lines above it, its data rows below."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.matrix_in.columns import header_columns, is_number_row, normal
from service.matrix_in.grid import Grid, GridRow, Line
from service.matrix_in.problems import MatrixRefused, Problem

_ONLY_NUMBER = re.compile(r"^\s*\d{1,4}\s*[.)]?\s*$")
# A line under a table that is not a row: where the data comes from, a footnote.
_FOOTNOTE = re.compile(r"^\s*(sumber|source|keterangan|ket\.|catatan|\*)\s*[:.)]?", re.IGNORECASE)


@dataclass
class Table:
    """One table of the matrix: the titles above it, where each column is, and its rows."""

    titles: tuple[str, ...]
    columns: dict[str, int]
    headings: dict[str, str]
    rows: list[GridRow] = field(default_factory=list)


def tables(grid: Grid) -> tuple[list[str], list[Table]]:
    """Every line of text seen (titles first) and the tables, or MatrixRefused when none has a header row."""
    lines: list[str] = []
    pending: list[str] = []
    found: list[Table] = []
    current: Table | None = None
    header: list[str] = []
    for block in grid.blocks:
        if isinstance(block, Line):
            if not _FOOTNOTE.match(block.text):
                pending.append(block.text)
                lines.append(block.text)
            continue
        texts = block.texts()
        filled = [t for t in texts if t]
        if not filled or is_number_row(texts):
            continue
        columns = header_columns(texts)
        if columns is not None:
            if current is not None and [normal(t) for t in texts] == header:
                continue  # the header repeated (on each page, or pasted twice)
            headings = {key: texts[index] for key, index in columns.items()}
            current = Table(tuple(pending), columns, headings)
            found.append(current)
            header = [normal(t) for t in texts]
            pending = []
            continue
        if len(filled) == 1 and (current is None or not _fills_data(current, texts)):
            if not _FOOTNOTE.match(filled[0]) and not _ONLY_NUMBER.match(filled[0]):  # "17.": a template's spare row
                pending.append(filled[0])
                lines.append(filled[0])
            continue
        if current is None:
            continue
        if pending:  # a section title inside a table: the rows after it are under it
            current = Table(tuple(pending), current.columns, current.headings)
            found.append(current)
            pending = []
        current.rows.append(block)
    if not found:
        raise MatrixRefused(Problem("mi.no_header"))
    if not any(t.rows for t in found):
        raise MatrixRefused(Problem("mi.no_rows"))
    return lines, [t for t in found if t.rows]


def _fills_data(table: Table, texts: list[str]) -> bool:
    """Whether a row with one filled cell is a data row (its cell is the partner's) rather than a title."""
    index = table.columns["partner"]
    return index < len(texts) and bool(texts[index])
