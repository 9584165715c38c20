"""After a bulk write, PostgreSQL's planner has the tables' statistics (events/database.py `analyze`)."""

from __future__ import annotations

import sqlalchemy as sa

from events.database import analyze, is_sqlite
from events.store import EventStore
from tests.helpers import activity, registered


def _rows_known(engine, table: str) -> float | None:
    """What the planner believes the table holds: pg_class.reltuples (-1: never analyzed)."""
    with engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"), {"t": table}
        ).scalar_one()


def test_analyze_gives_the_planner_the_freshly_written_rows(engine, clock):
    store = EventStore(engine, clock)
    events = [registered("kota-bandung-seoul", "2016-01-01")]
    events += [activity(f"2017-01-{day:02d}", "visit", f"a{day}") for day in range(1, 29)]
    store.append(events)
    if is_sqlite(engine):
        analyze(engine, ("events",))
        with engine.connect() as conn:  # nothing asked of SQLite: no statistics table appears
            assert conn.execute(sa.text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")).all() == []
        return
    assert _rows_known(engine, "events") in (-1, 0)  # no statistics until autovacuum comes
    analyze(engine, ("events",))
    assert _rows_known(engine, "events") == len(events)
