"""Values worked out from a partnership's state for a day, kept while the state stays the same, within a bound."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Generic, TypeVar

from projections.partnership import PartnershipState

T = TypeVar("T")


class DayMemo(Generic[T]):
    """`make(state, day)` for each partnership and day, computed once per state.

    A partnership's state at a position is a fold of an immutable record, so what it gives for a
    day never changes within a generation of the read models (a rebuild may rewrite a state in
    place: `follow` empties the memo then). Under steady writes a read recomputes only the
    partnerships written since the last one (status computation was the readers' largest cost,
    bench/api_load.py, bench/desk_reads.py). The least recently used values go past `limit`, so
    memory follows the limit (PANTAU_READ_CACHE_ROWS), not the registry.
    """

    def __init__(self, make: Callable[[PartnershipState, date], T], limit: int = 2000):
        self.make, self.limit = make, limit
        self.generation: int | None = None
        self._rows: OrderedDict[tuple[str, date], tuple[int, T]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._rows)

    def follow(self, generation: int) -> None:
        """The states read next come from read models of `generation`: forget values of another one."""
        with self._lock:
            if generation != self.generation:
                self._rows.clear()
                self.generation = generation

    def get(self, state: PartnershipState, day: date, evict: bool = True) -> T:
        """The value for the partnership's state on `day`.

        `evict=False` is for reads of the whole registry: a value new to a full memo is not kept,
        so a scan of more partnerships than `limit` leaves the desks' values in place instead of
        pushing every one of them out (and finding none of its own again on the next scan).
        """
        key = (state.stream, day)
        with self._lock:
            kept = self._rows.get(key)
            if kept is not None and kept[0] == state.position:
                self._rows.move_to_end(key)
                return kept[1]
        value = self.make(state, day)
        with self._lock:
            if evict or key in self._rows or len(self._rows) < self.limit:
                self._rows[key] = (state.position, value)
                self._rows.move_to_end(key)
            while len(self._rows) > self.limit:
                self._rows.popitem(last=False)
        return value
