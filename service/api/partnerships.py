"""Partnerships: register one, the common writes made convenient, one partnership in full."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec
from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from events import mapper
from projections.status import contacts, details, status
from service.api.deps import AsOf, PantauDep, UserDep, Whole, WriterDep
from service.api.errors import ApiError
from service.api.events import IdempotencyKey, Stream
from service.api.reads import state_of
from service.api.recording import record

router = APIRouter(prefix="/api/partnerships", tags=["partnerships"])

DateText = Annotated[str, Field(description="YYYY-MM-DD, YYYY-MM or YYYY; not after today")]


class Side(BaseModel):
    name: str
    level: str
    province: str | None = None
    country: str | None = None


class Registration(BaseModel):
    """A new partnership (PartnershipRegistered)."""

    stream: str = Field(description="the new partnership id, e.g. kota-bandung-seoul")
    occurred_on: DateText | None = Field(None, description="default: today")
    kind: Literal["sister_province", "sister_city"]
    indonesia: Side
    partner: Side
    desk: str | None = None
    fields: list[str] = []


class Activity(BaseModel):
    """An activity (ActivityLogged); `activity_id` is made up when absent."""

    occurred_on: DateText
    kind: str
    activity_id: str | None = None
    title: str | None = None
    description: str | None = None
    ends_on: str | None = None
    direction: str | None = None
    mode: str | None = None
    participants: int | None = None
    fields: list[str] = []


class Agreement(BaseModel):
    """A signed agreement (AgreementSigned)."""

    occurred_on: DateText = Field(description="the signing date")
    agreement_id: str
    document: str
    term_years: int | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    open_ended: bool = False
    fields: list[str] = []
    note: str | None = None


class Contact(BaseModel):
    """A contact assigned to the partnership (ContactAssigned)."""

    occurred_on: DateText | None = Field(None, description="default: today")
    contact_id: str
    name: str
    side: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None
    language: str | None = None


def _data(model: BaseModel, *drop: str) -> dict:
    return {k: v for k, v in model.model_dump(exclude_none=True).items() if k not in drop and v != []}


def _write(
    pantau,
    user,
    stream: str,
    type_: str,
    occurred_on: str | None,
    data: dict,
    key: str | None,
    expected_version: int | None = None,
) -> JSONResponse:
    envelope = {"stream": stream, "type": type_, "occurred_on": occurred_on or pantau.today().isoformat(), "data": data}
    status_code, body = record(pantau, user, [envelope], key=key, expected_version=expected_version, single=True)
    return JSONResponse(body, status_code=status_code)


def _made_up_id(user, key: str | None) -> str:
    """A new activity id; under an Idempotency-Key the same one on every retry."""
    if key is None:
        return f"act-{uuid.uuid4().hex[:12]}"
    return f"act-{uuid.uuid5(uuid.NAMESPACE_URL, f'pantau:{user.id}:{key}').hex[:12]}"


ExpectedVersion = Annotated[Whole | None, Query(ge=0, description="the stream's version before this write")]


@router.post("", status_code=201)
def register(
    pantau: PantauDep, user: WriterDep, body: Annotated[Registration, Body()], idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    """Register a partnership; 409 when the id is taken."""
    data = _data(body, "stream", "occurred_on")
    data["fields"] = body.fields
    return _write(
        pantau, user, body.stream, "PartnershipRegistered", body.occurred_on, data, idempotency_key, expected_version=0
    )


@router.post("/{stream}/activities", status_code=201)
def log_activity(
    pantau: PantauDep,
    user: WriterDep,
    stream: Stream,
    body: Annotated[Activity, Body()],
    idempotency_key: IdempotencyKey = None,
    expected_version: ExpectedVersion = None,
) -> JSONResponse:
    """Log an activity (visit, training, festival, …) of the partnership."""
    data = _data(body, "occurred_on")
    data.setdefault("activity_id", _made_up_id(user, idempotency_key))
    return _write(pantau, user, stream, "ActivityLogged", body.occurred_on, data, idempotency_key, expected_version)


@router.post("/{stream}/agreements", status_code=201)
def record_agreement(
    pantau: PantauDep,
    user: WriterDep,
    stream: Stream,
    body: Annotated[Agreement, Body()],
    idempotency_key: IdempotencyKey = None,
    expected_version: ExpectedVersion = None,
) -> JSONResponse:
    """Record a signed agreement (LoI, MoU, MoA, …) of the partnership."""
    data = _data(body, "occurred_on")
    if not body.open_ended:
        data.pop("open_ended", None)
    return _write(pantau, user, stream, "AgreementSigned", body.occurred_on, data, idempotency_key, expected_version)


@router.post("/{stream}/contacts", status_code=201)
def assign_contact(
    pantau: PantauDep,
    user: WriterDep,
    stream: Stream,
    body: Annotated[Contact, Body()],
    idempotency_key: IdempotencyKey = None,
    expected_version: ExpectedVersion = None,
) -> JSONResponse:
    """Assign a contact to the partnership."""
    return _write(
        pantau,
        user,
        stream,
        "ContactAssigned",
        body.occurred_on,
        _data(body, "occurred_on"),
        idempotency_key,
        expected_version,
    )


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
