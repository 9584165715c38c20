"""A dashboard of a desk, a region or the whole country: the partnerships' summaries added up for a day."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from projections.calendar import add_months
from projections.dashboard_summary import UNKNOWN, Summary
from projections.dashboard_years import Scope, codes, last_year_end, table
from projections.pipeline import Standing


@dataclass
class Dashboard:
    """The numbers of one dashboard; every section's rows in the order it is shown."""

    day: date
    partnerships: int = 0
    year_ends: dict[int, dict] = field(default_factory=dict)
    ending: list[tuple[date, list[tuple[Summary, object]]]] = field(default_factory=list)
    drafts: dict[str, list[Standing]] = field(default_factory=dict)
    activity_kinds: dict[int, Counter] = field(default_factory=dict)
    activity_fields: dict[int, Counter] = field(default_factory=dict)
    countries: list[tuple[str, int]] = field(default_factory=list)
    plan_year: int = 0
    plan_by_desk: list[tuple[str, int, int]] = field(default_factory=list)
    plan_by_province: list[tuple[str, int, int]] = field(default_factory=list)


def months_ahead(day: date) -> list[date]:
    """The first days of the 12 months from `day`'s month on."""
    first = day.replace(day=1)
    return [add_months(first, n) for n in range(12)]


def _ending(held: list[Summary], day: date) -> list[tuple[date, list]]:
    months: dict[date, list] = {m: [] for m in months_ahead(day)}
    for s in held:
        for e in s.ending:
            months[e.valid_until.replace(day=1)].append((s, e))
    return [(m, sorted(rows, key=lambda r: (r[1].valid_until, r[0].stream))) for m, rows in months.items()]


def _by_year(pairs: Counter) -> dict[int, Counter]:
    """Counts of "year<TAB>name" keys per year, every year from the first to the last (quiet ones empty)."""
    out: dict[int, Counter] = defaultdict(Counter)
    for key, count in pairs.items():
        year, name = key.split("\t", 1)
        out[int(year)][name] = count
    if not out:
        return {}
    return {year: out.get(year, Counter()) for year in range(min(out), max(out) + 1)}


def _activities(held: list[Summary]) -> tuple[dict[int, Counter], dict[int, Counter]]:
    # One update over every summary's keys: counted in C, not a call per partnership.
    kinds = Counter(chain.from_iterable(s.activities for s in held))
    fields = Counter(chain.from_iterable(s.field_years for s in held))
    return _by_year(kinds), _by_year(fields)


def _year_ends(every: list[Summary], scope: Scope, last: int) -> dict[int, dict]:
    """Counts per year end: a partnership that never moved counts whole or not at all, one that moved year by year."""
    first = min((s.first_year for s in every if s.first_year is not None), default=None)
    if first is None:
        return {}
    found = Counter(chain.from_iterable(s.year_codes for s in every if scope.holds(s.desk, s.province, s.place)))
    for s in every:
        if s.moved:
            found.update(codes(e for e in s.moved if scope.holds(e.desk, e.province, e.place)))
    counts = table(found, first, last)
    # From the first year end the scope held a partnership: a desk's series starts with its own record.
    begun = [y for y, row in counts.items() if any(row.values())]
    return {y: row for y, row in counts.items() if begun and y >= begun[0]}


def _plan(held: list[Summary], year: int, key) -> list[tuple[str, int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in held:
        for planned_year, planned, realised in s.plan:
            if planned_year == year and planned:
                row = totals[key(s) or UNKNOWN]
                row[0] += planned
                row[1] += realised
    return [(name, planned, realised) for name, (planned, realised) in sorted(totals.items())]


def dashboard(summaries: Iterable[Summary], scope: Scope, day: date, plan_year: int | None = None) -> Dashboard:
    """The dashboard of `scope` on `day`: year ends by each year's membership, the rest by the day's."""
    every = list(summaries)
    held = [s for s in every if scope.holds(s.desk, s.province, s.place)]
    out = Dashboard(day=day, partnerships=len(held))
    last = last_year_end(day)
    out.year_ends = _year_ends(every, scope, last)
    out.ending = _ending(held, day)
    drafts: dict[str, list[Standing]] = defaultdict(list)
    for s in held:
        for d in s.drafts:
            drafts[d.waiting_for].append(d)
    out.drafts = {step: sorted(rows, key=lambda d: (-d.days_waiting, d.stream)) for step, rows in drafts.items()}
    out.activity_kinds, out.activity_fields = _activities(held)
    out.countries = sorted(Counter(s.country or UNKNOWN for s in held).items(), key=lambda kv: (-kv[1], kv[0]))
    out.plan_year = plan_year or day.year
    out.plan_by_desk = _plan(held, out.plan_year, lambda s: s.desk)
    out.plan_by_province = _plan(held, out.plan_year, lambda s: s.province_name)
    return out
