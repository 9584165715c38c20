"""Append, import and rebuild rates of the store against the raw driver, side by side in one run.

    .venv/bin/python bench/append.py [--events 100000] [--streams 1000] [--registry] [--command-only]
    .venv/bin/python bench/append.py --backend postgresql [--url postgresql://postgres@127.0.0.1:5432/test]

SQLite: the whole `pantau import` command (a process of its own: start-up, validation, append,
projection) against a raw sqlite3 pipeline process (bench/raw.py: json.loads + one executemany,
importing nothing else); the store's bulk
append against a raw executemany of prepared rows; a transaction per stream; rebuild and replay.
PostgreSQL (in a schema of its own, dropped afterwards): `pantau import` in-process and as a whole
command against a raw COPY of the same rows with the parsing included (json.loads + psycopg's
write_row into the migrated `events` table); the store's bulk append against a raw COPY of
prepared rows (write_row, rows made outside the timed section); rebuild.
`--registry` takes bench/scale.py's registry (partnerships of 20 events: registrations, contacts,
signings, activities, notes, assessments) instead of the synthetic activities; `--command-only`
stops after the whole commands (the issue's measure: `pantau import` at 0.5x the raw process or better).
Each line gives wall time and CPU time (this process's, or the child's); the ratios on SQLite give
both, since CPU time is what a machine busy with other work disturbs least (on PostgreSQL the
server's CPU is elsewhere, so wall time alone).
"""

from __future__ import annotations

import argparse
import compileall
import io
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.raw import SQLITE_INSERT, SQLITE_SCHEMA, envelope_rows  # noqa: E402
from events.database import create_engine  # noqa: E402
from events.jsonl import BATCH, import_events, parse_lines  # noqa: E402
from events.store import EventStore  # noqa: E402
from projections.runner import ProjectionRunner, replay  # noqa: E402
from service.bootstrap import migrate  # noqa: E402

KINDS = ["visit", "training", "grant", "video_call", "festival", "forum", "exchange", "other"]
TODAY = date(2026, 11, 23)


def synthetic_lines(events: int, streams: int) -> list[bytes]:
    """JSON Lines of `streams` partnerships with `events / streams` events each."""
    per_stream = events // streams
    lines = []
    for s in range(streams):
        stream = f"kota-{s:05d}-partner"
        lines.append(
            json.dumps(
                {
                    "id": str(uuid.uuid4()),
                    "stream": stream,
                    "type": "PartnershipRegistered",
                    "occurred_on": "2001-02-03",
                    "data": {
                        "kind": "sister_city",
                        "desk": "kbri-seoul",
                        "fields": ["Pendidikan"],
                        "indonesia": {"name": f"Kota {s}", "level": "city", "province": "Jawa Barat"},
                        "partner": {"name": f"City {s}", "level": "si", "country": "KR"},
                    },
                    "meta": {"source": "bench"},
                }
            ).encode()
        )
        lines.append(
            json.dumps(
                {
                    "id": str(uuid.uuid4()),
                    "stream": stream,
                    "type": "AgreementSigned",
                    "occurred_on": "2005-06-07",
                    "data": {"agreement_id": "mou-2005", "document": "MoU"},
                    "meta": {"source": "bench"},
                }
            ).encode()
        )
        for i in range(per_stream - 2):
            year = 2005 + i % 20
            lines.append(
                json.dumps(
                    {
                        "id": str(uuid.uuid4()),
                        "stream": stream,
                        "type": "ActivityLogged",
                        "occurred_on": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                        "data": {
                            "activity_id": f"a{i}",
                            "kind": KINDS[i % len(KINDS)],
                            "title": f"Activity {i} of the partnership",
                            "participants": i % 40,
                        },
                        "meta": {"source": "bench", "actor": "bench@example.go.id"},
                    }
                ).encode()
            )
    return lines


def registry_lines(events: int) -> list[bytes]:
    """JSON Lines of bench/scale.py's registry: `events / 20` partnerships of 20 events each."""
    from bench.scale import partnership

    return [json.dumps(e, ensure_ascii=False).encode() for n in range(events // 20) for e in partnership(n, 20)]


def raw_rows(lines: list[bytes]) -> list[tuple]:
    """The rows a store would write, prepared outside the timed section."""
    return list(envelope_rows(lines, datetime.now(timezone.utc).isoformat(sep=" ")))


def raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(SQLITE_SCHEMA)
    return conn


INSERT = SQLITE_INSERT


REPEAT = 3


class Rate(NamedTuple):
    """Events per second of wall time and of CPU time (this process's, or the child's)."""

    wall: float
    cpu: float

    def against(self, base: Rate, cpu: bool = True) -> str:
        """The ratio to a baseline; by CPU time too, which a machine busy with others disturbs less."""
        text = f"{self.wall / base.wall:.2f}x"
        return f"{text} (CPU time {self.cpu / base.cpu:.2f}x)" if cpu else text


def _line(label: str, count: int, seconds: float, cpu: float) -> Rate:
    rate = Rate(count / seconds, count / cpu)
    print(f"  {label:<58} {seconds:7.2f} s  {rate.wall:>10,.0f} events/s   CPU {cpu:6.2f} s")
    return rate


def timed(label: str, count: int, fn, setup=lambda: None) -> Rate:
    """Best of REPEAT runs (each after `setup`): the machine is shared, the minimum is the signal."""
    seconds = cpu = float("inf")
    for _ in range(REPEAT):
        state = setup()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn() if state is None else fn(state)
        seconds = min(seconds, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return _line(label, count, seconds, cpu)


def timed_together(count: int, *entries: tuple[str, Callable, Callable]) -> list[Rate]:
    """Each (label, fn, setup) timed as `timed` does, their runs interleaved round by round: a
    busy spell of the shared machine then falls on every side of a ratio, not on one."""
    seconds, cpu = [float("inf")] * len(entries), [float("inf")] * len(entries)
    for _ in range(REPEAT):
        for i, (_, fn, setup) in enumerate(entries):
            state = setup()
            start, start_cpu = time.perf_counter(), time.process_time()
            fn(state)
            seconds[i] = min(seconds[i], time.perf_counter() - start)
            cpu[i] = min(cpu[i], time.process_time() - start_cpu)
    return [_line(label, count, seconds[i], cpu[i]) for i, (label, _, _) in enumerate(entries)]


COLUMNS = (
    "position",
    "id",
    "stream",
    "version",
    "type",
    "occurred_on",
    "precision",
    "data",
    "meta",
    "recorded_at",
    "schema_version",
)


RAW_COPY_SQL = f"COPY events ({', '.join(COLUMNS)}) FROM STDIN"


def raw_copy(pg, lines) -> None:
    """A raw COPY of the rows, parsing included: json.loads and psycopg's write_row, one transaction."""
    with pg.transaction(), pg.cursor() as cursor, cursor.copy(RAW_COPY_SQL) as copy:
        for row in envelope_rows(lines, datetime.now(timezone.utc)):
            copy.write_row(row)


def process_seconds(argv: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of a whole process, start-up included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env={**os.environ, **(env or {})}, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def timed_process(label: str, count: int, argv_for) -> Rate:
    """Best of REPEAT runs of a process (`argv_for()` gives a fresh argv and env each time)."""
    runs = [process_seconds(*argv_for()) for _ in range(REPEAT)]
    return _line(label, count, min(r[0] for r in runs), min(r[1] for r in runs))


def bulk_append(store: EventStore, events: list, batch: int = BATCH) -> None:
    """The store's bulk append as `pantau import` drives it: `batch` validated events at a time."""
    with store.bulk() as bulk:
        for start in range(0, len(events), batch):
            bulk.add(events[start : start + batch])


def store_sides(parsed: list, fresh_store: Callable) -> list[tuple[str, Callable, Callable]]:
    """The store's two appends of the validated events, as timed_together's entries."""
    return [
        ("pantau: store.append of validated events", lambda st: st.append(parsed), fresh_store),
        (
            f"pantau: store.bulk() of validated events, {BATCH:,} a batch",
            lambda st: bulk_append(st, parsed),
            fresh_store,
        ),
    ]


PANTAU = [sys.executable, "-c", "from service.cli import main; main()"]
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    global REPEAT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--streams", type=int, default=1_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--url",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="PostgreSQL database for --backend postgresql",
    )
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--registry", action="store_true", help="bench/scale.py's registry, 20 events a partnership")
    parser.add_argument("--command-only", action="store_true", help="only the whole commands (SQLite)")
    args = parser.parse_args()
    REPEAT = args.repeat
    # Modules compiled as an install leaves them (pip compiles a wheel's, `make install` the
    # checkout's): with PYTHONDONTWRITEBYTECODE set, the command would otherwise compile its own
    # modules at every start, which the raw pipeline (the compiled standard library only) never pays.
    for package in ("events", "projections", "notifications", "service"):
        compileall.compile_dir(ROOT / package, quiet=1)
    lines = registry_lines(args.events) if args.registry else synthetic_lines(args.events, args.streams)
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    source = work / "events.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    if args.backend == "postgresql":
        postgresql(args, lines, source)
    else:
        sqlite(args, lines, source, work)


def sqlite(args, lines: list[bytes], source: Path, work: Path) -> None:
    n = len(lines)
    rows = raw_rows(lines)
    blob = source.read_bytes()
    streams = len({json.loads(line)["stream"] for line in lines})
    print(f"{n:,} events in {streams:,} streams; SQLite (WAL, synchronous=FULL) in {work}")
    counter = iter(range(10_000))

    def fresh_raw():
        return raw_connection(work / f"raw-{next(counter)}.db")

    def fresh_store():
        engine = create_engine(f"sqlite:///{work / f'pantau-{next(counter)}.db'}")
        migrate(engine)
        return EventStore(engine)

    print(f"the whole command, a process each, start-up included (best of {REPEAT}):")
    raw_process = timed_process(
        "raw pipeline: python, json.loads, one executemany",
        n,
        lambda: (
            [
                sys.executable,
                str(ROOT / "bench" / "raw.py"),
                "sqlite",
                str(source),
                str(work / f"raw-{next(counter)}.db"),
            ],
            None,
        ),
    )
    pantau_process = timed_process(
        "pantau import FILE (validate, append, project)",
        n,
        lambda: (
            [*PANTAU, "import", str(source)],
            {"PANTAU_DATABASE_URL": f"sqlite:///{work / f'cli-{next(counter)}.db'}", "PYTHONPATH": str(ROOT)},
        ),
    )
    print(f"  => pantau import {pantau_process.against(raw_process)} the raw pipeline (target >= 0.5x)")
    if args.command_only:
        return

    print(f"in one process, one transaction (best of {REPEAT}):")

    def raw_bulk(raw):
        raw.execute("BEGIN IMMEDIATE")
        raw.executemany(INSERT, rows)
        raw.execute("COMMIT")

    parsed = parse_lines(io.BytesIO(blob), TODAY)[0]
    raw_rate, append_rate, bulk_rate = timed_together(
        n,
        ("raw sqlite3 executemany of prepared rows", raw_bulk, fresh_raw),
        *store_sides(parsed, fresh_store),
    )
    timed("pantau: decode + validate only (msgspec)", n, lambda: parse_lines(io.BytesIO(blob), TODAY))
    import_rate = timed(
        "pantau: import_events (validate + append)",
        n,
        lambda st: import_events(st, io.BytesIO(blob), TODAY),
        fresh_store,
    )
    print(
        f"  => store append {append_rate.against(raw_rate)}, bulk append {bulk_rate.against(raw_rate)} raw "
        f"(target >= 0.9x); validate + append {import_rate.against(raw_rate)} raw"
    )

    print(f"one transaction per stream (best of {REPEAT}):")
    by_stream: dict[str, list] = {}
    for row in rows:
        by_stream.setdefault(row[2], []).append(row)

    def raw_per_stream(raw):
        for stream_rows in by_stream.values():
            raw.execute("BEGIN IMMEDIATE")
            raw.executemany(INSERT, stream_rows)
            raw.execute("COMMIT")

    raw_stream_rate = timed("raw sqlite3, a transaction per stream", n, raw_per_stream, fresh_raw)
    grouped: dict[str, list] = {}
    for event in parsed:
        grouped.setdefault(event.stream, []).append(event)

    def pantau_per_stream(st):
        for events in grouped.values():
            st.append(events, expected_version=0)

    stream_rate = timed("pantau store.append, a transaction per stream", n, pantau_per_stream, fresh_store)
    print(f"  => {stream_rate.against(raw_stream_rate)} raw")

    print(f"read models (best of {REPEAT}):")
    store = fresh_store()
    store.append(parsed)
    runner = ProjectionRunner(store)
    timed("rebuild (read all events, fold, write read models)", n, runner.rebuild)
    timed("replay (read all events and fold, no writes)", n, lambda: replay(store.iter_all()))
    stored = list(store.iter_all())
    timed("fold only (events already in memory)", n, lambda: replay(stored))


def postgresql(args, lines: list[bytes], source: Path) -> None:
    import psycopg
    import sqlalchemy as sa

    from events.database import normalise_url

    n = len(lines)
    blob = source.read_bytes()
    url = normalise_url(args.url)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    schemas: list[str] = []
    print(f"{n:,} events in {args.streams:,} streams; PostgreSQL at {args.url}, a fresh schema per run")

    def fresh_schema() -> str:
        name = f"bench_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        schemas.append(name)
        engine = create_engine(url, connect_args={"options": f"-csearch_path={name}"})
        migrate(engine)
        engine.dispose()
        return name

    def fresh_store() -> EventStore:
        name = fresh_schema()
        store = EventStore(create_engine(url, connect_args={"options": f"-csearch_path={name}"}))
        # Connected here, outside the timed section, as the raw baseline's connection is: the
        # first connection of an engine also runs SQLAlchemy's dialect set-up queries.
        store.head()
        return store

    def fresh_pg():
        return psycopg.connect(args.url, options=f"-csearch_path={fresh_schema()}")

    # Killed with SIGTERM, still drop the schemas made so far (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        print(f"in one process, one transaction (best of {REPEAT}):")
        copy_rate = timed(
            "raw COPY, parsing included (json.loads + write_row)",
            n,
            lambda pg: raw_copy(pg, io.BytesIO(blob)),
            fresh_pg,
        )
        prepared = list(envelope_rows(lines, datetime.now(timezone.utc)))

        def raw_prepared(pg) -> None:
            with pg.transaction(), pg.cursor() as cursor, cursor.copy(RAW_COPY_SQL) as copy:
                for row in prepared:
                    copy.write_row(row)

        parsed = parse_lines(io.BytesIO(blob), TODAY)[0]
        prepared_rate, append_rate, bulk_rate = timed_together(
            n,
            ("raw COPY of prepared rows (write_row)", raw_prepared, fresh_pg),
            *store_sides(parsed, fresh_store),
        )
        import_rate = timed(
            "pantau: import_events (validate + append)",
            n,
            lambda st: import_events(st, io.BytesIO(blob), TODAY),
            fresh_store,
        )
        # The server's CPU is not this process's: the ratios are by wall time alone.
        print(
            f"  => import {import_rate.against(copy_rate, cpu=False)} the raw COPY (target >= 0.5x); "
            f"store append {append_rate.against(copy_rate, cpu=False)}"
        )
        print(
            f"  => store append {append_rate.against(prepared_rate, cpu=False)}, bulk append "
            f"{bulk_rate.against(prepared_rate, cpu=False)} the raw COPY of prepared rows (target >= 0.9x)"
        )
        print(f"the whole command, a process each, start-up included (best of {REPEAT}):")
        pantau_process = timed_process(
            "pantau import FILE (validate, append, project)",
            n,
            lambda: (
                [*PANTAU, "import", str(source)],
                {
                    "PANTAU_DATABASE_URL": f"{args.url}?options=-csearch_path%3D{fresh_schema()}",
                    "PYTHONPATH": str(ROOT),
                },
            ),
        )
        print(
            f"  => pantau import (whole command) {pantau_process.against(copy_rate, cpu=False)} the in-process raw COPY"
        )
        print(f"read models (best of {REPEAT}):")
        store = fresh_store()
        store.append(parsed)
        timed("rebuild (read all events, fold, write read models)", n, ProjectionRunner(store).rebuild)
    finally:
        with admin.connect() as conn:
            for name in schemas:
                conn.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
