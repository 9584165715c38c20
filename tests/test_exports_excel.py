"""Exports open right in Excel: CSV with a UTF-8 byte order mark, XLSX with its end dates as date cells."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from service.matrix import in_force_until
from tests.api_fixtures import build

AS_OF = {"as_of": "2010-01-01"}  # the sample's agreements in force then have ends; by 2021 they had lapsed


@pytest.fixture
def sample_api(database, engine, clock):
    client = build(database, engine, clock, sample=True)
    with client.client:
        yield client


def test_every_csv_export_begins_with_a_byte_order_mark_and_reads_back_as_utf8(sample_api):
    from projections.status import statuses
    from service.api.reads import current_states
    from service.status_output import to_csv

    api = sample_api
    pantau = api.pantau
    texts = [
        api.get("/api/matrix", params={"format": "csv", **AS_OF}).content,
        to_csv(statuses(current_states(pantau), pantau.today(), pantau.rules)).encode(),
    ]
    for raw in texts:
        assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0][0] in ("No.", "stream") and len(rows) > 10


def test_the_xlsx_end_dates_are_date_cells_that_sort(sample_api):
    api = sample_api
    xlsx = api.get("/api/matrix", params={"format": "xlsx", **AS_OF})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    headings = [c.value for c in sheet[2]]
    assert headings[-1] == "Berlaku s.d." and sheet.auto_filter.ref.startswith("A2:M")
    json_rows = {r["stream"]: r for r in api.get("/api/matrix", params=AS_OF).json()["rows"]}
    ends = {}
    for line in sheet.iter_rows(min_row=3):
        stream, end = line[11].value, line[12]
        agreements = json_rows[stream]["agreements"]
        due = [a["valid_until"] for a in agreements if a["valid_until"] and a["state"] in ("in_force", "pending")]
        if due:
            assert end.is_date and isinstance(end.value, datetime), (stream, end.value)
            assert end.value.date().isoformat() == max(due)
            ends[stream] = end.value
        else:
            assert end.value is None, stream
    assert len(ends) >= 3 and sorted(ends.values())  # comparable values: a sort by the column works
    csv_rows = list(csv.reader(io.StringIO(api.get("/api/matrix", params={"format": "csv", **AS_OF}).text)))
    in_csv = {r[11]: r[12] for r in csv_rows[1:]}
    assert all(in_csv[s] == d.date().isoformat() for s, d in ends.items())  # ISO days, which Excel reads as dates


def test_the_end_date_is_the_latest_of_the_agreements_in_force_or_pending():
    from service.matrix import Agreement, MatrixRow

    def agreement(until, state):
        return Agreement("a", "MoU", "2020-01-01", until, state, None)

    row = MatrixRow.__new__(MatrixRow)
    for agreements, want in (
        ([agreement("2025-01-09", "in_force"), agreement("2030-05-01", "pending")], "2030-05-01"),
        ([agreement("2031-01-01", "lapsed"), agreement("2024-02-02", "in_force")], "2024-02-02"),
        ([agreement("2031-01-01", "terminated"), agreement(None, "in_force")], None),
    ):
        object.__setattr__(row, "agreements", agreements)
        got = in_force_until(row)
        assert (got.isoformat() if got else None) == want
