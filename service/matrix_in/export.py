"""The desk's matrix as the Word document it sends (A4 landscape, title and PER lines), re-importable as is."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import BinaryIO

from events.dates import DAY, MONTH, PartialDate
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import contacts, details, status
from service.matrix_in.countries import country_name

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
HEADER = (
    "NO.",
    "{side}",
    "MITRA",
    "DOKUMEN PERJANJIAN",
    "STATUS",
    "PERKEMBANGAN",
    "BIDANG KERJA SAMA",
    "CONTACT PERSON",
)
SIDE_HEADINGS = {"sister_province": "PROVINSI INDONESIA", "sister_city": "KOTA/KABUPATEN INDONESIA"}
TITLES = {"sister_province": "SISTER PROVINCE", "sister_city": "SISTER CITY"}
STATUS_WORDS = {
    "aktif": "AKTIF",
    "kurang_aktif": "KURANG AKTIF",
    "tidak_aktif": "TIDAK AKTIF",
    "penjajakan": "PENJAJAKAN",
}
# The computed status beside the published one: a line the import reads past (rows.status_of).
COMPUTED = "(menurut Pantau: {status})"
WIDTHS_CM = (1.0, 3.2, 3.2, 3.4, 2.4, 7.8, 3.6, 3.1)


def written(value: str | PartialDate) -> str:
    """A partial date as the matrices write it: "14 September 2009", "Desember 2020", "2012"."""
    day = PartialDate.parse(value) if isinstance(value, str) else value
    first = day.first
    if day.precision == DAY:
        return f"{first.day} {MONTHS_ID[first.month - 1]} {first.year}"
    if day.precision == MONTH:
        return f"{MONTHS_ID[first.month - 1]} {first.year}"
    return str(first.year)


def row_cells(state: PartnershipState, day: date, rules: Rules) -> tuple[str, list[str]] | None:
    """The partnership's kind and its eight cells on `day` (a cell's lines joined by newlines)."""
    current = status(state, day, rules)
    if current is None:
        return None
    info = details(state, day, rules)
    side, partner = info.get("indonesia") or {}, info.get("partner") or {}
    place = side.get("name", "")
    if side.get("level") != "province" and side.get("province"):
        place = f"{place}, {side['province']}"
    country = partner.get("country", "")
    documents = []
    for a in state.agreements:
        if a.start > day:
            continue
        line = f"{a.document}, {written(a.signed_on)}"
        renewals = [r.on for r in a.renewals if r.start <= day]
        if renewals:
            line += f" (diperpanjang {written(renewals[-1])})"
        documents.append(line)
    status_lines = [STATUS_WORDS[current.assessed_status]] if current.assessed_status else []
    if current.assessed_status != current.matrix_status:
        status_lines.append(COMPUTED.format(status=STATUS_WORDS.get(current.matrix_status, current.matrix_status)))
    people = [_person(c) for c in contacts(state, day) if c.get("side", "indonesia") == "indonesia"]
    cells = [
        place,
        f"{partner.get('name', '')}, {country_name(country)}" if country else partner.get("name", ""),
        "\n".join(documents),
        "\n".join(status_lines),
        "\n".join(f"• {n.value}" for n in state.notes if n.on <= day),
        ", ".join(info.get("fields") or []),
        "\n".join(people),
    ]
    return current.kind, cells


def _person(contact: dict) -> str:
    reach = ", ".join(contact[k] for k in ("phone", "email") if contact.get(k))
    return f"{contact.get('name', '')} ({reach})" if reach else contact.get("name", "")


def write_docx(
    states: Iterable[PartnershipState], day: date, rules: Rules, sink: BinaryIO, heading: str = "INDONESIA"
) -> int:
    """Write the matrix of `states` on `day` as .docx to `sink`: a table per kind, each numbered from 1; returns the rows."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    by_kind: dict[str, list[tuple[tuple, list[str]]]] = {"sister_province": [], "sister_city": []}
    for state in states:
        found = row_cells(state, day, rules)
        if found is not None:
            by_kind.setdefault(found[0], []).append(((found[1][0], found[1][1], state.stream), found[1]))
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # A4 landscape
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    total = 0
    for kind, rows in by_kind.items():
        if not rows:
            continue
        if total:
            document.add_paragraph()
        title = document.add_paragraph(f"MATRIKS KERJA SAMA {TITLES.get(kind, kind.upper())} {heading}")
        title.runs[0].bold = True
        document.add_paragraph(f"PER {written(PartialDate(day, DAY)).upper()}").runs[0].bold = True
        _table(document, kind, sorted(rows), Cm)
        total += len(rows)
    document.save(sink)
    return total


def _table(document, kind: str, rows: list, cm) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    table.style = "Table Grid"
    cells = table._cells  # the grid once: table.cell(r, c) walks it again on every call
    width = len(HEADER)
    for c, heading in enumerate(HEADER):
        cells[c].text = heading.format(side=SIDE_HEADINGS.get(kind, "DAERAH"))
        cells[c].paragraphs[0].runs[0].bold = True
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on each page, as the desks' own
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for r, (_, values) in enumerate(rows, start=1):
        for c, value in enumerate([f"{r}.", *values]):
            lines = value.split("\n")
            cell = cells[r * width + c]
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for c, size in enumerate(WIDTHS_CM):
        for r in range(len(rows) + 1):
            cells[r * width + c].width = cm(size)


def selected(states: Iterable[PartnershipState], day: date, rules: Rules, desk: str | None, region: str | None):
    """The partnerships of a desk or a region (by its province) on `day`; every one when neither is given."""
    for state in states:
        info = details(state, day, rules)
        if desk is not None and info.get("desk") != desk:
            continue
        if region is not None and (info.get("indonesia") or {}).get("province") != region:
            continue
        yield state


def heading_of(rules: Rules, desk: str | None, region: str | None) -> str:
    """The title's end: "INDONESIA DENGAN MITRA NEGARA KOREA SELATAN", or a region's own."""
    if region:
        return f"PEMERINTAH PROVINSI {region.upper()}"
    countries = rules.desk(desk).countries if desk else ()
    if countries:
        return "INDONESIA DENGAN MITRA NEGARA " + ", ".join(country_name(c).upper() for c in countries)
    return "INDONESIA"
