"""A dashboard of a desk, a region or the whole country: the partnerships' summaries added up for a day."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from projections.calendar import add_months
from projections.dashboard_summary import UNKNOWN, Summary
from projections.dashboard_totals import Totals
from projections.dashboard_years import Scope, last_year_end, table
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


def _ending(totals: Totals, day: date) -> list[tuple[date, list]]:
    return [(m, [row for _, row in totals.ending.get(m, ())]) for m in months_ahead(day)]


def _by_year(pairs: Counter) -> dict[int, Counter]:
    """Counts of "year<TAB>name" keys per year, every year from the first to the last (quiet ones empty)."""
    out: dict[int, Counter] = defaultdict(Counter)
    for key, count in pairs.items():
        year, name = key.split("\t", 1)
        out[int(year)][name] = count
    if not out:
        return {}
    return {year: out.get(year, Counter()) for year in range(min(out), max(out) + 1)}


def _year_ends(totals: Totals, last: int) -> dict[int, dict]:
    """Counts per year end: a partnership that never moved counts whole or not at all, one that moved year by year."""
    first = totals.first_year()
    if first is None:
        return {}
    counts = table(totals.year_codes, first, last)
    # From the first year end the scope held a partnership: a desk's series starts with its own record.
    begun = [y for y, row in counts.items() if any(row.values())]
    return {y: row for y, row in counts.items() if begun and y >= begun[0]}


def _plan(listed: list[Summary], year: int, key) -> list[tuple[str, int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in listed:
        for planned_year, planned, realised in s.plan:
            if planned_year == year and planned:
                row = totals[key(s) or UNKNOWN]
                row[0] += planned
                row[1] += realised
    return [(name, planned, realised) for name, (planned, realised) in sorted(totals.items())]


def dashboard(summaries: Iterable[Summary], scope: Scope, day: date, plan_year: int | None = None) -> Dashboard:
    """The dashboard of `scope` on `day`: year ends by each year's membership, the rest by the day's."""
    return of_totals(Totals(scope).update(list(summaries)), day, plan_year)


def of_totals(totals: Totals, day: date, plan_year: int | None = None) -> Dashboard:
    """The dashboard of the sums of one scope's summaries on `day` (projections/dashboard_totals.py)."""
    listed = list(totals.listed.values())
    out = Dashboard(day=day, partnerships=totals.held)
    out.year_ends = _year_ends(totals, last_year_end(day))
    out.ending = _ending(totals, day)
    drafts: dict[str, list[Standing]] = defaultdict(list)
    for s in listed:
        for d in s.drafts:
            drafts[d.waiting_for].append(d)
    by_wait = {
        step: sorted(rows, key=lambda d: (-d.days_waiting, d.stream, d.draft_id)) for step, rows in drafts.items()
    }
    out.drafts = by_wait
    out.activity_kinds, out.activity_fields = _by_year(totals.kinds), _by_year(totals.fields)
    out.countries = sorted(totals.countries.items(), key=lambda kv: (-kv[1], kv[0]))
    out.plan_year = plan_year or day.year
    out.plan_by_desk = _plan(listed, out.plan_year, lambda s: s.desk)
    out.plan_by_province = _plan(listed, out.plan_year, lambda s: s.province_name)
    return out
