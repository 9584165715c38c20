"""What a stream allows next: registered first, no ids reused, no correction of nothing.

The rules are not written per event type: each payload class in events/catalogue.py declares
the ids it creates, assigns, refers to or removes (`Payload.ids`), and the one type that opens a
stream (`Payload.starts_stream`). A new event type therefore needs no change here. The yearly
plan's rules that are not about id sets live in events/plan_rules.py, which this consults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from events.catalogue import TYPES, IdUse
from events.errors import FieldError
from events.model import Event
from events.plan_rules import READS, PlanLedger

# The event types whose stored events change what check() looks at; the store reads only these
# when it rebuilds a stream's facts.
SHAPING: frozenset[str] = frozenset(name for name, cls in TYPES.items() if cls.ids or cls.starts_stream) | READS


@dataclass(slots=True)
class StreamFacts:
    """The ids a stream holds so far; enough to judge whether the next event fits."""

    version: int = 0
    registered: bool = False
    # Every id of each kind the stream ever had, and those it holds now (not removed).
    known: dict[str, set[str]] = field(default_factory=dict)
    held: dict[str, set[str]] = field(default_factory=dict)
    ledger: PlanLedger = field(default_factory=PlanLedger)

    def copy(self) -> StreamFacts:
        """An independent copy, to advance without touching the original."""
        return StreamFacts(
            self.version,
            self.registered,
            {k: set(v) for k, v in self.known.items()},
            {k: set(v) for k, v in self.held.items()},
            self.ledger.copy(),
        )

    def holds(self, kind: str, value: str) -> bool:
        """Whether the stream holds this id of `kind` now."""
        return value in self.held.get(kind, ())

    def check(self, event: Event) -> list[FieldError]:
        """Reasons the event cannot follow this stream's history (empty when it can)."""
        payload_type = type(event.payload)
        if payload_type.starts_stream:
            if self.registered:
                return [FieldError("type", f"stream {event.stream!r} is already registered")]
            return []
        if not self.registered:
            return [
                FieldError(
                    "stream",
                    f"partnership {event.stream!r} is not registered; its first event must be PartnershipRegistered",
                )
            ]
        problems = []
        for use in payload_type.ids:
            value = event.id if use.envelope else getattr(event.payload, use.field)
            if value is not None:
                reason = self._refusal(use, value)
                if reason:
                    problems.append(FieldError(use.field if use.envelope else f"data.{use.field}", reason))
        if not problems:
            problems = self.ledger.check(event.type, event.payload, event.occurred_on)
        return problems

    def _refusal(self, use: IdUse, value: str) -> str | None:
        if use.use == "creates" and value in self.known.get(use.kind, ()):
            return f"{value!r} is already in this partnership's record"
        if use.use in ("refers", "removes") and not self.holds(use.kind, value):
            if value in self.known.get(use.kind, ()):
                return f"{value!r} was closed or removed earlier in this partnership's record"
            return f"{value!r} is not in this partnership's record"
        return None

    def advance(self, event: Event) -> None:
        """Take an accepted event into account."""
        self.version += 1
        if event.type in SHAPING:
            self._take(event.type, lambda name: getattr(event.payload, name, None), event.id, event.occurred_on.first)

    def take(
        self, type_name: str, data: Mapping[str, Any], event_id: str | None = None, occurred_on: date | None = None
    ) -> None:
        """Note a stored event of a SHAPING type, given its decoded `data`, envelope id and first day."""
        self._take(type_name, data.get, event_id, occurred_on)

    def _take(self, type_name: str, value_of, event_id: str | None, occurred_on: date | None) -> None:
        if type_name in READS:
            self.ledger.take(type_name, value_of, occurred_on)
        payload_type = TYPES[type_name]
        if payload_type.starts_stream:
            self.registered = True
        for use in payload_type.ids:
            value = event_id if use.envelope else value_of(use.field)
            if value is None:
                continue
            if use.use == "removes":
                self.held.get(use.kind, set()).discard(value)
            else:
                self.known.setdefault(use.kind, set()).add(value)
                self.held.setdefault(use.kind, set()).add(value)
