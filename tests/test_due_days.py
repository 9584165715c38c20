"""The due-day index (notifications/due_days.py): a day outside a partnership's ranges alerts nothing."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import mapper
from events.catalogue import APPROVAL_PATH
from notifications.activity_index import build
from notifications.alert_rules import AlertRules
from notifications.due_days import ANY, Due, due_days, is_due
from notifications.rules import alerts_for_day, partnership_alerts
from projections.partnership import fold
from projections.rules import Rules
from tests import helpers as h
from tests.lifecycle_events import draft, step, withdrawn
from tests.test_properties import DESKS, STREAMS, TODAY, partial, stream_history

S = "kota-bandung-seoul"
RULES = Rules(desks=DESKS)
SPAN = (date(2000, 1, 1), date(2034, 12, 31))
ONE_DAY = timedelta(days=1)
_NS = uuid.UUID("5b0c3c1e-0b7e-4c55-8d0e-2f4e1a9b7c11")


@st.composite
def draft_ops(draw) -> list[tuple[str, str, dict]]:
    """A draft opened, some approval steps (returned or rejected too), perhaps withdrawn."""
    out = [("DraftOpened", draw(partial()), {"draft_id": "d1", "document": "MoU", "initiated_by": "indonesia"})]
    for _ in range(draw(st.integers(0, 5))):
        out.append(
            (
                "ApprovalRecorded",
                draw(partial()),
                {
                    "draft_id": "d1",
                    "step": draw(st.sampled_from([*APPROVAL_PATH, "other"])),
                    "outcome": draw(st.sampled_from(["approved", "approved", "returned", "rejected"])),
                },
            )
        )
    if draw(st.integers(0, 3)) == 0:
        out.append(("DraftWithdrawn", draw(partial()), {"draft_id": "d1", "reason": "partner withdrew"}))
    return out


@st.composite
def records(draw):
    """One to three folded partnerships with random histories, drafts among them."""
    streams = draw(st.lists(st.sampled_from(STREAMS), min_size=1, max_size=3, unique=True))
    states = []
    for stream in streams:
        ops = draw(stream_history(stream))
        if draw(st.booleans()):
            ops += draw(draft_ops())
        events = [
            mapper.from_dict(
                {
                    "id": str(uuid.uuid5(_NS, f"{stream}:{n}")),
                    "stream": stream,
                    "type": type_,
                    "occurred_on": on,
                    "data": data,
                    "meta": {},
                },
                TODAY,
            )
            for n, (type_, on, data) in enumerate(ops)
        ]
        states.append(fold(events))
    return states


@st.composite
def rule_sets(draw) -> tuple[Rules, AlertRules]:
    """Thresholds as a rules file may set them, an active window longer than the quiet one included."""
    active = draw(st.integers(1, 36))
    quiet = active + draw(st.integers(0, 30)) if draw(st.integers(0, 5)) else draw(st.integers(1, 60))
    alerts = AlertRules(
        renewal_days=tuple(draw(st.lists(st.integers(0, 400), min_size=1, max_size=4))),
        lapsed_days=draw(st.integers(1, 90)),
        dormancy_warning_days=draw(st.integers(1, 120)),
    )
    return Rules(active_months=active, quiet_months=quiet, desks=DESKS), alerts


# Each example walks 35 years day by day (~13,000 days): 15 keep the unit tier quick, and every
# run (CI's clean clone keeps no example database) draws 15 new ones.
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(states=records(), rule_set=rule_sets())
def test_every_day_the_partnerships_the_index_names_give_the_alerts_of_all(states, rule_set):
    rules, alert_rules = rule_set
    ranges = {s.stream: due_days(s, rules, alert_rules) for s in states}
    indexes = {s.stream: build(s, rules) for s in states}
    day = SPAN[0]
    while day <= SPAN[1]:
        named = {s.stream for s in states if is_due(ranges[s.stream], day, day)}
        everyone = alerts_for_day(states, day, rules, alert_rules, digests=False, indexes=indexes)
        # Without digests a partnership's alerts depend on its record alone, so the alerts of the
        # named equal everyone's exactly when no alert belongs to a partnership left unnamed.
        assert {a.stream for a in everyone} <= named, (day, everyone, named)
        for alert in everyone:
            # The job skips a partnership whose keys of the day are all queued: each key is foretold.
            covering = [d for d in ranges[alert.stream] if d.first <= day <= d.last]
            assert any(d.key in (alert.key, None) for d in covering), (alert, covering)
        day += ONE_DAY


def _ranges(history, rules: Rules = RULES, alert_rules: AlertRules | None = None) -> list[Due]:
    return due_days(fold(history), rules, alert_rules or AlertRules())


def _alerts(history, day: date) -> list[str]:
    return [a.key for a in partnership_alerts(fold(history), day, RULES, AlertRules())]


MOU_2016 = [h.registered(S, "2010-01-01"), h.signed("2016-10-08", "mou-2016", "MoU", stream=S)]


def test_mou_ending_2021_10_07_is_due_90_days_before():
    # Signed 2016-10-08, five years: in force through 2021-10-07.
    renewal = {d.key: (d.first, d.last) for d in _ranges(MOU_2016) if d.rule == "renewal"}
    assert renewal == {
        f"renewal:{S}:mou-2016:2021-10-07:180": (date(2021, 4, 10), date(2021, 7, 8)),
        f"renewal:{S}:mou-2016:2021-10-07:90": (date(2021, 7, 9), date(2021, 9, 6)),
        f"renewal:{S}:mou-2016:2021-10-07:30": (date(2021, 9, 7), date(2021, 10, 7)),
    }
    assert _alerts(MOU_2016, date(2021, 7, 9)) == [f"renewal:{S}:mou-2016:2021-10-07:90"]
    assert _alerts(MOU_2016, date(2021, 7, 8)) == [f"renewal:{S}:mou-2016:2021-10-07:180"]


def test_the_lapse_is_due_the_30_days_after_the_last_day_in_force():
    [lapse] = [d for d in _ranges(MOU_2016) if d.rule == "lapsed"]
    assert (lapse.first, lapse.last, lapse.key) == (
        date(2021, 10, 8),
        date(2021, 11, 6),
        f"lapsed:{S}:mou-2016:2021-10-07",
    )
    assert _alerts(MOU_2016, date(2021, 11, 7)) == []


def test_a_renewal_recorded_ahead_moves_the_reminders_from_its_date_on():
    history = [*MOU_2016, h.renewed("2021-08-01", "mou-2016", stream=S, term_years=5)]
    keys = {d.key: (d.first, d.last) for d in _ranges(history) if d.rule == "renewal"}
    # Before 2021-08-01 the old end holds; from then on the renewal's (2026-07-31).
    assert keys[f"renewal:{S}:mou-2016:2021-10-07:90"] == (date(2021, 7, 9), date(2021, 7, 31))
    assert f"renewal:{S}:mou-2016:2021-10-07:30" not in keys
    assert keys[f"renewal:{S}:mou-2016:2026-07-31:30"] == (date(2026, 7, 1), date(2026, 7, 31))


def test_a_terminated_agreement_and_an_ended_partnership_are_due_no_more():
    terminated = [*MOU_2016, h.terminated("2021-05-01", "mou-2016", stream=S)]
    assert max(d.last for d in _ranges(terminated) if d.rule == "renewal") == date(2021, 4, 30)
    ended = [*MOU_2016, h.ended("2021-05-01", stream=S)]
    assert max(d.last for d in _ranges(ended)) == date(2021, 4, 30)


def test_a_visit_in_march_2019_cools_two_years_after_and_goes_quiet_four_years_after():
    history = [h.registered(S, "2010-01-01"), h.activity("2019-03-15", "visit", "visit-1", stream=S)]
    by_rule = {d.rule: d for d in _ranges(history)}
    assert (by_rule["cooling"].first, by_rule["cooling"].key) == (date(2021, 3, 15), f"cooling:{S}:2021-03-15")
    assert (by_rule["dormant"].first, by_rule["dormant"].key) == (date(2023, 3, 15), f"dormant:{S}:2023-03-15")
    warning = by_rule["dormancy_warning"]
    assert (warning.first, warning.last) == (date(2023, 1, 14), date(2023, 3, 14))
    assert _alerts(history, date(2023, 1, 13)) == []
    assert _alerts(history, date(2023, 1, 14)) == [f"dormancy_warning:{S}:2023-03-15"]


def test_a_draft_waiting_for_the_dprd_is_due_from_its_121st_day_until_its_next_step():
    history = [h.registered(S, "2010-01-01"), draft("2023-01-10"), step("2023-02-01", "kajian")]
    [stalled] = [d for d in _ranges(history) if d.rule == "draft_stalled"]
    assert (stalled.first, stalled.last) == (date(2023, 6, 2), date.max)
    assert stalled.key == f"draft_stalled:{S}:mou-draft:dprd:2023-02-01"
    withdrawn_later = [*history, withdrawn("2023-09-01")]
    [stalled] = [d for d in _ranges(withdrawn_later) if d.rule == "draft_stalled"]
    assert (stalled.first, stalled.last) == (date(2023, 6, 2), date(2023, 8, 31))


def test_a_record_the_ranges_cannot_read_is_due_every_day():
    broken = fold(MOU_2016)
    assert broken is not None
    assert due_days(broken, RULES, AlertRules(renewal_days=None)) == [Due(date.min, date.max, ANY, None)]  # type: ignore[arg-type]
