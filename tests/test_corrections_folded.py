"""An activity's corrections are folded once, by the fold: the correction form reads the fold's activity."""

from __future__ import annotations

from events.catalogue import ActivityCorrected
from projections.partnership import _CORRECTABLE, Activity, fold
from service.api.page_roles import activity_now
from tests.helpers import activity, corrected, registered

LOGGED = activity(
    "2019-05", "festival", "act-1", description="Festival budaya", participants=40, direction="joint", fields=["seni"]
)


def _state(*corrections):
    return fold([registered(), LOGGED, *corrections])


def test_every_field_a_correction_can_change_is_one_the_fold_keeps():
    changeable = set(ActivityCorrected.__struct_fields__) - {"activity_id", "occurred_on", "kind", "title", "ends_on"}
    assert changeable - {"funding"} == set(_CORRECTABLE)
    assert set(_CORRECTABLE) <= set(Activity.__struct_fields__)


def test_two_corrections_read_as_one_activity_on_the_correction_form():
    state = _state(
        corrected(
            "act-1", "2026-01-02", description="Festival budaya Korea", participants=45, fields=["seni", "musik"]
        ),
        corrected("act-1", "2026-02-03", occurred_on="2019-06", mode="in_person", fields=[]),
    )
    now = activity_now(state, "act-1")
    assert now is not None
    assert (now["occurred_on"], now["kind"], now["title"]) == ("2019-06", "festival", "festival")
    assert (now["description"], now["participants"], now["direction"], now["mode"]) == (
        "Festival budaya Korea",
        45,
        "joint",
        "in_person",
    )
    assert now["fields"] == () and now["retracted"] is False


def test_an_unknown_activity_has_no_form_values():
    assert activity_now(_state(), "act-2") is None
