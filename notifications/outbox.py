"""The outbox: one row per message with a unique key; queueing, reading and manual retry.

Read functions for the API and pages: `list_messages(engine, ...)`, `get_message(engine, key)` and
`counts(engine)` return plain dicts (dates as `date`/`datetime`, addresses as lists).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import overload

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from events.database import is_sqlite, reading, writing
from events.text import writable
from notifications.schema import FAILED, QUEUED, STATES, UNDELIVERABLE, outbox, outbox_attempts
from notifications.send_reasons import NO_RECIPIENT as NO_RECIPIENT_CODE
from notifications.send_reasons import NO_ROW_REASON, SendReason, params_of

# Mails carrying a one-time link to set a password: the outbox's readers (every signed-in user)
# never see their bodies, or anyone could take over the account the link is for.
PRIVATE_RULES = ("invite", "reset")
NO_RECIPIENT = "no recipient address: no contact with an e-mail and no desk address configured"
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Message:
    """A rendered message ready to queue."""

    key: str
    alert_key: str
    rule: str
    stream: str | None
    desk: str | None
    day: date
    language: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    text: str
    html: str
    message_id: str


@overload
def as_utc(moment: datetime) -> datetime: ...
@overload
def as_utc(moment: None) -> None: ...
def as_utc(moment: datetime | None) -> datetime | None:
    """The moment in UTC (SQLite hands back naive datetimes, which are UTC here)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _insert(conn: Connection):
    dialect = sqlite if is_sqlite(conn) else postgresql
    return dialect.insert(outbox)


def queue(conn: Connection, messages: Iterable[Message], now: datetime) -> list[str]:
    """Insert the messages whose key is new (others are left alone); returns the keys inserted.

    A message with no address at all is stored as `undeliverable` with the reason: shown, never dropped.
    """
    now = as_utc(now)
    added = []
    for m in messages:
        deliverable = bool(m.to or m.cc)
        row = {
            "key": m.key,
            "alert_key": m.alert_key,
            "rule": m.rule,
            "stream": m.stream,
            "desk": m.desk,
            "day": m.day,
            "language": m.language,
            "to_addrs": json.dumps(list(m.to)),
            "cc_addrs": json.dumps(list(m.cc)),
            # Rendered from the record, old rows included: a NUL (which PostgreSQL text cannot hold)
            # or another character no mail carries is replaced here, as the mail would have it.
            "subject": writable(m.subject),
            "body_text": writable(m.text),
            "body_html": writable(m.html),
            "message_id": m.message_id,
            "state": QUEUED if deliverable else UNDELIVERABLE,
            "attempts": 0,
            "next_attempt_at": now if deliverable else None,
            **(NO_ROW_REASON if deliverable else SendReason(NO_RECIPIENT, NO_RECIPIENT_CODE).row()),
            "created_at": now,
        }
        # The unique key is what makes a second run (or a second instance) queue nothing new.
        inserted = conn.execute(
            _insert(conn).values(**row).on_conflict_do_nothing(index_elements=["key"]).returning(outbox.c.key)
        ).first()
        if inserted is not None:
            added.append(m.key)
    return added


def queued_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    """Which of `keys` are already in the outbox (in any state)."""
    found: set[str] = set()
    keys = list(keys)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        found.update(conn.execute(sa.select(outbox.c.key).where(outbox.c.key.in_(chunk))).scalars())
    return found


def as_dict(row) -> dict:
    """An outbox row as a plain dict: key, rule, stream, desk, day, language, to, cc, subject, text,
    html, message_id, state, attempts, next_attempt_at, last_error (its code and parameters in
    last_error_code and last_error_params), created_at, first_attempt_at, sent_at."""
    return {
        "id": row.id,
        "key": row.key,
        "alert_key": row.alert_key,
        "rule": row.rule,
        "stream": row.stream,
        "desk": row.desk,
        "day": row.day,
        "language": row.language,
        "to": json.loads(row.to_addrs),
        "cc": json.loads(row.cc_addrs),
        "subject": row.subject,
        "text": row.body_text,
        "html": row.body_html,
        "message_id": row.message_id,
        "state": row.state,
        "attempts": row.attempts,
        "next_attempt_at": as_utc(row.next_attempt_at),
        "last_error": row.last_error,
        "last_error_code": row.last_error_code,
        "last_error_params": params_of(row.last_error_params),
        "created_at": as_utc(row.created_at),
        "first_attempt_at": as_utc(row.first_attempt_at),
        "sent_at": as_utc(row.sent_at),
    }


def shown(row: dict) -> dict:
    """A row as the outbox's readers see it: a private mail's text and HTML left out (`private` set)."""
    if row["rule"] in PRIVATE_RULES:
        return row | {"text": "", "html": "", "private": True}
    return row


def list_messages(
    engine: Engine,
    *,
    state: str | None = None,
    rule: str | None = None,
    stream: str | None = None,
    desk: str | None = None,
    limit: int = 100,
    offset: int = 0,
    history: bool = False,
) -> list[dict]:
    """Outbox messages, newest first, optionally filtered; each a dict (keys: see `as_dict`, and
    `history` as in `get_message` when asked)."""
    query = sa.select(outbox).order_by(outbox.c.id.desc()).limit(limit).offset(offset)
    for column, value in (
        (outbox.c.state, state),
        (outbox.c.rule, rule),
        (outbox.c.stream, stream),
        (outbox.c.desk, desk),
    ):
        if value is not None:
            query = query.where(column == value)
    with reading(engine) as conn:
        rows = [shown(as_dict(row)) for row in conn.execute(query)]
        if history:
            attempts = _attempts(conn, [r["id"] for r in rows])
            rows = [r | {"history": attempts.get(r["id"], [])} for r in rows]
    return rows


def _attempts(conn: Connection, ids: list[int]) -> dict[int, list[dict]]:
    """The delivery attempts of these outbox rows, oldest first, by row id."""
    a = outbox_attempts.c
    found: dict[int, list[dict]] = {}
    for start in range(0, len(ids), _CHUNK):
        query = (
            sa.select(a.outbox_id, a.attempt, a.at, a.outcome, a.detail, a.code, a.params)
            .where(a.outbox_id.in_(ids[start : start + _CHUNK]))
            .order_by(a.id)
        )
        for outbox_id, n, at, outcome, detail, code, params in conn.execute(query):
            found.setdefault(outbox_id, []).append(
                {
                    "attempt": n,
                    "at": as_utc(at),
                    "outcome": outcome,
                    "detail": detail,
                    "detail_code": code,
                    "detail_params": params_of(params),
                }
            )
    return found


def get_message(engine: Engine, key: str) -> dict | None:
    """One outbox message by its key, or None; `history` lists its delivery attempts, oldest first."""
    with reading(engine) as conn:
        row = conn.execute(sa.select(outbox).where(outbox.c.key == key)).first()
        if row is None:
            return None
        return shown(as_dict(row)) | {"history": _attempts(conn, [row.id]).get(row.id, [])}


def counts(engine: Engine) -> dict[str, int]:
    """How many messages are in each state (every state present, zero included)."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(outbox.c.state, sa.func.count()).group_by(outbox.c.state))
        found = dict(rows.all())
    return {state: found.get(state, 0) for state in STATES}


def retry(engine: Engine, key: str, now: datetime) -> bool:
    """Queue a failed or undeliverable message again, with a fresh retry window; False if none such."""
    with writing(engine) as conn:
        changed = conn.execute(
            outbox.update()
            .where(outbox.c.key == key, outbox.c.state.in_((FAILED, UNDELIVERABLE)))
            .values(
                state=QUEUED,
                next_attempt_at=as_utc(now),
                first_attempt_at=None,
                attempts=0,
                lease_until=None,
                claim=None,
            )
        )
        return changed.rowcount == 1
