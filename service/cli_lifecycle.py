"""`pantau pipeline`, `pantau plan` and `pantau report`: drafts, yearly plans and yearly reports (docs/lifecycle.md)."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from events.dates import EARLIEST, YEARS_AHEAD, year_in_range
from service.cli_support import Whole, context, err, fail, out, parse_day


class Format(str, Enum):
    table = "table"
    json = "json"


def _dump(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def _year(value: int, today: date, option: str = "--year") -> int:
    """The year, when the catalogue's dates can name it (1945 to 100 years after today); else exit 2."""
    if not year_in_range(value, today):
        fail(f"{option}: {value} is not a year from {EARLIEST.year} to {today.year + YEARS_AHEAD}")
    return value


def pipeline(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default: today)")] = None,
    desk: Annotated[str | None, typer.Option(help="only this desk, e.g. kbri-seoul")] = None,
    format: Annotated[Format, typer.Option("--format", help="table or json")] = Format.table,
) -> None:
    """Draft agreements on their approval path, as of a day: the step each waits for, and since when."""
    from projections.pipeline import pipeline as pipeline_on
    from projections.readmodel import Selection, read

    day = parse_day(as_of, "--as-of") if as_of is not None else None
    pantau = context()
    day = day or pantau.today()
    pantau.runner.run()  # a state holds every dated fact: the same states answer for any day
    rows = pipeline_on(read(pantau.engine, Selection.of_desk(desk, pantau.rules)).states, day, pantau.rules, desk)
    if format is Format.json:
        _dump([r.as_json() for r in rows])
        return
    from rich.table import Table

    table = Table(title=f"Pipeline as of {day.isoformat()}: {len(rows)} draft(s)", title_justify="left")
    for column in ("stream", "draft", "document", "reached", "waiting for", "since", "days", "returned", "stalled"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r.stream,
            r.draft_id,
            r.document,
            r.reached,
            r.waiting_for,
            r.since.isoformat(),
            str(r.days_waiting),
            "yes" if r.returned else "",
            f"yes (> {r.limit})" if r.stalled else "",
        )
    out.print(table)


def plan(
    stream: Annotated[str, typer.Option("--stream", help="the partnership, e.g. kota-bandung-seoul")],
    year: Annotated[int, typer.Option("--year", click_type=Whole(), help="the plan's year")],
    format: Annotated[Format, typer.Option("--format", help="table or json")] = Format.table,
) -> None:
    """A year's activity plan against its realisation (planned, dropped, realised, outstanding, unplanned)."""
    from projections.plan import plan_of_year

    pantau = context()
    _year(year, pantau.today())
    pantau.runner.run()
    state = _state(pantau, stream)
    result = plan_of_year(state, year)
    if format is Format.json:
        _dump(result)
        return
    from rich.table import Table

    table = Table(title=f"Plan {stream} {year}: realisation rate {result['realisation_rate']}", title_justify="left")
    table.add_column("", overflow="fold")
    table.add_column("ids", overflow="fold")
    for key in ("planned", "dropped", "realised", "outstanding", "unplanned"):
        table.add_row(key, ", ".join(result[key]) or "-")
    out.print(table)


def _state(pantau, stream: str):
    """One partnership's state from the read model (caught up), or exit 2 naming --stream."""
    from projections.readmodel import load_streams

    state = next(iter(load_streams(pantau.engine, [stream])), None)
    if state is None:
        fail(f"--stream: no partnership {stream!r}")
    return state


def report(
    year: Annotated[int, typer.Option("--year", click_type=Whole(), help="the report's year")],
    stream: Annotated[str | None, typer.Option("--stream", help="one partnership")] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="every partnership of a province or city, e.g. 'DKI Jakarta' (with -o DIR)"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="the .docx file (with --stream) or the directory (with --region)"),
    ] = None,
    number: Annotated[
        str | None, typer.Option("--number", help="the report's number (default: the rules' pattern of its region)")
    ] = None,
) -> None:
    """The yearly report (Laporan Hasil Kerja Sama) as a Word document: one partnership, or each of a region."""
    from service.region_reports import region_states
    from service.report import build, file_name, to_docx

    if (stream is None) == (region is None):
        fail("--stream or --region: give exactly one of them")
    if region is not None and output is None:
        fail("--output: a directory is needed with --region (one report per partnership is written there)")
    pantau = context()
    _year(year, pantau.today())
    pantau.runner.run()
    if stream is not None:
        state = _state(pantau, stream)
        target = output or Path(file_name(stream, year))
        target.write_bytes(to_docx(build(state, year, pantau.rules, pantau.today(), number)))
        out.print(f"{target}", highlight=False)
        return
    assert region is not None and output is not None  # both checked above; says so to the type checker
    states = region_states(pantau.engine, region, pantau.rules)
    if not states:
        fail(f"--region: no partnership of {region!r} (a province or city as registered, e.g. 'Jawa Barat')")
    output.mkdir(parents=True, exist_ok=True)
    failed = 0
    for state in states:
        target = output / file_name(state.stream, year)
        try:  # one partnership's report that cannot be written does not keep the others from theirs
            target.write_bytes(to_docx(build(state, year, pantau.rules, pantau.today(), number)))
        except Exception as exc:  # noqa: BLE001 - reported by stream, then the batch goes on
            failed += 1
            err.print(f"{state.stream}: not written: {type(exc).__name__}: {exc}", markup=False, highlight=False)
            continue
        out.print(f"{target}", highlight=False)
    out.print(f"{len(states) - failed} report(s) written to {output}", highlight=False)
    if failed:
        fail(f"--region: {failed} of {len(states)} report(s) not written (named above)", code=1)


def install(app: typer.Typer) -> None:
    """Add the commands to the `pantau` application."""
    app.command("pipeline")(pipeline)
    app.command("plan")(plan)
    app.command("report")(report)
