"""Readers' states: the read models, then the events after them folded in memory; matrix lines memoised."""

from __future__ import annotations

from datetime import date

from events.database import writing
from projections.runner import load_states, replay
from projections.schema import checkpoints, partnership_states
from service.api.projector import Projector
from service.api.reads import current_states, lag
from service.api.state_cache import StateCache, cache_for, fold_tail
from service.matrix import RowMemo, matrix_row
from tests.helpers import activity, registered, signed


def test_a_trailing_read_model_plus_the_folded_tail_is_the_whole_record(pantau):
    pantau.store.append([registered(), signed("2020-01-10", "mou")])
    pantau.runner.run()
    pantau.store.append([activity("2021-05-01"), registered("kota-bogor-suwon")])
    assert lag(pantau.engine) == 2
    assert current_states(pantau) == replay(pantau.store.iter_all())
    assert lag(pantau.engine) == 2  # a read writes nothing


def test_an_event_a_state_has_applied_already_is_not_applied_twice(pantau):
    pantau.store.append([registered()])
    pantau.runner.run()
    pantau.store.append([activity("2021-05-01"), activity("2021-06-01")])
    pantau.runner.run()  # the state holds both; a tail read from an older checkpoint names them again
    [state] = load_states(pantau.engine)
    tail = pantau.store.read_facts(after=0)
    folded = fold_tail({state.stream: state}, tail)[state.stream]
    assert [a.activity_id for a in folded.activities] == ["2021-05-01-visit", "2021-06-01-visit"]


def test_the_state_cache_reloads_only_the_partnerships_that_moved(pantau):
    pantau.store.append([registered(), registered("kota-bogor-suwon")])
    pantau.runner.run()
    cache = cache_for(pantau.store)
    before = cache.current()
    pantau.store.append([activity("2021-05-01")])
    pantau.runner.run()
    after = cache.current()
    assert after["kota-bogor-suwon"] is before["kota-bogor-suwon"]  # not decoded again
    assert after["kota-bandung-seoul"] is not before["kota-bandung-seoul"]
    assert [a.activity_id for a in after["kota-bandung-seoul"].activities] == ["2021-05-01-visit"]


def test_the_state_cache_folds_forward_whatever_the_read_models_do(pantau):
    pantau.store.append([registered(), activity("2021-05-01")])
    pantau.runner.run()
    cache = cache_for(pantau.store)
    cache.current()
    with writing(pantau.engine) as conn:  # the read models emptied, to be rebuilt from position 0
        conn.execute(partnership_states.delete())
        conn.execute(checkpoints.update().values(position=0))
    pantau.store.append([registered("kota-bogor-suwon"), activity("2021-06-01")])
    assert list(cache.current().values()) == replay(pantau.store.iter_all())


def test_a_new_cache_starts_from_the_read_models_and_the_events_after_them(pantau):
    pantau.store.append([registered(), activity("2021-05-01")])
    pantau.runner.run()
    pantau.store.append([activity("2021-06-01"), registered("kota-bogor-suwon")])
    assert lag(pantau.engine) == 2
    states = StateCache(pantau.store).current()
    assert sorted(states.values(), key=lambda s: s.stream) == replay(pantau.store.iter_all())


def test_the_projector_catches_up_after_a_write(pantau):
    projector = Projector(pantau, every=3600).start()
    pantau.store.append([registered(), activity("2021-05-01")])
    projector.poke()
    projector.stop()
    assert lag(pantau.engine) == 0


def test_a_matrix_line_is_computed_once_per_state_and_day_and_kept_once_per_partnership(pantau):
    pantau.store.append([registered(), registered("kota-bogor-suwon")])
    memo, day = RowMemo(pantau.rules), date(2021, 12, 27)
    first = {s.stream: memo.row(s, day) for s in current_states(pantau)}
    for n in range(5):
        pantau.store.append([activity(f"2021-0{n + 1}-10")])
        states = {s.stream: s for s in current_states(pantau)}
        again = {stream: memo.row(state, day) for stream, state in states.items()}
        assert again["kota-bogor-suwon"] is first["kota-bogor-suwon"]  # untouched: not recomputed
        assert again["kota-bandung-seoul"] == matrix_row(0, states["kota-bandung-seoul"], day, pantau.rules)
    assert again["kota-bandung-seoul"].last_activity_on == "2021-05-10"
    assert len(memo._rows) == 2  # one line per partnership and day, whatever the number of writes
