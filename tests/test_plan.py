"""A yearly plan against its realisation (docs/lifecycle.md), as known now."""

from __future__ import annotations

from projections.partnership import fold
from projections.plan import plan_of_year
from tests.helpers import activity, corrected, registered, retracted
from tests.lifecycle_events import dropped, planned


def test_planned_dropped_realised_outstanding_and_unplanned():
    history = [
        registered(),
        planned("2022-12-01", "youth", 2023),
        planned("2022-12-01", "expo", 2023, "festival"),
        planned("2022-12-01", "training", 2023, "training"),
        planned("2023-01-05", "next", 2024),
        dropped("2023-03-01", "expo"),
        activity("2023-08-14", "exchange", "a1", plan_id="youth"),
        activity("2023-10-01", "video_call", "a2"),
        activity("2022-10-01", "visit", "a0"),
    ]
    assert plan_of_year(fold(history), 2023) == {
        "stream": "kota-bandung-seoul",
        "year": 2023,
        "planned": ["expo", "training", "youth"],
        "dropped": ["expo"],
        "realised": ["youth"],
        "outstanding": ["training"],
        "unplanned": ["a2"],
        "realisation_rate": 0.5,
    }


def test_a_retracted_realisation_no_longer_counts_and_the_rate_is_rounded():
    history = [
        registered(),
        *(planned("2022-12-01", f"p{i}", 2023) for i in range(3)),
        activity("2023-02-01", "exchange", "a1", plan_id="p0"),
        retracted("a1", "2023-03-01"),
    ]
    result = plan_of_year(fold(history), 2023)
    assert result["realised"] == [] and result["outstanding"] == ["p0", "p1", "p2"]
    history.append(activity("2023-04-01", "exchange", "a2", plan_id="p1"))
    assert plan_of_year(fold(history), 2023)["realisation_rate"] == 0.333


def test_a_correction_naming_a_plan_item_realises_it():
    history = [
        registered(),
        planned("2022-12-01", "youth", 2023),
        activity("2023-08-14", "exchange", "a1"),
        corrected("a1", "2023-09-01", plan_id="youth"),
    ]
    result = plan_of_year(fold(history), 2023)
    assert result["realised"] == ["youth"] and result["unplanned"] == []


def test_a_year_with_nothing_planned_or_everything_dropped_has_no_rate():
    history = [registered(), planned("2022-12-01", "youth", 2023), dropped("2023-01-01", "youth")]
    assert plan_of_year(fold(history), 2023)["realisation_rate"] is None
    assert plan_of_year(fold(history), 2019)["realisation_rate"] is None
