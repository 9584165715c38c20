"""Idempotency keys: the first answer to a keyed request, kept a week so a retry gets it again.

After `KEPT` a key is forgotten (and pruned by the scheduler's daily housekeeping). A late retry
is still safe: the event ids of a keyed request are derived from the key, so the store finds the
same events again instead of storing them twice.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events.database import reading, writing

KEPT = timedelta(days=7)  # clients retry within minutes; a week also covers a weekend's outage
metadata = sa.MetaData()

keys = sa.Table(
    "idempotency_keys",
    metadata,
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


PENDING = 0  # the status of a key whose first request is still being answered
STALE = timedelta(minutes=2)  # a claim this old was left by a process that died mid-request


class Held(NamedTuple):
    """Who holds a key: the request's fingerprint, its answer's status (PENDING while under way),
    the answer, and when the key was claimed (a PENDING claim is given up at `since + STALE`)."""

    fingerprint: str
    status: int
    body: object
    since: datetime | None = None

    def free_in(self, now: datetime) -> int:
        """Whole seconds until a pending claim is given up as left by a stopped process (at least 1)."""
        since = self.since or now
        since = since if since.tzinfo else since.replace(tzinfo=timezone.utc)  # SQLite keeps no zone
        return max(1, math.ceil((since + STALE - now).total_seconds()))


def claim(engine: Engine, user_id: int, key: str, print_: str, now: datetime) -> Held | None:
    """Take the key for this request before it writes anything; None when taken.

    Otherwise who holds it: its answer, or status PENDING while that request is still under way.
    The primary key makes two concurrent claims one winner.
    """
    try:
        with writing(engine) as conn:
            conn.execute(
                keys.delete().where(
                    keys.c.user_id == user_id,
                    keys.c.key == key,
                    (keys.c.created_at <= now - KEPT)
                    | ((keys.c.status == PENDING) & (keys.c.created_at <= now - STALE)),
                )
            )
            conn.execute(
                keys.insert().values(
                    user_id=user_id, key=key, fingerprint=print_, status=PENDING, body="null", created_at=now
                )
            )
    except sa.exc.IntegrityError:
        with reading(engine) as conn:
            row = conn.execute(
                sa.select(keys.c.fingerprint, keys.c.status, keys.c.body, keys.c.created_at).where(
                    keys.c.user_id == user_id, keys.c.key == key
                )
            ).first()
        if row is None:
            return Held(print_, PENDING, None)  # released meanwhile: the caller asks again
        return Held(row.fingerprint, row.status, json.loads(row.body), row.created_at)
    return None


def recall(engine: Engine, user_id: int, key: str, now: datetime) -> tuple[str, int, object] | None:
    """The answer kept under a key, or None when there is none yet (or only a pending claim)."""
    with reading(engine) as conn:
        row = conn.execute(
            sa.select(keys.c.fingerprint, keys.c.status, keys.c.body).where(
                keys.c.user_id == user_id, keys.c.key == key, keys.c.status != PENDING, keys.c.created_at > now - KEPT
            )
        ).first()
    return None if row is None else (row.fingerprint, row.status, json.loads(row.body))


def remember(engine: Engine, user_id: int, key: str, status: int, body: object) -> None:
    """Keep the answer of a claimed key, for its retries."""
    with writing(engine) as conn:
        conn.execute(
            keys.update()
            .where(keys.c.user_id == user_id, keys.c.key == key)
            .values(status=status, body=json.dumps(body))
        )


def release(engine: Engine, user_id: int, key: str) -> None:
    """Give a claimed key back when its request was refused: a corrected retry may use it."""
    with writing(engine) as conn:
        conn.execute(keys.delete().where(keys.c.user_id == user_id, keys.c.key == key, keys.c.status == PENDING))


def prune(engine: Engine, now: datetime) -> int:
    """Forget the answers older than `KEPT`; returns how many."""
    with writing(engine) as conn:
        return conn.execute(keys.delete().where(keys.c.created_at <= now - KEPT)).rowcount
