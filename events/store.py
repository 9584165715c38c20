"""The recorder: appends events to the `events` table and reads them back in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from events import mapper
from events.database import is_sqlite, reading, writing
from events.errors import Conflict, FieldError, InvalidEvent
from events.invariants import SHAPING, StreamFacts
from events.model import Event, Fact
from events.schema import events as table

# A fixed key for pg_advisory_xact_lock ("pantau" in ASCII). Held from reading max(position)
# until commit, it serialises appenders, so positions are gap-free *and* become visible in
# commit order: a reader that has seen position N can never later see a smaller one appear.
# (A sequence would leave gaps on rollback and commit out of order.) SQLite gets the same
# guarantee from BEGIN IMMEDIATE, its single writer lock.
ADVISORY_LOCK_KEY = 0x70616E746175
_CHUNK = 500
_SQLITE_INSERT = ("INSERT INTO events (position, id, stream, version, type, occurred_on, precision, "
                  "data, meta, recorded_at, schema_version) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
_FACTS_SQL = ("SELECT position, stream, version, type, occurred_on, precision, data, schema_version "
              "FROM events WHERE position > {after} ORDER BY position LIMIT {limit}")
_COLUMNS = (table.c.position, table.c.id, table.c.stream, table.c.version, table.c.type,
            table.c.occurred_on, table.c.precision, table.c.data, table.c.meta,
            table.c.recorded_at, table.c.schema_version)


@dataclass(frozen=True)
class AppendResult:
    """What an append did: the events now stored (new or found again) and how many were already there."""

    events: list[Event]
    added: int
    skipped: int


def utcnow() -> datetime:
    """The current UTC time (the store's default clock)."""
    return datetime.now(timezone.utc)


class EventStore:
    """Append-only event store on SQLAlchemy Core (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self.clock = clock

    # -- writing ---------------------------------------------------------------------------

    def append(self, batch: Sequence[Event], expected_version: int | None = None) -> AppendResult:
        """Append a batch atomically; ids already stored are skipped, bad events raise and write nothing."""
        if expected_version is not None and len({e.stream for e in batch}) > 1:
            raise ValueError("expected_version applies to a batch of one stream")
        with writing(self.engine) as conn:
            self._lock(conn)
            appender = _Appender(self, conn, expected_version)
            appender.add(batch)
            if appender.errors:
                raise InvalidEvent(appender.errors)
        return AppendResult(events=appender.events, added=appender.added,
                            skipped=len(appender.events) - appender.added)

    def _insert(self, conn: Connection, rows: list[Event]) -> None:
        text = bytes.decode
        if is_sqlite(conn):
            # Straight to the driver: SQLAlchemy's per-row parameter processing cost more than
            # SQLite's own insert (bench/append.py). Values are written in the exact text forms
            # SQLAlchemy's SQLite Date/DateTime types read back (UTC, naive).
            stamp = rows[0].recorded_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
            conn.exec_driver_sql(_SQLITE_INSERT, [
                (e.position, e.id, e.stream, e.version, e.type, e.occurred_on.first.isoformat(),
                 e.occurred_on.precision, text(e.data_json), text(e.meta_json), stamp, mapper.SCHEMA_VERSION)
                for e in rows])
        else:
            conn.execute(table.insert(), [
                {"position": e.position, "id": e.id, "stream": e.stream, "version": e.version,
                 "type": e.type, "occurred_on": e.occurred_on.first, "precision": e.occurred_on.precision,
                 "data": text(e.data_json), "meta": text(e.meta_json), "recorded_at": e.recorded_at,
                 "schema_version": mapper.SCHEMA_VERSION}
                for e in rows])

    def _lock(self, conn: Connection) -> None:
        if not is_sqlite(conn):
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})

    def _existing(self, conn: Connection, ids: list[str]) -> dict[str, Event]:
        found = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            for row in conn.execute(sa.select(*_COLUMNS).where(table.c.id.in_(chunk))):
                found[row.id] = mapper.from_row(*row)
        return found

    def _facts(self, conn: Connection, streams: set[str]) -> dict[str, StreamFacts]:
        facts: dict[str, StreamFacts] = {}
        names = sorted(streams)
        for start in range(0, len(names), _CHUNK):
            chunk = names[start:start + _CHUNK]
            versions = conn.execute(
                sa.select(table.c.stream, sa.func.max(table.c.version))
                .where(table.c.stream.in_(chunk)).group_by(table.c.stream))
            for stream, version in versions:
                facts[stream] = StreamFacts(version=version)
            rows = conn.execute(
                sa.select(table.c.stream, table.c.type, table.c.data)
                .where(table.c.stream.in_(chunk), table.c.type.in_(tuple(SHAPING)))
                .order_by(table.c.position))
            for stream, type_name, data in rows:
                key = SHAPING[type_name]
                facts[stream].take(type_name, mapper.decode_json(data)[key] if key else None)
        return facts

    # -- reading ---------------------------------------------------------------------------

    def head(self) -> int:
        """The highest stored position (0 for an empty store)."""
        with reading(self.engine) as conn:
            return conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.position), 0))).scalar_one()

    def read(self, after: int = 0, limit: int | None = None, stream: str | None = None) -> list[Event]:
        """Stored events with position > `after`, in position order, optionally of one stream."""
        query = sa.select(*_COLUMNS).where(table.c.position > after).order_by(table.c.position)
        if stream is not None:
            query = query.where(table.c.stream == stream)
        if limit is not None:
            query = query.limit(limit)
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return [mapper.from_row(*row) for row in rows]

    def iter_all(self, after: int = 0, batch: int = 5000, stream: str | None = None) -> Iterator[Event]:
        """Every stored event after `after`, read in batches of consecutive positions."""
        while True:
            chunk = self.read(after=after, limit=batch, stream=stream)
            yield from chunk
            if len(chunk) < batch:
                return
            after = chunk[-1].position

    def read_facts(self, after: int = 0, limit: int = 10000) -> list[Fact]:
        """Stored events after `after` as Facts (no meta, no raw data): the fast path for folds."""
        # Straight from the driver's cursor: SQLAlchemy's Row objects cost as much as the decoding
        # (bench/append.py, rebuild). Integers only are formatted into the statement.
        sql = _FACTS_SQL.format(after=int(after), limit=int(limit))
        with reading(self.engine) as conn:
            cursor = conn.connection.driver_connection.cursor()
            try:
                cursor.execute(sql)
                rows = cursor.fetchall()
            finally:
                cursor.close()
        fact = mapper.fact_from_row
        return [fact(*row) for row in rows]

    def iter_facts(self, after: int = 0, batch: int = 10000) -> Iterator[Fact]:
        """Every stored event after `after` as a Fact, read in batches."""
        while True:
            chunk = self.read_facts(after, batch)
            yield from chunk
            if len(chunk) < batch:
                return
            after = chunk[-1].position

    def stream(self, stream: str) -> list[Event]:
        """All events of one partnership, in order."""
        return self.read(stream=stream)

    def version(self, stream: str) -> int:
        """The stream's current version (0 when it has no events)."""
        with reading(self.engine) as conn:
            return conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.version), 0))
                                .where(table.c.stream == stream)).scalar_one()



class _Appender:
    """The state of one append transaction."""

    def __init__(self, store: EventStore, conn: Connection, expected_version: int | None):
        self.store, self.conn, self.expected_version = store, conn, expected_version
        self.head = conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.position), 0))).scalar_one()
        self.position = self.head
        self.recorded_at = store.clock()
        self.facts: dict[str, StreamFacts] = {}
        self.seen: dict[str, Event] = {}
        self.errors: list[FieldError] = []
        self.events: list[Event] = []
        self.added = 0
        self.count = 0  # events offered so far, for the index of each refusal

    def add(self, chunk: Sequence[Event]) -> None:
        """Check events against the record and write them (unless something was refused)."""
        offset, self.count = self.count, self.count + len(chunk)
        found = self.store._existing(self.conn, [e.id for e in chunk]) if self.head else {}
        if self.head:
            missing = {e.stream for e in chunk} - self.facts.keys()
            if missing:
                self.facts.update(self.store._facts(self.conn, missing))
        rows = []
        for index, event in enumerate(chunk, start=offset):
            earlier = found.get(event.id) or self.seen.get(event.id)
            if earlier is not None:
                if not earlier.same_fact(event):
                    raise Conflict(f"event id {event.id} is already stored with another body",
                                   event_id=event.id, index=index)
                self.events.append(earlier)
                continue
            facts = self.facts.get(event.stream)
            if facts is None:
                facts = self.facts[event.stream] = StreamFacts()
            if self.expected_version is not None:
                if facts.version != self.expected_version:
                    raise Conflict(f"stream {event.stream!r} is at version {facts.version}, "
                                   f"not the expected {self.expected_version}", stream=event.stream)
                self.expected_version = None  # checked once, before the first new event
            problems = facts.check(event)
            if problems:
                self.errors.extend(FieldError(p.field, p.reason, index) for p in problems)
                continue
            facts.advance(event)
            self.position += 1
            stored = msgspec.structs.replace(event, position=self.position, version=facts.version,
                                             recorded_at=self.recorded_at)
            self.seen[event.id] = stored
            self.events.append(stored)
            rows.append(stored)
        self.added += len(rows)
        if rows and not self.errors:
            try:
                self.store._insert(self.conn, rows)
            except sa.exc.IntegrityError as exc:  # the database's last word on versions and ids
                raise Conflict(f"concurrent write detected: {exc.orig}") from None
