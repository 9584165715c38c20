"""The shared December 2021 matrix of the Seoul desk, as the contract pins it."""

import json
from datetime import date

from events.jsonl import import_events
from projections.readmodel import load_states
from projections.runner import replay
from projections.status import statuses
from service.status_output import as_json_objects
from tests.conftest import DATA, SAMPLE
from tests.helpers import assert_matches_published

AS_OF = date(2021, 12, 27)


def _load(pantau):
    with SAMPLE.open("rb") as source:
        result = import_events(pantau.store, source, pantau.today())
    pantau.runner.run()
    return result


def _by_stream(pantau, day=AS_OF):
    rows = as_json_objects(statuses(replay(pantau.store.iter_all()), day, pantau.rules))
    return {row["stream"]: row for row in rows}


def test_sample_imports_187_events_and_a_second_import_adds_none(pantau):
    assert _load(pantau).added == 187
    with SAMPLE.open("rb") as source:
        again = import_events(pantau.store, source, pantau.today())
    assert (again.added, again.skipped) == (0, 187)


def test_status_as_of_2021_12_27_matches_the_published_answer_field_by_field(pantau):
    _load(pantau)
    expected = json.loads((DATA / "matrix-2021-12-27.status-as-of-2021-12-27.json").read_text())
    actual = _by_stream(pantau)
    assert_matches_published([actual[stream] for stream in sorted(actual)], expected)


def test_pinned_partnerships_of_the_seoul_desk(pantau):
    _load(pantau)
    rows = _by_stream(pantau)
    assert rows["kota-bandung-seoul"]["stage"] == "lapsed"
    assert rows["kota-semarang-junggu"]["stage"] == "lapsed"
    assert (rows["jabar-gyeongsangbuk-do"]["stage"], rows["jabar-gyeongsangbuk-do"]["activeness"]) == (
        "intent",
        "aktif",
    )
    assert rows["kota-batam-gimje"]["activeness"] == "tidak_aktif"


def test_read_models_and_a_fresh_fold_give_the_same_answer_for_any_day(pantau):
    _load(pantau)
    for day in (date(2015, 6, 30), date(2021, 10, 6), AS_OF, date(2026, 11, 23)):
        from_read_model = statuses(load_states(pantau.engine), day, pantau.rules)
        from_events = statuses(replay(pantau.store.iter_all()), day, pantau.rules)
        assert from_read_model == from_events


def test_a_partnership_registered_later_is_absent_from_an_earlier_answer(pantau):
    _load(pantau)
    assert "banten-daegu" not in _by_stream(pantau, date(2021, 12, 26))
    assert "banten-daegu" in _by_stream(pantau, AS_OF)
