"""The rules file's shape (`PANTAU_RULES`, TOML), declared once as msgspec Structs and checked key by key.

msgspec converts and validates each value against its declared type (whole numbers, bounds,
texts, lists); the walk below names the key a refusal is about, so that the message never has to
be read back. A field left out is None here: the defaults live where the rules do
(projections/rules.py, notifications/alert_rules.py). Every refusal is a SettingsError at start.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct

from events.vocabulary import DOCUMENTS, PIPELINE_STEPS
from service.settings import SettingsError

Months = Annotated[int, Meta(ge=1, description="a positive whole number of months")]
# TOML has no null: 0 or false means "no end".
Years = Annotated[int, Meta(ge=0, le=100, description="a number of years, or 0 for no end")] | bool
Text = Annotated[str, Meta(pattern=r"\S", description="a text")]
Countries = Annotated[list[str], Meta(description="a list of country codes")]
StallDays = Annotated[int, Meta(ge=1, le=3650, description="a whole number of days from 1 to 3650")]
Days = Annotated[int, Meta(ge=0, le=3650, description="a whole number from 0 to 3650")]
Positive = Annotated[float, Meta(gt=0, description="a positive number")]
DigestDay = Annotated[int, Meta(ge=1, le=28, description="a whole number from 1 to 28")]
HorizonMonths = Annotated[int, Meta(ge=1, le=120, description="a whole number from 1 to 120")]
Hour = Annotated[int, Meta(ge=0, le=23, description="a whole number from 0 to 23")]
LapsedYears = Annotated[int, Meta(ge=0, le=100, description="a whole number from 0 to 100")]
DaysList = Annotated[list[Annotated[int, Meta(ge=0)]], Meta(description="a list of whole numbers of days")]
Address = Annotated[str, Meta(pattern="@", description="an e-mail address")]


class Activeness(Struct, frozen=True, forbid_unknown_fields=True):
    """[activeness]: the windows of the activeness rule."""

    active_months: Months | None = None
    quiet_months: Months | None = None


class DeskTable(Struct, frozen=True, forbid_unknown_fields=True):
    """[desks.<id>]: an embassy or consulate desk."""

    name: str | None = None
    email: str | None = None
    countries: Countries = []


class RegionTable(Struct, frozen=True, forbid_unknown_fields=True):
    """[regions."<name>"]: a government's letterhead for the yearly reports."""

    government: Text | None = None
    office: Text | None = None
    address: Text | None = None
    place: Text | None = None
    signer: Text | None = None
    signer_name: Text | None = None
    signer_id: Text | None = None
    number: Text | None = None


class Drafts(Struct, frozen=True, forbid_unknown_fields=True):
    """[drafts]: how long a draft may wait at each step."""

    stall_days: dict[str, StallDays] = {}


class Alerts(Struct, frozen=True, forbid_unknown_fields=True):
    """[alerts]: the numbers of docs/alerts.md that configuration may change."""

    renewal_days: DaysList | None = None
    lapsed_days: Days | None = None
    dormancy_warning_days: Days | None = None
    digest_day: DigestDay | None = None
    horizon_months: HorizonMonths | None = None
    daily_hour: Hour | None = None
    digest_lapsed_years: LapsedYears | None = None
    retry_first_minutes: Positive | None = None
    retry_max_hours: Positive | None = None
    give_up_after_days: Positive | None = None
    lease_minutes: Positive | None = None
    sender: Address | None = None


class RulesFile(Struct, frozen=True, forbid_unknown_fields=True):
    """The whole rules file: every table optional."""

    activeness: Activeness = Activeness()
    terms: dict[str, Years] = {}
    desks: dict[str, DeskTable] = {}
    regions: dict[str, RegionTable] = {}
    drafts: Drafts = Drafts()
    alerts: Alerts = Alerts()


# The keys a table of names may hold (the vocabulary's words), by the table's path.
_NAMES = {"terms": DOCUMENTS, "drafts.stall_days": PIPELINE_STEPS}
_WHAT = {"terms": "document type", "drafts.stall_days": "step"}


def load_document(path: str | None) -> dict:
    """The parsed TOML rules file, or an empty document when none is configured."""
    if not path:
        return {}
    try:
        return msgspec.toml.decode(Path(path).read_bytes())
    except FileNotFoundError:
        raise SettingsError(f"PANTAU_RULES: no such file {path!r}") from None
    except msgspec.DecodeError as exc:
        raise SettingsError(f"PANTAU_RULES: {path}: {exc}") from None


def rules_file(document: dict) -> RulesFile:
    """The rules document checked against its declared shape; SettingsError names the key and the reason."""
    return _read(document, RulesFile, "")


def _read(value: object, kind: Any, path: str) -> Any:
    """`value` as `kind`: a Struct and a table of names walked key by key, anything else converted by msgspec."""
    if isinstance(kind, type) and issubclass(kind, Struct):
        table = _table(value, path)
        fields = {f.name: f.type for f in msgspec.structs.fields(kind)}
        unknown = set(table) - set(fields)
        if unknown:
            where = path if "." in path else f"[{path}]" if path else "the file"
            raise SettingsError(f"PANTAU_RULES: {where} has unknown keys: {', '.join(sorted(unknown))}")
        return kind(**{key: _read(item, fields[key], _joined(path, key)) for key, item in table.items()})
    if typing.get_origin(kind) is dict:
        table = _table(value, path)
        known = _NAMES.get(path)
        for key in table:
            if known is not None and key not in known:
                said = f"unknown {_WHAT[path]} (known: {', '.join(known)})"
                raise SettingsError(f"PANTAU_RULES: {path}.{key}: {said}")
        item_kind = typing.get_args(kind)[1]
        return {key: _read(item, item_kind, f"{path}.{key}") for key, item in table.items()}
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"PANTAU_RULES: {path} must be {_described(kind)} ({exc})") from None


def _table(value: object, path: str) -> dict:
    if not isinstance(value, dict):
        raise SettingsError(f"PANTAU_RULES: {path} must be a table")
    return value


def _joined(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _described(kind: Any) -> str:
    """What a declared type accepts, in words (its Meta's description)."""
    for part in (kind, *typing.get_args(kind)):
        for meta in typing.get_args(part)[1:] if typing.get_origin(part) is Annotated else ():
            if isinstance(meta, Meta) and meta.description:
                return meta.description
    return "of its declared type"
