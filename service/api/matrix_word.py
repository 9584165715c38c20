"""The matrix page's Word download: the rows shown, as the document the desk sends (service/matrix_in/export.py)."""

from __future__ import annotations

import io
from datetime import date

from fastapi.responses import Response

from projections.readmodel import Selection, read
from service.api.matrix import export_name
from service.bootstrap import Pantau
from service.matrix_in.export import heading_of, write_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(pantau: Pantau, day: date, desk: str | None, streams: list[str]) -> Response:
    """The partnerships `streams` (the page's rows, filters applied) as a .docx download."""
    states = read(pantau.engine, Selection(streams=frozenset(streams))).states if streams else []
    sink = io.BytesIO()
    write_docx(states, day, pantau.rules, sink, heading_of(pantau.rules, desk, None))
    return Response(
        sink.getvalue(),
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{export_name(desk, day)}.docx"'},
    )
