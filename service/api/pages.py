"""The record's pages: the matrix, one partnership, upcoming expiries (the forms: pages_forms)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from events import vocabulary
from events.numbers import is_whole
from notifications import words
from notifications.explain_words import explanation_words
from notifications.record_names import correction_words, corrections, names_of
from notifications.words import desk_name
from projections.activeness import last_activity_written
from projections.agreements import IN_FORCE, LAPSED
from projections.notes import pending
from projections.readmodel import known_desks
from projections.status import contacts, details, status
from service.api import charts
from service.api.errors import ApiError
from service.api.i18n import N_, translator
from service.api.matrix import export_response
from service.api.matrix_rows import SORTS, keeps, placed_rows, rows_of
from service.api.page_dates import page_day
from service.api.page_roles import (
    actions,
    activity_now,
    agreement_dates,
    may_publish,
    may_register,
    may_write,
    saved_notice,
)
from service.api.pages_lifecycle import partnership_lifecycle
from service.api.pages_partner import desk_links
from service.api.paging import MAX_LIMIT, Page, by_offset, encode
from service.api.reads import each_state, of_desk, row_memo, state_of
from service.api.web import Visit, logged_in, render
from service.bootstrap import Pantau
from service.matrix import matrix

router = APIRouter(include_in_schema=False)
NOT_FOUND = N_("notfound")  # outside the f-strings, where extraction finds it

STATUSES = vocabulary.STATUSES


STAGES = vocabulary.STAGES


def _page_of(rows: list, limit: str, cursor: str, lang: str) -> tuple[Page, int, str | None]:
    """The page asked by `limit` and `cursor` (every row without a limit), its first offset, and a problem."""
    t = translator(lang)
    if not limit:
        return Page(rows, len(rows), None), 0, None
    if not is_whole(limit) or not 1 <= int(limit) <= MAX_LIMIT:
        return Page(rows, len(rows), None), 0, "limit: " + t(N_("reason.limit")) % {"max": MAX_LIMIT}
    try:
        page, start = by_offset(rows, int(limit), cursor or None)
    except ApiError:
        page, start = by_offset(rows, int(limit), None)
        return page, start, "cursor: " + t(N_("reason.cursor"))
    return page, start, None


@router.get("/matrix")
def matrix_page(
    request: Request,
    desk: str = "",
    status: str = "",
    stage: str = "",
    q: str = "",
    sort: str = "",
    as_of: str = "",
    limit: str = "",
    cursor: str = "",
) -> HTMLResponse:
    """The matrix, of one desk or all; sorted and filtered rows, a page of them (PANTAU_PAGE_ROWS or `limit`).

    A page is an offset into the sorted, filtered rows of the desk (a sort by name or status has
    no stable key to page on); the cursor only carries that offset.
    """
    visit = logged_in(request)
    if "desk" not in request.query_params and visit.user.role == "desk":
        desk = visit.user.desk or ""  # a desk user's matrix opens on their desk; "Semua" shows all
    pantau: Pantau = request.app.state.pantau
    day, problem = page_day(as_of, pantau.today(), visit.lang)
    q = q.strip()[:200]
    # Every row placed, a page of them made: the page holds a few strings per partnership, not its row.
    rows, total = placed_rows(pantau, day, desk or None, keeps(status, stage, q), sort)
    if not limit and len(rows) > pantau.settings.page_rows:
        limit = str(pantau.settings.page_rows)  # more than a page: paged unless a limit is asked
    page, start, page_problem = _page_of(rows, limit, cursor, visit.lang)
    desks = sorted(set(known_desks(pantau.engine)) | {d.id for d in pantau.rules.desks} | ({desk} if desk else set()))
    asked = dict(desk=desk, status=status, stage=stage, q=q, sort=sort, as_of=as_of, lang=visit.lang)
    query = urlencode({k: v for k, v in asked.items() if v})
    limit_kept = limit if page_problem is None or not page_problem.startswith("limit") else ""
    pager = _pager({**asked, "limit": limit_kept}, start, page)
    return render(
        request,
        visit,
        "matrix.html",
        {
            "rows": list(rows_of(pantau, day, page.rows, desk or None)),
            "shown": len(rows),
            "total": total,
            "pager": pager,
            "page_problem": page_problem,
            "day": day,
            **asked,  # the filters asked, shown again in the form (and the language, as render has it)
            "problem": problem,
            "desks": [(d, desk_name(pantau.rules, d)) for d in desks],
            "desk_name": _desk_namer(pantau),
            "statuses": STATUSES,
            "stages": STAGES,
            "sorts": SORTS,
            "query": query,
            "may_register": may_register(visit.user),
        },
    )


def _pager(paged: dict, start: int, page: Page) -> dict | None:
    """The links to the previous and next pages and the rows shown, when the matrix is paged."""
    if not paged["limit"]:
        return None
    size = int(paged["limit"])
    previous = encode("o", str(max(0, start - size))) if start > 0 else None
    return {
        "first": start + 1 if page.rows else 0,
        "last": start + len(page.rows),
        "next": page.next_cursor and "/matrix?" + urlencode({**_kept(paged), "cursor": page.next_cursor}),
        "previous": previous and "/matrix?" + urlencode({**_kept(paged), "cursor": previous}),
    }


def _kept(params: dict) -> dict:
    return {k: v for k, v in params.items() if v}


def _desk_namer(pantau: Pantau):
    return lambda desk: desk_name(pantau.rules, desk)


@router.get("/matrix.{fmt}")
def matrix_download(
    request: Request,
    fmt: str,
    desk: str = "",
    status: str = "",
    stage: str = "",
    q: str = "",
    sort: str = "",
    as_of: str = "",
) -> Response:
    visit = logged_in(request)
    pantau: Pantau = request.app.state.pantau
    day, _ = page_day(as_of, pantau.today())
    placed, _ = placed_rows(pantau, day, desk or None, keeps(status, stage, q.strip()[:200]), sort)
    rows = list(rows_of(pantau, day, placed, desk or None))
    if fmt in ("csv", "xlsx"):
        return export_response(rows, day, desk or None, fmt, visit.lang, pantau.rules)
    if fmt == "docx":
        from service.api.matrix_word import docx_response

        return docx_response(pantau, day, desk or None, [r.stream for r in rows])
    raise ApiError(404, f"no export format {fmt!r}")


def _partnership_context(request: Request, visit: Visit, stream: str, as_of: str = "") -> dict | None:
    pantau: Pantau = request.app.state.pantau
    state = state_of(pantau, stream)
    if state is None:
        return None
    day, problem = page_day(as_of, pantau.today(), visit.lang)
    current = status(state, day, pantau.rules)
    t = translator(visit.lang)
    events = pantau.store.stream(stream)
    timeline = sorted(events, key=lambda e: (e.occurred_on.first, e.position), reverse=True)
    names = names_of(state, t, visit.lang)
    return {
        "stream": stream,
        "day": day,
        "problem": problem,
        "info": details(state, day, pantau.rules),
        "current": current,
        "contacts": contacts(state, day),
        "timeline": timeline_lines(timeline, state, names, visit.lang),
        "names": names,
        # The anchors the search links to: a note is numbered in stream order, as the index numbers it.
        "note_numbers": {e.id: n for n, e in enumerate(e for e in events if e.type == "NoteAdded")},
        "desk_name": _desk_namer(pantau),
        "notifications": [e for e in timeline if e.type == "NotificationSent"],
        "chart": charts.bar_chart(charts.activities_per_year(state, pantau.rules), t("p.chart")),
        "why_text": current
        and explanation_words(
            current.explanation,
            current.activeness,
            visit.lang,
            active_months=pantau.rules.active_months,
            quiet_months=pantau.rules.quiet_months,
        ),
        "pending_notes": len(pending(e for e in events if e.type in ("NoteAdded", "NoteReviewed"))),
        "version": state.version,
        "may_write": may_write(pantau, visit.user, state),
        "may_publish": may_publish(pantau, visit.user, state),
        "withheld": state.withheld,  # the registry shows today's record, whatever the page's day
        "actions": actions(stream, events, state, day),
        "last_activity": current and last_activity_written(state, day, pantau.rules),
        "written": agreement_dates(state, day),
        "partner_links": desk_links(request, pantau, state, visit.user),
        **partnership_lifecycle(state, day, pantau),
    }


def timeline_lines(timeline: list, state, names, lang: str) -> list[tuple]:
    """Each event with its summary and heading in words: an activity as it reads now, a correction as what
    it changed, an approval step by its outcome."""
    t = names.translate
    changes = corrections(timeline)
    lines = []
    for e in timeline:
        data, changed = e.data, ""
        if e.type == "ActivityLogged":
            now = activity_now(state, e.data.get("activity_id", "")) or {}
            data = {**e.data, **{k: now[k] for k in ("kind", "title", "description") if now.get(k)}}
        elif e.type == "ActivityCorrected":
            changed = correction_words(changes.get(e.id, []), t, lang, names)
        heading = words.label(e.type, lang, e.data)
        lines.append((e, words.summary(e.type, data, t, lang, names, changed), heading))
    return lines


@router.get("/partnerships/{stream}")
def partnership_page(request: Request, stream: str, as_of: str = "", saved: str = "", again: str = "") -> HTMLResponse:
    visit = logged_in(request)
    context = _partnership_context(request, visit, stream, as_of)
    if context is None:
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)(NOT_FOUND)}: {stream}"}, 404)
    return render(request, visit, "partnership.html", {**context, "saved": saved_notice(visit.lang, saved, again)})


@router.get("/expiries")
def expiries_page(request: Request, desk: str = "", as_of: str = "") -> HTMLResponse:
    visit = logged_in(request)
    pantau: Pantau = request.app.state.pantau
    day, problem = page_day(as_of, pantau.today(), visit.lang)
    rows = []
    desks = set(known_desks(pantau.engine)) | {d.id for d in pantau.rules.desks}
    every = matrix(
        each_state(pantau, of_desk(pantau, desk or None)), day, pantau.rules, desk or None, memo=row_memo(pantau)
    )
    for row in every:
        for agreement in row.agreements:
            if (
                agreement.days_left is not None
                and agreement.state in (IN_FORCE, LAPSED)
                and -90 <= agreement.days_left <= 365
            ):
                rows.append((row, agreement))
    rows.sort(key=lambda item: item[1].days_left or 0)  # every row kept has its days left
    assert visit.user is not None  # logged_in() refuses a visit without one
    key = urlencode({"key": request.app.state.feeds.dump(visit.user.id)})
    public = request.app.state.pantau.settings.base_url  # never the request's Host, which the client chose
    feed = f"{public}/api/calendar/{quote(desk or visit.user.desk or 'all')}.ics?{key}"
    return render(
        request,
        visit,
        "expiries.html",
        {
            "rows": rows,
            "day": day,
            "feed": feed,
            "desk": desk,
            "as_of": as_of,
            "problem": problem,
            "desks": [(d, desk_name(pantau.rules, d)) for d in sorted(desks)],
            "desk_name": _desk_namer(pantau),
        },
    )
