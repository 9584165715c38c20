"""The recorder: appends events to the `events` table and reads them back in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from events import mapper
from events.database import fetch, is_sqlite, reading, writing
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
_REMEMBERED_STREAMS = 10_000
_REMEMBERED_PER_APPEND = 100  # a bulk import's streams are not worth keeping
_PG_LOCK = "SELECT pg_advisory_xact_lock(%s)"
_HEAD_SQL = "SELECT coalesce(max(position), 0) FROM events"
# `{among}` is `= ANY(%s)` with one array parameter on PostgreSQL, `IN (?, ?, ...)` on SQLite.
_EXISTING_SQL = ("SELECT position, id, stream, version, type, occurred_on, precision, data, meta, recorded_at, "
                 "schema_version FROM events WHERE id {among}")
_VERSIONS_SQL = "SELECT stream, max(version) FROM events WHERE stream {among} GROUP BY stream"
_SQLITE_INSERT = ("INSERT INTO events (position, id, stream, version, type, occurred_on, precision, "
                  "data, meta, recorded_at, schema_version) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
_FACTS_SQL = ("SELECT position, stream, version, type, occurred_on, precision, data, schema_version "
              "FROM events WHERE position > ? ORDER BY position LIMIT ?")
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
        # Each stream's facts as of the last append seen here, checked against the stored version
        # before use: an append need not read back every id-bearing event of its streams.
        self._known: dict[str, StreamFacts] = {}

    # -- writing ---------------------------------------------------------------------------

    def append(self, batch: Sequence[Event], expected_version: int | None = None) -> AppendResult:
        """Append a batch atomically; ids already stored are skipped, bad events raise and write nothing."""
        if expected_version is not None and len({e.stream for e in batch}) > 1:
            raise ValueError("expected_version applies to a batch of one stream")
        with writing(self.engine) as conn:
            head, found, versions = self._prelude(conn, [e.id for e in batch], {e.stream for e in batch})
            appender = _Appender(self, conn, expected_version, head)
            appender.add(batch, found, self._facts(conn, versions))
            if appender.errors:
                raise InvalidEvent(appender.errors)
        if len(appender.facts) <= _REMEMBERED_PER_APPEND:
            self._remember(appender.facts)
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

    def _prelude(self, conn: Connection, ids: list[str], streams: set[str]) -> tuple[int, dict[str, Event],
                                                                                   dict[str, int]]:
        """Take the write lock, then read the head, the events already stored under `ids` and the
        streams' versions."""
        if len(ids) <= _CHUNK and len(streams) <= _CHUNK:
            if is_sqlite(conn):
                return self._prelude_sqlite(conn, ids, streams)
            return self._prelude_pipelined(conn, ids, streams)
        if not is_sqlite(conn):
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        head = conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.position), 0))).scalar_one()
        if not head:
            return 0, {}, {}
        return head, self._existing(conn, ids), self._versions(conn, streams)

    def _prelude_pipelined(self, conn: Connection, ids: list[str], streams: set[str]) -> tuple[
            int, dict[str, Event], dict[str, int]]:
        # PostgreSQL: the four statements in one round trip (psycopg's pipeline mode). The appends
        # are serialised by the lock, so its round trips are everyone's latency: under
        # bench/api_load.py each one cost milliseconds of waiting for the GIL. The statements run
        # in order, each under READ COMMITTED with a snapshot taken after the lock was granted.
        pg = conn.connection.driver_connection
        with pg.pipeline():
            pg.execute(_PG_LOCK, (ADVISORY_LOCK_KEY,))
            head = pg.execute(_HEAD_SQL)
            found = pg.execute(_EXISTING_SQL.format(among="= ANY(%s)"), (ids,))
            versions = pg.execute(_VERSIONS_SQL.format(among="= ANY(%s)"), (sorted(streams),))
        return (head.fetchone()[0], {row[1]: mapper.from_row(*row) for row in found.fetchall()},
                dict(versions.fetchall()))

    def _prelude_sqlite(self, conn: Connection, ids: list[str], streams: set[str]) -> tuple[
            int, dict[str, Event], dict[str, int]]:
        # Straight to the driver, inside the transaction BEGIN IMMEDIATE opened: SQLAlchemy's
        # execution of these three statements was a fifth of a write's GIL time (py-spy,
        # bench/api_load.py --readers 0), SQLite's own work a small part of it.
        driver = conn.connection.driver_connection
        head = driver.execute(_HEAD_SQL).fetchone()[0]
        if not head:
            return 0, {}, {}
        names = sorted(streams)
        found = driver.execute(_EXISTING_SQL.format(among=f"IN ({','.join('?' * len(ids))})"), ids)
        versions = driver.execute(_VERSIONS_SQL.format(among=f"IN ({','.join('?' * len(names))})"), names)
        return (head, {row[1]: mapper.from_row(*_sqlite_types(row)) for row in found.fetchall()},
                dict(versions.fetchall()))

    def _existing(self, conn: Connection, ids: list[str]) -> dict[str, Event]:
        found = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            for row in conn.execute(sa.select(*_COLUMNS).where(table.c.id.in_(chunk))):
                found[row.id] = mapper.from_row(*row)
        return found

    def _versions(self, conn: Connection, streams: set[str]) -> dict[str, int]:
        names, versions = sorted(streams), {}
        for start in range(0, len(names), _CHUNK):
            versions.update(conn.execute(
                sa.select(table.c.stream, sa.func.max(table.c.version))
                .where(table.c.stream.in_(names[start:start + _CHUNK])).group_by(table.c.stream)).all())
        return versions

    def _facts(self, conn: Connection, versions: dict[str, int]) -> dict[str, StreamFacts]:
        """What each stored stream holds, from memory when its version is the one remembered."""
        facts: dict[str, StreamFacts] = {}
        for stream, version in versions.items():
            known = self._known.get(stream)
            if known is not None and known.version == version:
                facts[stream] = known.copy()
        # A stream's facts are a function of its events 1..version, which never change: a
        # remembered entry is valid exactly when the version matches, whoever wrote meanwhile.
        stale = sorted(versions.keys() - facts.keys())
        for start in range(0, len(stale), _CHUNK):
            chunk = stale[start:start + _CHUNK]
            for stream in chunk:
                facts[stream] = StreamFacts(version=versions[stream])
            rows = conn.execute(
                sa.select(table.c.stream, table.c.type, table.c.data)
                .where(table.c.stream.in_(chunk), table.c.type.in_(tuple(SHAPING)))
                .order_by(table.c.position))
            for stream, type_name, data in rows:
                facts[stream].take(type_name, mapper.decode_json(data))
        return facts

    def _remember(self, facts: dict[str, StreamFacts]) -> None:
        if len(self._known) + len(facts) > _REMEMBERED_STREAMS:
            self._known = {}
        self._known.update(facts)

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
        # Straight from the driver: SQLAlchemy's Row objects cost as much as the decoding
        # (bench/append.py, rebuild).
        fact = mapper.fact_from_row
        return [fact(*row) for row in fetch(self.engine, _FACTS_SQL, (int(after), int(limit)))]

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



def _sqlite_types(row: tuple) -> tuple:
    """An events row read from the sqlite3 driver, with the date and time SQLAlchemy would give."""
    position, event_id, stream, version, type_name, occurred_on, precision, data, meta, recorded_at, schema = row
    return (position, event_id, stream, version, type_name, date.fromisoformat(occurred_on), precision, data,
            meta, datetime.fromisoformat(recorded_at), schema)


class _Appender:
    """The state of one append transaction."""

    def __init__(self, store: EventStore, conn: Connection, expected_version: int | None, head: int):
        self.store, self.conn, self.expected_version = store, conn, expected_version
        self.position = head
        self.recorded_at = store.clock()
        self.facts: dict[str, StreamFacts] = {}
        self.seen: dict[str, Event] = {}
        self.errors: list[FieldError] = []
        self.events: list[Event] = []
        self.added = 0

    def add(self, batch: Sequence[Event], found: dict[str, Event], facts: dict[str, StreamFacts]) -> None:
        """Check events against the record and write them, unless something was refused.

        `found` holds the events already stored under their ids, `facts` what their streams hold.
        """
        self.facts.update(facts)
        rows = []
        for index, event in enumerate(batch):
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
