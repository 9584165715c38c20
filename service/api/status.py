"""The status list: the same JSON as `pantau status --format json`, with a few more filters."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from projections.scorecard import scorecard
from projections.status import statuses
from service.api.deps import AsOf, Desk, PantauDep, UserDep
from service.api.reads import states_on
from service.status_output import as_json_objects

router = APIRouter(prefix="/api", tags=["status"])

Stage = Literal["ended", "formal", "exploring", "lapsed", "intent"]
Activeness = Literal["aktif", "kurang_aktif", "tidak_aktif"]


@router.get("/status")
def status_list(
    pantau: PantauDep,
    _user: UserDep,
    as_of: AsOf = None,
    desk: Desk = None,
    stage: Annotated[Stage | None, Query()] = None,
    activeness: Annotated[Activeness | None, Query()] = None,
) -> JSONResponse:
    """The derived status of every partnership, today or as of a date, sorted by stream."""
    day, states = states_on(pantau, as_of)
    rows = [
        r
        for r in statuses(states, day, pantau.rules, desk)
        if (stage is None or r.stage == stage) and (activeness is None or r.activeness == activeness)
    ]
    objects = as_json_objects(rows)
    # An added key (docs/lifecycle.md): the scorecard of the as-of day's year, each line with its sources.
    by_stream = {s.stream: s for s in states}
    for row in objects:
        row["scorecard"] = scorecard(by_stream[row["stream"]], day.year, pantau.rules)
    return JSONResponse(objects)
