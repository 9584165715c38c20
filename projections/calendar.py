"""Calendar arithmetic used by the rules: whole months, clamped to the month's last day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); a day missing in the target month becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    # Past the calendar's ends (a term starting in 9999): the end of the calendar, never an error,
    # or one accepted event would make every later status answer fail.
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    month += 1
    if day.day <= 28:  # every month has the day: no month length to look up
        return date(year, month, day.day)
    return date(year, month, min(day.day, days_in_month(year, month)))


_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """How many days the month has (`calendar.monthrange` without the weekday it also computes)."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _LENGTHS[month - 1]


def term_end(start: date, years: int) -> date:
    """Last day in force of a term of `years` starting on `start` (the day before the same date later)."""
    return add_months(start, 12 * years) - ONE_DAY


def shift(day: date, days: int) -> date:
    """`day` moved by `days`, held at the calendar's ends instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
