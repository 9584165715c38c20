"""The search index: one row per thing people look for, written beside the read models from the folded states.

Each partnership gives its own row and one for each activity (not retracted), contact (current),
note and draft, words only (names, titles, texts), never a code a person would not type. The rows
of a partnership are rewritten whenever its state moved past the index's checkpoint; a rebuild of
the read models (a new generation) rewrites them all. The database's own full-text search reads
them (migration 0012_search: FTS5 on SQLite, a `tsvector` on PostgreSQL; docs/search.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from events.database import reading, writing
from notifications.translations import translator
from projections.partnership import PartnershipState, load
from projections.runner import GENERATION, NAME
from projections.schema import checkpoints, partnership_states
from projections.status import contacts

_meta = sa.MetaData()
entries = sa.Table(
    "search_entries",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("stream", sa.String(80), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("item", sa.String(200), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)
checkpoint = sa.Table(
    "search_checkpoint",
    _meta,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("generation", sa.BigInteger, nullable=False),
)
_CHUNK = 500  # states read and rewritten per statement
_WORDS = (translator("id"), translator("en"))  # a kind is found by its words in both languages


def _joined(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p)


def _partnership(state: PartnershipState) -> tuple[str, str]:
    details = state.details
    ours, theirs = details.get("indonesia") or {}, details.get("partner") or {}
    title = f"{ours.get('name', '')} – {theirs.get('name', '')}"
    body = _joined(
        ours.get("province"),
        theirs.get("local_name"),
        theirs.get("region"),
        theirs.get("country"),
        *(details.get("fields") or ()),
    )
    return title, body


def rows_of(state: PartnershipState, day) -> Iterator[dict]:
    """The index rows of one partnership: itself, its activities, current contacts, notes and drafts."""
    title, body = _partnership(state)
    yield {"kind": "partnership", "item": "", "title": title, "body": body}
    for a in state.activities:
        if a.retracted:
            continue
        kind = _joined(*(t(a.kind) for t in _WORDS))
        text = _joined(a.description, a.results, a.beneficiaries, kind, *a.fields)
        yield {"kind": "activity", "item": a.activity_id, "title": a.title or "", "body": text}
    for c in contacts(state, day):
        yield {
            "kind": "contact",
            "item": str(c.get("contact_id", "")),
            "title": str(c.get("name", "")),
            "body": _joined(c.get("role"), c.get("email"), c.get("phone")),
        }
    for n, note in enumerate(state.notes):
        yield {"kind": "note", "item": str(n), "title": "", "body": note.value}
    for d in state.drafts:
        yield {
            "kind": "draft",
            "item": d.draft_id,
            "title": d.title or "",
            "body": _joined(d.document, d.note, d.reason),
        }


def _next_states(conn: Connection, after: int) -> list[PartnershipState]:
    """The next chunk of states whose position passed `after`, in position order."""
    rows = conn.execute(
        sa.select(partnership_states.c.state)
        .where(partnership_states.c.position > after)
        .order_by(partnership_states.c.position)
        .limit(_CHUNK)
    ).scalars()
    return [load(r) for r in rows]


def _marks(conn: Connection) -> tuple[int, int]:
    """(the read models' checkpoint, their generation): how far the index must come."""
    found = dict(
        conn.execute(
            sa.select(checkpoints.c.name, checkpoints.c.position).where(checkpoints.c.name.in_((NAME, GENERATION)))
        ).all()
    )
    return found.get(NAME, 0), found.get(GENERATION, 0)


def current(engine: Engine) -> bool:
    """Whether the index already holds what the read models hold (two one-row reads)."""
    with reading(engine) as conn:
        seen = conn.execute(sa.select(checkpoint.c.position, checkpoint.c.generation)).one()
        return (seen.position, seen.generation) == _marks(conn)


def refresh(engine: Engine, day, turn: Callable[[], AbstractContextManager] = nullcontext) -> int:
    """Bring the index up to the read models; how many partnerships were rewritten (0: it was current).

    One transaction per chunk of partnerships, each inside `turn()` (the process's write turn on
    SQLite), so a full build never holds writers up for longer than a chunk; the checkpoint moves
    with each chunk, so refreshes at once share the work and one stopped midway is resumed.
    """
    count = 0
    while True:
        with turn(), writing(engine) as conn:
            seen = conn.execute(
                sa.select(checkpoint.c.position, checkpoint.c.generation)
                .where(checkpoint.c.name == "search")
                .with_for_update()  # a refresh at the same time waits, then reads where this one left off
            ).one()
            position, generation = _marks(conn)
            if (seen.position, seen.generation) == (position, generation):
                return count
            # After a rebuild (a new generation) every partnership is written again, a chunk at a time.
            states = _next_states(conn, seen.position if seen.generation == generation else 0)
            if states:
                conn.execute(entries.delete().where(entries.c.stream.in_([s.stream for s in states])))
                rows = [{"stream": s.stream, **row} for s in states for row in rows_of(s, day)]
                if rows:
                    conn.execute(entries.insert(), rows)
                # A state that moved after the marks were read is written now and again next time: no harm.
                position = max(s.position for s in states)
            conn.execute(
                checkpoint.update()
                .where(checkpoint.c.name == "search")
                .values(position=position, generation=generation)
            )
            count += len(states)
            if not states:
                return count
