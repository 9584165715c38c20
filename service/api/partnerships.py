"""Partnerships: register one, the common writes made convenient, one partnership in full."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse

from events import mapper
from projections.status import contacts, details, status
from service.api.deps import AsOf, PantauDep, UserDep, Whole, WriterDep
from service.api.errors import ApiError
from service.api.events import IdempotencyKey, Stream
from service.api.reads import state_of
from service.api.recording import record
from service.api.typed_bodies import ACTIVITY, AGREEMENT, CONTACT, REGISTRATION, TypedBody

router = APIRouter(prefix="/api/partnerships", tags=["partnerships"])


def _write(
    pantau,
    user,
    stream: str,
    spec: TypedBody,
    body: object,
    key: str | None,
    expected_version: int | None = None,
    made_up: dict | None = None,
) -> JSONResponse:
    """Append the body's event: its payload exactly as the catalogue takes it, its date from the body."""
    outer, data = spec.split(body)
    for name, value in (made_up or {}).items():
        data.setdefault(name, value)
    envelope = {
        "stream": outer.get("stream", stream),
        "type": spec.type_name,
        # Absent: today (where the write allows it); given, it is judged as given, "" included.
        "occurred_on": outer["occurred_on"] if "occurred_on" in outer else pantau.today().isoformat(),
        "data": data,
    }
    status_code, answer = record(pantau, user, [envelope], key=key, expected_version=expected_version, single=True)
    return JSONResponse(answer, status_code=status_code)


def _made_up_id(user, key: str | None) -> str:
    """A new activity id; under an Idempotency-Key the same one on every retry."""
    if key is None:
        return f"act-{uuid.uuid4().hex[:12]}"
    return f"act-{uuid.uuid5(uuid.NAMESPACE_URL, f'pantau:{user.id}:{key}').hex[:12]}"


ExpectedVersion = Annotated[Whole | None, Query(ge=0, description="the stream's version before this write")]
# The body is read as JSON and judged against the catalogue (typed_bodies); its schema is the catalogue's.
Json = Annotated[dict[str, Any], Body()]


@router.post("", status_code=201, openapi_extra=REGISTRATION.openapi())
def register(pantau: PantauDep, user: WriterDep, body: Json, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Register a partnership (PartnershipRegistered); 409 when the id is taken."""
    return _write(pantau, user, "", REGISTRATION, body, idempotency_key, expected_version=0)


@router.post("/{stream}/activities", status_code=201, openapi_extra=ACTIVITY.openapi())
def log_activity(
    pantau: PantauDep,
    user: WriterDep,
    stream: Stream,
    body: Json,
    idempotency_key: IdempotencyKey = None,
    expected_version: ExpectedVersion = None,
) -> JSONResponse:
    """Log an activity (ActivityLogged: visit, training, festival, …); `activity_id` is made up when absent."""
    made_up = {"activity_id": _made_up_id(user, idempotency_key)}
    return _write(pantau, user, stream, ACTIVITY, body, idempotency_key, expected_version, made_up)


@router.post("/{stream}/agreements", status_code=201, openapi_extra=AGREEMENT.openapi())
def record_agreement(
    pantau: PantauDep,
    user: WriterDep,
    stream: Stream,
    body: Json,
    idempotency_key: IdempotencyKey = None,
    expected_version: ExpectedVersion = None,
) -> JSONResponse:
    """Record a signed agreement (AgreementSigned: LoI, MoU, MoA, …) of the partnership."""
    return _write(pantau, user, stream, AGREEMENT, body, idempotency_key, expected_version)


@router.post("/{stream}/contacts", status_code=201, openapi_extra=CONTACT.openapi())
def assign_contact(
    pantau: PantauDep,
    user: WriterDep,
    stream: Stream,
    body: Json,
    idempotency_key: IdempotencyKey = None,
    expected_version: ExpectedVersion = None,
) -> JSONResponse:
    """Assign a contact to the partnership (ContactAssigned); `occurred_on` defaults to today."""
    return _write(pantau, user, stream, CONTACT, body, idempotency_key, expected_version)


# Every typed write of this router, by its route: tests/test_typed_writes.py walks them all.
TYPED_WRITES = {
    "/api/partnerships": REGISTRATION,
    "/api/partnerships/{stream}/activities": ACTIVITY,
    "/api/partnerships/{stream}/agreements": AGREEMENT,
    "/api/partnerships/{stream}/contacts": CONTACT,
}


@router.get("/{stream}")
def partnership(pantau: PantauDep, _user: UserDep, stream: Stream, as_of: AsOf = None) -> JSONResponse:
    """One partnership: its details, status and agreements, contacts, and timeline of events."""
    state = state_of(pantau, stream)
    day = as_of or pantau.today()
    current = status(state, day, pantau.rules) if state else None
    if current is None or state is None:
        raise ApiError(404, f"no partnership {stream!r}" + ("" if state is None else f" on {day}"))
    events = [e for e in pantau.store.stream(stream) if e.occurred_on.first <= day]
    return JSONResponse(
        {
            "stream": stream,
            "as_of": day.isoformat(),
            "details": details(state, day, pantau.rules),
            "status": msgspec.to_builtins(current),
            "contacts": contacts(state, day),
            "timeline": [mapper.to_wire(e) for e in events],
            "notifications": [mapper.to_wire(e) for e in events if e.type == "NotificationSent"],
        }
    )
