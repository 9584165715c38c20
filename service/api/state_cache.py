"""The read model's states kept in memory: a read reloads only the partnerships whose state moved."""

from __future__ import annotations

import threading

from events.database import fetch
from events.store import EventStore
from projections.partnership import PartnershipState, load
from projections.runner import NAME as RUNNER_NAME
from projections.schema import checkpoints, partnership_states
from service.api.shared import per_store


_CHECKPOINT = f"SELECT position FROM {checkpoints.name} WHERE name = ?"
_ALL = f"SELECT state FROM {partnership_states.name}"
_MOVED = f"{_ALL} WHERE position > ?"


class StateCache:
    """Every partnership's state from `partnership_states`, refreshed by position.

    A state row carries the position of the last event applied to it, so the rows with a position
    above the checkpoint seen last time are exactly the ones that changed since: a read costs one
    small query instead of decoding every state again (the matrix readers' largest cost, measured
    with py-spy under bench/api_load.py). A checkpoint that went backwards (a rebuild started
    over) reloads everything.
    """

    def __init__(self, store: EventStore):
        self.engine = store.engine
        self._states: dict[str, PartnershipState] = {}
        self._checkpoint = -1
        self._lock = threading.Lock()

    def states(self) -> tuple[int, dict[str, PartnershipState]]:
        """(the read models' checkpoint, a copy of every state, each at or after it)."""
        # Two statements, not one snapshot: a row read after the checkpoint can only be newer than
        # it (the runner moves both in one transaction), and readers fold by each state's position.
        [(checkpoint,)] = fetch(self.engine, _CHECKPOINT, (RUNNER_NAME,))
        with self._lock:
            seen = self._checkpoint
            if checkpoint == seen:
                return checkpoint, dict(self._states)
        if checkpoint > seen >= 0:
            rows = fetch(self.engine, _MOVED, (seen,))
        else:
            rows = fetch(self.engine, _ALL)
        changed = [load(state) for (state,) in rows]
        with self._lock:
            if seen < 0 or checkpoint < seen:  # the first read, or the read models started over
                self._states, self._checkpoint = {}, checkpoint
            for state in changed:
                known = self._states.get(state.stream)
                if known is None or known.position < state.position:
                    self._states[state.stream] = state
            # Another thread may have refreshed further meanwhile: the cache only moves forward.
            self._checkpoint = max(self._checkpoint, checkpoint)
            return checkpoint, dict(self._states)



def cache_for(store: EventStore) -> StateCache:
    """The one state cache of a store in this process."""
    return per_store(store, "states", lambda: StateCache(store))
