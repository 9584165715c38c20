"""/users for administrators: add a user (its token shown once), list them, revoke one."""

from __future__ import annotations

import uuid
from typing import cast
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from service import auth, idempotency
from service.api.form_pipeline import refusal
from service.api.i18n import translator
from service.api.web import LoggedIn, check_csrf, logged_in, render
from service.bootstrap import Pantau

router = APIRouter(include_in_schema=False)
FIELDS = ("name", "role", "desk", "region")


def _admin(request: Request) -> LoggedIn | HTMLResponse:
    visit = logged_in(request)
    return visit if visit.user.role == "admin" else refusal(request, visit, 403, "users.forbidden")


def _page(
    request: Request,
    visit: LoggedIn,
    values: dict,
    errors: dict,
    *,
    token: tuple[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    pantau: Pantau = request.app.state.pantau
    return render(
        request,
        visit,
        "users.html",
        {
            "users": auth.list_users(pantau.engine),
            "values": values,
            "errors": errors,
            "token": token,
            "notice": notice,
            "roles": auth.ROLES,
            "desks": [d.id for d in pantau.rules.desks],
        },
        status_code,
    )


def _fresh() -> dict:
    return {"name": "", "role": "desk", "desk": "", "region": "", "form_id": str(uuid.uuid4())}


@router.get("/users")
def users_page(request: Request, revoked: str = "") -> Response:
    visit = _admin(request)
    if isinstance(visit, Response):
        return visit
    t = translator(visit.lang)
    notice = t("users.revoked_now").format(name=revoked) if revoked else None
    return _page(request, visit, _fresh(), {}, notice=notice)


def _add(request: Request, raw: dict[str, str]) -> Response:
    visit = _admin(request)
    if isinstance(visit, Response):
        return visit
    check_csrf(visit, raw.get("csrf", ""))
    pantau: Pantau = request.app.state.pantau
    t = translator(visit.lang)
    values = {name: raw.get(name, "").strip() for name in FIELDS}
    values["form_id"] = raw.get("form_id", "")[:64]
    key = f"users-form:{values['form_id']}" if values["form_id"] else None
    earlier = idempotency.recall(pantau.engine, visit.user.id, key, pantau.clock()) if key else None
    if earlier is not None:
        # Only the name is kept under the key, never the token: it is shown once, on the first answer.
        return _page(request, visit, _fresh(), {}, notice=t("users.again").format(name=cast(dict, earlier[2])["name"]))
    errors = {}
    if not values["name"]:
        errors["name"] = t("form.required")
    elif any(u.name == values["name"] for u in auth.list_users(pantau.engine)):
        errors["name"] = t("users.name_taken")
    if values["role"] not in auth.ROLES:
        errors["role"] = t("form.bad_choice")
    elif values["role"] == "desk" and not values["desk"]:
        errors["desk"] = t("users.desk_needed")
    elif values["role"] == "regional" and not values["region"]:
        errors["region"] = t("users.region_needed")
    if errors:
        return _page(request, visit, values, errors, notice=t("form.invalid"), status_code=422)
    try:
        user, token = auth.add_user(
            pantau.engine,
            values["name"],
            values["role"],
            pantau.clock(),
            desk=values["desk"] or None,
            region=values["region"] or None,
        )
    except auth.UserError:
        return _page(request, visit, values, {"name": t("users.name_taken")}, notice=t("form.invalid"), status_code=422)
    if key:
        # Claimed after the user exists: a form key only ever names one page's submission.
        idempotency.claim(pantau.engine, visit.user.id, key, idempotency.fingerprint(values["name"]), pantau.clock())
        idempotency.remember(pantau.engine, visit.user.id, key, 201, {"name": user.name})
    return _page(request, visit, _fresh(), {}, token=(user.name, token), status_code=201)


@router.post("/users")
async def add_user(request: Request) -> Response:
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_add, request, raw)


def _revoke(request: Request, raw: dict[str, str]) -> Response:
    visit = _admin(request)
    if isinstance(visit, Response):
        return visit
    check_csrf(visit, raw.get("csrf", ""))
    pantau: Pantau = request.app.state.pantau
    name = raw.get("name", "")
    if name == visit.user.name or not auth.revoke(pantau.engine, name, pantau.clock()):
        t = translator(visit.lang)
        return _page(request, visit, _fresh(), {}, notice=f"{name}: {t('users.no_such')}", status_code=404)
    return RedirectResponse(f"/users?{urlencode({'revoked': name})}", status_code=303)


@router.post("/users/revoke")
async def revoke_user(request: Request) -> Response:
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_revoke, request, raw)
