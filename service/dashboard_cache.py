"""The dashboards' summaries of every partnership for a day, kept while each partnership's state stays the same.

A dashboard adds up one small summary per partnership (projections/dashboard_summary.py). Working
one out means decoding the state and reading each year end from it, so a process keeps the
summaries of the day: a request reads only the rows' positions, and decodes and summarises only
the partnerships written since (and those named by events the projector has not applied yet).
The summaries of a new day, a new rules file or a rebuilt read model are worked out again. At
most `limit` summaries are kept (PANTAU_DASHBOARD_CACHE_ROWS, least recently used out), a few
hundred bytes each.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date

from sqlalchemy.engine import Engine

from projections.dashboard import Dashboard, of_totals
from projections.dashboard_summary import Summary, summary
from projections.dashboard_totals import Totals
from projections.dashboard_years import Scope
from projections.partnership import PartnershipState
from projections.readmodel import (
    EVERYTHING,
    Selection,
    head_position,
    read,
    read_in_chunks,
    row_positions,
    store_mark,
    written_after,
)
from projections.rules import Rules

_MOST_NAMED = 2000  # past this many stale partnerships, one pass over the registry beats naming them
Mark = tuple[list[str], int]  # a place in a Summaries' log of the streams made: (the log, its length then)
Changed = dict[str, Summary | None]  # the summaries made since a mark (None: not registered by the day)


class Summaries:
    """Every partnership's summary for a day, each kept with the position of the state it came from."""

    def __init__(self, rules: Rules, limit: int = 25_000):
        self.rules, self.limit = rules, limit
        self._key: tuple[date, int] | None = None
        self._kept: OrderedDict[str, tuple[int, Summary | None]] = OrderedDict()
        self._lock = threading.Lock()
        self.last_made = 0
        # The last stored position every kept summary reflects, once all of a day's are kept (else None).
        self._seen: int | None = None
        self._log: list[str] = []  # the streams whose summaries were made, in order, since the day began

    def __len__(self) -> int:
        return len(self._kept)

    def holds_day(self, engine: Engine, day: date) -> bool:
        """Whether the summaries kept are those of `day` and of the read models' current generation."""
        generation = store_mark(engine)[0]
        with self._lock:
            return self._key == (day, generation) and len(self._kept) > 0

    def of_day(self, engine: Engine, day: date) -> list[Summary]:
        """The summary of every partnership registered by `day`, with every stored event applied (in no set order)."""
        found = self._refresh(engine, day)
        if found is not None:
            return found
        with self._lock:
            return self._every()

    def _every(self) -> list[Summary]:
        """Called holding the lock: every summary kept, of the partnerships registered by the day."""
        return [kept for _, kept in self._kept.values() if kept is not None]

    def changed_since(self, engine: Engine, day: date, mark: Mark | None) -> tuple[Mark, Changed | None, list[Summary]]:
        """Bring the summaries up to date; then (a new mark, the summaries made since `mark`, by stream, []),
        or (a new mark, None, every summary) when the changes alone cannot say it (a first call, a new day)."""
        found = self._refresh(engine, day)
        with self._lock:
            log = self._log
            now = (log, len(log))
            if found is None and mark is not None and mark[0] is log:
                return now, {stream: self._kept[stream][1] for stream in set(log[mark[1] :])}, []
            every = found if found is not None else self._every()
            return now, None, every

    def _refresh(self, engine: Engine, day: date) -> list[Summary] | None:
        """Every partnership's summary brought up to date: None when only what was written since was read
        (every summary is then kept), else every summary as the rows' pass found it."""
        with self._lock:
            seen = self._seen if self._key is not None and self._key[0] == day else None
        if seen is not None:
            generation, head, written = written_after(engine, seen)
            with self._lock:
                if self._key == (day, generation) and self._seen == seen:
                    self._since(engine, day, head, written)
                    return None
        return self._all(engine, day)

    def _since(self, engine: Engine, day: date, head: int, written: set[str]) -> None:
        """Called holding the lock: the summaries of the partnerships written since made again."""
        evicted = 0
        if written:
            made = {s.stream: (s.position, summary(s, day, self.rules)) for s in _states(engine, written)}
            evicted = self._keep(made)
        self.last_made = len(written)
        self._seen = head if not evicted else None  # a summary let go: the rows are read again next time

    def _all(self, engine: Engine, day: date) -> list[Summary]:
        """Every row's position read, and the summaries of the rows written since they were kept made again."""
        head = head_position(engine)  # first: whatever is stored later is read as written after it
        generation, rows, tail = row_positions(engine)
        with self._lock:
            if self._key != (day, generation):
                self._kept.clear()
                self._key = (day, generation)
                self._log = []  # a new list: marks on the old one no longer match
            found: dict[str, Summary | None] = {}
            stale = set(tail)
            for stream, position in rows:
                kept = self._kept.get(stream)
                if kept is None or kept[0] != position or stream in tail:
                    stale.add(stream)
                else:
                    found[stream] = kept[1]
        made = {state.stream: (state.position, summary(state, day, self.rules)) for state in _states(engine, stale)}
        self.last_made = len(made)  # how many the last call worked out (the others were kept)
        with self._lock:
            if self._key == (day, generation):
                self._keep(made)
                # Every partnership kept: from now on only what is written after `head` is read.
                self._seen = head if len(found) + len(made) <= self.limit else None
        found.update({stream: made_summary for stream, (_, made_summary) in made.items()})
        return [s for s in found.values() if s is not None]

    def _keep(self, made: dict[str, tuple[int, Summary | None]]) -> int:
        """Keep what was made; how many older summaries went to stay within the limit."""
        for stream, value in made.items():
            self._kept[stream] = value
            self._kept.move_to_end(stream)
        self._log.extend(made)
        evicted = 0
        while len(self._kept) > self.limit:
            self._kept.popitem(last=False)
            evicted += 1
        return evicted


def _states(engine: Engine, streams: set[str]) -> Iterable[PartnershipState]:
    """The named partnerships' current states; a chunk of the registry at a time when they are many."""
    if not streams:
        return
    if len(streams) <= _MOST_NAMED:
        yield from read(engine, Selection(streams=frozenset(streams))).states
        return
    for chunk in read_in_chunks(engine, EVERYTHING):
        yield from (state for state in chunk.states if state.stream in streams)


class Answers:
    """The last few dashboards worked out, each kept for the store's mark it was worked out at (no write since)."""

    def __init__(self, limit: int = 32):
        self.limit = limit
        self._kept: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> object | None:
        """The dashboard kept under `key` (the mark, the scope and whatever else the answer depends on)."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def keep(self, key: tuple, answer: object) -> None:
        """Remember an answer; the oldest go past `limit`."""
        with self._lock:
            self._kept[key] = answer
            self._kept.move_to_end(key)
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)


class ScopeSums:
    """Each scope's running sums of the day's summaries (projections/dashboard_totals.py), the last few scopes kept.

    After a write only the partnership written is taken out and put in again, instead of adding
    every summary up afresh; a new day or a rebuilt read model starts the sums anew (every
    summary is new then, and adding them up at once is quicker than moving each).
    """

    def __init__(self, limit: int = 32):
        self.limit = limit
        self._kept: OrderedDict[tuple, tuple[Totals, Mark]] = OrderedDict()
        self._lock = threading.Lock()

    def dashboard(
        self, key: tuple, scope: Scope, summaries: Summaries, engine: Engine, day: date, plan_year: int
    ) -> Dashboard:
        """The scope's dashboard from its sums kept under `key` (the day and the read models' generation)."""
        with self._lock:  # the sums are moved in place: one request at a time
            totals, mark = self._kept.get((key, scope)) or (Totals(scope), None)
            mark, changed, every = summaries.changed_since(engine, day, mark)
            if changed is not None:
                totals.change(changed)  # only the partnerships written since the last request
            else:
                totals.update(every)
            self._kept[(key, scope)] = (totals, mark)
            self._kept.move_to_end((key, scope))
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)
            return of_totals(totals, day, plan_year)

    def desks(self, key: tuple, scope: Scope) -> list[str]:
        """The desks of every partnership the scope's sums were last brought to."""
        with self._lock:
            kept = self._kept.get((key, scope))
            return sorted(kept[0].desks) if kept is not None else []
