"""Noncharacters are refused on input; every file written (docx, xlsx, csv, ics, mail) holds whatever is stored."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from email import message_from_bytes, policy

import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import Workbook, load_workbook

from events.jsonl import ImportRefused, import_events
from events.text import text_errors
from notifications.mail import build as build_mail
from service.cells import csv_cell, xml_text
from service.report import Report, Section, to_docx
from tests import helpers as h
from tests.api_fixtures import build

S = "kota-bandung-seoul"
NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)
]
CONTROLS = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"]
SURROGATES = ["\ud800", "\udfff"]
# What a record may hold from before the input rules (surrogates cannot be stored; the writers take them too).
STORABLE = NONCHARACTERS[::7] + ["\ufffe", "\uffff", "\U0010ffff"] + CONTROLS
HOSTILE = STORABLE + SURROGATES
LONG = "Kota " + "Panjang" * 41 + "ujungnya"  # 300 characters


def test_the_66_noncharacters_are_refused_on_input_and_their_neighbours_are_text():
    assert len(NONCHARACTERS) == 66 and len(LONG) == 300
    for char in NONCHARACTERS:
        errors = text_errors({"title": f"a{char}b"})
        assert [e.field for e in errors] == ["title"], hex(ord(char))
        assert f"U+{ord(char):04X}" in errors[0].reason
    for char in ("\ufdcf", "\ufdf0", "\ufffd", "\U0001fffd", "\U000e0001", "é"):
        assert text_errors({"title": f"a{char}b"}) == [], hex(ord(char))


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    with client.client:
        yield client


def test_the_api_refuses_a_noncharacter_in_any_text_field(api):
    head = api.pantau.store.head()
    for char in ("\ufffe", "\uffff", "\ufdd0", "\U0001ffff", "\U0010fffe"):
        for data, field in (
            ({"activity_id": "a1", "kind": "visit", "title": f"Kunjungan{char}"}, "data.title"),
            ({"activity_id": "a1", "kind": "visit", "fields": ["x", char]}, "data.fields[1]"),
        ):
            envelope = {"stream": S, "type": "ActivityLogged", "occurred_on": "2026-11-01", "data": data}
            response = api.post("/api/events", envelope)
            assert response.status_code == 422, response.text
            assert [f["field"] for f in response.json()["error"]["fields"]] == [field]
    assert api.pantau.store.head() == head


def test_the_import_refuses_a_noncharacter_written_as_is_or_escaped(pantau, tmp_path):
    note = {"stream": S, "type": "NoteAdded", "occurred_on": "2026-11-01", "data": {"text": "ok"}}
    lines = [json.dumps(note)]
    for char in ("\ufffe", "\U0001ffff", "\ufdd0"):
        for ascii_only in (True, False):  # "\ufffe" escaped, or its UTF-8 bytes in the line
            lines.append(json.dumps({**note, "data": {"text": f"a{char}"}}, ensure_ascii=ascii_only))
    lines.append(json.dumps({**note, "meta": {"source": "\uffff"}}, ensure_ascii=False))
    path = tmp_path / "nonchars.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    head = pantau.store.head()
    with pytest.raises(ImportRefused) as refused, path.open("rb") as source:
        import_events(pantau.store, source, pantau.today())
    assert [(e.line, e.field) for e in refused.value.errors] == [(n, "data.text") for n in range(2, 8)] + [
        (8, "meta.source")
    ]
    assert pantau.store.head() == head


def test_a_report_of_any_text_is_a_word_document_its_title_cut_to_255():
    for char in HOSTILE:
        report = Report(
            stream=S,
            year=2026,
            title=f"{LONG}{char} – {LONG}",
            sections=[Section(f"Judul{char}", [f"paragraf{char}", [[f"sel{char}", "b"], [LONG + char, "c"]]])],
            has_events=True,
        )
        document = Document(io.BytesIO(to_docx(report)))
        title = document.core_properties.title
        assert len(title) == 255 and title.endswith("…"), hex(ord(char))
        text = [p.text for p in document.paragraphs]
        assert "paragraf\ufffd" in text and "Judul\ufffd" in text, hex(ord(char))
        assert document.tables[0].cell(0, 0).text == "sel\ufffd"


def stored_names(indonesia: str, partner: str, title: str, n: int = 1):
    """Bandung – Seoul renamed and an activity logged, as an earlier release may have stored them."""
    renamed = h.event(S, "PartnershipDetailsChanged", f"2026-01-{n:02d}", {"indonesia": {"name": "x"}})
    names = {"indonesia": {"name": indonesia}, "partner": {"name": partner}}
    logged = h.activity(f"2026-02-{n:02d}", "visit", f"a-hostile-{n}")
    data = {"activity_id": f"a-hostile-{n}", "kind": "visit", "title": title, "description": title}
    return [h.as_stored(renamed, names), h.as_stored(logged, data)]


def test_the_yearly_report_of_long_names_and_stored_noncharacters_is_served(api):
    for n, (indonesia, partner) in enumerate([(LONG, "Seoul"), ("Kota " + "B" * 120, "S" * 120)]):
        char = STORABLE[n]
        api.pantau.store.append(stored_names(indonesia + char, partner, f"Kunjungan{char}\uffff", n + 1))
        response = api.get(f"/api/partnerships/{S}/report/2026.docx")
        assert response.status_code == 200, response.text
        document = Document(io.BytesIO(response.content))
        assert len(document.core_properties.title) <= 255
        assert any("Kunjungan\ufffd\ufffd" in p.text for p in document.paragraphs) or any(
            "Kunjungan\ufffd\ufffd" in c.text for t in document.tables for row in t.rows for c in row.cells
        )


def test_spreadsheet_cells_hold_any_text():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("x")
    for char in HOSTILE:
        cell = xml_text(f"a{char}b")
        assert cell == "a\ufffdb", hex(ord(char))
        sheet.append([cell, csv_cell(f"={char}"), csv_cell(f"{char}=1")])
        for value in (csv_cell(f"a{char}b"), csv_cell(f"{char}=1")):
            value.encode("utf-8")  # a lone surrogate would stop the CSV mid-way
            assert not value.startswith(("=", "+", "-", "@"))
    assert len(xml_text("x" * 40_000)) == 32_767
    out = io.BytesIO()
    book.save(out)
    assert load_workbook(out).active.max_row == len(HOSTILE)


def test_every_export_and_the_calendar_hold_stored_noncharacters_and_long_names(api):
    api.post(
        "/api/events",
        {
            "stream": S,
            "type": "AgreementRenewed",
            "occurred_on": "2026-11-01",
            "data": {"agreement_id": "mou-2020", "valid_until": "2027-12-31"},
        },
    )
    hostile = "".join(STORABLE)
    api.pantau.store.append(stored_names(LONG + hostile, "Seoul\r\n" + hostile, "Kunjungan" + hostile))
    xlsx = api.get("/api/matrix?format=xlsx")
    assert xlsx.status_code == 200
    cells = [c.value for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith(LONG) and "\ufffd" in v for v in cells)
    text = api.get("/api/matrix?format=csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert not any(char in cell for row in rows for cell in row for char in STORABLE)
    feed = api.get("/api/calendar/kbri-seoul.ics")
    assert feed.status_code == 200
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    summaries = [str(e["summary"]) for e in events]
    assert summaries and all(LONG in s and "\ufffd" in s for s in summaries)
    assert not any(char in s for s in summaries for char in STORABLE)


def test_a_mail_of_any_stored_text_is_one_header_line_and_a_sendable_body():
    for char in HOSTILE + ["\r\n", "\n", "\r", "\t"]:
        row = {
            "to": ["putri@example.go.id"],
            "cc": [],
            "subject": f"Pengingat {LONG * 4}{char}Bcc: x@evil.example",
            "text": f"teks{char}badan",
            "html": f"<p>html{char}</p>",
            "message_id": "<k@pantau>",
            "key": f"renewal:{S}:mou{char}2016:2021-10-06:90",
            "language": "id",
        }
        raw = build_mail(row, "pantau@example.go.id", datetime(2026, 11, 23, tzinfo=timezone.utc)).as_bytes()
        parsed = message_from_bytes(raw, policy=policy.default)
        subject = str(parsed["Subject"])
        assert parsed["Bcc"] is None and "\n" not in subject and len(subject) <= 900, repr(char)
        assert str(parsed["X-Pantau-Key"]).startswith(f"renewal:{S}:mou") and "\n" not in str(parsed["X-Pantau-Key"])
        assert subject.startswith("Pengingat Kota") and not any(c in subject for c in HOSTILE)
        body = parsed.get_body(("plain",)).get_content()
        assert body.startswith("teks") and not any(c in body for c in HOSTILE if c not in "\t\n\r")


def test_a_regions_reports_name_the_one_that_failed_and_write_the_rest(database, engine, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import service.report
    from events.store import EventStore
    from service.cli import app

    if not database[0].startswith("sqlite"):
        pytest.skip("the command line is given one URL; the batch's behaviour does not depend on the database")
    others = ["kota-bogor-busan", "kota-depok-incheon"]
    EventStore(engine).append(
        [h.registered(), *(h.registered(s) for s in others), *stored_names(LONG + "\ufffe", "S" * 120, "x\uffff")]
    )
    real = service.report.to_docx

    def to_docx(report):
        if report.stream == others[0]:
            raise RuntimeError("disk full")
        return real(report)

    monkeypatch.setattr(service.report, "to_docx", to_docx)
    result = CliRunner().invoke(
        app,
        ["report", "--year", "2026", "--region", "Jawa Barat", "-o", str(tmp_path / "jabar")],
        env={"PANTAU_DATABASE_URL": database[0]},
    )
    assert result.exit_code == 1, result.output
    assert f"{others[0]}: not written: RuntimeError: disk full" in result.stderr
    assert "1 of 3 report(s) not written" in result.stderr
    assert sorted(p.name for p in (tmp_path / "jabar").iterdir()) == [
        f"laporan-{S}-2026.docx",
        f"laporan-{others[1]}-2026.docx",
    ]
