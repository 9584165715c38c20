"""The notification pages: the outbox, a desk's digest preview, the local mailbox."""

from __future__ import annotations

from email import message_from_bytes, policy
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from notifications import outbox as outbox_store
from notifications.schema import STATES
from notifications.words import desk_name
from service.api.deps import Whole, month_first, month_span
from service.api.errors import ApiError
from service.api.i18n import N_, translator
from service.api.notifications import digest_preview
from service.api.reads import partnership_names
from service.api.reasons import said
from service.api.web import check_csrf, logged_in, render
from service.bootstrap import Pantau
from service.password_mail import private_mail
from service.smtp_sink import get_received, list_received

router = APIRouter(include_in_schema=False)
NOT_FOUND = N_("notfound")  # outside the f-strings, where extraction finds it


@router.get("/outbox")
def outbox_page(request: Request, state: str = "", done: str = "") -> HTMLResponse:
    visit = logged_in(request)
    pantau: Pantau = request.app.state.pantau
    rows = outbox_store.list_messages(pantau.engine, state=state if state in STATES else None, limit=200, history=True)
    desks = [(d.id, desk_name(pantau.rules, d.id)) for d in pantau.rules.desks]
    return render(
        request,
        visit,
        "outbox.html",
        {
            "rows": rows,
            "names": partnership_names(pantau, [m["stream"] for m in rows if m.get("stream")]),
            "desk_name": lambda d: desk_name(pantau.rules, d),
            "counts": outbox_store.counts(pantau.engine),
            "state": state,
            "states": STATES,
            "desks": desks,
            "done": done,
            "month": pantau.today().strftime("%Y-%m"),
        },
    )


@router.get("/outbox/message")
def outbox_message_page(request: Request, key: str = "", done: str = "") -> HTMLResponse:
    visit = logged_in(request)
    message = outbox_store.get_message(request.app.state.pantau.engine, key[:300]) if key else None
    if message is None:
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)(NOT_FOUND)}: {key}"}, 404)
    return render(request, visit, "outbox_message.html", {"m": message, "done": done})


@router.post("/outbox/retry")
def outbox_retry(
    request: Request, key: Annotated[str, Form(max_length=300)] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    t = translator(visit.lang)
    assert visit.user is not None  # logged_in() refuses a visit without one
    if visit.user.role != "admin":
        return render(request, visit, "error.html", {"message": t("outbox.admin_only")}, 403)
    pantau: Pantau = request.app.state.pantau
    queued = outbox_store.retry(pantau.engine, key, pantau.clock())
    if not queued:
        return render(request, visit, "error.html", {"message": t("outbox.not_retried")}, 409)
    return RedirectResponse(f"/outbox/message?{urlencode({'key': key, 'done': 'retried'})}", status_code=303)


@router.get("/digest")
def digest_page(request: Request, desk: str = "", month: str = "") -> Response:
    visit = logged_in(request)
    today = request.app.state.pantau.today()
    first = month_first(month, today)
    if first is None:
        month_word, form = (
            translator(visit.lang)("outbox.month"),
            said("month_range", month_span(month, today), visit.lang),
        )
        return render(request, visit, "error.html", {"message": f"{month_word}: {form}"}, 422)
    try:
        preview = digest_preview(request.app.state.pantau, desk, first, visit.lang)
    except ApiError as exc:
        params = (exc.fields or [{}])[0].get("params", {})
        return render(
            request, visit, "error.html", {"message": said(exc.code, params, visit.lang, exc.message)}, exc.status
        )
    return HTMLResponse(preview["html"])


@router.get("/mailbox")
def mailbox_page(request: Request) -> HTMLResponse:
    visit = logged_in(request)
    rows = list_received(request.app.state.pantau.engine, limit=200)
    return render(request, visit, "mailbox.html", {"rows": rows, "chosen": None})


@router.get("/mailbox/{message_id}")
def mailbox_message_page(request: Request, message_id: Whole) -> HTMLResponse:
    visit = logged_in(request)
    engine = request.app.state.pantau.engine
    chosen = get_received(engine, message_id) if 0 < message_id < 2**62 else None
    if chosen is None:
        return render(
            request, visit, "error.html", {"message": f"{translator(visit.lang)(NOT_FOUND)}: {message_id}"}, 404
        )
    if private_mail(chosen["raw"]) and visit.user.role != "admin":  # its link would let the reader set a password
        return render(request, visit, "error.html", {"message": translator(visit.lang)("outbox.private")}, 403)
    return render(
        request,
        visit,
        "mailbox.html",
        {"rows": list_received(engine, limit=200), "chosen": chosen, "shown": as_seen(chosen["raw"])},
    )


def as_seen(raw: str) -> dict:
    """A stored message as its recipient sees it: decoded headers, the plain text and the HTML part."""
    # Parsed from bytes: a part sent as 8bit UTF-8 decodes as text (from a str it would not).
    message = message_from_bytes(raw.encode("utf-8", errors="replace"), policy=policy.default)
    parts = {}
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        if part is not None and part.get_content_type() == f"text/{kind}":
            parts[kind] = part.get_content()
    return {
        "from": str(message.get("From", "")),
        "to": str(message.get("To", "")),
        "cc": str(message.get("Cc", "")),
        "subject": str(message.get("Subject", "")),
        "text": parts.get("plain", ""),
        "html": parts.get("html", ""),
    }
