"""The dashboards' year-end series equal the status projection (`pantau status --as-of`) at every 31 December."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from events.jsonl import decode_lines
from projections.dashboard_years import STAGES, STATUSES, Scope, counts_by_year, last_year_end, year_ends
from projections.rules import Rules
from projections.runner import replay
from projections.status import status, statuses
from tests.conftest import SAMPLE
from tests.helpers import activity, ended, event, exploration, registered, renewed, signed, terminated

RULES = Rules()
TODAY = date(2026, 12, 6)


def _sample_states():
    with SAMPLE.open("rb") as source:
        events = [found for _, found, _ in decode_lines(source, TODAY) if found is not None]
    return replay(events)


def _expected(states, year: int, desk: str | None = None) -> dict:
    rows = statuses(states, date(year, 12, 31), RULES, desk)
    counts = Counter(s.matrix_status for s in rows) + Counter(s.stage for s in rows if s.stage in STAGES)
    return {name: counts.get(name, 0) for name in (*STATUSES, *STAGES)}


def test_every_year_end_of_the_sample_counts_what_the_status_projection_says():
    states = _sample_states()
    first = min(s.registered_on.year for s in states)
    series = [year_ends(s, 2025, RULES) for s in states]
    counts = counts_by_year(series, Scope(), first, 2025)
    assert first <= 2010  # the sample reaches back: the series has many years to hold
    for year in range(first, 2026):
        assert counts[year] == _expected(states, year), year
    # Not a table of zeros: in 2020 the sample had lapsed agreements and every status but one.
    assert counts[2020]["lapsed"] > 0 and sum(counts[2020][s] for s in STATUSES) == len(
        statuses(states, date(2020, 12, 31), RULES)
    )


def test_a_desk_scope_counts_only_the_desk_partnerships_of_each_year_end():
    states = _sample_states()
    series = [year_ends(s, 2025, RULES) for s in states]
    seoul = counts_by_year(series, Scope(desk="kbri-seoul"), 2015, 2025)
    for year in (2015, 2019, 2021, 2025):
        assert seoul[year] == _expected(states, year, "kbri-seoul"), year


def test_a_desk_moved_by_a_change_of_details_is_counted_under_each_year_end_desk():
    moved = event("kota-bandung-seoul", "PartnershipDetailsChanged", "2019-06-01", {"desk": "kbri-tokyo"})
    states = replay([registered(), signed("2016-03-01", "mou"), moved])
    [bandung] = states
    ends = {e.year: e.desk for e in year_ends(bandung, 2020, RULES)}
    assert ends[2018] == "kbri-seoul" and ends[2019] == "kbri-tokyo"
    assert counts_by_year([year_ends(bandung, 2020, RULES)], Scope(desk="kbri-seoul"), 2018, 2019)[2019]["aktif"] == 0


def test_a_partnership_registered_in_2020_is_absent_from_the_2019_year_end():
    states = replay([registered(on="2020-03-01"), activity("2020-05-01")])
    [ends] = [year_ends(s, 2021, RULES) for s in states]
    assert [e.year for e in ends] == [2020, 2021]


def test_the_last_year_end_is_this_year_only_on_31_december():
    assert last_year_end(date(2026, 12, 30)) == 2025
    assert last_year_end(date(2026, 12, 31)) == 2026


RECORDS = {
    "renewed, then terminated": [
        registered(on="2005-02"),
        signed("2006-05-01", "mou", term_years=3),
        renewed("2009-04-01", "mou", term_years=5),
        renewed("2014", "mou", valid_until="2016-06"),
        terminated("2015-10-01", "mou"),
        activity("2007-03-01", "training"),
        activity("2013", "other"),
    ],
    "explored again after a lapse, then ended": [
        registered(on="2001-01-01"),
        exploration("2001-06-01"),
        signed("2003-12-31", "loi", "LoI"),
        signed("2004-01-01", "mou", valid_from="2005-01-01", valid_until="2009-12-31"),
        exploration("2012-03-01"),
        signed("2017-07-07", "moa", "MoA", open_ended=True),
        activity("2018-02-02", "visit"),
        ended("2022-03-01"),
    ],
}


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_each_year_end_of_a_record_with_renewals_terminations_and_endings_is_its_status(name):
    [state] = replay(RECORDS[name])
    ends = year_ends(state, 2025, RULES)
    assert [e.year for e in ends] == list(range(state.registered_on.year, 2026))
    for end in ends:
        published = status(state, date(end.year, 12, 31), RULES)
        assert (end.matrix_status, end.stage, end.desk) == (published.matrix_status, published.stage, published.desk)
    assert len({e.stage for e in ends}) >= 3  # the record passes through several stages, not one


def test_activities_per_year_name_every_year_between_the_first_and_the_last():
    from projections.dashboard import dashboard
    from projections.dashboard_summary import summary

    states = replay([registered(), activity("2012-03-01", "training"), activity("2015-05-01", "visit")])
    [made] = [summary(s, date(2026, 11, 23), RULES) for s in states]
    numbers = dashboard([made], Scope(desk="kbri-seoul"), date(2026, 11, 23))
    assert list(numbers.activity_kinds) == [2012, 2013, 2014, 2015]
    assert numbers.activity_kinds[2012] == {"training": 1} and not numbers.activity_kinds[2013]
    assert numbers.countries == [("KR", 1)] and numbers.partnerships == 1


def test_an_mou_of_five_years_signed_in_march_2022_ends_in_february_2027_within_the_12_months():
    from projections.dashboard import dashboard
    from projections.dashboard_summary import summary

    states = replay(
        [registered(), signed("2022-03-01", "mou", term_years=5), signed("2024-01-01", "moa", "MoA", open_ended=True)]
    )
    [made] = [summary(s, date(2026, 11, 23), RULES) for s in states]
    numbers = dashboard([made], Scope(), date(2026, 11, 23))
    months = dict(numbers.ending)
    assert list(months)[0] == date(2026, 11, 1) and len(months) == 12
    [(held, ending)] = months[date(2027, 2, 1)]
    assert (held.stream, ending.agreement_id, ending.valid_until) == ("kota-bandung-seoul", "mou", date(2027, 2, 28))
    assert sum(len(rows) for rows in months.values()) == 1  # the MoA signed in 2024 has no end
