"""A rebuild of the read models beside the live ones, switched in when caught up (both databases)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

import projections.runner as runner_module
from events.store import EventStore
from projections.readmodel import load_states
from projections.runner import ProjectionRunner, replay
from projections.schema import partnership_states
from tests.helpers import activity, registered, signed

BANDUNG, SURABAYA, MEDAN = "kota-bandung-seoul", "kota-surabaya-busan", "kota-medan-gwangju"


def _desks(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(partnership_states.c.stream, partnership_states.c.desk)).all())


def _live_model_marked_stale(store: EventStore) -> ProjectionRunner:
    """A store with two partnerships and a live read model whose desks say 'lama' (as an older
    fold would have written them), so a reader can tell the old model from the rebuilt one."""
    store.append(
        [
            registered(BANDUNG),
            signed("2016-10-07", stream=BANDUNG),
            registered(SURABAYA),
            *[activity(f"2020-0{m}-01", stream=SURABAYA) for m in range(1, 8)],
        ]
    )
    runner = ProjectionRunner(store, batch=3, rebuild_streams=1)  # a progress call per partnership folded
    runner.run()
    with store.engine.begin() as conn:
        conn.execute(partnership_states.update().values(desk="lama"))
    return runner


def test_readers_see_the_old_model_while_it_is_rebuilt_and_the_new_one_after_the_switch(store):
    runner = _live_model_marked_stale(store)
    seen_during: list[dict[str, str]] = []
    states_during: list[int] = []

    def meanwhile(done: int, head: int) -> None:
        seen_during.append(_desks(store.engine))
        states_during.append(len(load_states(store.engine)))
        if len(seen_during) == 1:  # a writer and the live runner carry on during the rebuild
            store.append([registered(MEDAN), activity("2021-03-01", stream=MEDAN)])
            runner.run()

    folded = runner.rebuild(progress=meanwhile)

    assert len(seen_during) >= 3
    assert seen_during[0] == {BANDUNG: "lama", SURABAYA: "lama"}
    # Until the switch: the old model, kept current by the live runner (the new stream's desk is
    # the live fold's own), and never an empty or partial one.
    assert all(d[BANDUNG] == d[SURABAYA] == "lama" for d in seen_during[:-1])
    assert seen_during[1][MEDAN] == "kbri-seoul"
    assert states_during[0] == 2 and all(n == 3 for n in states_during[1:-1])
    # After the switch: the rebuilt model, the events stored meanwhile included.
    assert _desks(store.engine) == {BANDUNG: "kbri-seoul", SURABAYA: "kbri-seoul", MEDAN: "kbri-seoul"}
    assert load_states(store.engine) == replay(store.iter_facts())
    assert runner.checkpoint() == store.head() == folded
    assert runner.generation() == 1


def test_the_live_runner_goes_on_from_the_switched_model(store):
    runner = _live_model_marked_stale(store)
    runner.rebuild()
    store.append([activity("2021-05-01", stream=BANDUNG), registered(MEDAN)])
    assert runner.run() == 2
    assert load_states(store.engine) == replay(store.iter_facts())
    runner.rebuild()
    assert runner.generation() == 2 and runner.checkpoint() == store.head()


def test_a_rebuild_that_fails_halfway_leaves_the_live_model_as_it_was(store):
    runner = _live_model_marked_stale(store)

    def crash(done: int, head: int) -> None:
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        runner.rebuild(progress=crash)
    assert _desks(store.engine) == {BANDUNG: "lama", SURABAYA: "lama"}
    assert runner.generation() == 0
    runner.rebuild()  # nothing of the failed attempt is in the way
    assert _desks(store.engine) == {BANDUNG: "kbri-seoul", SURABAYA: "kbri-seoul"}


def test_a_rebuild_amid_writers_and_a_live_runner_ends_equal_to_the_fold_of_every_event(store):
    runner = _live_model_marked_stale(store)
    other = ProjectionRunner(EventStore(store.engine), batch=2)  # another process's live runner
    done = threading.Event()
    failures: list[BaseException] = []

    def write_and_project() -> None:
        try:
            for n in range(30):
                stream = f"kota-{n:03d}-mitra"
                store.append([registered(stream), activity("2021-01-01", stream=stream)])
                other.run()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
        finally:
            done.set()

    writer = threading.Thread(target=write_and_project)
    writer.start()
    while not done.is_set():
        runner.rebuild()
    writer.join()
    runner.rebuild()
    assert failures == []
    assert load_states(store.engine) == replay(store.iter_facts())
    assert runner.checkpoint() == store.head() == 10 + 60


def test_a_rebuild_folds_a_chunk_of_partnerships_at_a_time(store, monkeypatch):
    store.append([registered(BANDUNG), registered(SURABAYA), registered(MEDAN), activity("2021-03-01", stream=BANDUNG)])
    held: list[int] = []
    apply_all = runner_module.apply_all

    def counting(states, events):
        states = apply_all(states, events)
        held.append(len(states))
        return states

    monkeypatch.setattr(runner_module, "apply_all", counting)
    runner = ProjectionRunner(store, rebuild_streams=2)
    assert runner.rebuild() == 4
    assert held == [2, 1]  # Bandung and Medan, then Surabaya (the streams sorted), never all three
    assert load_states(store.engine) == replay(store.iter_facts())
