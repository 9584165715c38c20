"""The status list: the same JSON as `pantau status --format json`, with a few more filters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from events.catalogue import Activeness
from events.vocabulary import Stage
from service.api import paging
from service.api.deps import AsOf, Desk, PantauDep, UserDep
from service.api.paging import Cursor, Limit
from service.api.reads import line_memo, of_desk, states_in_chunks
from service.api.streamed import array_parts, streamed_json
from service.status_output import StatusLine

router = APIRouter(prefix="/api", tags=["status"])


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
) -> Response:
    """The derived status of every partnership, today or as of a date, sorted by stream.

    With `limit`, one page: `X-Total-Count` says how many rows the whole list has and `Link`
    (rel="next") where the next page is. Without, the whole list is sent as it is read.
    """
    paging.needs_limit(limit, cursor)
    day, memo = as_of or pantau.today(), line_memo(pantau)
    evict = desk is not None  # the whole registry's lines go past a full memo (service/memo.py)
    # A chunk of states at a time: what the call holds is its answer, not the states behind it.
    lines: Iterable[StatusLine] = (
        line
        for states in states_in_chunks(pantau, of_desk(pantau, desk))
        for line in (memo.get(state, day, evict) for state in states)  # states come sorted by stream
        if line is not None
        and (desk is None or line.desk == desk)
        and (stage is None or line.stage == stage)
        and (activeness is None or line.activeness == activeness)
    )
    # Each line is encoded once, with the scorecard of the as-of day's year (docs/lifecycle.md).
    if limit is None:
        return streamed_json(array_parts(line.json for line in lines))
    page = paging.by_stream(lines, lambda line: line.stream, limit, cursor)
    body = b"[" + b",".join(line.json for line in page.rows) + b"]"
    return Response(body, media_type="application/json", headers=paging.headers(request, page))
