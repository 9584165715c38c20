"""The rules file (`PANTAU_RULES`, TOML): windows, default terms and desks over built-in defaults."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from projections.rules import DEFAULT_TERMS, Desk, Rules
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
            raise SettingsError(f"PANTAU_RULES: terms.{document_type}: unknown document type "
                                f"(known: {', '.join(terms)})")
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
    return replace(rules, default_terms=MappingProxyType(terms), desks=tuple(desks))
