"""The /import page: upload a desk's matrix, read the preview, confirm (docs/matrix-import.md).

Admins import for any desk or region; a desk user for their own desk, a regional user for their
own province; viewers may not. Nothing is stored before the confirmation, and then all or nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from projections.readmodel import known_desks, read
from service.api.i18n import translator
from service.api.web import LoggedIn, check_csrf, logged_in, render
from service.bootstrap import Pantau
from service.matrix_in import uploads
from service.matrix_in.places import province_named
from service.matrix_in.preview import Preview, RowsRefused, read_matrix, recorded_texts, store_preview
from service.matrix_in.problems import MatrixRefused, Problem
from service.matrix_in.reader import read_bytes
from service.matrix_in.words import describe

router = APIRouter(include_in_schema=False)


def _scope(visit: LoggedIn, desk: str, region: str) -> tuple[str | None, str | None, str | None]:
    """(desk, region, refusal key): a desk or regional user imports for their own only."""
    user = visit.user
    if user.role == "viewer":
        return None, None, "mi.page_forbidden"
    if user.role == "desk":
        return user.desk, None, None
    if user.role == "regional":
        return None, province_named(user.region or "") or user.region, None
    if desk and region:
        return None, None, "mi.page_both"
    province = province_named(region) if region else None
    if region and province is None:
        return None, None, "mi.page_region_bad"
    return desk or None, province, None


def _page(request: Request, visit: LoggedIn, status_code: int = 200, **context) -> HTMLResponse:
    pantau: Pantau = request.app.state.pantau
    desks = sorted(set(known_desks(pantau.engine)) | {d.id for d in pantau.rules.desks})
    base = {"desks": desks, "preview": None, "token": "", "desk": "", "region": "", "as_of": "", "problem": None}
    return render(request, visit, "import.html", {**base, **context}, status_code)


@router.get("/import")
def import_page(request: Request) -> HTMLResponse:
    """The upload form."""
    visit = logged_in(request)
    _, _, refusal = _scope(visit, "", "")
    if refusal:
        return _page(request, visit, 403, problem=translator(visit.lang)(refusal))
    return _page(request, visit)


def _preview(pantau: Pantau, visit: LoggedIn, content: bytes, name: str, desk, region, as_of: str) -> Preview:
    day = date.fromisoformat(as_of) if as_of else None
    grid = read_bytes(content, name, pantau.settings.matrix_max_bytes)
    preview = read_matrix(
        grid,
        pantau.rules,
        pantau.today(),
        read(pantau.engine).states,
        desk=desk,
        region=region,
        as_of=day,
        source=f"matrix {PurePath(name).name}",
        texts=recorded_texts(pantau.store),
    )
    if visit.user.role == "regional":  # every row's Indonesian side must lie in the user's province
        for row in preview.rows:
            registered = next((e for e in row.events if e["type"] == "PartnershipRegistered"), None)
            province = registered and registered["data"]["indonesia"].get("province")
            if province and province.casefold() != (region or "").casefold():
                row.errors.append(Problem("mi.out_of_scope", {"province": province}, row.row))
    return preview


def _shown(preview: Preview, t) -> list[dict]:
    return [
        {
            "row": f"{r.sheet} · {r.row}" if r.sheet else r.row,
            "no": r.no,
            "stream": r.stream,
            "action": r.action,
            "events": [describe(e, t) for e in r.events],
            "warnings": [p.said(t) for p in r.warnings],
            "errors": [p.said(t) for p in r.errors],
        }
        for r in preview.rows
    ]


def _answer(request, visit, preview: Preview, token: str, desk, region, as_of, **extra) -> HTMLResponse:
    t = translator(visit.lang)
    return _page(
        request,
        visit,
        422 if preview.errors or extra.get("problem") else 200,
        preview={
            "as_of": preview.as_of,
            "rows": _shown(preview, t),
            "warnings": [p.said(t) for p in preview.warnings],
            "errors": len(preview.errors),
            "events": len(preview.events()),
        },
        token=token,
        desk=desk or "",
        region=region or "",
        as_of=as_of,
        **extra,
    )


def _opened(request: Request, csrf: str, desk: str, region: str):
    """(visit, words, desk, region) of a signed-in form sent for a scope the user may import for, or its refusal page."""
    visit = logged_in(request)
    check_csrf(visit, csrf)
    t = translator(visit.lang)
    desk_, region_, refusal = _scope(visit, desk.strip(), region.strip())
    if refusal:
        return _page(request, visit, 403 if refusal == "mi.page_forbidden" else 422, problem=t(refusal))
    return visit, t, desk_, region_


@router.post("/import")
async def import_preview(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
    desk: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    as_of: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Read the upload and show what would be recorded; nothing is stored."""
    opened = _opened(request, csrf, desk, region)
    if isinstance(opened, HTMLResponse):
        return opened
    visit, t, desk_, region_ = opened
    pantau: Pantau = request.app.state.pantau
    content = await file.read(pantau.settings.matrix_max_bytes + 1)
    name = file.filename or "matriks"
    try:
        if as_of:
            date.fromisoformat(as_of)
        preview = _preview(pantau, visit, content, name, desk_, region_, as_of)
    except MatrixRefused as exc:
        return _page(request, visit, 422, problem=exc.problem.said(t), desk=desk, region=region, as_of=as_of)
    except ValueError:
        return _page(request, visit, 422, problem=t("mi.page_as_of"), desk=desk, region=region)
    token = "" if preview.errors else uploads.keep(content, PurePath(name).suffix, visit.user.id)
    return _answer(request, visit, preview, token, desk_, region_, as_of)


@router.post("/import/confirm")
def import_confirm(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
    desk: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    as_of: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Store the previewed matrix, all or nothing (read again: the record may have moved meanwhile)."""
    opened = _opened(request, csrf, desk, region)
    if isinstance(opened, HTMLResponse):
        return opened
    visit, t, desk_, region_ = opened
    kept = uploads.take(token, visit.user.id)
    if kept is None:
        return _page(request, visit, 422, problem=t("mi.page_expired"))
    pantau: Pantau = request.app.state.pantau
    try:
        preview = _preview(pantau, visit, kept[0], f"matriks{kept[1]}", desk_, region_, as_of)
        stored = store_preview(pantau.store, preview, pantau.today())
    except MatrixRefused as exc:
        return _page(request, visit, 422, problem=exc.problem.said(t))
    except RowsRefused as exc:
        said = "; ".join(p.said(t) for p in exc.problems)
        return _answer(request, visit, preview, "", desk_, region_, as_of, problem=said)
    uploads.drop(token, visit.user.id)
    done = t("mi.stored") % {"added": stored.added, "skipped": stored.skipped}
    return _page(request, visit, done=done, desk=desk_ or "")
