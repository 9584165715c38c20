"""Dates and times as the page's language writes them (Babel), times in PANTAU_TIMEZONE."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from jinja2 import pass_context

from notifications.money import money
from notifications.translations import format_day


def day(value, lang: str) -> str:
    """`5 Nov 2019`, `Nov 2019`, `2019`: a day, month or year as the page's language writes it."""
    return format_day(value, lang)


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
    """Give a Jinja environment the `day`, `moment` and `money` filters and the i18n extension."""
    env.add_extension("jinja2.ext.i18n")
    env.filters.update(day=day_filter, moment=moment_filter, money=money)
