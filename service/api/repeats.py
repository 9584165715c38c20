"""When a new activity repeats one recorded already, as data: the form asks before storing it (docs/forms.md).

A browser's Back can bring a form back fresh (a new form key, today's date), so the same activity
sent again need not carry the same date: an activity of the same kind and title recorded on the
partnership within the last few days is asked about too, whatever its date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Repeat:
    """A rule: the data keys that must be equal (text compared without case), the date too or not,
    and how recently the earlier one was recorded (None: whenever)."""

    same: tuple[str, ...]
    same_date: bool = True
    recorded_within: timedelta | None = None


REPEATS: tuple[Repeat, ...] = (
    Repeat(("kind", "title")),  # the same activity on the same day, recorded whenever
    Repeat(("kind", "title"), same_date=False, recorded_within=timedelta(days=3)),  # Back and submit again
)


def _same(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().casefold() == b.strip().casefold()
    return (a or None) == (b or None)


def repeated(activities, recorded: dict[str, datetime], data: dict, occurred_on: str, now: datetime):
    """The first recorded, unretracted activity the new one repeats under any rule, or None.

    `recorded` holds when each activity was logged, by its id.
    """
    for activity in activities:
        if activity.retracted:
            continue
        for rule in REPEATS:
            if not all(_same(getattr(activity, key, None), data.get(key)) for key in rule.same):
                continue
            if rule.same_date and activity.occurred_on != occurred_on:
                continue
            at = recorded.get(activity.activity_id)
            if rule.recorded_within is not None and (at is None or now - at > rule.recorded_within):
                continue
            return activity
    return None
