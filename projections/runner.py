"""Keeps the read models current: folds new events and moves the checkpoint in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from events.database import reading, writing
from events.model import Event, Fact
from events.schema import events as events_table
from events.store import EventStore
from projections.partnership import FOLD_VERSION, PartnershipState, apply, dump, load
from projections.schema import checkpoints, partnership_states

NAME = "partnership_states"
_CHUNK = 500


class ProjectionRunner:
    """Applies stored events to `partnership_states`, resuming from its checkpoint."""

    def __init__(self, store: EventStore, batch: int = 5000):
        self.store = store
        self.engine: Engine = store.engine
        self.batch = batch

    def checkpoint(self) -> int:
        """The last position applied to the read models."""
        with reading(self.engine) as conn:
            return _checkpoint(conn)

    def run(self) -> int:
        """Apply every event stored since the checkpoint; returns how many were applied.

        Read models folded by another FOLD_VERSION are rebuilt first, by whichever runner wins the
        conditional update of the checkpoint's fold version (the others find it current).
        """
        applied = 0
        with reading(self.engine) as conn:
            current = conn.execute(sa.select(checkpoints.c.fold_version)
                                   .where(checkpoints.c.name == NAME)).scalar_one() == FOLD_VERSION
        if not current:
            with writing(self.engine) as conn:
                if conn.execute(checkpoints.update()
                                .where(checkpoints.c.name == NAME, checkpoints.c.fold_version != FOLD_VERSION)
                                .values(fold_version=FOLD_VERSION)).rowcount == 1:
                    applied = self._rebuild(conn)
        while True:
            start = self.checkpoint()
            chunk = self.store.read_facts(after=start, limit=self.batch)
            if not chunk:
                return applied
            with writing(self.engine) as conn:
                # Compare-and-set on the checkpoint: if another runner got here first, this
                # transaction changes nothing and the loop starts again from its checkpoint.
                moved = conn.execute(
                    checkpoints.update()
                    .where(checkpoints.c.name == NAME, checkpoints.c.position == start)
                    .values(position=chunk[-1].position))
                if moved.rowcount != 1:
                    continue
                streams = {e.stream for e in chunk}
                states = _load(conn, streams)
                for event in chunk:
                    states[event.stream] = apply(states.get(event.stream), event)
                _save(conn, states, replace=True)
            applied += len(chunk)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Drop the read models and fold every event again, in one transaction."""
        with writing(self.engine) as conn:
            return self._rebuild(conn, progress)

    def _rebuild(self, conn: Connection, progress: Callable[[int], None] | None = None) -> int:
        states: dict[str, PartnershipState | None] = {}
        count = 0
        head = conn.execute(sa.select(sa.func.coalesce(sa.func.max(events_table.c.position), 0))).scalar_one()
        for event in self.store.iter_facts(batch=self.batch):
            if event.position > head:
                break
            states[event.stream] = apply(states.get(event.stream), event)
            count += 1
            if progress and count % self.batch == 0:
                progress(count)
        conn.execute(partnership_states.delete())
        _save(conn, states, replace=False)
        conn.execute(checkpoints.update().where(checkpoints.c.name == NAME)
                     .values(position=head, fold_version=FOLD_VERSION))
        return count


def _checkpoint(conn: Connection) -> int:
    return conn.execute(sa.select(checkpoints.c.position).where(checkpoints.c.name == NAME)).scalar_one()


def _load(conn: Connection, streams: Iterable[str]) -> dict[str, PartnershipState]:
    names, states = sorted(streams), {}
    for start in range(0, len(names), _CHUNK):
        rows = conn.execute(sa.select(partnership_states.c.stream, partnership_states.c.state)
                            .where(partnership_states.c.stream.in_(names[start:start + _CHUNK])))
        states.update((stream, load(state)) for stream, state in rows)
    return states


def _save(conn: Connection, states: dict[str, PartnershipState | None], replace: bool) -> None:
    rows = [{"stream": s.stream, "desk": latest_desk(s), "version": s.version,
             "position": s.position, "state": dump(s).decode()}
            for s in states.values() if s is not None]
    if not rows:
        return
    if replace:
        names = [r["stream"] for r in rows]
        for start in range(0, len(names), _CHUNK):
            conn.execute(partnership_states.delete()
                         .where(partnership_states.c.stream.in_(names[start:start + _CHUNK])))
    conn.execute(partnership_states.insert(), rows)


def latest_desk(state: PartnershipState) -> str | None:
    """The desk named last on the record (None: derived from the partner country when asked)."""
    desk = state.details.get("desk")
    for change in state.changes:
        desk = change.values.get("desk", desk)
    return desk


def load_states(engine: Engine) -> list[PartnershipState]:
    """Every partnership's state from the read model, sorted by stream."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(partnership_states.c.state).order_by(partnership_states.c.stream))
        return [load(state) for (state,) in rows]


def replay(events: Iterable[Event | Fact]) -> list[PartnershipState]:
    """Fold events (in position order) into every partnership's state, sorted by stream."""
    states: dict[str, PartnershipState | None] = {}
    for event in events:
        states[event.stream] = apply(states.get(event.stream), event)
    return [states[k] for k in sorted(states) if states[k] is not None]
