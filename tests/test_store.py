"""The event store's contract, run on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import msgspec
import pytest
import sqlalchemy as sa

from events import database, mapper
from events.database import create_engine
from events.errors import Conflict, InvalidEvent
from events.store import EventStore
from service.bootstrap import migrate
from tests.helpers import FAR_FUTURE, activity, event, registered, signed

STREAM = "kota-bandung-seoul"


def test_positions_are_global_and_versions_count_per_stream(store, clock):
    store.append([registered(), registered("kota-surabaya-busan")])
    stored = store.append([activity("2020-01-05"), activity("2020-02-05", stream="kota-surabaya-busan")]).events
    assert [(e.stream, e.position, e.version) for e in stored] == [(STREAM, 3, 2), ("kota-surabaya-busan", 4, 2)]
    assert all(e.recorded_at == clock.now for e in stored)
    assert [e.position for e in store.read()] == [1, 2, 3, 4]
    assert store.version(STREAM) == 2 and store.head() == 4


def test_an_event_reads_back_exactly_as_it_was_given_unknown_keys_included(store):
    first = registered()
    odd = event(
        STREAM,
        "ActivityLogged",
        "2019",
        {"activity_id": "x", "kind": "festival", "sponsor": {"name": "KOICA"}},
        meta={"source": "matrix 2021-12-27", "actor": "putri@example.go.id"},
    )
    store.append([first, odd])
    back = store.stream(STREAM)[1]
    assert back.data == {"activity_id": "x", "kind": "festival", "sponsor": {"name": "KOICA"}}
    assert back.meta == {"source": "matrix 2021-12-27", "actor": "putri@example.go.id"}
    assert (str(back.occurred_on), back.occurred_on.precision) == ("2019", "year")


def test_a_stale_expected_version_is_a_conflict_and_writes_nothing(store):
    store.append([registered()], expected_version=0)
    with pytest.raises(Conflict):
        store.append([activity("2020-01-01")], expected_version=0)
    assert store.version(STREAM) == 1
    store.append([activity("2020-01-01")], expected_version=1)
    assert store.version(STREAM) == 2


def test_the_same_event_twice_is_stored_once_and_returned_as_first_stored(store):
    first = store.append([registered(), activity("2020-01-01")])
    again = store.append([registered(), activity("2020-01-01")])
    assert (again.added, again.skipped) == (0, 2)
    assert [e.position for e in again.events] == [e.position for e in first.events]
    assert store.head() == 2


def test_a_retry_with_the_same_ids_succeeds_even_when_the_expected_version_has_moved(store):
    store.append([registered()])
    store.append([activity("2020-01-01")], expected_version=1)
    retry = store.append([activity("2020-01-01")], expected_version=1)
    assert retry.skipped == 1 and store.head() == 2


def test_the_same_id_with_another_body_is_a_conflict_not_an_overwrite(store):
    original = activity("2020-01-01", activity_id="a1")
    store.append([registered(), original])
    forged = event(STREAM, "ActivityLogged", "2020-01-02", {"activity_id": "a1", "kind": "visit"}, id=original.id)
    with pytest.raises(Conflict):
        store.append([forged])
    assert store.stream(STREAM)[1].occurred_on == original.occurred_on


def test_a_batch_with_one_bad_event_writes_nothing_and_names_it(store):
    batch = [registered(), activity("2020-01-01", activity_id="a1"), activity("2020-03-01", activity_id="a1")]
    with pytest.raises(InvalidEvent) as refused:
        store.append(batch)
    assert [(e.index, e.field) for e in refused.value.errors] == [(2, "data.activity_id")]
    assert store.head() == 0


def test_an_activity_id_taken_through_another_process_is_refused_here_too(store, engine, clock):
    store.append([registered(), activity("2021-05-01", activity_id="rapat-1")])  # remembered here
    other = EventStore(engine, clock=clock)  # another process's store on the same database
    other.append([activity("2021-06-01", activity_id="rapat-2")])
    with pytest.raises(InvalidEvent) as refused:
        store.append([activity("2021-07-01", activity_id="rapat-2")])
    assert "already in this partnership's record" in str(refused.value.errors[0].reason)
    assert [e.version for e in store.append([activity("2021-07-01", activity_id="rapat-3")]).events] == [4]


def test_a_refused_batch_leaves_its_valid_events_unknown_to_later_appends(store):
    store.append([registered()])
    with pytest.raises(InvalidEvent):
        store.append(
            [
                activity("2021-05-01", activity_id="rapat-1"),
                event(
                    "kota-bandung-seoul", "ActivityCorrected", "2021-05-02", {"activity_id": "tidak-ada", "title": "x"}
                ),
            ]
        )
    [stored] = store.append([activity("2021-05-01", activity_id="rapat-1")]).events
    assert stored.version == 2


def test_a_batch_larger_than_one_query_chunk_is_appended_and_retried_alike(store):
    batch = [registered()] + [activity(f"2021-{1 + n % 12:02d}-01", activity_id=f"a-{n}") for n in range(700)]
    first = store.append(batch)
    assert (first.added, first.skipped) == (701, 0)
    again = store.append(batch)
    assert (again.added, again.skipped) == (0, 701)
    assert [e.position for e in again.events] == [e.position for e in first.events]


def test_expected_version_is_refused_for_a_batch_of_several_streams(store):
    with pytest.raises(ValueError):
        store.append([registered(), registered("kota-surabaya-busan")], expected_version=0)


@pytest.mark.parametrize("statement", ["UPDATE events SET stream = 'forged-stream'", "DELETE FROM events"])
def test_the_database_itself_refuses_to_rewrite_history(store, statement):
    store.append([registered(), signed("2016-10-07")])
    with pytest.raises(sa.exc.DBAPIError, match="immutable"), store.engine.begin() as conn:
        conn.execute(sa.text(statement))
    assert [e.stream for e in store.read()] == [STREAM, STREAM]


def test_truncate_is_refused_on_postgresql(pg_database):
    url, connect_args, _ = pg_database
    engine = create_engine(url, connect_args=connect_args)
    migrate(engine)
    store = EventStore(engine)
    store.append([registered()])
    with pytest.raises(sa.exc.DBAPIError, match="immutable"), engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE events"))
    assert store.head() == 1
    engine.dispose()


# -- concurrency, on PostgreSQL: real connections from several threads -------------------------


@pytest.fixture
def pg_store(pg_database):
    url, connect_args, _ = pg_database
    engine = create_engine(url, connect_args=connect_args, pool_size=12, max_overflow=4)
    migrate(engine)
    yield EventStore(engine)
    engine.dispose()


def test_two_writers_with_the_same_expected_version_exactly_one_wins(pg_store):
    pg_store.append([registered()])
    barrier, outcomes = threading.Barrier(2), []

    def write(day: str) -> None:
        barrier.wait()
        try:
            pg_store.append([activity(day)], expected_version=1)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(day,)) for day in ("2020-01-01", "2020-02-02")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert pg_store.version(STREAM) == 2


def test_concurrent_writers_leave_gap_free_positions_that_a_polling_reader_sees_once_in_order(pg_store):
    writers, appends = 6, 25
    streams = [f"kota-{i:02d}-partner" for i in range(writers)]
    pg_store.append([registered(s) for s in streams])
    done, seen, errors = threading.Event(), [], []

    def write(stream: str) -> None:
        try:
            for i in range(appends):
                pg_store.append([activity(f"2020-01-{1 + i % 28:02d}", activity_id=f"a{i}", stream=stream)])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def read() -> None:
        after = 0
        while True:
            finished = done.is_set()
            for e in pg_store.read(after=after):
                seen.append(e.position)
                after = e.position
            if finished:
                return

    reader = threading.Thread(target=read)
    reader.start()
    threads = [threading.Thread(target=write, args=(s,)) for s in streams]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join()
    total = writers + writers * appends
    assert errors == []
    assert seen == list(range(1, total + 1))  # every event, exactly once, in order, no gaps
    positions = [e.position for e in pg_store.read()]
    assert positions == list(range(1, total + 1))


# -- crash safety ---------------------------------------------------------------------------


def _big_file(path: Path, streams: int = 800, per_stream: int = 60) -> int:
    lines = []
    for s in range(streams):
        stream = f"kota-{s:05d}-partner"
        lines.append(registered(stream))
        lines.extend(
            activity(
                f"20{10 + i % 10}-0{1 + i % 9}-1{i % 9}", activity_id=f"a{i}", stream=stream, description="x" * 400
            )
            for i in range(per_stream - 1)
        )
    from events.mapper import encode_line

    path.write_bytes(b"".join(encode_line(e) for e in lines))
    return len(lines)


@pytest.mark.service  # a child process
def test_an_import_killed_mid_write_leaves_all_of_the_file_or_none(tmp_path):
    db = tmp_path / "pantau.db"
    source = tmp_path / "big.jsonl"
    total = _big_file(source)
    env = {**os.environ, "PANTAU_DATABASE_URL": f"sqlite:///{db}"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from service.cli import main; main()", "import", str(source)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wal = Path(f"{db}-wal")
    # Wait (bounded) until the import is writing: its uncommitted pages spill into the WAL.
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 4_000_000:
            break
        time.sleep(0.005)
    killed_mid_write = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    engine = create_engine(f"sqlite:///{db}")
    migrate(engine)
    count = EventStore(engine).head()
    engine.dispose()
    assert killed_mid_write, "the import finished before it could be killed; make the file bigger"
    assert count == 0  # the transaction never committed: none of the file
    assert total > 0


@pytest.fixture
def dropped(pg_database):
    """An engine whose one pooled connection the server has just terminated, and that backend's pid."""
    url, connect_args, _ = pg_database
    engine = create_engine(url, connect_args=connect_args)
    admin = create_engine(url, connect_args=connect_args)
    with engine.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    with admin.connect() as conn:  # as a server restart or a firewall would drop it
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    yield engine, pid
    engine.dispose()
    admin.dispose()


def test_a_postgresql_connection_dropped_while_idle_is_replaced_before_use(dropped, monkeypatch):
    engine, pid = dropped
    now = time.monotonic()
    monkeypatch.setattr(database.time, "monotonic", lambda: now + database.IDLE_BEFORE_PING + 1)
    with engine.connect() as conn:  # checked on checkout after the idle spell, and replaced
        assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != pid


def test_a_connection_in_steady_use_is_not_checked(dropped):
    engine, pid = dropped
    with pytest.raises(sa.exc.OperationalError), engine.connect() as conn:  # no round trip spent
        conn.execute(sa.text("SELECT 1"))
    with engine.connect() as conn:  # the pool dropped it on the error; the next one is fresh
        assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != pid


def test_a_bulk_append_keeps_tabs_escapes_and_unicode_in_data_and_meta_byte_for_byte(store):
    # Enough events for PostgreSQL's COPY path, whose text format gives tabs, newlines and
    # backslashes a meaning of their own.
    lines = [mapper.encode_line(registered())]
    for n in range(80):
        lines.append(
            b'{"id": "%s", "stream": "kota-bandung-seoul", "type": "ActivityLogged", '
            b'"occurred_on": "2021-05-%02d", "data": {"activity_id":\t"a-%d",\r"kind": "visit", '
            b'"title": "Kunjungan \\"resmi\\" \\\\ ke \\tSeoul \\u00e9 \xc3\xa9 \\n"},'
            b' "meta": {"note":\t"C:\\\\data\\\\%d"}}' % (str(uuid.uuid4()).encode(), 1 + n % 28, n, n)
        )
    given = [mapper.decode(line, FAR_FUTURE) for line in lines]
    store.append(given)
    back = store.read()
    assert [(e.data_json, e.meta_json) for e in back] == [(e.data_json, e.meta_json) for e in given]
    assert back[1].data["title"] == 'Kunjungan "resmi" \\ ke \tSeoul é é \n'
    assert back[1].meta == {"note": "C:\\data\\0"}


def test_a_bulk_append_reads_back_as_the_very_events_given(store, clock):
    # 80 events: PostgreSQL's COPY path; data and meta as sent, odd spacing and unknown keys kept.
    given = [registered()]
    for n in range(80):
        line = (
            b'{"id": "%s", "stream": "kota-bandung-seoul", "type": "ActivityLogged", "occurred_on": "2021-05",'
            b' "data": {"activity_id" : "a-%d",  "kind": "visit", "x": [1, {"y": null}]}, "meta": {"n": %d}}'
            % (str(uuid.uuid4()).encode(), n, n)
        )
        given.append(mapper.decode(line, FAR_FUTURE))
    appended = store.append(given)
    stored = [
        msgspec.structs.replace(e, position=n, version=n, recorded_at=clock.now) for n, e in enumerate(given, start=1)
    ]
    assert store.read() == stored
    assert appended.new_events() == stored


def test_a_postgresql_import_killed_during_its_copy_leaves_none_of_the_file(pg_database, tmp_path):
    url, connect_args, schema = pg_database
    source = tmp_path / "big.jsonl"
    total = _big_file(source)
    engine = create_engine(url, connect_args=connect_args)
    migrate(engine)
    watcher = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with watcher.connect() as conn:
        # Each row costs a millisecond here, so the kill lands inside the COPY on any machine.
        conn.execute(
            sa.text(
                f'CREATE FUNCTION "{schema}".slow_row() RETURNS trigger LANGUAGE plpgsql AS '
                "$$ BEGIN PERFORM pg_sleep(0.001); RETURN NEW; END $$"
            )
        )
        conn.execute(
            sa.text(
                f'CREATE TRIGGER slow_row BEFORE INSERT ON "{schema}".events '
                f'FOR EACH ROW EXECUTE FUNCTION "{schema}".slow_row()'
            )
        )
    env = {**os.environ, "PANTAU_DATABASE_URL": f"{url}?options=-csearch_path%3D{schema}"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from service.cli import main; main()", "import", str(source)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    copied = 0
    deadline = time.monotonic() + 300
    with watcher.connect() as conn:
        while proc.poll() is None and time.monotonic() < deadline and copied < 1000:
            copied = conn.execute(
                sa.text(
                    "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy "
                    "WHERE relid = to_regclass(:events)"
                ),
                {"events": f'"{schema}".events'},
            ).scalar_one()
            time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    watcher.dispose()
    count = EventStore(engine).head()
    engine.dispose()
    assert copied >= 1000, "the import was not seen copying rows"
    assert count == 0  # the transaction never committed: none of the file
    assert total > copied


def test_the_streams_written_between_two_positions_are_named_once_each(store):
    store.append([registered("kota-bandung-seoul"), registered("kota-surabaya-busan")])  # 1, 2
    store.append([signed("2016-10-07", stream="kota-surabaya-busan"), registered("kota-medan-gwangju")])  # 3, 4
    store.append([activity("2020-01-01", stream="kota-surabaya-busan")])  # 5
    assert store.streams_between(2, 5) == ["kota-medan-gwangju", "kota-surabaya-busan"]
    assert store.streams_between(0, 1) == ["kota-bandung-seoul"]
    assert store.streams_between(5, 9) == []
