"""The mapper: JSON in and out, stable type names, schema versions and upcasters."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, timezone

import msgspec

from events import shape
from events.addresses import address_error
from events.catalogue import DATE_FIELDS_OF, EMAIL_FIELDS_OF, TYPES
from events.dates import DateError, PartialDate, out_of_range
from events.errors import FieldError, InvalidEvent
from events.json_keys import repeated_keys
from events.model import Event, Fact
from events.text import raw_text_errors
from events.vocabulary import STREAM_ID

SCHEMA_VERSION = 1
STREAM = STREAM_ID
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


class Checked:
    """What one run of decodes (a file's lines, all recorded on one day) has already found valid.

    A registry's file repeats its texts: a partnership's id on each of its events, a few hundred
    days, the same meta on every line. Each is checked in full the first time; a text found
    valid is not checked again, one found wrong is, each time, so that every line says why.
    """

    __slots__ = ("today", "streams", "days", "metas")
    KEPT = 100_000  # texts of each kind kept: a bound on the memory, not a limit on the file

    def __init__(self, today: date):
        self.today = today
        self.streams: set[str] = set()
        self.days: dict[str, PartialDate] = {}
        self.metas: set[str] = set()


def decode(
    raw: bytes | str,
    today: date,
    *,
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    checked: Checked | None = None,
) -> Event:
    """Parse and validate one JSON envelope, raising InvalidEvent with every reason found.

    `checked`, shared by the decodes of one file recorded on `today`, spares them checking again
    the texts an earlier line already had right.
    """
    return _decode(raw, today, new_id, keys_unique=False, checked=checked)


def _decode(
    raw: bytes | str, today: date, new_id: Callable[[], str], keys_unique: bool, checked: Checked | None = None
) -> Event:
    """decode; `keys_unique` when `raw` was encoded here from a dict, which cannot repeat a key."""
    try:
        wire = _decoder.decode(raw)
    except msgspec.ValidationError:
        raise InvalidEvent(_refusals(raw, _Wire, "")) from None
    except msgspec.DecodeError as exc:
        raise InvalidEvent([FieldError("json", f"not valid JSON: {exc}", code="not_json")]) from None
    # msgspec checks UTF-8 only in the strings it decodes: a key the payload type does not know,
    # or anything in meta, can hold bytes that are no text at all.
    # A repeated key is refused: the payload is checked on its last value, the bytes stored hold all.
    errors: list[FieldError] = [] if keys_unique else repeated_keys(raw)
    data, meta = _text(wire.data, "data", errors), _text(wire.meta, "meta", errors)
    if checked is not None and checked.today == today:
        return _validate_seen(wire, data, meta, new_id, errors, checked)
    return _validate(wire.stream, wire.type, wire.occurred_on, data, meta, wire.id, today, new_id, errors)


def _validate_seen(
    wire: _Wire, data: str | None, meta: str | None, new_id: Callable[[], str], errors: list, checked: Checked
) -> Event:
    """_validate, the stream, date and meta taken from `checked` when an earlier line had them right."""
    stream, today = wire.stream, checked.today
    when = checked.days.get(wire.occurred_on)
    if stream not in checked.streams or when is None or meta not in checked.metas:
        event = _validate(stream, wire.type, wire.occurred_on, data, meta, wire.id, today, new_id, errors)
        if len(checked.streams) < Checked.KEPT:  # all of it was right: _validate raises otherwise
            checked.streams.add(stream)
        if len(checked.days) < Checked.KEPT:
            checked.days[wire.occurred_on] = event.occurred_on
        if len(checked.metas) < Checked.KEPT:
            checked.metas.add(event.meta_json)
        return event
    event_id = _event_id(wire.id, new_id, errors)
    payload = _payload(wire.type, data, when, today, errors)
    if errors:
        raise InvalidEvent(errors)
    assert payload is not None and data is not None and meta is not None
    return Event(
        id=event_id, stream=stream, type=wire.type, occurred_on=when, data_json=data, meta_json=meta, payload=payload
    )


def _refusals(raw: bytes | str, cls: type, prefix: str) -> list[FieldError]:
    """Why msgspec refused `raw` as `cls`, read from the type's declaration, never from msgspec's words."""
    found = shape.refusals(msgspec.json.decode(raw), cls, prefix)
    # A constraint the walk does not know yet is still a refusal, coded as such: never a silent pass.
    return found or [FieldError(prefix or "event", "not valid", code="invalid")]


def _text(raw: msgspec.Raw, field: str, errors: list[FieldError]) -> str | None:
    """The JSON text of `raw`, or None with an error noted when it is not UTF-8."""
    try:
        return str(raw, "utf-8")
    except UnicodeDecodeError as exc:
        said = f"not valid UTF-8: {exc.reason} at byte {exc.start}"
        errors.append(FieldError(field, said, code="not_utf8", params={"at": exc.start}))
        return None


def from_dict(obj: object, today: date, *, new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> Event:
    """Validate an already-parsed JSON object as an event envelope."""
    if not isinstance(obj, dict):
        raise InvalidEvent([FieldError("event", "expected a JSON object", code="type", params={"type": "object"})])
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
    event_id = _event_id(event_id, new_id, errors)
    if not STREAM.fullmatch(stream):  # fullmatch: `$` alone lets "abc\n" through
        said = f"{stream!r} is not a partnership id (lowercase letters, digits and '-', 3 to 80 characters)"
        errors.append(FieldError("stream", said, code="stream_id", params={"value": stream}))
    when = _occurred(occurred_on, today, errors)
    payload = _payload(type_name, data, when, today, errors)
    _check_meta(meta, errors)
    if errors:
        raise InvalidEvent(errors)
    # all parsed, or an error was raised above
    assert when is not None and payload is not None and data is not None and meta is not None
    return Event(
        id=event_id, stream=stream, type=type_name, occurred_on=when, data_json=data, meta_json=meta, payload=payload
    )


def _event_id(event_id: str | None, new_id: Callable[[], str], errors: list[FieldError]) -> str:
    """The event's id in canonical form, a new one when none is given."""
    if event_id is None:
        return new_id()
    if not _CANONICAL_UUID.fullmatch(event_id):
        try:
            return str(uuid.UUID(event_id))
        except (ValueError, TypeError):
            errors.append(FieldError("id", f"{event_id!r} is not a UUID", code="not_uuid", params={"value": event_id}))
    return event_id


def _occurred(occurred_on: str, today: date, errors: list[FieldError]) -> PartialDate | None:
    """The envelope's date: a partial date within the catalogue's years, and not after `today`."""
    try:
        when = PartialDate.parse(occurred_on)
    except DateError as exc:
        errors.append(FieldError("occurred_on", str(exc), code=exc.code, params=exc.params))
        return None
    if (far := out_of_range(when, today)) is not None:
        errors.append(FieldError("occurred_on", str(far), code=far.code, params=far.params))
    elif when.first > today:
        said = f"{occurred_on} is after {today.isoformat()}, the day it is recorded: events record what has happened"
        errors.append(
            FieldError("occurred_on", said, code="future", params={"value": occurred_on, "today": today.isoformat()})
        )
    return when


def _payload(type_name: str, data: str | None, when: PartialDate | None, today: date, errors: list[FieldError]):
    """The payload decoded as its catalogue type and checked beyond its types, or None when refused."""
    if type_name not in TYPES:
        said = f"unknown event type {type_name!r}; known types: " + ", ".join(TYPES)
        errors.append(FieldError("type", said, code="unknown_type", params={"value": type_name}))
        return None
    if data is None:
        return None
    try:
        payload = _payload_decoders[type_name].decode(data)
    except msgspec.ValidationError:
        errors.extend(_refusals(data, TYPES[type_name], "data"))
        return None
    except msgspec.DecodeError as exc:
        errors.append(FieldError("data", f"not valid JSON: {exc}", code="not_json"))
        return None
    if DATE_FIELDS_OF[type_name]:
        errors.extend(_check_dates(payload, DATE_FIELDS_OF[type_name], when, today))
    for name in EMAIL_FIELDS_OF[type_name]:
        value = getattr(payload, name)
        if value is not None and (reason := address_error(value)) is not None:
            said = f"{value!r} is not an e-mail address: {reason}"
            errors.append(FieldError(f"data.{name}", said, code="email", params={"value": value}))
    errors.extend(problem.under("data") for problem in payload.problems())
    errors.extend(raw_text_errors(data, _dict_decoder.decode, "data"))
    return payload


def _check_meta(meta: str | None, errors: list[FieldError]) -> None:
    """`meta` is a JSON object of text."""
    if meta is None:
        return
    if not meta.lstrip().startswith("{"):
        errors.append(FieldError("meta", "expected an object", code="type", params={"type": "object"}))
        return
    try:
        errors.extend(raw_text_errors(meta, _dict_decoder.decode, "meta"))
    except msgspec.DecodeError as exc:
        errors.append(FieldError("meta", f"not valid JSON: {exc}", code="not_json"))


def _date_of(payload, name: str, today: date, errors: list[FieldError]) -> PartialDate | None:
    """The payload's partial date `name`, when it is one the catalogue accepts."""
    try:
        value = PartialDate.parse(getattr(payload, name))
    except DateError as exc:
        errors.append(FieldError(f"data.{name}", str(exc), code=exc.code, params=exc.params))
        return None
    if (far := out_of_range(value, today)) is not None:
        errors.append(FieldError(f"data.{name}", str(far), code=far.code, params=far.params))
        return None
    return value


def _before(name: str, value: PartialDate, start: PartialDate) -> FieldError:
    said = f"{value} is before {start}"
    return FieldError(f"data.{name}", said, code="before", params={"value": str(value), "start": str(start)})


def _check_dates(payload, names: tuple[str, ...], when: PartialDate | None, today: date) -> list[FieldError]:
    """Partial-date fields must be real dates and in a sensible order."""
    errors: list[FieldError] = []
    parsed = {}
    for name in names:
        if getattr(payload, name, None) is not None and (value := _date_of(payload, name, today, errors)):
            parsed[name] = value
    if not parsed:  # no date given (or none a date): nothing to put in order
        return errors
    if "occurred_on" in parsed and parsed["occurred_on"].first > today:
        said = f"{parsed['occurred_on']} is after {today.isoformat()}: events record what has happened"
        params = {"value": str(parsed["occurred_on"]), "today": today.isoformat()}
        errors.append(FieldError("data.occurred_on", said, code="future", params=params))
    start = parsed.get("valid_from") or parsed.get("occurred_on") or when
    if "valid_until" in parsed and start and parsed["valid_until"].last < start.first:
        errors.append(_before("valid_until", parsed["valid_until"], start))
    # A correction's own date is when the record was fixed, not when the activity began: its
    # ends_on is checked against its data.occurred_on only (the fold knows the rest).
    begun = parsed.get("occurred_on") or (None if "occurred_on" in payload.__struct_fields__ else when)
    if "ends_on" in parsed and begun and parsed["ends_on"].last < begun.first:
        errors.append(_before("ends_on", parsed["ends_on"], begun))
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
