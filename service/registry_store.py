"""The registry's read columns kept current: rows worked out again for the streams that got events and the rows whose day came.

Before a read, `refresh` brings `registry_rows` up to the record and to the day: the partnerships
with events since the mark, and those whose `changes_on` has come (an agreement ends, an activity
leaves the activeness window), are worked out again from their states (projections.readmodel, the
events after the read models' checkpoint applied); every partnership when the rules or the
versions changed. Nothing is done when neither happened: one round trip. Rows are stored with a
compare-and-set on the mark, as the due-day index does (notifications/due_index.py), so two
processes refreshing at once store one result.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from contextlib import nullcontext
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from events.database import analyze, fetch_all, writing
from events.store import EventStore
from projections.partnership import FOLD_VERSION, PartnershipState
from projections.readmodel import EVERYTHING, Selection, read, read_in_chunks
from projections.registry_row import ROW_VERSION, changes_on, public_row
from projections.rules import Rules
from service.registry_query import words
from service.registry_schema import (
    registry_data,
    registry_fields,
    registry_mark,
    registry_rows,
    registry_waiting,
    registry_words,
)

MARK = "registry"
_CHUNK = 500
_STATE = (
    "SELECT m.position, m.day, m.fingerprint, (SELECT coalesce(max(position), 0) FROM events), "
    "(SELECT min(changes_on) FROM registry_rows), (SELECT min(changes_on) FROM registry_waiting) "
    "FROM registry_mark m WHERE m.name = ?"
)
_TABLES = (registry_fields, registry_words, registry_data, registry_waiting, registry_rows)


def fingerprint(rules: Rules) -> str:
    """What the stored rows were worked out with: the rules, the fold and the row's own version."""
    return hashlib.sha256(repr((ROW_VERSION, FOLD_VERSION, rules)).encode()).hexdigest()


def refresh(engine: Engine, rules: Rules, today: date, lock: threading.Lock | None = None) -> int:
    """Bring the rows up to the stored events and to `today`; returns how many partnerships were worked out.

    `lock` (the process's own, on its Pantau) lets one refresh run at a time: the others find the work done.
    """
    wanted = fingerprint(rules)
    while True:
        [[(position, day, stored, head, *dues)]] = fetch_all(engine, [(_STATE, (MARK,))])
        day = _day(day)
        due = min((d for d in map(_day, dues) if d is not None), default=None)
        full = stored != wanted or (day is not None and today < day)
        if not full and position >= head and day == today and (due is None or due > today):
            return 0
        with lock or nullcontext():
            done = _refresh(engine, rules, today, wanted, (position, day, stored), head, full)
        if done is not None:
            return done


def _day(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _refresh(engine: Engine, rules: Rules, today: date, wanted: str, mark: tuple, head: int, full: bool) -> int | None:
    """One attempt; None when another refresh moved the mark first (the caller looks again)."""
    position = mark[0]
    if full:
        states: Iterable[PartnershipState] = (s for chunk in read_in_chunks(engine, EVERYTHING) for s in chunk.states)
        streams: list[str] = []
    else:
        streams = sorted(set(EventStore(engine).streams_between(position, head)) | set(_due(engine, today)))
        states = (
            s
            for start in range(0, len(streams), _CHUNK)
            for s in read(engine, Selection(streams=frozenset(streams[start : start + _CHUNK]))).states
        )
    rows: dict[str, list[dict]] = {table.name: [] for table in _TABLES}
    for state in states:
        for name, row in _rows(state, today, rules):
            rows[name].append(row)
    with writing(engine) as conn:
        now = conn.execute(
            sa.select(registry_mark.c.position, registry_mark.c.day, registry_mark.c.fingerprint)
            .where(registry_mark.c.name == MARK)
            .with_for_update()
        ).one()
        if (now[0], _day(now[1]), now[2]) != mark:
            return None
        if full:
            for table in _TABLES:
                conn.execute(table.delete())
        else:
            _forget(conn, streams)
        for table in _TABLES:
            made = rows[table.name]
            for start in range(0, len(made), 5000):
                conn.execute(table.insert(), made[start : start + 5000])
        conn.execute(
            registry_mark.update()
            .where(registry_mark.c.name == MARK)
            .values(position=max(head, position), day=today, fingerprint=wanted)
        )
    if full:
        analyze(engine, [table.name for table in _TABLES])
    return len(rows[registry_rows.name]) + len(rows[registry_waiting.name])


def _due(engine: Engine, today: date) -> list[str]:
    day = (today.isoformat(),)
    listed, waiting = fetch_all(
        engine,
        [
            ("SELECT stream FROM registry_rows WHERE changes_on <= ?", day),
            ("SELECT stream FROM registry_waiting WHERE changes_on <= ?", day),
        ],
    )
    return [stream for (stream,) in listed + waiting]


def _forget(conn: Connection, streams: list[str]) -> None:
    for start in range(0, len(streams), _CHUNK):
        chunk = streams[start : start + _CHUNK]
        for table in _TABLES:
            conn.execute(table.delete().where(table.c.stream.in_(chunk)))


def _rows(state: PartnershipState, today: date, rules: Rules) -> list[tuple[str, dict]]:
    """The stored rows of a state on `today`, by table: listed, or waiting to be."""
    public = public_row(state, today, rules)
    # A withheld partnership waits for an event whatever the day; one registered later, for its day.
    next_day = changes_on(state, today, rules) if state.withheld is None else None
    if public is None:
        return [(registry_waiting.name, {"stream": state.stream, "position": state.position, "changes_on": next_day})]
    searched = [public["stream"], public["indonesia"], public["province"], public["partner"], public["country"]]
    searched += [*_country_names(public["country"]), *public["fields"]]
    row = {
        "stream": state.stream,
        "position": state.position,
        "changes_on": next_day,
        "indonesia_key": _key(public["indonesia"]),
        "partner_key": _key(public["partner"]),
        "province": public["province"],
        "province_key": _key(public["province"]),
        "place_key": _key(public["indonesia"]),
        "country": public["country"],
        "kind": public["kind"],
        "stage": public["stage"],
        "activeness": public["activeness"],
        "decade": public["decade"],
        "signed_key": _signed_key(state, today) or "~",
        "activity_key": public["last_activity"] or "",
    }
    data = {"stream": state.stream, "data": json.dumps(public, ensure_ascii=False, separators=(",", ":"))}
    fields = sorted({f.casefold() for f in public["fields"] if f})
    return [
        (registry_rows.name, row),
        (registry_data.name, data),
        *((registry_fields.name, {"stream": state.stream, "field_key": key}) for key in fields),
        *((registry_words.name, {"stream": state.stream, "word": word}) for word in words(*searched)),
    ]


def _country_names(code: str | None) -> list[str]:
    """The country's names in the registry's languages, so that a search for "Korea" finds KR."""
    from babel import Locale

    return [name for lang in ("id", "en") if code and (name := Locale(lang).territories.get(code))]


def _key(text: str | None) -> str | None:
    return text.casefold() if text else None


def _signed_key(state: PartnershipState, today: date) -> str | None:
    first = min((a.start for a in state.agreements if a.start <= today), default=None)
    return first.isoformat() if first else None
