"""Dates as Indonesian civil servants write them: "14 September 2009", "Maret 2019", "2012", "14/03/2019".

Strict, unlike `service/note_dates.py` (a reading aid for free text): a date read here becomes a
fact, so a day that does not exist ("31 Februari 2010") is refused with its reason, never moved.
The precision written is kept: "Maret 2019" is `2019-03`, "2012" is `2012`. Shared by the matrix
import and the page forms (service/api/form_input.py).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from events.dates import DAY, MONTH, YEAR, PartialDate

# Month words of both languages and their usual abbreviations (with or without a full stop).
MONTHS: dict[str, int] = {
    **{
        name: number
        for number, names in enumerate(
            (
                ("januari", "january", "jan"),
                ("februari", "pebruari", "february", "feb", "peb"),
                ("maret", "march", "mar"),
                ("april", "apr"),
                ("mei", "may"),
                ("juni", "june", "jun"),
                ("juli", "july", "jul"),
                ("agustus", "august", "agu", "agt", "ags", "aug"),
                ("september", "sept", "sep"),
                ("oktober", "october", "okt", "oct"),
                ("november", "nopember", "nov", "nop"),
                ("desember", "december", "des", "dec"),
            ),
            start=1,
        )
        for name in names
    }
}

_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
# ASCII digits only (events/numbers.py): `\d` also takes "١٤" (Arabic-Indic digits), which int() reads.
_D = "[0-9]"


def _forms(year: str, iso_month: bool) -> re.Pattern:
    """The written forms, longest first: a day and month word, a month word, numeric forms, a lone year."""
    return re.compile(
        rf"(?P<d1>{_D}{{1,2}})\s*(?P<m1>{_MONTH_WORD})\.?\s*(?P<y1>{year})"
        rf"|(?P<m7>{_MONTH_WORD})\.?\s+(?P<d7>{_D}{{1,2}}),?\s+(?P<y7>{year})"
        rf"|(?P<m2>{_MONTH_WORD})\.?\s+(?P<y2>{year})"
        rf"|(?P<y3>{year})-(?P<m3>{_D}{{1,2}})-(?P<d3>{_D}{{1,2}})"
        rf"|(?P<d4>{_D}{{1,2}})[/.-](?P<m4>{_D}{{1,2}})[/.-](?P<y4>{year})"
        rf"|(?P<m5>{_D}{{1,2}})/(?P<y5>{year})"
        + (rf"|(?P<y8>{year})-(?P<m8>{_D}{{2}})" if iso_month else "")
        + rf"|(?P<y6>{year})",
        re.IGNORECASE,
    )


# In running text (a matrix cell) only years of this and the last century count as dates, so a
# phone number's "0812" is none; a whole field is a date in any year, and its bounds are said apart.
_FORMS = _forms(f"(?:19|20){_D}{{2}}", iso_month=False)
_WHOLE = _forms(f"{_D}{{4}}", iso_month=True)


@dataclass(frozen=True)
class DateProblem(ValueError):
    """A written date that is no date: a catalogue key and its values, said in the user's language."""

    key: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.key} {self.params}"


@dataclass(frozen=True)
class Found:
    """A date met in a text: where it stands and what it is (or why it is none)."""

    start: int
    end: int
    text: str
    value: PartialDate | None
    problem: DateProblem | None = None


def _build(text: str, year: str, month: str | None, day: str | None) -> PartialDate:
    """The partial date of the parts written, or DateProblem when the day or month does not exist."""
    y = int(year)
    if y < 1:  # the calendar has no year 0
        raise DateProblem("wd.not_a_date", {"text": text})
    if month is None:
        return PartialDate(date(y, 1, 1), YEAR)
    m = MONTHS[month.lower()] if not month.isdigit() else int(month)
    if not 1 <= m <= 12:
        raise DateProblem("wd.no_month", {"text": text})
    if day is None:
        return PartialDate(date(y, m, 1), MONTH)
    d = int(day)
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        raise DateProblem("wd.no_day", {"text": text})
    return PartialDate(date(y, m, d), DAY)


def _parts(match: re.Match) -> tuple[str, str | None, str | None]:
    g = match.groupdict()
    for n in "12345678":
        if g.get(f"y{n}"):
            return g[f"y{n}"], g.get(f"m{n}"), g.get(f"d{n}")
    raise AssertionError("a match names a year")


def find_dates(text: str) -> Iterator[Found]:
    """Every date written in `text`, in order, each with its value or the reason it is none."""
    for match in _FORMS.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before.isalnum() or after.isalnum():
            continue  # part of a longer number or word ("12013", "2019an")
        year, month, day = _parts(match)
        try:
            yield Found(match.start(), match.end(), match.group(0), _build(match.group(0), year, month, day))
        except DateProblem as problem:
            yield Found(match.start(), match.end(), match.group(0), None, problem)


def read_date(text: str) -> PartialDate:
    """The date `text` is, whole ("14 September 2009", "March 14, 2019", "2019-03", "2012"), or DateProblem."""
    cleaned = " ".join(text.replace(",", " ").split())
    if not cleaned:
        raise DateProblem("wd.empty")
    match = _WHOLE.fullmatch(cleaned)
    if match is None:
        raise DateProblem("wd.not_a_date", {"text": text.strip()})
    year, month, day = _parts(match)
    return _build(cleaned, year, month, day)
