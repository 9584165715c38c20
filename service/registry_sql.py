"""The registry's reads: a page, the counts per province and per country, one partnership, the rows of an export.

Filters, sorts and counts are SQL over the indexed read columns of `registry_rows` (kept by
service.registry_store); only listed rows are read, so a withheld partnership is never in an answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy.engine import Engine

from events.database import fetch_all
from service.registry_query import PAGE_SIZE, Ask, Filters

_ORDER = {
    "indonesia": "indonesia_key, stream",
    "partner": "partner_key, stream",
    "province": "province_key IS NULL, province_key, indonesia_key, stream",
    "country": "country, partner_key, stream",
    "signed": "signed_key IS NULL, signed_key, stream",
    "activity": "activity_key IS NULL, activity_key DESC, stream",
}
# Free values checked against what the listed rows hold: an unknown one is the caller's mistake.
_KNOWN = {
    "province": "SELECT 1 FROM registry_rows WHERE listed = ? AND province_key = ? LIMIT 1",
    "place": "SELECT 1 FROM registry_rows WHERE place_key = ? AND listed = ? LIMIT 1",
    "country": "SELECT 1 FROM registry_rows WHERE listed = ? AND country = ? LIMIT 1",
    "field": (
        "SELECT 1 FROM registry_fields f JOIN registry_rows r ON r.stream = f.stream "
        "WHERE f.field_key = ? AND r.listed = ? LIMIT 1"
    ),
}
_EXPORT_CHUNK = 2000


def where(filters: Filters) -> tuple[str, tuple]:
    """The condition on `registry_rows` (placeholders `?`) of the filters, listed rows only."""
    clauses: list[str] = ["listed = ?"]
    params: list[object] = [True]
    for column, value in (
        ("province_key", _key(filters.province)),
        ("place_key", _key(filters.place)),
        ("country", filters.country),
        ("kind", filters.kind),
        ("stage", filters.stage),
        ("activeness", filters.activeness),
        ("decade", filters.decade),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if filters.field is not None:
        clauses.append("stream IN (SELECT stream FROM registry_fields WHERE field_key = ?)")
        params.append(filters.field.casefold())
    if filters.q is not None:
        clauses.append("search LIKE ? ESCAPE '\\'")
        params.append("%" + _escaped(filters.q.casefold()) + "%")
    return " WHERE " + " AND ".join(clauses), tuple(params)


def unknown(engine: Engine, filters: Filters) -> str | None:
    """The first free filter whose value no listed partnership holds (None: all known)."""
    asked = [
        (name, value)
        for name, value in (
            ("province", _key(filters.province)),
            ("place", _key(filters.place)),
            ("country", filters.country),
            ("field", _key(filters.field)),
        )
        if value is not None
    ]
    if not asked:
        return None
    statements = [(_KNOWN[name], _known_params(name, value)) for name, value in asked]
    for (name, _), rows in zip(asked, fetch_all(engine, statements), strict=True):
        if not rows:
            return name
    return None


def _known_params(name: str, value: str) -> tuple:
    return (value, True) if name in ("place", "field") else (True, value)


@dataclass(frozen=True)
class Listing:
    """A page of rows, the number of partnerships matching, and their counts per province and per country."""

    rows: list[dict]
    total: int
    provinces: list[tuple[str, int]]
    countries: list[tuple[str, int]]


def listing(engine: Engine, ask: Ask) -> Listing:
    """The asked page with its counts, in one round trip."""
    condition, params = where(ask.filters)
    offset = (ask.page - 1) * PAGE_SIZE
    rows, provinces, countries = fetch_all(
        engine,
        [
            (
                f"SELECT data FROM registry_rows{condition} ORDER BY {_ORDER[ask.sort]} LIMIT {PAGE_SIZE} OFFSET {offset}",
                params,
            ),
            (
                f"SELECT province_key, province, count(*) FROM registry_rows{condition} GROUP BY province_key, province",
                params,
            ),
            (f"SELECT country, count(*) FROM registry_rows{condition} GROUP BY country", params),
        ],
    )
    by_province: dict[str | None, list] = {}
    for key, name, count in provinces:
        entry = by_province.setdefault(key, [name, 0])
        entry[1] += count
    province_counts = sorted(((name or "", count) for name, count in by_province.values()), key=_most)
    country_counts = sorted(((code or "", count) for code, count in countries), key=_most)
    return Listing(
        [json.loads(data) for (data,) in rows],
        sum(count for _, count in province_counts),
        province_counts,
        country_counts,
    )


def _most(item: tuple[str, int]) -> tuple:
    return (-item[1], item[0])


def one(engine: Engine, stream: str) -> tuple[dict, int] | None:
    """A listed partnership's public row and its stream's last position (None: withheld or unknown)."""
    [rows] = fetch_all(
        engine, [("SELECT data, position FROM registry_rows WHERE stream = ? AND listed = ?", (stream, True))]
    )
    return (json.loads(rows[0][0]), rows[0][1]) if rows else None


def export_rows(engine: Engine, filters: Filters) -> Iterator[dict]:
    """Every matching partnership's public row in stream order, read a chunk at a time."""
    condition, params = where(filters)
    after = ""
    while True:
        [rows] = fetch_all(
            engine,
            [
                (
                    f"SELECT stream, data FROM registry_rows{condition} AND stream > ? ORDER BY stream LIMIT {_EXPORT_CHUNK}",
                    (*params, after),
                )
            ],
        )
        for _, data in rows:
            yield json.loads(data)
        if len(rows) < _EXPORT_CHUNK:
            return
        after = rows[-1][0]


def recorded_at(engine: Engine, position: int) -> datetime | None:
    """When the event at `position` was stored (None: no event)."""
    [rows] = fetch_all(engine, [("SELECT recorded_at FROM events WHERE position = ?", (position,))])
    if not rows:
        return None
    value = rows[0][0]
    stored = datetime.fromisoformat(value) if isinstance(value, str) else value
    return stored if stored.tzinfo is not None else stored.replace(tzinfo=timezone.utc)  # stored in UTC


def mark_position(engine: Engine) -> int:
    """The position of the record the rows stand at."""
    [[(position,)]] = fetch_all(engine, [("SELECT position FROM registry_mark WHERE name = ?", ("registry",))])
    return position


def _key(text: str | None) -> str | None:
    return text.casefold() if text else None


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
