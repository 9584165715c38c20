"""The stored due-day index: kept up to date from the events after its mark, asked which partnerships a run needs.

The ranges are `notifications.due_days` of each partnership's state in the read model. Before a
run, `refresh` recomputes the partnerships whose streams got events since the index's mark (and
every partnership when the rules changed, or on the first run). Ranges are computed outside any
write lock, a chunk of partnerships at a time into a temporary file, and stored from it in one
transaction with a compare-and-set on the mark, so two instances refreshing at once store one
result, the same either way, and neither holds a whole registry's ranges in memory.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import IO

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from events.database import reading, writing
from events.store import EventStore
from notifications.alert_rules import AlertRules
from notifications.due_days import DUE_VERSION, due_days
from notifications.schema import alert_due, alert_due_mark, outbox
from projections.partnership import FOLD_VERSION, PartnershipState
from projections.readmodel import applied, iter_states, load_streams, state_count
from projections.rules import Rules

MARK = "alert_due"
CHUNK = 500  # partnerships read and computed at a time (the alert job's PANTAU_ALERT_CHUNK)
_CHUNK = 500
_INSERT = 10_000
_COLUMNS = ("stream", "first_day", "last_day", "rule", "key")
Progress = Callable[[int, int], None]


def fingerprint(rules: Rules, alert_rules: AlertRules) -> str:
    """What the stored ranges were computed with: the rules, the fold and the ranges' own version."""
    # repr of frozen dataclasses of plain values: the same rules give the same text in every process.
    text = repr((DUE_VERSION, FOLD_VERSION, rules, alert_rules))
    return hashlib.sha256(text.encode()).hexdigest()


def refresh(
    engine: Engine, rules: Rules, alert_rules: AlertRules, progress: Progress | None = None, chunk: int = CHUNK
) -> int:
    """Bring the index up to the read model; returns how many partnerships were recomputed.

    `progress` gets (partnerships done, of how many) while every partnership is computed; at most
    `chunk` partnerships' states are held at a time.
    """
    wanted = fingerprint(rules, alert_rules)
    while True:
        with reading(engine) as conn:
            position, stored = conn.execute(
                sa.select(alert_due_mark.c.position, alert_due_mark.c.fingerprint).where(alert_due_mark.c.name == MARK)
            ).one()
        # Read after the mark: the read models only move on, and the mark's compare-and-set below
        # notices an instance that moved the mark meanwhile.
        head = applied(engine)
        full = stored != wanted
        if not full and position >= head:
            return 0
        touched = None if full else EventStore(engine).streams_between(position, head)
        with tempfile.TemporaryFile() as spool:
            if full:
                count = _every_partnership(engine, rules, alert_rules, progress, chunk, spool)
            else:
                assert touched is not None
                count = len(touched)
                for start in range(0, count, chunk):
                    _spool(spool, load_streams(engine, touched[start : start + chunk]), rules, alert_rules)
            with writing(engine) as conn:
                # The mark row locked (PostgreSQL; SQLite's writer lock is taken already): an instance
                # that got here first moved it, and this one's work is dropped and done again from there.
                now = conn.execute(
                    sa.select(alert_due_mark.c.position, alert_due_mark.c.fingerprint)
                    .where(alert_due_mark.c.name == MARK)
                    .with_for_update()
                ).one()
                if tuple(now) != (position, stored):
                    continue
                if full:
                    conn.execute(alert_due.delete())
                else:
                    _forget(conn, touched or [])
                for batch in _inserts(spool):
                    conn.execute(alert_due.insert(), batch)
                conn.execute(
                    alert_due_mark.update()
                    .where(alert_due_mark.c.name == MARK)
                    .values(position=head, fingerprint=wanted)
                )
        return count


def _forget(conn: Connection, streams: list[str]) -> None:
    for start in range(0, len(streams), _CHUNK):
        conn.execute(alert_due.delete().where(alert_due.c.stream.in_(streams[start : start + _CHUNK])))


def _spool(spool: IO[bytes], states: Iterable[PartnershipState], rules: Rules, alert_rules: AlertRules) -> None:
    """Append the ranges of `states` to the spool, as one pickled list of row tuples."""
    rows = [
        (state.stream, d.first, d.last, d.rule, d.key) for state in states for d in due_days(state, rules, alert_rules)
    ]
    pickle.dump(rows, spool, protocol=pickle.HIGHEST_PROTOCOL)


def _inserts(spool: IO[bytes]) -> Iterator[list[dict]]:
    """The spooled rows again, as insert batches of at most `_INSERT` rows."""
    spool.seek(0)
    batch: list[dict] = []
    while True:
        try:
            rows = pickle.load(spool)  # the spool is this process's own temporary file
        except EOFError:
            break
        for row in rows:
            batch.append(dict(zip(_COLUMNS, row, strict=True)))
            if len(batch) == _INSERT:
                yield batch
                batch = []
    if batch:
        yield batch


def _every_partnership(
    engine: Engine, rules: Rules, alert_rules: AlertRules, progress: Progress | None, chunk: int, spool: IO[bytes]
) -> int:
    total = state_count(engine)
    done = 0
    for batch in iter_states(engine, chunk):
        _spool(spool, batch, rules, alert_rules)
        done += len(batch)
        if progress:
            progress(done, total)
    return done


def streams_due(engine: Engine, first: date, last: date) -> list[str]:
    """The partnerships with a range meeting `first`..`last` whose key is not yet in the outbox, sorted.

    A partnership whose every key of those days is queued already would queue nothing new (the job
    drops what the outbox holds), so it is not read at all.
    """
    queued = sa.exists().where(outbox.c.key == alert_due.c.key)
    query = (
        sa.select(alert_due.c.stream)
        .where(alert_due.c.first_day <= last, alert_due.c.last_day >= first)
        .where(sa.or_(alert_due.c.key.is_(None), ~queued))
        .distinct()
    )
    with reading(engine) as conn:
        return sorted(conn.execute(query).scalars())
