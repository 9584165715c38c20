"""Partial dates shown as people write them: "2019", "Nov 2019", "5 Nov 2019" (never an invented day)."""

from __future__ import annotations

from datetime import date

from events.dates import DAY, MONTH, PartialDate

_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def shown(value: str | date | PartialDate | None, lang: str) -> str:
    """The date at the precision it was written, in the page's language; text that is no date as is."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        value = PartialDate(value, DAY)
    elif not isinstance(value, PartialDate):
        try:
            value = PartialDate.parse(str(value))
        except ValueError:
            return str(value)
    months = _MONTHS.get(lang, _MONTHS["id"])
    first = value.first
    if value.precision == DAY:
        return f"{first.day} {months[first.month - 1]} {first.year}"
    if value.precision == MONTH:
        return f"{months[first.month - 1]} {first.year}"
    return str(first.year)


def shower(lang: str):
    """`shown` bound to a language, for templates."""
    return lambda value: shown(value, lang)
