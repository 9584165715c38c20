"""Engines for the store: SQLite in WAL mode by default, PostgreSQL through psycopg 3."""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url

IDLE_BEFORE_PING = 5.0  # seconds a pooled PostgreSQL connection may idle before it is checked


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs, as operators write them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_engine(url: str, **kwargs) -> Engine:
    """An engine for the store at `url`, with SQLite set up for durability and concurrency."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # Requests run on up to 40 threads (anyio's pool); with the default 5 pooled connections
        # the overflow ones were closed on return and a new backend forked for the next request
        # (bench/api_load.py: 21 % of the CPU in the kernel, write p99 +10-15 ms).
        kwargs.setdefault("pool_size", 20)
        engine = sa.create_engine(url, **kwargs)
        _ping_when_idle(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred-only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit that returned survives power loss, not only a process crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection):
        # Writers take the write lock up front: a deferred transaction that later upgrades
        # fails with SQLITE_BUSY at once instead of waiting for busy_timeout.
        immediate = conn.get_execution_options().get("pantau_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _ping_when_idle(engine: Engine, idle: float = IDLE_BEFORE_PING) -> None:
    """Check a pooled connection on checkout only when it has sat unused for `idle` seconds.

    SQLAlchemy's pool_pre_ping checks on every checkout: a round trip that was a quarter of a
    matrix read's time under load (py-spy, bench/api_load.py). A server restart or a dropped
    idle connection is met after a quiet spell, which this still covers; a connection found dead
    is replaced before anyone uses it (DisconnectionError makes the pool retry the checkout).
    """

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, record, _proxy):
        if time.monotonic() - record.info.get("idle_since", time.monotonic()) < idle:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception:  # noqa: BLE001 - any failure means the connection is not usable
            alive = False
        if not alive:
            raise sa.exc.DisconnectionError("connection found closed after an idle spell")


def is_sqlite(engine_or_conn: Engine | Connection) -> bool:
    """Whether the store is SQLite."""
    return engine_or_conn.dialect.name == "sqlite"


def analyze(engine: Engine, tables: Sequence[str], statistics_target: int = 10) -> None:
    """Refresh PostgreSQL's planner statistics of `tables` after a bulk write (SQLite needs none)."""
    if is_sqlite(engine):
        return
    # Autovacuum may not come for minutes; until then a freshly filled table has no statistics and
    # the planner scans it whole for a read of a few rows (`events WHERE position > ?`: a desk's
    # read went from 17 ms to 54 ms at 40,000 events, growing with the table).
    # A small sample (3,000 rows, not 30,000) is enough for that choice and took a tenth of the
    # time (`ANALYZE events` at 40,000 events: 92 ms -> 9 ms); autovacuum's own ANALYZE refines
    # the statistics later with the server's default target.
    with engine.begin() as conn:
        conn.execute(sa.text(f"SET LOCAL default_statistics_target = {int(statistics_target)}"))
        for table in tables:
            conn.execute(sa.text(f"ANALYZE {conn.dialect.identifier_preparer.quote(table)}"))


@contextmanager
def writing(engine: Engine):
    """A connection in a write transaction: committed on success, rolled back on error."""
    with engine.connect() as conn:
        conn = conn.execution_options(pantau_write=True)
        with conn.begin():
            yield conn


@contextmanager
def reading(engine: Engine):
    """A connection in a read transaction (one consistent snapshot)."""
    with engine.connect() as conn, conn.begin():
        yield conn


def fetch(engine: Engine, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of one read-only statement, straight from the driver (placeholders written `?`)."""
    return fetch_all(engine, [(sql, params)])[0]


def fetch_all(engine: Engine, statements: Sequence[tuple[str, tuple]]) -> list[list[tuple]]:
    """The rows of each read-only statement, run in order on one connection (placeholders `?`).

    For reads made on every request: SQLAlchemy's execution and the BEGIN/COMMIT around it cost
    ten times the query itself on SQLite (0.12 ms against 0.014 ms for the token lookup). On
    PostgreSQL the statements go in autocommit, in one round trip (psycopg's pipeline mode),
    instead of a BEGIN, one round trip each and a ROLLBACK. Each statement reads its own snapshot,
    taken after the one before it; callers rely on no more than that.
    """
    try:
        return _fetch_all(engine, statements)
    except Exception as exc:
        if not _dropped(engine, exc):
            raise
        # A pooled connection the server dropped (restart, pg_terminate_backend): the read is
        # asked again, once, on a fresh connection; a second failure is the caller's (503).
        return _fetch_all(engine, statements)


def _dropped(engine: Engine, exc: Exception) -> bool:
    """Whether `exc` says the connection was lost (the pool then renews every older connection)."""
    if isinstance(exc, sa.exc.DBAPIError):
        return bool(exc.connection_invalidated)
    return bool(getattr(exc, "pantau_dropped", False))


def _fetch_all(engine: Engine, statements: Sequence[tuple[str, tuple]]) -> list[list[tuple]]:
    connection = engine.raw_connection()
    try:
        driver: Any = connection.driver_connection  # sqlite3's or psycopg's own connection
        if engine.dialect.name == "sqlite":  # autocommit already (isolation_level None, above)
            return [driver.execute(sql, params).fetchall() for sql, params in statements]
        driver.autocommit = True
        try:
            if len(statements) == 1:  # a pipeline would only add its own bookkeeping
                [(sql, params)] = statements
                return [driver.execute(sql.replace("?", "%s"), params).fetchall()]
            with driver.pipeline():
                cursors = [driver.execute(sql.replace("?", "%s"), params) for sql, params in statements]
            return [cursor.fetchall() for cursor in cursors]
        finally:
            if not driver.closed:
                driver.autocommit = False
    except Exception as exc:
        if engine.dialect.name != "sqlite" and engine.dialect.is_disconnect(exc, connection.driver_connection, None):  # type: ignore[arg-type]  # any DBAPI error
            # As SQLAlchemy does on a lost connection: every connection pooled before now is
            # renewed on its next checkout, not just this one.
            engine.pool._invalidate(connection, exc)  # the pool's own disconnect path
            exc.pantau_dropped = True  # type: ignore[attr-defined]  # read by the caller's retry
        raise
    finally:
        connection.close()  # back to the pool
