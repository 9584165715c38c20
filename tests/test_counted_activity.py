"""One definition of counted activity: the status, the alert rules and the chart all ask it."""

from __future__ import annotations

from projections.activeness import counted, counted_spans
from projections.partnership import fold
from projections.rules import Rules
from service.api.charts import activities_per_year
from tests import helpers as h

S = "kota-bandung-seoul"


def _record():
    return fold(
        [
            h.registered(S, "2009-01-01"),
            h.signed("2012-03-01", "mou", "MoU", stream=S),
            h.activity("2013-05-02", "visit", "a1", stream=S),
            h.activity("2013-06-02", "meeting", "a2", stream=S),
            h.retracted("a2", "2013-07-01", stream=S),
            h.renewed("2015-03-01", "mou", stream=S),
        ]
    )


def test_signings_and_renewals_count_and_a_retracted_activity_does_not():
    starts = sorted(start.isoformat() for start, _, _ in counted_spans(_record(), Rules()))
    assert starts == ["2012-03-01", "2013-05-02", "2015-03-01"]


def test_the_chart_counts_what_the_status_counts_renewals_included():
    state = _record()
    assert activities_per_year(state, Rules()) == {2012: 1, 2013: 1, 2014: 0, 2015: 1}
    assert sum(activities_per_year(state, Rules()).values()) == len(counted(state, h.d("2030-01-01"), Rules()))


def test_a_renewal_dated_before_its_signing_counts_from_the_signing():
    state = fold(
        [
            h.registered(S, "2009-01-01"),
            h.signed("2014-01-01", "mou", "MoU", stream=S),
            h.renewed("2013-01-01", "mou", stream=S),
        ]
    )
    assert [start.isoformat() for start, _, _ in counted_spans(state, Rules())] == ["2014-01-01", "2014-01-01"]
    assert counted(state, h.d("2013-06-01"), Rules()) == []
