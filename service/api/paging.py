"""Pages of a list: `limit` and an opaque `cursor`, the total, and the next page's cursor.

The API's cursor is a keyset over the stream id (the order the status list has always had):
rows written between two pages never make another row appear twice or go missing. The matrix
page's sorted views page by offset instead (service/api/pages.py).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar
from urllib.parse import quote

from fastapi import Query, Request

from events.numbers import is_whole
from service.api.deps import Whole
from service.api.errors import ApiError

T = TypeVar("T")
MAX_LIMIT = 5000

Limit = Annotated[
    Whole | None,
    Query(ge=1, le=MAX_LIMIT, description="at most this many rows; the answer then says the total and the next cursor"),
]
Cursor = Annotated[
    str | None, Query(max_length=400, description="where the page starts: the next cursor of the page before")
]


@dataclass(frozen=True)
class Page(Generic[T]):
    """The rows of one page, how many rows the whole list has, and the cursor of the next page (None: the last)."""

    rows: list[T]
    total: int
    next_cursor: str | None


def encode(kind: str, value: str) -> str:
    """An opaque cursor holding `value` (`kind` "k" for a stream id, "o" for an offset)."""
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def decode(cursor: str, kind: str) -> str:
    """The value of a cursor made by `encode` with `kind`; 422 naming `cursor` for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, ValueError):
        text = ""
    found, _, value = text.partition(":")
    if found != kind or not value or (kind == "o" and not is_whole(value)):
        raise ApiError(
            422,
            "cursor: not a cursor of this list (use the next cursor of the page before)",
            fields=[{"field": "cursor", "reason": "not a cursor of this list", "in": "query"}],
        )
    return value


def needs_limit(limit: int | None, cursor: str | None) -> None:
    """A cursor without a limit is refused (422 naming `cursor`) rather than ignored."""
    if cursor is not None and limit is None:
        raise ApiError(
            422,
            "cursor: give limit with it",
            fields=[{"field": "cursor", "reason": "a cursor needs limit", "in": "query"}],
        )


def by_stream(rows: Iterable[T], stream: Callable[[T], str], limit: int, cursor: str | None) -> Page[T]:
    """The page of `rows` (in stream id order) after the cursor's stream id, holding no more than the page."""
    after = decode(cursor, "k") if cursor else None
    page: list[T] = []
    total, more = 0, False
    for row in rows:
        total += 1
        if after is None or stream(row) > after:
            if len(page) < limit:
                page.append(row)
            else:
                more = True
    return Page(page, total, encode("k", stream(page[-1])) if more else None)


def by_offset(rows: Sequence[T], limit: int, cursor: str | None) -> tuple[Page[T], int]:
    """The page of `rows` at the cursor's offset, and that offset."""
    start = int(decode(cursor, "o")) if cursor else 0
    page = list(rows[start : start + limit])
    more = start + limit < len(rows)
    return Page(page, len(rows), encode("o", str(start + limit)) if more else None), start


def headers(request: Request, page: Page) -> dict[str, str]:
    """`X-Total-Count`, and a `Link` to the next page when there is one, at PANTAU_BASE_URL (never the request's Host)."""
    out = {"X-Total-Count": str(page.total)}
    if page.next_cursor is not None:
        public = request.app.state.pantau.settings.base_url
        query = request.url.include_query_params(cursor=page.next_cursor).query
        out["Link"] = f'<{public}{quote(request.url.path)}?{query}>; rel="next"'
    return out
