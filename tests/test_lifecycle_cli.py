"""`pantau pipeline` and `pantau plan` on an imported partnership, and the same answers over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from events import mapper
from tests.api_fixtures import build
from tests.helpers import activity, event
from tests.lifecycle_events import draft, planned, step, withdrawn
from tests.test_cli import in_parallel, pantau, stored

pytestmark = pytest.mark.service

STREAM = "kota-semarang-brisbane"


def _registered():
    return event(
        STREAM,
        "PartnershipRegistered",
        "2015-06-01",
        {
            "kind": "sister_city",
            "indonesia": {"name": "Kota Semarang", "level": "city", "province": "Jawa Tengah"},
            "partner": {"name": "Brisbane", "level": "city", "country": "AU"},
            "desk": "kbri-canberra",
        },
    )


HISTORY = [
    _registered(),
    draft("2023-01", draft_id="moa-2023", document="MoA", stream=STREAM),
    step("2023-02-15", "kajian", draft_id="moa-2023", stream=STREAM),
    step("2023-05-10", "dprd", "returned", draft_id="moa-2023", stream=STREAM),
    draft("2023-03-01", draft_id="loi-2023", document="LoI", stream=STREAM),
    withdrawn("2023-04-01", "loi-2023", stream=STREAM),
    planned("2022-11-20", "2023-youth", 2023, stream=STREAM, budget={"amount": 150000000, "currency": "IDR"}),
    planned("2022-11-20", "2023-expo", 2023, "festival", stream=STREAM),
    activity("2023-08-14", "exchange", "a-youth", stream=STREAM, plan_id="2023-youth", beneficiary_count=24),
    activity("2023-09-01", "video_call", "a-call", stream=STREAM),
    event(
        "kota-surakarta-montana",
        "PartnershipRegistered",
        "2019-01-01",
        {
            "kind": "sister_city",
            "indonesia": {"name": "Kota Surakarta", "level": "city", "province": "Jawa Tengah"},
            "partner": {"name": "Montana", "level": "state", "country": "US"},
        },
    ),
    event(
        "kota-bogor-saint-louis",
        "PartnershipRegistered",
        "2019-01-01",
        {
            "kind": "sister_city",
            "indonesia": {"name": "Kota Bogor", "level": "city", "province": "Jawa Barat"},
            "partner": {"name": "Saint Louis", "level": "city", "country": "US"},
        },
    ),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lifecycle")
    source = folder / "semarang.jsonl"
    source.write_bytes(b"".join(mapper.encode_line(e) for e in HISTORY))
    db = folder / "pantau.db"
    pantau(db, "import", str(source))
    return db


def test_the_pipeline_on_three_dates_and_the_plan(imported):
    early, middle, late, plan, table, desk = in_parallel(
        (imported, "pipeline", "--as-of", "2023-01-31", "--format", "json"),
        (imported, "pipeline", "--as-of", "2023-03-15", "--format", "json"),
        (imported, "pipeline", "--as-of", "2023-09-08", "--format", "json"),
        (imported, "plan", "--stream", STREAM, "--year", "2023", "--format", "json"),
        (imported, "pipeline", "--as-of", "2023-09-08"),
        (imported, "pipeline", "--as-of", "2023-09-08", "--desk", "kbri-seoul", "--format", "json"),
    )
    assert json.loads(early.stdout) == [
        {
            "stream": STREAM,
            "draft_id": "moa-2023",
            "document": "MoA",
            "reached": "opened",
            "waiting_for": "kajian",
            "since": "2023-01-01",
            "days_waiting": 30,
            "returned": False,
            "stalled": False,
        }
    ]
    assert [(r["draft_id"], r["reached"], r["waiting_for"], r["since"]) for r in json.loads(middle.stdout)] == [
        ("loi-2023", "opened", "kajian", "2023-03-01"),
        ("moa-2023", "kajian", "dprd", "2023-02-15"),
    ]
    assert json.loads(late.stdout) == [
        {
            "stream": STREAM,
            "draft_id": "moa-2023",
            "document": "MoA",
            "reached": "kajian",
            "waiting_for": "dprd",
            "since": "2023-05-10",
            "days_waiting": 121,
            "returned": True,
            "stalled": True,
        }
    ]
    assert json.loads(plan.stdout) == {
        "stream": STREAM,
        "year": 2023,
        "planned": ["2023-expo", "2023-youth"],
        "dropped": [],
        "realised": ["2023-youth"],
        "outstanding": ["2023-expo"],
        "unplanned": ["a-call"],
        "realisation_rate": 0.5,
    }
    assert "1 draft(s)" in table.stdout and table.returncode == 0
    assert json.loads(desk.stdout) == []


def test_bad_options_exit_2_naming_them(imported):
    today, bad_day, bad_stream, bad_year = in_parallel(
        (imported, "pipeline", "--format", "json"),
        (imported, "pipeline", "--as-of", "2023-13-01"),
        (imported, "plan", "--stream", "no-such-partnership", "--year", "2023", "--format", "json"),
        (imported, "plan", "--stream", STREAM, "--year", "23"),
    )
    assert [(r["draft_id"], r["since"], r["stalled"]) for r in json.loads(today.stdout)] == [
        ("moa-2023", "2023-05-10", True)
    ]  # without --as-of: today, still waiting for the DPRD
    assert bad_day.returncode == 2 and "--as-of" in bad_day.stderr
    assert bad_stream.returncode == 2 and "--stream" in bad_stream.stderr
    assert bad_year.returncode == 2 and "--year" in bad_year.stderr


def test_an_import_realising_a_plan_item_twice_is_refused_whole(imported, tmp_path):
    before = stored(imported)
    source = tmp_path / "twice.jsonl"
    source.write_bytes(
        mapper.encode_line(activity("2023-10-01", "exchange", "a-again", stream=STREAM, plan_id="2023-youth"))
    )
    done = pantau(imported, "import", str(source), check=2)
    assert "data.plan_id" in done.stderr and stored(imported) == before


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    client.pantau.store.append(HISTORY)
    with client.client:
        yield client


def test_the_api_answers_the_pipeline_and_the_plan(api):
    rows = api.get("/api/pipeline", params={"as_of": "2023-09-08"}).json()
    assert [(r["draft_id"], r["days_waiting"], r["stalled"]) for r in rows] == [("moa-2023", 121, True)]
    assert api.get("/api/pipeline", params={"as_of": "2023-09-08", "desk": "kbri-seoul"}).json() == []
    assert api.get("/api/pipeline", params={"as_of": "2023-31-01"}).status_code == 422
    plan = api.get(f"/api/partnerships/{STREAM}/plan/2023").json()
    assert plan["realised"] == ["2023-youth"] and plan["realisation_rate"] == 0.5
    assert api.get("/api/partnerships/no-such-thing/plan/2023").status_code == 404


def test_a_step_on_a_withdrawn_draft_is_422_naming_the_field_and_stores_nothing(api):
    head = api.pantau.store.head()
    body = {
        "stream": STREAM,
        "type": "ApprovalRecorded",
        "occurred_on": "2023-05-01",
        "data": {"draft_id": "loi-2023", "step": "dprd"},
    }
    response = api.post("/api/events", body)
    assert response.status_code == 422
    [problem] = response.json()["error"]["fields"]
    assert problem["field"] == "data.draft_id" and "closed or removed" in problem["reason"]
    negative = {
        "stream": STREAM,
        "type": "ActivityPlanned",
        "occurred_on": "2023-05-01",
        "data": {"plan_id": "x", "year": 2023, "kind": "grant", "budget": {"amount": -1}},
    }
    assert api.post("/api/events", negative).json()["error"]["fields"][0]["field"] == "data.budget.amount"
    assert api.pantau.store.head() == head


def test_the_report_of_one_partnership_and_of_every_partnership_of_a_region(imported, tmp_path):
    one, region, neither, unknown = in_parallel(
        (imported, "report", "--stream", STREAM, "--year", "2023", "-o", str(tmp_path / "semarang.docx")),
        (imported, "report", "--year", "2023", "--region", "jawa tengah", "-o", str(tmp_path / "jateng")),
        (imported, "report", "--year", "2023"),
        (imported, "report", "--year", "2023", "--region", "Maluku", "-o", str(tmp_path / "none")),
    )
    assert one.returncode == 0, one.stderr
    headings = [p.text for p in Document(str(tmp_path / "semarang.docx")).paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Judul" and headings[-1] == "9. Analisis Rencana Tindak Lanjut" and len(headings) == 9
    assert region.returncode == 0, region.stderr
    assert sorted(p.name for p in (tmp_path / "jateng").iterdir()) == [
        "laporan-kota-semarang-brisbane-2023.docx",
        "laporan-kota-surakarta-montana-2023.docx",
    ]
    assert neither.returncode == 2 and "--stream or --region" in neither.stderr
    assert unknown.returncode == 2 and "--region" in unknown.stderr
