"""The notification pages: the outbox, a desk's digest preview, the local mailbox."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from notifications import outbox as outbox_store
from notifications.schema import STATES
from service.api.deps import MONTH
from service.api.errors import ApiError
from service.api.i18n import N_, translator
from service.api.notifications import digest_preview
from service.api.web import logged_in, render
from service.bootstrap import Pantau
from service.smtp_sink import get_received, list_received

router = APIRouter(include_in_schema=False)


@router.get("/outbox")
def outbox_page(request: Request, state: str = "") -> HTMLResponse:
    visit = logged_in(request)
    pantau: Pantau = request.app.state.pantau
    rows = outbox_store.list_messages(pantau.engine, state=state if state in STATES else None, limit=200,
                                      history=True)
    return render(request, visit, "outbox.html", {"rows": rows, "counts": outbox_store.counts(pantau.engine),
                                                  "state": state, "states": STATES,
                                                  "month": pantau.today().strftime("%Y-%m")})


@router.get("/digest")
def digest_page(request: Request, desk: str = "", month: str = "") -> Response:
    visit = logged_in(request)
    if not re.match(MONTH, month):
        return render(request, visit, "error.html", {"message": f"month {month!r}: YYYY-MM"}, 422)
    first = date.fromisoformat(month + "-01")
    try:
        preview = digest_preview(request.app.state.pantau, desk, first, visit.lang)
    except ApiError as exc:
        return render(request, visit, "error.html", {"message": exc.message}, exc.status)
    return HTMLResponse(preview["html"])


@router.get("/mailbox")
def mailbox_page(request: Request) -> HTMLResponse:
    visit = logged_in(request)
    rows = list_received(request.app.state.pantau.engine, limit=200)
    return render(request, visit, "mailbox.html", {"rows": rows, "chosen": None})


@router.get("/mailbox/{message_id}")
def mailbox_message_page(request: Request, message_id: int) -> HTMLResponse:
    visit = logged_in(request)
    engine = request.app.state.pantau.engine
    chosen = get_received(engine, message_id) if 0 < message_id < 2**62 else None
    if chosen is None:
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)(N_('notfound'))}: {message_id}"}, 404)
    return render(request, visit, "mailbox.html", {"rows": list_received(engine, limit=200), "chosen": chosen})
