"""The rules file (`PANTAU_RULES`, TOML): windows, default terms and desks over built-in defaults."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType

from notifications.alert_rules import AlertRules
from projections.rules import DEFAULT_TERMS, STALL_DAYS, Desk, Region, Rules
from service.settings import SettingsError

_ACTIVENESS_KEYS = {"active_months", "quiet_months"}


def load_document(path: str | None) -> dict:
    """The parsed TOML rules file, or an empty document when none is configured."""
    if not path:
        return {}
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"PANTAU_RULES: no such file {path!r}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"PANTAU_RULES: {path}: {exc}") from None


def projection_rules(document: dict) -> Rules:
    """Rules for the projections from a rules document, defaults where it is silent."""
    rules = Rules()
    activeness = document.get("activeness", {})
    unknown = set(activeness) - _ACTIVENESS_KEYS
    if unknown:
        raise SettingsError(f"PANTAU_RULES: [activeness] has unknown keys: {', '.join(sorted(unknown))}")
    for key in _ACTIVENESS_KEYS & set(activeness):
        value = activeness[key]
        if not isinstance(value, int) or value < 1:
            raise SettingsError(f"PANTAU_RULES: activeness.{key} must be a positive whole number of months")
    rules = replace(rules, **{k: activeness[k] for k in _ACTIVENESS_KEYS & set(activeness)})
    terms = dict(DEFAULT_TERMS)
    for document_type, years in document.get("terms", {}).items():
        if document_type not in terms:
            raise SettingsError(
                f"PANTAU_RULES: terms.{document_type}: unknown document type (known: {', '.join(terms)})"
            )
        if years is False or years == 0:
            terms[document_type] = None  # TOML has no null: 0 or false means "no end"
        elif isinstance(years, int) and not isinstance(years, bool) and years > 0:
            terms[document_type] = years
        else:
            raise SettingsError(f"PANTAU_RULES: terms.{document_type} must be a number of years, or 0 for no end")
    desks = []
    for desk_id, desk in document.get("desks", {}).items():
        if not isinstance(desk, dict):
            raise SettingsError(f"PANTAU_RULES: desks.{desk_id} must be a table")
        countries = desk.get("countries", [])
        if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
            raise SettingsError(f"PANTAU_RULES: desks.{desk_id}.countries must be a list of country codes")
        desks.append(Desk(desk_id, desk.get("name"), desk.get("email"), tuple(countries)))
    return replace(
        rules,
        default_terms=MappingProxyType(terms),
        desks=tuple(desks),
        stall_days=stall_days(document),
        regions=regions(document),
    )


_REGION_KEYS = ("government", "office", "address", "place", "signer", "signer_name", "signer_id", "number")


def regions(document: dict) -> tuple[Region, ...]:
    """The governments of the rules file's [regions."Name"] tables, for the yearly reports' letterheads."""
    table = document.get("regions", {})
    if not isinstance(table, dict):
        raise SettingsError('PANTAU_RULES: [regions] must hold one table per region, e.g. [regions."Jawa Barat"]')
    out = []
    for name, region in table.items():
        if not isinstance(region, dict):
            raise SettingsError(f"PANTAU_RULES: regions.{name} must be a table")
        unknown = set(region) - set(_REGION_KEYS)
        if unknown:
            raise SettingsError(f"PANTAU_RULES: regions.{name} has unknown keys: {', '.join(sorted(unknown))}")
        for key, value in region.items():
            if not isinstance(value, str) or not value.strip():
                raise SettingsError(f"PANTAU_RULES: regions.{name}.{key} must be a text")
        try:
            region.get("number", "").format(year=2000)
        except (KeyError, IndexError, ValueError):
            raise SettingsError(f"PANTAU_RULES: regions.{name}.number may name only {{year}}") from None
        out.append(Region(name, **{key: region[key].strip() for key in region}))
    return tuple(out)


def stall_days(document: dict) -> MappingProxyType:
    """Days a draft may wait per step ([drafts.stall_days] of the rules file), docs/lifecycle.md's defaults elsewhere."""
    table = document.get("drafts", {})
    if not isinstance(table, dict) or set(table) - {"stall_days"}:
        raise SettingsError("PANTAU_RULES: [drafts] may hold only the table stall_days")
    given = table.get("stall_days", {})
    if not isinstance(given, dict):
        raise SettingsError("PANTAU_RULES: drafts.stall_days must be a table of step = days")
    days = dict(STALL_DAYS)
    for step, value in given.items():
        if step not in days:
            raise SettingsError(f"PANTAU_RULES: drafts.stall_days.{step}: unknown step (known: {', '.join(days)})")
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 3650:
            raise SettingsError(f"PANTAU_RULES: drafts.stall_days.{step} must be a whole number of days from 1 to 3650")
        days[step] = value
    return MappingProxyType(days)


_ALERT_NUMBERS = {  # key: (smallest allowed, largest allowed)
    "lapsed_days": (0, 3650),
    "dormancy_warning_days": (0, 3650),
    "digest_day": (1, 28),
    "horizon_months": (1, 120),
    "daily_hour": (0, 23),
    "digest_lapsed_years": (0, 100),
}
_ALERT_DURATIONS = {
    "retry_first_minutes": ("retry_first", "minutes"),
    "retry_max_hours": ("retry_max", "hours"),
    "give_up_after_days": ("give_up_after", "days"),
    "lease_minutes": ("lease", "minutes"),
}


def alert_rules(document: dict) -> AlertRules:
    """The alert rules of a rules document's [alerts] table, defaults of docs/alerts.md where it is silent."""
    table = document.get("alerts", {})
    if not isinstance(table, dict):
        raise SettingsError("PANTAU_RULES: [alerts] must be a table")
    known = {"renewal_days", "sender", *_ALERT_NUMBERS, *_ALERT_DURATIONS}
    unknown = set(table) - known
    if unknown:
        raise SettingsError(f"PANTAU_RULES: [alerts] has unknown keys: {', '.join(sorted(unknown))}")
    values: dict = {}
    if "renewal_days" in table:
        days = table["renewal_days"]
        if not isinstance(days, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in days
        ):
            raise SettingsError("PANTAU_RULES: alerts.renewal_days must be a list of whole numbers of days")
        values["renewal_days"] = tuple(sorted(set(days), reverse=True))
    for key, (low, high) in _ALERT_NUMBERS.items():
        if key in table:
            value = table[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise SettingsError(f"PANTAU_RULES: alerts.{key} must be a whole number from {low} to {high}")
            values[key] = value
    for key, (field, unit) in _ALERT_DURATIONS.items():
        if key in table:
            value = table[key]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise SettingsError(f"PANTAU_RULES: alerts.{key} must be a positive number")
            values[field] = timedelta(**{unit: value})
    if "sender" in table:
        if not isinstance(table["sender"], str) or "@" not in table["sender"]:
            raise SettingsError("PANTAU_RULES: alerts.sender must be an e-mail address")
        values["sender"] = table["sender"]
    return AlertRules(**values)
