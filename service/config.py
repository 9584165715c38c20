"""The rules file (`PANTAU_RULES`, TOML): windows, default terms and desks over built-in defaults.

Its shape is declared in service/rules_file.py; here the checked tables become the rules.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from types import MappingProxyType

from msgspec.structs import asdict

from notifications.alert_rules import AlertRules
from projections.rules import DEFAULT_TERMS, STALL_DAYS, Desk, Region, Rules
from service.rules_file import RulesFile, load_document, rules_file
from service.settings import SettingsError

__all__ = ["alert_rules", "load_document", "projection_rules"]


def projection_rules(document: dict) -> Rules:
    """Rules for the projections from a rules document, defaults where it is silent."""
    checked = rules_file(document)
    activeness = {k: v for k, v in asdict(checked.activeness).items() if v is not None}
    terms = dict(DEFAULT_TERMS)
    for document_type, years in checked.terms.items():
        if years is True:
            raise SettingsError(f"PANTAU_RULES: terms.{document_type} must be a number of years, or 0 for no end")
        terms[document_type] = years or None  # 0 or false: no end
    desks = tuple(Desk(i, d.name, d.email, tuple(d.countries)) for i, d in checked.desks.items())
    return replace(
        Rules(),
        **activeness,
        default_terms=MappingProxyType(terms),
        desks=desks,
        stall_days=MappingProxyType({**STALL_DAYS, **checked.drafts.stall_days}),
        regions=regions(checked),
    )


def regions(checked: RulesFile) -> tuple[Region, ...]:
    """The governments of the rules file's [regions."Name"] tables, for the yearly reports' letterheads."""
    out = []
    for name, region in checked.regions.items():
        given = {k: v.strip() for k, v in asdict(region).items() if v is not None}
        try:
            given.get("number", "").format(year=2000)
        except (KeyError, IndexError, ValueError):
            raise SettingsError(f"PANTAU_RULES: regions.{name}.number may name only {{year}}") from None
        out.append(Region(name, **given))
    return tuple(out)


# [alerts] keys holding a duration: the AlertRules field and the unit of the number.
_ALERT_DURATIONS = {
    "retry_first_minutes": ("retry_first", "minutes"),
    "retry_max_hours": ("retry_max", "hours"),
    "give_up_after_days": ("give_up_after", "days"),
    "lease_minutes": ("lease", "minutes"),
}


def alert_rules(document: dict) -> AlertRules:
    """The alert rules of a rules document's [alerts] table, defaults of docs/alerts.md where it is silent."""
    values: dict = {}
    for key, value in asdict(rules_file(document).alerts).items():
        if value is None:
            continue
        if key == "renewal_days":
            values[key] = tuple(sorted(set(value), reverse=True))
        elif key in _ALERT_DURATIONS:
            field, unit = _ALERT_DURATIONS[key]
            values[field] = timedelta(**{unit: value})
        else:
            values[key] = value
    return AlertRules(**values)
