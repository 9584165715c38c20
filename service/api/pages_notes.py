"""The notes review page: the unreviewed notes a page at a time, each accepted or dismissed in one step.

A refusal is shown in the note's own card, its form as typed, on the page where the note stands; the
form's address carries the card's anchor, so the browser opens the answer at the card (no script).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from events.numbers import is_whole
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
from service.written_dates import DateProblem, read_date

router = APIRouter(include_in_schema=False)
_FIELD_WORDS = {"occurred_on": "notes.bad_date", "ends_on": "notes.bad_date", "kind": "notes.bad_kind"}
# Refusals of a date whose own words name the bound (the note's day, 1945, a century ahead).
_BOUNDED = frozenset({"after_note", "too_early", "too_late", "not_a_day"})
PAGE_SIZE = 20  # notes a page shows: each is a card with two forms, about a phone screen and a half


def _name(visit) -> str:
    return visit.user.name if visit.user is not None else ""


def _number(text: str) -> int:
    """The page asked for: a whole number, else the first (bad input is no reason for a 4xx here)."""
    return int(text) if len(text) <= 6 and is_whole(text) and int(text) > 0 else 1


def _address(stream: str, number: int, done: str = "") -> str:
    query = urlencode(
        {k: v for k, v in {"stream": stream, "page": number if number > 1 else "", "done": done}.items() if v}
    )
    return f"/notes/review?{query}" if query else "/notes/review"


def _page(
    request: Request,
    visit,
    stream: str,
    number: int = 1,
    problem: dict | None = None,
    done: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    pantau: Pantau = request.app.state.pantau
    column = 1 if visit.lang == "en" else 0
    every = queue(pantau.store, stream or None)
    at = next((i for i, item in enumerate(every) if problem and item.note.event_id == problem["event_id"]), None)
    if at is not None:  # the page where the person acted, whatever page they asked for
        number = at // PAGE_SIZE + 1
    pages = max(1, -(-len(every) // PAGE_SIZE))
    number = min(number, pages)
    first = (number - 1) * PAGE_SIZE
    items = [
        (item, READING_WORDS[item.reading][column], item.reason_en if column else item.reason)
        for item in every[first : first + PAGE_SIZE]
    ]
    names = partnership_names(pantau, [item.note.stream for item, _, _ in items] + [stream])
    pager = {
        "first": first + 1 if items else 0,
        "last": first + len(items),
        "total": len(every),
        "number": number,
        "pages": pages,
        "previous": _address(stream, number - 1) if number > 1 else None,
        "next": _address(stream, number + 1) if number < pages else None,
    }
    context = {"items": items, "stream": stream, "names": names, "kinds": KINDS, "problem": problem or {}, "done": done}
    return render(
        request, visit, "notes_review.html", {**context, "pager": pager, "today": pantau.today()}, status_code
    )


@router.get("/notes/review")
def review_page(request: Request, stream: str = "", done: str = "", page: str = "1") -> HTMLResponse:
    visit = logged_in(request)
    return _page(request, visit, stream, _number(page), done=done)


def _message(exc: ApiError, lang: str) -> tuple[str, str]:
    """(the field a review's refusal is about, its words in `lang`; the English detail kept on English pages)."""
    t = translator(lang)
    first = (exc.fields or [{}])[0]
    field, code = first.get("field", ""), first.get("code", exc.code)
    said = {403: "form.forbidden", 409: "notes.conflict"}.get(exc.status)
    if said is None and code not in _BOUNDED:
        said = _FIELD_WORDS.get(field)
    if lang != "en":  # the record's English detail stays off a page in another language
        return field, t(said) if said else words(code, first.get("params", {}), lang)
    return field, t(said) if exc.status == 403 else f"{t(said)} ({exc.message})" if said else exc.message


def _decide(request: Request, visit, event_id: str, form: dict, make, done: str) -> Response:
    t = translator(visit.lang)
    pantau: Pantau = request.app.state.pantau
    stream, number = form.get("stream", ""), _number(form.get("page", ""))
    if visit.user is None or visit.user.role == "viewer":
        problem = {"event_id": event_id, "message": t("form.forbidden"), "values": form}
        return _page(request, visit, stream, number, problem, status_code=403)
    try:
        store_review(pantau, visit.user, make)
    except ApiError as exc:
        field, message = _message(exc, visit.lang)
        problem = {"event_id": event_id, "message": message, "field": field, "values": form}
        return _page(request, visit, stream, number, problem, status_code=exc.status)
    except DateProblem as problem_:  # a day that does not exist, told before the record is asked
        message = t(problem_.key) % problem_.params
        problem = {"event_id": event_id, "message": message, "field": "occurred_on", "values": form}
        return _page(request, visit, stream, number, problem, status_code=422)
    return RedirectResponse(_address(stream, number, done), status_code=303)


def _typed_date(text: str) -> str | None:
    """The ISO partial date of a date as people write it ("14 Maret 2019", "2019"); the text when it is none."""
    text = text.strip()
    if not text:
        return None
    try:
        return str(read_date(text))
    except DateProblem as problem:
        if problem.key in ("wd.no_day", "wd.no_month"):
            raise
        return text  # the record refuses it, naming the forms a date takes


@router.post("/notes/{event_id}/accept")
def accept_note(
    request: Request,
    event_id: str,
    csrf: Annotated[str, Form()] = "",
    stream: Annotated[str, Form()] = "",
    page: Annotated[str, Form()] = "",
    occurred_on: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    pantau: Pantau = request.app.state.pantau
    typed = {"stream": stream, "page": page, "occurred_on": occurred_on, "kind": kind, "title": title}
    return _decide(
        request,
        visit,
        event_id,
        typed,
        lambda: accept_events(
            pantau.store,
            event_id,
            pantau.today(),
            _name(visit),
            occurred_on=_typed_date(occurred_on),
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
    page: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    visit = logged_in(request)
    check_csrf(visit, csrf)
    pantau: Pantau = request.app.state.pantau
    return _decide(
        request,
        visit,
        event_id,
        {"stream": stream, "page": page, "reason": reason},
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
