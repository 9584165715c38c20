"""The desks' matrix: one row per partnership in the shape of their own document, as CSV and XLSX."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date

from notifications.translations import N_, format_day, translator
from projections.agreements import IN_FORCE, PENDING
from projections.matrix_row import Agreement, MatrixRow, matrix_order, matrix_row
from projections.partnership import PartnershipState
from projections.rules import Rules
from service.cells import CSV_BOM, XLSX_DATE_FORMAT, csv_cell, xml_text
from service.memo import DayMemo

__all__ = ["Agreement", "MatrixRow", "RowMemo", "matrix", "matrix_order", "matrix_row"]

# Kept out of the JSON, whose contract is ISO days (docs/interfaces.md).
_WRITTEN = ("signed_written", "until_written")


class RowMemo(DayMemo["MatrixRow | None"]):
    """Matrix lines already computed, each kept while its partnership's state stays the same (service/memo.py)."""

    def __init__(self, rules: Rules, limit: int = 2000):
        super().__init__(lambda state, day: matrix_row(0, state, day, rules), limit)
        self.rules = rules

    def row(self, state: PartnershipState, day: date, evict: bool = True) -> MatrixRow | None:
        """The partnership's matrix line on `day` (numbered 0), or None when it was not registered yet."""
        return self.get(state, day, evict)


def matrix(
    states: Iterable[PartnershipState],
    day: date,
    rules: Rules,
    desk: str | None = None,
    matrix_status: str | None = None,
    memo: RowMemo | None = None,
) -> list[MatrixRow]:
    """The matrix on `day`, numbered from 1, optionally of one desk and one status.

    `states` may be read a chunk at a time: only the rows are held. The whole registry's rows go
    past a full memo without pushing the desks' rows out of it (service/memo.py).
    """
    evict = desk is not None

    def line(state: PartnershipState, on: date) -> MatrixRow | None:
        return memo.row(state, on, evict) if memo is not None else matrix_row(0, state, on, rules)

    rows = [r for r in (line(s, day) for s in states) if r is not None]
    rows = [
        r
        for r in rows
        if (desk is None or r.desk == desk) and (matrix_status is None or r.matrix_status == matrix_status)
    ]
    rows.sort(key=matrix_order)
    return [replace(r, no=i) for i, r in enumerate(rows, 1)]


def as_json(rows: list[MatrixRow]) -> list[dict]:
    """Plain JSON objects."""
    return [json_row(r) for r in rows]


def json_row(row: MatrixRow) -> dict:
    """One row as a plain JSON object."""
    # Shallow on purpose: dataclasses.asdict deep-copies every string and costs more than the matrix.
    return {**vars(row), "agreements": [_machine(a) for a in row.agreements]}


def _machine(agreement: Agreement) -> dict:
    # A copy less the written dates: cheaper than a filtering comprehension (bench/api_load.py reads this).
    out = vars(agreement).copy()
    for key in _WRITTEN:
        del out[key]
    return out


# Column headings of the exports, as catalogue keys (the desks' own document's columns first).
COLUMNS = (
    N_("xcol.no"),
    N_("xcol.region"),
    N_("xcol.partner"),
    N_("xcol.country"),
    N_("xcol.documents"),
    N_("xcol.computed"),
    N_("xcol.published"),
    N_("xcol.developments"),
    N_("xcol.fields"),
    N_("xcol.contact"),
    N_("xcol.desk"),
    N_("xcol.stream"),
    N_("xcol.until"),
)


def agreement_text(a: Agreement, lang: str = "id") -> str:
    """`MoU 7 Okt 2016 s.d. 6 Okt 2021 (berakhir)`: one agreement in a cell, in `lang`."""
    t = translator(lang)
    until = t("until.sep") + format_day(a.until_written or a.valid_until, lang) if a.valid_until else ""
    state = t(f"label.{a.state}")  # label.* are marked in notifications.translations
    return f"{a.document} {format_day(a.signed_written or a.signed_on, lang)}{until} ({state})"


def _cells(row: MatrixRow, lang: str, desk_name) -> list:
    t = translator(lang)
    return [
        row.no,
        row.indonesia,
        row.partner,
        row.country,
        "\n".join(agreement_text(a, lang) for a in row.agreements),
        t(row.matrix_status),
        t(row.assessed_status) if row.assessed_status else "",
        "\n".join(row.developments),
        ", ".join(row.fields),
        "\n".join(row.contacts),
        desk_name(row.desk) if row.desk else "",
        row.stream,
        in_force_until(row),
    ]


def in_force_until(row: MatrixRow) -> date | None:
    """The last day in force of the partnership's agreements in force or pending: the column to sort
    the coming ends by (a date cell in XLSX, an ISO day in CSV); None when none has an end."""
    ends = [a.valid_until for a in row.agreements if a.valid_until and a.state in (IN_FORCE, PENDING)]
    return date.fromisoformat(max(ends)) if ends else None


def headings(lang: str = "id") -> list[str]:
    """The exports' column headings in `lang`."""
    t = translator(lang)
    return [t(key) for key in COLUMNS]


def csv_lines(rows: Sequence[MatrixRow], lang: str = "id", desk_name=lambda desk: desk) -> Iterator[str]:
    """The matrix as CSV, a line at a time (multi-line cells quoted), words in `lang`."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headings(lang))
    for row in rows:
        yield out.getvalue()
        out.seek(0)
        out.truncate()
        writer.writerow([csv_cell(c) for c in _cells(row, lang, desk_name)])
    yield out.getvalue()


_WIDTHS = (5, 22, 22, 8, 40, 14, 14, 60, 30, 36, 14, 26, 14)


def xlsx_chunks(
    rows: Sequence[MatrixRow], day: date, lang: str = "id", desk_name=lambda desk: desk, chunk: int = 1 << 16
) -> Iterator[bytes]:
    """The matrix as an Excel workbook: a title line, the headings frozen with an autofilter, words in `lang`.

    openpyxl's write-only workbook keeps each row on disk as it is appended, so a whole desk's
    file costs the memory of one row; the finished file is then sent in chunks.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    t = translator(lang)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{t('xcol.sheet')} {day.isoformat()}")
    for number, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A3"  # the title and the headings stay while scrolling
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{len(rows) + 2}"
    title = WriteOnlyCell(sheet, f"{t('matrix.title')} {t('matrix.as_of')} {format_day(day, lang)}")
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    bold = []
    for heading in headings(lang):
        cell = WriteOnlyCell(sheet, heading)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, wrap) for value in _cells(row, lang, desk_name)])
    with tempfile.TemporaryFile() as out:
        book.save(out)
        out.seek(0)
        while part := out.read(chunk):
            yield part


def _xlsx_cell(sheet, value, alignment):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, xml_text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=HYPERLINK(…)" as a live formula
    elif isinstance(value, date):
        cell.number_format = XLSX_DATE_FORMAT
    cell.alignment = alignment
    return cell
