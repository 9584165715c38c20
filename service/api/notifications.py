"""The outbox, the digest preview and the local mailbox of the embedded default, as JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response

from notifications import keys
from notifications import outbox as outbox_store
from notifications.alert_rules import DIGEST
from notifications.compose import address
from notifications.digest import build as build_digest
from notifications.render import render
from notifications.rules import Alert
from notifications.schema import STATES
from service.api.deps import DESK_ID, MONTH, PantauDep, UserDep, month_first, month_span
from service.api.errors import ApiError
from service.api.reads import of_desk, states_on
from service.bootstrap import Pantau
from service.password_mail import private_mail
from service.smtp_sink import get_received, list_received

router = APIRouter(prefix="/api", tags=["notifications"])

_SUMMARY = (
    "key",
    "rule",
    "stream",
    "desk",
    "day",
    "language",
    "to",
    "cc",
    "subject",
    "state",
    "attempts",
    "next_attempt_at",
    "last_error",
    "last_error_code",
    "last_error_params",
    "created_at",
    "sent_at",
)


def digest_preview(pantau: Pantau, desk: str, month: date, language: str) -> dict:
    """The desk's digest of a month as it would be sent: recipients, subject, text and HTML."""
    _, states = states_on(pantau, None, of_desk(pantau, desk))
    context = build_digest(states, desk, month, pantau.rules, pantau.alert_rules)
    if not context["rows"]:
        raise ApiError(
            404,
            f"no partnership of desk {desk!r} registered by the end of {month:%Y-%m}",
            code="digest_empty",
            fields=[{"field": "desk", "code": "digest_empty", "params": {"desk": desk, "month": f"{month:%Y-%m}"}}],
        )
    key = keys.digest(desk, month)
    alert = Alert(DIGEST, key, month, None, desk, {"month": month})
    recipients = [r for item in address(alert, None, pantau.rules, context["desk_contacts"]) for r in item.recipients]
    body = render(DIGEST, language, {**context, "key": key, "today": pantau.today()})
    return {
        "key": key,
        "desk": desk,
        "month": f"{month:%Y-%m}",
        "to": recipients,
        "subject": body.subject,
        "text": body.text,
        "html": body.html,
    }


@router.get("/outbox")
def outbox(
    pantau: PantauDep,
    _user: UserDep,
    state: Annotated[Literal[STATES] | None, Query()] = None,  # type: ignore[valid-type]
    rule: Annotated[str | None, Query(max_length=40)] = None,
    stream: Annotated[str | None, Query(max_length=80)] = None,
    desk: Annotated[str | None, Query(max_length=80)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> JSONResponse:
    """Messages of the outbox, newest first, with how many are in each state."""
    rows = outbox_store.list_messages(
        pantau.engine, state=state, rule=rule, stream=stream, desk=desk, limit=limit, offset=offset
    )
    return JSONResponse(
        jsonable_encoder(
            {"counts": outbox_store.counts(pantau.engine), "messages": [{k: r[k] for k in _SUMMARY} for r in rows]}
        )
    )


@router.get("/outbox/{key}")
def outbox_message(pantau: PantauDep, _user: UserDep, key: Annotated[str, Path(max_length=300)]) -> JSONResponse:
    """One outbox message with its text and HTML."""
    message = outbox_store.get_message(pantau.engine, key)
    if message is None:
        raise ApiError(404, f"no outbox message {key!r}")
    return JSONResponse(jsonable_encoder(message))


@router.get("/digest/{desk}", responses={200: {"content": {"text/html": {}}}})
def digest(
    pantau: PantauDep,
    _user: UserDep,
    desk: Annotated[str, Path(pattern=DESK_ID)],
    month: Annotated[str, Query(pattern=MONTH, description="YYYY-MM")],
    language: Annotated[Literal["id", "en"], Query()] = "id",
    format: Annotated[Literal["json", "html"], Query()] = "json",
) -> Response:
    """Preview of a desk's monthly digest, without queueing it."""
    first = month_first(month, pantau.today())
    if first is None:
        params = month_span(month, pantau.today())
        reason = f"{month} is not a month of the years {params['earliest']} to {params['latest']}"
        field = {"field": "month", "reason": reason, "code": "month_range", "params": params}
        raise ApiError(422, f"month: {reason}", fields=[field])
    preview = digest_preview(pantau, desk, first, language)
    if format == "html":
        return HTMLResponse(preview["html"])
    return JSONResponse(preview)


@router.get("/mailbox")
def mailbox(
    pantau: PantauDep,
    _user: UserDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> JSONResponse:
    """What the local SMTP sink received, newest first (the embedded default's inbox)."""
    rows = list_received(pantau.engine, limit=limit, offset=offset)
    return JSONResponse(jsonable_encoder([{k: v for k, v in r.items() if k != "raw"} for r in rows]))


@router.get("/mailbox/{message_id}", responses={200: {"content": {"message/rfc822": {}}}})
def mailbox_message(pantau: PantauDep, user: UserDep, message_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
    """One received message, raw (an invitation or reset mail: administrators only)."""
    message = get_received(pantau.engine, message_id)
    if message is None:
        raise ApiError(404, f"no received message {message_id}")
    if private_mail(message["raw"]) and user.role != "admin":
        raise ApiError(403, "an invitation or reset mail holds a link to set a password: administrators only")
    return Response(message["raw"], media_type="text/plain; charset=utf-8")
