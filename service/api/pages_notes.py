"""The notes review page: every unreviewed note with its proposal, accepted or dismissed in one step."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from projections.notes import READING_WORDS
from service.api.errors import ApiError
from service.api.form_specs import ACTIVITY_KINDS as KINDS
from service.api.i18n import translator
from service.api.notes import store_review
from service.api.reads import partnership_names
from service.api.reasons import said as words
from service.api.web import check_csrf, logged_in, render
from service.bootstrap import Pantau
from service.notes import accept_events, dismiss_events, queue

router = APIRouter(include_in_schema=False)
_FIELD_WORDS = {"occurred_on": "notes.bad_date", "ends_on": "notes.bad_date", "kind": "notes.bad_kind"}


def _name(visit) -> str:
    return visit.user.name if visit.user is not None else ""


def _page(
    request: Request, visit, stream: str, problem: dict | None = None, done: str = "", status_code: int = 200
) -> HTMLResponse:
    pantau: Pantau = request.app.state.pantau
    column = 1 if visit.lang == "en" else 0
    items = [
        (item, READING_WORDS[item.reading][column], item.reason_en if column else item.reason)
        for item in queue(pantau.store, stream or None)
    ]
    names = partnership_names(pantau, [item.note.stream for item, _, _ in items] + [stream])
    return render(
        request,
        visit,
        "notes_review.html",
        {
            "items": items,
            "stream": stream,
            "names": names,
            "kinds": KINDS,
            "problem": problem or {},
            "done": done,
            "today": pantau.today(),
        },
        status_code,
    )


@router.get("/notes/review")
def review_page(request: Request, stream: str = "", done: str = "") -> HTMLResponse:
    visit = logged_in(request)
    return _page(request, visit, stream, done=done)


def _decide(request: Request, visit, event_id: str, stream: str, make, done: str) -> Response:
    t = translator(visit.lang)
    pantau: Pantau = request.app.state.pantau
    if visit.user is None or visit.user.role == "viewer":
        return _page(request, visit, stream, {"event_id": event_id, "message": t("form.forbidden")}, status_code=403)
    try:
        store_review(pantau, visit.user, make)
    except ApiError as exc:
        field = (exc.fields or [{}])[0].get("field", "")
        # The refusal said in the page's language; the detail (dates, ids) kept after it.
        said = {403: "form.forbidden", 409: "notes.conflict"}.get(exc.status) or _FIELD_WORDS.get(field)
        if visit.lang != "en":  # the record's English detail stays off a page in another language
            first = (exc.fields or [{}])[0]
            message = t(said) if said else words(first.get("code", exc.code), first.get("params", {}), visit.lang)
        else:
            message = t(said) if exc.status == 403 else f"{t(said)} ({exc.message})" if said else exc.message
        return _page(request, visit, stream, {"event_id": event_id, "message": message}, status_code=exc.status)
    query = urlencode({k: v for k, v in {"stream": stream, "done": done}.items() if v})
    return RedirectResponse(f"/notes/review?{query}", status_code=303)


@router.post("/notes/{event_id}/accept")
def accept_note(
    request: Request,
    event_id: str,
    csrf: Annotated[str, Form()] = "",
    stream: Annotated[str, Form()] = "",
    occurred_on: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    pantau: Pantau = request.app.state.pantau
    return _decide(
        request,
        visit,
        event_id,
        stream,
        lambda: accept_events(
            pantau.store,
            event_id,
            pantau.today(),
            _name(visit),
            occurred_on=occurred_on.strip() or None,
            kind=kind or None,
            title_=title.strip() or None,
            max_length=pantau.settings.max_text_length,
        ),
        "accepted",
    )


@router.post("/notes/{event_id}/dismiss")
def dismiss_note(
    request: Request,
    event_id: str,
    csrf: Annotated[str, Form()] = "",
    stream: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    pantau: Pantau = request.app.state.pantau
    return _decide(
        request,
        visit,
        event_id,
        stream,
        lambda: dismiss_events(
            pantau.store,
            event_id,
            pantau.today(),
            _name(visit),
            reason.strip() or None,
            max_length=pantau.settings.max_text_length,
        ),
        "dismissed",
    )
