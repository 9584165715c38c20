"""Partial dates: `2020-10-05`, `2020-12` or `2012`, each standing for its whole period."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

import msgspec

DAY, MONTH, YEAR = "day", "month", "year"

# ASCII digits only: `\d` alone also takes "٢٠٢١" (Arabic-Indic digits), which int() would read.
_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")

# The dates the catalogue accepts (docs/input-limits.md): nothing before the Republic, nothing more
# than a century past the day it is recorded (an end date of 9999-12-31 is a typing slip, and
# arithmetic on it runs off the calendar).
EARLIEST = date(1945, 1, 1)
YEARS_AHEAD = 100


def year_in_range(year: int, today: date) -> bool:
    """Whether `year` lies within the dates the catalogue accepts on `today` (1945 to +100 years)."""
    return EARLIEST.year <= year <= today.year + YEARS_AHEAD


@lru_cache(maxsize=16)  # once per recording day: a bulk import asks for every date it checks
def latest_day(today: date) -> date:
    """The last day a date recorded on `today` may name: the same day 100 years later."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February into a common year
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


class DateError(ValueError):
    """A text that is no partial date, with its refusal's code and parameters (docs/refusals.md)."""

    def __init__(self, reason: str, code: str, **params: object):
        super().__init__(reason)
        self.code, self.params = code, params


def out_of_range(value: PartialDate, today: date) -> DateError | None:
    """Why a date lies outside what the catalogue accepts, or None when it is within."""
    if value.first < EARLIEST:
        said = f"{value} is before {EARLIEST.year}: the earliest year accepted"
        return DateError(said, "too_early", value=str(value), earliest=EARLIEST.year)
    last = latest_day(today)
    if value.last > last:
        said = f"{value} is after {last.isoformat()}, {YEARS_AHEAD} years past the day it is recorded"
        return DateError(said, "too_late", value=str(value), latest=last.isoformat())
    return None


_PARSED: dict[str, PartialDate] = {}  # text -> its date (PartialDate is immutable, so shared)
_PARSED_KEPT = 50_000


class PartialDate(msgspec.Struct, frozen=True, order=True, gc=False):
    """A date known to the day, the month or the year; it sorts at its first day."""

    first: date
    precision: str = DAY

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, raising ValueError with the reason."""
        # A record names far fewer days than it holds events: a bulk import parses each once.
        known = _PARSED.get(text) if type(text) is str and cls is PartialDate else None
        if known is not None:
            return known
        parsed = cls._parse(text)
        if cls is PartialDate:
            if len(_PARSED) >= _PARSED_KEPT:
                _PARSED.clear()
            _PARSED[text] = parsed
        return parsed

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        if not isinstance(text, str):
            raise DateError("expected a date as a string (YYYY, YYYY-MM or YYYY-MM-DD)", "date_form")
        if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
            try:  # the common case, in C
                return cls(date.fromisoformat(text), DAY)
            except ValueError:
                pass  # fall through for the precise reason
        m = _PATTERN.fullmatch(text)  # not match: `$` also matches before a trailing "\n"
        if not m:
            said = f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
            raise DateError(said, "not_a_date" if text else "date_missing", value=text)
        year, month, day = m.groups()
        try:
            if day is not None:
                return cls(date(int(year), int(month), int(day)), DAY)
            if month is not None:
                return cls(date(int(year), int(month), 1), MONTH)
            return cls(date(int(year), 1, 1), YEAR)
        except ValueError as exc:
            raise DateError(f"{text!r} is not a valid date: {exc}", "not_a_day", value=text) from None

    @property
    def last(self) -> date:
        """The last day of the period this date stands for."""
        if self.precision == DAY:
            return self.first
        if self.precision == MONTH:
            days = calendar.monthrange(self.first.year, self.first.month)[1]
            return self.first.replace(day=days)
        return self.first.replace(month=12, day=31)

    def __str__(self) -> str:
        if self.precision == DAY:
            return self.first.isoformat()
        if self.precision == MONTH:
            return self.first.isoformat()[:7]
        return f"{self.first.year:04d}"
