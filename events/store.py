"""The event store: what an append may write (ids, versions, invariants), and reading events back."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import cached_property, partial
from itertools import groupby
from operator import attrgetter

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from events import mapper
from events.database import fetch, reading, writing
from events.errors import Conflict, FieldError, InvalidEvent
from events.invariants import SHAPING, StreamFacts
from events.model import Event, Fact
from events.recorders import NewEvents, Recorder, recorder_for
from events.schema import events as table

_CHUNK = 500
_ID, _STREAM, _STREAM_AND_TYPE = attrgetter("id"), attrgetter("stream"), attrgetter("stream", "type")
_REMEMBERED_STREAMS = 10_000
_REMEMBERED_PER_APPEND = 100  # a bulk import's streams are not worth keeping
_FACTS_SQL = (
    "SELECT position, stream, version, type, occurred_on, precision, data, schema_version "
    "FROM events WHERE position > ? ORDER BY position LIMIT ?"
)
_COLUMNS = (
    table.c.position,
    table.c.id,
    table.c.stream,
    table.c.version,
    table.c.type,
    table.c.occurred_on,
    table.c.precision,
    table.c.data,
    table.c.meta,
    table.c.recorded_at,
    table.c.schema_version,
)


class AppendResult:
    """What an append did: the events now stored (new or found again) and how many were already there."""

    def __init__(self, order: Sequence[Event | int], new: NewEvents, added: int, skipped: int):
        # `order` holds, in the batch's order, each event found already stored or the index of a
        # new one in `new`: a bulk import reads only the counts, so its 100,000 stored copies are
        # made when asked for, not on the append's clock (bench/append.py).
        self._order, self._new = order, new
        self.added, self.skipped = added, skipped

    def new_events(self) -> list[Event]:
        """The events this append wrote, as stored, in position order (no gap between them)."""
        new = self._new
        replace, first, stamp = msgspec.structs.replace, new.first, new.recorded_at
        return [
            replace(e, position=first + i, version=v, recorded_at=stamp)
            for i, (e, v) in enumerate(zip(new.events, new.versions))
        ]

    @cached_property
    def events(self) -> list[Event]:
        """The batch's events as stored: position, version and recording time set."""
        new = self._new
        replace, first, stamp = msgspec.structs.replace, new.first, new.recorded_at
        return [
            replace(new.events[item], position=first + item, version=new.versions[item], recorded_at=stamp)
            if isinstance(item, int)
            else item
            for item in self._order
        ]


def utcnow() -> datetime:
    """The current UTC time (the store's default clock)."""
    return datetime.now(timezone.utc)


class EventStore:
    """Append-only event store on SQLAlchemy Core (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self.clock = clock
        self.recorder: Recorder = recorder_for(engine)
        # Each stream's facts as of the last append seen here, checked against the stored version
        # before use: an append need not read back every id-bearing event of its streams.
        self._known: dict[str, StreamFacts] = {}

    # -- writing ---------------------------------------------------------------------------

    def append(self, batch: Sequence[Event], expected_version: int | None = None) -> AppendResult:
        """Append a batch atomically; ids already stored are skipped, bad events raise and write nothing."""
        streams = set(map(_STREAM, batch))
        if expected_version is not None and len(streams) > 1:
            raise ValueError("expected_version applies to a batch of one stream")
        ids = list(map(_ID, batch))
        with writing(self.engine) as conn:
            head, found, versions = self.recorder.lock_and_read(conn, ids, streams)
            appender = _Appender(self, conn, expected_version, head, write=partial(self.recorder.insert, conn))
            appender.add(batch, found, self._facts(conn, versions), distinct=len(set(ids)) == len(ids))
            if appender.errors:
                raise InvalidEvent(appender.errors)
        if len(appender.facts) <= _REMEMBERED_PER_APPEND:
            self._remember(appender.facts)
        return AppendResult(appender.order, appender.new, appender.added, len(appender.order) - appender.added)

    @contextmanager
    def bulk(self, fresh: bool = True) -> Iterator[BulkAppend]:
        """One append transaction fed batch by batch, committed when the block ends without error.

        For an import of any length in bounded memory: each batch is checked against the record
        and the batches before it, then written; nothing is visible until the end, and nothing is
        kept if the block raises. With `fresh` and an empty store nothing needs looking up, so the
        rows of every batch go to the database as one stream (one COPY on PostgreSQL) while the
        next batch is read; anything short of clean batches then raises RetryWithLookups, and
        the append is to be run again with `fresh=False`.
        """
        with writing(self.engine) as conn:
            bulk = BulkAppend(self, conn, self.recorder.lock(conn), fresh)
            try:
                yield bulk
                bulk.finish()
            except BaseException as exc:
                bulk.abandon(exc)
                raise

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
            chunk = stale[start : start + _CHUNK]
            for stream in chunk:
                facts[stream] = StreamFacts(version=versions[stream])
            rows = conn.execute(
                sa.select(table.c.stream, table.c.type, table.c.data, table.c.id, table.c.occurred_on)
                .where(table.c.stream.in_(chunk), table.c.type.in_(tuple(SHAPING)))
                .order_by(table.c.position)
            )
            for stream, type_name, data, event_id, occurred_on in rows:
                facts[stream].take(type_name, mapper.decode_json(data), event_id, occurred_on)
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
            after = chunk[-1].position or after  # stored events all have one

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

    def streams(self, upto: int) -> list[str]:
        """Every stream with an event at or before position `upto`, sorted."""
        # Every stream starts at version 1: the unique (stream, version) index answers this.
        rows = fetch(
            self.engine, "SELECT stream FROM events WHERE version = 1 AND position <= ? ORDER BY stream", (int(upto),)
        )
        return [stream for (stream,) in rows]

    def streams_between(self, after: int, through: int) -> list[str]:
        """The streams with an event at a position in (after, through], sorted."""
        rows = fetch(
            self.engine,
            "SELECT DISTINCT stream FROM events WHERE position > ? AND position <= ? ORDER BY stream",
            (int(after), int(through)),
        )
        return [stream for (stream,) in rows]

    def facts_of(self, streams: Sequence[str], upto: int) -> list[Fact]:
        """The events of some streams at or before position `upto`, as Facts, in position order."""
        fact = mapper.fact_from_row
        sql = (
            "SELECT position, stream, version, type, occurred_on, precision, data, schema_version FROM events "
            f"WHERE stream IN ({','.join('?' * len(streams))}) AND position <= ? ORDER BY position"
        )
        return [fact(*row) for row in fetch(self.engine, sql, (*streams, int(upto)))]

    def stream(self, stream: str) -> list[Event]:
        """All events of one partnership, in order."""
        return self.read(stream=stream)

    def of_types(self, types: Sequence[str], stream: str | None = None) -> list[Event]:
        """Stored events of the given types, in position order, optionally of one stream."""
        query = sa.select(*_COLUMNS).where(table.c.type.in_(tuple(types))).order_by(table.c.position)
        if stream is not None:
            query = query.where(table.c.stream == stream)
        with reading(self.engine) as conn:
            return [mapper.from_row(*row) for row in conn.execute(query)]

    def get(self, event_id: str) -> Event | None:
        """The stored event with this id, or None."""
        with reading(self.engine) as conn:
            row = conn.execute(sa.select(*_COLUMNS).where(table.c.id == event_id)).first()
        return mapper.from_row(*row) if row is not None else None

    def version(self, stream: str) -> int:
        """The stream's current version (0 when it has no events)."""
        with reading(self.engine) as conn:
            return conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(table.c.version), 0)).where(table.c.stream == stream)
            ).scalar_one()


class _Appender:
    """The state of one append transaction."""

    def __init__(
        self,
        store: EventStore,
        conn: Connection,
        expected_version: int | None,
        head: int,
        facts: dict[str, StreamFacts] | None = None,
        write: Callable[[NewEvents], None] | None = None,
        keep_going: bool = False,
    ):
        self.store, self.conn, self.expected_version = store, conn, expected_version
        self.new = NewEvents([], [], head + 1, store.clock(), mapper.SCHEMA_VERSION)
        # A bulk append shares one dict of facts across its batches; `write` None: check only.
        self.facts: dict[str, StreamFacts] = {} if facts is None else facts
        # keep_going: the accepted events are written even when others were refused (a bulk
        # append, rolled back at its end, still finds them stored when a later batch repeats one).
        self.write, self.keep_going = write, keep_going
        self.errors: list[FieldError] = []
        self.order: Sequence[Event | int] = []
        self.added = 0

    def add(
        self, batch: Sequence[Event], found: dict[str, Event], facts: dict[str, StreamFacts], distinct: bool
    ) -> None:
        """Check events against the record and write them, unless something was refused.

        `found` holds the events already stored under their ids, `facts` what their streams hold;
        `distinct` tells whether the batch's ids all differ.
        """
        self.facts.update(facts)
        if self.expected_version is None and not found and distinct:
            self._add_fresh(batch)
            return
        new_events, versions = self.new.events, self.new.versions
        order: list[Event | int] = []
        seen: dict[str, int] = {}  # id -> index in new_events, for an id given twice in the batch
        all_facts, errors = self.facts, self.errors
        for index, event in enumerate(batch):
            event_id = event.id
            earlier: Event | None = found.get(event_id)
            if earlier is None and event_id in seen:
                earlier = new_events[seen[event_id]]
            if earlier is not None:
                if not earlier.same_fact(event):
                    raise Conflict(
                        f"event id {event_id} is already stored with another body", event_id=event_id, index=index
                    )
                order.append(seen.get(event_id, earlier))
                continue
            held = all_facts.get(event.stream)
            if held is None:
                held = all_facts[event.stream] = StreamFacts()
            if self.expected_version is not None:
                if held.version != self.expected_version:
                    raise Conflict(
                        f"stream {event.stream!r} is at version {held.version}, "
                        f"not the expected {self.expected_version}",
                        stream=event.stream,
                    )
                self.expected_version = None  # checked once, before the first new event
            problems = held.admit(event)
            if problems:
                errors.extend(p.at(index) for p in problems)
                continue
            seen[event_id] = len(new_events)
            order.append(len(new_events))
            new_events.append(event)
            versions.append(held.version)
        self.order = order
        self.added = len(new_events)
        if new_events and (not errors or self.keep_going) and self.write is not None:
            self.write(self.new)

    def _add_fresh(self, batch: Sequence[Event]) -> None:
        """add() for a batch of fresh, distinct ids and no expected version (a first import).

        The batch is judged a run at a time (consecutive events of one stream and type), as a
        whole where StreamFacts.admit_run can, else one event at a time: the per-event checks
        were most of what the store added to the database's own insert (bench/append.py).
        """
        all_facts, errors, versions = self.facts, self.errors, self.new.versions
        index = 0
        for (stream, _), group in groupby(batch, _STREAM_AND_TYPE):
            run = list(group)
            held = all_facts.get(stream)
            if held is None:
                held = all_facts[stream] = StreamFacts()
            start = held.version
            # A run of one (a record whose types alternate) is admit()'s: admit_run's set
            # operations only pay for themselves over several events.
            if len(run) > 1 and held.admit_run(run):
                versions.extend(range(start + 1, held.version + 1))
            else:
                for offset, event in enumerate(run, start=index):
                    problems = held.admit(event)
                    if problems:
                        errors.extend(p.at(offset) for p in problems)
                    else:
                        versions.append(held.version)
            index += len(run)
        if errors or not batch:
            return
        self.new.events.extend(batch)
        self.order = range(len(batch))
        self.added = len(batch)
        if self.write is not None:
            self.write(self.new)


class RetryWithLookups(Exception):
    """A fresh bulk append met something only lookups can judge: run it again with `fresh=False`."""


class BulkAppend:
    """The batches of one bulk append (see EventStore.bulk)."""

    def __init__(self, store: EventStore, conn: Connection, head: int, fresh: bool):
        self.store, self.conn, self.head = store, conn, head
        self.fresh = fresh and head == 0
        self.writer = store.recorder.writer(conn)
        self.facts: dict[str, StreamFacts] = {}  # the streams in hand, as they now stand
        # Streams whose facts were let go, with their version then: a file that brings each
        # partnership's events together leaves a stream for good, and the facts of every stream
        # of a registry were most of what an import held (1.3 GB at 100,000 partnerships).
        self.left: dict[str, int] = {}
        self.grouped = True  # until a batch comes back to many streams let go
        self.refused = False
        self.added = self.skipped = 0

    def add(self, batch: Sequence[Event]) -> AppendResult:
        """Check a batch against the record and the batches before it, and write it.

        Raises InvalidEvent (indexes within the batch) or Conflict as EventStore.append does; after
        a refusal the later batches are still checked, so that one pass finds every reason.
        """
        ids = list(map(_ID, batch))
        touched = set(map(_STREAM, batch))
        back = touched & self.left.keys()
        if back:
            if len(back) > len(touched) // 10:
                self.grouped = False  # the file mixes its partnerships: keep every stream in hand
            versions = {stream: self.left.pop(stream) for stream in back}
            if self.fresh:  # (with lookups, the streams not in hand are read back below)
                self.writer.flush()
                self.facts.update(self.store._facts(self.conn, versions))
        if self.fresh:
            # Nothing stored before, nothing to look up: an id an earlier batch gave (the same
            # event twice, which is skipped) would read here as a refusal or a clash of the unique
            # index, so anything short of a clean batch is judged again with lookups.
            appender = _Appender(self.store, self.conn, None, self.head, facts=self.facts, write=self._write)
            appender.add(batch, {}, {}, distinct=len(set(ids)) == len(ids))
            if appender.errors:
                raise RetryWithLookups()
        else:
            self.writer.flush()  # lookups are statements of their own: the rows sent go first
            _, found, versions = self.store.recorder.lock_and_read(self.conn, ids, touched - self.facts.keys())
            appender = _Appender(
                self.store, self.conn, None, self.head, facts=self.facts, write=self.writer.write, keep_going=True
            )
            # One event at a time (distinct=False): after a refusal the accepted events are still
            # written, for a later batch that repeats one to find it stored, as one append would.
            appender.add(batch, found, self.store._facts(self.conn, versions), distinct=False)
        self.head += len(appender.new.events)
        self.added += appender.added
        self.skipped += len(appender.order) - appender.added
        if self.grouped:
            for stream in [stream for stream in self.facts if stream not in touched]:
                self.left[stream] = self.facts.pop(stream).version
        if appender.errors:
            self.refused = True
            raise InvalidEvent(appender.errors)
        return AppendResult(appender.order, appender.new, appender.added, len(appender.order) - appender.added)

    def _write(self, new: NewEvents) -> None:
        try:
            self.writer.write(new)
        except Conflict:
            raise RetryWithLookups() from None

    def finish(self) -> None:
        """Send what is still open (the transaction's commit follows)."""
        try:
            self.writer.flush()
        except Conflict:
            if self.fresh:
                # The lock is held and the store was empty: the only clash is an id given twice.
                raise RetryWithLookups() from None
            raise

    def abandon(self, exc: BaseException) -> None:
        """Close what is open without sending it (the transaction's rollback follows)."""
        self.writer.abandon(exc)
