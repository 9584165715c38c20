"""The dashboards' summaries are worked out once per state and day: a request summarises only what was written since."""

from __future__ import annotations

from events.jsonl import import_events
from service.dashboard_cache import Summaries
from service.dashboard_warmer import Warmer
from tests.conftest import SAMPLE
from tests.helpers import activity


def _sample(pantau):
    with SAMPLE.open("rb") as source:
        import_events(pantau.store, source, pantau.today())
    pantau.runner.run()


def test_only_the_partnership_written_since_is_summarised_again(pantau):
    _sample(pantau)
    summaries = Summaries(pantau.rules)
    first = summaries.of_day(pantau.engine, pantau.today())
    assert len(first) == summaries.last_made == 32
    assert len(summaries.of_day(pantau.engine, pantau.today())) == 32 and summaries.last_made == 0
    pantau.store.append([activity("2026-11-01", stream="kota-bandung-seoul", activity_id="new-visit")])
    again = {s.stream: s for s in summaries.of_day(pantau.engine, pantau.today())}
    assert summaries.last_made == 1  # not projected yet: read from the events past the checkpoint
    assert "2026\tvisit" in again["kota-bandung-seoul"].activities
    pantau.runner.run()
    summaries.of_day(pantau.engine, pantau.today())
    assert summaries.last_made == 0  # its row now holds the state summarised from the events: kept


def test_a_new_day_summarises_every_partnership_again(pantau, clock):
    _sample(pantau)
    summaries = Summaries(pantau.rules)
    summaries.of_day(pantau.engine, pantau.today())
    clock.advance(days=1)
    summaries.of_day(pantau.engine, pantau.today())
    assert summaries.last_made == 32


def test_the_warmer_works_the_day_out_once_and_again_the_next_day(pantau, clock):
    _sample(pantau)
    summaries = Summaries(pantau.rules)
    warmer = Warmer(pantau, summaries)
    assert warmer.warm() and len(summaries) == 32
    assert not warmer.warm()
    summaries.of_day(pantau.engine, pantau.today())
    assert summaries.last_made == 0  # the visitor's request found every summary worked out
    clock.advance(days=1)
    assert warmer.warm()


def test_the_warmer_leaves_a_registry_larger_than_the_cache_to_the_requests(pantau):
    _sample(pantau)
    summaries = Summaries(pantau.rules, limit=10)
    assert not Warmer(pantau, summaries).warm() and len(summaries) == 0
    assert len(summaries.of_day(pantau.engine, pantau.today())) == 32 and len(summaries) == 10


def test_the_warmer_leaves_the_whole_country_numbers_made_for_the_first_visitor(pantau):
    from service.api.dashboard import numbers, summaries

    _sample(pantau)
    made = []
    warmer = Warmer(pantau, summaries(pantau), lambda: made.append(numbers(pantau)))
    assert warmer.warm() and len(made) == 1
    again = numbers(pantau)  # what the first request finds: the same answer, not worked out again
    assert again is made[0] and again[0].partnerships == 32


def _by_stream(found) -> dict:
    return {s.stream: s for s in found}


def test_after_each_write_the_kept_summaries_equal_summaries_made_afresh(pantau):
    from tests.helpers import registered

    _sample(pantau)
    kept, small = Summaries(pantau.rules), Summaries(pantau.rules, limit=10)  # small: never holds them all
    day = pantau.today()
    writes = [
        [activity("2026-11-01", stream="kota-bandung-seoul", activity_id="w1")],
        [registered("kota-depok-busan", "2026-10-01")],  # a partnership new since the first read
        [activity("2026-11-02", stream="kota-depok-busan", activity_id="w2")],
    ]
    for write in [[], *writes]:
        if write:
            pantau.store.append(write)
        assert _by_stream(kept.of_day(pantau.engine, day)) == _by_stream(
            Summaries(pantau.rules).of_day(pantau.engine, day)
        )
        assert kept.last_made == (32 if not write else 1)  # after the first read: only what was written
        assert _by_stream(small.of_day(pantau.engine, day)) == _by_stream(kept.of_day(pantau.engine, day))
    pantau.runner.run()
    assert len(kept.of_day(pantau.engine, day)) == 33 and kept.last_made == 0


def test_a_rebuilt_read_model_summarises_every_partnership_again(pantau):
    _sample(pantau)
    summaries = Summaries(pantau.rules)
    summaries.of_day(pantau.engine, pantau.today())
    pantau.runner.rebuild()
    assert len(summaries.of_day(pantau.engine, pantau.today())) == 32 and summaries.last_made == 32


def test_the_sums_a_request_moves_equal_a_dashboard_made_afresh_after_each_write(pantau):
    from projections.dashboard import dashboard
    from projections.dashboard_years import Scope
    from service.api.dashboard import numbers
    from tests.helpers import registered

    _sample(pantau)
    day = pantau.today()
    writes = [
        [],
        [activity("2026-11-01", stream="kota-bandung-seoul", activity_id="w1")],
        [registered("kota-depok-busan", "2026-10-01")],
        [activity("2026-11-02", stream="kota-depok-busan", activity_id="w2")],
    ]
    for write in writes:
        if write:
            pantau.store.append(write)
        fresh = Summaries(pantau.rules).of_day(pantau.engine, day)
        for scope in (Scope(), Scope(desk="kbri-seoul")):
            assert numbers(pantau, scope=scope)[0] == dashboard(fresh, scope, day), (write, scope)
    assert numbers(pantau)[0].partnerships == 33
