"""An activity's corrections are folded once, by the fold; a differing assessment is judged once, by the status."""

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


def test_the_matrix_marks_an_assessment_that_differs_by_the_status_rule():
    from datetime import date

    from projections.rules import Rules
    from projections.status import status
    from service.matrix import matrix_row
    from tests.helpers import assessed

    day = date(2019, 12, 1)
    unassessed = status(fold([registered(), LOGGED]), day, Rules())
    assert unassessed is not None and unassessed.differs is False
    said = unassessed.matrix_status
    same = fold([registered(), LOGGED, assessed("2019-06-01", said)])
    other = fold([registered(), LOGGED, assessed("2019-06-01", "tidak_aktif" if said != "tidak_aktif" else "aktif")])
    for state, differs in ((same, False), (other, True)):
        current = status(state, day, Rules())
        assert current is not None and current.differs is differs
        row = matrix_row(1, state, day, Rules())
        assert row is not None and row.differs is differs
