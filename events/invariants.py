"""What a stream allows next: registered first, no ids reused, no correction of nothing.

The rules are not written per event type: each payload class in events/catalogue.py declares
the ids it creates, assigns, refers to or removes (`Payload.ids`), and the one type that opens a
stream (`Payload.starts_stream`). A new event type therefore needs no change here. The yearly
plan's rules that are not about id sets live in events/plan_rules.py, which this consults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from events.catalogue import TYPES, IdUse
from events.errors import FieldError
from events.model import Event
from events.plan_rules import READS, PlanLedger

# The event types whose stored events change what check() looks at; the store reads only these
# when it rebuilds a stream's facts.
SHAPING: frozenset[str] = frozenset(name for name, cls in TYPES.items() if cls.ids or cls.starts_stream) | READS


class _Uses(NamedTuple):
    """One event type's declared ids, resolved once for StreamFacts.admit: (value getter, kind) pairs."""

    fresh: tuple[tuple[Callable[[Event], Any], str], ...]  # creates: must be unknown
    held: tuple[tuple[Callable[[Event], Any], str], ...]  # refers, removes: must be held now
    # Every use in declared order, as advance() takes them: (getter, kind, whether it removes).
    taken: tuple[tuple[Callable[[Event], Any], str, bool], ...]
    ledger: bool  # the plan ledger checks and notes this type
    # Whether a run of such events can be judged as a whole (StreamFacts.admit_run): nothing
    # removed, and no kind both named and made by it, so no event's verdict hangs on another's
    # but through the ids it creates, which must then all differ.
    in_bulk: bool
    # The uses admit_run notes without checking them fresh: (getter, kind) of each kind not created.
    noted: tuple[tuple[Callable[[Event], Any], str], ...]


def _uses(type_name: str) -> _Uses:
    def getter(use: IdUse) -> Callable[[Event], Any]:
        return attrgetter("id" if use.envelope else f"payload.{use.field}")

    ids = TYPES[type_name].ids
    kinds = [u.kind for u in ids]
    return _Uses(
        tuple((getter(u), u.kind) for u in ids if u.use == "creates"),
        tuple((getter(u), u.kind) for u in ids if u.use in ("refers", "removes")),
        tuple((getter(u), u.kind, u.use == "removes") for u in ids),
        type_name in READS,
        all(u.use != "removes" for u in ids) and len(set(kinds)) == len(kinds),
        tuple((getter(u), u.kind) for u in ids if not any(c.kind == u.kind and c.use == "creates" for c in ids)),
    )


# The stream-opening type is left to check(): it is once per stream.
_USES = {name: _uses(name) for name, cls in TYPES.items() if not cls.starts_stream}


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
                said = f"stream {event.stream!r} is already registered"
                return [FieldError("type", said, code="registered", params={"value": event.stream})]
            return []
        if not self.registered:
            return [
                FieldError(
                    "stream",
                    f"partnership {event.stream!r} is not registered; its first event must be PartnershipRegistered",
                    code="not_registered",
                    params={"value": event.stream},
                )
            ]
        problems = []
        for use in payload_type.ids:
            value = event.id if use.envelope else getattr(event.payload, use.field)
            if value is not None:
                refused = self._refusal(use, value)
                if refused:
                    code, reason = refused
                    where = use.field if use.envelope else f"data.{use.field}"
                    problems.append(FieldError(where, reason, code=code, params={"value": value}))
        if not problems:
            problems = self.ledger.check(event.type, event.payload, event.occurred_on)
        return problems

    def _refusal(self, use: IdUse, value: str) -> tuple[str, str] | None:
        """(code, English reason) when the id's use breaks the stream's ids, else None."""
        if use.use == "creates" and value in self.known.get(use.kind, ()):
            return "known_id", f"{value!r} is already in this partnership's record"
        if use.use in ("refers", "removes") and not self.holds(use.kind, value):
            if value in self.known.get(use.kind, ()):
                return "closed_id", f"{value!r} was closed or removed earlier in this partnership's record"
            return "unknown_id", f"{value!r} is not in this partnership's record"
        return None

    def admit(self, event: Event) -> list[FieldError]:
        """Check the event and take it into account when it fits: check() then advance(), faster.

        A bulk import runs this once per event, and the general check() and advance() were most
        of what the store added to the database's own insert (bench/append.py, cProfile). The
        quick path only accepts; an event it cannot accept at once goes through check() for the
        reasons, so refusals read the same either way.
        """
        uses = _USES.get(event.type)
        if uses is None or not self.registered:
            return self._check_and_advance(event)
        known, held = self.known, self.held
        for get, kind in uses.fresh:
            value = get(event)
            if value is not None and value in known.get(kind, ()):
                return self._check_and_advance(event)
        for get, kind in uses.held:
            value = get(event)
            if value is not None and value not in held.get(kind, ()):
                return self._check_and_advance(event)
        # The ledger's own refusals come after the id rules passed, as in check(); it has taken
        # the event when it refuses nothing.
        if uses.ledger and self.ledger.admit(event.type, event.payload, event.occurred_on):
            return self._check_and_advance(event)
        self.version += 1
        for get, kind, removes in uses.taken:
            value = get(event)
            if value is None:
                continue
            ids = held.get(kind)
            if removes:
                if ids is not None:
                    ids.discard(value)
                continue
            if ids is None:
                ids = held[kind] = set()
            ids.add(value)
            ids = known.get(kind)
            if ids is None:
                ids = known[kind] = set()
            ids.add(value)
        return []

    def admit_run(self, run: Sequence[Event]) -> bool:
        """Take in a run of consecutive events of one type when all of them fit; False, with
        nothing taken, when the run is to go through admit() one event at a time.

        For a bulk import: set operations over the run's ids instead of a check per event. It
        only accepts, never refuses, so every refusal still comes from check() (and reads the same).
        """
        uses = _USES.get(run[0].type)
        if uses is None or not uses.in_bulk or not self.registered:
            return False
        known, held = self.known, self.held
        taken: list[tuple[str, set[str]]] = []
        for get, kind in uses.fresh:
            fresh = set(map(get, run))
            given = len(run)
            if None in fresh:  # an optional id left out creates nothing
                fresh.discard(None)
                given = sum(1 for value in map(get, run) if value is not None)
            if len(fresh) != given or not fresh.isdisjoint(known.get(kind, ())):
                return False
            taken.append((kind, fresh))
        for get, kind in uses.held:
            named = set(map(get, run))
            named.discard(None)
            if not named.issubset(held.get(kind, ())):
                return False
        if uses.ledger and not self.ledger.admit_run(run[0].type, run):
            return False
        for get, kind in uses.noted:  # assigned or named: noted as advance() does
            named = set(map(get, run))
            named.discard(None)
            taken.append((kind, named))
        for kind, ids in taken:
            if ids:
                known.setdefault(kind, set()).update(ids)
                held.setdefault(kind, set()).update(ids)
        self.version += len(run)
        return True

    def _check_and_advance(self, event: Event) -> list[FieldError]:
        problems = self.check(event)
        if not problems:
            self.advance(event)
        return problems

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
