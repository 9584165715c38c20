"""The yearly report (Laporan Hasil Kerja Sama, Permendagri 25/2020): its nine sections from the record.

The sections are built once, as headings with paragraphs and tables of plain text, and written
either as a Word document (python-docx) or as the HTML preview of the partnership page, so both say
the same. Dates and amounts are written the Indonesian way with Babel ("7 Oktober 2016",
"Rp 150.000.000"). A section the record cannot fill says so, for the bureau to complete.

It is what a bureau signs and sends: A4, the letterhead of the Indonesian party's government
(service/letterhead.py), the report's title, its number, the nine sections numbered, then place,
date and the signature block.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from events.dates import PartialDate
from notifications.money import money
from notifications.words import desk_name
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.yearly import YearRecord, year_record
from service.api.i18n import translator
from service.docx_text import docx_safe
from service.letterhead import Letterhead, letterhead

HEADINGS = (
    "Judul",
    "Latar Belakang",
    "Maksud, Tujuan dan Sasaran",
    "Ruang Lingkup Kerja Sama",
    "Perkembangan/Hasil Kerja Sama",
    "Penerima Manfaat",
    "Pendanaan",
    "Hambatan",
    "Analisis Rencana Tindak Lanjut",
)
# The headings as the document numbers them: "1. Judul" … "9. Analisis Rencana Tindak Lanjut".
NUMBERED = tuple(f"{n}. {heading}" for n, heading in enumerate(HEADINGS, 1))
TO_COMPLETE = "bagian ini perlu dilengkapi oleh biro."
_KIND = {"sister_city": "Kota Kembar (Sister City)", "sister_province": "Provinsi Kembar (Sister Province)"}
_STATE = {"in_force": "berlaku", "lapsed": "telah berakhir", "pending": "belum berlaku", "terminated": "diakhiri"}
_WORDS = translator("id")


def tanggal(value: date | str | None) -> str:
    """`7 Oktober 2016`; a partial date as `Oktober 2016` or `2016`."""
    if value is None:
        return "—"
    if isinstance(value, str):
        parsed = PartialDate.parse(value)
        if parsed.precision == "year":
            return str(parsed.first.year)
        if parsed.precision == "month":
            return format_date(parsed.first, "MMMM y", locale="id")
        value = parsed.first
    return format_date(value, "d MMMM y", locale="id")


def uang(amount: float, currency: str) -> str:
    """`Rp 150.000.000`: the one way Pantau writes money (notifications/money.py)."""
    return money(amount, currency)


def _number(value: int) -> str:
    return format_decimal(value, locale="id")


@dataclass
class Section:
    """One of the nine sections: its heading, then paragraphs (str) and tables (rows, header first) in order."""

    heading: str
    blocks: list = field(default_factory=list)

    def say(self, text: str) -> Section:
        """Add a paragraph."""
        self.blocks.append(text)
        return self

    def tabulate(self, rows: list[list[str]]) -> Section:
        """Add a table whose first row is its header."""
        self.blocks.append(rows)
        return self

    @property
    def paragraphs(self) -> list[str]:
        """The section's paragraphs, tables left out."""
        return [b for b in self.blocks if isinstance(b, str)]

    @property
    def tables(self) -> list[list[list[str]]]:
        """The section's tables."""
        return [b for b in self.blocks if not isinstance(b, str)]


@dataclass
class Report:
    """The whole report: the partnership's name, the year, the nine sections in order, who it is from."""

    stream: str
    year: int
    title: str
    sections: list[Section]
    has_events: bool
    letterhead: Letterhead | None = None
    issued_on: date | None = None
    author: str = "Pantau"  # the document's author: the desk following the partnership, else Pantau

    @property
    def place_and_date(self) -> str:
        """`Bandung, 6 Januari 2024`: where and when it is signed (dots where the rules do not say)."""
        place = self.letterhead.place if self.letterhead else "…………………"
        return f"{place}, {tanggal(self.issued_on) if self.issued_on else '…………………'}"


def _parties(info: dict) -> tuple[str, str]:
    indonesia, partner = info.get("indonesia", {}), info.get("partner", {})
    country = Locale("id").territories.get(partner.get("country") or "", partner.get("country") or "")
    here = indonesia.get("name", "?") + (
        f" ({indonesia['province']})"
        if indonesia.get("province") and indonesia.get("province") != indonesia.get("name")
        else ""
    )
    return here, f"{partner.get('name', '?')} ({country})" if country else partner.get("name", "?")


def _title(record: YearRecord) -> str:
    here, there = _parties(record.details)
    kind = _KIND.get(record.details.get("kind") or "", "")
    return f"Laporan Hasil Kerja Sama {kind} {here} – {there} Tahun {record.year}".replace("  ", " ")


def _background(record: YearRecord, desk_name: str | None) -> Section:
    here, there = _parties(record.details)
    kind = _KIND.get(record.details.get("kind") or "", "kerja sama")
    section = Section(HEADINGS[1]).say(
        f"Kerja sama {kind} antara {here} dan {there}" + (f", diikuti oleh {desk_name}" if desk_name else "") + "."
    )
    if record.agreements:
        section.say(f"Dokumen kerja sama dan keadaannya per {tanggal(record.last_day)}:")
        section.tabulate(
            [["Dokumen", "Ditandatangani", "Berlaku mulai", "Berlaku sampai", "Keadaan"]]
            + [
                [
                    _WORDS("doc." + a.document),
                    tanggal(a.signed_on),
                    tanggal(a.valid_from),
                    tanggal(a.valid_until) if a.valid_until else "tanpa batas waktu",
                    _STATE.get(a.state, a.state),
                ]
                for a in record.agreements
            ]
        )
    else:
        section.say(f"Belum ada dokumen kerja sama yang tercatat per {tanggal(record.last_day)}; " + TO_COMPLETE)
    for draft in record.drafts:
        steps = "; ".join(
            f"{_WORDS('step.' + s.step)} {tanggal(s.occurred_on)} ({_WORDS('outcome.' + s.outcome)})"
            for s in draft.steps
            if s.on.year == record.year
        )
        closed = {"signed": "ditandatangani", "withdrawn": "ditarik"}.get(draft.closed or "", "")
        section.say(
            f"Rancangan {_WORDS('doc.' + draft.document)}"
            + (f" ({draft.title})" if draft.title else "")
            + f", diprakarsai {tanggal(draft.opened_on)}"
            + (f"; tahapan tahun ini: {steps}" if steps else "")
            + (f"; {closed} {tanggal(draft.closed_on)}" if closed else "")
            + "."
        )
    return section


def _scope(record: YearRecord) -> Section:
    fields = list(record.details.get("fields") or [])
    if not fields:
        return Section(HEADINGS[3]).say(f"Bidang kerja sama belum tercatat; {TO_COMPLETE}")
    return Section(HEADINGS[3]).say("Bidang kerja sama: " + ", ".join(fields) + ".")


def _developments(record: YearRecord) -> Section:
    section = Section(HEADINGS[4])
    if record.activities:
        section.say(f"Kegiatan tahun {record.year}, menurut tanggal:")
        section.tabulate(
            [["Tanggal", "Jenis", "Kegiatan", "Hasil"]]
            + [
                [tanggal(a.occurred_on), _WORDS(a.kind), a.title or _WORDS(a.kind), a.results or "—"]
                for a in record.activities
            ]
        )
    else:
        section.say(f"Tidak ada kegiatan yang tercatat pada tahun {record.year}.")
    plan = record.plan
    if plan["planned"]:
        rate = plan["realisation_rate"]
        section.say(
            f"Rencana Kegiatan Tahunan {record.year}: {len(plan['planned'])} butir direncanakan, "
            f"{len(plan['dropped'])} dibatalkan, {len(plan['realised'])} terlaksana, "
            f"{len(plan['outstanding'])} belum terlaksana; tingkat realisasi "
            + (format_decimal(rate * 100, "#,##0.#", locale="id") + "%" if rate is not None else "tidak dapat dihitung")
            + "."
        )
    else:
        section.say(f"Tidak ada Rencana Kegiatan Tahunan {record.year} yang tercatat.")
    if plan["unplanned"]:
        section.say(f"Kegiatan di luar rencana: {len(plan['unplanned'])}.")
    return section


def _beneficiaries(record: YearRecord) -> Section:
    # Where no beneficiaries are named, those who took part are (a visit's delegation, a class).
    named = [
        a for a in record.activities if a.beneficiaries or a.beneficiary_count is not None or a.participants is not None
    ]
    if not named:
        return Section(HEADINGS[5]).say(f"Penerima manfaat kegiatan tahun {record.year} belum tercatat; {TO_COMPLETE}")
    counts = [a.beneficiary_count if a.beneficiary_count is not None else a.participants for a in named]
    section = Section(HEADINGS[5])
    section.tabulate(
        [["Kegiatan", "Penerima manfaat", "Jumlah"]]
        + [
            [
                a.title or _WORDS(a.kind),
                a.beneficiaries or ("peserta kegiatan" if a.beneficiary_count is None else "—"),
                _number(count) if count is not None else "—",
            ]
            for a, count in zip(named, counts, strict=True)
        ]
    )
    section.say(f"Jumlah penerima manfaat yang tercatat: {_number(sum(c or 0 for c in counts))} orang.")
    return section


def _funding(record: YearRecord) -> Section:
    section = Section(HEADINGS[6])
    if record.funding:
        section.say("Pendanaan kegiatan tahun ini, per sumber dan mata uang:")
        section.tabulate(
            [["Sumber", "Jumlah"]] + [[t.source or "tidak disebut", uang(t.amount, t.currency)] for t in record.funding]
        )
    else:
        section.say(f"Pendanaan kegiatan tahun {record.year} belum tercatat; {TO_COMPLETE}")
    if record.budget:
        section.say(
            "Anggaran dalam Rencana Kegiatan Tahunan: "
            + "; ".join(f"{t.source or 'tidak disebut'} {money(t.amount, t.currency)}" for t in record.budget)
            + "."
        )
    return section


def _notes(heading: str, notes: list[tuple[date, str]], empty: str, extra: tuple[str, ...] = ()) -> Section:
    paragraphs = [f"{tanggal(on)}: {text}" for on, text in notes] + list(extra)
    return Section(heading, paragraphs or [empty])


def build(
    state: PartnershipState, year: int, rules: Rules, issued_on: date | None = None, number: str | None = None
) -> Report:
    """The report of `year` for the partnership, from its record, issued on `issued_on` under `number`.

    Without a number, the rules' pattern for the party's government (dots where none is set).
    """
    record = year_record(state, year, rules)
    title = _title(record)
    opening = [title + "."]
    if not record.has_events:
        opening.append(
            f"Catatan Pantau tidak memuat peristiwa apa pun pada tahun {year}; laporan ini perlu dilengkapi oleh biro."
        )
    outstanding = (
        (f"Butir rencana {year} yang belum terlaksana: " + ", ".join(_plan_names(record)) + ".",)
        if record.plan["outstanding"]
        else ()
    )
    desk = desk_name(rules, record.details.get("desk")) or None
    sections = [
        Section(HEADINGS[0], opening),
        _background(record, desk),
        Section(HEADINGS[2], [f"Catatan Pantau tidak memuat maksud, tujuan dan sasaran kerja sama; {TO_COMPLETE}"]),
        _scope(record),
        _developments(record),
        _beneficiaries(record),
        _funding(record),
        _notes(HEADINGS[7], record.obstacles, f"Tidak ada hambatan yang tercatat pada tahun {year}."),
        _notes(
            HEADINGS[8],
            record.follow_ups,
            f"Rencana tindak lanjut tahun {year} belum tercatat; {TO_COMPLETE}",
            outstanding,
        ),
    ]
    for section, heading in zip(sections, NUMBERED, strict=True):
        section.heading = heading
    issued = issued_on.year if issued_on else year + 1
    return Report(
        stream=state.stream,
        year=year,
        title=title,
        sections=sections,
        has_events=record.has_events,
        letterhead=letterhead(rules, record.details.get("indonesia") or {}, issued, number),
        issued_on=issued_on,
        author=desk or "Pantau",
    )


def _plan_names(record: YearRecord) -> list[str]:
    """The outstanding plan items by what they are called, not their codes."""
    items = {item.plan_id: item for item in record.plan_items}
    return [(items[p].title or _WORDS(items[p].kind)) if p in items else p for p in record.plan["outstanding"]]


def to_docx(report: Report) -> bytes:
    """The report as a Word document: the nine headings as Heading 1, in order."""
    from docx import (
        Document,  # loaded when a report is written, not with the command line
    )

    from service.report_layout import front, signature

    report = docx_safe(report)  # total over what the record holds: old rows may carry any text
    document = Document()
    front(document, report)
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for block in section.blocks:
            if isinstance(block, str):
                document.add_paragraph(block)
                continue
            table = document.add_table(rows=0, cols=len(block[0]))
            table.style = "Table Grid"
            for index, row in enumerate(block):
                cells = table.add_row().cells
                for cell, text in zip(cells, row):
                    cell.text = text
                    if index == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
    signature(document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def file_name(stream: str, year: int) -> str:
    """`laporan-kota-bandung-seoul-2023.docx`."""
    return f"laporan-{stream}-{year}.docx"
