"""Today's partnership states for readers, kept in memory and folded forward from the store."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from events.database import fetch_all
from events.mapper import fact_from_row
from events.model import Fact
from events.store import EventStore
from projections.partnership import PartnershipState, apply_all, load
from projections.runner import NAME as RUNNER_NAME
from projections.schema import checkpoints, partnership_states
from service.api.shared import per_store

_FACT_COLUMNS = "e.position, e.stream, e.version, e.type, e.occurred_on, e.precision, e.data, e.schema_version"
# The read models' checkpoint and the events after it, in one statement so that the two agree.
_TAIL = (
    f"SELECT c.position, {_FACT_COLUMNS} FROM {checkpoints.name} c "
    f"LEFT JOIN events e ON e.position > c.position WHERE c.name = ? ORDER BY e.position"
)
_STATES = f"SELECT state FROM {partnership_states.name}"


class StateCache:
    """Every partnership's state with every stored event applied, held in memory.

    It starts from the read models (`partnership_states`) and the events after their checkpoint;
    from then on each read folds only the events stored since the one before, in one small query.
    Decoding every state and recomputing every status on every read was the matrix readers'
    largest cost under bench/api_load.py (py-spy). Events never change and positions become
    visible in commit order, so "everything after the last position folded" is never a gap.
    """

    def __init__(self, store: EventStore):
        self.store, self.engine = store, store.engine
        self._states: dict[str, PartnershipState] = {}
        self._position = -1  # every event up to here is folded into _states; -1: nothing loaded
        self._lock = threading.Lock()

    def current(self) -> dict[str, PartnershipState]:
        """A copy of every partnership's state, with every event stored so far applied."""
        with self._lock:
            position = self._position
        if position < 0:
            # The tail first: the states, read after it, are at least as new as its checkpoint
            # (the runner moves both in one transaction), so no event falls between the two.
            tail_rows, rows = fetch_all(self.engine, [(_TAIL, (RUNNER_NAME,)), (_STATES, ())])
            start = [load(state) for (state,) in rows]
            tail = [fact_from_row(*row[1:]) for row in tail_rows if row[1] is not None]
            through = tail[-1].position if tail else tail_rows[0][0]
        else:
            start = []
            tail = list(self.store.iter_facts(after=position))
            through = tail[-1].position if tail else position
        with self._lock:
            for state in start:
                known = self._states.get(state.stream)
                if known is None or known.position < state.position:
                    self._states[state.stream] = state
            fold_tail(self._states, tail)
            # Another thread may have folded further meanwhile: the cache only moves forward.
            self._position = max(self._position, through)
            return dict(self._states)


def fold_tail(states: dict[str, PartnershipState], tail: Iterable[Fact]) -> dict[str, PartnershipState]:
    """Apply, in position order, the events each state has not applied yet (by its position)."""
    return apply_all(states, tail, skip_applied=True)


def cache_for(store: EventStore) -> StateCache:
    """The one state cache of a store in this process."""
    return per_store(store, "states", lambda: StateCache(store))
