"""Page plumbing: the session of a visit, its language, CSRF checks, rendering; log in and out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from notifications.words import desk_name
from service import passwords
from service.api import formats, reasons
from service.api import session as sessions
from service.api.errors import respond
from service.api.i18n import LANGUAGES, N_, translations, translator
from service.api.partial_dates import shower
from service.api.session import COOKIE, MAX_AGE, Session, fresh
from service.api.storable import UnfitValue, unfit
from service.api.throttle import address_of
from service.auth import User, authenticate, get_user
from service.bootstrap import Pantau

router = APIRouter(include_in_schema=False)
TEMPLATES = Path(__file__).parent.parent / "templates"


def page_templates() -> Jinja2Templates:
    """The pages' templates with the service's filters (one per app: create_app builds it, through install)."""
    templates = Jinja2Templates(directory=TEMPLATES)
    formats.install(templates.env)
    templates.env.filters["why"] = reasons.why_filter
    return templates


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


def visit_of(request: Request) -> Visit:
    pantau: Pantau = request.app.state.pantau
    session = request.app.state.sessions.load(request.cookies.get(COOKIE)) or fresh()
    user = None
    if session.user_id is not None:
        if sessions.active(pantau.engine, session, pantau.clock()):
            user = get_user(pantau.engine, session.user_id)
        if user is None:  # logged out, revoked or expired: an anonymous visit from here on
            session = fresh()
    asked = request.query_params.get("lang")
    lang = asked if asked in LANGUAGES else request.cookies.get("lang", "id")
    return Visit(session, user, lang if lang in LANGUAGES else "id", asked in LANGUAGES)


@dataclass(frozen=True, slots=True)
class LoggedIn(Visit):
    """A visit by a logged-in user: pages behind the login read `user` without checking again."""

    user: User


def logged_in(request: Request) -> LoggedIn:
    """The visit of a logged-in user; anyone else is sent to the login page."""
    visit = visit_of(request)
    if visit.user is None:
        raise LoginRequired()
    return LoggedIn(visit.session, visit.user, visit.lang, visit.new_lang)


def check_csrf(visit: Visit, token: str) -> None:
    if not token or token != visit.session.csrf:
        raise CsrfRefused()


def _set_session(request: Request, response: Response, session: Session) -> None:
    response.set_cookie(
        COOKIE,
        request.app.state.sessions.dump(session),
        max_age=MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


SHORT = 200  # the longest query value a page's language links carry over


def _lang_url(request: Request, code: str) -> str:
    # A value the edge refused (a NUL, a 10,000-character search) is not carried into the links.
    params = {k: v for k, v in request.query_params.items() if unfit(v, SHORT) is None and unfit(k, SHORT) is None}
    params["lang"] = code
    return f"{request.url.path}?{urlencode(params)}"


def _desk_namer(rules):
    """A desk's name from the rules (its id written as a name when the rules give none)."""
    return lambda desk: desk_name(rules, desk)


def render(request: Request, visit: Visit, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    """A page rendered in the visitor's language, its session cookie refreshed."""
    words = translations(visit.lang)
    # The catalogue rides in the context (not installed on the shared environment): requests run in parallel.
    response = request.app.state.templates.TemplateResponse(
        request,
        name,
        {
            "t": translator(visit.lang),
            "_": words.gettext,
            "gettext": words.gettext,
            "ngettext": words.ngettext,
            "zone": request.app.state.pantau.settings.zone,
            "desk_name": _desk_namer(request.app.state.pantau.rules),
            "lang": visit.lang,
            "user": visit.user,
            "csrf": visit.session.csrf,
            "lang_url": lambda code: _lang_url(request, code),
            "when": shower(visit.lang),
            **context,
        },
        status_code=status_code,
    )
    _set_session(request, response, visit.session)
    if visit.new_lang:
        response.set_cookie("lang", visit.lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/matrix"


def install(app: FastAPI) -> None:
    """The pages' templates; a missing login turned into a redirect, a bad CSRF token into a 403 page."""
    app.state.templates = page_templates()

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _exc: CsrfRefused):
        visit = visit_of(request)
        return render(request, visit, "error.html", {"message": translator(visit.lang)(N_("csrf.bad"))}, 403)

    @app.exception_handler(UnfitValue)
    async def unfit_value(request: Request, exc: UnfitValue):
        if request.url.path.startswith("/api/") or request.url.path in _NOT_PAGES:
            return respond(exc)
        visit = visit_of(request)
        reason = translator(visit.lang)(f"unfit.{exc.kind}") % {"longest": exc.longest}
        return render(request, visit, "error.html", {"message": f"{exc.name}: {reason}"}, exc.status)


_NOT_PAGES = {"/healthz", "/readyz", "/metrics", "/openapi.json"}


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/matrix", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "/matrix", done: str = "") -> HTMLResponse:
    visit = visit_of(request)
    notice = N_("login.password_set") if done == "password" else None
    return render(request, visit, "login.html", {"next": _safe_next(next), "error": None, "notice": notice})


def _signed_in(request: Request, username: str, password: str, token: str) -> User | None:
    """The user a sign-in names: by name and password; without a name, by a token (scripts, first admin)."""
    engine = request.app.state.pantau.engine
    if username.strip():
        return passwords.check(engine, username, password) if len(password) <= passwords.MAX_LENGTH else None
    secret = (token or password).strip()
    return authenticate(engine, secret) if secret else None


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/matrix",
) -> Response:
    visit = visit_of(request)
    check_csrf(visit, csrf)
    failures, address = request.app.state.auth_failures, address_of(request)
    again = {"next": _safe_next(next), "username": username[:200], "notice": None}
    wait = failures.wait(address)
    if wait is not None:  # too many failed sign-ins from here: not even checked until the window passes
        response: Response = render(request, visit, "login.html", {**again, "error": "login.too_many"}, 429)
        response.headers["Retry-After"] = str(wait)
        return response
    user = _signed_in(request, username, password, token)
    if user is None:
        failures.failed(address)
        return render(request, visit, "login.html", {**again, "error": N_("login.bad_password")}, 401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    pantau = request.app.state.pantau
    # A new session (and CSRF token) at login, kept on the server so logout can end it.
    _set_session(request, response, sessions.start(pantau.engine, user.id, pantau.clock()))
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    visit = visit_of(request)
    check_csrf(visit, csrf)
    pantau = request.app.state.pantau
    sessions.end(pantau.engine, visit.session, pantau.clock())
    response = RedirectResponse("/login", status_code=303)
    _set_session(request, response, fresh())
    return response
