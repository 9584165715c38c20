"""The `pantau` command line (docs/interfaces.md): exit 0 on success, 2 on bad input, 1 on other failure."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from service.cli_alerts import alerts_app, digest_app, mailbox, outbox_app
from service.cli_lifecycle import install as install_lifecycle
from service.cli_matrix import app as matrix_app
from service.cli_notes import app as notes_app
from service.cli_support import Whole, context, err, fail, out, parse_day, progress
from service.cli_users import app as users_app

if TYPE_CHECKING:
    from datetime import date

SAMPLE = Path(__file__).parent / "data" / "matrix-2021-12-27.jsonl"

app = typer.Typer(
    help="Pantau: the record of Indonesia's sister-city and sister-province partnerships.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="JSON Lines file of events (docs/events.md)")]) -> None:
    """Append the events of a JSON Lines file: all or nothing; ids already stored are skipped."""
    from events.database import analyze
    from events.jsonl import ImportRefused, import_events

    if not file.is_file():
        fail(f"{file}: no such file")
    pantau = context()
    # The bar follows the bytes read: counting the lines first read the whole file once more
    # (0.2 s of a 400,000-event import).
    total = file.stat().st_size
    with progress(percent=True) as bar, file.open("rb") as source:
        task = bar.add_task("importing", total=total)

        def report(phase: str, _count: int) -> None:
            bar.update(task, completed=total if phase == "written" else source.tell())

        try:
            follower = pantau.runner.follow_import()
            result = import_events(pantau.store, source, pantau.today(), report, follower)
        except ImportRefused as exc:
            for error in exc.errors:
                err.print(f"{file}: {error}", markup=False, highlight=False)
            fail(f"{file}: refused, nothing imported ({len(exc.errors)} problem(s))")
    follower.save()
    if result.added:
        analyze(pantau.engine, ("events", "partnership_states"))
    out.print(f"{result.added} added, {result.skipped} skipped (already stored)", highlight=False)


@app.command("export")
def export(
    stream: Annotated[str | None, typer.Option(help="only this partnership")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file (default: stdout)")] = None,
) -> None:
    """Write the stored events as JSON Lines, in position order."""
    from events.jsonl import export_events

    pantau = context()
    if output is None:
        export_events(pantau.store, sys.stdout.buffer, stream)
        sys.stdout.buffer.flush()
    else:
        with output.open("wb") as sink:
            count = export_events(pantau.store, sink, stream)
        err.print(f"{count} events written to {output}", highlight=False)


@app.command()
def status(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default: today)")] = None,
    desk: Annotated[str | None, typer.Option(help="only this desk, e.g. kbri-seoul")] = None,
    format: Annotated[Format, typer.Option("--format", help="table, json or csv")] = Format.table,
) -> None:
    """The derived status of every partnership, today or as of a date."""
    from projections.readmodel import Selection, read
    from projections.status import statuses
    from service import status_output

    pantau = context()
    day = parse_day(as_of, "--as-of") if as_of is not None else pantau.today()
    # The same states answer for any day (a state keeps every dated fact): only the desk's are read.
    states = read(pantau.engine, Selection.of_desk(desk, pantau.rules)).states
    rows = statuses(states, day, pantau.rules, desk)
    if format is Format.json:
        sys.stdout.write(status_output.to_json(rows))
    elif format is Format.csv:
        sys.stdout.write(status_output.to_csv(rows))
    else:
        _print_table(rows, states, day, pantau.rules)


def _print_table(rows, states, day: date, rules) -> None:
    from rich.table import Table

    from projections.activeness import last_activity_written
    from service import status_output

    # People read the table: the last activity as written ("2019"), not the last day it stands for.
    by_stream = {s.stream: s for s in states}
    written = {r.stream: last_activity_written(by_stream[r.stream], day, rules) for r in rows}
    table = Table(title=f"Status as of {day.isoformat()}", title_justify="left")
    for column in ("stream", "desk", "stage", "activeness", "matrix", "assessed", "last activity", "agreements"):
        table.add_column(column, overflow="fold")
    for row in status_output.as_json_objects(rows):
        table.add_row(
            row["stream"],
            row["desk"] or "",
            row["stage"],
            row["activeness"],
            row["matrix_status"],
            row["assessed_status"] or "",
            written.get(row["stream"]) or row["last_activity_on"] or "",
            "\n".join(status_output.agreement_summary(a) for a in row["agreements"]),
        )
    out.print(table)


@app.command()
def rebuild() -> None:
    """Rebuild the read models from the events beside the live ones, then switch to them."""
    pantau = context()
    with progress() as bar:
        task = bar.add_task("rebuilding", total=pantau.store.head())
        # The head to reach grows while writers carry on: the bar's total follows it.
        count = pantau.runner.rebuild(progress=lambda done, head: bar.update(task, completed=done, total=head))
    out.print(f"rebuilt read models from {count} events", highlight=False)


@app.command()
def seed(
    file: Annotated[Path, typer.Option(help="events to load")] = SAMPLE,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="also the demo's example contacts (*.example), and alerts evaluated from the sample's last day on",
        ),
    ] = False,
) -> None:
    """Import the sample matrix (KBRI Seoul, 27 December 2021) when the store is empty."""
    from events.jsonl import import_events

    pantau = context()
    if pantau.store.head():
        out.print("store already holds events; nothing imported", highlight=False)
    else:
        with file.open("rb") as source:
            result = import_events(pantau.store, source, pantau.today())
        out.print(f"imported the sample matrix: {result.added} events", highlight=False)
    if demo:
        from service.demo import seed_demo

        out.print(seed_demo(pantau), highlight=False)
    pantau.runner.run()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(click_type=Whole(1, 65535), help="port to listen on")] = 8000,
    workers: Annotated[
        int,
        typer.Option(click_type=Whole(1, 64), help="API processes sharing the store; one at a time runs the scheduler"),
    ] = 1,
) -> None:
    """Run the HTTP service with its scheduler."""
    from sqlalchemy.engine import make_url

    from service.server import serve as run_server
    from service.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
        if settings.base_url == Settings.base_url:
            # Left at its default, the mails' links lead to where this serves (the workers read it too).
            os.environ["PANTAU_BASE_URL"] = _served_at(host, port)
            settings = Settings.from_env()
        store = make_url(settings.database_url).render_as_string(hide_password=True)  # logs keep no password
        out.print(
            f"Pantau on http://{host}:{port}/ (store: {store}, {workers} worker{'s' if workers > 1 else ''})",
            highlight=False,
        )
        run_server(settings, host, port, workers)
    except SettingsError as exc:
        fail(str(exc))


def _served_at(host: str, port: int) -> str:
    """The address a browser on this machine reaches `pantau serve --host H --port P` at."""
    if host in ("0.0.0.0", "::", ""):  # every interface: this machine's own loopback
        host = "127.0.0.1"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


app.add_typer(alerts_app, name="alerts")
app.add_typer(outbox_app, name="outbox")
app.add_typer(digest_app, name="digest")
app.command("mailbox")(mailbox)
app.add_typer(users_app, name="users")
install_lifecycle(app)
app.add_typer(notes_app, name="notes")
app.add_typer(matrix_app, name="matrix")


def _loaded(module: str, name: str) -> type[BaseException] | None:
    """An exception class of a module the command loaded, or None: `--help` loads neither."""
    loaded = sys.modules.get(module)
    return getattr(loaded, name, None) if loaded is not None else None


def main() -> None:
    """Entry point of the `pantau` console script."""
    try:
        app()
    except Exception as exc:
        settings_error = _loaded("service.settings", "SettingsError")
        database_error = _loaded("sqlalchemy.exc", "SQLAlchemyError")
        if settings_error is not None and isinstance(exc, settings_error):
            err.print(str(exc), markup=False)
            sys.exit(2)
        if database_error is not None and isinstance(exc, database_error):
            # An unreachable database, missing permissions, …: not bad input.
            err.print(
                f"database error: {exc.__class__.__name__}: {getattr(exc, 'orig', None) or exc}",
                markup=False,
                highlight=False,
            )
            sys.exit(1)
        raise


if __name__ == "__main__":
    main()
