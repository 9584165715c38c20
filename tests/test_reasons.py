"""The record's English reasons, as its own checks word them, said by the pages in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from events import mapper
from events.errors import InvalidEvent
from events.invariants import StreamFacts
from events.text import text_errors
from service.api.reasons import explain
from tests.helpers import activity, event, registered
from tests.lifecycle_events import draft, planned, withdrawn
from tests.test_pages_refusals import ENGLISH

S = "kota-bandung-seoul"
TODAY = date(2026, 11, 23)


def _refused(obj: dict) -> list[str]:
    try:
        mapper.from_dict({"id": None, "meta": {}, "stream": S, **obj}, TODAY)
    except InvalidEvent as exc:
        return [e.reason for e in exc.errors]
    raise AssertionError(f"accepted: {obj}")


def _stream_refusals() -> list[str]:
    facts = StreamFacts()
    for e in [
        registered(),
        planned("2026-01-05", "2026-youth", 2026),
        activity("2026-03-01", "exchange", "a-youth", plan_id="2026-youth"),
        planned("2026-01-05", "2026-expo", 2026),
        draft("2026-01-10", "mou-gone"),
        withdrawn("2026-02-01", "mou-gone"),
    ]:
        assert facts.check(e) == []
        facts.advance(e)
    bad = [
        registered(),
        event(S, "ActivityPlanned", "2026-01-05", {"plan_id": "far", "year": 2150, "kind": "visit", "title": "x"}),
        event(S, "PlanItemDropped", "2026-06-01", {"plan_id": "2026-youth"}),
        event(S, "PlanItemDropped", "2026-06-01", {"plan_id": "nothing"}),
        event(S, "DraftWithdrawn", "2026-06-01", {"draft_id": "mou-gone"}),
        event(S, "DraftOpened", "2026-06-01", {"draft_id": "mou-gone", "document": "MoU", "initiated_by": "indonesia"}),
        activity("2025-05-01", "visit", "a-other-year", plan_id="2026-expo"),
        activity("2026-05-01", "visit", "a-again", plan_id="2026-youth"),
    ]
    reasons = [p.reason for p in StreamFacts().check(event(S, "NoteAdded", "2026-01-01", {"text": "x"}))]
    for e in bad:
        found = [p.reason for p in facts.check(e)]
        assert found, f"{e.type} was not refused"
        reasons += found
    return reasons


def _every_reason() -> list[str]:
    planned_ = {"type": "ActivityPlanned", "occurred_on": "2026-01-05"}
    return [
        *_stream_refusals(),
        *(
            e.reason
            for text in ("a\x01b", "a\ud800b", "z" * 30)
            for e in text_errors({"title": text, text[:3]: 1}, max_length=20)
        ),
        *_refused({**planned_, "data": {"plan_id": "p", "year": 2026, "kind": "visit", "planned_on": "2027-03"}}),
        *_refused(
            {
                **planned_,
                "data": {"plan_id": "p", "year": 2026, "kind": "visit", "budget": {"amount": 5, "currency": "RPX"}},
            }
        ),
        *_refused(
            {
                **planned_,
                "data": {"plan_id": "p", "year": 2026, "kind": "visit", "budget": {"amount": -5, "currency": "IDR"}},
            }
        ),
        *_refused(
            {"type": "NoteReviewed", "occurred_on": "2026-01-05", "data": {"note_id": "n", "outcome": "accepted"}}
        ),
        *_refused(
            {
                "type": "NoteReviewed",
                "occurred_on": "2026-01-05",
                "data": {"note_id": "n", "outcome": "dismissed", "activity_id": "a"},
            }
        ),
        *_refused({"type": "DraftOpened", "occurred_on": "2030-01-05", "data": {"draft_id": "d", "document": "MoU"}}),
        *_refused(
            {
                "type": "ContactAssigned",
                "occurred_on": "2026-01-05",
                "data": {"contact_id": "c", "name": "N", "side": "partner", "email": "putri@localhost"},
            }
        ),
    ]


REASONS = _every_reason()


def test_the_checks_give_every_kind_of_reason_the_pages_must_say():
    assert len(REASONS) >= 20  # the record refused each bad input above with at least one reason


@pytest.mark.parametrize("reason", REASONS)
def test_each_reason_of_the_record_is_said_in_indonesian_and_english(reason):
    indonesian, english = explain(reason, "id"), explain(reason, "en")
    assert ENGLISH.search(indonesian) is None, indonesian
    assert indonesian != explain("no reason we know", "id")  # a reason known as itself, not "isian tidak sah"
    assert english != reason or "%(" not in english  # the English catalogue's words, placeholders filled
    assert "%(" not in indonesian and "%(" not in english
