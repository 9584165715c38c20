"""The mapper: JSON in and out, stable type names, schema versions and upcasters."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, timezone

import msgspec

from events.catalogue import DATE_FIELDS, TYPES
from events.dates import PartialDate
from events.errors import FieldError, InvalidEvent, from_msgspec
from events.model import Event

SCHEMA_VERSION = 1
STREAM = re.compile(r"^[a-z0-9][a-z0-9-]{2,79}$")

# (type, stored schema version) -> function returning (type, data) one version up. Catalogue v1
# has none; a v2 adds entries here instead of rewriting stored events.
Upcaster = Callable[[dict], tuple[str, dict]]
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


class _Wire(msgspec.Struct):
    """The envelope as it arrives; store-assigned fields (position, …) are ignored on input."""

    stream: str
    type: str
    occurred_on: str
    data: dict = {}
    meta: dict = {}
    id: str | None = None


_decoder = msgspec.json.Decoder(_Wire)
_encoder = msgspec.json.Encoder()
_dict_decoder = msgspec.json.Decoder(dict)


def upcast(type_name: str, schema_version: int, data: dict) -> tuple[str, dict]:
    """Bring a stored event's type and data up to the current schema version."""
    while schema_version < SCHEMA_VERSION:
        type_name, data = UPCASTERS[(type_name, schema_version)](data)
        schema_version += 1
    return type_name, data


def decode(raw: bytes | str, today: date, *, new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> Event:
    """Parse and validate one JSON envelope, raising InvalidEvent with every reason found."""
    try:
        wire = _decoder.decode(raw)
    except msgspec.ValidationError as exc:
        raise InvalidEvent([from_msgspec(str(exc))]) from None
    except msgspec.DecodeError as exc:
        raise InvalidEvent([FieldError("json", f"not valid JSON: {exc}")]) from None
    return validate(wire.stream, wire.type, wire.occurred_on, wire.data, wire.meta, wire.id,
                    today, new_id=new_id)


def from_dict(obj: object, today: date, *, new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> Event:
    """Validate an already-parsed JSON object as an event envelope."""
    try:
        wire = msgspec.convert(obj, _Wire)
    except msgspec.ValidationError as exc:
        raise InvalidEvent([from_msgspec(str(exc))]) from None
    return validate(wire.stream, wire.type, wire.occurred_on, wire.data, wire.meta, wire.id,
                    today, new_id=new_id)


def validate(stream: str, type_name: str, occurred_on: str, data: dict, meta: dict,
             event_id: str | None, today: date, *,
             new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> Event:
    """Check an envelope against the catalogue; `today` is the recording day for the future-date rule."""
    errors: list[FieldError] = []
    if event_id is None:
        event_id = new_id()
    else:
        try:
            event_id = str(uuid.UUID(event_id))
        except ValueError:
            errors.append(FieldError("id", f"{event_id!r} is not a UUID"))
    if not STREAM.fullmatch(stream):  # fullmatch: `$` alone lets "abc\n" through
        errors.append(FieldError("stream", f"{stream!r} is not a partnership id "
                                 "(lowercase letters, digits and '-', 3 to 80 characters)"))
    when = None
    try:
        when = PartialDate.parse(occurred_on)
        if when.first > today:
            errors.append(FieldError("occurred_on", f"{occurred_on} is after {today.isoformat()}, "
                                     "the day it is recorded: events record what has happened"))
    except ValueError as exc:
        errors.append(FieldError("occurred_on", str(exc)))
    payload = None
    if type_name not in TYPES:
        errors.append(FieldError("type", f"unknown event type {type_name!r}; known types: "
                                 + ", ".join(TYPES)))
    else:
        try:
            payload = msgspec.convert(data, TYPES[type_name])
        except msgspec.ValidationError as exc:
            errors.append(from_msgspec(str(exc), "data"))
        else:
            errors.extend(_check_dates(payload, when, today))
    if errors:
        raise InvalidEvent(errors)
    return Event(id=event_id, stream=stream, type=type_name, occurred_on=when, data=data,
                 meta=meta, payload=payload)


def _check_dates(payload, when: PartialDate | None, today: date) -> list[FieldError]:
    """Partial-date fields must be real dates and in a sensible order."""
    errors, parsed = [], {}
    for name in DATE_FIELDS:
        value = getattr(payload, name, None)
        if value is None:
            continue
        try:
            parsed[name] = PartialDate.parse(value)
        except ValueError as exc:
            errors.append(FieldError(f"data.{name}", str(exc)))
    if "occurred_on" in parsed and parsed["occurred_on"].first > today:
        errors.append(FieldError("data.occurred_on", f"{parsed['occurred_on']} is after "
                                 f"{today.isoformat()}: events record what has happened"))
    start = parsed.get("valid_from") or parsed.get("occurred_on") or when
    if "valid_until" in parsed and start and parsed["valid_until"].last < start.first:
        errors.append(FieldError("data.valid_until", f"{parsed['valid_until']} is before {start}"))
    # A correction's own date is when the record was fixed, not when the activity began: its
    # ends_on is checked against its data.occurred_on only (the fold knows the rest).
    begun = parsed.get("occurred_on") or (None if "occurred_on" in payload.__struct_fields__ else when)
    if "ends_on" in parsed and begun and parsed["ends_on"].last < begun.first:
        errors.append(FieldError("data.ends_on", f"{parsed['ends_on']} is before {begun}"))
    return errors


def to_wire(event: Event) -> dict:
    """The JSON object of an event as exported and returned by the API."""
    out = {"id": event.id, "stream": event.stream, "type": event.type,
           "occurred_on": str(event.occurred_on), "data": event.data, "meta": event.meta}
    if event.position is not None:
        out["position"] = event.position
        out["version"] = event.version
        out["recorded_at"] = format_timestamp(event.recorded_at)
    return out


def format_timestamp(moment: datetime) -> str:
    """UTC timestamp as `2021-12-27T08:00:00.123456Z`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def encode_json(obj: object) -> str:
    """Compact JSON text, as stored in the `data` and `meta` columns."""
    return _encoder.encode(obj).decode()


def encode_line(event: Event) -> bytes:
    """One JSON Lines record of an event."""
    return _encoder.encode(to_wire(event)) + b"\n"


def decode_json(text: str | bytes) -> dict:
    """Decode a stored JSON object column."""
    return _dict_decoder.decode(text)


def from_row(position: int, event_id: str, stream: str, version: int, type_name: str,
             first: date, precision: str, data: str, meta: str, recorded_at: datetime,
             schema_version: int = SCHEMA_VERSION) -> Event:
    """Rebuild a stored event from its row; stored events were validated when written."""
    data_obj = _dict_decoder.decode(data)
    if schema_version < SCHEMA_VERSION:
        type_name, data_obj = upcast(type_name, schema_version, data_obj)
    payload = msgspec.convert(data_obj, TYPES[type_name])
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=timezone.utc)
    return Event(id=event_id, stream=stream, type=type_name,
                 occurred_on=PartialDate(first, precision), data=data_obj,
                 meta=_dict_decoder.decode(meta), payload=payload, position=position,
                 version=version, recorded_at=recorded_at)
