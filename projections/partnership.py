"""A partnership's record folded from its events: `apply(state, event) -> state`, no clock, no I/O.

State types are gc=False: they hold only decoded data and never form cycles, and untracked
objects keep the cycle collector out of a 100,000-event rebuild.

The state keeps dated facts, not conclusions: what holds on a given day is worked out by
`projections.status`, so one fold answers every as-of question.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast

import msgspec
from msgspec import Struct
from msgspec.structs import replace

from events import catalogue as c
from events.dates import PartialDate
from events.model import Event, Fact
from projections import lifecycle_state as lifecycle
from projections.lifecycle_state import Draft, FiledNote, Funds, PlanItem

Stored = Event | Fact  # the fold reads either: a full event, or the lean fact of a replay

# Bump when apply() or the state's shape changes what a stored state holds: the runner then sees
# read models folded by another version and rebuilds them from the events (docs/architecture.md).
# 2: catalogue 1.1 (drafts, plan items, filed notes, an activity's report fields); 3: partner.local_name;
# 4: an activity's participants; 5: an activity keeps every field a correction can change (description, …);
# 6: whether the partnership is withheld from the public registry.
FOLD_VERSION = 6


class Activity(Struct, frozen=True, kw_only=True, gc=False):
    activity_id: str
    kind: str
    occurred_on: str
    start: date
    end: date
    ends_on: str | None = None
    title: str | None = None
    retracted: bool = False
    # Catalogue 1.1: the plan item it realises, and what a yearly report says of it.
    plan_id: str | None = None
    results: str | None = None
    beneficiaries: str | None = None
    beneficiary_count: int | None = None
    funding: Funds | None = None
    # The rest of what was logged, so that a correction form shows the activity as the fold has it.
    description: str | None = None
    direction: str | None = None
    mode: str | None = None
    participants: int | None = None
    fields: tuple[str, ...] = ()


class Renewal(Struct, frozen=True, kw_only=True, gc=False):
    on: str
    start: date
    end: date
    valid_until: str | None = None
    term_years: int | None = None
    open_ended: bool = False


class Agreement(Struct, frozen=True, kw_only=True, gc=False):
    agreement_id: str
    document: str
    signed_on: str
    start: date
    end: date
    valid_from: str | None = None
    valid_until: str | None = None
    term_years: int | None = None
    open_ended: bool = False
    renewals: tuple[Renewal, ...] = ()
    terminated_on: tuple[date, ...] = ()


class Dated(Struct, frozen=True, array_like=True, gc=False):
    """A value that holds from a date on (`on` is the first day of its partial date)."""

    on: date
    value: str


class DetailsChange(Struct, frozen=True, array_like=True, gc=False):
    on: date
    values: dict


class ContactChange(Struct, frozen=True, kw_only=True, gc=False):
    on: date
    contact_id: str
    contact: dict | None = None  # None: removed


class PartnershipState(Struct, frozen=True, kw_only=True, gc=False):
    stream: str
    registered_on: date
    details: dict
    changes: tuple[DetailsChange, ...] = ()
    contacts: tuple[ContactChange, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    activities: tuple[Activity, ...] = ()
    explorations: tuple[date, ...] = ()
    assessments: tuple[Dated, ...] = ()
    notes: tuple[Dated, ...] = ()
    ended_on: tuple[date, ...] = ()
    drafts: tuple[Draft, ...] = ()
    plan: tuple[PlanItem, ...] = ()
    filed_notes: tuple[FiledNote, ...] = ()
    # The reason the partnership is held back from the public registry; None: published.
    withheld: str | None = None
    version: int = 0
    position: int = 0


def apply(state: PartnershipState | None, event: Event | Fact) -> PartnershipState | None:
    """The state after one more event of the stream (events arrive in stream order)."""
    if state is None:
        if event.type != STARTS:
            return None
        return PartnershipState(
            stream=event.stream,
            registered_on=event.occurred_on.first,
            details=_plain(event.payload),
            version=event.version or 1,
            position=event.position or 0,
        )
    handler = _HANDLERS.get(event.type)
    # Handlers return the changed fields, so each event costs one new state, not two.
    changes = handler(state, event) if handler is not None else {}
    return replace(
        state, **changes, version=event.version or state.version + 1, position=event.position or state.position
    )


def _plain(payload) -> dict:
    """A payload as plain JSON values (lists, not tuples), exactly as the read model reads it back."""
    return _plain_decode(_encoder.encode(payload))


def fold(events, state: PartnershipState | None = None) -> PartnershipState | None:
    """Fold a stream's events into its state."""
    if state is None:
        states: dict[str, PartnershipState | None] = {}
    else:
        states = {state.stream: state}
    apply_all(states, events)
    return next(iter(states.values()), None)


def apply_all(states: dict[str, Any], events, *, skip_applied: bool = False) -> dict[str, Any]:
    """Apply events of any streams, in order, to `states` (stream -> state), in time linear in their number.

    Applying one event at a time copies a field's tuple to add one item, so a partnership with n
    notes cost O(n²) to fold (20,000 notes: 0.75 s). Here the items an event only adds at the end
    of a field wait in lists, and go into the state in one copy when another kind of event of the
    stream comes, or at the end. `skip_applied` leaves out events at or before a state's position.
    """
    pending: dict[str, tuple[dict[str, list], list[int]]] = {}
    for event in events:
        stream = event.stream
        pend = pending.get(stream)
        state = states.get(stream)
        if skip_applied and state is not None:
            position = pend[1][1] if pend is not None else state.position
            if event.position <= position:
                continue
        spec = _APPENDS.get(event.type) if state is not None and _appends_only(event) else None
        if spec is not None and state is not None:
            if pend is None:
                pend = pending[stream] = ({}, [state.version, state.position])
            field, make = spec
            pend[0].setdefault(field, []).append(make(event))
            pend[1][0] = event.version or pend[1][0] + 1
            pend[1][1] = event.position or pend[1][1]
            continue
        if pend is not None and state is not None:
            state = _flush(state, pending.pop(stream))
        states[stream] = apply(state, event)
    for stream, pend in pending.items():
        states[stream] = _flush(cast(PartnershipState, states[stream]), pend)  # pending only for a state
    return states


def _appends_only(event: Stored) -> bool:
    """Whether the event only adds its item: a signing from a draft also closes the draft, a note
    filed under a topic is also filed (catalogue 1.1); those go through their handlers."""
    payload = event.payload
    return getattr(payload, "draft_id", None) is None and getattr(payload, "topic", "general") == "general"


def _flush(state: PartnershipState, pend: tuple[dict[str, list], list[int]]) -> PartnershipState:
    items, (version, position) = pend
    return replace(
        state,
        **{name: getattr(state, name) + tuple(added) for name, added in items.items()},
        version=version,
        position=position,
    )


def _change(e: Stored) -> DetailsChange:
    return DetailsChange(e.occurred_on.first, {k: v for k, v in _plain(e.payload).items() if v is not None})


def _contact(e: Stored) -> ContactChange:
    contact_id = cast(c.ContactAssigned, e.payload).contact_id
    return ContactChange(on=e.occurred_on.first, contact_id=contact_id, contact=_plain(e.payload))


def _uncontact(e: Stored) -> ContactChange:
    return ContactChange(on=e.occurred_on.first, contact_id=cast(c.ContactRemoved, e.payload).contact_id)


def _agreement(e: Stored) -> Agreement:
    p = cast(c.AgreementSigned, e.payload)
    return Agreement(
        agreement_id=p.agreement_id,
        document=p.document,
        signed_on=str(e.occurred_on),
        start=e.occurred_on.first,
        end=e.occurred_on.last,
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        term_years=p.term_years,
        open_ended=p.open_ended,
    )


def _change_agreement(s: PartnershipState, agreement_id: str, change) -> dict:
    return {"agreements": tuple(change(a) if a.agreement_id == agreement_id else a for a in s.agreements)}


def _renewed(s: PartnershipState, e: Stored) -> dict:
    p = cast(c.AgreementRenewed, e.payload)
    renewal = Renewal(
        on=str(e.occurred_on),
        start=e.occurred_on.first,
        end=e.occurred_on.last,
        valid_until=p.valid_until,
        term_years=p.term_years,
        open_ended=p.open_ended,
    )
    return _change_agreement(s, p.agreement_id, lambda a: replace(a, renewals=a.renewals + (renewal,)))


def _terminated(s: PartnershipState, e: Stored) -> dict:
    day = e.occurred_on.first
    return _change_agreement(
        s,
        cast(c.AgreementTerminated, e.payload).agreement_id,
        lambda a: replace(a, terminated_on=a.terminated_on + (day,)),
    )


def _activity(e: Stored) -> Activity:
    p = cast(c.ActivityLogged, e.payload)
    ends = PartialDate.parse(p.ends_on).last if p.ends_on else e.occurred_on.last
    return Activity(
        activity_id=p.activity_id,
        kind=p.kind,
        occurred_on=str(e.occurred_on),
        start=e.occurred_on.first,
        end=ends,
        ends_on=p.ends_on,
        title=p.title,
        plan_id=p.plan_id,
        results=p.results,
        beneficiaries=p.beneficiaries,
        beneficiary_count=p.beneficiary_count,
        funding=lifecycle.funds(p.funding),
        description=p.description,
        direction=p.direction,
        mode=p.mode,
        participants=p.participants,
        fields=p.fields,
    )


def _change_activity(s: PartnershipState, activity_id: str, change) -> dict:
    return {"activities": tuple(change(a) if a.activity_id == activity_id else a for a in s.activities)}


def _corrected(s: PartnershipState, e: Stored) -> dict:
    # A correction fixes the record itself, whatever its own date (docs/events.md).
    p = cast(c.ActivityCorrected, e.payload)

    def correct(a: Activity) -> Activity:
        occurred = PartialDate.parse(p.occurred_on) if p.occurred_on else PartialDate.parse(a.occurred_on)
        ends_on = p.ends_on if p.ends_on is not None else a.ends_on
        end = PartialDate.parse(ends_on).last if ends_on else occurred.last
        return replace(
            a,
            kind=p.kind or a.kind,
            occurred_on=str(occurred),
            start=occurred.first,
            end=end,
            ends_on=ends_on,
            title=p.title if p.title is not None else a.title,
            **{name: getattr(p, name) for name in _CORRECTABLE if getattr(p, name) is not None},
            **({"funding": lifecycle.funds(p.funding)} if p.funding is not None else {}),
        )

    return _change_activity(s, p.activity_id, correct)


# Fields a correction replaces when it names them (None: kept as recorded).
_CORRECTABLE = (
    "plan_id",
    "results",
    "beneficiaries",
    "beneficiary_count",
    "description",
    "direction",
    "mode",
    "participants",
    "fields",
)


def _retracted(s: PartnershipState, e: Stored) -> dict:
    activity_id = cast(c.ActivityRetracted, e.payload).activity_id
    return _change_activity(s, activity_id, lambda a: replace(a, retracted=True))


# Events that only add one item at the end of one field: (field, the item). apply_all batches them.
_APPENDS: dict[str, tuple[str, Callable[[Stored], object]]] = {
    "PartnershipDetailsChanged": ("changes", _change),
    "ContactAssigned": ("contacts", _contact),
    "ContactRemoved": ("contacts", _uncontact),
    "AgreementSigned": ("agreements", _agreement),
    "ActivityLogged": ("activities", _activity),
    "ExplorationStarted": ("explorations", lambda e: e.occurred_on.first),
    "StatusAssessed": ("assessments", lambda e: Dated(e.occurred_on.first, cast(c.StatusAssessed, e.payload).status)),
    "NoteAdded": ("notes", lambda e: Dated(e.occurred_on.first, cast(c.NoteAdded, e.payload).text)),
    "PartnershipEnded": ("ended_on", lambda e: e.occurred_on.first),
}


def _appender(field: str, make: Callable[[Stored], object]) -> Callable[[PartnershipState, Stored], dict]:
    return lambda s, e: {field: getattr(s, field) + (make(e),)}


def _signed(s: PartnershipState, e: Stored) -> dict:
    return {"agreements": s.agreements + (_agreement(e),), **lifecycle.signed_from_draft(s, e)}


def _noted(s: PartnershipState, e: Stored) -> dict:
    note = Dated(e.occurred_on.first, cast(c.NoteAdded, e.payload).text)
    return {"notes": s.notes + (note,), **lifecycle.filed_note(s, e)}


_HANDLERS: dict[str, Callable[[PartnershipState, Stored], dict]] = {
    **{type_name: _appender(field, make) for type_name, (field, make) in _APPENDS.items()},
    "AgreementSigned": _signed,
    "NoteAdded": _noted,
    "DraftOpened": lifecycle.draft_opened,
    "ApprovalRecorded": lifecycle.approval_recorded,
    "DraftWithdrawn": lifecycle.draft_withdrawn,
    "ActivityPlanned": lifecycle.activity_planned,
    "PlanItemDropped": lifecycle.plan_item_dropped,
    "AgreementRenewed": _renewed,
    "AgreementTerminated": _terminated,
    "ActivityCorrected": _corrected,
    "ActivityRetracted": _retracted,
    "PublicationWithheld": lambda s, e: {"withheld": cast(c.PublicationWithheld, e.payload).reason},
    "PublicationRestored": lambda s, e: {"withheld": None},
}

# Catalogue types that change nothing the fold keeps, and why; every other type has a handler (or
# starts the stream), and tests/test_catalogue_coverage.py fails for a type that is in neither.
IGNORED = {
    "NoteReviewed": "the review queue reads notes from the stream itself (service/notes.py)",
    "NotificationSent": "what was sent is read from the stream: the timeline, GET /api/partnerships/{stream}",
}
STARTS = "PartnershipRegistered"  # folded by apply() itself: it makes the state

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(PartnershipState)
_plain_decode = msgspec.json.Decoder(dict).decode


def dump(state: PartnershipState) -> bytes:
    """The state as JSON, for the read-model table."""
    return _encoder.encode(state)


def load(raw: bytes | str) -> PartnershipState:
    """A state read back from the read-model table."""
    return _decoder.decode(raw)
