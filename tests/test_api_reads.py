"""Today's answer comes from the read models plus the events they have not applied yet."""

from __future__ import annotations

from projections.runner import replay
from service.api.projector import Projector
from service.api.reads import current_states, lag
from tests.helpers import activity, registered, signed


def test_a_trailing_read_model_plus_the_folded_tail_is_the_whole_record(pantau):
    pantau.store.append([registered(), signed("2020-01-10", "mou")])
    pantau.runner.run()
    pantau.store.append([activity("2021-05-01"), registered("kota-bogor-suwon")])
    assert lag(pantau.engine) == 2
    assert current_states(pantau) == replay(pantau.store.iter_all())
    assert lag(pantau.engine) == 2  # a read writes nothing


def test_an_event_the_runner_applied_meanwhile_is_not_applied_twice(pantau, monkeypatch):
    pantau.store.append([registered()])
    pantau.runner.run()
    stale = pantau.runner.checkpoint()
    pantau.store.append([activity("2021-05-01"), activity("2021-06-01")])
    pantau.runner.run()  # the runner commits between our read of the checkpoint and of the states
    monkeypatch.setattr(pantau.runner, "checkpoint", lambda: stale)
    [state] = current_states(pantau)
    assert [a.activity_id for a in state.activities] == ["2021-05-01-visit", "2021-06-01-visit"]


def test_the_projector_catches_up_after_a_write(pantau):
    projector = Projector(pantau, every=3600).start()
    pantau.store.append([registered(), activity("2021-05-01")])
    projector.poke()
    projector.stop()
    assert lag(pantau.engine) == 0
