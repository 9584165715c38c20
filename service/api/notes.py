"""The notes review over HTTP: the queue, and accepting or dismissing one note (writers, in their scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from events import catalogue, mapper
from events.catalogue import ActivityKind
from events.vocabulary import STREAM_PATTERN
from service.api.deps import PantauDep, UserDep, WriterDep
from service.api.errors import ApiError
from service.api.recording import authorise
from service.api.typed_bodies import ecma
from service.auth import User
from service.bootstrap import Pantau
from service.notes import (
    NoteRefused,
    accept_events,
    append_review,
    dismiss_events,
    queue,
)

router = APIRouter(prefix="/api/notes", tags=["notes"])

EventId = Annotated[str, Path(max_length=64, description="the NoteAdded event's id")]
PARTIAL_DATE = ecma(catalogue.PARTIAL_DATE)


class Acceptance(BaseModel):
    """What a person adds to a note's proposal when accepting it; every field optional, no other field taken."""

    model_config = ConfigDict(extra="forbid")

    occurred_on: str | None = Field(
        default=None, pattern=PARTIAL_DATE, description="required when the text gives no date"
    )
    ends_on: str | None = Field(default=None, pattern=PARTIAL_DATE)
    kind: ActivityKind | None = Field(default=None, description="default: the proposal's kind")
    title: str | None = Field(default=None, max_length=200, description="default: the proposal's title")


class Dismissal(BaseModel):
    """Why a note is dismissed (NoteReviewed's `reason`); no other field taken."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=1000)


@router.get("/review")
def review(
    pantau: PantauDep, _user: UserDep, stream: Annotated[str | None, Query(pattern=ecma(STREAM_PATTERN))] = None
) -> JSONResponse:
    """Every note not yet reviewed, with a proposal (never applied without an accept) and its reason."""
    return JSONResponse([item.as_json() for item in queue(pantau.store, stream)])


def store_review(pantau: Pantau, user: User, make) -> list[dict]:
    """Build a review's events with `make()`, check the caller's scope, append; NoteRefused as 409/422."""
    try:
        batch = make()
        authorise(pantau, user, batch)
        stored = append_review(pantau.store, batch)
    except NoteRefused as exc:
        raise ApiError(
            409 if exc.conflict else 422,
            str(exc),
            fields=[{"field": exc.field, "reason": str(exc), "code": exc.code, "params": exc.params}],
        ) from None
    return [mapper.to_wire(e) for e in stored]


@router.post("/{event_id}/accept", status_code=201)
def accept(
    pantau: PantauDep, user: WriterDep, event_id: EventId, body: Annotated[Acceptance | None, Body()] = None
) -> JSONResponse:
    """Record the note as an activity (ActivityLogged whose meta names the note) and take it off the queue."""
    body = body or Acceptance()
    stored = store_review(
        pantau,
        user,
        lambda: accept_events(
            pantau.store,
            event_id,
            pantau.today(),
            user.name,
            occurred_on=body.occurred_on,
            ends_on=body.ends_on,
            kind=body.kind,
            title_=body.title,
            max_length=pantau.settings.max_text_length,
        ),
    )
    return JSONResponse(stored, status_code=201)


@router.post("/{event_id}/dismiss", status_code=201)
def dismiss(
    pantau: PantauDep, user: WriterDep, event_id: EventId, body: Annotated[Dismissal | None, Body()] = None
) -> JSONResponse:
    """Take the note off the queue; it stays a note."""
    reason = body.reason if body else None
    stored = store_review(
        pantau,
        user,
        lambda: dismiss_events(
            pantau.store, event_id, pantau.today(), user.name, reason, max_length=pantau.settings.max_text_length
        ),
    )
    return JSONResponse(stored, status_code=201)
