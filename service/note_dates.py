"""The date a note's text gives, if it gives exactly one: "7 Oktober 2016", "Oktober 2016", "tahun 2019", "2018–2019".

Month names and their abbreviations are read by dateparser (Indonesian first, then English, as
the matrices mix both). It sits in the service layer, not in projections: it loads language data
on first use and is a reading aid for a person, never part of a fold. Wrapped so that a text that
could mean several dates gives none rather than a wrong one: two different dates, a date named as
a target or a cut-off ("menuju … 2019", "Per Oktober 2021"), or one after the note was recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from events.dates import PartialDate
from projections.notes import READ_LIMIT

_RANGE = re.compile(r"\b((?:19|20)[0-9]{2})\s*(?:[–—-]|s\.?d\.?|sampai|hingga)\s*((?:19|20)[0-9]{2})\b", re.IGNORECASE)
_SPAN = re.compile(r"(?:\b([0-9]{1,2})\s+)?(?:\b([A-Za-z]{3,}\.?)\s+)?\b((?:19|20)[0-9]{2})\b")
# Words before a date that make it something else than when the activity happened.
_NOT_WHEN = re.compile(
    r"\b(per|menuju|target|targetnya|hingga|sampai|s\.d\.?|sebelum|batas|deadline)\W*"
    r"(?:\w+\W+){0,6}$",
    re.IGNORECASE,
)
_FIXED_BASE = datetime(2000, 1, 1)  # relative words must not read the clock: a note is absolute or nothing


@dataclass(frozen=True, slots=True)
class NoteDate:
    """The period a note's text gives: occurred_on, and ends_on for a span of years."""

    occurred_on: str
    ends_on: str | None = None


@cache
def _parser():
    # Imported on first use: dateparser loads its language data, which `pantau --help` need not.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["id", "en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"], "RELATIVE_BASE": _FIXED_BASE},
    )


def _one(day: str | None, word: str | None, year: str) -> str | None:
    """A span's partial date: to the day, month or year, as precise as its words."""
    if word is None or word.lower() == "tahun":
        return year if day is None else None  # "12 2019" is no date
    text = " ".join(p for p in (day, word.rstrip("."), year) if p)
    found = _parser().get_date_data(text)
    if found.date_obj is None or found.date_obj.year != int(year):
        return year if day is None else None  # "Kota 2019": a word that is no month leaves the year
    if found.period == "day" and day is not None:
        return found.date_obj.date().isoformat()
    if found.period == "month" and day is None:
        return found.date_obj.strftime("%Y-%m")
    return None


def note_date(text: str, recorded_on: date) -> NoteDate | None:
    """The one date (or span of years) the text gives for what it records, or None when none or unsure."""
    text = text[:READ_LIMIT]
    spans = _RANGE.findall(text)
    if spans:
        (first, last), rest = spans[0], _RANGE.sub(" ", text)
        if len(spans) > 1 or _SPAN.search(rest) or int(first) > int(last) or int(last) > recorded_on.year:
            return None
        return NoteDate(first, last)
    found = set()
    for match in _SPAN.finditer(text):
        if _NOT_WHEN.search(text[: match.start()]):
            return None
        value = _one(*match.groups())
        if value is None:
            return None
        found.add(value)
    if len(found) != 1:
        return None
    value = found.pop()
    if PartialDate.parse(value).first > recorded_on:
        return None
    return NoteDate(value)
