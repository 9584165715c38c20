"""The as-of day a page is asked for, written as people write dates, or why it is none.

The pages' filters (the matrix, the expiries, the pipeline, the matrix downloads) take the day
as the forms do (service/written_dates.py): "2021-12-27", "27/12/2021", "27 Desember 2021".
A month or a year alone means its last day, the state at the close of that month or year
("Desember 2021" is the matrix of 31 December 2021). The HTTP API keeps YYYY-MM-DD
(docs/interfaces.md); this is for people.
"""

from __future__ import annotations

from datetime import date

from events.dates import EARLIEST, YEARS_AHEAD
from service.api.deps import day_refused
from service.api.i18n import N_, translator
from service.written_dates import DateProblem, read_date


def page_day(text: str, today: date, lang: str = "id") -> tuple[date, str | None]:
    """The day `text` names (today when empty) and None, or today and the reason in `lang`."""
    text = text.strip()
    if not text:
        return today, None
    try:
        day: date | None = read_date(text).last
    except DateProblem:
        day = None
    if day is not None and day_refused(day, today) is None:
        return day, None
    span = {"earliest": EARLIEST.year, "latest": today.year + YEARS_AHEAD}
    return today, translator(lang)(N_("reason.as_of")) % {"value": text[:40], **span}
