"""A read model folded by another version of apply() is rebuilt from the events by itself."""

from __future__ import annotations

import sqlalchemy as sa

from projections import runner as runner_module
from projections.runner import NAME, load_states, replay
from projections.schema import checkpoints, partnership_states
from tests.helpers import activity, registered, signed


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
