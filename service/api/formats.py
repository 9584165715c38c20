"""Dates and times as the page's language writes them (Babel), times in PANTAU_TIMEZONE."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from jinja2 import pass_context

from events.dates import DAY, MONTH, PartialDate


def day(value, lang: str) -> str:
    """`5 Nov 2019`, a month as `Nov 2019`, a year as `2019`: never an invented last day."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = PartialDate.parse(value)
        except (ValueError, TypeError):
            return value
    if isinstance(value, PartialDate):
        if value.precision == DAY:
            return format_date(value.first, "d MMM y", locale=lang)
        if value.precision == MONTH:
            return format_date(value.first, "MMM y", locale=lang)
        return f"{value.first.year}"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_date(value, "d MMM y", locale=lang)
    return str(value)


def moment(value: datetime | None, lang: str, zone: ZoneInfo) -> str:
    """`1 Mar 2026 14:05 WIB`: a stored instant in the service's time zone."""
    if value is None:
        return "—"
    return format_datetime(value, "d MMM y HH:mm z", tzinfo=zone, locale=lang)


@pass_context
def day_filter(context, value) -> str:
    """Jinja filter `day` in the page's language."""
    return day(value, context.get("lang", "id"))


@pass_context
def moment_filter(context, value) -> str:
    """Jinja filter `moment` in the page's language and the service's time zone."""
    return moment(value, context.get("lang", "id"), context["zone"])


def install(env) -> None:
    """Give a Jinja environment the `day` and `moment` filters and the i18n extension."""
    env.add_extension("jinja2.ext.i18n")
    env.filters.update(day=day_filter, moment=moment_filter)
