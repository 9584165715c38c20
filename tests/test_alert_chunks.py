"""The alert job in chunks: the same messages in the same order at any chunk size, never more than a
chunk held, and a run stopped between two chunks (or two at once) still queuing each message once."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from events.database import create_engine
from notifications import due_index, job
from notifications.alert_rules import AlertRules
from notifications.digest import build
from notifications.outbox import list_messages
from notifications.schema import alert_due, alert_due_mark, outbox, outbox_attempts
from projections.readmodel import known_desks, load_states
from service.scheduler import ALERTS_JOB, AlertJobs
from tests import helpers as h
from tests.helpers import at_once, d
from tests.test_simulate import _load

RULES = AlertRules()
# Catch-up runs over half a year each: days coalesced, six digest days, every rule of the sample.
RUNS = [
    [d("2021-01-01") + timedelta(days=n) for n in range(181)],
    [d("2021-07-01") + timedelta(days=n) for n in range(184)],
]
WHOLE = 10**9  # one chunk for everything: the job as it was before chunks
STORED = ("key", "alert_key", "rule", "stream", "desk", "day", "language", "to", "cc", "subject", "text", "html")


def _more(count: int = 12) -> list:
    """Partnerships whose MoUs end through 2021 and fall quiet, each with an Indonesian and an English contact."""
    events = []
    for n in range(count):
        stream = f"kota-uji-{n:02d}-seoul"
        events += [
            h.registered(stream, "2015-01-01"),
            h.signed(f"2016-{1 + n % 12:02d}-15", "mou-2016", stream=stream),
            h.contact("2015-01-01", "biro", stream=stream, email=f"biro{n}@pemda.example"),
            h.contact("2015-01-01", "intl", stream=stream, email=f"intl{n}@seoul.example", language="en"),
            h.activity(f"2019-{1 + n % 12:02d}-10", "visit", stream=stream),
        ]
    return events


def _registry(pantau) -> None:
    _load(pantau)
    pantau.store.append(_more())
    pantau.runner.run()


def _forget_runs(pantau) -> None:
    """An outbox and a due-day index as before any run."""
    with pantau.engine.begin() as conn:
        conn.execute(outbox_attempts.delete())
        conn.execute(outbox.delete())
        conn.execute(alert_due.delete())
        conn.execute(alert_due_mark.update().values(position=0, fingerprint=""))


def _stored(pantau) -> list[tuple]:
    rows = sorted(list_messages(pantau.engine, limit=100_000), key=lambda m: m["id"])
    return [tuple(str(m[f]) for f in STORED) for m in rows]


def _ranges(pantau) -> list[tuple]:
    with pantau.engine.connect() as conn:
        columns = [c for c in alert_due.c if c.name != "id"]  # ids of a sequence differ after a delete
        return sorted(tuple(row) for row in conn.execute(sa.select(*columns)))


def _run(pantau, chunk: int) -> list[list[str]]:
    return [job.run_days(pantau.engine, days, pantau.rules, RULES, pantau.clock(), chunk=chunk) for days in RUNS]


def test_any_chunk_size_queues_the_same_messages_in_the_same_order_as_one_chunk(pantau):
    _registry(pantau)
    whole = _run(pantau, WHOLE)
    expected, ranges = _stored(pantau), _ranges(pantau)
    assert len(expected) > 60 and {m[2] for m in expected} >= {"renewal", "lapsed", "cooling", "digest"}
    assert len({m[1] for m in expected}) < len(expected)  # some alerts have a message per language
    for chunk in (1, 7, due_index.CHUNK):
        _forget_runs(pantau)
        assert _run(pantau, chunk) == whole, chunk
        assert _stored(pantau) == expected, chunk
        assert _ranges(pantau) == ranges, chunk


def test_the_chunked_job_queues_what_evaluating_every_partnership_at_once_queues(pantau):
    _registry(pantau)
    everyone = load_states(pantau.engine)
    before = [job.queue_days(pantau.engine, everyone, days, pantau.rules, RULES, pantau.clock()) for days in RUNS]
    expected = _stored(pantau)
    _forget_runs(pantau)
    assert _run(pantau, 3) == before
    assert _stored(pantau) == expected


def test_the_job_holds_at_most_a_chunk_of_partnerships_and_queues_at_most_a_chunk_of_alerts_at_once(
    pantau, monkeypatch
):
    _registry(pantau)
    chunk = 4
    held: list[int] = []  # states in memory at once, by where they were read
    alerts_per_write: list[int] = []

    def counted(function, size):
        def wrapper(*args, **kwargs):
            found = function(*args, **kwargs)
            if isinstance(found, list):
                held.append(size(found))
                return found
            return counting(found, size)

        return wrapper

    def counting(chunks, size):
        for part in chunks:
            held.append(size(part))
            yield part

    def queue(conn, messages, now):
        alerts_per_write.append(len({m.alert_key for m in messages}))
        return real_queue(conn, messages, now)

    real_queue = job.queue
    monkeypatch.setattr(job, "load_streams", counted(job.load_streams, len))
    monkeypatch.setattr(job, "read_in_chunks", counted(job.read_in_chunks, lambda part: len(part.states)))
    monkeypatch.setattr(due_index, "iter_states", counted(due_index.iter_states, len))
    monkeypatch.setattr(due_index, "load_streams", counted(due_index.load_streams, len))
    monkeypatch.setattr(job, "queue", queue)
    queued = _run(pantau, chunk)
    assert held and max(held) <= chunk and len(held) > len(load_states(pantau.engine)) // chunk
    assert alerts_per_write and max(alerts_per_write) <= chunk
    assert (
        sum(alerts_per_write)
        == len({m[1] for m in _stored(pantau)})
        == len({k.split("/")[0] for r in queued for k in r})
    )


def test_a_run_stopped_between_two_chunks_leaves_its_mark_and_the_next_run_queues_the_rest_once(
    pantau, smtp_server, clock, monkeypatch
):
    _registry(pantau)
    days = RUNS[0]
    expected_keys = job.run_days(pantau.engine, days, pantau.rules, RULES, pantau.clock(), chunk=WHOLE)
    expected = _stored(pantau)
    _forget_runs(pantau)
    pantau.settings = dataclasses.replace(pantau.settings, alert_chunk=3)
    jobs = AlertJobs(pantau, RULES, smtp_server.sender())
    writes = 0
    real_queue = job.queue

    def stopped(conn, messages, now):
        nonlocal writes
        writes += 1
        if writes == 3:
            raise RuntimeError("the process stops here")
        return real_queue(conn, messages, now)

    monkeypatch.setattr(job, "queue", stopped)
    with pytest.raises(RuntimeError):
        jobs.run(ALERTS_JOB, days, partnerships=True, digests=True)
    assert 0 < len(_stored(pantau)) < len(expected)
    assert jobs.missed(ALERTS_JOB, days[-1]) == [days[-1]]  # no mark: the next run does the days again
    monkeypatch.setattr(job, "queue", real_queue)
    again = jobs.run(ALERTS_JOB, days, partnerships=True, digests=True)
    assert set(again) < set(expected_keys) and len(again) == len(set(again))
    assert _stored(pantau) == expected  # each message once, in the same order


def test_two_instances_running_the_chunked_job_at_once_queue_each_message_once(pantau, database):
    _registry(pantau)
    expected_keys = [key for keys in _run(pantau, WHOLE) for key in keys]
    expected = sorted(_stored(pantau))
    _forget_runs(pantau)
    url, connect_args = database
    engines = [create_engine(url, connect_args=connect_args) if connect_args else create_engine(url) for _ in "ab"]
    start = threading.Barrier(2)
    added: list[list[str]] = []
    errors: list[BaseException] = []

    def run(engine, chunk):
        start.wait()
        try:
            for days in RUNS:
                added.append(job.run_days(engine, days, pantau.rules, RULES, pantau.clock(), chunk=chunk))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    at_once(run, zip(engines, (2, 5), strict=True))
    for e in engines:
        e.dispose()
    assert errors == []
    assert sorted(key for keys in added for key in keys) == sorted(expected_keys)  # each queued by one of them
    assert sorted(_stored(pantau)) == expected


def test_a_digest_built_from_states_handed_over_one_by_one_is_the_one_built_from_the_list(pantau):
    _registry(pantau)
    states, month = load_states(pantau.engine), date(2021, 10, 1)
    desks = known_desks(pantau.engine)
    assert len(desks) > 1
    for desk in desks:
        assert build(iter(states), desk, month, pantau.rules, RULES) == build(states, desk, month, pantau.rules, RULES)
