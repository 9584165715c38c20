"""What every `pantau` command shares: the consoles, exiting with a message, options, the application.

Light on purpose: `pantau --help` imports this and typer only; each command imports what it needs
when it runs (the API, the scheduler and the mail templates are not loaded to print help).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NoReturn

import click
import typer
from rich.console import Console

from events.numbers import is_whole

if TYPE_CHECKING:
    from rich.progress import Progress

    from service.bootstrap import Pantau

# soft_wrap: one message stays one line when a script reads it (rich wraps at 80 columns off a terminal).
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a message on stderr and exit with `code`."""
    err.print(message, markup=False, highlight=False)
    raise typer.Exit(code)


class Whole(click.ParamType):
    """A whole-number option in the digits 0-9 only (click's INT takes "٢٠٢٤" and "²" through int()); exit 2 otherwise."""

    name = "integer"

    def __init__(self, low: int | None = None, high: int | None = None):
        self.low, self.high = low, high

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            number = value
        elif is_whole(str(value)):
            number = int(value)
        else:
            self.fail(f"{value!r} is not a whole number written in the digits 0-9", param, ctx)
        if self.low is not None and self.high is not None and not self.low <= number <= self.high:
            self.fail(f"{number} is not from {self.low} to {self.high}", param, ctx)
        return number


def parse_day(value: str, option: str) -> date:
    """A YYYY-MM-DD option value, or exit 2 naming the option."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date of the form YYYY-MM-DD")


def context() -> Pantau:
    """Build the application from the environment, or exit 2 naming the bad setting."""
    from service.bootstrap import bootstrap
    from service.settings import Settings, SettingsError

    try:
        return bootstrap(Settings.from_env())
    except SettingsError as exc:
        fail(str(exc))


def progress(percent: bool = False) -> Progress:
    """A progress bar on stderr, shown on a terminal only; counting done of total, or in per cent."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn() if percent else MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
