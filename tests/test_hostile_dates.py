"""Far dates: the catalogue bounds them, and what was stored before cannot stop a fold, an alert or a feed."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from events import mapper
from notifications import failures
from notifications import rules as alert_rules_module
from notifications.alert_rules import AlertRules
from notifications.simulate import simulate
from projections.readmodel import load_states
from service.scheduler import AlertJobs
from tests import helpers as h
from tests.api_fixtures import build
from tests.test_pages import login

S, OTHER = "kota-bandung-seoul", "kota-bogor-suwon"
# The last recording day whose 100-year bound reaches 9999-12-31: events of an older release,
# which took any date, are built with it.
BEFORE_THE_BOUND = date(9899, 12, 31)


def legacy(stream: str, type_: str, on: str, data: dict):
    """An event as an earlier release stored it, before dates were bounded."""
    return mapper.from_dict({"stream": stream, "type": type_, "occurred_on": on, "data": data}, BEFORE_THE_BOUND)


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    with client.client:
        yield client


@pytest.mark.parametrize(
    "field, event",
    [
        (
            "data.valid_until",
            {"type": "AgreementSigned", "data": {"agreement_id": "x", "document": "MoU", "valid_until": "9999-12-31"}},
        ),
        (
            "data.ends_on",
            {"type": "ActivityLogged", "data": {"activity_id": "x", "kind": "visit", "ends_on": "2127-01-01"}},
        ),
        (
            "data.valid_from",
            {"type": "AgreementSigned", "data": {"agreement_id": "x", "document": "MoU", "valid_from": "1900-01-01"}},
        ),
        ("occurred_on", {"type": "NoteAdded", "occurred_on": "1944-12-31", "data": {"text": "x"}}),
        (
            "data.ends_on",
            {"type": "ActivityLogged", "data": {"activity_id": "x", "kind": "visit", "ends_on": "٢٠٢٧-٠١-٠١"}},
        ),
        ("occurred_on", {"type": "NoteAdded", "occurred_on": "٢٠٢١-٠١-٠١", "data": {"text": "x"}}),
    ],
)
def test_dates_outside_1945_to_a_century_ahead_or_not_in_ascii_digits_are_refused(api, field, event):
    head = api.pantau.store.head()
    response = api.post("/api/events", {"stream": S, "occurred_on": "2026-11-01", **event})
    assert response.status_code == 422, response.json()
    assert field in [f["field"] for f in response.json()["error"]["fields"]]
    assert api.pantau.store.head() == head


def test_the_century_ahead_is_accepted_to_the_day(api):
    # recorded on 2026-11-23 (the test clock): 2126-11-23 is the last day accepted
    ok = {
        "stream": S,
        "type": "AgreementSigned",
        "occurred_on": "2026-11-01",
        "data": {"agreement_id": "long", "document": "MoU", "valid_until": "2126-11-23"},
    }
    assert api.post("/api/events", ok).status_code == 201
    late = {**ok, "data": {**ok["data"], "agreement_id": "longer", "valid_until": "2126-11-24"}}
    assert api.post("/api/events", late).status_code == 422


def _far_record(pantau):
    pantau.store.append(
        [
            h.registered(OTHER, "2016-01-01"),
            legacy(
                OTHER,
                "ActivityLogged",
                "2020-01-01",
                {"activity_id": "forever", "kind": "visit", "ends_on": "9999-12-31"},
            ),
            legacy(
                OTHER,
                "AgreementSigned",
                "2020-01-01",
                {"agreement_id": "mou", "document": "MoU", "valid_until": "9999-12-31"},
            ),
            legacy(
                OTHER,
                "AgreementSigned",
                "2020-02-01",
                {"agreement_id": "mou-late", "document": "MoU", "valid_from": "9999-06-01"},
            ),
        ]
    )


def test_far_dates_already_stored_stop_no_fold_alert_or_feed(api):
    pantau = api.pantau
    _far_record(pantau)
    # Bandung – Seoul's MoU of 2020-01-10 ends 2025-01-09: the renewal alerts are still found
    pantau.store.append([h.activity("2020-02-01", stream=S)])
    pantau.runner.run()
    states = load_states(pantau.engine)
    planned = simulate(states, date(2024, 7, 1), date(2024, 12, 31), pantau.rules, AlertRules())
    assert any(p.stream == S and p.rule == "renewal" for p in planned)
    for path in (
        "/api/status",
        "/api/matrix?format=xlsx",
        "/api/matrix?format=csv",
        f"/api/partnerships/{OTHER}",
        "/api/calendar/kbri-seoul.ics",
        "/api/status?as_of=2126-11-23",  # the last day the catalogue accepts on 2026-11-23
    ):
        assert api.get(path).status_code == 200, path
    feed = Calendar.from_ical(api.get("/api/calendar/all.ics").content)
    ends = [e for e in feed.walk("VEVENT") if e["uid"].startswith(f"{OTHER}/mou/")]
    assert [e.decoded("dtstart") for e in ends if e["uid"].endswith("/end@pantau")] == [date(9999, 12, 31)]
    login(api)  # signed in, so the login page's redirect cannot stand in for the partnership's page
    page = api.client.get(f"/partnerships/{OTHER}", follow_redirects=False)
    assert page.status_code == 200 and "9999" in page.text  # its far agreement is on the page


def test_one_failing_partnership_is_logged_counted_and_the_job_goes_on(pantau, monkeypatch, caplog):
    pantau.store.append(
        [
            h.registered(S, "2016-01-01"),
            h.signed("2016-10-07", "mou-2016", stream=S),
            h.registered(OTHER, "2016-01-01"),
            h.signed("2016-10-07", "mou-2016", stream=OTHER),
        ]
    )
    real = alert_rules_module.partnership_alerts

    def broken(state, *args, **kwargs):
        if state.stream == OTHER:
            raise OverflowError("date value out of range")
        return real(state, *args, **kwargs)

    monkeypatch.setattr(alert_rules_module, "partnership_alerts", broken)
    before = failures.FAILED.labels("evaluate")._value.get()
    jobs = AlertJobs(pantau, AlertRules(), sender=None)
    # 2021-09-06: 30 days before both MoUs end (2021-10-06)
    queued = jobs.run(None, [date(2021, 9, 6)], partnerships=True, digests=False)
    assert queued and all(S in key for key in queued)
    assert failures.FAILED.labels("evaluate")._value.get() == before + 1
    assert OTHER in caplog.text and "OverflowError" in caplog.text
    planned = simulate(load_states(pantau.engine), date(2021, 9, 6), date(2021, 9, 6), pantau.rules, AlertRules())
    assert {p.stream for p in planned} == {S}


def test_metrics_count_the_alert_jobs_failures(api):
    failures.FAILED.labels("render").inc()
    text = api.get("/metrics").text
    assert 'pantau_alert_failures_total{stage="render"}' in text
