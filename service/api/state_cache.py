"""Today's partnership states for readers: the read model kept in memory, plus the events it lacks."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from events.database import fetch_all
from events.mapper import fact_from_row
from events.model import Fact
from events.store import EventStore
from projections.partnership import PartnershipState, apply, load
from projections.runner import NAME as RUNNER_NAME
from projections.schema import checkpoints, partnership_states
from service.api.shared import per_store

# The checkpoint and the events after it, in one statement so that the two agree.
_TAIL = (f"SELECT c.position, e.position, e.stream, e.version, e.type, e.occurred_on, e.precision, e.data, "
         f"e.schema_version FROM {checkpoints.name} c LEFT JOIN events e ON e.position > c.position "
         f"WHERE c.name = ? ORDER BY e.position")
_ALL = f"SELECT state FROM {partnership_states.name}"
_MOVED = f"{_ALL} WHERE position > ?"


class StateCache:
    """Every partnership's state from `partnership_states`, refreshed by position.

    A state row carries the position of the last event applied to it, so the rows with a position
    above the checkpoint seen last time are exactly the ones that changed since: a read costs two
    small queries (one round trip on PostgreSQL) instead of decoding every state again, which
    was the matrix readers' largest cost (py-spy under bench/api_load.py). A checkpoint that went
    backwards (the read models started over) reloads everything.
    """

    def __init__(self, store: EventStore):
        self.engine = store.engine
        self._states: dict[str, PartnershipState] = {}
        self._checkpoint = -1
        self._lock = threading.Lock()

    def current(self) -> dict[str, PartnershipState]:
        """Every partnership's state with every stored event applied; nothing is written."""
        with self._lock:
            seen = self._checkpoint
        # The tail first: the rows, read after it, are at least as new as its checkpoint (the runner
        # moves rows and checkpoint in one transaction), so no event falls between the two.
        tail_rows, moved = fetch_all(self.engine, [(_TAIL, (RUNNER_NAME,)),
                                                   (_MOVED, (seen,)) if seen >= 0 else (_ALL, ())])
        checkpoint = tail_rows[0][0]
        if checkpoint < seen:  # the read models started over: read them whole
            with self._lock:
                self._states, self._checkpoint = {}, -1
            return self.current()
        changed = [load(state) for (state,) in moved]
        with self._lock:
            for state in changed:
                known = self._states.get(state.stream)
                if known is None or known.position < state.position:
                    self._states[state.stream] = state
            # Another thread may have refreshed further meanwhile: the cache only moves forward.
            self._checkpoint = max(self._checkpoint, checkpoint)
            states = dict(self._states)
        return fold_tail(states, (fact_from_row(*row[1:]) for row in tail_rows if row[1] is not None))


def fold_tail(states: dict[str, PartnershipState], tail: Iterable[Fact]) -> dict[str, PartnershipState]:
    """Apply the events a state has not applied yet (by its position), in position order."""
    for fact in tail:
        state = states.get(fact.stream)
        if state is None or fact.position > state.position:
            states[fact.stream] = apply(state, fact)
    return states


def cache_for(store: EventStore) -> StateCache:
    """The one state cache of a store in this process."""
    return per_store(store, "states", lambda: StateCache(store))
