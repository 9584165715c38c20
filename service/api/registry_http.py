"""What every public registry answer shares: the rows brought up to date, the language, cache validators, refusals.

The registry is public: no session is read or written, the language comes from `?lang=` alone
(Indonesian without it), so an answer depends only on its address and the record's position.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime, time, timezone
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from service.api.errors import body
from service.api.i18n import LANGUAGES, translator
from service.api.partial_dates import shower
from service.bootstrap import Pantau
from service.registry_query import Ask, BadParameter, parse
from service.registry_sql import mark_position, recorded_at, unknown
from service.registry_store import fingerprint, refresh

CACHE_CONTROL = "public, max-age=0, must-revalidate"  # always asked again: a withholding shows at once


def language(request: Request) -> str:
    """`?lang=` (id or en), Indonesian without it."""
    asked = request.query_params.get("lang")
    if asked is None or asked == "":
        return "id"
    if asked not in LANGUAGES:
        raise BadParameter("lang", "reg.bad.lang", asked[:40])
    return asked


def current(pantau: Pantau) -> int:
    """Bring the registry's rows up to the record and today; returns the position they stand at."""
    refresh(pantau.engine, pantau.rules, pantau.today(), pantau.helper("registry.lock", threading.Lock))
    return mark_position(pantau.engine)


def asked(pantau: Pantau, request: Request) -> Ask:
    """The request's filters, sort and page, each free value known to the registry (BadParameter if not)."""
    ask = parse(request.query_params)
    name = unknown(pantau.engine, ask.filters)
    if name is not None:
        raise BadParameter(name, "reg.bad.unknown", str(getattr(ask.filters, name))[:40])
    return ask


def validators(pantau: Pantau, request: Request, position: int) -> dict[str, str]:
    """ETag and Last-Modified of an answer: the record's position, the day, the rules and the address."""
    today = pantau.today()
    key = "|".join(
        (str(position), today.isoformat(), fingerprint(pantau.rules), request.url.path, str(request.query_params))
    )
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    # The content changes with the record and with the day (activeness is today's).
    midnight = datetime.combine(today, time(), tzinfo=pantau.settings.zone)
    stored = recorded_at(pantau.engine, position)
    modified = max(stored, midnight) if stored is not None else midnight
    return {
        "ETag": etag,
        "Last-Modified": format_datetime(modified.astimezone(timezone.utc), usegmt=True),
        "Cache-Control": CACHE_CONTROL,
    }


def unchanged(request: Request, headers: dict[str, str]) -> Response | None:
    """304 when the client holds this answer already (If-None-Match), else None."""
    held = request.headers.get("if-none-match")
    if held is None:
        return None
    tags = {tag.strip().removeprefix("W/") for tag in held.split(",")}
    if headers["ETag"] in tags or "*" in tags:
        return Response(status_code=304, headers=headers)
    return None


def page_context(request: Request, lang: str, keep: bool = True) -> dict[str, Any]:
    """What base.html reads, for a visitor who is not signed in (no session, no form); `keep`: the
    language links keep the request's parameters (not those of a refused request)."""
    params = dict(request.query_params) if keep else {}

    def lang_url(code: str) -> str:
        return f"{request.url.path}?{urlencode({**params, 'lang': code})}"

    return {
        "t": translator(lang),
        "lang": lang,
        "lang_url": lang_url,
        "user": None,
        "csrf": "",
        "desk_name": lambda desk: desk,
        "when": shower(lang),
    }


def refused_page(request: Request, lang: str, error: BadParameter, status: int = 400) -> HTMLResponse:
    """A page naming the parameter and why it cannot be answered."""
    message = _message(lang, error)
    return request.app.state.templates.TemplateResponse(
        request,
        "registry_error.html",
        {**page_context(request, lang, keep=False), "message": message, "parameter": error.name},
        status_code=status,
    )


def refused_json(lang: str, error: BadParameter, status: int = 400) -> JSONResponse:
    """The JSON error document naming the parameter."""
    message = _message(lang, error)
    code = "not_found" if status == 404 else "bad_parameter"
    return JSONResponse(body(code, message, [{"field": error.name, "reason": message}]), status_code=status)


def _message(lang: str, error: BadParameter) -> str:
    t = translator(lang)
    return f"{error.name}: {t(error.key)}" + (f" ({error.value})" if error.value else "")
