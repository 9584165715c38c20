"""The record's refusals, as its own checks code them, said by the pages in both languages from their codes."""

from __future__ import annotations

from datetime import date

import pytest

from events import mapper
from events.errors import FieldError, InvalidEvent
from events.invariants import StreamFacts
from events.text import text_errors
from service.api.i18n import translations
from service.api.reasons import explain
from tests.helpers import activity, event, registered
from tests.lifecycle_events import draft, planned, withdrawn
from tests.test_pages_refusals import ENGLISH

S = "kota-bandung-seoul"
TODAY = date(2026, 11, 23)


def _refused(obj: dict) -> list[FieldError]:
    try:
        mapper.from_dict({"id": None, "meta": {}, "stream": S, **obj}, TODAY)
    except InvalidEvent as exc:
        return exc.errors
    raise AssertionError(f"accepted: {obj}")


def _stream_refusals() -> list[FieldError]:
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
    reasons = StreamFacts().check(event(S, "NoteAdded", "2026-01-01", {"text": "x"}))
    for e in bad:
        found = facts.check(e)
        assert found, f"{e.type} was not refused"
        reasons += found
    return reasons


def _every_reason() -> list[FieldError]:
    planned_ = {"type": "ActivityPlanned", "occurred_on": "2026-01-05"}
    return [
        *_stream_refusals(),
        *(
            e
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


@pytest.mark.parametrize("reason", REASONS, ids=lambda e: e.code)
def test_each_reason_of_the_record_is_said_in_indonesian_and_english(reason):
    indonesian, english = explain(reason, "id"), explain(reason, "en")
    assert reason.code != "invalid"
    assert ENGLISH.search(indonesian) is None, indonesian
    unknown = FieldError("x", "no reason we know", code="no_such_code")
    assert indonesian != explain(unknown, "id")  # a reason known by its code, not "isian tidak sah"
    assert translations("en").gettext(f"reason.{reason.code}") != f"reason.{reason.code}"  # words of its own
    assert "%(" not in indonesian and "%(" not in english


def test_the_words_come_from_the_code_never_from_the_english():
    reworded = FieldError("data.kind", "a message msgspec might word otherwise", code="choice", params={"value": "x"})
    assert explain(reworded, "id") == "“x” bukan salah satu pilihan"
    assert explain(FieldError("f", "whatever", code="no_such_code"), "en") == "whatever"
    assert explain(FieldError("f", "whatever", code="no_such_code"), "id") == "isian tidak sah"
