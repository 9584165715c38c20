"""The search page (`/search?q=`): what staff may read, found by its words, ranked, a page at a time.

Every staff role reads every partnership's page (contacts, notes and drafts included), so every
staff role searches all of it; the public and partners have no session here and never reach it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from events.numbers import is_whole
from service.api.projector import index_search
from service.api.reads import catch_up
from service.api.web import logged_in, render
from service.bootstrap import Pantau
from service.search import MAX_QUERY, PAGE_SIZE, excerpt, search

router = APIRouter(include_in_schema=False)
_LAST_PAGE = 500  # 10,000 hits: past that, a better query finds it sooner


def fresh(pantau: Pantau) -> None:
    """The read models and the search index brought up to what is stored (nothing to do: two reads)."""
    catch_up(pantau)
    index_search(pantau)


def _address(query: str, number: int) -> str:
    return "/search?" + urlencode({"q": query, **({"page": number} if number > 1 else {})})


@router.get("/search")
def search_page(request: Request, q: str = "", page: str = "1") -> HTMLResponse:
    visit = logged_in(request)
    pantau: Pantau = request.app.state.pantau
    query = q[:MAX_QUERY].replace("\x00", "")
    number = int(page) if len(page) <= 4 and is_whole(page) and 0 < int(page) <= _LAST_PAGE else 1
    fresh(pantau)
    hits, total = search(pantau.engine, query, number)
    pages = min(_LAST_PAGE, -(-total // PAGE_SIZE))
    first = (number - 1) * PAGE_SIZE
    pager = {
        "first": first + 1 if hits else 0,
        "last": first + len(hits),
        "total": total,
        "previous": _address(query, number - 1) if number > 1 else None,
        "next": _address(query, number + 1) if number < pages else None,
    }
    found = [(hit, excerpt(hit.body, query) if hit.body else "") for hit in hits]
    return render(request, visit, "search.html", {"query": query, "found": found, "pager": pager})
