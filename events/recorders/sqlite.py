"""The SQLite recorder: straight to the sqlite3 driver, inside the store's BEGIN IMMEDIATE."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from itertools import count, repeat
from operator import attrgetter

from sqlalchemy.engine import Connection

from events import mapper
from events.errors import Conflict
from events.model import Event
from events.recorders import EVENT_COLUMNS, NewEvents, Prelude, Writer, driver

# SQLite allows 32,766 host parameters per statement (since 3.32); 500 keeps each lookup small.
CHUNK = 500
HEAD_SQL = "SELECT coalesce(max(position), 0) FROM events"
INSERT_SQL = f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)"


_ID, _STREAM, _TYPE = attrgetter("id"), attrgetter("stream"), attrgetter("type")
_FIRST_DAY, _PRECISION = attrgetter("occurred_on.first"), attrgetter("occurred_on.precision")
_DATA, _META = attrgetter("data_json"), attrgetter("meta_json")


class _Days(dict):
    """date -> its ISO text, each made once: a batch holds far fewer days than events."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


class SQLiteRecorder:
    """Appends through the sqlite3 driver: SQLAlchemy's per-row parameter processing and statement
    execution cost more than SQLite's own insert (bench/append.py, py-spy under bench/api_load.py)."""

    def lock_and_read(self, conn: Connection, ids: list[str], streams: set[str]) -> Prelude:
        """Read the head, the stored events under `ids` and the streams' versions (BEGIN IMMEDIATE,
        issued by events.database.writing, is the lock)."""
        db = driver(conn)
        head = db.execute(HEAD_SQL).fetchone()[0]
        if not head:
            return Prelude(0, {}, {})
        found: dict[str, Event] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = db.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE id IN ({_marks(chunk)})", chunk)
            found.update((row[1], mapper.from_row(*_typed(row))) for row in rows)
        names, versions = sorted(streams), {}
        for start in range(0, len(names), CHUNK):
            chunk = names[start : start + CHUNK]
            versions.update(
                db.execute(
                    f"SELECT stream, max(version) FROM events WHERE stream IN ({_marks(chunk)}) GROUP BY stream", chunk
                )
            )
        return Prelude(head, found, versions)

    def insert(self, conn: Connection, new: NewEvents, days: _Days | None = None) -> None:
        """Insert the new events with one executemany, every value in the form SQLAlchemy reads back.

        Data and meta go as the events hold them, str: the sqlite3 module binds str, int and float
        directly but looks bytes up in its adapter registry first, which made the bound-bytes
        insert a third slower than the same rows as text (bench/append.py). A day's text is made
        once per batch, or once per bulk append with the writer's `days`.
        """
        stamp = new.recorded_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        events = new.events
        # Columns mapped and zipped into rows in C: a Python loop building the tuples cost more
        # than the invariant checks of the whole batch (cProfile).
        rows = zip(
            count(new.first),
            map(_ID, events),
            map(_STREAM, events),
            new.versions,
            map(_TYPE, events),
            map((_Days() if days is None else days).__getitem__, map(_FIRST_DAY, events)),
            map(_PRECISION, events),
            map(_DATA, events),
            map(_META, events),
            repeat(stamp),
            repeat(new.schema_version),
        )
        try:
            driver(conn).executemany(INSERT_SQL, rows)
        except sqlite3.IntegrityError as exc:  # the database's last word on versions and ids
            raise Conflict(f"concurrent write detected: {exc}") from None

    def lock(self, conn: Connection) -> int:
        """The head (BEGIN IMMEDIATE, issued by events.database.writing, is the lock)."""
        return driver(conn).execute(HEAD_SQL).fetchone()[0]

    def writer(self, conn: Connection) -> Writer:
        """Each append's rows inserted at once: SQLite has no stream of rows to keep open."""
        return _InsertWriter(self, conn)


class _InsertWriter:
    def __init__(self, recorder: SQLiteRecorder, conn: Connection):
        self.recorder, self.conn = recorder, conn
        self.days = _Days()  # a registry names a few thousand days across all its batches

    def write(self, new: NewEvents) -> None:
        if len(self.days) > 50_000:
            self.days.clear()  # a bound on what one import holds
        self.recorder.insert(self.conn, new, self.days)

    def flush(self) -> None:
        pass

    def abandon(self, exc: BaseException) -> None:
        pass


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


def _typed(row: tuple) -> tuple:
    """An events row read from the sqlite3 driver, with the date and time SQLAlchemy would give."""
    position, event_id, stream, version, type_name, occurred_on, precision, data, meta, recorded_at, schema = row
    return (
        position,
        event_id,
        stream,
        version,
        type_name,
        date.fromisoformat(occurred_on),
        precision,
        data,
        meta,
        datetime.fromisoformat(recorded_at),
        schema,
    )
