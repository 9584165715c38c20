"""The public registry at 2,000, 20,000 and 100,000 partnerships, on PostgreSQL and SQLite: `bench/scale.py --registry`.

The partnerships are scale.py's own (`partnership(n, events)`), folded and turned into the
registry's rows in this process (service.registry_store's `_row`, what a refresh stores), once for
the largest size; each size takes the first N. Each database gets them in `registry_rows` with the
mark current, so that the timed requests measure the reads and not a first refresh.

Timed, --requests times each after a warm-up, p50 and p99:
- through HTTP (the app in process, `GET` as a visitor sends it, rendering included): the first
  page, a filter (`?country=JP&activeness=aktif`), a search (`?q=city 4242`), and the counts (the
  Excel-free `/registri.json?province=…`, a whole province, is left out: it grows with the answer);
- the SQL of the same reads alone (`service.registry_sql.listing`: the page's rows and the counts
  per province and per country in one round trip), and the counts' two statements alone;
- the baseline: the same statements on bare tables of the same rows (no index, no mark, nothing
  else), through the same driver call.
Goal (issue 23): p50 < 100 ms and p99 < 300 ms at 100,000 on both databases.
"""

from __future__ import annotations

import pickle
import statistics
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from events import mapper
from events.database import create_engine, fetch_all
from projections.partnership import fold
from projections.rules import Rules
from service.bootstrap import migrate
from service.registry_query import Ask, Filters, parse
from service.registry_schema import registry_mark
from service.registry_sql import listing, statements
from service.registry_store import MARK, _rows, fingerprint

FAR = date(2100, 1, 1)
READS = {
    "first page": "/registri",
    "filter": "/registri?country=JP&activeness=aktif",
    "search": "/registri?q=city%204242",
}


def build_rows(size: int, events: int, today: date, rules: Rules, partnership, progress) -> list[list]:
    """The registry rows (by table) of scale.py's first `size` partnerships on `today`."""
    out = []
    with progress() as bar:
        task = bar.add_task(f"folding {size:,} partnerships into rows", total=size)
        for n in range(size):
            state = fold(mapper.from_dict(e, FAR) for e in partnership(n, events))
            out.append(_rows(state, today, rules))
            if n % 1000 == 999:
                bar.update(task, completed=n + 1)
    return out


def load(engine: sa.Engine, rows: list[list], today: date, rules: Rules) -> None:
    """The rows into the registry's tables with the mark current, and the bare copy beside them."""
    from service.registry_schema import metadata

    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            made = [row for partnership in rows for name, row in partnership if name == table.name]
            for start in range(0, len(made), 5000):
                conn.execute(table.insert(), made[start : start + 5000])
        conn.execute(
            registry_mark.update()
            .where(registry_mark.c.name == MARK)
            .values(position=0, day=today, fingerprint=fingerprint(rules))
        )
        # The bare tables: the same rows, no index.
        for name in ("rows", "fields", "words", "data"):
            conn.exec_driver_sql(f"CREATE TABLE bare_{name} AS SELECT * FROM registry_{name}")
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def timed(call, requests: int) -> tuple[float, float]:
    """p50 and p99 in ms of `requests` calls after three warm-ups."""
    for _ in range(3):
        call()
    took = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return statistics.median(took), took[min(len(took) - 1, int(len(took) * 0.99))]


def bare(statements: list[tuple[str, tuple]]) -> list[tuple[str, tuple]]:
    """The same statements on the bare tables."""
    names = ("registry_rows", "registry_fields", "registry_words", "registry_data")
    out = []
    for sql, params in statements:
        for name in names:
            sql = sql.replace(name, name.replace("registry_", "bare_"))
        out.append((sql, params))
    return out


def measure(engine: sa.Engine, url: str, requests: int, size: int) -> dict[str, tuple[float, float]]:
    """Every timed read of one database: HTTP, the SQL alone, and the bare table's baseline."""
    from fastapi.testclient import TestClient

    from service.api import create_app
    from service.settings import Settings

    figures: dict[str, tuple[float, float]] = {}
    sqlite = engine.dialect.name == "sqlite"
    app = create_app(Settings(database_url=url), background=False, engine=engine)
    with TestClient(app) as client:
        # The middle page, sorted by last activity: OFFSET walks half the registry.
        deep = {"middle page": f"/registri?page={max(1, size // 100)}&sort=activity"}
        for name, path in {**READS, **deep}.items():
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
            figures[f"HTTP {name}"] = timed(lambda path=path: client.get(path), requests)
    for name, path in READS.items():
        ask = parse(dict(p.split("=") for p in path.partition("?")[2].replace("%20", " ").split("&") if p))
        figures[f"SQL {name}"] = timed(lambda ask=ask: listing(engine, ask), requests)
        made = statements(ask, sqlite)
        figures[f"bare {name}"] = timed(lambda made=made: fetch_all(engine, bare(made)), requests)
    everything = statements(Ask(Filters()), sqlite)[1:]
    figures["SQL counts"] = timed(lambda: fetch_all(engine, everything), requests)
    figures["bare counts"] = timed(lambda: fetch_all(engine, bare(everything)), requests)
    return figures


def run(sizes: list[int], events: int, requests: int, pg_url: str, partnership, progress, console) -> dict:
    """Every size on both databases; returns {(database, size): figures}."""
    rules, today = Rules(), date.today()
    # The rows kept between runs of the same day: folding 100,000 partnerships takes minutes.
    kept = Path(tempfile.gettempdir()) / f"pantau-registry-rows-{max(sizes)}-{events}-{today}.pickle"
    if kept.exists():
        every = pickle.loads(kept.read_bytes())  # this bench's own file of today
    else:
        every = build_rows(max(sizes), events, today, rules, partnership, progress)
        kept.write_bytes(pickle.dumps(every, protocol=pickle.HIGHEST_PROTOCOL))
    results: dict = {}
    admin = sa.create_engine(
        sa.engine.make_url(pg_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    try:
        for size in sizes:
            rows = every[:size]
            with tempfile.TemporaryDirectory() as workdir:
                url = f"sqlite:///{Path(workdir) / 'registry.db'}"
                results[("SQLite", size)] = _one(url, rows, today, rules, requests, console)
            name = f"pantau_registry_{size}_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            try:
                url = sa.engine.make_url(pg_url).set(database=name).render_as_string(hide_password=False)
                results[("PostgreSQL", size)] = _one(url, rows, today, rules, requests, console)
            finally:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
    return results


def _one(url: str, rows, today: date, rules: Rules, requests: int, console) -> dict:
    engine = create_engine(url)
    try:
        migrate(engine)
        load(engine, rows, today, rules)
        console.print(f"  {engine.dialect.name} {len(rows):,} partnerships loaded; timing")
        return measure(engine, url, requests, len(rows))
    finally:
        engine.dispose()


def report(results: dict, goal_p50: float = 100.0, goal_p99: float = 300.0) -> list[str]:
    """A Markdown table of every figure, then the goal's verdict per database and size."""
    names = list(next(iter(results.values())))
    keys = sorted(results, key=lambda k: (k[0], k[1]))
    lines = ["| read (p50 / p99 ms) | " + " | ".join(f"{db} {size:,}" for db, size in keys) + " |"]
    lines.append("|---|" + "---|" * len(keys))
    for name in names:
        cells = [f"{results[k][name][0]:.1f} / {results[k][name][1]:.1f}" for k in keys]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for key in keys:
        http = {n: v for n, v in results[key].items() if n.startswith(("HTTP", "SQL"))}
        worst50 = max(v[0] for v in http.values())
        worst99 = max(v[1] for v in http.values())
        verdict = "meets" if worst50 < goal_p50 and worst99 < goal_p99 else "MISSES"
        lines.append(
            f"{key[0]} {key[1]:,}: slowest p50 {worst50:.1f} ms, p99 {worst99:.1f} ms: {verdict} the goal "
            f"(p50 < {goal_p50:.0f} ms, p99 < {goal_p99:.0f} ms)"
        )
    return lines
