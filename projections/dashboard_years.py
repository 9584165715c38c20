"""The dashboards' year-end series: each partnership's status as of every 31 December, from one folded state.

A state keeps dated facts, so one fold answers every year end: the series reads each year end
from the state as `projections.status.status` would (the same matrix status and stage, held by
tests/test_dashboard_years.py against `statuses` on the sample), but walks the counted activities
once for all the years instead of once per year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from projections.activeness import AKTIF, KURANG_AKTIF, TIDAK_AKTIF, counted_spans, substantive
from projections.agreements import agreement_status, valid_from, valid_until
from projections.calendar import ONE_DAY, add_months
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import EXPLORING, PENJAJAKAN, details, stage

# The matrix statuses a year end counts (they partition the partnerships registered by then),
# then the stages counted beside them.
STATUSES = (PENJAJAKAN, AKTIF, KURANG_AKTIF, TIDAK_AKTIF)
STAGES = ("lapsed", "ended")


@dataclass(frozen=True, slots=True)
class YearEnd:
    """One partnership as of 31 December of `year`: its matrix status, stage and where it belonged."""

    year: int
    matrix_status: str
    stage: str
    desk: str | None
    province: str | None  # casefolded, as reads select on it
    place: str | None


def year_end(year: int) -> date:
    """31 December of `year`."""
    return date(year, 12, 31)


def last_year_end(today: date) -> int:
    """The year of the latest 31 December on or before `today`."""
    return today.year if today == year_end(today.year) else today.year - 1


def _unsigned(state: PartnershipState, day: date) -> str:
    """What `stage` says of a record with nothing signed by `day`."""
    return stage(state, [], day) if state.ended_on else EXPLORING


def _turning_years(state: PartnershipState, rules: Rules) -> set[int]:
    """The years in which a date the stage compares a day with falls (or the day after it does).

    The stage on a day reads which signings, renewals, explorations, terminations and endings are
    dated by then, and whether the day is past an agreement's start or its end in force (which a
    renewal moves). Between two year ends that no such date separates, the stage stays the same.
    """
    days = [*state.ended_on, *state.explorations]
    for a in state.agreements:
        renewals = [r.start for r in a.renewals]
        days += [a.start, valid_from(a), *a.terminated_on, *renewals]
        # Every end the agreement can have in force: as signed, and after each renewal.
        days += [u for on in (a.start, *renewals, date.max) if (u := valid_until(a, on, rules)) is not None]
    years = {d.year for d in days}
    return years | {(d + ONE_DAY).year for d in days if d < date.max}


@lru_cache(maxsize=1024)
def _windows(year: int, active_months: int, quiet_months: int) -> tuple[date, date]:
    """The first days of the active and quiet windows that end on 31 December of `year`."""
    day = year_end(year)
    return add_months(day, -active_months), add_months(day, -quiet_months)


def _membership(state: PartnershipState, day: date, rules: Rules) -> tuple[str | None, str | None, str | None]:
    info = details(state, day, rules)
    indonesia = info.get("indonesia") or {}
    province, place = indonesia.get("province"), indonesia.get("name")
    return info.get("desk"), province.casefold() if province else None, place.casefold() if place else None


def year_ends(state: PartnershipState, last: int, rules: Rules) -> tuple[YearEnd, ...]:
    """The partnership as of each 31 December from its registration's year to `last`."""
    first = state.registered_on.year
    if first > last:
        return ()
    # Sorted by the day they count from: walking the year ends in order, the begun ones only grow,
    # and activeness needs only the latest end among them (substantive, and of any indicator).
    spans = sorted((start, end, substantive(indicator)) for start, end, indicator in counted_spans(state, rules))
    fixed = None if state.changes else _membership(state, year_end(last), rules)
    by_signing = sorted(state.agreements, key=lambda a: a.start)
    turning = _turning_years(state, rules)
    out = []
    now: str | None = None
    begun, latest_any, latest_substantive = 0, None, None
    for year in range(first, last + 1):
        day = year_end(year)
        while begun < len(spans) and spans[begun][0] <= day:
            _, end, weighty = spans[begun]
            latest_any = end if latest_any is None or end > latest_any else latest_any
            if weighty and (latest_substantive is None or end > latest_substantive):
                latest_substantive = end
            begun += 1
        active_after, quiet_after = _windows(year, rules.active_months, rules.quiet_months)
        if latest_substantive is not None and latest_substantive > active_after:
            activeness = AKTIF
        elif latest_any is not None and latest_any > quiet_after:
            activeness = KURANG_AKTIF
        else:
            activeness = TIDAK_AKTIF
        if now is None or year in turning:  # else nothing the stage reads changed since the year before
            signed = [a for a in by_signing if a.start <= day]
            now = (
                stage(state, [agreement_status(a, day, rules) for a in signed], day)
                if signed
                else _unsigned(state, day)
            )
        desk, province, place = fixed or _membership(state, day, rules)
        out.append(YearEnd(year, PENJAJAKAN if now == EXPLORING else activeness, now, desk, province, place))
    return tuple(out)


@dataclass(frozen=True)
class Scope:
    """Whose partnerships a dashboard counts: a desk's, a region's (province or place), or all (neither)."""

    desk: str | None = None
    region: str | None = None

    def holds(self, desk: str | None, province: str | None, place: str | None) -> bool:
        """Whether a partnership with this desk, province and place (casefolded) is in the scope."""
        if self.desk is not None and desk != self.desk:
            return False
        return self.region is None or self.region.casefold() in (province, place)


_NAMES = (*STATUSES, *STAGES)
_CODE = {name: index for index, name in enumerate(_NAMES)}


def codes(ends: Iterable[YearEnd]) -> tuple[int, ...]:
    """The year ends as small numbers, one for the status and one for a counted stage (year * 8 + which)."""
    out: list[int] = []
    for end in ends:
        out.append(end.year * 8 + _CODE[end.matrix_status])
        if end.stage in _CODE:
            out.append(end.year * 8 + _CODE[end.stage])
    return tuple(out)


def counts_by_year(series: Iterable[tuple[YearEnd, ...]], scope: Scope, first: int, last: int) -> dict[int, dict]:
    """For each year from `first` to `last`: how many partnerships of the scope had each status and stage."""
    found: Counter[int] = Counter()
    for ends in series:
        found.update(codes(e for e in ends if scope.holds(e.desk, e.province, e.place)))
    return table(found, first, last)


def table(found: Counter[int], first: int, last: int) -> dict[int, dict]:
    """Counted codes (see `codes`) as one row of counts per year from `first` to `last`."""
    return {year: {name: found[year * 8 + i] for i, name in enumerate(_NAMES)} for year in range(first, last + 1)}
