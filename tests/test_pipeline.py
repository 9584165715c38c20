"""The pipeline of drafts as of a day (docs/lifecycle.md), at its boundaries and against an independent fold."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from events.invariants import StreamFacts
from projections.partnership import fold
from projections.pipeline import closed_by, pipeline
from projections.rules import Rules
from tests.helpers import event, registered
from tests.lifecycle_events import STREAM, draft, signed_from, step, withdrawn

RULES = Rules()


def on(history, day: str) -> list[dict]:
    return [s.as_json() for s in pipeline([fold(history)], date.fromisoformat(day), RULES)]


def only(history, day: str) -> dict:
    [row] = on(history, day)
    return row


def test_a_draft_just_opened_waits_for_the_benefit_study():
    row = only([registered(), draft("2023-01-10")], "2023-02-01")
    assert row == {
        "stream": STREAM,
        "draft_id": "mou-draft",
        "document": "MoU",
        "reached": "opened",
        "waiting_for": "kajian",
        "since": "2023-01-10",
        "days_waiting": 22,
        "returned": False,
        "stalled": False,
    }
    assert on([registered(), draft("2023-01-10")], "2023-01-09") == []  # not opened yet


def test_the_day_a_wait_exceeds_its_limit_and_the_day_before():
    history = [registered(), draft("2023-01-10"), step("2023-02-01", "kajian")]
    # Waiting for the DPRD: 120 days. 2023-02-01 + 120 days = 2023-06-01.
    assert only(history, "2023-06-01")["days_waiting"] == 120 and not only(history, "2023-06-01")["stalled"]
    assert only(history, "2023-06-02")["days_waiting"] == 121 and only(history, "2023-06-02")["stalled"]
    history.append(step("2023-06-10", "dprd"))
    # Waiting for the inter-ministerial meeting: 90 days from 2023-06-10 is 2023-09-08.
    assert not only(history, "2023-09-08")["stalled"] and only(history, "2023-09-09")["stalled"]


def test_a_returned_draft_is_marked_and_keeps_the_step_it_had_reached():
    history = [
        registered(),
        draft("2023-01-10"),
        step("2023-02-01", "kajian"),
        step("2023-03-01", "dprd"),
        step("2023-05-01", "interministerial", "returned", note="revisi pasal 4"),
    ]
    row = only(history, "2023-05-02")
    assert (row["reached"], row["waiting_for"], row["since"], row["returned"]) == (
        "dprd",
        "interministerial",
        "2023-05-01",
        True,
    )
    history.append(step("2023-06-01", "interministerial", "submitted"))
    assert only(history, "2023-06-02")["returned"] is False and only(history, "2023-06-02")["since"] == "2023-06-01"
    # As of a day before the return, the draft was not returned.
    assert only(history, "2023-04-30")["returned"] is False


def test_a_later_approved_step_skips_the_steps_never_recorded():
    history = [registered(), draft("2023-01-10"), step("2023-04-01", "kemlu")]
    row = only(history, "2023-04-02")
    assert (row["reached"], row["waiting_for"]) == ("kemlu", "kemlu_confirmation")
    history.append(step("2023-05-01", "full_powers"))
    assert only(history, "2023-05-02")["waiting_for"] == "signing"


def test_a_step_of_kind_other_is_shown_but_never_counted_as_progress():
    history = [registered(), draft("2023-01-10"), step("2023-02-01", "other")]
    row = only(history, "2023-02-02")
    assert (row["reached"], row["waiting_for"], row["since"]) == ("opened", "kajian", "2023-02-01")


def test_a_partial_opening_date_counts_from_its_first_day():
    history = [registered(), draft("2023-03")]
    assert on(history, "2023-02-28") == []
    row = only(history, "2023-03-01")
    assert (row["since"], row["days_waiting"]) == ("2023-03-01", 0)
    # The benefit study's limit is 90 days: from 2023-03-01 it is passed on 2023-05-31.
    assert not only(history, "2023-05-30")["stalled"] and only(history, "2023-05-31")["stalled"]


def test_closed_drafts_leave_the_pipeline_on_their_date_and_keep_their_history():
    history = [
        registered(),
        draft("2023-01-10"),
        step("2023-02-01", "kajian"),
        signed_from("2023-09-01"),
        draft("2023-02-01", draft_id="loi-draft", document="LoI"),
        withdrawn("2023-03-01", "loi-draft"),
    ]
    assert [r["draft_id"] for r in on(history, "2023-02-15")] == ["loi-draft", "mou-draft"]
    assert [r["draft_id"] for r in on(history, "2023-08-31")] == ["mou-draft"]
    assert on(history, "2023-09-01") == []
    closed = closed_by(fold(history), date(2023, 9, 1))
    assert {(d.draft_id, d.closed, d.closed_on) for d in closed} == {
        ("mou-draft", "signed", "2023-09-01"),
        ("loi-draft", "withdrawn", "2023-03-01"),
    }
    assert [s.step for s in next(d for d in closed if d.draft_id == "mou-draft").steps] == ["kajian"]


def test_limits_come_from_the_rules():
    import types

    rules = Rules(stall_days=types.MappingProxyType({**RULES.stall_days, "kajian": 10}))
    [row] = pipeline([fold([registered(), draft("2023-01-01")])], date(2023, 1, 12), rules)
    assert row.stalled and row.limit == 10


def test_a_v1_step_changes_no_pipeline():
    v1 = event(STREAM, "ApprovalRecorded", "2023-02-01", {"step": "dprd"})
    assert only([registered(), draft("2023-01-10"), v1], "2023-02-02")["reached"] == "opened"


def test_the_desk_filter_uses_the_desk_of_the_day():
    history = [registered(), draft("2023-01-10")]
    assert pipeline([fold(history)], date(2023, 2, 1), RULES, "kbri-tokyo") == []
    assert len(pipeline([fold(history)], date(2023, 2, 1), RULES, "kbri-seoul")) == 1


# -- property: the pipeline as of D is an independent fold of the events dated on or before D ----------

PATH = ["kajian", "dprd", "interministerial", "kemlu", "kemlu_confirmation", "mendagri", "full_powers"]
LIMITS = {"dprd": 120}
START = date(2022, 1, 1)


def _text(day: date, precision: str) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]


@st.composite
def histories(draw):
    """A valid history of one partnership with a few drafts, recorded in any order of dates."""
    history = [registered()]
    facts = StreamFacts()
    facts.advance(history[0])
    for n in range(draw(st.integers(1, 25))):
        draft_id = draw(st.sampled_from(["d1", "d2", "d3"]))
        day = START + timedelta(days=draw(st.integers(0, 900)))
        when = _text(day, draw(st.sampled_from(["day", "day", "day", "month", "year"])))
        what = draw(st.sampled_from(["open", "step", "step", "step", "withdraw", "sign"]))
        if what == "open":
            e = draft(when, draft_id=draft_id)
        elif what == "step":
            e = step(
                when,
                draw(st.sampled_from([*PATH, "other"])),
                draw(st.sampled_from(["approved", "approved", "submitted", "returned", "rejected"])),
                draft_id=draft_id,
            )
        elif what == "withdraw":
            e = withdrawn(when, draft_id)
        else:
            e = signed_from(when, draft_id, agreement_id=f"a{n}")
        if not facts.check(e):  # only what the store would accept
            facts.advance(e)
            history.append(e)
    return history


def independent(history, day: date) -> list[dict]:
    """The pipeline computed straight from the events dated on or before `day`."""
    seen = [e for e in history if e.occurred_on.first <= day]
    out = []
    for draft_id in sorted({e.data.get("draft_id") for e in seen if e.type == "DraftOpened"}):
        mine = [e for e in seen if e.data.get("draft_id") == draft_id]
        if any(e.type in ("DraftWithdrawn", "AgreementSigned") for e in mine):
            continue
        opened = next(e for e in mine if e.type == "DraftOpened")
        steps = [e for e in mine if e.type == "ApprovalRecorded"]
        indexes = [
            PATH.index(e.data["step"]) for e in steps if e.data["outcome"] == "approved" and e.data["step"] in PATH
        ]
        reached = PATH[max(indexes)] if indexes else "opened"
        waiting = "kajian" if reached == "opened" else (PATH + ["signing"])[PATH.index(reached) + 1]
        dated = [opened, *steps]
        since = max(e.occurred_on.first for e in dated)
        latest = [e for e in dated if e.occurred_on.first == since][-1]
        waited = (day - since).days
        out.append(
            {
                "stream": STREAM,
                "draft_id": draft_id,
                "document": "MoU",
                "reached": reached,
                "waiting_for": waiting,
                "since": since.isoformat(),
                "days_waiting": waited,
                "returned": latest.data.get("outcome") in ("returned", "rejected"),
                "stalled": waited > LIMITS.get(waiting, 90),
            }
        )
    return out


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(-30, 1000))
def test_the_pipeline_as_of_a_day_equals_a_fold_of_the_events_dated_by_then(history, offset):
    day = START + timedelta(days=offset)
    assert [s.as_json() for s in pipeline([fold(history)], day, RULES)] == independent(history, day)
