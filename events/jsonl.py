"""JSON Lines import and export: all or nothing in, position order out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from events import mapper
from events.errors import Conflict, FieldError, InvalidEvent
from events.model import Event
from events.store import EventStore


@dataclass(frozen=True)
class LineError:
    """A refused line: its 1-based number, the field and the reason."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


class ImportRefused(Exception):
    """The file has bad lines; nothing was written."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__(f"{len(errors)} bad line(s)")


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int


def parse_lines(lines: Iterable[bytes], today: date,
                progress: Callable[[int], None] | None = None) -> tuple[list[Event], list[int], list[LineError]]:
    """Validate every line; returns the events, their line numbers and every error found."""
    events, numbers, errors = [], [], []
    for number, line in enumerate(lines, start=1):
        if progress and number % 2000 == 0:
            progress(number)
        if not line.strip():
            continue
        try:
            events.append(mapper.decode(line, today))
            numbers.append(number)
        except InvalidEvent as exc:
            errors.extend(LineError(number, e.field, e.reason) for e in exc.errors)
    return events, numbers, errors


def import_events(store: EventStore, source: BinaryIO, today: date,
                  progress: Callable[[str, int], None] | None = None) -> ImportResult:
    """Validate a whole JSON Lines file, then append it in one transaction, or raise ImportRefused."""
    events, numbers, errors = parse_lines(
        source, today, (lambda n: progress("validated", n)) if progress else None)
    if errors:
        raise ImportRefused(errors)
    if progress:
        progress("writing", len(events))
    try:
        result = store.append(events)
    except InvalidEvent as exc:
        raise ImportRefused([LineError(numbers[e.index], e.field, e.reason) for e in exc.errors]) from None
    except Conflict as exc:
        line = numbers[exc.index] if exc.index is not None else 0
        raise ImportRefused([LineError(line, "id", str(exc))]) from None
    return ImportResult(added=result.added, skipped=result.skipped)


def export_events(store: EventStore, sink: BinaryIO, stream: str | None = None) -> int:
    """Write stored events as JSON Lines in position order; returns how many."""
    count = 0
    for event in store.iter_all(stream=stream):
        sink.write(mapper.encode_line(event))
        count += 1
    return count
