"""JSON Lines import and export: all or nothing in, position order out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from events import mapper
from events.errors import Conflict, InvalidEvent
from events.model import Event
from events.store import AppendResult, EventStore


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
    """How many events were added and skipped, and the append itself (its new events on request)."""

    added: int
    skipped: int
    appended: AppendResult | None = field(default=None, repr=False, compare=False)


def decode_lines(lines: Iterable[bytes], today: date) -> Iterator[tuple[int, Event | None, Sequence[LineError]]]:
    """(line number, event or None, its errors) for every non-blank line."""
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]  # a UTF-8 byte order mark, as Windows editors write it: not part of the JSON
        if not line.strip():
            continue
        try:
            yield number, mapper.decode(line, today), ()
        except InvalidEvent as exc:
            yield number, None, [LineError(number, e.field, e.reason) for e in exc.errors]


def parse_lines(
    lines: Iterable[bytes], today: date, progress: Callable[[int], None] | None = None
) -> tuple[list[Event], list[int], list[LineError]]:
    """Validate every line; returns the events, their line numbers and every error found."""
    events: list[Event] = []
    numbers: list[int] = []
    errors: list[LineError] = []
    for number, event, problems in decode_lines(lines, today):
        if event is not None:
            events.append(event)
            numbers.append(number)
        errors.extend(problems)
        if progress and number % 5000 == 0:
            progress(number)
    return events, numbers, errors


def import_events(
    store: EventStore, source: BinaryIO, today: date, progress: Callable[[str, int], None] | None = None
) -> ImportResult:
    """Validate a whole JSON Lines file, then append it in one transaction, or raise ImportRefused.

    (Validating in a thread while writing was tried: with the GIL it was slower, bench/append.py.)
    """
    events, numbers, errors = parse_lines(source, today, progress and (lambda n: progress("validated", n)))
    if errors:
        raise ImportRefused(errors)
    try:
        result = store.append(events)
    except InvalidEvent as exc:
        raise ImportRefused(
            [LineError(numbers[e.index] if e.index is not None else 0, e.field, e.reason) for e in exc.errors]
        ) from None
    except Conflict as exc:
        line = numbers[exc.index] if exc.index is not None else 0
        raise ImportRefused([LineError(line, "id", str(exc))]) from None
    if progress:
        progress("written", result.added)
    return ImportResult(added=result.added, skipped=result.skipped, appended=result)


def export_events(store: EventStore, sink: BinaryIO, stream: str | None = None) -> int:
    """Write stored events as JSON Lines in position order; returns how many."""
    count = 0
    for event in store.iter_all(stream=stream):
        sink.write(mapper.encode_line(event))
        count += 1
    return count
