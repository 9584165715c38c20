"""The alert rules' fast activeness agrees with the projection's, on any record and any day."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.activity_index import activeness, build, dormant_from, pair
from projections import activeness as projection
from projections.partnership import fold
from projections.rules import Rules
from tests import helpers as h

S = "kota-bandung-seoul"
KINDS = ["visit", "meeting", "other", "training", "correspondence", "working_group"]
days = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def records(draw):
    events = [h.registered(S, "2009-01-01")]
    for n in range(draw(st.integers(0, 6))):
        start = draw(days)
        fields = {}
        if draw(st.booleans()):
            fields["ends_on"] = (start + timedelta(days=draw(st.integers(0, 900)))).isoformat()
        precision = draw(st.sampled_from(["day", "month", "year"]))
        on = {"day": start.isoformat(), "month": start.isoformat()[:7], "year": start.isoformat()[:4]}[precision]
        if "ends_on" in fields and fields["ends_on"] < on:
            fields.pop("ends_on")
        events.append(h.activity(on, draw(st.sampled_from(KINDS)), f"a{n}", stream=S, **fields))
    if draw(st.booleans()):
        signed_on = draw(days)
        events.append(h.signed(signed_on.isoformat(), "moa", "MoA", stream=S))
        if draw(st.booleans()):  # renewed on or after its signing
            renewed_on = signed_on + timedelta(days=draw(st.integers(0, 3000)))
            events.append(h.renewed(renewed_on.isoformat(), "moa", stream=S))
    if len(events) > 1 and draw(st.booleans()):
        events.append(h.retracted("a0", "2030-12-31", stream=S))
    return fold(events)


RULESETS = [Rules(), Rules(active_months=12, quiet_months=13), Rules(active_months=1, quiet_months=2)]


@settings(max_examples=150, deadline=None)
@given(records(), days, st.sampled_from(RULESETS))
def test_index_and_pair_give_the_projections_activeness(state, day, rules):
    expected = projection.activeness(projection.counted(state, day, rules), day, rules)
    yesterday = day - timedelta(days=1)
    expected_yesterday = projection.activeness(projection.counted(state, yesterday, rules), yesterday, rules)
    index = build(state, rules)
    assert activeness(index, day, rules) == expected
    assert activeness(pair(state, day, rules), day, rules) == expected
    assert activeness(pair(state, day, rules), yesterday, rules) == expected_yesterday


@settings(max_examples=100, deadline=None)
@given(records(), days, st.sampled_from(RULESETS))
def test_dormant_from_is_the_first_dormant_day_if_nothing_more_is_recorded(state, day, rules):
    begun = projection.counted(state, day, rules)
    found = dormant_from(build(state, rules), day, rules)
    assert found == dormant_from(pair(state, day, rules), day, rules)
    if not begun:
        assert found is None
        return
    assert found > day
    assert projection.activeness(begun, found, rules) == projection.TIDAK_AKTIF
    if found - timedelta(days=1) > day:
        assert projection.activeness(begun, found - timedelta(days=1), rules) != projection.TIDAK_AKTIF
