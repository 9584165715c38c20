"""A scope's running sums, moved write by write, give the dashboard that adding every summary up gives."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections.agreements import agreement_status
from projections.dashboard import dashboard, of_totals
from projections.dashboard_summary import summary
from projections.dashboard_totals import Totals
from projections.dashboard_years import Scope
from projections.partnership import fold
from projections.rules import Rules
from tests.helpers import activity, event, registered, signed
from tests.test_properties import DESKS, by_stream, histories

RULES = Rules(desks=DESKS)
DAY = date(2026, 11, 23)
SCOPES = [Scope(), Scope(desk="kbri-seoul"), Scope(desk="kbri-tokyo"), Scope(region="Kota Bandung")]


def _summaries(events, cut: dict[str, int], day: date = DAY) -> list:
    """Each partnership's summary on `day` after its first `cut[stream]` events (all of them when not cut)."""
    out = []
    for stream, stream_events in sorted(by_stream(events).items()):
        made = summary(fold(stream_events[: cut.get(stream, len(stream_events))]), day, RULES)
        if made is not None:
            out.append(made)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=histories(),
    cuts=st.lists(st.integers(1, 20), min_size=3, max_size=3),
    drop=st.booleans(),
    data=st.data(),
)
def test_sums_moved_by_changed_summaries_equal_the_sums_made_afresh(events, cuts, drop, data):
    # A day in the year before some agreement's end: it ends in the twelve months the dashboard lists.
    agreements = [a for stream_events in by_stream(events).values() for a in fold(stream_events).agreements]
    until = [agreement_status(a, a.start, RULES).valid_until for a in agreements]
    ends = sorted({end for end in until if end is not None and date(2001, 1, 1) <= end <= DAY})
    day = data.draw(st.sampled_from(ends)) - timedelta(days=data.draw(st.integers(0, 360))) if ends else DAY
    streams = sorted(by_stream(events))
    earlier = _summaries(events, dict(zip(streams, cuts, strict=False)), day)
    later = _summaries(events, {}, day)
    steps = [earlier, later, later[1:] if drop else later, earlier]
    for scope in SCOPES:
        totals, moved, before = Totals(scope), Totals(scope), {}
        for step in steps:
            fresh = dashboard(step, scope, day)
            assert of_totals(totals.update(step), day) == fresh
            assert sorted(totals.desks) == sorted({s.desk for s in step if s.desk})
            # As a request moves them: by the changed summaries alone, a partnership gone as None.
            now = {s.stream: s for s in step}
            changed = {k: v for k, v in now.items() if before.get(k) is not v} | {
                k: None for k in before if k not in now
            }
            assert of_totals(moved.change(changed), day) == fresh
            before = now


def test_a_new_activity_moves_its_year_and_kind_and_nothing_else():
    before = summary(fold([registered(), activity("2012-03-01", "training")]), DAY, RULES)
    after = summary(
        fold([registered(), activity("2012-03-01", "training"), activity("2015-05-01", "visit")]), DAY, RULES
    )
    other = summary(
        fold(
            [registered("kota-surabaya-busan"), signed("2022-03-01", "mou", term_years=5, stream="kota-surabaya-busan")]
        ),
        DAY,
        RULES,
    )
    totals = Totals(Scope()).update([before, other])
    assert totals.kinds == {"2012\ttraining": 1, "2022\tsigning": 1}  # a signing counts as what was done
    totals.update([after, other])
    assert totals.kinds == {"2012\ttraining": 1, "2015\tvisit": 1, "2022\tsigning": 1} and totals.held == 2
    [(_, [(held, ending)])] = [(m, rows) for m, rows in of_totals(totals, DAY).ending if rows]
    assert (held.stream, ending.agreement_id) == ("kota-surabaya-busan", "mou")  # ending in February 2027
    totals.update([after])
    assert (
        totals.held == 1 and not any(totals.ending.values()) and totals.kinds == {"2012\ttraining": 1, "2015\tvisit": 1}
    )


def test_a_partnership_that_moved_desk_counts_for_each_desk_in_the_years_it_was_theirs():
    stream = "kota-medan-jeddah"
    history = [
        registered(stream, "2015-01-01", desk="kbri-jeddah", country="SA"),
        event(stream, "PartnershipDetailsChanged", "2021-04-15", {"desk": "kbri-seoul"}),
    ]
    stayed = summary(fold([registered()]), DAY, RULES)  # kbri-seoul's own since 2010
    moved = summary(fold(history), DAY, RULES)
    assert moved.moved and not moved.year_codes
    for scope, years in ((Scope(desk="kbri-jeddah"), range(2015, 2021)), (Scope(desk="kbri-seoul"), range(2021, 2026))):
        totals = Totals(scope).update([stayed])
        totals.update([stayed, moved])  # moved in, as a write brings it
        numbers = of_totals(totals, DAY)
        assert numbers == dashboard([stayed, moved], scope, DAY)
        counted = {
            year for year, row in numbers.year_ends.items() if sum(row.values()) - (scope.desk == "kbri-seoul") > 0
        }
        assert counted == set(years), scope
        totals.update([stayed])  # and out again: as if it had never been there
        assert of_totals(totals, DAY) == dashboard([stayed], scope, DAY)
