"""The mapper: JSON in and out, stable type names, schema versions and upcasters."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, timezone

import msgspec

from events.addresses import address_error
from events.catalogue import DATE_FIELDS_OF, EMAIL_FIELDS_OF, TYPES
from events.dates import PartialDate, out_of_range
from events.errors import FieldError, InvalidEvent, from_msgspec
from events.json_keys import repeated_keys
from events.model import Event, Fact
from events.text import raw_text_errors

SCHEMA_VERSION = 1
STREAM = re.compile(r"^[a-z0-9][a-z0-9-]{2,79}$")
_CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# (type, stored schema version) -> function returning (type, data) one version up. Catalogue v1
# has none; a v2 adds entries here instead of rewriting stored events.
Upcaster = Callable[[dict], tuple[str, dict]]
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


class _Wire(msgspec.Struct):
    """The envelope as it arrives; store-assigned fields (position, …) are ignored on input.

    `data` and `meta` stay raw JSON: validated against the payload type, stored as given.
    """

    stream: str
    type: str
    occurred_on: str
    data: msgspec.Raw = msgspec.Raw(b"{}")
    meta: msgspec.Raw = msgspec.Raw(b"{}")
    id: str | None = None


_decoder = msgspec.json.Decoder(_Wire)
_encoder = msgspec.json.Encoder()
_dict_decoder = msgspec.json.Decoder(dict)
_payload_decoders = {name: msgspec.json.Decoder(cls) for name, cls in TYPES.items()}


def upcast(type_name: str, schema_version: int, data: dict) -> tuple[str, dict]:
    """Bring a stored event's type and data up to the current schema version."""
    while schema_version < SCHEMA_VERSION:
        type_name, data = UPCASTERS[(type_name, schema_version)](data)
        schema_version += 1
    return type_name, data


def decode(raw: bytes | str, today: date, *, new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> Event:
    """Parse and validate one JSON envelope, raising InvalidEvent with every reason found."""
    return _decode(raw, today, new_id, keys_unique=False)


def _decode(raw: bytes | str, today: date, new_id: Callable[[], str], keys_unique: bool) -> Event:
    """decode; `keys_unique` when `raw` was encoded here from a dict, which cannot repeat a key."""
    try:
        wire = _decoder.decode(raw)
    except msgspec.ValidationError as exc:
        raise InvalidEvent([from_msgspec(str(exc))]) from None
    except msgspec.DecodeError as exc:
        raise InvalidEvent([FieldError("json", f"not valid JSON: {exc}")]) from None
    # msgspec checks UTF-8 only in the strings it decodes: a key the payload type does not know,
    # or anything in meta, can hold bytes that are no text at all.
    # A repeated key is refused: the payload is checked on its last value, the bytes stored hold all.
    errors: list[FieldError] = [] if keys_unique else repeated_keys(raw)
    data, meta = _text(wire.data, "data", errors), _text(wire.meta, "meta", errors)
    return _validate(wire.stream, wire.type, wire.occurred_on, data, meta, wire.id, today, new_id, errors)


def _text(raw: msgspec.Raw, field: str, errors: list[FieldError]) -> str | None:
    """The JSON text of `raw`, or None with an error noted when it is not UTF-8."""
    try:
        return str(raw, "utf-8")
    except UnicodeDecodeError as exc:
        errors.append(FieldError(field, f"not valid UTF-8: {exc.reason} at byte {exc.start}"))
        return None


def from_dict(obj: object, today: date, *, new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> Event:
    """Validate an already-parsed JSON object as an event envelope."""
    if not isinstance(obj, dict):
        raise InvalidEvent([FieldError("event", "expected a JSON object")])
    return _decode(_encoder.encode(obj), today, new_id, keys_unique=True)


def _validate(
    stream: str,
    type_name: str,
    occurred_on: str,
    data: str | None,
    meta: str | None,
    event_id: str | None,
    today: date,
    new_id: Callable[[], str],
    errors: list[FieldError],
) -> Event:
    """Check an envelope against the catalogue; `today` is the recording day for the future-date rule.

    `data` and `meta` are None when they were not text (`errors` then says so already).
    """
    if event_id is None:
        event_id = new_id()
    elif not _CANONICAL_UUID.fullmatch(event_id):
        try:
            event_id = str(uuid.UUID(event_id))
        except (ValueError, TypeError):
            errors.append(FieldError("id", f"{event_id!r} is not a UUID"))
    if not STREAM.fullmatch(stream):  # fullmatch: `$` alone lets "abc\n" through
        errors.append(
            FieldError(
                "stream", f"{stream!r} is not a partnership id (lowercase letters, digits and '-', 3 to 80 characters)"
            )
        )
    when = None
    try:
        when = PartialDate.parse(occurred_on)
        if (reason := out_of_range(when, today)) is not None:
            errors.append(FieldError("occurred_on", reason))
        elif when.first > today:
            errors.append(
                FieldError(
                    "occurred_on",
                    f"{occurred_on} is after {today.isoformat()}, "
                    "the day it is recorded: events record what has happened",
                )
            )
    except ValueError as exc:
        errors.append(FieldError("occurred_on", str(exc)))
    payload = None
    if type_name not in TYPES:
        errors.append(FieldError("type", f"unknown event type {type_name!r}; known types: " + ", ".join(TYPES)))
    elif data is not None:
        try:
            payload = _payload_decoders[type_name].decode(data)
        except msgspec.ValidationError as exc:
            errors.append(from_msgspec(str(exc), "data"))
        except msgspec.DecodeError as exc:
            errors.append(FieldError("data", f"not valid JSON: {exc}"))
        else:
            if DATE_FIELDS_OF[type_name]:
                errors.extend(_check_dates(payload, DATE_FIELDS_OF[type_name], when, today))
            for name in EMAIL_FIELDS_OF[type_name]:
                value = getattr(payload, name)
                if value is not None and (reason := address_error(value)) is not None:
                    errors.append(FieldError(f"data.{name}", f"{value!r} is not an e-mail address: {reason}"))
            errors.extend(FieldError(f"data.{name}", reason) for name, reason in payload.problems())
    if payload is not None and data is not None:
        errors.extend(raw_text_errors(data, _dict_decoder.decode, "data"))
    if meta is None:
        pass
    elif not meta.lstrip().startswith("{"):
        errors.append(FieldError("meta", "expected an object"))
    else:
        try:
            errors.extend(raw_text_errors(meta, _dict_decoder.decode, "meta"))
        except msgspec.DecodeError as exc:
            errors.append(FieldError("meta", f"not valid JSON: {exc}"))
    if errors:
        raise InvalidEvent(errors)
    # all parsed, or an error was raised above
    assert when is not None and payload is not None and data is not None and meta is not None
    return Event(
        id=event_id, stream=stream, type=type_name, occurred_on=when, data_json=data, meta_json=meta, payload=payload
    )


def _check_dates(payload, names: tuple[str, ...], when: PartialDate | None, today: date) -> list[FieldError]:
    """Partial-date fields must be real dates and in a sensible order."""
    errors, parsed = [], {}
    for name in names:
        value = getattr(payload, name, None)
        if value is None:
            continue
        try:
            parsed[name] = PartialDate.parse(value)
        except ValueError as exc:
            errors.append(FieldError(f"data.{name}", str(exc)))
            continue
        if (reason := out_of_range(parsed[name], today)) is not None:
            errors.append(FieldError(f"data.{name}", reason))
            del parsed[name]
    if "occurred_on" in parsed and parsed["occurred_on"].first > today:
        errors.append(
            FieldError(
                "data.occurred_on",
                f"{parsed['occurred_on']} is after {today.isoformat()}: events record what has happened",
            )
        )
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
    out: dict[str, object] = {
        "id": event.id,
        "stream": event.stream,
        "type": event.type,
        "occurred_on": str(event.occurred_on),
        "data": event.data,
        "meta": event.meta,
    }
    if event.position is not None and event.recorded_at is not None:  # a stored event has both
        out["position"] = event.position
        out["version"] = event.version
        out["recorded_at"] = format_timestamp(event.recorded_at)
    return out


def format_timestamp(moment: datetime) -> str:
    """UTC timestamp as `2021-12-27T08:00:00.123456Z`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def encode_line(event: Event) -> bytes:
    """One JSON Lines record of an event (data and meta written as stored, not re-encoded).

    A row stored before repeated keys were refused is written as the record reads it (the last
    value of each key), so the export imports again instead of being refused for the repeat.
    """
    wire = to_wire(event)
    wire["data"], wire["meta"] = _as_read(event.data_json), _as_read(event.meta_json)
    return _encoder.encode(wire) + b"\n"


def _as_read(stored: str) -> msgspec.Raw:
    """The stored JSON object as it is, or re-encoded from what the decoders read when it repeats a key."""
    if repeated_keys(stored):
        return msgspec.Raw(_encoder.encode(_dict_decoder.decode(stored)))
    return msgspec.Raw(stored)


def decode_json(text: str | bytes) -> dict:
    """Decode a stored JSON object column."""
    return _dict_decoder.decode(text)


def from_row(
    position: int,
    event_id: str,
    stream: str,
    version: int,
    type_name: str,
    first: date,
    precision: str,
    data: str,
    meta: str,
    recorded_at: datetime,
    schema_version: int = SCHEMA_VERSION,
) -> Event:
    """Rebuild a stored event from its row; stored events were validated when written."""
    if schema_version < SCHEMA_VERSION:
        type_name, upcast_data = upcast(type_name, schema_version, _dict_decoder.decode(data))
        data = _encoder.encode(upcast_data).decode()
    payload = _payload_decoders[type_name].decode(data)
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=timezone.utc)
    return Event(
        id=event_id,
        stream=stream,
        type=type_name,
        occurred_on=PartialDate(first, precision),
        data_json=data,
        meta_json=meta,
        payload=payload,
        position=position,
        version=version,
        recorded_at=recorded_at,
    )


def fact_from_row(
    position: int,
    stream: str,
    version: int,
    type_name: str,
    first: date | str,
    precision: str,
    data: str,
    schema_version: int = SCHEMA_VERSION,
) -> Fact:
    """A stored event as a Fact, its payload decoded straight from the stored JSON."""
    if isinstance(first, str):  # SQLite hands back its text form
        first = date.fromisoformat(first)
    if schema_version < SCHEMA_VERSION:
        type_name, upcast_data = upcast(type_name, schema_version, _dict_decoder.decode(data))
        payload = msgspec.convert(upcast_data, TYPES[type_name])
    else:
        payload = _payload_decoders[type_name].decode(data)
    return Fact(position, stream, version, type_name, PartialDate(first, precision), payload)
