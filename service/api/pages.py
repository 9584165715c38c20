"""The web pages: log in with a token, the matrix, one partnership, the activity form, expiries."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from events.errors import Conflict, InvalidEvent
from projections.status import contacts, details, status
from service.api import charts, notices
from service.api.deps import MONTH, sensible_day
from service.api.errors import ApiError
from service.api.i18n import LANGUAGES, translator
from service.api.matrix import XLSX, export_name
from service.api.reads import state_of, states_on
from service.api.recording import parse, record
from service.api.session import COOKIE, MAX_AGE, Session, fresh
from service.auth import User, authenticate, get_user
from service.bootstrap import Pantau
from service.matrix import agreement_text, matrix, to_csv, to_xlsx

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
templates.env.globals["agreement_text"] = agreement_text

KINDS = ("visit", "exchange", "training", "scholarship", "grant", "technical_assistance", "festival",
         "forum", "working_group", "meeting", "video_call", "correspondence", "other")
STATUSES = ("aktif", "kurang_aktif", "tidak_aktif", "penjajakan")


class LoginRequired(Exception):
    """The page needs a logged-in user."""


class CsrfRefused(Exception):
    """A form came without the session's CSRF token."""


@dataclass(frozen=True)
class Visit:
    """The request's session, user and language."""

    session: Session
    user: User | None
    lang: str
    new_lang: bool


def _visit(request: Request) -> Visit:
    pantau: Pantau = request.app.state.pantau
    session = request.app.state.sessions.load(request.cookies.get(COOKIE)) or fresh()
    user = get_user(pantau.engine, session.user_id) if session.user_id is not None else None
    asked = request.query_params.get("lang")
    lang = asked if asked in LANGUAGES else request.cookies.get("lang", "id")
    return Visit(session, user, lang if lang in LANGUAGES else "id", asked in LANGUAGES)


def _logged_in(request: Request) -> Visit:
    visit = _visit(request)
    if visit.user is None:
        raise LoginRequired()
    return visit


def _check_csrf(visit: Visit, token: str) -> None:
    if not token or token != visit.session.csrf:
        raise CsrfRefused()


def _set_session(request: Request, response: Response, session: Session) -> None:
    response.set_cookie(COOKIE, request.app.state.sessions.dump(session), max_age=MAX_AGE, httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/")


def _lang_url(request: Request, code: str) -> str:
    params = dict(request.query_params)
    params["lang"] = code
    return f"{request.url.path}?{urlencode(params)}"


def render(request: Request, visit: Visit, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    """A page rendered in the visitor's language, its session cookie refreshed."""
    response = templates.TemplateResponse(request, name, {
        "t": translator(visit.lang), "lang": visit.lang, "user": visit.user, "csrf": visit.session.csrf,
        "lang_url": lambda code: _lang_url(request, code), "notices": notices.available(), **context,
    }, status_code=status_code)
    _set_session(request, response, visit.session)
    if visit.new_lang:
        response.set_cookie("lang", visit.lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/matrix"


def install(app: FastAPI) -> None:
    """Turn a missing login into a redirect, a bad CSRF token into a 403 page."""

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc: CsrfRefused):
        visit = _visit(request)
        return render(request, visit, "error.html", {"message": translator(visit.lang)("csrf.bad")}, 403)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/matrix", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "/matrix") -> HTMLResponse:
    visit = _visit(request)
    return render(request, visit, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
def login(request: Request, token: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/matrix") -> Response:
    visit = _visit(request)
    _check_csrf(visit, csrf)
    user = authenticate(request.app.state.pantau.engine, token.strip()) if token.strip() else None
    if user is None:
        return render(request, visit, "login.html", {"next": _safe_next(next), "error": "login.bad"}, 401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_session(request, response, fresh(user.id))  # a new session (and CSRF token) at login
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    visit = _visit(request)
    _check_csrf(visit, csrf)
    response = RedirectResponse("/login", status_code=303)
    _set_session(request, response, fresh())
    return response


def _as_of(text: str, today: date) -> tuple[date, str | None]:
    if not text:
        return today, None
    try:
        return sensible_day(date.fromisoformat(text)), None
    except ValueError:
        return today, f"{text!r}: YYYY-MM-DD, 1800–2999"


@router.get("/matrix")
def matrix_page(request: Request, desk: str = "", status: str = "", as_of: str = "") -> HTMLResponse:
    visit = _logged_in(request)
    pantau: Pantau = request.app.state.pantau
    day, problem = _as_of(as_of, pantau.today())
    day, states = states_on(pantau, day)
    every = matrix(states, day, pantau.rules)
    rows = [r for r in every if (not desk or r.desk == desk) and (not status or r.matrix_status == status)]
    desks = sorted({r.desk for r in every if r.desk})
    query = urlencode({k: v for k, v in {"desk": desk, "status": status, "as_of": as_of}.items() if v})
    return render(request, visit, "matrix.html", {
        "rows": rows, "day": day, "desk": desk, "status": status, "as_of": as_of, "problem": problem,
        "desks": desks, "statuses": STATUSES, "query": query})


@router.get("/matrix.{fmt}")
def matrix_download(request: Request, fmt: str, desk: str = "", status: str = "", as_of: str = "") -> Response:
    _logged_in(request)
    pantau: Pantau = request.app.state.pantau
    day, _ = _as_of(as_of, pantau.today())
    day, states = states_on(pantau, day)
    rows = matrix(states, day, pantau.rules, desk or None, status or None)
    name = export_name(desk or None, day)
    if fmt == "csv":
        return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if fmt == "xlsx":
        return Response(to_xlsx(rows, day), media_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    raise ApiError(404, f"no export format {fmt!r}")


def _summary(event, t) -> str:
    data = event.data
    kind = event.type
    if kind == "ActivityLogged":
        return " — ".join(x for x in (t(data.get("kind")), data.get("title"), data.get("description")) if x)
    if kind in ("AgreementSigned", "AgreementRenewed", "AgreementTerminated"):
        bits = [data.get("document"), data.get("agreement_id"), data.get("valid_until") and f"s.d. {data['valid_until']}",
                data.get("note"), data.get("reason")]
        return " — ".join(str(b) for b in bits if b)
    if kind == "NoteAdded":
        return data.get("text", "")
    if kind == "StatusAssessed":
        return " — ".join(x for x in (t(data.get("status")), data.get("note")) if x)
    if kind == "ContactAssigned":
        return " — ".join(x for x in (data.get("name"), data.get("role"), data.get("email")) if x)
    if kind == "NotificationSent":
        return " — ".join(x for x in (data.get("rule"), data.get("subject")) if x)
    if kind == "PartnershipRegistered":
        return f"{data['indonesia']['name']} – {data['partner']['name']} ({data['partner']['country']})"
    return " ".join(str(v) for v in data.values() if isinstance(v, (str, int)))


def _partnership_context(request: Request, visit: Visit, stream: str, as_of: str = "") -> dict | None:
    pantau: Pantau = request.app.state.pantau
    state = state_of(pantau, stream)
    if state is None:
        return None
    day, problem = _as_of(as_of, pantau.today())
    current = status(state, day, pantau.rules)
    t = translator(visit.lang)
    events = pantau.store.stream(stream)
    timeline = sorted(events, key=lambda e: (e.occurred_on.first, e.position), reverse=True)
    return {
        "stream": stream, "day": day, "problem": problem, "info": details(state, day, pantau.rules),
        "current": current, "contacts": contacts(state, day),
        "timeline": [(e, _summary(e, t)) for e in timeline],
        "notifications": [e for e in timeline if e.type == "NotificationSent"],
        "chart": charts.bar_chart(charts.activities_per_year(state), t("p.chart")),
        "version": state.version,
    }


@router.get("/partnerships/{stream}")
def partnership_page(request: Request, stream: str, as_of: str = "", saved: str = "") -> HTMLResponse:
    visit = _logged_in(request)
    context = _partnership_context(request, visit, stream, as_of)
    if context is None:
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)('notfound')}: {stream}"}, 404)
    return render(request, visit, "partnership.html", {**context, "saved": bool(saved)})


def _activity_form(request: Request, visit: Visit, stream: str, values: dict, errors: dict,
                   message: str | None = None, status_code: int = 200) -> HTMLResponse:
    context = _partnership_context(request, visit, stream)
    if context is None:
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)('notfound')}: {stream}"}, 404)
    return render(request, visit, "activity_form.html", {
        **context, "values": values, "errors": errors, "message": message, "kinds": KINDS}, status_code)


@router.get("/partnerships/{stream}/activity")
def activity_form(request: Request, stream: str) -> HTMLResponse:
    visit = _logged_in(request)
    values = {"occurred_on": request.app.state.pantau.today().isoformat(), "kind": "visit",
              "form_id": str(uuid.uuid4())}
    return _activity_form(request, visit, stream, values, {})


@router.post("/partnerships/{stream}/activity")
def log_activity(request: Request, stream: str, csrf: Annotated[str, Form()] = "",
                 form_id: Annotated[str, Form(max_length=64)] = "",
                 occurred_on: Annotated[str, Form()] = "", ends_on: Annotated[str, Form()] = "",
                 kind: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
                 description: Annotated[str, Form()] = "", direction: Annotated[str, Form()] = "",
                 mode: Annotated[str, Form()] = "", participants: Annotated[str, Form()] = "") -> Response:
    visit = _logged_in(request)
    _check_csrf(visit, csrf)
    t = translator(visit.lang)
    values = {"form_id": form_id, "occurred_on": occurred_on.strip(), "ends_on": ends_on.strip(), "kind": kind,
              "title": title.strip(), "description": description.strip(), "direction": direction,
              "mode": mode, "participants": participants.strip()}
    errors: dict[str, str] = {}
    data: dict = {"kind": kind}
    for name in ("title", "description", "ends_on", "direction", "mode"):
        if values[name]:
            data[name] = values[name]
    if not values["title"]:
        errors["title"] = t("form.required")
    if values["participants"]:
        if values["participants"].isdigit():
            data["participants"] = int(values["participants"])
        else:
            errors["participants"] = t("form.not_number")
    # The form's own id names the activity, so a double submit records it once.
    data["activity_id"] = f"act-{(form_id or uuid.uuid4().hex)[:13]}"
    envelope = {"stream": stream, "type": "ActivityLogged", "occurred_on": values["occurred_on"], "data": data}
    pantau: Pantau = request.app.state.pantau
    try:
        if errors:
            parse(pantau, visit.user, [envelope], None)  # the catalogue's reasons too, all at once
            raise InvalidEvent([])
        record(pantau, visit.user, [envelope], key=f"form:{form_id}" if form_id else None, single=True)
    except InvalidEvent as exc:
        errors.update({e.field.removeprefix("data."): e.reason for e in exc.errors})
        return _activity_form(request, visit, stream, values, errors, t("form.invalid"), 422)
    except ApiError as exc:
        message = t("form.forbidden") if exc.status == 403 else exc.message
        return _activity_form(request, visit, stream, values, errors, message, exc.status)
    except Conflict as exc:
        return _activity_form(request, visit, stream, values, errors, str(exc), 409)
    return RedirectResponse(f"/partnerships/{stream}?saved=1#timeline", status_code=303)


@router.get("/expiries")
def expiries_page(request: Request) -> HTMLResponse:
    visit = _logged_in(request)
    pantau: Pantau = request.app.state.pantau
    day, states = states_on(pantau, None)
    rows = []
    for row in matrix(states, day, pantau.rules):
        for agreement in row.agreements:
            if agreement.days_left is not None and agreement.state in ("in_force", "lapsed") \
                    and -90 <= agreement.days_left <= 365:
                rows.append((row, agreement))
    rows.sort(key=lambda item: item[1].days_left)
    return render(request, visit, "expiries.html", {"rows": rows, "day": day})


@router.get("/outbox")
def outbox_page(request: Request, state: str = "") -> HTMLResponse:
    visit = _logged_in(request)
    from notifications import outbox as outbox_store
    from notifications.schema import STATES
    pantau: Pantau = request.app.state.pantau
    rows = outbox_store.list_messages(pantau.engine, state=state if state in STATES else None, limit=200)
    return render(request, visit, "outbox.html", {"rows": rows, "counts": outbox_store.counts(pantau.engine),
                                                  "state": state, "states": STATES,
                                                  "month": pantau.today().strftime("%Y-%m")})


@router.get("/digest")
def digest_page(request: Request, desk: str = "", month: str = "") -> Response:
    visit = _logged_in(request)
    from service.api.notifications import digest_preview
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
    visit = _logged_in(request)
    from service.smtp_sink import list_received
    rows = list_received(request.app.state.pantau.engine, limit=200)
    return render(request, visit, "mailbox.html", {"rows": rows, "chosen": None})


@router.get("/mailbox/{message_id}")
def mailbox_message_page(request: Request, message_id: int) -> HTMLResponse:
    visit = _logged_in(request)
    from service.smtp_sink import get_received, list_received
    engine = request.app.state.pantau.engine
    chosen = get_received(engine, message_id) if 0 < message_id < 2**62 else None
    if chosen is None:
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)('notfound')}: {message_id}"}, 404)
    return render(request, visit, "mailbox.html", {"rows": list_received(engine, limit=200), "chosen": chosen})
