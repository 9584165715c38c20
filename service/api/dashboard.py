"""The dashboard page (/dasbor): a desk's, a region's or the whole country's numbers, as the user's role allows.

A desk user sees their desk and a regional user their region; admins and viewers choose with
`desk=` and `region=`, or see the whole country (docs/dashboards.md). A parameter that names
nothing known, carries control characters or a year out of range is refused with a 400 page
naming it; a scope the role does not allow, with a 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from projections.dashboard import Dashboard
from projections.dashboard_summary import Summary
from projections.dashboard_years import Scope
from projections.readmodel import known_desks, store_mark
from service.api.dashboard_sections import sections
from service.api.i18n import N_, translator
from service.api.web import LoggedIn, logged_in, render
from service.auth import User
from service.bootstrap import Pantau
from service.dashboard_cache import Answers, ScopeSums, Summaries

router = APIRouter(include_in_schema=False)
LONGEST = 200  # characters of a desk or region name
YEARS_BACK, YEARS_AHEAD = 100, 10  # plan years the page accepts around this one
COUNTRY = Scope()


@dataclass(frozen=True)
class Refused(Exception):
    """A parameter the page cannot answer for: the HTTP status, the parameter and the message's key."""

    status: int
    name: str
    key: str
    value: str = ""


def summaries(pantau: Pantau) -> Summaries:
    """This process's dashboard summaries (PANTAU_DASHBOARD_CACHE_ROWS partnerships at most)."""
    limit = pantau.settings.dashboard_cache_rows
    return pantau.helper("dashboard summaries", lambda: Summaries(pantau.rules, limit))


def _text(name: str, value: str) -> str:
    if len(value) > LONGEST or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise Refused(400, name, N_("dash.bad.text"))
    return value.strip()


def _plan_year(text: str, this_year: int) -> int:
    if not text:
        return this_year
    low, high = this_year - YEARS_BACK, this_year + YEARS_AHEAD
    if not (text.isascii() and text.isdigit() and len(text) <= 4 and low <= int(text) <= high):
        raise Refused(400, "year", N_("dash.bad.year"), f"{low}–{high}")
    return int(text)


def scope_for(user: User, desk: str, region: str) -> Scope:
    """The scope the user asked for, or Refused(403) when their role does not allow it."""
    if user.role == "desk":
        if region or (desk and desk != user.desk):
            raise Refused(403, "region" if region else "desk", N_("dash.forbidden"))
        return Scope(desk=user.desk)
    if user.role == "regional":
        if desk or (region and region.casefold() != (user.region or "").casefold()):
            raise Refused(403, "desk" if desk else "region", N_("dash.forbidden"))
        return Scope(region=user.region)
    return Scope(desk=desk or None, region=region or None)


def _known(pantau: Pantau, scope: Scope, user: User | None, every: Callable[[], list[Summary]]) -> None:
    """Refuse a desk or region that names nothing the record or the rules know (a user's own always holds)."""
    if scope.desk is not None and (user is None or scope.desk != user.desk):
        desks = set(known_desks(pantau.engine)) | {d.id for d in pantau.rules.desks}
        if scope.desk not in desks and scope.desk not in {s.desk for s in every()}:
            raise Refused(400, "desk", N_("dash.bad.desk"), scope.desk)
    if scope.region is not None and (user is None or scope.region != user.region):
        wanted = scope.region.casefold()
        if not any(wanted in (s.province, s.place) for s in every()):
            raise Refused(400, "region", N_("dash.bad.region"), scope.region)


def numbers(
    pantau: Pantau, user: User | None = None, scope: Scope = COUNTRY, plan_year: int | None = None
) -> tuple[Dashboard, list[str]]:
    """The scope's dashboard for today, and the desks to choose from; worked out again only after a write.

    Without arguments: the whole country's, which the background pass works out after the summaries
    (service/dashboard_warmer.py), so that the first visitor of the day finds it made.
    """
    day = pantau.today()
    plan_year = plan_year or day.year
    answers = pantau.helper("dashboard answers", Answers)
    key = (store_mark(pantau.engine), scope, day, plan_year)
    kept = answers.get(key)
    if kept is not None:
        return kept  # type: ignore[return-value]
    kept = summaries(pantau)
    _known(pantau, scope, user, lambda: kept.of_day(pantau.engine, day))  # a refusal is never kept
    sums = pantau.helper("dashboard sums", ScopeSums)
    made = (day, key[0][0])  # the sums hold for a day and a generation of the read models
    answer = (sums.dashboard(made, scope, kept, pantau.engine, day, plan_year), sums.desks(made, scope))
    answers.keep(key, answer)
    return answer


def _refusal(request: Request, visit: LoggedIn, refused: Refused) -> HTMLResponse:
    t = translator(visit.lang)
    words = t(refused.key) % {"value": refused.value[:LONGEST]}
    return render(request, visit, "error.html", {"message": f"{refused.name}: {words}"}, refused.status)


@router.get("/dasbor")
def dashboard_page(request: Request, desk: str = "", region: str = "", year: str = "") -> HTMLResponse:
    """The dashboard of the scope asked (or the user's own), as of today."""
    visit = logged_in(request)
    pantau: Pantau = request.app.state.pantau
    day = pantau.today()
    try:
        desk, region = _text("desk", desk), _text("region", region)
        plan_year = _plan_year(_text("year", year), day.year)
        scope = scope_for(visit.user, desk, region)
        answer, desks = numbers(pantau, visit.user, scope, plan_year)
    except Refused as refused:
        return _refusal(request, visit, refused)
    context = {
        "scope": scope,
        "dash": answer,
        "desks": desks,
        "may_choose": visit.user.role in ("admin", "viewer"),
        "year": year,
        **sections(answer, translator(visit.lang), visit.lang),
    }
    return render(request, visit, "dashboard.html", context)
