"""A read model folded by another version of apply() is rebuilt from the events by itself."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from events.jsonl import import_events
from events.mapper import encode_line
from events.store import EventStore
from projections import runner as runner_module
from projections.readmodel import load_states
from projections.runner import NAME, ProjectionRunner, replay
from projections.schema import checkpoints, partnership_states
from tests.helpers import activity, registered, signed

BANDUNG, SURABAYA, MEDAN = "kota-bandung-seoul", "kota-surabaya-busan", "kota-medan-gwangju"


def _desks(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(partnership_states.c.stream, partnership_states.c.desk)).all())


def _older_fold_on_record(pantau, monkeypatch) -> int:
    """Two projected partnerships whose rows say desk 'lama' (an older fold's), then FOLD_VERSION
    raised as a deploy would; returns the version the rows were folded with."""
    pantau.store.append([registered(BANDUNG), signed("2016-10-07", stream=BANDUNG), registered(SURABAYA)])
    pantau.runner.run()
    with pantau.engine.begin() as conn:
        conn.execute(partnership_states.update().values(desk="lama"))
    old = runner_module.FOLD_VERSION
    monkeypatch.setattr(runner_module, "FOLD_VERSION", old + 1)
    return old


def _during_the_fold(store: EventStore, monkeypatch, hook) -> None:
    """Call `hook` once, when the rebuild has started reading the events to fold."""
    original = store.facts_of

    def facts_of(*args, **kwargs):
        if not called:
            called.append(True)
            hook()
        return original(*args, **kwargs)

    called: list[bool] = []
    monkeypatch.setattr(store, "facts_of", facts_of)


def _fold_version(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(checkpoints.c.fold_version).where(checkpoints.c.name == NAME)).scalar_one()


def test_a_new_fold_version_rebuilds_the_read_models_on_the_next_run(pantau, monkeypatch):
    pantau.store.append([registered(), signed("2016-10-07"), activity("2019-05-02", "visit")])
    assert pantau.runner.run() == 3
    assert _fold_version(pantau.engine) == runner_module.FOLD_VERSION
    # A state written by an older apply() that held less: the new version must not keep it.
    with pantau.engine.begin() as conn:
        conn.execute(partnership_states.update().values(state="{}"))
    monkeypatch.setattr(runner_module, "FOLD_VERSION", runner_module.FOLD_VERSION + 1)
    assert pantau.runner.run() == 3  # every event folded again, though none is new
    assert load_states(pantau.engine) == replay(pantau.store.read())
    assert _fold_version(pantau.engine) == runner_module.FOLD_VERSION
    assert pantau.runner.run() == 0


def test_the_same_fold_version_resumes_from_the_checkpoint(pantau):
    pantau.store.append([registered()])
    pantau.runner.run()
    pantau.store.append([activity("2019-05-02", "visit")])
    assert pantau.runner.run() == 1


def test_a_new_fold_version_is_rebuilt_beside_the_live_model_while_readers_and_writers_go_on(pantau, monkeypatch):
    old = _older_fold_on_record(pantau, monkeypatch)
    seen: dict[str, object] = {}

    def meanwhile() -> None:
        seen["desks"], seen["version"] = _desks(pantau.engine), _fold_version(pantau.engine)
        # In one blocking transaction this append would wait for the rebuild's write lock (SQLite).
        pantau.store.append([registered(MEDAN)])

    _during_the_fold(pantau.store, monkeypatch, meanwhile)
    assert pantau.runner.run() == 4  # the three folded again and the one stored meanwhile
    assert seen == {"desks": {BANDUNG: "lama", SURABAYA: "lama"}, "version": old}
    assert _desks(pantau.engine) == {BANDUNG: "kbri-seoul", SURABAYA: "kbri-seoul", MEDAN: "kbri-seoul"}
    assert load_states(pantau.engine) == replay(pantau.store.read())
    assert _fold_version(pantau.engine) == runner_module.FOLD_VERSION
    # Processes holding states in memory learn of the switch as after `pantau rebuild`.
    assert pantau.runner.generation() == 1
    assert pantau.runner.checkpoint() == pantau.store.head()
    assert pantau.runner.run() == 0


def test_a_runner_beaten_to_the_switch_keeps_the_winners_model(pantau, monkeypatch):
    _older_fold_on_record(pantau, monkeypatch)
    other = ProjectionRunner(EventStore(pantau.engine))  # another process meeting the new version too
    _during_the_fold(pantau.store, monkeypatch, other.run)
    assert pantau.runner.run() == 0
    assert other.generation() == 1  # one switch, not one per runner
    assert _desks(pantau.engine) == {BANDUNG: "kbri-seoul", SURABAYA: "kbri-seoul"}
    assert _fold_version(pantau.engine) == runner_module.FOLD_VERSION


def test_a_rebuild_for_a_new_fold_version_killed_halfway_is_done_again_on_the_next_run(pantau, monkeypatch):
    old = _older_fold_on_record(pantau, monkeypatch)

    def killed() -> None:
        raise RuntimeError("killed")

    _during_the_fold(pantau.store, monkeypatch, killed)
    with pytest.raises(RuntimeError):
        pantau.runner.run()
    # Still marked old, so nobody takes the old rows for the new fold's.
    assert _fold_version(pantau.engine) == old
    assert _desks(pantau.engine) == {BANDUNG: "lama", SURABAYA: "lama"}
    assert pantau.runner.run() == 3
    assert _desks(pantau.engine) == {BANDUNG: "kbri-seoul", SURABAYA: "kbri-seoul"}
    assert _fold_version(pantau.engine) == runner_module.FOLD_VERSION


def _import(pantau, *events) -> int:
    """Import the events as `pantau import` does, folding them as they are stored; how many were applied."""
    follower = pantau.runner.follow_import()
    import_events(pantau.store, io.BytesIO(b"".join(map(encode_line, events))), pantau.today(), follower=follower)
    return follower.save()


def test_a_first_import_into_a_new_database_is_folded_once_and_marked_with_the_version(pantau, monkeypatch):
    folded: list[int] = []
    apply_all = runner_module.apply_all

    def counting(states, events):
        events = list(events)
        folded.append(len(events))
        return apply_all(states, events)

    monkeypatch.setattr(runner_module, "apply_all", counting)
    assert _import(pantau, registered(BANDUNG), signed("2016-10-07", stream=BANDUNG), registered(SURABAYA)) == 3
    assert folded == [3]  # not folded again by a rebuild for the version the new database lacked
    assert _fold_version(pantau.engine) == runner_module.FOLD_VERSION
    assert pantau.runner.generation() == 0
    assert load_states(pantau.engine) == replay(pantau.store.read())


def test_an_import_onto_read_models_of_an_older_fold_is_folded_by_the_rebuild(pantau, monkeypatch):
    _older_fold_on_record(pantau, monkeypatch)
    assert _import(pantau, registered(MEDAN), activity("2021-03-01", stream=MEDAN)) == 5
    assert _desks(pantau.engine) == {BANDUNG: "kbri-seoul", SURABAYA: "kbri-seoul", MEDAN: "kbri-seoul"}
    assert load_states(pantau.engine) == replay(pantau.store.read())
    assert _fold_version(pantau.engine) == runner_module.FOLD_VERSION


def test_a_rebuild_the_server_starts_for_a_new_fold_leaves_the_planner_statistics_of_the_new_rows(pantau, monkeypatch):
    if pantau.engine.dialect.name == "sqlite":
        pytest.skip("PostgreSQL's planner statistics: SQLite keeps none that a rebuild leaves stale")
    _older_fold_on_record(pantau, monkeypatch)
    pantau.runner.run()  # what the server's projector does on its first run after a deploy
    with pantau.engine.connect() as conn:
        sampled = conn.execute(
            sa.text(
                "SELECT reltuples FROM pg_class WHERE relname = 'partnership_states'"
                " AND relnamespace = current_schema()::regnamespace"
            )
        ).scalar_one()
    assert sampled == 2  # ANALYZE counted the two rows (-1: never analysed)
