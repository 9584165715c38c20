"""Setting a password through a mailed one-time link, and asking for one ("lupa kata sandi")."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from service import passwords
from service.api.i18n import translator
from service.api.throttle import FailureLimit, address_of
from service.api.web import Visit, check_csrf, render, visit_of
from service.auth import UserError, find_user
from service.bootstrap import Pantau

router = APIRouter(include_in_schema=False)


def _reset_requests(pantau: Pantau) -> FailureLimit:
    """Reset requests per address: each one sends a mail, so they are limited like failed sign-ins."""
    return pantau.helper("reset-requests", lambda: FailureLimit(pantau.clock))


def _forgot_page(request: Request, visit: Visit, **context) -> HTMLResponse:
    status = context.pop("status_code", 200)
    return render(request, visit, "password_forgot.html", {"sent": False, "error": None, **context}, status)


@router.get("/password/forgot")
def forgot_form(request: Request) -> HTMLResponse:
    return _forgot_page(request, visit_of(request))


def _forgot(request: Request, raw: dict[str, str]) -> Response:
    from service.password_mail import send_link

    visit = visit_of(request)
    check_csrf(visit, raw.get("csrf", ""))
    pantau: Pantau = request.app.state.pantau
    limit, address = _reset_requests(pantau), address_of(request)
    if (wait := limit.wait(address)) is not None:
        response = _forgot_page(request, visit, error="login.too_many", status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    limit.failed(address)
    found = find_user(pantau.engine, raw.get("username", "")[:400])
    if found is not None:
        user, email, language = found
        if email:  # a user without an address asks an administrator instead
            send_link(pantau, user, email, language, passwords.RESET)
    # The same answer whether the name is known or not: the page tells no one who has an account.
    return _forgot_page(request, visit, sent=True)


@router.post("/password/forgot")
async def forgot(request: Request) -> Response:
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_forgot, request, raw)


def _dead(request: Request, visit: Visit) -> HTMLResponse:
    t = translator(visit.lang)
    return render(request, visit, "error.html", {"message": t("pw.link_dead")}, 404)


def _set_page(request: Request, visit: Visit, link: passwords.Link, secret: str, error: str | None = None, status=200):
    context = {"link": link, "secret": secret, "error": error, "min_length": passwords.MIN_LENGTH}
    return render(request, visit, "password_set.html", context, status)


@router.get("/password/{secret}")
def set_form(request: Request, secret: str) -> HTMLResponse:
    visit = visit_of(request)
    pantau: Pantau = request.app.state.pantau
    link = passwords.open_link(pantau.engine, secret, pantau.clock())
    response = _set_page(request, visit, link, secret) if link else _dead(request, visit)
    response.headers["Referrer-Policy"] = "no-referrer"  # the secret is in the address
    return response


def _set(request: Request, secret: str, raw: dict[str, str]) -> Response:
    visit = visit_of(request)
    check_csrf(visit, raw.get("csrf", ""))
    pantau: Pantau = request.app.state.pantau
    failures, address = request.app.state.auth_failures, address_of(request)
    if (wait := failures.wait(address)) is not None:
        response = render(request, visit, "error.html", {"message": translator(visit.lang)("login.too_many")}, 429)
        response.headers["Retry-After"] = str(wait)
        return response
    link = passwords.open_link(pantau.engine, secret, pantau.clock())
    if link is None:
        failures.failed(address)  # guessing links counts like guessing passwords
        return _dead(request, visit)
    t = translator(visit.lang)
    password = raw.get("password", "")
    if password != raw.get("password_again", ""):
        return _set_page(request, visit, link, secret, t("pw.err.differ"), 422)
    try:
        user = passwords.redeem(pantau.engine, secret, password, pantau.clock())
    except UserError as refused:
        return _set_page(request, visit, link, secret, t(refused.key).format(n=passwords.MIN_LENGTH), 422)
    if user is None:  # used by another tab a moment ago
        return _dead(request, visit)
    return RedirectResponse("/login?done=password", status_code=303)


@router.post("/password/{secret}")
async def set_password(request: Request, secret: str) -> Response:
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_set, request, secret, raw)
