"""Every refusal a form can meet, on an Indonesian page: said in Indonesian, never in the record's English."""

from __future__ import annotations

import re

import pytest

from tests.helpers import activity
from tests.lifecycle_events import draft, note, planned, withdrawn
from tests.test_pages import csrf_of, login

S = "kota-bandung-seoul"

# Words of the record's English reasons (events/catalogue.py, invariants.py, plan_rules.py, text.py,
# mapper.py; service/api/recording.py): none may reach an Indonesian page.
ENGLISH = re.compile(
    r"\b(is not|is after|is before|already|record|realised|outside the years|plan item|currency code|"
    r"control character|only tab|characters long|lone surrogate|Idempotency|expected|required field|"
    r"registered|must be|may not|scope|retract or correct|the activity is dated|stored with another body)\b",
    re.IGNORECASE,
)
ALERT = re.compile(r'<p class="(?:alert|field-error)"[^>]*role="alert"[^>]*>(.*?)</p>', re.DOTALL)


def _post(site, path: str, **fields):
    form = site.client.get(path).text
    return site.client.post(path, data={"csrf": csrf_of(form), **fields}, follow_redirects=False)


def _said(response) -> list[str]:
    """The texts of the page's alerts (the form's top alert and each field's)."""
    return [re.sub(r"<[^>]+>", "", text).strip() for text in ALERT.findall(response.text)]


@pytest.fixture
def record(site):
    site.pantau.store.append(
        [
            planned("2026-01-05", "2026-youth", 2026),
            planned("2026-01-05", "2026-expo", 2026, kind="festival"),
            activity("2026-03-01", "exchange", "a-youth", plan_id="2026-youth"),
            draft("2026-01-10", "mou-a"),
            draft("2026-01-10", "mou-gone"),
            withdrawn("2026-02-01", "mou-gone"),
        ]
    )
    login(site)
    return site


# (address, what is typed, the field the reason belongs beside): one of each class of refusal.
ACTIVITY = f"/partnerships/{S}/activity"
DRAFT = {"document": "MoU", "initiated_by": "indonesia"}
BAD = [
    (ACTIVITY, {"occurred_on": "2025-05-01", "kind": "exchange", "title": "x", "plan_id": "2026-expo"}, "plan_id"),
    (ACTIVITY, {"occurred_on": "2026-05-01", "kind": "exchange", "title": "y", "plan_id": "2026-youth"}, "plan_id"),
    (ACTIVITY, {"occurred_on": "2026-05-01", "kind": "visit", "title": "a\x01b"}, "title"),
    (ACTIVITY, {"occurred_on": "2026-05-01", "kind": "visit", "title": "z" * 20_001}, "title"),
    (
        f"/partnerships/{S}/agreements/new",
        {"occurred_on": "2020-01-10", "agreement_id": "mou-2020", "document": "MoU"},
        "agreement_id",
    ),
    (
        f"/partnerships/{S}/plan/new",
        {"occurred_on": "2026-01-05", "plan_id": "far", "year": "2150", "kind": "exchange"},
        "year",
    ),
    (
        f"/partnerships/{S}/plan/new",
        {"occurred_on": "2026-01-05", "plan_id": "old", "year": "1990", "kind": "exchange"},
        "year",
    ),
    (
        f"/partnerships/{S}/plan/new",
        {"occurred_on": "2026-01-05", "plan_id": "p", "year": "2026", "kind": "visit", "planned_on": "2027-03"},
        "planned_on",
    ),
    (
        f"/partnerships/{S}/plan/new",
        {
            "occurred_on": "2026-01-05",
            "plan_id": "q",
            "year": "2026",
            "kind": "visit",
            "budget": "5",
            "currency": "RPX",
        },
        "currency",
    ),
    (
        f"/partnerships/{S}/plan/new",
        {"occurred_on": "2026-01-05", "plan_id": "2026-expo", "year": "2026", "kind": "visit"},
        "plan_id",
    ),
    (f"/partnerships/{S}/plan/2026-youth/drop", {"occurred_on": "2026-06-01"}, "plan_id"),
    (f"/partnerships/{S}/plan/nothing/drop", {"occurred_on": "2026-06-01"}, "plan_id"),
    (f"/partnerships/{S}/drafts/new", {"occurred_on": "2026-02-01", "draft_id": "mou-a", **DRAFT}, "draft_id"),
    (f"/partnerships/{S}/drafts/new", {"occurred_on": "2030-02-01", "draft_id": "mou-b", **DRAFT}, "occurred_on"),
    (
        f"/partnerships/{S}/drafts/nope/step",
        {"occurred_on": "2026-02-01", "step": "kajian", "outcome": "approved"},
        "draft_id",
    ),
    (
        f"/partnerships/{S}/drafts/mou-gone/step",
        {"occurred_on": "2026-03-01", "step": "kajian", "outcome": "approved"},
        "draft_id",
    ),
    (f"/partnerships/{S}/drafts/mou-gone/withdraw", {"occurred_on": "2026-03-01"}, "draft_id"),
    (f"/partnerships/{S}/drafts/mou-a/sign", {"occurred_on": "2026-03-01", "agreement_id": "mou-2020"}, "agreement_id"),
    (f"/partnerships/{S}/drafts/mou-gone/sign", {"occurred_on": "2026-03-01", "agreement_id": "mou-c"}, "draft_id"),
]


@pytest.mark.parametrize(("address", "typed", "field"), BAD, ids=[f"{a.split(S)[1]}:{f}" for a, _, f in BAD])
def test_each_refusal_a_form_meets_is_said_in_indonesian(record, address, typed, field):
    before = len(record.pantau.store.stream(S))
    answer = _post(record, address, form_id=f"f-{abs(hash((address, field, str(typed))))}", **typed)
    assert answer.status_code in (409, 422), answer.text
    said = _said(answer)
    assert said, "the page says nothing about what is wrong"
    assert [text for text in said if ENGLISH.search(text)] == []
    assert not any("isian tidak sah" in text for text in said)  # a known reason, said as itself
    assert len(record.pantau.store.stream(S)) == before


def test_a_lifecycle_form_sent_again_with_other_values_leads_to_its_first_result_like_every_form(record):
    address = f"/partnerships/{S}/drafts/new"
    assert (
        _post(record, address, form_id="once", occurred_on="2026-02-01", draft_id="mou-x", **DRAFT).status_code == 303
    )
    again = _post(record, address, form_id="once", occurred_on="2026-02-01", draft_id="mou-y", **DRAFT)
    assert again.status_code == 303
    assert again.headers["location"] == f"/partnerships/{S}?saved=DraftOpened&again=1#drafts"
    assert [d.data["draft_id"] for d in record.pantau.store.stream(S) if d.type == "DraftOpened"].count("mou-y") == 0


@pytest.mark.parametrize(
    "typed",
    [
        {"occurred_on": "2019-13", "kind": "visit"},  # no such month
        {"occurred_on": "2030-01-01", "kind": "visit"},  # after the note
        {"occurred_on": "2026-01", "kind": "parade"},  # no such kind
    ],
)
def test_accepting_a_note_with_bad_input_is_refused_in_indonesian(record, typed):
    record.pantau.store.append([note("2026-01-05", "Kunjungan delegasi ke Seoul")])
    [pending] = [e for e in record.pantau.store.stream(S) if e.type == "NoteAdded"]
    page = record.client.get(f"/notes/review?stream={S}").text
    answer = record.client.post(
        f"/notes/{pending.id}/accept", data={"csrf": csrf_of(page), "stream": S, **typed}, follow_redirects=False
    )
    assert answer.status_code == 422
    said = _said(answer)
    assert said and [text for text in said if ENGLISH.search(text)] == []
    assert not any(e.type == "NoteReviewed" for e in record.pantau.store.stream(S))
