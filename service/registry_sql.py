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

from events.database import fetch_all, is_sqlite
from service.registry_query import PAGE_SIZE, Ask, Filters, words

# Each order ends in the stream, so pages never overlap; `{t}` is the table's alias.
_ORDER = {
    "indonesia": "{t}indonesia_key, {t}stream",
    "partner": "{t}partner_key, {t}stream",
    "province": "{t}province_key, {t}indonesia_key, {t}stream",
    "country": "{t}country, {t}partner_key, {t}stream",
    "signed": "{t}signed_key, {t}stream",
    "activity": "{t}activity_key DESC, {t}stream DESC",
}
_SORTED = {name: order.format(t="").replace(" DESC", "") for name, order in _ORDER.items()}
# Free values checked against what the listed rows hold: an unknown one is the caller's mistake.
_KNOWN = {
    "province": "SELECT 1 FROM registry_rows WHERE province_key = ? LIMIT 1",
    "place": "SELECT 1 FROM registry_rows WHERE place_key = ? LIMIT 1",
    "country": "SELECT 1 FROM registry_rows WHERE country = ? LIMIT 1",
    "field": "SELECT 1 FROM registry_fields WHERE field_key = ? LIMIT 1",
}
_EXPORT_CHUNK = 2000


def where(filters: Filters, found: list[str] | None = None) -> tuple[str, tuple]:
    """The condition on `registry_rows` (placeholders `?`) of the filters ("" for none); `found`:
    the partnerships the search finds, when `searched` could list them."""
    clauses: list[str] = []
    params: list[object] = []
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
    searched = words(filters.q)
    if found is not None:
        clauses.append(f"stream IN ({', '.join('?' for _ in found) or '?'})")
        params += found or [""]  # no stream is named ""
    elif searched:
        # Each word's partnerships (words starting with it: a range of the index), intersected
        # before the rows are read: "city 4242" reads the few rows of both, not every city's.
        ranges = " INTERSECT ".join("SELECT stream FROM registry_words WHERE word >= ? AND word < ?" for _ in searched)
        clauses.append(f"stream IN ({ranges})")
        for word in searched:
            params += _range(word)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


_WORD_STREAMS = "SELECT DISTINCT stream FROM registry_words WHERE word >= ? AND word < ?"
_PROBE = "SELECT stream FROM registry_words WHERE word >= ? AND word < ?"
FEW = 2000  # partnerships a search lists by name; past that, the statements intersect the words' sets


def searched(engine: Engine, filters: Filters) -> list[str] | None:
    """The partnerships the search finds, when they are few (None: no search, or too many to list).

    A word with few partnerships first (the longest that has), the others looked up among those, so a
    search of a common word and a rare one ("city 4242") reads the rare one's few partnerships,
    once per request and not once per statement.
    """
    asked = sorted(words(filters.q), key=len, reverse=True)
    if not asked:
        return None
    first = None
    for word in asked:  # the first word, longest first, with few partnerships
        # Without DISTINCT, so that the LIMIT stops the index scan (a partnership may come twice).
        [rows] = fetch_all(engine, [(f"{_PROBE} LIMIT {FEW + 1}", _range(word))])
        if len(rows) <= FEW:
            first = rows
            asked.remove(word)
            break
    if first is None:
        return None
    found = {stream for (stream,) in first}
    for word in asked:
        if not found:
            break
        names = sorted(found)
        statements = [
            (f"{_WORD_STREAMS} AND stream IN ({', '.join('?' for _ in chunk)})", (*_range(word), *chunk))
            for chunk in (names[i : i + 500] for i in range(0, len(names), 500))
        ]
        found = {stream for rows in fetch_all(engine, statements) for (stream,) in rows}
    return sorted(found)


def _range(word: str) -> tuple[str, str]:
    """The index range of the words starting with `word`."""
    return word, word[:-1] + chr(ord(word[-1]) + 1)


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
    statements = [(_KNOWN[name], (value,)) for name, value in asked]
    for (name, _), rows in zip(asked, fetch_all(engine, statements), strict=True):
        if not rows:
            return name
    return None


@dataclass(frozen=True)
class Listing:
    """A page of rows, the number of partnerships matching, and their counts per province and per country."""

    rows: list[dict]
    total: int
    provinces: list[tuple[str, int]]
    countries: list[tuple[str, int]]


def statements(ask: Ask, sqlite: bool = True, found: list[str] | None = None) -> list[tuple[str, tuple]]:
    """The listing's statements: the page's rows, then the counts per province and per country."""
    condition, params = where(ask.filters, found)
    offset = (ask.page - 1) * PAGE_SIZE
    order = _ORDER[ask.sort]
    # The page's keys from the index alone (OFFSET steps over index entries, not rows), then
    # only those 50 rows' public JSON read.
    page = (
        f"SELECT d.data FROM (SELECT {_SORTED[ask.sort]} FROM registry_rows{condition} "
        f"ORDER BY {order.format(t='')} LIMIT {PAGE_SIZE} OFFSET {offset}) p "
        f"JOIN registry_data d ON d.stream = p.stream ORDER BY {order.format(t='p.')}"
    )
    return [(page, params), *counts(condition, params, sqlite)]


def listing(engine: Engine, ask: Ask) -> Listing:
    """The asked page with its counts, in one round trip."""
    found = searched(engine, ask.filters)
    rows, *counted = fetch_all(engine, statements(ask, is_sqlite(engine), found))
    provinces, countries = counted if len(counted) == 2 else _sets(counted[0])
    by_province: dict[str | None, list] = {}  # the same province written in other cases: one count
    for name, count in provinces:
        entry = by_province.setdefault(_key(name), [name, 0])
        entry[1] += count
    province_counts = sorted(((name or "", count) for name, count in by_province.values()), key=_most)
    country_counts = sorted(((code or "", count) for code, count in countries), key=_most)
    return Listing(
        [json.loads(data) for (data,) in rows],
        sum(count for _, count in province_counts),
        province_counts,
        country_counts,
    )


def counts(condition: str, params: tuple, sqlite: bool = True) -> list[tuple[str, tuple]]:
    """The statements of the counts per province and per country under a condition: two on
    SQLite, one on PostgreSQL (grouping sets: one pass over the rows)."""
    if not sqlite:
        sets = "GROUP BY GROUPING SETS ((province), (country))"
        return [
            (f"SELECT GROUPING(province), province, country, count(*) FROM registry_rows{condition} {sets}", params)
        ]
    # Filtered, grouped by an expression: SQLite otherwise walks the whole grouping index and
    # looks up every row to filter it (110 ms at 20,000), where the filter's index finds a few.
    by = "{} || ''" if condition else "{}"
    return [
        (
            f"SELECT {by.format('province')}, count(*) FROM registry_rows{condition} GROUP BY {by.format('province')}",
            params,
        ),
        (
            f"SELECT {by.format('country')}, count(*) FROM registry_rows{condition} GROUP BY {by.format('country')}",
            params,
        ),
    ]


def _sets(rows: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Grouping sets' rows as the two statements' rows: (province, count) and (country, count)."""
    provinces = [(province, count) for grouped, province, _, count in rows if not grouped]
    return provinces, [(country, count) for grouped, _, country, count in rows if grouped]


def _most(item: tuple[str, int]) -> tuple:
    return (-item[1], item[0])


def one(engine: Engine, stream: str) -> tuple[dict, int] | None:
    """A listed partnership's public row and its stream's last position (None: withheld or unknown)."""
    [rows] = fetch_all(
        engine,
        [
            (
                "SELECT d.data, r.position FROM registry_rows r JOIN registry_data d ON d.stream = r.stream "
                "WHERE r.stream = ?",
                (stream,),
            )
        ],
    )
    return (json.loads(rows[0][0]), rows[0][1]) if rows else None


def export_rows(engine: Engine, filters: Filters) -> Iterator[dict]:
    """Every matching partnership's public row in stream order, read a chunk at a time."""
    condition, params = where(filters, searched(engine, filters))
    condition = (condition + " AND" if condition else " WHERE") + " stream > ?"
    after = ""
    while True:
        [rows] = fetch_all(
            engine,
            [
                (
                    f"SELECT r.stream, d.data FROM (SELECT stream FROM registry_rows{condition} "
                    f"ORDER BY stream LIMIT {_EXPORT_CHUNK}) r JOIN registry_data d ON d.stream = r.stream ORDER BY r.stream",
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
