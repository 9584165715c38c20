"""`draft_stalled` (docs/lifecycle.md): the day a wait first exceeds its limit, once per wait, with catch-up."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from notifications import outbox
from notifications.alert_rules import AlertRules
from notifications.compose import messages
from notifications.digest import build as build_digest
from notifications.render import render
from notifications.rules import partnership_alerts
from notifications.simulate import simulate
from projections.partnership import fold
from projections.readmodel import load_states
from projections.rules import Desk, Rules
from service.scheduler import AlertJobs, Leader, LeaderGuard
from tests import helpers as h
from tests.lifecycle_events import draft, signed_from, step, withdrawn
from tests.test_alert_job import at

S = "kota-bandung-seoul"
SEOUL = Desk("kbri-seoul", "KBRI Seoul", "seoul@kemlu.example", ("KR",))
RULES = Rules(desks=(SEOUL,))
BASE = [
    h.registered(S, "2010-01-01"),
    h.contact("2010-01-01", "putri", stream=S, email="putri@bandung.example"),
    h.contact("2010-01-01", "kim", stream=S, email="kim@seoul.example", side="partner", language="en"),
]


def stalled_on(history, day: str) -> list[str]:
    return [
        a.key
        for a in partnership_alerts(fold(history), date.fromisoformat(day), RULES, AlertRules())
        if a.rule == "draft_stalled"
    ]


def stall_days(history, start: str = "2023-01-01", end: str = "2023-12-31") -> list[tuple[str, str]]:
    planned = simulate([fold(history)], date.fromisoformat(start), date.fromisoformat(end), RULES, AlertRules())
    return [(p.day.isoformat(), p.key) for p in planned if p.rule == "draft_stalled" and "/" not in p.key]


def test_not_on_the_last_day_within_the_limit_but_on_the_day_after():
    history = [*BASE, draft("2023-01-10"), step("2023-02-01", "kajian")]
    assert stalled_on(history, "2023-06-01") == []  # 120 days waiting for the DPRD: not yet
    assert stalled_on(history, "2023-06-02") == ["draft_stalled:kota-bandung-seoul:mou-draft:dprd:2023-02-01"]


def test_each_wait_is_announced_once_and_a_new_event_starts_a_new_wait():
    history = [
        *BASE,
        draft("2023-01-10"),
        step("2023-02-01", "kajian"),
        step("2023-07-01", "dprd", "returned"),
        step("2023-08-01", "dprd", "submitted"),
    ]
    assert stall_days(history) == [
        ("2023-06-02", "draft_stalled:kota-bandung-seoul:mou-draft:dprd:2023-02-01"),
        ("2023-11-30", "draft_stalled:kota-bandung-seoul:mou-draft:dprd:2023-08-01"),
    ]


def test_a_returned_draft_stalls_like_any_wait_and_the_message_says_it_was_returned():
    history = [
        *BASE,
        draft("2023-01-10"),
        step("2023-02-01", "kajian"),
        step("2023-03-01", "dprd"),
        step("2023-04-01", "interministerial", "returned"),
    ]
    assert stall_days(history) == [
        ("2023-07-01", ("draft_stalled:kota-bandung-seoul:mou-draft:interministerial:2023-04-01"))
    ]
    [alert] = [a for a in partnership_alerts(fold(history), date(2023, 7, 1), RULES, AlertRules())]
    assert alert.facts["returned"] is True
    text = render("draft_stalled", "id", {**_context(history, alert), "key": alert.key}).text
    assert "dikembalikan" in text or "pengembalian" in text


def test_skipped_steps_and_a_partial_opening_date():
    # Opened "2023-03": counted from 1 March; the benefit study's 90 days are passed on 30 May.
    assert stall_days([*BASE, draft("2023-03")]) == [
        ("2023-05-31", ("draft_stalled:kota-bandung-seoul:mou-draft:kajian:2023-03-01"))
    ]
    # Straight to Kemlu: the draft then waits for Kemlu's confirmation letter.
    history = [*BASE, draft("2023-01-10"), step("2023-02-01", "kemlu")]
    assert stall_days(history) == [
        ("2023-05-03", ("draft_stalled:kota-bandung-seoul:mou-draft:kemlu_confirmation:2023-02-01"))
    ]


def test_closed_drafts_and_ended_partnerships_get_no_alert():
    assert stall_days([*BASE, draft("2023-01-10"), withdrawn("2023-04-01")]) == []
    assert stall_days([*BASE, draft("2023-01-10"), signed_from("2023-04-09")]) == []
    assert stall_days([*BASE, draft("2023-01-10"), h.ended("2023-03-01", stream=S)]) == []


def test_limits_per_step_come_from_the_rules_file():
    from service.config import projection_rules

    rules = dataclasses.replace(projection_rules({"drafts": {"stall_days": {"kajian": 30}}}), desks=(SEOUL,))
    planned = simulate([fold([*BASE, draft("2023-01-10")])], date(2023, 1, 1), date(2023, 12, 31), rules, AlertRules())
    assert [p.day for p in planned if p.rule == "draft_stalled" and "/" not in p.key] == [date(2023, 2, 10)]
    from service.settings import SettingsError

    with pytest.raises(SettingsError, match="drafts.stall_days.governor"):
        projection_rules({"drafts": {"stall_days": {"governor": 30}}})
    with pytest.raises(SettingsError, match="drafts.stall_days.dprd"):
        projection_rules({"drafts": {"stall_days": {"dprd": 0}}})


def _context(history, alert):
    from notifications.compose import partnership_context

    return partnership_context(alert, fold(history), RULES)


def test_recipients_are_those_of_a_renewal_and_each_reads_their_language():
    history = [*BASE, draft("2023-01-10", title="MoU kerja sama pendidikan")]
    [alert] = [a for a in partnership_alerts(fold(history), date(2023, 4, 11), RULES, AlertRules())]
    sent = messages(alert, {S: fold(history)}, [], RULES, AlertRules())
    assert [(m.language, m.to, m.cc) for m in sent] == [
        ("id", ("putri@bandung.example",), ("seoul@kemlu.example",)),
        ("en", ("kim@seoul.example",), ()),
    ]
    assert sent[0].subject == (
        "Rancangan MoU Kota Bandung – Seoul menunggu kajian manfaat sejak 10 Januari 2023 (91 hari)"
    )
    assert sent[1].subject == (
        "Draft MoU Kota Bandung – Seoul has waited for the benefit study since 10 January 2023 (91 days)"
    )
    assert "MoU kerja sama pendidikan" in sent[0].text and "90" in sent[0].html


def test_the_digest_lists_the_desks_stalled_drafts_longest_wait_first():
    history = [*BASE, draft("2023-01-10"), draft("2023-03-01", draft_id="loi-draft", document="LoI")]
    context = build_digest([fold(history)], "kbri-seoul", date(2023, 6, 1), RULES, AlertRules())
    assert [(s["draft_id"], s["days_waiting"]) for s in context["stalled"]] == [("mou-draft", 171), ("loi-draft", 121)]
    for language, words in (("id", "RANCANGAN YANG TERTAHAN"), ("en", "STALLED DRAFTS")):
        body = render("digest", language, {**context, "key": "digest:kbri-seoul:2023-06"})
        assert words in body.text and "Kota Bandung – Seoul</a> · MoU" in body.html


# A year on SQLite only, as the scheduler's own year test: each piece is tested on both backends elsewhere.
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_year_of_daily_runs_sends_each_stall_once_even_across_downtime(pantau, clock, smtp_server):
    pantau.store.append(
        [
            *BASE,
            draft("2023-01-10"),
            step("2023-02-01", "kajian"),
            step("2023-07-01", "dprd", "returned"),
            step("2023-08-01", "dprd", "submitted"),
            draft("2023-03", draft_id="loi-draft", document="LoI"),
        ]
    )
    pantau.rules = dataclasses.replace(pantau.rules, desks=(SEOUL,))
    jobs = AlertJobs(pantau, AlertRules(), smtp_server.sender())
    leader = Leader(pantau.engine)
    guard = LeaderGuard(jobs, leader)
    clock.now = at("2022-12-31", 9)
    guard(jobs.outbox_job)
    day = date(2023, 1, 1)
    while day <= date(2023, 12, 31):
        if not date(2023, 5, 20) <= day <= date(2023, 6, 10):  # down over both first stalls: caught up after
            clock.now = at(day.isoformat(), 8)
            guard(jobs.alerts_job)
            clock.advance(minutes=1)
            guard(jobs.outbox_job)
        day += timedelta(days=1)
    leader.release()
    received = [m["X-Pantau-Key"] for m in smtp_server.parsed()]
    stalls = sorted(k for k in received if k.startswith("draft_stalled:") and "/" not in k)
    assert stalls == [
        "draft_stalled:kota-bandung-seoul:loi-draft:kajian:2023-03-01",
        "draft_stalled:kota-bandung-seoul:mou-draft:dprd:2023-02-01",
        "draft_stalled:kota-bandung-seoul:mou-draft:dprd:2023-08-01",
    ]
    expected = simulate(load_states(pantau.engine), date(2023, 1, 1), date(2023, 12, 31), pantau.rules, AlertRules())
    assert stalls == sorted(p.key for p in expected if p.rule == "draft_stalled" and "/" not in p.key)
    assert len(received) == len(set(received))  # every message once, the English ones included
    days = {m["key"]: m["day"].isoformat() for m in outbox.list_messages(pantau.engine, limit=1000)}
    # Sent late after the downtime, each carrying the day it was due.
    assert days["draft_stalled:kota-bandung-seoul:mou-draft:dprd:2023-02-01"] == "2023-06-02"
    assert days["draft_stalled:kota-bandung-seoul:loi-draft:kajian:2023-03-01"] == "2023-05-31"
