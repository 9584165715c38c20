"""The PostgreSQL recorder: psycopg 3 pipelines for small appends, COPY for bulk ones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from itertools import count

import psycopg
from sqlalchemy.engine import Connection

from events import mapper
from events.errors import Conflict
from events.recorders import EVENT_COLUMNS, NewEvents, Prelude, Writer, driver

# A fixed key for pg_advisory_xact_lock ("pantau" in ASCII). Held from reading max(position)
# until commit, it serialises appenders, so positions are gap-free *and* become visible in
# commit order: a reader that has seen position N can never later see a smaller one appear.
# (A sequence would leave gaps on rollback and commit out of order.)
ADVISORY_LOCK_KEY = 0x70616E746175
# From this many rows on, COPY: below it, a pipelined executemany is one round trip as well and
# skips COPY's setup (bench/append.py --backend postgresql).
COPY_FROM = 64
BULK = 500
COPY_SQL = f"COPY events ({EVENT_COLUMNS}) FROM STDIN"
INSERT_SQL = f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
_LOCK_SQL = "SELECT pg_advisory_xact_lock(%s)"
_HEAD_SQL = "SELECT coalesce(max(position), 0) FROM events"
_EXISTING_SQL = f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ANY(%s)"
_VERSIONS_SQL = "SELECT stream, max(version) FROM events WHERE stream = ANY(%s) GROUP BY stream"
_COPY_BLOCK = 1 << 20  # characters handed to COPY at a time


class PostgresRecorder:
    """Appends through the psycopg connection under SQLAlchemy's transaction."""

    def lock_and_read(self, conn: Connection, ids: list[str], streams: set[str]) -> Prelude:
        """The lock and the three reads in one round trip (psycopg's pipeline mode).

        The appends are serialised by the lock, so its round trips are everyone's latency: under
        bench/api_load.py each one cost milliseconds of waiting for the GIL. The statements run in
        order, each under READ COMMITTED with a snapshot taken after the lock was granted; one
        array parameter each, however many ids a bulk import brings.
        """
        pg = driver(conn)
        if len(ids) > BULK:
            # A bulk import into an empty store need not send its ids to be looked up.
            pg.execute(_LOCK_SQL, (ADVISORY_LOCK_KEY,))
            if not pg.execute(_HEAD_SQL).fetchone()[0]:
                return Prelude(0, {}, {})
        with pg.pipeline():
            pg.execute(_LOCK_SQL, (ADVISORY_LOCK_KEY,))  # held already by a bulk import: re-entrant
            head = pg.execute(_HEAD_SQL)
            found = pg.execute(_EXISTING_SQL, (ids,))
            versions = pg.execute(_VERSIONS_SQL, (sorted(streams),))
        return Prelude(
            head.fetchone()[0], {row[1]: mapper.from_row(*row) for row in found.fetchall()}, dict(versions.fetchall())
        )

    def insert(self, conn: Connection, new: NewEvents) -> None:
        """Insert the rows: COPY in its text format for a bulk append, else a pipelined executemany."""
        pg = driver(conn)
        try:
            with pg.cursor() as cursor:
                if len(new.events) >= COPY_FROM:
                    with cursor.copy(COPY_SQL) as copy:
                        for block in copy_text(new):
                            copy.write(block)
                else:
                    stamp, schema_version = new.recorded_at, new.schema_version
                    cursor.executemany(
                        INSERT_SQL,
                        [
                            (
                                position,
                                e.id,
                                e.stream,
                                version,
                                e.type,
                                e.occurred_on.first,
                                e.occurred_on.precision,
                                e.data_json,
                                e.meta_json,
                                stamp,
                                schema_version,
                            )
                            for position, e, version in zip(count(new.first), new.events, new.versions)
                        ],
                    )
        except psycopg.errors.IntegrityError as exc:  # the database's last word on versions and ids
            raise Conflict(f"concurrent write detected: {exc}") from None

    def lock(self, conn: Connection) -> int:
        """Take the advisory lock (held until commit) and read the head."""
        pg = driver(conn)
        pg.execute(_LOCK_SQL, (ADVISORY_LOCK_KEY,))
        return pg.execute(_HEAD_SQL).fetchone()[0]

    def writer(self, conn: Connection) -> Writer:
        """One COPY for the appends in a row, kept open until a statement must run."""
        return _CopyWriter(driver(conn))


class OpenCopy:
    """One `COPY ... FROM STDIN` on a connection, opened by the first write and kept open until a
    statement must run: the server takes the rows in while the client works on (bench/scale.py)."""

    def __init__(self, pg: psycopg.Connection, sql: str):
        self.pg, self.sql = pg, sql
        self._open: ExitStack | None = None
        self._copy: psycopg.Copy | None = None

    def copy(self) -> psycopg.Copy:
        """The open COPY (opened now if none is)."""
        if self._copy is None:
            stack = ExitStack()
            cursor = stack.enter_context(self.pg.cursor())
            self._copy, self._open = stack.enter_context(cursor.copy(self.sql)), stack
        return self._copy

    def end(self) -> None:
        """Finish the COPY, the server's answer awaited (its errors raised), so that statements can run."""
        stack, self._open, self._copy = self._open, None, None
        if stack is not None:
            stack.close()

    def abandon(self, exc: BaseException) -> None:
        """End the COPY as failed: its rows are dropped (the transaction's rollback follows)."""
        stack, self._open, self._copy = self._open, None, None
        if stack is not None:
            stack.__exit__(type(exc), exc, exc.__traceback__)


class _CopyWriter:
    """Rows of consecutive appends sent as one COPY, where a COPY per batch waited for each to end."""

    def __init__(self, pg: psycopg.Connection):
        self.open = OpenCopy(pg, COPY_SQL)

    def write(self, new: NewEvents) -> None:
        copy = self.open.copy()
        for block in copy_text(new):
            copy.write(block)

    def flush(self) -> None:
        try:
            self.open.end()
        except psycopg.errors.IntegrityError as exc:  # the database's last word on versions and ids
            raise Conflict(f"concurrent write detected: {exc}") from None

    def abandon(self, exc: BaseException) -> None:
        self.open.abandon(exc)


def copy_text(new: NewEvents) -> Iterator[bytes]:
    """The rows in COPY's text format, in blocks of about a megabyte.

    Built here rather than by psycopg's write_row: its per-value adaptation was most of the
    import's time. Ids, streams, types, dates and precisions are validated (no tab, newline or
    backslash can occur); data and meta are JSON as given, whose whitespace may hold tabs or
    carriage returns and whose escapes hold backslashes, so those are escaped.
    """
    # Lines are built as text and encoded a block at a time: the events hold str, and one
    # encode per block costs less than one per value.
    tail = f"\t{new.recorded_at.isoformat()}\t{new.schema_version}\n"
    block: list[str] = []
    size = 0
    for position, e, version in zip(count(new.first), new.events, new.versions):
        data, meta = e.data_json, e.meta_json
        if "\\" in data or "\t" in data or "\r" in data or "\n" in data:
            data = _escape(data)
        if "\\" in meta or "\t" in meta or "\r" in meta or "\n" in meta:
            meta = _escape(meta)
        line = (
            f"{position}\t{e.id}\t{e.stream}\t{version}\t{e.type}\t{e.occurred_on.first.isoformat()}"
            f"\t{e.occurred_on.precision}\t{data}\t{meta}{tail}"
        )
        block.append(line)
        size += len(line)
        if size >= _COPY_BLOCK:
            yield "".join(block).encode()
            block, size = [], 0
    if block:
        yield "".join(block).encode()


def _escape(raw: str) -> str:
    return raw.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
