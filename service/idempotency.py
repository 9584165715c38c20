"""Idempotency keys: the first answer to a keyed request, kept a week so a retry gets it again.

After `KEPT` a key is forgotten (and pruned by the scheduler's daily housekeeping). A late retry
is still safe: the event ids of a keyed request are derived from the key, so the store finds the
same events again instead of storing them twice.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events.database import reading, writing

KEPT = timedelta(days=7)  # clients retry within minutes; a week also covers a weekend's outage
metadata = sa.MetaData()

keys = sa.Table(
    "idempotency_keys", metadata,
    sa.Column("user_id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


def fingerprint(*parts: object) -> str:
    """A hash of what a request asked, to tell a retry from a different request under the same key."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def recall(engine: Engine, user_id: int, key: str, now: datetime) -> tuple[str, int, object] | None:
    """(fingerprint, status, body) of the first answer under this key within `KEPT`, or None."""
    with reading(engine) as conn:
        row = conn.execute(sa.select(keys.c.fingerprint, keys.c.status, keys.c.body)
                           .where(keys.c.user_id == user_id, keys.c.key == key,
                                  keys.c.created_at > now - KEPT)).first()
    return (row.fingerprint, row.status, json.loads(row.body)) if row else None


def remember(engine: Engine, user_id: int, key: str, print_: str, status: int, body: object,
             now: datetime) -> tuple[str, int, object]:
    """Keep the answer under the key; when a concurrent request kept one first, return that one."""
    try:
        with writing(engine) as conn:
            conn.execute(keys.delete().where(keys.c.user_id == user_id, keys.c.key == key,
                                             keys.c.created_at <= now - KEPT))  # expired: reusable
            conn.execute(keys.insert().values(user_id=user_id, key=key, fingerprint=print_,
                                              status=status, body=json.dumps(body), created_at=now))
    except sa.exc.IntegrityError:
        earlier = recall(engine, user_id, key, now)
        if earlier is not None:
            return earlier
        raise
    return print_, status, body


def prune(engine: Engine, now: datetime) -> int:
    """Forget the answers older than `KEPT`; returns how many."""
    with writing(engine) as conn:
        return conn.execute(keys.delete().where(keys.c.created_at <= now - KEPT)).rowcount
