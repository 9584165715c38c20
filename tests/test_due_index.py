"""The stored due-day index: refreshed from new events and changed rules, safe with two instances, and a
job that reads only what it names queues the published list."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import sqlalchemy as sa

from events.database import create_engine
from notifications import due_index
from notifications.alert_rules import AlertRules
from notifications.job import run_days
from notifications.outbox import list_messages
from notifications.schema import alert_due, alert_due_mark
from tests import helpers as h
from tests.helpers import at_once, d
from tests.test_alert_job import S, at, setup
from tests.test_simulate import EXPECTED, _load


def _ranges(pantau) -> list[tuple]:
    with pantau.engine.connect() as conn:
        query = sa.select(alert_due.c.stream, alert_due.c.first_day, alert_due.c.last_day, alert_due.c.key)
        return sorted(tuple(row) for row in conn.execute(query))


def test_the_index_recomputes_only_the_partnerships_with_new_events(pantau, smtp_server):
    setup(pantau, smtp_server, h.registered("kota-batam-gimje", "2013-08-17"))
    pantau.runner.run()
    assert due_index.refresh(pantau.engine, pantau.rules, AlertRules()) == 2  # empty: everyone
    assert due_index.refresh(pantau.engine, pantau.rules, AlertRules()) == 0
    pantau.store.append([h.renewed("2021-06-01", "mou-2016", stream=S, term_years=5)])
    pantau.runner.run()
    assert due_index.refresh(pantau.engine, pantau.rules, AlertRules()) == 1
    renewals = {key for stream, _, _, key in _ranges(pantau) if key and key.startswith("renewal:")}
    assert f"renewal:{S}:mou-2016:2026-05-31:30" in renewals  # the renewal's new end is indexed
    assert f"renewal:{S}:mou-2016:2021-10-06:30" not in renewals  # renewed before the 30 days began


def test_changed_thresholds_recompute_every_partnership_once(pantau, smtp_server):
    setup(pantau, smtp_server, h.registered("kota-batam-gimje", "2013-08-17"))
    pantau.runner.run()
    due_index.refresh(pantau.engine, pantau.rules, AlertRules())
    sixty = AlertRules(renewal_days=(60,))
    assert due_index.refresh(pantau.engine, pantau.rules, sixty) == 2
    assert due_index.refresh(pantau.engine, pantau.rules, sixty) == 0
    assert [key for _, _, _, key in _ranges(pantau) if key and key.startswith("renewal:")] == [
        f"renewal:{S}:mou-2016:2021-10-06:60"
    ]


def test_a_day_reads_only_the_partnerships_with_a_key_not_yet_queued(pantau, smtp_server, clock):
    jobs = setup(pantau, smtp_server, h.registered("kota-batam-gimje", "2013-08-17"))
    pantau.runner.run()
    due_index.refresh(pantau.engine, pantau.rules, AlertRules())
    day = datetime(2021, 7, 8).date()
    assert due_index.streams_due(pantau.engine, day, day) == [S]  # batam: nothing is ever due
    clock.now = at("2021-07-08")
    assert jobs.run(None, [day], partnerships=True, digests=False) == [f"renewal:{S}:mou-2016:2021-10-06:90"]
    assert due_index.streams_due(pantau.engine, day, day) == []  # its one key of the day is queued


def test_two_instances_refreshing_at_once_store_one_index(pantau, smtp_server, database):
    setup(pantau, smtp_server, *(h.registered(f"kota-{n}-partner", "2013-08-17") for n in range(30)))
    pantau.runner.run()
    url, connect_args = database
    engines = [create_engine(url, connect_args=connect_args) if connect_args else create_engine(url) for _ in "ab"]
    start = threading.Barrier(2)
    counts: list[int] = []

    def refresh(engine):
        start.wait()
        counts.append(due_index.refresh(engine, pantau.rules, AlertRules()))

    at_once(refresh, [(e,) for e in engines])
    for e in engines:
        e.dispose()
    together = _ranges(pantau)
    assert sorted(counts)[-1] == 31 and len(counts) == 2
    with pantau.engine.begin() as conn:
        conn.execute(alert_due.delete())
        conn.execute(alert_due_mark.update().values(position=0, fingerprint=""))
    due_index.refresh(pantau.engine, pantau.rules, AlertRules())
    assert together == _ranges(pantau)  # no range twice, none missing


def test_the_daily_job_with_its_due_day_index_queues_the_published_list_day_by_day(pantau):
    _load(pantau)
    day = d("2021-01-01")
    while day <= d("2021-12-31"):
        run_days(pantau.engine, [day], pantau.rules, AlertRules(), pantau.clock())
        day += timedelta(days=1)
    queued = sorted((m["day"].isoformat(), m["key"]) for m in list_messages(pantau.engine, limit=100_000))
    assert queued == sorted((p["day"], p["key"]) for p in EXPECTED)
