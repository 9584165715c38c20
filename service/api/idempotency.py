"""Idempotency keys: the first answer to a keyed request, kept so a retry gets it again."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events.database import reading, writing

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


def recall(engine: Engine, user_id: int, key: str) -> tuple[str, int, object] | None:
    """(fingerprint, status, body) of the first answer under this key, or None."""
    with reading(engine) as conn:
        row = conn.execute(sa.select(keys.c.fingerprint, keys.c.status, keys.c.body)
                           .where(keys.c.user_id == user_id, keys.c.key == key)).first()
    return (row.fingerprint, row.status, json.loads(row.body)) if row else None


def remember(engine: Engine, user_id: int, key: str, print_: str, status: int, body: object,
             now: datetime) -> tuple[str, int, object]:
    """Keep the answer under the key; when a concurrent request kept one first, return that one."""
    try:
        with writing(engine) as conn:
            conn.execute(keys.insert().values(user_id=user_id, key=key, fingerprint=print_,
                                              status=status, body=json.dumps(body), created_at=now))
    except sa.exc.IntegrityError:
        earlier = recall(engine, user_id, key)
        if earlier is not None:
            return earlier
        raise
    return print_, status, body
