"""No catalogue type or date field can be forgotten: each type is folded or declared ignored, each date checked."""

from __future__ import annotations

import re

from events import catalogue
from events.catalogue import DateText, Payload
from projections import partnership

# A field named like a date (`held_on`, `valid_to`, `due_date`) is one, whatever its declared type.
_DATE_NAME = re.compile(r"(_on|^valid_\w+|_date|^date)\Z")


def _forgotten_types() -> list[str]:
    """Catalogue types that apply() neither folds nor declares ignored (or both folds and ignores)."""
    folded = set(partnership._HANDLERS) | {partnership.STARTS}
    return [name for name in catalogue.TYPES if (name in folded) == (name in partnership.IGNORED)] + sorted(
        set(partnership.IGNORED) - set(catalogue.TYPES)
    )


def _unchecked_dates() -> list[str]:
    """Date fields of catalogue types that the date rules do not check (type.field)."""
    out = []
    for name, cls in catalogue.TYPES.items():
        checked = set(catalogue.date_fields(cls))
        dated = {f for f in cls.__struct_fields__ if _DATE_NAME.search(f)}
        out += [f"{name}.{field}" for field in sorted(dated - checked)]
    return out


def test_every_catalogue_type_is_folded_or_declared_ignored():
    assert _forgotten_types() == []


def test_every_date_field_of_the_catalogue_is_checked_by_the_date_rules():
    assert _unchecked_dates() == []
    assert {name: catalogue.date_fields(cls) for name, cls in catalogue.TYPES.items()} == catalogue.DATE_FIELDS_OF
    assert catalogue.DATE_FIELDS_OF["ActivityPlanned"] == ("planned_on",)
    assert set(catalogue.DATE_FIELDS_OF["AgreementSigned"]) == {"valid_from", "valid_until"}


class MeetingHeld(Payload, frozen=True, kw_only=True):
    """A throwaway type: no fold handler, and a date typed as plain text."""

    held_on: str
    next_on: DateText | None = None


def test_a_throwaway_type_without_a_fold_handler_fails_the_check(monkeypatch):
    monkeypatch.setitem(catalogue.TYPES, "MeetingHeld", MeetingHeld)
    assert _forgotten_types() == ["MeetingHeld"]
    monkeypatch.setitem(partnership.IGNORED, "MeetingHeld", "a throwaway")
    assert _forgotten_types() == []


def test_a_throwaway_date_typed_as_plain_text_fails_the_check(monkeypatch):
    monkeypatch.setitem(catalogue.TYPES, "MeetingHeld", MeetingHeld)
    assert _unchecked_dates() == ["MeetingHeld.held_on"]  # next_on, a DateText, is checked
    assert catalogue.date_fields(MeetingHeld) == ("next_on",)


def test_ignoring_a_folded_type_fails_the_check(monkeypatch):
    monkeypatch.setitem(partnership.IGNORED, "ActivityLogged", "by mistake")
    assert _forgotten_types() == ["ActivityLogged"]
