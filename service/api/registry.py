"""The public registry's pages, no sign-in: `/registri` (the list, its filters and counts) and `/registri/{stream}`."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from babel import Locale
from fastapi import APIRouter, Request
from fastapi.responses import Response

from events.vocabulary import STREAM_ID
from projections.readmodel import read_one
from projections.registry_row import public_timeline
from service.api.registry_http import asked, current, language, page_context, refused_page, unchanged, validators
from service.bootstrap import Pantau
from service.registry_query import ACTIVENESS, KINDS, PAGE_SIZE, SORTS, STAGES, BadParameter
from service.registry_sql import listing, one

router = APIRouter(include_in_schema=False)


@router.get("/registri")
def registry_page(request: Request) -> Response:
    """Every listed partnership, filtered, sorted and paged, with the counts per province and per country."""
    pantau: Pantau = request.app.state.pantau
    lang = "id"
    try:
        lang = language(request)
        position = current(pantau)
        ask = asked(pantau, request)
        headers = validators(pantau, request, position)
        if (held := unchanged(request, headers)) is not None:
            return held
        found = listing(pantau.engine, ask)
        pages = max(1, math.ceil(found.total / PAGE_SIZE))
        if ask.page > pages:
            raise BadParameter("page", "reg.bad.page", str(ask.page))
    except BadParameter as error:
        return refused_page(request, lang, error)
    given = ask.filters.given()
    context = {
        **page_context(request, lang),
        "found": found,
        "ask": ask,
        "given": given,
        "pages": pages,
        "today": pantau.today(),
        "choices": {"kind": KINDS, "stage": STAGES, "activeness": ACTIVENESS, "sort": SORTS},
        "country_name": _country_namer(lang),
        "link": lambda **change: _link(given, ask.sort, lang, change),
        "data_link": lambda suffix: f"/registri{suffix}?{urlencode({**given, 'lang': lang})}",
    }
    response = request.app.state.templates.TemplateResponse(request, "registry.html", context)
    response.headers.update(headers)
    return response


def _link(given: dict[str, str], sort: str, lang: str, change: dict) -> str:
    """The list's address with some parameters changed (None: removed)."""
    params = {**given, "sort": sort, "lang": lang, **{k: str(v) for k, v in change.items() if v is not None}}
    for name, value in change.items():
        if value is None:
            params.pop(name, None)
    if params.get("sort") == SORTS[0]:
        params.pop("sort")
    if params.get("lang") == "id":
        params.pop("lang")
    return "/registri" + (f"?{urlencode(params)}" if params else "")


def _country_namer(lang: str):
    names = Locale(lang).territories
    return lambda code: names.get(code or "", code or "")


@router.get("/registri/{stream}")
def registry_partnership(request: Request, stream: str) -> Response:
    """One listed partnership's public row and timeline: titles and dates of its activities and documents."""
    pantau: Pantau = request.app.state.pantau
    lang = "id"
    try:
        lang = language(request)
        if not STREAM_ID.match(stream):
            raise BadParameter("stream", "reg.bad.stream", stream[:40])
        current(pantau)
        found = one(pantau.engine, stream)
        state = read_one(pantau.engine, stream) if found is not None else None
        if found is None or state is None or state.withheld is not None:
            raise BadParameter("stream", "reg.bad.stream", stream)
    except BadParameter as error:
        return refused_page(request, lang, error, 404 if error.name == "stream" else 400)
    row, position = found
    headers = validators(pantau, request, position)
    if (held := unchanged(request, headers)) is not None:
        return held
    context = {
        **page_context(request, lang),
        "row": row,
        "timeline": public_timeline(state, pantau.today()),
        "today": pantau.today(),
        "country_name": _country_namer(lang),
    }
    response = request.app.state.templates.TemplateResponse(request, "registry_partnership.html", context)
    response.headers.update(headers)
    return response
