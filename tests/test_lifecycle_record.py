"""Catalogue 1.1 on the way in: every bad field named, nothing stored; stored v1 events read unchanged."""

from __future__ import annotations

from datetime import date

import pytest

from events import mapper
from events.errors import InvalidEvent
from events.invariants import SHAPING, StreamFacts
from events.store import EventStore
from tests.helpers import FAR_FUTURE, activity, corrected, event, registered, retracted
from tests.lifecycle_events import (
    STREAM,
    draft,
    dropped,
    planned,
    signed_from,
    step,
    withdrawn,
)


def _facts(*events) -> StreamFacts:
    facts = StreamFacts()
    for e in events:
        assert facts.check(e) == [], (e.type, facts.check(e))
        facts.advance(e)
    return facts


def _refusal(facts: StreamFacts, e) -> tuple[str, str]:
    [problem] = facts.check(e)
    return problem.field, problem.reason


def _invalid(type_: str, data: dict, on: str = "2023-03-01") -> list[tuple[str, str]]:
    with pytest.raises(InvalidEvent) as caught:
        mapper.from_dict({"stream": STREAM, "type": type_, "occurred_on": on, "data": data}, FAR_FUTURE)
    return [(e.field, e.reason) for e in caught.value.errors]


def test_a_v1_approval_step_names_no_draft_and_is_still_accepted():
    v1 = event(STREAM, "ApprovalRecorded", "2016-05-01", {"step": "dprd", "note": "Persetujuan DPRD"})
    assert v1.payload.draft_id is None and v1.payload.outcome == "approved"
    _facts(registered(), v1)
    for old in ("dprd", "interministerial", "mendagri", "kemlu", "other"):
        assert event(STREAM, "ApprovalRecorded", "2016-05-01", {"step": old}).payload.step == old


def test_a_step_outcome_and_initiator_outside_their_lists_are_named():
    assert [f for f, _ in _invalid("ApprovalRecorded", {"draft_id": "d", "step": "governor"})] == ["data.step"]
    assert [f for f, _ in _invalid("ApprovalRecorded", {"draft_id": "d", "step": "dprd", "outcome": "ok"})] == [
        "data.outcome"
    ]
    assert [f for f, _ in _invalid("DraftOpened", {"draft_id": "d", "document": "MoU", "initiated_by": "dprd"})] == [
        "data.initiated_by"
    ]


def test_a_step_on_a_draft_never_opened_withdrawn_or_signed_is_refused():
    facts = _facts(registered(), draft("2023-01-10"))
    assert _refusal(facts, step("2023-02-01", "dprd", draft_id="other-draft"))[0] == "data.draft_id"
    withdrawn_facts = _facts(registered(), draft("2023-01-10"), withdrawn("2023-03-01"))
    field, reason = _refusal(withdrawn_facts, step("2023-04-01", "dprd"))
    assert field == "data.draft_id" and "closed or removed" in reason
    signed_facts = _facts(registered(), draft("2023-01-10"), step("2023-02-01", "dprd"), signed_from("2023-09-01"))
    field, reason = _refusal(signed_facts, step("2023-10-01", "mendagri"))
    assert field == "data.draft_id" and "closed or removed" in reason
    assert _refusal(signed_facts, withdrawn("2023-10-01"))[0] == "data.draft_id"
    assert _refusal(signed_facts, draft("2023-11-01"))[0] == "data.draft_id"  # a draft id is never reused


def test_negative_amounts_and_unknown_currencies_are_named():
    bad = _invalid(
        "ActivityPlanned",
        {"plan_id": "p", "year": 2023, "kind": "exchange", "budget": {"amount": -5, "currency": "IDR"}},
    )
    assert [f for f, _ in bad] == ["data.budget.amount"]
    bad = _invalid(
        "ActivityLogged",
        {"activity_id": "a", "kind": "visit", "funding": {"amount": 10, "currency": "RPH"}, "beneficiary_count": -1},
    )
    assert sorted(f for f, _ in bad) == ["data.beneficiary_count"]  # type errors stop at the first
    [(field, reason)] = _invalid(
        "ActivityLogged", {"activity_id": "a", "kind": "visit", "funding": {"amount": 10, "currency": "RPH"}}
    )
    assert field == "data.funding.currency" and "ISO 4217" in reason
    ok = mapper.from_dict(
        {
            "stream": STREAM,
            "type": "ActivityLogged",
            "occurred_on": "2023-03-01",
            "data": {
                "activity_id": "a",
                "kind": "visit",
                "funding": {"amount": 1500, "currency": "KRW", "source": "partner"},
            },
        },
        FAR_FUTURE,
    )
    assert ok.payload.funding.currency == "KRW"


def test_a_planned_month_outside_the_plan_year_is_named():
    [(field, _)] = _invalid(
        "ActivityPlanned", {"plan_id": "p", "year": 2023, "kind": "exchange", "planned_on": "2024-02"}
    )
    assert field == "data.planned_on"


def test_a_plan_year_outside_the_record_is_refused():
    facts = _facts(registered(on="2010-01-01"))
    assert facts.check(planned("2022-11-01", "next-year", 2023)) == []
    assert facts.check(planned("2022-11-01", "five-years-on", 2027)) == []
    assert _refusal(facts, planned("2022-11-01", "six-years-on", 2028))[0] == "data.year"
    assert _refusal(facts, planned("2022-11-01", "before-registration", 2009))[0] == "data.year"
    assert facts.check(planned("2022-11-01", "registration-year", 2010)) == []
    ended = _facts(registered(on="2010-01-01"), event(STREAM, "PartnershipEnded", "2020-06-01", {}))
    field, reason = _refusal(ended, planned("2020-07-01", "after-the-end", 2021))
    assert field == "data.year" and "ended" in reason
    assert ended.check(planned("2020-07-01", "last-year", 2020)) == []


def test_a_plan_item_realised_twice_or_by_an_activity_of_another_year_is_refused():
    facts = _facts(registered(), planned("2022-12-01", "youth", 2023))
    assert facts.check(activity("2023-08-14", "exchange", "a1", plan_id="youth")) == []
    field, reason = _refusal(facts, activity("2024-01-10", "exchange", "a0", plan_id="youth"))
    assert field == "data.plan_id" and "2023" in reason and "2024" in reason
    facts.advance(activity("2023-08-14", "exchange", "a1", plan_id="youth"))
    field, reason = _refusal(facts, activity("2023-09-01", "exchange", "a2", plan_id="youth"))
    assert field == "data.plan_id" and "'a1'" in reason
    # A correction moving the realising activity into another year is refused on its date.
    assert _refusal(facts, corrected("a1", "2023-09-01", occurred_on="2024-01-05"))[0] == "data.occurred_on"
    # Dropping a realised item is refused; once its activity is retracted, another may realise it.
    assert _refusal(facts, dropped("2023-09-01", "youth"))[0] == "data.plan_id"
    facts.advance(retracted("a1", "2023-09-02"))
    assert facts.check(activity("2023-09-03", "exchange", "a3", plan_id="youth")) == []


def test_a_dropped_item_cannot_be_realised():
    facts = _facts(registered(), planned("2022-12-01", "youth", 2023), dropped("2023-02-01", "youth"))
    field, reason = _refusal(facts, activity("2023-08-14", "exchange", "a1", plan_id="youth"))
    assert field == "data.plan_id" and "closed or removed" in reason


def test_plan_facts_rebuilt_from_stored_data_judge_as_advanced_ones():
    history = [
        registered(on="2010-01-01"),
        planned("2022-12-01", "youth", 2023),
        activity("2023-08-14", "exchange", "a1", plan_id="youth"),
    ]
    rebuilt = StreamFacts(version=len(history))
    for e in history:
        if e.type in SHAPING:
            rebuilt.take(e.type, e.data, e.id, e.occurred_on.first)
    assert _refusal(rebuilt, activity("2023-09-01", "exchange", "a2", plan_id="youth"))[0] == "data.plan_id"
    assert _refusal(rebuilt, planned("2022-11-01", "early", 2009))[0] == "data.year"
    assert rebuilt.ledger == advanced_ledger(history)


def test_the_store_refuses_a_second_realisation_and_stores_nothing(store, engine, clock):
    store.append(
        [registered(), planned("2022-12-01", "youth", 2023), activity("2023-08-14", "exchange", "a1", plan_id="youth")]
    )
    head = store.head()
    fresh = EventStore(engine, clock=clock)  # facts read back from the database, dates included
    with pytest.raises(InvalidEvent) as caught:
        fresh.append([activity("2023-09-01", "exchange", "a2", plan_id="youth")])
    assert [e.field for e in caught.value.errors] == ["data.plan_id"]
    with pytest.raises(InvalidEvent):
        fresh.append([planned("2023-01-05", "far", 2030)])
    with pytest.raises(InvalidEvent):
        fresh.append([planned("2023-01-05", "early", 2009)])
    assert store.head() == head


def advanced_ledger(history):
    return _facts(*history).ledger


def test_a_v1_event_reads_unchanged_with_its_new_fields_absent():
    stored = mapper.from_row(
        1,
        "0b7f0000-0000-4000-8000-000000000000",
        STREAM,
        2,
        "NoteAdded",
        date(2020, 1, 1),
        "day",
        '{"text": "Rapat koordinasi"}',
        "{}",
        __import__("datetime").datetime(2021, 1, 1),
    )
    assert stored.payload.topic == "general" and stored.data == {"text": "Rapat koordinasi"}
