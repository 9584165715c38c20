"""The registry as open data: `/registri.csv`, `.json`, `.xlsx` with the list's filters, and its Frictionless Data Package."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from service.api.registry_http import asked, current, language, refused_json, unchanged, validators
from service.bootstrap import Pantau
from service.registry_columns import COLUMNS
from service.registry_query import BadParameter, Filters
from service.registry_sql import export_rows, recorded_at

router = APIRouter(include_in_schema=False)
NAME = "registri-kerja-sama"
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_LICENSES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
}


def _export(request: Request, format: str) -> Response:
    pantau: Pantau = request.app.state.pantau
    lang = "id"
    try:
        lang = language(request)
        position = current(pantau)
        filters = asked(pantau, request).filters
    except BadParameter as error:
        return refused_json(lang, error)
    headers = validators(pantau, request, position)
    if (held := unchanged(request, headers)) is not None:
        return held
    rows = export_rows(pantau.engine, filters)
    made: Iterator[str] | Iterator[bytes]
    if format == "csv":
        made = _csv(rows)
    elif format == "json":
        made = _json(pantau, filters, rows)
    else:
        made = _xlsx(rows)
    disposition = {"Content-Disposition": f'attachment; filename="{NAME}.{format}"'} if format != "json" else {}
    return StreamingResponse(made, media_type=_MEDIA[format], headers={**headers, **disposition})


@router.get("/registri.csv")
def registry_csv(request: Request) -> Response:
    """The listed partnerships as CSV (UTF-8, a heading line of the Table Schema's names)."""
    return _export(request, "csv")


@router.get("/registri.json")
def registry_json(request: Request) -> Response:
    """The listed partnerships as JSON: the day of the data, the licence and the rows."""
    return _export(request, "json")


@router.get("/registri.xlsx")
def registry_xlsx(request: Request) -> Response:
    """The listed partnerships as an Excel workbook (the CSV's columns)."""
    return _export(request, "xlsx")


def _csv(rows: Iterable[dict]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    for count, row in enumerate(rows, 1):
        writer.writerow(["" if (v := c.value(row)) is None else v for c in COLUMNS])
        if count % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _json(pantau: Pantau, filters: Filters, rows: Iterable[dict]) -> Iterator[bytes]:
    head = {
        "as_of": pantau.today().isoformat(),
        "license": pantau.settings.registry_license,
        "publisher": pantau.settings.registry_publisher,
        "filters": filters.given(),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "partnerships": ['
    for index, row in enumerate(rows):
        yield (b"," if index else b"") + json.dumps(row, ensure_ascii=False).encode()
    yield b"]}"


def _xlsx(rows: Iterable[dict]) -> Iterator[bytes]:
    from openpyxl import Workbook  # loaded for a download only

    book = Workbook(write_only=True)
    sheet = book.create_sheet("registri")
    sheet.append([c.name for c in COLUMNS])
    for row in rows:
        sheet.append([c.value(row) for c in COLUMNS])
    with tempfile.TemporaryFile() as out:
        book.save(out)
        out.seek(0)
        while part := out.read(1 << 16):
            yield part


@router.get("/registri/datapackage.json")
def datapackage(request: Request) -> Response:
    """The Frictionless Data Package describing the CSV: every column, the licence, publisher, source and time."""
    pantau: Pantau = request.app.state.pantau
    position = current(pantau)
    headers = validators(pantau, request, position)
    if (held := unchanged(request, headers)) is not None:
        return held
    return JSONResponse(package(pantau, position), headers=headers)


def package(pantau: Pantau, position: int) -> dict:
    """The Data Package (v1) of the registry as it stands at `position`."""
    settings = pantau.settings
    base = settings.base_url.rstrip("/")
    title, path = _LICENSES.get(settings.registry_license, (settings.registry_license, None))
    stored = recorded_at(pantau.engine, position) or datetime.now(timezone.utc)
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": "Registri kerja sama sister city dan sister province pemerintah daerah Indonesia",
        "description": (
            "Kerja sama luar negeri pemerintah daerah Indonesia dengan tahap dan keaktifannya hari ini. "
            "/ Indonesian local governments' sister-city and sister-province partnerships, "
            "with their stage and activeness as of today."
        ),
        "homepage": f"{base}/registri",
        "created": stored.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "as_of": pantau.today().isoformat(),
        "licenses": [{"name": settings.registry_license, "title": title, **({"path": path} if path else {})}],
        "contributors": [{"title": settings.registry_publisher, "role": "publisher"}],
        "sources": [{"title": "Pantau", "path": f"{base}/registri"}],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "registri",
                "path": f"{base}/registri.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [_field(c) for c in COLUMNS], "primaryKey": ["stream"]},
            }
        ],
    }


def _field(column) -> dict:
    return {
        "name": column.name,
        "type": column.type,
        "title": column.id,
        "description": f"{column.id}. / {column.en}.",
        "description_en": column.en,
        **({"constraints": column.constraints} if column.constraints else {}),
    }
