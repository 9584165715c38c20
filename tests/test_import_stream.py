"""`pantau import` a few lines at a time: one transaction, every bad line reported, the folds alike.

Batches of three lines make a short file cross several batches, so what holds at 10,000 lines a
batch is seen here with a dozen events; each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io

import msgspec
import pytest

from events import jsonl, mapper
from events.jsonl import ImportRefused, import_events
from projections.readmodel import load_states
from projections.runner import ImportFold, replay
from tests.conftest import SAMPLE
from tests.helpers import FAR_FUTURE, activity, registered, signed

real_import = jsonl._import

BANDUNG, SURABAYA = "kota-bandung-seoul", "kota-surabaya-busan"


def _file(*events) -> io.BytesIO:
    return io.BytesIO(b"".join(mapper.encode_line(e) for e in events))


def _record():
    """Two partnerships whose events alternate, so every batch of three touches both."""
    return [
        registered(),
        registered(SURABAYA),
        signed("2016-10-07"),
        signed("2017-03-01", stream=SURABAYA),
        activity("2019-05-01", activity_id="a1"),
        activity("2019-06-01", activity_id="b1", stream=SURABAYA),
        activity("2020-05-01", activity_id="a2"),
        activity("2020-06-01", activity_id="b2", stream=SURABAYA),
    ]


def test_a_file_longer_than_a_batch_is_stored_whole_and_in_order(store):
    record = _record()
    result = import_events(store, _file(*record), FAR_FUTURE, batch=3)
    assert (result.added, result.skipped) == (8, 0)
    assert [e.id for e in store.read()] == [e.id for e in record]
    assert [(e.stream, e.version) for e in store.read()][-2:] == [(BANDUNG, 4), (SURABAYA, 4)]


def test_an_event_given_twice_in_different_batches_is_stored_once(store):
    record = _record()
    result = import_events(store, _file(*record, record[4]), FAR_FUTURE, batch=3)
    assert (result.added, result.skipped) == (8, 1)
    assert store.head() == 8


def test_an_id_given_twice_with_another_body_refuses_the_file_naming_the_second_line(store):
    record = _record()
    other = msgspec.structs.replace(activity("2021-01-01", activity_id="a9"), id=record[4].id)
    with pytest.raises(ImportRefused) as refused:
        import_events(store, _file(*record, other), FAR_FUTURE, batch=3)
    assert [(e.line, e.field) for e in refused.value.errors] == [(9, "id")]
    assert store.head() == 0


def test_refusals_in_several_batches_are_all_reported_and_nothing_is_stored(store):
    record = _record()
    record[4] = activity("2019-05-01", activity_id="a1", stream="kota-nowhere")  # no such partnership
    record.append(activity("2021-05-01", activity_id="b9", stream="kota-elsewhere"))
    with pytest.raises(ImportRefused) as refused:
        import_events(store, _file(*record), FAR_FUTURE, batch=3)
    assert [e.line for e in refused.value.errors] == [5, 9]
    assert store.head() == 0


def test_a_line_that_is_not_an_event_is_reported_alone_as_before_any_check(store):
    record = _record()
    record[1] = activity("2019-05-01", activity_id="a1", stream="kota-nowhere")  # refused by the record, batch 1
    lines = _file(*record).getvalue().splitlines(keepends=True)
    lines.insert(7, b'{"stream": "x"}\n')  # line 8, batch 3: not an event at all
    with pytest.raises(ImportRefused) as refused:
        import_events(store, io.BytesIO(b"".join(lines)), FAR_FUTURE, batch=3)
    assert {e.line for e in refused.value.errors} == {8}
    assert store.head() == 0


def test_a_second_import_of_the_same_file_skips_every_event_across_batches(store):
    record = _record()
    import_events(store, _file(*record[:5]), FAR_FUTURE)
    again = import_events(store, _file(*record), FAR_FUTURE, batch=3)
    assert (again.added, again.skipped) == (3, 5)
    assert [e.id for e in store.read()] == [e.id for e in record]


def test_states_folded_while_importing_equal_a_fold_of_the_stored_events(pantau):
    follower = pantau.runner.follow_import()
    with SAMPLE.open("rb") as source:
        result = import_events(pantau.store, source, pantau.today(), follower=follower, batch=40)
    assert follower.save() == result.added == 187
    assert pantau.runner.checkpoint() == pantau.store.head()
    assert load_states(pantau.engine) == replay(pantau.store.iter_all())


def test_an_import_into_a_registry_folds_onto_the_states_already_there(pantau):
    record = _record()
    import_events(pantau.store, _file(*record[:4]), FAR_FUTURE)
    pantau.runner.run()
    follower = pantau.runner.follow_import()
    import_events(pantau.store, _file(*record), FAR_FUTURE, follower=follower, batch=3)
    assert follower.save() == 4
    assert load_states(pantau.engine) == replay(pantau.store.iter_all())


def test_when_the_read_models_lag_behind_the_import_folds_from_the_store_instead(pantau):
    record = _record()
    import_events(pantau.store, _file(*record[:4]), FAR_FUTURE)  # not projected: checkpoint 0
    follower = pantau.runner.follow_import()
    import_events(pantau.store, _file(*record), FAR_FUTURE, follower=follower, batch=3)
    assert follower.save() == 8  # all of them, through run()
    assert load_states(pantau.engine) == replay(pantau.store.iter_all())


def test_a_refused_import_leaves_the_follower_nothing_to_save(pantau):
    record = _record()
    record[6] = activity("2020-05-01", activity_id="a2", stream="kota-nowhere")
    follower = pantau.runner.follow_import()
    with pytest.raises(ImportRefused):
        import_events(pantau.store, _file(*record), FAR_FUTURE, follower=follower, batch=3)
    assert follower.save() == 0
    assert pantau.runner.checkpoint() == 0 and load_states(pantau.engine) == []


def test_states_set_aside_as_rows_fold_on_when_their_partnership_comes_again(pantau):
    a, b, c = "kota-a-seoul", "kota-b-seoul", "kota-c-seoul"
    record = [registered(s) for s in (a, b, c)] + [activity("2021-05-01", activity_id="x", stream=a)]
    follower = ImportFold(pantau.runner, live=2)
    import_events(pantau.store, _file(*record), FAR_FUTURE, follower=follower, batch=1)
    # B's batch set A aside, C's set B aside; A came back and was folded on, B stayed aside.
    assert b in follower.rows or b in follower.written
    assert follower.save() == 4
    assert load_states(pantau.engine) == replay(pantau.store.iter_all())


def test_states_set_aside_while_importing_are_unseen_until_the_import_is_saved(pantau):
    follower = ImportFold(pantau.runner, live=1)
    import_events(pantau.store, _file(*_record()), FAR_FUTURE, follower=follower, batch=3)
    assert pantau.store.head() == 8  # the events are committed…
    assert load_states(pantau.engine) == [] and pantau.runner.checkpoint() == 0  # …their states not yet
    follower.save()
    assert load_states(pantau.engine) == replay(pantau.store.iter_all())


def test_states_set_aside_by_a_refused_import_are_never_seen(pantau):
    record = _record()
    record[7] = activity("2020-06-01", activity_id="b2", stream="kota-nowhere")  # the last batch
    follower = ImportFold(pantau.runner, live=1)
    with pytest.raises(ImportRefused):
        import_events(pantau.store, _file(*record), FAR_FUTURE, follower=follower, batch=3)
    assert follower.save() == 0
    assert load_states(pantau.engine) == [] and pantau.runner.checkpoint() == 0


def test_a_file_that_mixes_more_partnerships_than_are_kept_keeps_more_of_them(pantau):
    streams = [f"kota-{n:02d}-seoul" for n in range(6)]
    record = [registered(s) for s in streams] + [activity("2020-01-01", activity_id="a", stream=s) for s in streams]
    follower = ImportFold(pantau.runner, live=2)
    import_events(pantau.store, _file(*record), FAR_FUTURE, follower=follower, batch=3)
    # The second batch set the first three aside, as a file that groups its partnerships would
    # have it; the third brought all three back.
    assert not follower.grouped and follower.live > 2
    follower.save()
    assert load_states(pantau.engine) == replay(pantau.store.iter_all())


def test_a_file_that_brings_each_partnership_together_sets_each_aside_when_it_is_left(pantau):
    record = sorted(_record(), key=lambda e: e.stream)  # Bandung's four events, then Surabaya's
    follower = ImportFold(pantau.runner)
    import_events(pantau.store, _file(*record), FAR_FUTURE, follower=follower, batch=4)
    assert follower.grouped and set(follower.states) == {SURABAYA}  # Bandung set aside already
    assert follower.save() == 8
    assert load_states(pantau.engine) == replay(pantau.store.iter_all())


def test_a_partnership_whose_facts_were_let_go_is_judged_on_its_whole_record_when_it_comes_back(store):
    a, b = "kota-a-seoul", "kota-b-seoul"
    record = [registered(a), activity("2020-01-01", activity_id="x", stream=a), registered(b)]
    record.append(activity("2021-01-01", activity_id="x", stream=a))  # line 4: the same activity id again
    with pytest.raises(ImportRefused) as refused:
        import_events(store, _file(*record), FAR_FUTURE, batch=1)
    assert [(e.line, e.field) for e in refused.value.errors] == [(4, "data.activity_id")]
    assert "already in this partnership's record" in refused.value.errors[0].reason
    assert store.head() == 0


def test_a_partnership_that_comes_back_after_its_facts_were_let_go_takes_its_next_versions(store, monkeypatch):
    passes = []
    monkeypatch.setattr(jsonl, "_import", lambda *args, **kw: passes.append(kw) or real_import(*args, **kw))
    a, b = "kota-a-seoul", "kota-b-seoul"
    record = [registered(a), activity("2020-01-01", activity_id="x", stream=a), registered(b)]
    record.append(activity("2021-01-01", activity_id="y", stream=a))
    assert import_events(store, _file(*record), FAR_FUTURE, batch=1).added == 4
    assert len(passes) == 1  # judged in the quick pass, with A's facts read back: no second pass
    assert [(e.stream, e.version) for e in store.read()] == [(a, 1), (a, 2), (b, 1), (a, 3)]


def test_an_import_refused_for_a_clash_leaves_the_follower_nothing_held(pantau):
    record = _record()
    other = msgspec.structs.replace(activity("2021-01-01", activity_id="a9"), id=record[4].id)
    follower = ImportFold(pantau.runner, live=1)
    with pytest.raises(ImportRefused):
        import_events(pantau.store, _file(*record, other), FAR_FUTURE, follower=follower, batch=3)
    assert follower.first == 0 and follower.held is None  # forgotten: its transaction rolled back
    assert follower.save() == 0 and load_states(pantau.engine) == []
