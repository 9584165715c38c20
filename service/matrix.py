"""The desks' matrix: one row per partnership in the shape of their own document, as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from notifications.translations import N_, format_day, translator
from projections.agreements import written_until
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import contacts, details, status
from service.cells import csv_cell, xlsx_cells

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


class RowMemo:
    """Matrix lines already computed: for each partnership and day, the line of its latest state.

    A partnership's state at a position is a fold of an immutable record, so its line for a day
    never changes: under steady writes a matrix read recomputes only the partnerships written
    since the last read (status computation was the matrix readers' largest cost, bench/api_load.py).
    One line per partnership and day is kept, so memory follows the record, not the write rate.
    """

    def __init__(self, rules: Rules, limit: int = 100_000):
        self.rules, self.limit = rules, limit
        self._rows: dict[tuple[str, date], tuple[int, MatrixRow | None]] = {}

    def row(self, state: PartnershipState, day: date) -> MatrixRow | None:
        """The partnership's matrix line on `day` (numbered 0), or None when it was not registered yet."""
        key = (state.stream, day)
        kept = self._rows.get(key)
        if kept is not None and kept[0] == state.position:
            return kept[1]
        if len(self._rows) >= self.limit:  # many days asked: start afresh rather than grow
            self._rows = {}
        row = matrix_row(0, state, day, self.rules)
        self._rows[key] = (state.position, row)
        return row


def matrix(
    states: Sequence[PartnershipState],
    day: date,
    rules: Rules,
    desk: str | None = None,
    matrix_status: str | None = None,
    memo: RowMemo | None = None,
) -> list[MatrixRow]:
    """The matrix on `day`, numbered from 1, optionally of one desk and one status."""
    line = memo.row if memo is not None else (lambda state, on: matrix_row(0, state, on, rules))
    rows = [r for r in (line(s, day) for s in states) if r is not None]
    rows = [
        r
        for r in rows
        if (desk is None or r.desk == desk) and (matrix_status is None or r.matrix_status == matrix_status)
    ]
    rows.sort(key=lambda r: (_KIND_ORDER.get(r.kind, 9), r.indonesia, r.partner, r.stream))
    return [replace(r, no=i) for i, r in enumerate(rows, 1)]


def as_json(rows: list[MatrixRow]) -> list[dict]:
    """Plain JSON objects."""
    # Shallow on purpose: dataclasses.asdict deep-copies every string and costs more than the matrix.
    return [{**vars(r), "agreements": [_machine(a) for a in r.agreements]} for r in rows]


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
    ]


def headings(lang: str = "id") -> list[str]:
    """The exports' column headings in `lang`."""
    t = translator(lang)
    return [t(key) for key in COLUMNS]


def to_csv(rows: list[MatrixRow], lang: str = "id", desk_name=lambda desk: desk) -> str:
    """The matrix as CSV, one line per partnership (multi-line cells quoted), words in `lang`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headings(lang))
    writer.writerows([csv_cell(c) for c in _cells(r, lang, desk_name)] for r in rows)
    return out.getvalue()


def to_xlsx(rows: list[MatrixRow], day: date, lang: str = "id", desk_name=lambda desk: desk) -> bytes:
    """The matrix as an Excel workbook: a title line, the headings frozen with an autofilter, words in `lang`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    t = translator(lang)
    book = Workbook()
    sheet = book.active
    sheet_word, title, as_of = t("xcol.sheet"), t("matrix.title"), t("matrix.as_of")
    sheet.title = f"{sheet_word} {day.isoformat()}"
    sheet.append([f"{title} {as_of} {format_day(day, lang)}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headings(lang))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        xlsx_cells(sheet, _cells(row, lang, desk_name))
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFGHIJKL", (5, 22, 22, 8, 40, 14, 14, 60, 30, 36, 14, 26)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"  # the title and the headings stay while scrolling
    sheet.auto_filter.ref = f"A2:L{max(2, sheet.max_row)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
