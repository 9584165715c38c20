"""One search across partnerships, activities, contacts, notes and drafts, in the database's own full-text search.

What a person types is never read as search syntax: the query is cut to its words (letters and
digits of any script), each matched as a word's beginning, all of them required. SQLite asks its
FTS5 table, ranked by bm25; PostgreSQL its `tsvector` with the 'simple' configuration (no stemmer
knows Indonesian), ranked by ts_rank. A title counts more than a text (docs/search.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events.database import is_sqlite, reading

PAGE_SIZE = 20
MAX_QUERY = 500  # characters read of what was typed; the rest cannot change a sensible search
MAX_TERMS = 8
MAX_TERM = 40
_WORD = re.compile(r"[^\W_]+")  # letters and digits: quotes, *, :, &, |, !, ( and NUL are no part of one

# The page's hits are chosen first and joined to their partnership's name after: a common word's
# thousands of matches are scored, never joined (bench/search.py).
_SQLITE = """
SELECT e.stream, e.kind, e.item, e.title, e.body, p.title
FROM (
  SELECT rowid AS id, bm25(search_fts, 4.0, 1.0) AS score FROM search_fts WHERE search_fts MATCH :q
  ORDER BY score, rowid LIMIT :limit OFFSET :offset
) AS m
JOIN search_entries e ON e.id = m.id
LEFT JOIN search_entries p ON p.stream = e.stream AND p.kind = 'partnership'
ORDER BY m.score, m.id
"""
_SQLITE_COUNT = "SELECT count(*) FROM search_fts WHERE search_fts MATCH :q"
_POSTGRESQL = """
SELECT e.stream, e.kind, e.item, e.title, e.body, p.title
FROM (
  SELECT id, ts_rank(words, q) AS score FROM search_entries, to_tsquery('simple', :q) AS q
  WHERE words @@ q ORDER BY score DESC, id LIMIT :limit OFFSET :offset
) AS m
JOIN search_entries e ON e.id = m.id
LEFT JOIN search_entries p ON p.stream = e.stream AND p.kind = 'partnership'
ORDER BY m.score DESC, m.id
"""
_POSTGRESQL_COUNT = "SELECT count(*) FROM search_entries WHERE words @@ to_tsquery('simple', :q)"


@dataclass(frozen=True)
class Hit:
    """One thing found: its partnership, what it is, and its words."""

    stream: str
    kind: str  # partnership, activity, contact, note, draft
    item: str
    title: str
    body: str
    partnership: str

    @property
    def anchor(self) -> str:
        """Where on the partnership's page the thing stands ("" for the partnership itself)."""
        return f"{self.kind}-{self.item}" if self.kind != "partnership" else ""


def terms(query: str) -> list[str]:
    """The words searched for in what was typed: at most MAX_TERMS, lower case, no syntax."""
    return [w[:MAX_TERM] for w in _WORD.findall(query[:MAX_QUERY].casefold())][:MAX_TERMS]


def _expression(words: list[str], sqlite: bool) -> str:
    if sqlite:  # each a quoted phrase with a prefix star: a word typed is never an FTS5 operator (NEAR, OR)
        return " ".join(f'"{w}"*' for w in words)
    return " & ".join(f"{w}:*" for w in words)


def search(engine: Engine, query: str, page: int = 1) -> tuple[list[Hit], int]:
    """(the hits of page `page`, best first, and how many there are in all) of `query`."""
    words = terms(query)
    if not words:
        return [], 0
    sqlite = is_sqlite(engine)
    params = {"q": _expression(words, sqlite), "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    with reading(engine) as conn:
        total = conn.execute(sa.text(_SQLITE_COUNT if sqlite else _POSTGRESQL_COUNT), params).scalar_one()
        rows = conn.execute(sa.text(_SQLITE if sqlite else _POSTGRESQL), params).all() if total else []
    return [Hit(*(str(v or "") for v in row)) for row in rows], total


def excerpt(text: str, query: str, width: int = 160) -> str:
    """A piece of `text` around the first word searched for (its start when none is found)."""
    folded = text.casefold()
    found = [i for i in (folded.find(w) for w in terms(query)) if i >= 0]
    start = max(0, min(found) - width // 3) if found else 0
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")
