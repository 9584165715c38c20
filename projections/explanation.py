"""Why a partnership has its activeness on a day, and the first later day it would change.

Built on the one definition of counted activity (`projections.activeness.counted_activities`) and
the one activeness rule (`activeness`): the explanation lists what the rule read, and the next
change is found by asking the same rule on the few days where its answer can move.
"""

from __future__ import annotations

from datetime import date

from msgspec import Struct

from projections.activeness import (
    CountedActivity,
    activeness,
    counted_activities,
    substantive,
)
from projections.calendar import ONE_DAY, add_months
from projections.partnership import PartnershipState
from projections.rules import Rules


class CountedItem(Struct, frozen=True, kw_only=True):
    """One activity or signing within the windows, as the explanation lists it."""

    id: str
    kind: str
    document: str | None
    occurred_on: str
    ends_on: str | None
    indicator: int | None
    makes_aktif: bool  # substantive (indicators 2-5) and within the last A months


class NextChange(Struct, frozen=True):
    on: date
    to: str


class Explanation(Struct, frozen=True, kw_only=True):
    """`counted`: what the activeness rests on; `next_change`: when it moves if nothing more is recorded."""

    counted: list[CountedItem]
    next_change: NextChange | None


def _first_day_out(end: date, months: int) -> date | None:
    """The first day whose last `months` months no longer hold an activity ending on `end`.

    An activity is within the window of day d while end > add_months(d, -months); add_months is
    monotone but clamps month ends, so the day is found near add_months(end, months) exactly.
    None when the calendar ends first (an end near 9999 stored before dates were bounded).
    """
    day = add_months(end, months)
    if day >= date.max - ONE_DAY:
        return None
    while add_months(day - ONE_DAY, -months) >= end:
        day -= ONE_DAY
    while add_months(day, -months) < end:
        day += ONE_DAY
    return day


def next_change(activities: list[CountedActivity], day: date, rules: Rules) -> NextChange | None:
    """The first day after `day` whose activeness differs, counting only what has begun by `day`.

    With the record fixed, a window keeps an activity exactly until its first day out, and that day
    grows with the activity's last day: each window is left on the first day out of the latest
    last day among the activities it counts. The rule itself is asked on that day, so the answer
    cannot drift from `activeness`.
    """
    begun = [a for a in activities if a.start <= day]
    now = activeness(begun, day, rules)
    substantive_ends = [a.end for a in begun if substantive(a.indicator)]
    candidates = []
    if substantive_ends:
        candidates.append(_first_day_out(max(substantive_ends), rules.active_months))
    if begun:
        candidates.append(_first_day_out(max(a.end for a in begun), rules.quiet_months))
    for candidate in sorted(c for c in candidates if c is not None and c > day):
        later = activeness(begun, candidate, rules)
        if later != now:
            return NextChange(candidate, later)
    return None


def explain(state: PartnershipState, day: date, rules: Rules) -> Explanation:
    """The explanation of the activeness on `day` (nothing recorded after `day` is read)."""
    return explain_counted([a for a in counted_activities(state, rules) if a.start <= day], day, rules)


def explain_counted(activities: list[CountedActivity], day: date, rules: Rules) -> Explanation:
    """The explanation from the counted activities begun by `day` (as `status` has them at hand)."""
    active_after, quiet_after = add_months(day, -rules.active_months), add_months(day, -rules.quiet_months)
    items = [
        CountedItem(
            id=a.id,
            kind=a.kind,
            document=a.document,
            occurred_on=a.occurred_on,
            ends_on=a.ends_on,
            indicator=a.indicator,
            makes_aktif=substantive(a.indicator) and a.end > active_after,
        )
        for a in sorted(activities, key=lambda a: (a.start, a.end, a.id))
        if a.end > quiet_after
    ]
    return Explanation(counted=items, next_change=next_change(activities, day, rules))
