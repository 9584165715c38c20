"""/users for administrators: add a user (its token shown once, an invitation mailed), list them, revoke one."""

from __future__ import annotations

import re
import uuid
from typing import cast
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from service import auth, idempotency, people, user_scopes
from service.api.form_pipeline import refusal
from service.api.i18n import translator
from service.api.web import LoggedIn, check_csrf, logged_in, render
from service.bootstrap import Pantau
from service.user_names import bad_char, name_key

router = APIRouter(include_in_schema=False)
_FORM_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
FIELDS = ("name", "role", "desk", "region", "email", "language")


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
            "desks": user_scopes.known_desks(pantau),
            "regions": user_scopes.known_regions(pantau),
            "languages": auth.LANGUAGES,
        },
        status_code,
    )


def _fresh() -> dict:
    return {
        "name": "",
        "role": "desk",
        "desk": "",
        "region": "",
        "email": "",
        "language": "id",
        "form_id": str(uuid.uuid4()),
    }


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
    form_id = raw.get("form_id", "")[:64]
    # Only a key this page could have made reaches the database (a NUL there is an error on PostgreSQL).
    values["form_id"] = form_id if _FORM_ID.fullmatch(form_id) else ""
    key = f"users-form:{values['form_id']}" if values["form_id"] else None
    earlier = idempotency.recall(pantau.engine, visit.user.id, key, pantau.clock()) if key else None
    if earlier is not None:
        # Only the name is kept under the key, never the token: it is shown once, on the first answer.
        return _page(request, visit, _fresh(), {}, notice=t("users.again").format(name=cast(dict, earlier[2])["name"]))
    errors = _errors(pantau, values, t)
    if errors:
        return _page(request, visit, values, errors, notice=t("form.invalid"), status_code=422)
    try:
        user, token = people.add_person(
            pantau,
            values["name"],
            values["role"],
            desk=values["desk"] or None,
            region=values["region"] or None,
            email=values["email"] or None,
            language=values["language"] if values["language"] in auth.LANGUAGES else "id",
            invite=True,
        )
    except auth.UserError as refused:  # taken by another admin a moment ago
        errors = {refused.field: t(refused.key).format(**refused.params)}
        return _page(request, visit, values, errors, notice=t("form.invalid"), status_code=422)
    if key:
        # Claimed after the user exists: a form key only ever names one page's submission.
        idempotency.claim(pantau.engine, visit.user.id, key, idempotency.fingerprint(values["name"]), pantau.clock())
        idempotency.remember(pantau.engine, visit.user.id, key, 201, {"name": user.name})
    notice = t("users.invited").format(name=user.name, email=values["email"]) if values["email"] else None
    return _page(request, visit, _fresh(), {}, token=(user.name, token), notice=notice, status_code=201)


def _errors(pantau: Pantau, values: dict[str, str], t) -> dict[str, str]:
    """The refused fields of the form, each with its words."""
    errors = {}
    if values["role"] not in auth.ROLES:
        errors["role"] = t("form.bad_choice")
    elif values["role"] == "desk" and not values["desk"]:
        errors["desk"] = t("users.desk_needed")
    elif values["role"] == "regional" and not values["region"]:
        errors["region"] = t("users.region_needed")
    found = people.problems(
        pantau, values["name"], values["role"], values["desk"] or None, values["region"] or None, values["email"]
    )
    for field, refused in found.items():
        errors.setdefault(field, t(refused.key).format(char=bad_char(values["name"]), **refused.params))
    if "name" not in errors and auth.name_taken(pantau.engine, values["name"]):
        errors["name"] = t("users.name_taken")
    return errors


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
    # Compared by key: `ADMIN` is the admin's own name too, and nobody revokes themselves here.
    if name_key(name) == name_key(visit.user.name) or not auth.revoke(pantau.engine, name, pantau.clock()):
        t = translator(visit.lang)
        return _page(request, visit, _fresh(), {}, notice=f"{name}: {t('users.no_such')}", status_code=404)
    return RedirectResponse(f"/users?{urlencode({'revoked': name})}", status_code=303)


@router.post("/users/revoke")
async def revoke_user(request: Request) -> Response:
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_revoke, request, raw)
