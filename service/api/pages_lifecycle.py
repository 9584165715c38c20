"""Pages of drafts, yearly plans and reports: the pipeline per desk, the partnership page's section, the preview.

The forms that record drafts and plan items are data (`lifecycle_specs`), served by `pages_lifecycle_forms`.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from events.catalogue import APPROVAL_PATH
from events.dates import year_in_range
from projections.partnership import PartnershipState
from projections.pipeline import SIGNING, closed_by, of_partnership, pipeline
from projections.plan import plan_of_year, plan_years
from projections.scorecard import scorecard
from projections.status import details
from projections.yearly import event_years
from service.api.deps import Whole
from service.api.i18n import translator
from service.api.page_dates import page_day
from service.api.page_roles import may_write
from service.api.reads import of_desk, state_of, states_on
from service.api.web import LoggedIn, Visit, logged_in, render
from service.bootstrap import Pantau

router = APIRouter(include_in_schema=False)


def _pantau(request: Request) -> Pantau:
    return request.app.state.pantau


def _desk_of(visit: Visit) -> str | None:
    return getattr(visit.user, "desk", None)


# -- the pipeline page ---------------------------------------------------------------------------


@router.get("/pipeline")
def pipeline_page(request: Request, desk: str = "", as_of: str = "") -> HTMLResponse:
    """The drafts of a desk grouped by the step they wait for, longest wait first, returned ones marked."""
    visit = logged_in(request)
    pantau = _pantau(request)
    day, problem = page_day(as_of, pantau.today(), visit.lang)
    desk = desk or (_desk_of(visit) or "")
    day, states = states_on(pantau, day, of_desk(pantau, desk or None))
    by_stream = {s.stream: s for s in states}
    rows = pipeline(states, day, pantau.rules, desk or None)
    groups = []
    for step in (*APPROVAL_PATH, SIGNING):
        waiting = sorted((r for r in rows if r.waiting_for == step), key=lambda r: (-r.days_waiting, r.stream))
        if waiting:
            groups.append(
                (
                    step,
                    [
                        (r, _draft(by_stream[r.stream], r.draft_id), _name(by_stream[r.stream], day, pantau))
                        for r in waiting
                    ],
                )
            )
    closed = [
        (s, d, _name(s, day, pantau))
        for s in states
        if not desk or details(s, day, pantau.rules).get("desk") == desk
        for d in closed_by(s, day)
    ]
    desks = sorted({d for d in (details(s, day, pantau.rules).get("desk") for s in states if s.drafts) if d})
    return render(
        request,
        visit,
        "pipeline.html",
        {
            "groups": groups,
            "closed": closed,
            "day": day,
            "desk": desk,
            "desks": desks,
            "as_of": as_of,
            "problem": problem,
            "count": len(rows),
            "since_written": since_written,
            # A user sees only the links they may use (docs/forms.md, "Roles").
            "writable": {r.stream for r in rows if may_write(pantau, visit.user, by_stream[r.stream])},
        },
    )


def since_written(draft, since: date) -> str:
    """The date a draft's wait began, as it was written (`Jan 2026`, not the 1 January it starts on)."""
    written = [draft.opened_on] if draft.start == since else []
    written += [s.occurred_on for s in draft.steps if s.on == since]
    # Of several events on that first day, the later recorded: the one the wait counts from.
    return written[-1] if written else since.isoformat()


def _draft(state: PartnershipState, draft_id: str):
    return next(d for d in state.drafts if d.draft_id == draft_id)


def _name(state: PartnershipState, day: date, pantau: Pantau) -> str:
    info = details(state, day, pantau.rules)
    return f"{info.get('indonesia', {}).get('name', '?')} – {info.get('partner', {}).get('name', '?')}"


# -- what the partnership page shows of drafts, plans, reports and scorecards --------------------


def partnership_lifecycle(state: PartnershipState, day: date, pantau: Pantau) -> dict:
    """The partnership page's context for its drafts, yearly plans, reports and scorecard."""
    years = sorted(set(plan_years(state)) | {a.start.year for a in state.activities if not a.retracted})
    plans = [(year, plan_of_year(state, year)) for year in years if any(i.year == year for i in state.plan)]
    report_years = event_years(state)
    return {
        "open_drafts": [(s, _draft(state, s.draft_id)) for s in of_partnership(state, day, pantau.rules)],
        "closed_drafts": closed_by(state, day),
        "plans": sorted(plans, reverse=True),
        "plan_items": {i.plan_id: i for i in state.plan},
        "report_years": sorted(report_years, reverse=True),
        "scorecard": scorecard(state, day.year, pantau.rules),
        "since_written": since_written,
        # The scorecard's sources carry first days; the page writes an activity's or a signing's date as written.
        "written_on": {
            **{("ActivityLogged", a.activity_id): a.occurred_on for a in state.activities},
            **{("AgreementSigned", a.agreement_id): a.signed_on for a in state.agreements},
        },
    }


def open_plan_items(state: PartnershipState | None) -> list:
    """Plan items neither dropped nor realised, newest year first: what an activity may realise."""
    if state is None:
        return []
    taken = {a.plan_id for a in state.activities if not a.retracted and a.plan_id}
    return sorted(
        (i for i in state.plan if i.dropped_on is None and i.plan_id not in taken), key=lambda i: (-i.year, i.plan_id)
    )


# The report: the Word document for a logged-in visitor, and its preview.


def _reported(request: Request, visit: LoggedIn, stream: str, year: int) -> PartnershipState | HTMLResponse:
    """The partnership a report is of, or the 404 page for an unknown one or a year out of range."""
    state = state_of(_pantau(request), stream)
    if state is None or not year_in_range(year, _pantau(request).today()):
        return render(request, visit, "error.html", {"message": f"{translator(visit.lang)('notfound')}: {stream}"}, 404)
    return state


@router.get("/partnerships/{stream}/report/{year}.docx")
def report_download(request: Request, stream: str, year: Whole) -> Response:
    """The yearly report as a Word document (the page's link; the API serves the same to tokens)."""
    from service.report import build, file_name, to_docx

    visit = logged_in(request)
    state = _reported(request, visit, stream, year)
    if isinstance(state, HTMLResponse):
        return state
    return Response(
        to_docx(build(state, year, _pantau(request).rules, _pantau(request).today())),
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="{file_name(stream, year)}"'},
    )


@router.get("/partnerships/{stream}/report/{year}")
def report_preview(request: Request, stream: str, year: Whole) -> HTMLResponse:
    """The yearly report as HTML, the same sections as the Word document."""
    from service.report import build

    visit = logged_in(request)
    state = _reported(request, visit, stream, year)
    if isinstance(state, HTMLResponse):
        return state
    pantau = _pantau(request)
    report = build(state, year, pantau.rules, pantau.today())
    info = details(state, pantau.today(), pantau.rules)
    indonesia = info.get("indonesia") or {}
    regions = list(dict.fromkeys(r for r in (indonesia.get("province"), indonesia.get("name")) if r))
    return render(
        request,
        visit,
        "report_preview.html",
        {"stream": stream, "report": report, "year": year, "info": info, "regions": regions},
    )
