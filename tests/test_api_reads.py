"""Readers' states: the read models' selected rows, then the events after them folded in memory; caches bounded."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from events.database import writing
from projections.partnership import apply_all
from projections.readmodel import DecodedStates, Selection, lag, load_states, read, read_in_chunks
from projections.rules import Desk, Rules
from projections.runner import replay
from projections.schema import checkpoints, partnership_states
from projections.status import statuses
from service.api.projector import Projector
from service.api.reads import current_states, line_memo, row_memo
from service.matrix import RowMemo, matrix_row
from service.memo import DayMemo
from service.settings import Settings, SettingsError
from tests.api_fixtures import build
from tests.helpers import activity, event, registered, signed

RULES = Rules(desks=(Desk("kbri-seoul", countries=("KR",)), Desk("kbri-tokyo", countries=("JP",))))


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
    folded = apply_all({state.stream: state}, tail, skip_applied=True)[state.stream]
    assert [a.activity_id for a in folded.activities] == ["2021-05-01-visit", "2021-06-01-visit"]


def test_a_read_decodes_only_the_partnerships_that_moved(pantau):
    pantau.store.append([registered(), registered("kota-bogor-suwon")])
    pantau.runner.run()
    cache = DecodedStates()
    before = {s.stream: s for s in read(pantau.engine, cache=cache).states}
    pantau.store.append([activity("2021-05-01")])
    pantau.runner.run()
    again = read(pantau.engine, cache=cache)
    after = {s.stream: s for s in again.states}
    assert again.decoded == 1
    assert after["kota-bogor-suwon"] is before["kota-bogor-suwon"]  # not decoded again
    assert [a.activity_id for a in after["kota-bandung-seoul"].activities] == ["2021-05-01-visit"]


def test_the_decoded_states_stay_within_their_limit(pantau):
    pantau.store.append([registered(f"kota-{n}-seoul") for n in range(5)])
    pantau.runner.run()
    cache = DecodedStates(limit=2)
    assert len(read(pantau.engine, cache=cache).states) == 5
    assert len(cache) == 2


def test_a_rebuild_is_never_answered_from_states_decoded_before_it(pantau):
    pantau.store.append([registered(), activity("2021-05-01")])
    pantau.runner.run()
    cache = DecodedStates()
    first = read(pantau.engine, cache=cache)
    pantau.runner.rebuild()  # same positions, rows rewritten: the generation says so
    second = read(pantau.engine, cache=cache)
    assert second.generation == first.generation + 1 and second.decoded == 1
    assert second.states == replay(pantau.store.iter_all())


def test_a_read_folds_forward_whatever_the_read_models_do(pantau):
    pantau.store.append([registered(), activity("2021-05-01")])
    pantau.runner.run()
    cache = DecodedStates()
    read(pantau.engine, cache=cache)
    with writing(pantau.engine) as conn:  # the read models emptied, to be rebuilt from position 0
        conn.execute(partnership_states.delete())
        conn.execute(checkpoints.update().values(position=0))
    pantau.store.append([registered("kota-bogor-suwon"), activity("2021-06-01")])
    assert read(pantau.engine, cache=cache).states == replay(pantau.store.iter_all())


def _registry(pantau):
    pantau.store.append(
        [
            registered("kota-bandung-seoul"),
            registered("kota-bogor-suwon", desk=None),  # the desk of its partner country, KR
            registered("kota-medan-osaka", desk="kbri-tokyo", country="JP"),
            registered("kota-solo-kyoto", desk=None, country="JP"),
            activity("2021-05-01", stream="kota-medan-osaka"),
        ]
    )
    pantau.runner.run()


def test_a_desk_read_decodes_only_the_desks_rows(pantau):
    _registry(pantau)
    found = read(pantau.engine, Selection.of_desk("kbri-seoul", RULES), DecodedStates())
    assert [s.stream for s in found.states] == ["kota-bandung-seoul", "kota-bogor-suwon"]
    assert found.decoded == 2  # the two partnerships of Japan were never decoded
    assert [s.stream for s in read(pantau.engine, Selection(region="jawa barat")).states] == [
        "kota-bandung-seoul",
        "kota-bogor-suwon",
        "kota-medan-osaka",
        "kota-solo-kyoto",
    ]  # the helpers register every partnership in Jawa Barat
    assert read(pantau.engine, Selection(region="Bali")).states == []
    assert [s.stream for s in read(pantau.engine, Selection(country="JP")).states] == [
        "kota-medan-osaka",
        "kota-solo-kyoto",
    ]


def test_events_stored_but_not_projected_are_in_the_next_desk_read(pantau):
    _registry(pantau)
    moved = event("kota-medan-osaka", "PartnershipDetailsChanged", "2022-01-01", {"desk": "kbri-seoul"})
    pantau.store.append(
        [registered("kota-depok-busan"), activity("2021-07-01", stream="kota-bogor-suwon"), moved],
    )
    assert lag(pantau.engine) == 3
    seoul = Selection.of_desk("kbri-seoul", RULES)
    found = read(pantau.engine, seoul).states
    everything = replay(pantau.store.iter_all())
    assert found == [s for s in everything if s.stream in {x.stream for x in found}]
    for day in (date(2021, 6, 1), date(2022, 6, 1)):  # Medan - Osaka is Seoul's from 2022 only
        assert statuses(found, day, RULES, "kbri-seoul") == statuses(everything, day, RULES, "kbri-seoul")
    assert [s.stream for s in statuses(found, date(2022, 6, 1), RULES, "kbri-seoul")] == [
        "kota-bandung-seoul",
        "kota-bogor-suwon",
        "kota-depok-busan",
        "kota-medan-osaka",
    ]
    pantau.runner.run()  # once projected, the moved row is still read, and checked by the day
    after = read(pantau.engine, seoul).states
    for day in (date(2021, 6, 1), date(2022, 6, 1)):
        assert statuses(after, day, RULES, "kbri-seoul") == statuses(everything, day, RULES, "kbri-seoul")


def test_a_read_of_streams_folds_only_those_streams(pantau):
    _registry(pantau)
    pantau.store.append([activity("2021-08-01", stream="kota-medan-osaka"), activity("2021-08-02")])
    found = read(pantau.engine, Selection(streams=frozenset({"kota-medan-osaka", "nowhere"})), DecodedStates())
    assert [s.stream for s in found.states] == ["kota-medan-osaka"] and found.decoded == 1
    assert [a.activity_id for a in found.states[0].activities] == ["2021-05-01-visit", "2021-08-01-visit"]


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


def test_the_matrix_memo_keeps_at_most_its_limit_and_forgets_a_replaced_generation(pantau):
    pantau.store.append([registered(), registered("kota-bogor-suwon")])
    memo, day = RowMemo(pantau.rules, limit=1), date(2021, 12, 27)
    states = current_states(pantau)
    lines = [memo.row(s, day) for s in states]
    assert len(memo._rows) == 1 and memo.row(states[1], day) is lines[1]
    memo.follow(0)
    memo.follow(1)  # another generation of the read models: nothing kept from the one before
    assert len(memo._rows) == 0


def test_a_read_in_chunks_gives_the_same_states_a_chunk_at_a_time(pantau):
    _registry(pantau)
    pantau.store.append([registered("kota-c-seoul"), activity("2021-09-01", stream="kota-solo-kyoto")])
    chunks = list(read_in_chunks(pantau.engine, size=2))
    assert [len(c.states) for c in chunks] == [2, 3, 0]  # kota-c-seoul, only in the tail, joins its range
    assert [s for c in chunks for s in c.states] == read(pantau.engine).states == replay(pantau.store.iter_all())
    seoul = Selection.of_desk("kbri-seoul", RULES)
    assert [s for c in read_in_chunks(pantau.engine, seoul, size=1) for s in c.states] == read(
        pantau.engine, seoul
    ).states


def test_what_a_process_keeps_belongs_to_its_application_not_to_the_module(pantau):
    from service.api.committer import committer_for
    from service.api.reads import row_memo
    from service.bootstrap import bootstrap

    other = bootstrap(pantau.settings, engine=pantau.engine, migrate_schema=False)
    assert committer_for(pantau) is committer_for(pantau) and committer_for(pantau) is not committer_for(other)
    assert row_memo(pantau) is not row_memo(other)
    assert pantau.write_lock is not other.write_lock and pantau.decoded is not other.decoded


def test_the_read_caches_hold_at_most_PANTAU_READ_CACHE_ROWS_and_a_whole_read_leaves_the_desks_in_them(
    database, engine, clock
):
    api = build(database, engine, clock, read_cache_rows=3)  # kota-bandung-seoul is registered already
    pantau = api.pantau
    pantau.store.append(
        [registered(f"kota-{n}-seoul") for n in range(5)]
        + [registered(f"kota-{n}-tokyo", desk="kbri-tokyo", country="JP") for n in range(6)]
    )
    pantau.runner.run()
    with api.client:
        assert len(api.get("/api/status?desk=kbri-seoul").json()) == 6
        assert len(api.get("/api/matrix?desk=kbri-seoul").json()["rows"]) == 6
        caches = {"lines": line_memo(pantau)._rows, "rows": row_memo(pantau)._rows, "states": pantau.decoded._states}
        assert {name: len(kept) for name, kept in caches.items()} == {"lines": 3, "rows": 3, "states": 3}
        desks = {name: set(kept) for name, kept in caches.items()}
        # The whole registry, four times the caches: answered whole, with none of the desk's values pushed out.
        assert len(api.get("/api/status").json()) == 12
        assert len(api.get("/api/matrix").json()["rows"]) == 12
        assert {name: set(kept) for name, kept in caches.items()} == desks
        assert len(api.get("/api/status?desk=kbri-tokyo").json()) == 6  # a desk's read takes the places again
        assert {name: len(kept) for name, kept in caches.items()} == {"lines": 3, "rows": 3, "states": 3}
        assert all(key[0].endswith("-tokyo") for key in line_memo(pantau)._rows)


def test_the_read_cache_limit_is_a_setting_of_at_least_one():
    assert Settings.from_env({}, dotenv=None).read_cache_rows == 2000
    assert Settings.from_env({"PANTAU_READ_CACHE_ROWS": "500"}, dotenv=None).read_cache_rows == 500
    for value in ("0", "-1", "lots"):
        with pytest.raises(SettingsError, match="PANTAU_READ_CACHE_ROWS"):
            Settings.from_env({"PANTAU_READ_CACHE_ROWS": value}, dotenv=None)


def test_a_full_memo_read_past_without_evicting_keeps_its_values_and_renews_those_that_moved():
    made: list[str] = []
    memo = DayMemo(lambda state, day: made.append(state.stream) or f"{state.stream}@{state.position}", limit=2)
    day = date(2026, 11, 23)
    a, b, c = (SimpleNamespace(stream=s, position=1) for s in "abc")
    assert [memo.get(s, day) for s in (a, b)] == ["a@1", "b@1"]
    assert memo.get(c, day, evict=False) == "c@1" and set(memo._rows) == {("a", day), ("b", day)}
    assert memo.get(SimpleNamespace(stream="a", position=2), day, evict=False) == "a@2"  # kept: it has its place
    assert memo.get(a, day, evict=False) == "a@1" and memo.get(b, day, evict=False) == "b@1"
    assert made == ["a", "b", "c", "a", "a"]  # b found, the others made again
    assert memo.get(c, day) == "c@1" and len(memo) == 2  # evicting: the least recently used goes
