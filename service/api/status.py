"""The status list: the same JSON as `pantau status --format json`, with a few more filters."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from projections.scorecard import scorecard
from projections.status import statuses
from service.api import paging
from service.api.deps import AsOf, Desk, PantauDep, UserDep
from service.api.paging import Cursor, Limit
from service.api.reads import of_desk, states_on
from service.status_output import as_json_objects

router = APIRouter(prefix="/api", tags=["status"])

Stage = Literal["ended", "formal", "exploring", "lapsed", "intent"]
Activeness = Literal["aktif", "kurang_aktif", "tidak_aktif"]


@router.get("/status")
def status_list(
    request: Request,
    pantau: PantauDep,
    _user: UserDep,
    as_of: AsOf = None,
    desk: Desk = None,
    stage: Annotated[Stage | None, Query()] = None,
    activeness: Annotated[Activeness | None, Query()] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> JSONResponse:
    """The derived status of every partnership, today or as of a date, sorted by stream.

    With `limit`, one page: `X-Total-Count` says how many rows the whole list has and `Link`
    (rel="next") where the next page is.
    """
    paging.needs_limit(limit, cursor)
    day, states = states_on(pantau, as_of, of_desk(pantau, desk))
    rows = [
        r
        for r in statuses(states, day, pantau.rules, desk)
        if (stage is None or r.stage == stage) and (activeness is None or r.activeness == activeness)
    ]
    extra: dict[str, str] = {}
    if limit is not None:
        page = paging.by_stream(rows, lambda r: r.stream, limit, cursor)
        rows, extra = page.rows, paging.headers(request, page)
    objects = as_json_objects(rows)
    # An added key (docs/lifecycle.md): the scorecard of the as-of day's year, each line with its sources.
    by_stream = {s.stream: s for s in states}
    for row in objects:
        row["scorecard"] = scorecard(by_stream[row["stream"]], day.year, pantau.rules)
    return JSONResponse(objects, headers=extra)
