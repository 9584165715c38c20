"""A scope's running sums of partnership summaries, moved by the summaries that change.

A dashboard adds up one summary per partnership (projections/dashboard_summary.py). Adding 20,000
up again after each write took 0.2-0.5 s for the whole country (docs/dashboards.md); these sums
take a changed summary out and put its new one in, so a write costs what its partnership adds.
Counts live in Counters; what is listed by partnership (agreements ending, drafts waiting, plan
items) is kept only for the partnerships that have any, which are few.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from projections.dashboard_summary import UNKNOWN, Summary
from projections.dashboard_years import Scope, codes


@dataclass
class Totals:
    """What a dashboard of `scope` adds up, over the summaries added so far (each partnership once)."""

    scope: Scope
    members: dict[str, Summary] = field(default_factory=dict)  # every summary added, by stream
    held: int = 0  # of those, the ones the scope holds today
    first_years: Counter[int] = field(default_factory=Counter)  # of every summary, held or not
    year_codes: Counter[int] = field(default_factory=Counter)  # codes of the year ends the scope held
    kinds: Counter[str] = field(default_factory=Counter)  # "year<TAB>kind" of the held
    fields: Counter[str] = field(default_factory=Counter)  # "year<TAB>field" of the held
    countries: Counter[str] = field(default_factory=Counter)
    desks: Counter[str] = field(default_factory=Counter)  # of every summary: the desks to choose from
    listed: dict[str, Summary] = field(default_factory=dict)  # held ones with a draft or a plan
    # Agreements of the held ending in each month: ((end, stream, agreement), (summary, ending)), sorted.
    ending: dict[date, list[tuple]] = field(default_factory=dict)

    def holds(self, s: Summary) -> bool:
        """Whether the scope holds the partnership today."""
        return self.scope.holds(s.desk, s.province, s.place)

    def update(self, summaries: Sequence[Summary]) -> Totals:
        """Bring the sums to `summaries` (every partnership's current one): only the changed are moved."""
        members = self.members
        changed: dict[str, Summary | None] = {s.stream: s for s in summaries if members.get(s.stream) is not s}
        if len(members) + sum(stream not in members for stream in changed) > len(summaries):
            listed = {s.stream for s in summaries}  # some partnership is no longer counted
            changed.update((stream, None) for stream in members if stream not in listed)
        return self.change(changed)

    def change(self, changed: Mapping[str, Summary | None]) -> Totals:
        """Move the sums by the summaries made again (None: the partnership is not counted any more)."""
        added: list[Summary] = []
        for stream, s in changed.items():
            before = self.members.get(stream)
            if before is s:
                continue
            if before is not None:
                self._take_out(before)
                del self.members[stream]
            if s is not None:
                self.members[stream] = s
                added.append(s)
        self._put_in(added)
        return self

    def _found(self, s: Summary, holds: bool) -> list[int]:
        """The year-end codes the summary gives the scope: all of them if it never moved, else those held."""
        found = list(s.year_codes) if holds else []
        if s.moved:
            found += codes(e for e in s.moved if self.scope.holds(e.desk, e.province, e.place))
        return found

    def _put_in(self, added: list[Summary]) -> None:
        # Counted in C over all of them at once: a first build adds 20,000 summaries.
        held = [s for s in added if self.holds(s)]
        self.first_years.update(s.first_year for s in added if s.first_year is not None)
        self.year_codes.update(chain.from_iterable(s.year_codes for s in held))
        self.year_codes.update(chain.from_iterable(self._found(s, False) for s in added if s.moved))
        self.held += len(held)
        self.kinds.update(chain.from_iterable(s.activities for s in held))
        self.fields.update(chain.from_iterable(s.field_years for s in held))
        self.countries.update(s.country or UNKNOWN for s in held)
        self.desks.update(s.desk for s in added if s.desk)
        self.listed.update((s.stream, s) for s in held if s.drafts or s.plan)
        self._list_endings(held)

    def _list_endings(self, held: list[Summary]) -> None:
        """File each agreement ending soon under its month, in the order the page lists them."""
        by_month: dict[date, list] = {}
        for s in held:
            for e in s.ending:
                by_month.setdefault(e.valid_until.replace(day=1), []).append(
                    ((e.valid_until, s.stream, e.agreement_id), (s, e))
                )
        for month, rows in by_month.items():
            kept = self.ending.setdefault(month, [])
            if len(rows) < 8:
                for row in rows:
                    insort(kept, row)
            else:  # a first build: sorted once
                kept.extend(rows)
                kept.sort()

    def _take_out(self, s: Summary) -> None:
        if s.first_year is not None:
            _less(self.first_years, (s.first_year,))
        if s.desk:
            _less(self.desks, (s.desk,))
        holds = self.holds(s)
        _less(self.year_codes, self._found(s, holds))
        if not holds:
            return
        self.held -= 1
        _less(self.kinds, s.activities)
        _less(self.fields, s.field_years)
        _less(self.countries, (s.country or UNKNOWN,))
        self.listed.pop(s.stream, None)
        for e in s.ending:
            kept = self.ending[e.valid_until.replace(day=1)]
            del kept[bisect_left(kept, ((e.valid_until, s.stream, e.agreement_id),))]

    def first_year(self) -> int | None:
        """The first year end any partnership had (held by the scope or not)."""
        return min(self.first_years, default=None)


def _less(counter: Counter, keys: Iterable) -> None:
    """Take one of each key away; a key whose count reaches zero goes, as if never counted."""
    for key in keys:
        left = counter[key] - 1
        if left:
            counter[key] = left
        else:
            del counter[key]
