"""Recorders: the SQL of appending events, one module per database, behind one small interface.

The store (events/store.py) decides what to write — ids already stored, versions, invariants —
and a recorder writes it the fastest way its database allows, as the eventsourcing library splits
its SQLite and PostgreSQL recorders. Both keep the same contract: positions gap-free and visible
in commit order, the write lock held from reading the head until commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy.engine import Connection, Engine

from events.model import Event

# Columns in the order the recorders read them back (mapper.from_row's parameters).
EVENT_COLUMNS = "position, id, stream, version, type, occurred_on, precision, data, meta, recorded_at, schema_version"


class Prelude(NamedTuple):
    """What an append reads under the write lock: the head, the events already stored under its
    ids, and the current version of each of its streams that has one."""

    head: int
    found: dict[str, Event]
    versions: dict[str, int]


class NewEvents(NamedTuple):
    """Events an append writes: the i-th takes position `first + i` and version `versions[i]`."""

    events: list[Event]
    versions: list[int]
    first: int
    recorded_at: datetime
    schema_version: int


class Recorder(Protocol):
    """The database-specific half of an append, run inside the store's write transaction."""

    def lock_and_read(self, conn: Connection, ids: list[str], streams: set[str]) -> Prelude:
        """Take the write lock, then read the head, the events stored under `ids` and the versions."""
        ...

    def insert(self, conn: Connection, new: NewEvents) -> None:
        """Write the new events with their positions, versions and recording time."""
        ...

    def lock(self, conn: Connection) -> int:
        """Take the write lock and read the head (a bulk append's start)."""
        ...

    def writer(self, conn: Connection) -> Writer:
        """A writer for the several appends of one bulk append."""
        ...


class Writer(Protocol):
    """Writes the appends of one bulk append, possibly as one stream of rows kept open between them."""

    def write(self, new: NewEvents) -> None:
        """Write (or start sending) the new events."""
        ...

    def flush(self) -> None:
        """Finish sending what was written, so that statements can run (raises Conflict on a clash)."""
        ...

    def abandon(self, exc: BaseException) -> None:
        """Stop sending without finishing: the transaction is to be rolled back."""
        ...


def driver(conn: Connection) -> Any:
    """The driver's own connection under a SQLAlchemy one (sqlite3 or psycopg), for its fast paths."""
    return conn.connection.driver_connection


def recorder_for(engine: Engine) -> Recorder:
    """The recorder for the engine's database."""
    if engine.dialect.name == "sqlite":
        from events.recorders.sqlite import SQLiteRecorder

        return SQLiteRecorder()
    from events.recorders.postgres import PostgresRecorder

    return PostgresRecorder()
