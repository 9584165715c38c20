"""A day's alert run over every partnership (the old way) and over those the due-day index names, side by side.

    .venv/bin/python bench/alert_day.py [--partnerships 2000 100000] [--events 200 20]
                                        [--backend sqlite|postgresql] [--pg-url URL]

For each registry size (with the matching `--events` per partnership), builds the synthetic record
of bench/alerts.py (MoUs ending around the timed day, a third of the partnerships gone quiet),
appended in batches of 1,000 partnerships (COPY on PostgreSQL) and folded as appended, then prints:
- the index build (every partnership's due days, as on the first run after the upgrade);
- the first run ever on the day before (every reminder already in its window is due; index);
- the timed day: all states evaluated (load_states, every partnership's rules, as the job did
  before the index), then that day's messages removed and the same day with the index, and
  whether both queued the same keys;
- the next day the same way, and a day on which nothing new is due, with the index.
The baseline is the all-states run of the same process on the same database.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.alerts import DAY, RULES, TODAY, partnership
from events import mapper
from events.database import create_engine
from events.store import EventStore
from notifications import due_index
from notifications.alert_rules import AlertRules
from notifications.job import queue_days, run_days
from notifications.schema import outbox
from projections.readmodel import load_states
from projections.runner import ProjectionRunner
from service.bootstrap import migrate

ONE_DAY = timedelta(days=1)
NOW = datetime(2026, 11, 23, 1, tzinfo=UTC)


def build(engine, partnerships: int, events: int) -> float:
    """Append and fold the synthetic registry; returns the seconds it took."""
    store, runner = EventStore(engine), ProjectionRunner(EventStore(engine), batch=50_000)
    rng = random.Random(7)
    started = time.perf_counter()
    for first in range(0, partnerships, 1000):
        batch = [
            mapper.from_dict(e, TODAY)
            for n in range(first, min(first + 1000, partnerships))
            for e in partnership(n, events, rng)
        ]
        store.append(batch)
    runner.run()
    return time.perf_counter() - started


def timed(label: str, action):
    """Run `action`, printing its wall and CPU time."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    print(
        f"  {label:<62} {time.perf_counter() - started:7.2f} s wall {time.process_time() - cpu:7.2f} s cpu", flush=True
    )
    return result


def all_states_day(engine, day, alert_rules: AlertRules) -> list[str]:
    """The day's run before the index: every partnership's state read and its rules evaluated."""
    return queue_days(engine, load_states(engine), [day], RULES, alert_rules, NOW, digests=False)


def indexed_day(engine, day, alert_rules: AlertRules) -> list[str]:
    """The day's run as the job does it now."""
    return run_days(engine, [day], RULES, alert_rules, NOW, digests=False)


def forget(engine, day) -> None:
    """Remove the messages of `day`, so the next run of it starts from the same outbox."""
    with engine.begin() as conn:
        conn.execute(outbox.delete().where(outbox.c.day == day))


def compare(engine, day, alert_rules: AlertRules) -> None:
    old = timed(f"{day}: all states (the old way)", lambda: all_states_day(engine, day, alert_rules))
    forget(engine, day)
    new = timed(f"{day}: with the index", lambda: indexed_day(engine, day, alert_rules))
    due = len(due_index.streams_due(engine, day, day))
    print(f"    queued {len(old)} / {len(new)} messages, same keys: {sorted(old) == sorted(new)}")
    print(f"    partnerships read with the index afterwards: {due}")


def one(url: str, partnerships: int, events: int) -> None:
    engine = create_engine(url)
    migrate(engine)
    alert_rules = AlertRules()
    seconds = build(engine, partnerships, events)
    print(f"{partnerships} partnerships x {events} events built in {seconds:.1f} s ({engine.dialect.name})", flush=True)
    count = timed("index build (every partnership)", lambda: due_index.refresh(engine, RULES, alert_rules))
    with engine.connect() as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(due_index.alert_due)).scalar_one()
    print(f"    {count} partnerships, {rows} ranges")
    first = timed(
        f"{DAY - ONE_DAY}: first run ever, with the index", lambda: indexed_day(engine, DAY - ONE_DAY, alert_rules)
    )
    print(f"    queued {len(first)} messages")
    compare(engine, DAY, alert_rules)
    compare(engine, DAY + ONE_DAY, alert_rules)
    again = timed(
        f"{DAY + ONE_DAY} again (nothing new), with the index", lambda: indexed_day(engine, DAY + ONE_DAY, alert_rules)
    )
    print(f"    queued {len(again)} messages")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, nargs="+", default=[2000, 100_000])
    parser.add_argument("--events", type=int, nargs="+", default=[200, 20])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if len(args.events) != len(args.partnerships):
        parser.error("--events: one number per --partnerships")
    for partnerships, events in zip(args.partnerships, args.events):
        if args.backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                one(f"sqlite:///{tmp}/bench.db", partnerships, events)
        else:
            name = f"bench_alert_day_{uuid.uuid4().hex[:8]}"
            admin = sa.create_engine(
                args.pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
            )
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            try:
                one(args.pg_url.rsplit("/", 1)[0] + "/" + name, partnerships, events)
            finally:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
                admin.dispose()


if __name__ == "__main__":
    main()
