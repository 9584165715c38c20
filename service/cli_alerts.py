"""`pantau alerts`, `pantau outbox`, `pantau digest` and `pantau mailbox`: the alerts from the command line."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from service.cli_support import Whole, context, fail, out, parse_day

if TYPE_CHECKING:
    from service.bootstrap import Pantau
    from service.scheduler import AlertJobs

alerts_app = typer.Typer(help="Alert rules: simulate over past days, or run the daily job now.", no_args_is_help=True)
outbox_app = typer.Typer(help="The outbox of messages: list, send what is due, retry one.", invoke_without_command=True)
digest_app = typer.Typer(help="Monthly desk digests.", no_args_is_help=True)


class SimulateFormat(str, Enum):
    table = "table"
    json = "json"


def _states(pantau: Pantau):
    from projections.readmodel import load_states

    pantau.runner.run()
    return load_states(pantau.engine)


class _IndexBar:
    """A progress bar on stderr, shown only while the due-day index computes every partnership
    (the first run, or after the rules changed)."""

    def __init__(self):
        self.bar = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Indeks hari jatuh tempo / due-day index", total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _jobs(pantau: Pantau, progress=None) -> AlertJobs:
    from service.bootstrap import mail_sender
    from service.scheduler import AlertJobs
    from service.settings import SettingsError

    try:
        sender = mail_sender(pantau.settings)
    except SettingsError as exc:
        fail(str(exc))
    return AlertJobs(pantau, pantau.alert_rules, sender, progress)


@alerts_app.command()
def simulate(
    start: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD")],
    format: Annotated[SimulateFormat, typer.Option("--format", help="table or json")] = SimulateFormat.table,
) -> None:
    """List every message the alert job would have queued, day by day, without sending anything."""
    from rich.table import Table

    from notifications.simulate import simulate as simulate_days
    from projections.readmodel import load_states

    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if last < first:
        fail("--to: must not be before --from")
    pantau = context()
    pantau.runner.run()
    planned = simulate_days(load_states(pantau.engine), first, last, pantau.rules, pantau.alert_rules)
    if format is SimulateFormat.json:
        sys.stdout.write(json.dumps([p.as_json() for p in planned], ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title=f"Alerts {first} .. {last}: {len(planned)} message(s)", title_justify="left")
    for column in ("day", "rule", "stream / desk", "key", "recipients"):
        table.add_column(column, overflow="fold")
    for p in planned:
        table.add_row(p.day.isoformat(), p.rule, p.stream, p.key, ", ".join(p.recipients) or "(none)")
    out.print(table)


@alerts_app.command("run")
def run(
    day: Annotated[
        str | None, typer.Option("--day", help="YYYY-MM-DD (default: every day missed through today)")
    ] = None,
) -> None:
    """Queue the alerts (and digests) due: for one day, or every day missed since the last run."""
    when = parse_day(day, "--day") if day is not None else None
    pantau = context()
    bar = _IndexBar()
    try:
        jobs = _jobs(pantau, bar)
        added = (
            jobs.alerts_job() + jobs.digest_job()
            if when is None
            else jobs.run(None, [when], partnerships=True, digests=True)
        )
    finally:
        bar.close()
    for key in added:
        out.print(key, highlight=False)
    out.print(f"{len(added)} message(s) queued", highlight=False)


@outbox_app.callback()
def outbox_default(ctx: typer.Context) -> None:
    """List the outbox when no subcommand is given."""
    if ctx.invoked_subcommand is None:
        list_(state=None, limit=50)


@outbox_app.command("list")
def list_(
    state: Annotated[str | None, typer.Option(help="queued, sending, sent, failed or undeliverable")] = None,
    limit: Annotated[int, typer.Option(click_type=Whole(), help="how many, newest first")] = 50,
) -> None:
    """The outbox, newest first, with each message's state and last error."""
    from rich.table import Table

    from notifications import outbox as outbox_store

    pantau = context()
    rows = outbox_store.list_messages(pantau.engine, state=state, limit=limit)
    counts = outbox_store.counts(pantau.engine)
    table = Table(title="Outbox: " + ", ".join(f"{k} {v}" for k, v in counts.items()), title_justify="left")
    for column in ("day", "state", "key", "to / cc", "attempts", "next attempt", "last error"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r["day"].isoformat(),
            r["state"],
            r["key"],
            ", ".join(r["to"] + r["cc"]) or "(none)",
            str(r["attempts"]),
            r["next_attempt_at"].isoformat(timespec="seconds") if r["next_attempt_at"] else "",
            r["last_error"] or "",
        )
    out.print(table)


@outbox_app.command()
def send() -> None:
    """Send every message that is due now."""
    from notifications import outbox as outbox_store

    pantau = context()
    steps = _jobs(pantau).outbox_job()
    counts = outbox_store.counts(pantau.engine)
    out.print(f"{steps} message(s) handled; " + ", ".join(f"{k} {v}" for k, v in counts.items()), highlight=False)


@outbox_app.command()
def show(key: Annotated[str, typer.Argument(help="the message's key")]) -> None:
    """One message: its addresses, state and every delivery attempt with its outcome."""
    from notifications import outbox as outbox_store

    pantau = context()
    message = outbox_store.get_message(pantau.engine, key)
    if message is None:
        fail(f"{key}: no message with this key")
    out.print(
        f"{message['key']}  [{message['state']}]\nTo: {', '.join(message['to']) or '(none)'}\n"
        f"Cc: {', '.join(message['cc'])}\nSubject: {message['subject']}",
        highlight=False,
        markup=False,
    )
    if message["next_attempt_at"]:
        out.print(f"next attempt: {message['next_attempt_at'].isoformat(timespec='seconds')}", highlight=False)
    for a in message["history"]:
        out.print(
            f"attempt {a['attempt']}  {a['at'].isoformat(timespec='seconds')}  {a['outcome']}"
            + (f"  {a['detail']}" if a["detail"] else ""),
            highlight=False,
            markup=False,
        )
    if not message["history"]:
        out.print(message["last_error"] or "no attempt yet", highlight=False, markup=False)


@outbox_app.command()
def retry(key: Annotated[str, typer.Argument(help="the message's key")]) -> None:
    """Queue a failed or undeliverable message again."""
    from notifications import outbox as outbox_store

    pantau = context()
    if not outbox_store.retry(pantau.engine, key, pantau.clock()):
        fail(f"{key}: no failed or undeliverable message with this key")
    out.print(f"{key}: queued again", highlight=False)


def _month(month: str) -> date:
    """The first day of a --month YYYY-MM, or exit 2 naming the option."""
    try:
        return date.fromisoformat(month + "-01")
    except ValueError:
        fail(f"--month: {month!r} is not of the form YYYY-MM")


@digest_app.command("send")
def send_digest(
    desk: Annotated[str, typer.Option(help="desk id, e.g. kbri-seoul")],
    month: Annotated[str, typer.Option(help="YYYY-MM")],
) -> None:
    """Queue a desk's digest of a month now (once: its key is that of the monthly job) and send what is due."""
    from notifications import keys
    from notifications import outbox as outbox_store
    from notifications.alert_rules import DIGEST
    from notifications.digest import desk_states, month_end
    from notifications.job import queue_alerts
    from notifications.rules import Alert

    first = _month(month)
    pantau = context()
    states = _states(pantau)
    if not desk_states(states, desk, month_end(first), pantau.rules):
        fail(f"--desk: no partnership of desk {desk!r} registered by the end of {month}")
    alert = Alert(DIGEST, keys.digest(desk, first), pantau.today(), None, desk, {"month": first})
    added = queue_alerts(pantau.engine, [alert], pantau.rules, pantau.alert_rules, pantau.clock())
    _jobs(pantau).outbox_job()
    for key in added:
        message = outbox_store.get_message(pantau.engine, key)
        assert message is not None  # queued just now, and outbox rows are never deleted
        out.print(
            f"{key}: {message['state']} {', '.join(message['to'] + message['cc'])} "
            f"{message['last_error'] or ''}".rstrip(),
            highlight=False,
            markup=False,
        )
    if not added:
        out.print(f"{alert.key}: already queued earlier; see `pantau outbox list`", highlight=False, markup=False)


@digest_app.command()
def preview(
    desk: Annotated[str, typer.Option(help="desk id, e.g. kbri-seoul")],
    month: Annotated[str, typer.Option(help="YYYY-MM")],
    language: Annotated[str, typer.Option(help="id or en")] = "id",
    html: Annotated[Path | None, typer.Option("--html", help="also write the HTML part to this file")] = None,
) -> None:
    """Print a desk's digest of a month (the text part), without queueing it."""
    from notifications import keys
    from notifications.alert_rules import DIGEST
    from notifications.compose import address
    from notifications.digest import build as build_digest
    from notifications.render import render
    from notifications.rules import Alert

    first = _month(month)
    if language not in ("id", "en"):
        fail("--language: must be id or en")
    pantau = context()
    states = _states(pantau)
    key = keys.digest(desk, first)
    context_ = build_digest(states, desk, first, pantau.rules, pantau.alert_rules)
    if not context_["rows"]:
        fail(f"--desk: no partnership of desk {desk!r} registered by the end of {month}")
    alert = Alert(DIGEST, key, first, None, desk, {"month": first})
    recipients = address(alert, None, pantau.rules, context_["desk_contacts"])
    body = render(DIGEST, language, {**context_, "key": key, "today": pantau.today()})
    to = [r for item in recipients for r in item.recipients]
    out.print(f"To: {', '.join(to) or '(nobody: no desk address)'}", highlight=False, markup=False)
    out.print(f"Subject: {body.subject}\n", highlight=False, markup=False)
    sys.stdout.flush()
    sys.stdout.write(body.text)
    if html is not None:
        html.write_text(body.html, encoding="utf-8")
        out.print(f"HTML written to {html}", highlight=False, markup=False)


def mailbox(
    limit: Annotated[int, typer.Option(click_type=Whole(), help="how many, newest first")] = 20,
    show: Annotated[int | None, typer.Option(click_type=Whole(), help="print the raw message with this id")] = None,
) -> None:
    """What the local SMTP sink received (the embedded default's "inbox")."""
    from rich.table import Table

    from service.smtp_sink import get_received, list_received

    pantau = context()
    rows = list_received(pantau.engine, limit=limit)
    if show is not None:
        chosen = get_received(pantau.engine, show)
        if chosen is None:
            fail(f"--show: no received message {show}")
        sys.stdout.write(chosen["raw"])
        return
    table = Table(title=f"Mailbox of the local SMTP sink ({len(rows)} shown)", title_justify="left")
    for column in ("id", "received", "to", "subject"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["id"]), r["received_at"].isoformat(timespec="seconds"), ", ".join(r["rcpt_tos"]), r["subject"]
        )
    out.print(table)
