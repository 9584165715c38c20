"""JSON Lines import and export: all or nothing in, position order out."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import BinaryIO, Protocol

from events import mapper
from events.errors import Conflict, InvalidEvent
from events.model import Event
from events.store import BulkAppend, EventStore, RetryWithLookups


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
    """How many events were added and skipped (already stored)."""

    added: int
    skipped: int


class Follower(Protocol):
    """Takes the events an import writes as it writes them (a projection folding them, say)."""

    def take(self, events: list[Event]) -> None:
        """The events of one batch, as stored (positions set), in position order."""
        ...

    def forget(self) -> None:
        """The import starts over: drop everything taken so far."""
        ...


# Lines read, checked and written at a time: what an import holds in memory. Smaller batches keep
# the server busier while the command reads (the first batch's reading and the last COPY's end
# are the only times one waits for the other): 400,000 events 5.3 s at 10,000, 5.0 s at 5,000,
# 4.7-5.2 s at 2,000, 4.9 s at 1,000 (bench/scale.py's registry, quiet machine).
BATCH = 2_000


def decode_lines(lines: Iterable[bytes], today: date) -> Iterator[tuple[int, Event | None, Sequence[LineError]]]:
    """(line number, event or None, its errors) for every non-blank line."""
    checked = mapper.Checked(today)  # the texts the file repeats, checked once
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]  # a UTF-8 byte order mark, as Windows editors write it: not part of the JSON
        if not line.strip():
            continue
        try:
            yield number, mapper.decode(line, today, checked=checked), ()
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


@contextmanager
def fewer_collections(first: int = 7_000) -> Iterator[None]:
    """Run the cyclic garbage collector's youngest pass every `first` allocations instead of 700.

    An import makes its objects by the hundred thousand and lets go of them batch by batch,
    without cycles between them: at the default, the collector's passes over them took a
    twentieth of a 100,000-event import (bench/append.py --registry). The thresholds are put back after.
    """
    before = gc.get_threshold()
    gc.set_threshold(first, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def import_events(
    store: EventStore,
    source: BinaryIO,
    today: date,
    progress: Callable[[str, int], None] | None = None,
    follower: Follower | None = None,
    batch: int = BATCH,
) -> ImportResult:
    """Append a JSON Lines file in one transaction, `batch` lines at a time, or raise ImportRefused.

    All or nothing, holding a batch of lines rather than the file: each batch is validated,
    checked against the record and written before the next is read, and the transaction commits
    only after the last. Every bad line is reported: after the first refusal the rest are still
    read and checked, and nothing more is written. `follower` takes each batch as it is written
    (the projection folds it while the database takes in the rows). `progress` gets ("validated",
    lines read) along the way and ("written", events added) at the end.
    """
    fresh = source.seekable()
    with fewer_collections():
        try:
            return _import(store, source, today, progress, follower, batch, fresh)
        except RetryWithLookups:
            # The quick pass met a repeated id or a refusal: the lookups tell a repeated event
            # (skipped) from a clash and name every reason, as one append of the whole file would.
            source.seek(0)
            return _import(store, source, today, progress, follower, batch, fresh=False)


def _import(
    store: EventStore,
    source: BinaryIO,
    today: date,
    progress: Callable[[str, int], None] | None,
    follower: Follower | None,
    batch: int,
    fresh: bool,
) -> ImportResult:
    bad_lines: list[LineError] = []  # lines that are not events: reported alone, as before any check
    refused: list[LineError] = []  # events the record refuses
    try:
        with store.bulk(fresh=fresh) as bulk:
            for events, numbers, errors in _batches(source, today, batch, progress):
                bad_lines.extend(errors)
                if not bad_lines and events:
                    # After a refusal the rest is only checked: nothing more is for the follower.
                    refused.extend(_add(bulk, events, numbers, None if refused else follower))
            if bad_lines or refused:
                raise ImportRefused(bad_lines or refused)
    except BaseException:
        if follower is not None:
            follower.forget()  # what it took is rolled back with the import
        raise
    if progress:
        progress("written", bulk.added)
    return ImportResult(added=bulk.added, skipped=bulk.skipped)


def _add(bulk: BulkAppend, events: list[Event], numbers: list[int], follower: Follower | None) -> list[LineError]:
    """Check and write one batch; the lines the record refuses (a clash of ids refuses the file)."""
    try:
        appended = bulk.add(events)
    except InvalidEvent as exc:
        return [LineError(numbers[e.index] if e.index is not None else 0, e.field, e.reason) for e in exc.errors]
    except Conflict as exc:
        line = numbers[exc.index] if exc.index is not None else 0
        raise ImportRefused([LineError(line, "id", str(exc))]) from None
    if follower is not None and appended.added:
        follower.take(appended.new_events())
    return []


def _batches(
    source: Iterable[bytes], today: date, size: int, progress: Callable[[str, int], None] | None
) -> Iterator[tuple[list[Event], list[int], list[LineError]]]:
    """The file's events `size` lines at a time, with their line numbers and the batch's errors."""
    decoded = decode_lines(source, today)
    read = 0
    while True:
        events: list[Event] = []
        numbers: list[int] = []
        errors: list[LineError] = []
        for number, event, problems in islice(decoded, size):
            read = number
            if event is not None:
                events.append(event)
                numbers.append(number)
            errors.extend(problems)
        if not events and not errors:
            return
        if progress:
            progress("validated", read)
        yield events, numbers, errors


def export_events(store: EventStore, sink: BinaryIO, stream: str | None = None) -> int:
    """Write stored events as JSON Lines in position order; returns how many."""
    count = 0
    for event in store.iter_all(stream=stream):
        sink.write(mapper.encode_line(event))
        count += 1
    return count
