"""A matrix file read against the record: for each row what would be recorded, then all of it stored or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from events import mapper
from events.errors import Conflict, InvalidEvent
from events.store import EventStore, RetryWithLookups
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import details
from service.matrix_in import titles as title_words
from service.matrix_in.countries import country_code
from service.matrix_in.diff import changes, match_key, state_key
from service.matrix_in.grid import Grid
from service.matrix_in.layout import Table, tables
from service.matrix_in.problems import MatrixRefused, Problem
from service.matrix_in.rows import Context, RowReading, TableContext, cell, finish, read_row

Texts = Callable[[list[str]], dict[str, list[str]]]
# The payload fields where a record keeps a matrix's words: a reviewed note becomes an activity's
# description, a signing's or a step's note.
_TEXT_FIELDS = ("text", "description", "title", "note")


def recorded_texts(store: EventStore) -> Texts:
    """For some streams, the texts their events hold (notes, activities, signings, steps), read in one pass."""

    def texts(streams: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        head = store.head()
        for start in range(0, len(streams), 500):  # well under SQLite's limit of bound parameters
            for fact in store.facts_of(streams[start : start + 500], head):
                for name in _TEXT_FIELDS:
                    value = getattr(fact.payload, name, None)
                    if isinstance(value, str) and value:
                        found.setdefault(fact.stream, []).append(value)
        return found

    return texts


@dataclass
class RowPreview:
    """One row: its partnership, whether it is new, changed or the same, its events and its problems."""

    row: int
    no: str
    stream: str | None
    action: str
    events: list[dict]
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    sheet: str = ""

    def as_json(self, t) -> dict:
        """The row as `pantau matrix import --format json` gives it ("sheet" in a workbook of several)."""
        return {
            **({"sheet": self.sheet} if self.sheet else {}),
            "row": self.row,
            "no": self.no,
            "stream": self.stream,
            "action": self.action,
            "events": self.events,
            "warnings": [p.said(t) for p in self.warnings],
            "errors": [p.said(t) for p in self.errors],
        }


@dataclass
class Preview:
    """What importing a matrix would record, row by row, and the file's own warnings."""

    as_of: date
    rows: list[RowPreview]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Every row's errors, in row order."""
        return [p for r in self.rows for p in r.errors]

    def events(self) -> list[dict]:
        """Every event to store, row by row."""
        return [e for r in self.rows for e in r.events]

    def as_json(self, t) -> dict:
        """The preview as JSON: {"as_of", "rows": […], "warnings": […]}."""
        return {
            "as_of": self.as_of.isoformat(),
            "rows": [r.as_json(t) for r in self.rows],
            "warnings": [p.said(t) for p in self.warnings],
        }


def _table_context(table: Table, before: TableContext | None) -> TableContext:
    kind = title_words.kind(table.titles)
    if kind is None and "indonesia_city" in table.headings and "indonesia" not in table.headings:
        kind = "sister_city"
    if kind is None and "indonesia" in table.headings and "indonesia_city" not in table.headings:
        kind = "sister_province" if table.headings["indonesia"].upper().startswith("PROVINSI") else None
    found = TableContext(kind, title_words.region(table.titles), title_words.country(table.titles))
    if before is None:
        return found
    if table.titles:
        return TableContext(found.kind or before.kind, found.region or before.region, found.country or before.country)
    return before


def _usual_country(found: list[Table]) -> str | None:
    """The country most rows name: a row that names none is taken to share it (with a warning)."""
    counts: Counter[str] = Counter()
    for table in found:
        for row in table.rows:
            written = cell(table, row, "country") or tuple(cell(table, row, "partner")[-1:])
            tail = " ".join(written).split(",")[-1] if written else ""
            code = country_code(tail) if tail else None
            if code:
                counts[code] += 1
    return counts.most_common(1)[0][0] if counts else None


def read_matrix(
    grid: Grid,
    rules: Rules,
    today: date,
    stored: Sequence[PartnershipState] = (),
    *,
    desk: str | None = None,
    region: str | None = None,
    as_of: date | None = None,
    source: str = "matrix",
    texts: Texts | None = None,
) -> Preview:
    """The preview of a matrix against the `stored` partnerships (MatrixRefused when it is no matrix).

    `texts` gives, for some streams, every text their record holds (recorded_texts): an item the
    record already holds as an activity, a signing or a step is not a new note.
    """
    lines, found = tables(grid)
    warnings: list[Problem] = []
    day = as_of or title_words.as_of(lines, today)
    if day is None:
        day = today
        warnings.append(Problem("mi.no_date", {"day": today.isoformat()}))
    if day > today:  # events say what has happened: a matrix dated ahead is a typing slip
        raise MatrixRefused(Problem("mi.future_date", {"day": day.isoformat()}))
    ctx = Context(day, rules, desk, region, source)
    readings: list[RowReading] = []
    context: TableContext | None = None
    usual = _usual_country(found)
    for table in found:
        context = _table_context(table, context)
        if context.country is None and usual is not None:
            context = TableContext(context.kind, context.region, usual)
        readings.extend(read_row(table, row, context, ctx) for row in table.rows)
    rows = _settle(readings, stored, ctx, today, texts)
    warnings.extend(_missing(rows, stored, ctx))
    return Preview(day, rows, warnings)


def _settle(
    readings: list[RowReading], stored: Sequence[PartnershipState], ctx: Context, today: date, texts: Texts | None
) -> list[RowPreview]:
    """Each row matched to a stored partnership or new, its events cut to what changed and checked."""
    by_stream = {s.stream: s for s in stored}
    by_key = {state_key(s, ctx.as_of, ctx.rules): s for s in stored}
    matched = {
        r.stream: by_stream.get(r.stream) or by_key.get(match_key(*r.key)) for r in readings if r.stream and r.key
    }
    known = texts([s.stream for s in matched.values() if s is not None]) if texts is not None else {}
    seen: dict[str, int] = {}
    rows: list[RowPreview] = []
    for reading in readings:
        row = RowPreview(
            reading.row, reading.no, reading.stream, "new", [], reading.warnings, reading.errors, reading.sheet
        )
        sheet = reading.sheet or None
        rows.append(row)
        if reading.stream is None or reading.key is None:
            continue
        state = matched[reading.stream]
        events = reading.events
        if state is not None:
            events, kept = changes(events, state, ctx.as_of, ctx.rules, known.get(state.stream, ()))
            row.stream, row.action = state.stream, "changed" if events else "same"
            row.warnings.extend(Problem("mi.contact_kept", {"contact": c}, reading.row, sheet=sheet) for c in kept)
        assert row.stream is not None
        if row.stream in seen:
            row.errors.append(Problem("mi.duplicate", {"other": seen[row.stream]}, reading.row, sheet=sheet))
            continue
        seen[row.stream] = reading.row
        row.events = [finish(e, row.stream) for e in events]
        row.errors.extend(_invalid(row.events, today, reading.row, sheet))
    return rows


def _invalid(events: list[dict], today: date, row: int, sheet: str | None) -> list[Problem]:
    problems: list[Problem] = []
    for event in events:
        try:
            mapper.from_dict(event, today)
        except InvalidEvent as exc:
            problems.extend(
                Problem("mi.invalid", {"type": event["type"], "field": e.field}, row, sheet=sheet, refusal=e)
                for e in exc.errors
            )
    return problems


def _missing(rows: list[RowPreview], stored: Sequence[PartnershipState], ctx: Context) -> list[Problem]:
    """A stored partnership of the matrix's desk or region that no row names: a warning, never an ending."""
    named = {r.stream for r in rows}
    desks = {ctx.desk} if ctx.desk else {e["data"].get("desk") for r in rows for e in r.events} - {None}
    desks |= {details(s, ctx.as_of, ctx.rules).get("desk") for s in stored if s.stream in named}
    problems = []
    for state in stored:
        if state.stream in named or state.ended_on:
            continue
        values = details(state, ctx.as_of, ctx.rules)
        province = (values.get("indonesia") or {}).get("province")
        if (ctx.region and province == ctx.region) or (not ctx.region and values.get("desk") in desks):
            name = f"{(values.get('indonesia') or {}).get('name')} – {(values.get('partner') or {}).get('name')}"
            problems.append(Problem("mi.missing", {"stream": state.stream, "name": name}))  # read by its name
    return problems


class RowsRefused(Exception):
    """The record refused some rows' events; nothing was stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass(frozen=True)
class Stored:
    """How many events an import added, and how many the record already held."""

    added: int
    skipped: int


def store_preview(
    store: EventStore, preview: Preview, today: date, progress: Callable[[int, int], None] | None = None
) -> Stored:
    """Append every row's events in one transaction through the store's bulk append, or nothing (RowsRefused)."""
    if preview.errors:
        raise RowsRefused(preview.errors)
    events = [mapper.from_dict(e, today) for e in preview.events()]
    rows = [r.row for r in preview.rows for _ in r.events]
    try:
        return _append(store, events, rows, fresh=store.head() == 0, progress=progress)
    except RetryWithLookups:
        return _append(store, events, rows, fresh=False, progress=progress)


def _append(store, events, rows, fresh: bool, progress) -> Stored:
    batch = 2_000
    with store.bulk(fresh=fresh) as bulk:
        for start in range(0, len(events), batch):
            try:
                bulk.add(events[start : start + batch])
            except Conflict as exc:  # an id stored with another body: the record moved since the preview
                row = rows[start + exc.index] if exc.index is not None else None
                raise RowsRefused([Problem("mi.conflict", {}, row)]) from None
            except InvalidEvent as exc:
                raise RowsRefused(
                    [
                        Problem("mi.refused", {"field": e.field}, rows[start + (e.index or 0)], refusal=e)
                        for e in exc.errors
                    ]
                ) from None
            if progress is not None:
                progress(min(start + batch, len(events)), len(events))
    return Stored(bulk.added, bulk.skipped)
