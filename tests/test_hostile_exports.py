"""Exports are safe to open and never fail on stored text: no live formulas, no illegal characters."""

from __future__ import annotations

import csv
import io

import msgspec
import pytest
from openpyxl import load_workbook

from events.catalogue import NoteAdded
from service.cells import FORMULA_START
from tests import helpers as h
from tests.api_fixtures import build

S = "kota-bandung-seoul"
FORMULAS = ['=HYPERLINK("http://evil.example","klik")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    with client.client:
        yield client


def stored_note(text: str, on: str = "2026-11-01"):
    """A note as an earlier release may have stored it (before control characters were refused)."""
    event = h.event(S, "NoteAdded", on, {"text": "placeholder " + on})
    return msgspec.structs.replace(
        event, data_json=msgspec.json.encode({"text": text}).decode(), payload=NoteAdded(text=text)
    )


def test_text_that_starts_a_formula_is_text_in_csv_and_xlsx(api):
    for i, text in enumerate(FORMULAS):
        response = api.post(
            "/api/events",
            {
                "stream": S,
                "type": "NoteAdded",
                "occurred_on": f"2026-10-{i + 1:02d}",
                "data": {"text": text.replace("\r", "")},
            },
        )
        assert response.status_code == 201, response.json()
    signed = api.post(
        "/api/events",
        {
            "stream": S,
            "type": "AgreementSigned",
            "occurred_on": "2026-10-20",
            "data": {"agreement_id": "=cmd|' /C calc'!A0", "document": "MoU"},
        },
    )
    assert signed.status_code == 201
    rows = list(csv.reader(io.StringIO(api.get("/api/matrix?format=csv").text.removeprefix("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not any(c.startswith(FORMULA_START) for c in cells)
    notes = [r for r in rows if r[11] == S][0][7]
    assert "'=HYPERLINK" in notes.split("\n")[0] or notes.startswith("'")
    book = load_workbook(io.BytesIO(api.get("/api/matrix?format=xlsx").content))
    sheet = book.active
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            assert cell.data_type != "f", cell.value
    status_csv = api.get("/api/status").json()  # the CLI's CSV is checked in test_cli; here the ids
    assert any(a["agreement_id"].startswith("=") for row in status_csv for a in row["agreements"])
    from projections.status import statuses
    from service.api.reads import current_states
    from service.status_output import to_csv

    text = to_csv(statuses(current_states(api.pantau), api.pantau.today(), api.pantau.rules))
    assert not any(c.startswith(FORMULA_START) for row in csv.reader(io.StringIO(text)) for c in row)


def test_a_formula_cell_keeps_its_text_in_xlsx(api):
    api.post(
        "/api/events",
        {
            "stream": S,
            "type": "PartnershipDetailsChanged",
            "occurred_on": "2026-10-01",
            "data": {"partner": {"name": FORMULAS[0]}},
        },
    )
    book = load_workbook(io.BytesIO(api.get("/api/matrix?format=xlsx").content))
    partner = [row for row in book.active.iter_rows(min_row=3) if row[11].value == S][0][2]
    assert partner.value == FORMULAS[0] and partner.data_type == "s"


def test_control_characters_already_stored_do_not_break_any_export(api):
    api.pantau.store.append([stored_note("nul\x00here", "2026-10-01"), stored_note("bell\x07\x1b[31m", "2026-10-02")])
    for fmt in ("csv", "xlsx", "json"):
        assert api.get(f"/api/matrix?format={fmt}").status_code == 200, fmt
    book = load_workbook(io.BytesIO(api.get("/api/matrix?format=xlsx").content))
    notes = [row for row in book.active.iter_rows(min_row=3) if row[11].value == S][0][7].value
    assert "nul\ufffdhere" in notes
    assert api.client.get("/api/partnerships/" + S, headers=api.headers()).status_code == 200
