"""`pantau notes review|accept|dismiss`: the queue of unreviewed progress notes, and a person's decision on one."""

from __future__ import annotations

import getpass
import json
import sys
from enum import Enum
from typing import Annotated

import typer

app = typer.Typer(
    help="Progress notes not yet reviewed: review the queue, accept a note as an activity, or dismiss it.",
    no_args_is_help=True,
)


class QueueFormat(str, Enum):
    table = "table"
    json = "json"


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (a container without passwd entry)
        return "cli"


@app.command("review")
def review(
    stream: Annotated[str | None, typer.Option(help="only this partnership")] = None,
    format: Annotated[QueueFormat, typer.Option("--format", help="table or json")] = QueueFormat.table,
) -> None:
    """List every note not yet reviewed, with what it seems to record (never applied without `accept`)."""
    from rich.table import Table

    from service.cli_support import context, out
    from service.notes import queue

    items = queue(context().store, stream)
    if format is QueueFormat.json:
        sys.stdout.write(json.dumps([i.as_json() for i in items], ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title=f"{len(items)} catatan belum ditinjau / notes not yet reviewed", title_justify="left")
    for column in ("event_id", "stream", "text", "proposal", "reason"):
        table.add_column(column, overflow="fold")
    for item in items:
        p = item.proposal
        proposal = "—" if p is None else f"{p.kind}: {p.title} ({p.occurred_on or 'tanggal? / date?'})"
        table.add_row(item.note.event_id, item.note.stream, item.note.text, proposal, item.reason)
    out.print(table)


@app.command("accept")
def accept(
    event_id: Annotated[str, typer.Argument(help="the NoteAdded event's id")],
    occurred_on: Annotated[
        str | None,
        typer.Option("--occurred-on", help="YYYY, YYYY-MM or YYYY-MM-DD; required when the text gives no date"),
    ] = None,
    ends_on: Annotated[str | None, typer.Option("--ends-on", help="last day of a period, partial allowed")] = None,
    kind: Annotated[str | None, typer.Option(help="activity kind (default: the proposal's)")] = None,
    title: Annotated[str | None, typer.Option(help="short title (default: the proposal's)")] = None,
) -> None:
    """Record the note as an activity (ActivityLogged naming the note) and take it off the queue."""
    from service.cli_support import context, fail, out
    from service.notes import NoteRefused, accept_events, append_review

    pantau = context()
    try:
        batch = accept_events(
            pantau.store,
            event_id,
            pantau.today(),
            _actor(),
            occurred_on=occurred_on,
            ends_on=ends_on,
            kind=kind,
            title_=title,
            max_length=pantau.settings.max_text_length,
        )
        stored = append_review(pantau.store, batch)
    except NoteRefused as exc:
        fail(str(exc))
    pantau.runner.run()
    activity = stored[0]
    data = activity.data
    out.print(
        f"note {event_id} accepted: {data['kind']} {activity.occurred_on} on {activity.stream} "
        f"(activity {data['activity_id']})",
        highlight=False,
        markup=False,
    )


@app.command("dismiss")
def dismiss(
    event_id: Annotated[str, typer.Argument(help="the NoteAdded event's id")],
    reason: Annotated[str | None, typer.Option(help="why it records no activity")] = None,
) -> None:
    """Take the note off the queue; it stays a note."""
    from service.cli_support import context, fail, out
    from service.notes import NoteRefused, append_review, dismiss_events

    pantau = context()
    try:
        append_review(
            pantau.store,
            dismiss_events(
                pantau.store, event_id, pantau.today(), _actor(), reason, max_length=pantau.settings.max_text_length
            ),
        )
    except NoteRefused as exc:
        fail(str(exc))
    pantau.runner.run()
    out.print(f"note {event_id} dismissed", highlight=False)
