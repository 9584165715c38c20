"""The desks' matrix as JSON, CSV or XLSX, and the iCalendar feed of agreement end dates."""

from __future__ import annotations

import re
from typing import Annotated, Literal

import msgspec
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response, StreamingResponse

from events.catalogue import AssessedStatus
from notifications.words import desk_name
from service import ical
from service.api import paging
from service.api.deps import DESK_ID, AsOf, Desk, FeedReaderDep, PantauDep, UserDep
from service.api.paging import Cursor, Limit
from service.api.reads import each_state, of_desk, row_memo
from service.api.streamed import array_parts, streamed_json
from service.matrix import as_json, csv_lines, json_row, matrix, xlsx_chunks

router = APIRouter(prefix="/api", tags=["exports"])


def _slug(text: str) -> str:
    # Header values are Latin-1: a desk id from the URL keeps only what a file name needs.
    return re.sub(r"[^a-z0-9-]+", "-", text.lower())[:60] or "desk"


def export_name(desk: str | None, day) -> str:
    """The file name of a matrix export."""
    return f"matriks-{_slug(desk) if desk else 'semua'}-{day.isoformat()}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MatrixStatus = AssessedStatus  # the matrix's statuses are the catalogue's (events/vocabulary.py)


@router.get("/matrix", responses={200: {"content": {"text/csv": {}, XLSX: {}}}})
def matrix_export(
    pantau: PantauDep,
    _user: UserDep,
    format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
    as_of: AsOf = None,
    desk: Desk = None,
    status: Annotated[MatrixStatus | None, Query(description="only this matrix status")] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> Response:
    """The desks' matrix (No., province or city, partner, documents, status, developments, fields, contact).

    With `limit` (JSON only), one page of rows in stream id order, each keeping its `no` in the
    whole matrix; the object then has `total` and `next_cursor` (null on the last page).
    """
    paging.needs_limit(limit, cursor)
    day = as_of or pantau.today()
    # The states a chunk at a time: the call holds the rows (sorted to number them), not the states.
    rows = matrix(each_state(pantau, of_desk(pantau, desk)), day, pantau.rules, desk, status, row_memo(pantau))
    if format in ("csv", "xlsx"):
        return export_response(rows, day, desk, format, rules=pantau.rules)
    document: dict = {"as_of": day.isoformat(), "desk": desk}
    # msgspec encodes the matrix several times faster than the json module behind JSONResponse.
    if limit is None:
        # The rows' objects and bytes a part at a time: the same bytes as the whole document encoded at once.
        head = msgspec.json.encode({**document, "rows": []})[: -len(b"]}")]
        encoded = (msgspec.json.encode(json_row(row)) for row in rows)
        return streamed_json(array_parts(encoded, head, b"]}"))
    page = paging.by_stream(sorted(rows, key=lambda r: r.stream), lambda r: r.stream, limit, cursor)
    document.update(total=page.total, next_cursor=page.next_cursor)
    body = msgspec.json.encode({**document, "rows": as_json(page.rows)})
    return Response(body, media_type="application/json")


def export_response(rows, day, desk: str | None, format: str, lang: str = "id", rules=None) -> Response:
    """The matrix as a CSV or XLSX download named for its desk and day, its words in `lang`."""
    name = export_name(desk, day)
    named = (lambda d: desk_name(rules, d)) if rules is not None else (lambda d: d)
    # Streamed: a whole desk's file is written and sent a part at a time, never held whole.
    if format == "csv":
        return StreamingResponse(
            csv_lines(rows, lang, named),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return StreamingResponse(
        xlsx_chunks(rows, day, lang, named),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


@router.get("/calendar/{desk}.ics", responses={200: {"content": {"text/calendar": {}}}})
def calendar(
    pantau: PantauDep,
    _user: FeedReaderDep,
    desk: Annotated[str, Path(pattern=DESK_ID, description="a desk id, or 'all'")],
) -> Response:
    """iCalendar feed of the desk's agreement end dates and the reminder days before them.

    Calendar apps subscribe with `?key=` (the feed key of the expiries page) instead of a token.
    """
    day, selection = pantau.today(), of_desk(pantau, None if desk == "all" else desk)
    body = ical.feed(
        each_state(pantau, selection),
        day,
        pantau.rules,
        None if desk == "all" else desk,
        pantau.alert_rules.renewal_days,
        pantau.clock(),
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="pantau-{_slug(desk)}.ics"'},
    )
