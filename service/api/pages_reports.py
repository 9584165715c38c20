"""The yearly reports of a whole region from the pages, as `pantau report --region` writes them: a ZIP of Word documents."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.api.i18n import translator
from service.api.web import logged_in, render
from service.bootstrap import Pantau

router = APIRouter(include_in_schema=False)


def _slug(region: str) -> str:
    # The header is Latin-1: the file's name keeps letters and digits only.
    return re.sub(r"[^a-z0-9]+", "-", region.casefold()).strip("-") or "daerah"


@router.get("/reports/{year}.zip")
def region_reports(request: Request, year: int, region: str = "") -> Response:
    """Every partnership's yearly report of a province or a city, each a Word document, in one ZIP."""
    from service.region_reports import region_states, zipped

    visit = logged_in(request)
    pantau: Pantau = request.app.state.pantau
    t = translator(visit.lang)
    region = region.strip()
    if not 1900 <= year <= pantau.today().year + 1:
        return render(request, visit, "error.html", {"message": f"{t('report.bad_year')}: {year}"}, 404)
    states = region_states(pantau.engine, region, pantau.rules) if region and len(region) <= 200 else []
    if not states:
        return render(request, visit, "error.html", {"message": f"{t('report.no_region')}: {region or '—'}"}, 404)
    return Response(
        zipped(states, year, pantau.rules, pantau.today()),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="laporan-{_slug(region)}-{year}.zip"'},
    )
