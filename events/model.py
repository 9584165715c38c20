"""The event envelope: what every stored or submitted event looks like once validated."""

from __future__ import annotations

from datetime import datetime

import msgspec

from events.catalogue import Payload
from events.dates import PartialDate

_decode_object = msgspec.json.Decoder(dict).decode


class Event(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A validated event; `position`, `version` and `recorded_at` are set once stored.

    `data` and `meta` are kept as the JSON text they arrived in, so unknown keys survive byte
    for byte and bulk imports never re-encode them; `payload` is the validated view of `data`.
    The text is a `str`, the form both databases' drivers bind and return: a store's insert and
    read then convert nothing (bench/append.py).
    """

    id: str
    stream: str
    type: str
    occurred_on: PartialDate
    data_json: str
    meta_json: str
    payload: Payload
    position: int | None = None
    version: int | None = None
    recorded_at: datetime | None = None

    @property
    def data(self) -> dict:
        """The event's data as given, unknown keys included."""
        return _decode_object(self.data_json)

    @property
    def meta(self) -> dict:
        """The event's meta as given."""
        return _decode_object(self.meta_json)

    def same_fact(self, other: Event) -> bool:
        """Whether two events with the same id state the same fact (meta may differ)."""
        return (self.stream, self.type, self.occurred_on) == (other.stream, other.type, other.occurred_on) and (
            self.data_json == other.data_json or self.data == other.data
        )


class Fact(msgspec.Struct, frozen=True, gc=False):
    """What a fold needs of a stored event: no meta and no raw data (see EventStore.iter_facts)."""

    position: int
    stream: str
    version: int
    type: str
    occurred_on: PartialDate
    payload: Payload
