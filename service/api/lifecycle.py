"""Drafts and yearly plans over HTTP: the pipeline as of a day, and a year's plan against its realisation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response

from events.dates import EARLIEST, YEARS_AHEAD, year_in_range
from projections.pipeline import pipeline as pipeline_on
from projections.plan import plan_of_year
from projections.scorecard import scorecard as scorecard_of
from service.api.deps import AsOf, Desk, PantauDep, UserDep, Whole
from service.api.errors import ApiError
from service.api.events import Stream
from service.api.reads import of_desk, state_of, states_in_chunks

router = APIRouter(prefix="/api", tags=["lifecycle"])

Year = Annotated[Whole, Path(ge=EARLIEST.year, description="the year, e.g. 2023; at most 100 years from today")]


def _known(pantau, stream: str, year: int):
    """The partnership's state, when it exists and the year is one the catalogue's dates can name."""
    if not year_in_range(year, pantau.today()):
        latest = pantau.today().year + YEARS_AHEAD
        raise ApiError(
            422,
            f"year: {year} is after {latest}, {YEARS_AHEAD} years from today",
            fields=[{"field": "year", "code": "at_most", "params": {"n": latest}, "in": "path"}],
        )
    state = state_of(pantau, stream)
    if state is None:
        raise ApiError(404, f"no partnership {stream!r}")
    return state


@router.get("/pipeline")
def pipeline(pantau: PantauDep, _user: UserDep, as_of: AsOf = None, desk: Desk = None) -> JSONResponse:
    """The same JSON as `pantau pipeline --format json`: each open draft, the step it waits for and since when."""
    day = as_of or pantau.today()
    # A chunk of states at a time: chunks come in stream order, the order of the pipeline's rows.
    rows = (
        row
        for states in states_in_chunks(pantau, of_desk(pantau, desk))
        for row in pipeline_on(states, day, pantau.rules, desk)
    )
    return JSONResponse([row.as_json() for row in rows])


@router.get("/partnerships/{stream}/plan/{year}")
def plan(pantau: PantauDep, _user: UserDep, stream: Stream, year: Year) -> JSONResponse:
    """The same JSON as `pantau plan --format json`: the year's plan against its realisation."""
    state = _known(pantau, stream, year)
    return JSONResponse(plan_of_year(state, year))


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get(
    "/partnerships/{stream}/report/{year}.docx",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}, "description": "the report as a Word document"}},
)
def report(pantau: PantauDep, _user: UserDep, stream: Stream, year: Year) -> Response:
    """The yearly report (Laporan Hasil Kerja Sama) of the partnership, its nine sections filled from the record."""
    from service.report import build, file_name, to_docx

    state = _known(pantau, stream, year)
    return Response(
        to_docx(build(state, year, pantau.rules, pantau.today())),
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{file_name(stream, year)}"'},
    )


@router.get("/partnerships/{stream}/scorecard/{year}")
def scorecard(pantau: PantauDep, _user: UserDep, stream: Stream, year: Year) -> JSONResponse:
    """The year's scorecard: input, process and output, each line a fact with the events it comes from."""
    state = _known(pantau, stream, year)
    return JSONResponse(scorecard_of(state, year, pantau.rules))
