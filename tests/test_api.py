"""The HTTP API of docs/interfaces.md, on SQLite and PostgreSQL: every call, its errors, retries."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from openpyxl import load_workbook

from service import idempotency
from service.auth import revoke
from tests.api_fixtures import build
from tests.conftest import DATA

pytestmark = pytest.mark.service

VISIT = {
    "stream": "kota-bandung-seoul",
    "type": "ActivityLogged",
    "occurred_on": "2026-11-01",
    "data": {"activity_id": "v1", "kind": "visit", "title": "Delegation to Seoul"},
}


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    with client.client:
        yield client


@pytest.fixture
def sample_api(database, engine, clock):
    client = build(database, engine, clock, sample=True)
    with client.client:
        yield client


def visit(activity_id: str, **changes) -> dict:
    return {**VISIT, "data": {**VISIT["data"], "activity_id": activity_id}, **changes}


def test_healthz_answers_without_a_token(api):
    assert api.client.get("/healthz").json() == {"status": "ok", "scheduler": "off"}  # built without the jobs


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/api/events"),
        ("GET", "/api/status"),
        ("GET", "/api/partnerships/kota-bandung-seoul/events"),
        ("GET", "/api/matrix"),
        ("GET", "/api/partnerships/kota-bandung-seoul"),
        ("POST", "/api/partnerships"),
        ("POST", "/api/partnerships/kota-bandung-seoul/activities"),
        ("GET", "/api/calendar/kbri-seoul.ics"),
        ("GET", "/readyz"),
        ("GET", "/metrics"),
        ("GET", "/api/outbox"),
        ("GET", "/api/mailbox"),
        ("GET", "/api/digest/kbri-seoul?month=2021-12"),
    ],
)
def test_every_call_but_healthz_needs_a_valid_token(api, method, path):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}):
        response = api.client.request(method, path, headers=headers, json={})
        assert response.status_code == 401, headers
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_refused_at_once(api, clock):
    assert api.get("/api/status", who="viewer").status_code == 200
    assert revoke(api.pantau.engine, "viewer", clock())
    assert api.get("/api/status", who="viewer").status_code == 401


def test_an_appended_event_comes_back_stored_with_the_actor_of_the_token(api):
    sent = visit("v1", meta={"actor": "someone-else", "source": "phone call"})
    response = api.post("/api/events", sent, who="seoul")
    assert response.status_code == 201
    [stored] = response.json()
    assert (stored["position"], stored["version"]) == (4, 4)
    assert stored["recorded_at"].startswith("2026-11-23T01:00:00")
    assert stored["meta"] == {"actor": "seoul", "source": "phone call"}
    events = api.get("/api/partnerships/kota-bandung-seoul/events").json()
    assert [e["version"] for e in events] == [1, 2, 3, 4]
    assert events[-1]["meta"]["actor"] == "seoul"


def test_a_batch_is_stored_all_or_nothing_and_every_bad_event_is_named(api):
    head = api.pantau.store.head()
    batch = [visit("v1"), visit("v2", occurred_on="2026-12-01"), {**visit("v3"), "type": "Nonsense"}]
    response = api.post("/api/events", batch)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_event"
    assert {(f["index"], f["field"]) for f in error["fields"]} == {(1, "occurred_on"), (2, "type")}
    assert api.pantau.store.head() == head
    ok = api.post("/api/events", [visit("v1"), visit("v2")])
    assert ok.status_code == 201 and [e["version"] for e in ok.json()] == [4, 5]


def test_the_future_is_today_of_the_clock(api, clock):
    tomorrow = visit("v1", occurred_on="2026-11-24")
    assert api.post("/api/events", tomorrow).status_code == 422
    clock.advance(days=1)
    assert api.post("/api/events", tomorrow).status_code == 201


def test_expected_version_guards_a_single_stream(api):
    stale = api.post("/api/events?expected_version=2", visit("v1"))
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert api.post("/api/events?expected_version=3", visit("v1")).status_code == 201
    other = {**visit("x"), "stream": "another-one"}
    two = api.post("/api/events?expected_version=4", [visit("v2"), other])
    assert two.status_code == 400
    assert two.json()["error"]["fields"][0]["field"] == "expected_version"


def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer_and_stores_nothing(api, clock):
    key = {"Idempotency-Key": "retry-1"}
    first = api.post("/api/events", {k: v for k, v in visit("v1").items()}, headers=key)
    head = api.pantau.store.head()
    clock.advance(minutes=5)
    again = api.post("/api/events", visit("v1"), headers=key)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert api.pantau.store.head() == head
    different = api.post("/api/events", visit("v9"), headers=key)
    assert different.status_code == 409
    assert different.json()["error"]["code"] == "idempotency_key_reused"


def test_an_idempotency_key_is_kept_a_week_and_a_late_retry_still_stores_nothing_twice(api, clock):
    kept, late = {"Idempotency-Key": "kept-1"}, {"Idempotency-Key": "late-1"}
    api.post("/api/events", visit("v1"), headers=kept)
    first = api.post("/api/events", visit("v2"), headers=late)
    head = api.pantau.store.head()
    clock.advance(days=6, hours=23)
    assert api.post("/api/events", visit("v9"), headers=kept).json()["error"]["code"] == "idempotency_key_reused"
    clock.advance(hours=2)  # past the week: the answer is forgotten, the derived event ids are not
    again = api.post("/api/events", visit("v2"), headers=late)
    assert (again.status_code, again.json()) == (201, first.json())
    assert api.pantau.store.head() == head
    assert idempotency.prune(api.pantau.engine, clock()) == 1  # kept-1; late-1 was answered anew
    with api.pantau.engine.connect() as conn:
        assert [k for (k,) in conn.execute(sa.select(idempotency.keys.c.key))] == ["late-1"]


def test_a_retry_of_the_same_event_ids_stores_nothing_new(api):
    sent = visit("v1", id="6a0b8a52-2a4e-4c0c-8f5a-9f5f0f2f7f11")
    first = api.post("/api/events", sent)
    again = api.post("/api/events", sent)
    assert again.status_code == 201 and again.json() == first.json()
    assert len(api.get("/api/partnerships/kota-bandung-seoul/events").json()) == 4
    changed = api.post("/api/events", {**sent, "data": {**sent["data"], "title": "other"}})
    assert changed.status_code == 409


def test_notification_sent_is_refused_from_people(api):
    sent = {
        "stream": "kota-bandung-seoul",
        "type": "NotificationSent",
        "occurred_on": "2026-11-01",
        "data": {"key": "renewal:x", "rule": "renewal", "to": ["a@b.id"]},
    }
    response = api.post("/api/events", sent)
    assert response.status_code == 403
    assert response.json()["error"]["fields"][0]["field"] == "type"


def test_malformed_bodies_are_400_or_422_never_500(api):
    raw = api.client.post(
        "/api/events", content=b"{not json", headers=api.headers(**{"Content-Type": "application/json"})
    )
    assert raw.status_code == 400 and raw.json()["error"]["code"] == "bad_request"
    assert api.post("/api/events", 42).status_code == 422
    assert api.post("/api/events", []).status_code == 422
    assert api.post("/api/events", ["x"]).status_code == 422
    missing = api.post("/api/events", {"type": "NoteAdded"})
    assert missing.status_code == 422
    assert {f["field"] for f in missing.json()["error"]["fields"]} == {"stream", "occurred_on"}  # every reason at once
    unregistered = api.post(
        "/api/events", {"stream": "nowhere", "type": "NoteAdded", "occurred_on": "2020", "data": {"text": "x"}}
    )
    assert unregistered.status_code == 422


def test_status_is_the_json_of_pantau_status_for_any_date(sample_api):
    api = sample_api
    expected = json.loads((DATA / "matrix-2021-12-27.status-as-of-2021-12-27.json").read_text())
    rows = api.get("/api/status", params={"as_of": "2021-12-27"}).json()
    by_stream = {r["stream"]: r for r in rows}
    assert [r["stream"] for r in rows] == sorted(by_stream)
    for want in expected:
        got = by_stream[want["stream"]]
        assert {k: got[k] for k in want if k != "agreements"} == {k: v for k, v in want.items() if k != "agreements"}
        assert [{k: a[k] for k in w} for a, w in zip(got["agreements"], want["agreements"])] == want["agreements"]
    seoul = api.get("/api/status", params={"as_of": "2021-12-27", "desk": "kbri-seoul"}).json()
    assert seoul == [r for r in rows if r["desk"] == "kbri-seoul"] and 0 < len(seoul) < len(rows)
    today = api.get("/api/status").json()
    assert {r["stream"] for r in today} == set(by_stream)
    assert today != rows  # today's answer comes from the read models, with other days left


def test_status_filters_and_a_bad_date_is_named(api):
    assert [r["stage"] for r in api.get("/api/status", params={"stage": "lapsed"}).json()] == ["lapsed"]
    assert api.get("/api/status", params={"stage": "formal"}).json() == []
    assert api.get("/api/status", params={"desk": "kbri-tokyo"}).json() == []
    assert api.get("/api/status", params={"activeness": "aktif"}).json() == []
    assert len(api.get("/api/status", params={"activeness": "tidak_aktif"}).json()) == 1
    bad = api.get("/api/status", params={"as_of": "27-12-2021"})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "as_of"
    assert api.get("/api/status", params={"as_of": "0001-01-01"}).status_code == 422  # windows run off the calendar


def test_the_events_of_an_unknown_partnership_are_404(api):
    assert api.get("/api/partnerships/no-such-thing/events").status_code == 404
    assert api.get("/api/partnerships/NOT%20A%20SLUG/events").status_code == 422


def test_the_matrix_as_json_csv_and_xlsx(sample_api):
    api = sample_api
    rows = api.get("/api/matrix", params={"as_of": "2021-12-27"}).json()["rows"]
    assert len(rows) == 32 and [r["no"] for r in rows] == list(range(1, 33))
    bandung = next(r for r in rows if r["stream"] == "kota-bandung-seoul")
    assert bandung["indonesia"] == "Kota Bandung" and bandung["agreements"][0]["document"] == "MoU"
    differs = [r for r in rows if r["differs"]]
    assert all(r["assessed_status"] != r["matrix_status"] for r in differs)
    csv_text = api.get("/api/matrix", params={"format": "csv", "as_of": "2021-12-27"}).text
    assert csv_text.startswith("\ufeffNo.,Provinsi/Kota,Mitra")  # the byte order mark Excel needs
    xlsx = api.get("/api/matrix", params={"format": "xlsx", "as_of": "2021-12-27", "desk": "kbri-seoul"})
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    seoul = api.get("/api/matrix", params={"as_of": "2021-12-27", "desk": "kbri-seoul"}).json()["rows"]
    assert sheet["A2"].value == "No." and sheet.max_row == 2 + len(seoul)
    assert [sheet.cell(3 + i, 2).value for i in range(len(seoul))] == [r["indonesia"] for r in seoul]
    assert api.get("/api/matrix", params={"format": "pdf"}).status_code == 422


def test_the_calendar_holds_the_end_date_and_the_reminder_days(api):
    feed = api.get("/api/calendar/kbri-seoul.ics")
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    days = sorted(e.decoded("dtstart") for e in events)
    # MoU signed 2020-01-10 for five years: in force up to and including 2025-01-09 ... lapsed by
    # 2026-11-23, so nothing is due; a renewal puts it back in the feed.
    assert days == []
    api.post(
        "/api/events",
        {
            "stream": "kota-bandung-seoul",
            "type": "AgreementRenewed",
            "occurred_on": "2026-11-01",
            "data": {"agreement_id": "mou-2020", "valid_until": "2027-12-31"},
        },
    )
    events = Calendar.from_ical(api.get("/api/calendar/kbri-seoul.ics").content).walk("VEVENT")
    assert sorted(e.decoded("dtstart") for e in events) == [
        date(2027, 7, 4),
        date(2027, 10, 2),
        date(2027, 12, 1),
        date(2027, 12, 31),
    ]
    assert Calendar.from_ical(api.get("/api/calendar/kbri-tokyo.ics").content).walk("VEVENT") == []
    assert api.get("/api/calendar/kbri%0Aseoul.ics").status_code == 422  # found by the fuzz: a 500 once


def test_the_calendar_sits_on_the_last_day_and_words_the_end_as_written(api):
    api.post(
        "/api/events",
        {
            "stream": "kota-bandung-seoul",
            "type": "AgreementRenewed",
            "occurred_on": "2026-11-01",
            "data": {"agreement_id": "mou-2020", "valid_until": "2027"},
        },
    )
    [end] = [
        e
        for e in Calendar.from_ical(api.get("/api/calendar/kbri-seoul.ics").content).walk("VEVENT")
        if e.decoded("dtstart") == date(2027, 12, 31)
    ]
    assert str(end.get("description")) == "mou-2020 berlaku s.d. 2027"  # not 2027-12-31, never written


def test_readyz_and_metrics(api):
    ready = api.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert ready.json()["checkpoint"] == api.pantau.store.head()
    api.get("/api/status")
    metrics = api.get("/metrics").text
    assert 'pantau_http_requests_total{method="GET",route="/api/status",status="200"} 1.0' in metrics
    assert "pantau_events_stored 3.0" in metrics


def test_register_then_the_convenient_writes_then_read_it_whole(api):
    registration = {
        "stream": "kota-surabaya-busan",
        "occurred_on": "1994-08-15",
        "kind": "sister_city",
        "indonesia": {"name": "Kota Surabaya", "level": "city", "province": "Jawa Timur"},
        "partner": {"name": "Busan", "level": "si", "country": "KR"},
        "desk": "kbri-seoul",
    }
    made = api.post("/api/partnerships", registration, who="seoul")
    assert made.status_code == 201 and made.json()["version"] == 1
    assert api.post("/api/partnerships", registration).status_code == 409
    signed = api.post(
        "/api/partnerships/kota-surabaya-busan/agreements",
        {"occurred_on": "2024-03-01", "agreement_id": "mou-2024", "document": "MoU"},
        who="seoul",
    )
    assert signed.status_code == 201 and signed.json()["data"] == {"agreement_id": "mou-2024", "document": "MoU"}
    logged = api.post(
        "/api/partnerships/kota-surabaya-busan/activities",
        {"occurred_on": "2026-10-01", "kind": "festival", "title": "Surabaya festival"},
        who="seoul",
    )
    assert logged.status_code == 201 and logged.json()["data"]["activity_id"].startswith("act-")
    contact = api.post(
        "/api/partnerships/kota-surabaya-busan/contacts",
        {"contact_id": "budi", "name": "Pak Budi", "side": "indonesia", "email": "not-an-email"},
    )
    assert contact.status_code == 422 and contact.json()["error"]["fields"][0]["field"] == "data.email"
    bad_kind = api.post("/api/partnerships/kota-surabaya-busan/activities", {"occurred_on": "2026", "kind": "party"})
    assert bad_kind.status_code == 422 and bad_kind.json()["error"]["fields"][0]["field"] == "data.kind"
    whole = api.get("/api/partnerships/kota-surabaya-busan").json()
    assert whole["status"]["stage"] == "formal" and whole["status"]["activeness"] == "aktif"
    assert whole["status"]["agreements"][0]["days_left"] == (date(2029, 2, 28) - date(2026, 11, 23)).days
    assert [e["type"] for e in whole["timeline"]] == ["PartnershipRegistered", "AgreementSigned", "ActivityLogged"]
    assert api.get("/api/partnerships/kota-surabaya-busan", params={"as_of": "1990-01-01"}).status_code == 404
    assert api.get("/api/partnerships/nowhere-at-all").status_code == 404


def test_an_agreement_running_past_the_calendar_does_not_break_later_reads(api):
    far = api.post(
        "/api/partnerships/kota-bandung-seoul/agreements",
        {"occurred_on": "2020-01-01", "agreement_id": "far", "document": "MoU", "valid_from": "9999-01-01"},
    )
    assert far.status_code == 422  # the catalogue bounds dates now (docs/input-limits.md) …
    # … but one stored by an earlier release still reads: its five-year term ends with the calendar
    from tests.test_hostile_dates import legacy

    api.pantau.store.append(
        [
            legacy(
                "kota-bandung-seoul",
                "AgreementSigned",
                "2020-01-01",
                {"agreement_id": "far", "document": "MoU", "valid_from": "9999-01-01"},
            )
        ]
    )
    assert api.get("/api/status").status_code == 200 and api.get("/api/matrix").status_code == 200
    [row] = api.get("/api/status").json()
    far_one = next(a for a in row["agreements"] if a["agreement_id"] == "far")
    assert (far_one["valid_until"], far_one["state"]) == ("9999-12-30", "pending")


def test_convenient_writes_honour_the_idempotency_key(api):
    key = {"Idempotency-Key": "form-7"}
    body = {"occurred_on": "2026-10-01", "kind": "visit", "title": "Visit"}
    first = api.post("/api/partnerships/kota-bandung-seoul/activities", body, headers=key)
    again = api.post("/api/partnerships/kota-bandung-seoul/activities", body, headers=key)
    assert again.json() == first.json()
    assert len(api.pantau.store.stream("kota-bandung-seoul")) == 4
