"""`pantau matrix import|export`: a desk's own matrix (Word, Excel, CSV) in, and the desk's matrix out as Word."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="A desk's own matrix: import a .docx, .xlsx or .csv (preview first), export the desk's matrix as .docx.",
    no_args_is_help=True,
)


class PreviewFormat(str, Enum):
    table = "table"
    json = "json"


@app.command("import")
def import_matrix(
    file: Annotated[Path, typer.Argument(help="the matrix: .docx, .xlsx or .csv")],
    desk: Annotated[str | None, typer.Option(help="the desk whose matrix it is, e.g. kbri-seoul")] = None,
    region: Annotated[str | None, typer.Option(help="the province whose own list it is, e.g. 'Jawa Tengah'")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="the matrix's date, YYYY-MM-DD (default: its title's)")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show what would be recorded; store nothing")] = False,
    format: Annotated[PreviewFormat, typer.Option("--format", help="table or json")] = PreviewFormat.table,
) -> None:
    """Read a matrix, show what each row records, and store it all or nothing (exit 2 on any row's error)."""
    from notifications.translations import translator
    from service.cli_support import context, err, fail, out, parse_day
    from service.matrix_in.places import province_named

    t = translator("id")
    if desk and region:
        fail("--desk dan --region tidak dapat dipakai bersama / --desk and --region exclude each other")
    if region and province_named(region) is None:
        fail(f"--region: {region!r} bukan nama provinsi / is not a province")
    if not file.is_file():
        fail(f"{file}: berkas tidak ada / no such file")
    day = parse_day(as_of, "--as-of") if as_of else None
    pantau = context()
    preview = _preview(pantau, file, desk, region and province_named(region), day, t)
    if format is PreviewFormat.json:
        sys.stdout.write(json.dumps(preview.as_json(t), ensure_ascii=False, indent=1) + "\n")
    else:
        _print_preview(preview, t, out)
    for problem in preview.errors:
        err.print(f"{file}: {problem.said(t)}", markup=False, highlight=False)
    if preview.errors:
        fail(f"{file}: {t('mi.refused_all') % {'n': len(preview.errors)}}")
    if dry_run:
        err.print(t("mi.dry_run"), highlight=False)
        return
    _store(pantau, preview, file, t)


def _preview(pantau, file: Path, desk: str | None, region: str | None, day, t):
    """The file's preview against the record, or exit 2 when it is no matrix."""
    from projections.readmodel import read
    from service.cli_support import fail
    from service.matrix_in.preview import read_matrix, recorded_texts
    from service.matrix_in.problems import MatrixRefused
    from service.matrix_in.reader import read_file

    try:
        grid = read_file(file, pantau.settings.matrix_max_bytes)
        stored = read(pantau.engine).states
        return read_matrix(
            grid,
            pantau.rules,
            pantau.today(),
            stored,
            desk=desk,
            region=region,
            as_of=day,
            source=f"matrix {file.name}",
            texts=recorded_texts(pantau.store),
        )
    except MatrixRefused as exc:
        fail(f"{file}: {exc.problem.said(t)}")


def _store(pantau, preview, file: Path, t) -> None:
    """Store the preview in one append (a bar on a terminal), or exit 2 naming what the record refused."""
    from service.cli_support import err, fail, progress
    from service.matrix_in.preview import RowsRefused, store_preview

    try:
        with progress() as bar:
            task = bar.add_task("menyimpan", total=len(preview.events()))
            result = store_preview(
                pantau.store, preview, pantau.today(), lambda done, total: bar.update(task, completed=done)
            )
    except RowsRefused as exc:
        for problem in exc.problems:
            err.print(f"{file}: {problem.said(t)}", markup=False, highlight=False)
        fail(f"{file}: {t('mi.refused_all') % {'n': len(exc.problems)}}")
    pantau.runner.run()
    err.print(t("mi.stored") % {"added": result.added, "skipped": result.skipped}, highlight=False)


def _print_preview(preview, t, out) -> None:
    from collections import Counter

    from rich.table import Table

    table = Table(title=f"Matriks per {preview.as_of.isoformat()}", title_justify="left")
    for column in ("baris", "no", "kerja sama", "tindakan", "dicatat", "peringatan / kesalahan"):
        table.add_column(column, overflow="fold")
    for row in preview.rows:
        counts = Counter(e["type"] for e in row.events)
        problems = [p.said(t) for p in row.errors] + [p.said(t) for p in row.warnings]
        table.add_row(
            str(row.row),
            row.no,
            row.stream or "",
            row.action,
            ", ".join(f"{n} {kind}" for kind, n in counts.items()),
            "\n".join(problems),
        )
    out.print(table)
    for problem in preview.warnings:
        out.print(problem.said(t), markup=False, highlight=False)


@app.command("export")
def export_matrix(
    output: Annotated[Path, typer.Option("--output", "-o", help="the .docx file to write")],
    desk: Annotated[str | None, typer.Option(help="only this desk's partnerships, e.g. kbri-seoul")] = None,
    region: Annotated[str | None, typer.Option(help="only this province's partnerships")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default: today)")] = None,
) -> None:
    """Write the matrix as the Word document desks send: A4 landscape, the computed status beside the published one."""
    from projections.readmodel import Selection, read
    from service.cli_support import context, err, fail, parse_day
    from service.matrix_in.export import heading_of, selected, write_docx
    from service.matrix_in.places import province_named

    if desk and region:
        fail("--desk dan --region tidak dapat dipakai bersama / --desk and --region exclude each other")
    if output.suffix.lower() != ".docx":
        fail(f"{output}: hanya .docx / only .docx is written")
    province = province_named(region) if region else None
    if region and province is None:
        fail(f"--region: {region!r} bukan nama provinsi / is not a province")
    pantau = context()
    day = parse_day(as_of, "--as-of") if as_of else pantau.today()
    states = read(pantau.engine, Selection.of_desk(desk, pantau.rules)).states
    chosen = selected(states, day, pantau.rules, desk, province)
    with output.open("wb") as sink:
        count = write_docx(chosen, day, pantau.rules, sink, heading_of(pantau.rules, desk, province))
    err.print(f"{count} kerja sama ditulis ke {output} / partnerships written", highlight=False)
