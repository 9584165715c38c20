"""Appending events and reading a partnership's raw stream (the calls of docs/interfaces.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query
from fastapi.responses import JSONResponse

from events import mapper
from events.vocabulary import STREAM_PATTERN
from service.api.deps import PantauDep, UserDep, Whole, WriterDep
from service.api.errors import ApiError
from service.api.recording import record
from service.api.typed_bodies import ecma

router = APIRouter(prefix="/api", tags=["events"])

Stream = Annotated[str, Path(pattern=ecma(STREAM_PATTERN), description="the partnership id")]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="a retry with the same key returns the first answer"),
]
_EXAMPLE = {
    "stream": "kota-bandung-seoul",
    "type": "ActivityLogged",
    "occurred_on": "2021-10-05",
    "data": {"activity_id": "2021-10-vc", "kind": "video_call", "title": "Courtesy call"},
}


@router.post("/events", status_code=201, responses={201: {"description": "the stored events"}})
def append_events(
    pantau: PantauDep,
    user: WriterDep,
    envelopes: Annotated[
        dict[str, Any] | list[dict[str, Any]],
        Body(description="one event envelope (docs/events.md) or an array of them", examples=[_EXAMPLE, [_EXAMPLE]]),
    ],
    expected_version: Annotated[Whole | None, Query(ge=0, description="the stream's version before this write")] = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Append one envelope or an array of them, all or nothing; 201 with the stored events."""
    batch = envelopes if isinstance(envelopes, list) else [envelopes]
    status, body = record(pantau, user, batch, expected_version=expected_version, key=idempotency_key)
    return JSONResponse(body, status_code=status)


@router.get("/partnerships/{stream}/events")
def stream_events(pantau: PantauDep, _user: UserDep, stream: Stream) -> JSONResponse:
    """The partnership's stored events in order, each with position, version and recorded_at."""
    events = pantau.store.stream(stream)
    if not events:
        raise ApiError(404, f"no partnership {stream!r}")
    return JSONResponse([mapper.to_wire(e) for e in events])
