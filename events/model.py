"""The event envelope: what every stored or submitted event looks like once validated."""

from __future__ import annotations

from datetime import datetime

import msgspec

from events.catalogue import Payload
from events.dates import PartialDate


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """A validated event; `position`, `version` and `recorded_at` are set once stored."""

    id: str
    stream: str
    type: str
    occurred_on: PartialDate
    data: dict
    meta: dict
    payload: Payload
    position: int | None = None
    version: int | None = None
    recorded_at: datetime | None = None

    def same_fact(self, other: "Event") -> bool:
        """Whether two events with the same id state the same fact (meta may differ)."""
        return (self.stream, self.type, self.occurred_on, self.data) == (
            other.stream, other.type, other.occurred_on, other.data)
