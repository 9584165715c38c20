"""The desks' matrix: one row per partnership in the shape of their own document, as CSV and XLSX."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from notifications.translations import N_, format_day, translator
from projections.agreements import written_until
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import contacts, details, status
from service.cells import CSV_BOM, XLSX_DATE_FORMAT, csv_cell, xml_text
from service.memo import DayMemo

# Provinces first, then cities and regencies, as the desks' document lists them.
_KIND_ORDER = {"sister_province": 0, "sister_city": 1}


@dataclass(frozen=True)
class Agreement:
    """One agreement in a matrix cell."""

    agreement_id: str
    document: str
    signed_on: str
    valid_until: str | None
    state: str
    days_left: int | None
    # What people read (pages, the exports' cells): the dates as written, `2016` or `Nov 2026`,
    # never the first or last day they stand for; the machine formats keep the ISO days above.
    signed_written: str = ""
    until_written: str | None = None


# Kept out of the JSON, whose contract is ISO days (docs/interfaces.md).
_WRITTEN = ("signed_written", "until_written")


@dataclass(frozen=True)
class MatrixRow:
    """A line of the matrix: who, with whom, which documents, status computed and published, notes."""

    no: int
    stream: str
    desk: str | None
    kind: str
    indonesia: str
    province: str | None
    partner: str
    country: str
    agreements: list[Agreement]
    stage: str
    activeness: str
    matrix_status: str
    assessed_status: str | None
    differs: bool
    last_activity_on: str | None
    developments: list[str]
    fields: list[str]
    contacts: list[str]


def _contact_text(contact: dict) -> str:
    parts = [contact.get("name", "")]
    parts += [contact[k] for k in ("role", "phone", "email") if contact.get(k)]
    return ", ".join(p for p in parts if p)


def matrix_row(no: int, state: PartnershipState, day: date, rules: Rules) -> MatrixRow | None:
    """The partnership's matrix line on `day`, or None when it was not registered yet."""
    current = status(state, day, rules)
    if current is None:
        return None
    info = details(state, day, rules)
    indonesia, partner = info.get("indonesia") or {}, info.get("partner") or {}
    recorded = {a.agreement_id: a for a in state.agreements}
    agreements = []
    for a in current.agreements:
        until = a.valid_until.isoformat() if a.valid_until else None
        kept = recorded.get(a.agreement_id)
        # An end worked out from a term is a real day; only a written end can be partial.
        written = written_until(kept, day) if kept is not None and until else None
        agreements.append(
            Agreement(
                a.agreement_id,
                a.document,
                a.signed_on.isoformat(),
                until,
                a.state,
                a.days_left,
                signed_written=kept.signed_on if kept else a.signed_on.isoformat(),
                until_written=written or until,
            )
        )
    return MatrixRow(
        no=no,
        stream=state.stream,
        desk=current.desk,
        kind=current.kind,
        indonesia=indonesia.get("name", ""),
        province=indonesia.get("province"),
        partner=partner.get("name", ""),
        country=partner.get("country", ""),
        agreements=agreements,
        stage=current.stage,
        activeness=current.activeness,
        matrix_status=current.matrix_status,
        assessed_status=current.assessed_status,
        differs=current.assessed_status is not None and current.assessed_status != current.matrix_status,
        last_activity_on=current.last_activity_on.isoformat() if current.last_activity_on else None,
        developments=[n.value for n in state.notes if n.on <= day],
        fields=list(info.get("fields") or []),
        contacts=[_contact_text(c) for c in contacts(state, day)],
    )


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


def matrix_order(row: MatrixRow) -> tuple:
    """The key of the matrix's order, which numbers its rows: kind, region, partner (the stream last)."""
    return (_KIND_ORDER.get(row.kind, 9), row.indonesia, row.partner, row.stream)


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
    ends = [a.valid_until for a in row.agreements if a.valid_until and a.state in ("in_force", "pending")]
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
