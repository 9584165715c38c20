"""Activeness of a partnership, fast: what the alert rules ask of `projections.activeness`.

Both give the same answer as `projections.activeness.activeness(counted(state, day, rules), day,
rules)` (a test holds them equal). `ActivityIndex` answers any day in O(log n) once built, for a
year's simulation; `DayPair` reads the record once for one day and the day before, for a day's run.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter

from projections.activeness import AKTIF, KURANG_AKTIF, TIDAK_AKTIF, counted_spans, substantive
from projections.calendar import add_months
from projections.partnership import PartnershipState
from projections.rules import Rules

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ActivityIndex:
    """Starts in ascending order; for each prefix, the latest end of any activity and of substantive ones."""

    starts: tuple[date, ...]
    latest_end: tuple[date, ...]
    latest_substantive_end: tuple[date | None, ...]

    def latest(self, day: date) -> tuple[date | None, date | None]:
        """The latest end of the activities begun by `day`: of any, and of substantive ones (2-5)."""
        begun = bisect_right(self.starts, day)
        if not begun:
            return None, None
        return self.latest_end[begun - 1], self.latest_substantive_end[begun - 1]


def build(state: PartnershipState, rules: Rules) -> ActivityIndex:
    """The index of every counted activity (`projections.activeness.counted_spans`)."""
    items = list(counted_spans(state, rules))
    items.sort(key=itemgetter(0))
    starts: list[date] = []
    latest: list[date] = []
    latest_substantive: list[date | None] = []
    any_end: date | None = None
    sub_end: date | None = None
    for start, end, indicator in items:
        any_end = end if any_end is None or end > any_end else any_end
        if substantive(indicator):
            sub_end = end if sub_end is None or end > sub_end else sub_end
        starts.append(start)
        latest.append(any_end)
        latest_substantive.append(sub_end)
    return ActivityIndex(tuple(starts), tuple(latest), tuple(latest_substantive))


@dataclass(frozen=True, slots=True)
class DayPair:
    """The same latest ends, read in one pass, for one day and the day before only."""

    day: date
    today: tuple[date | None, date | None]
    yesterday: tuple[date | None, date | None]

    def latest(self, day: date) -> tuple[date | None, date | None]:
        """As `ActivityIndex.latest`, for `self.day` or the day before."""
        if day == self.day:
            return self.today
        if day == self.day - ONE_DAY:
            return self.yesterday
        raise ValueError(f"a DayPair of {self.day} cannot answer for {day}")


def pair(state: PartnershipState, day: date, rules: Rules) -> DayPair:
    """Latest ends on `day` and the day before, from one pass over the record."""
    yesterday = day - ONE_DAY
    # date.min stands for "none yet", so the loop compares dates only (it runs over every activity).
    any_d = sub_d = any_y = sub_y = date.min
    for start, end, indicator in counted_spans(state, rules):
        if start > day:
            continue
        weighty = substantive(indicator)
        if end > any_d:
            any_d = end
        if weighty and end > sub_d:
            sub_d = end
        if start <= yesterday:
            if end > any_y:
                any_y = end
            if weighty and end > sub_y:
                sub_y = end

    def none(value: date) -> date | None:
        return None if value == date.min else value

    return DayPair(day, (none(any_d), none(sub_d)), (none(any_y), none(sub_y)))


def activeness(index: ActivityIndex | DayPair, day: date, rules: Rules) -> str:
    """aktif, kurang_aktif or tidak_aktif on `day`, counting activities begun by then."""
    latest, substantive = index.latest(day)
    if latest is None:
        return TIDAK_AKTIF
    if substantive is not None and substantive > add_months(day, -rules.active_months):
        return AKTIF
    if latest > add_months(day, -rules.quiet_months):
        return KURANG_AKTIF
    return TIDAK_AKTIF


def dormant_from(index: ActivityIndex | DayPair, day: date, rules: Rules) -> date | None:
    """The first day after `day` that is `tidak_aktif` if nothing begun after `day` is recorded."""
    latest, _ = index.latest(day)
    if latest is None:
        return None
    # tidak_aktif on E exactly when latest <= E - Q months; add_months is monotonic, so step from
    # the first guess to the first such day (clamped month ends make the guess off by a few days).
    if day >= date.max - ONE_DAY or add_months(latest, rules.quiet_months) >= date.max - ONE_DAY:
        return None  # the calendar ends before it could go quiet (an end date near 9999 stored earlier)
    candidate = max(add_months(latest, rules.quiet_months), day + ONE_DAY)
    while add_months(candidate, -rules.quiet_months) < latest:
        candidate += ONE_DAY  # at most a few days: the guess is off only by clamped month ends
    while candidate - ONE_DAY > day and add_months(candidate - ONE_DAY, -rules.quiet_months) >= latest:
        candidate -= ONE_DAY
    return candidate
