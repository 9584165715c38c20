"""The local SMTP sink of the embedded default: aiosmtpd on loopback, keeping what it receives.

What it received is read with `list_received(engine)` / `get_received(engine, id)` (plain dicts),
for `pantau mailbox` and the pages.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from email import message_from_bytes, policy

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine

from events.database import reading, writing

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8025

metadata = sa.MetaData()
mailbox = sa.Table(
    "mailbox",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("mail_from", sa.Text, nullable=False),
    sa.Column("rcpt_tos", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("message_id", sa.String(200)),
    sa.Column("raw", sa.Text, nullable=False),
)


def received(mail_from: str, rcpt_tos: list[str], raw: bytes, at: datetime) -> dict:
    """One received message as a plain dict (headers parsed, raw text kept)."""
    parsed = message_from_bytes(raw, policy=policy.default)
    return {
        "received_at": at,
        "mail_from": mail_from,
        "rcpt_tos": list(rcpt_tos),
        "subject": str(parsed.get("Subject", "")),
        "message_id": parsed.get("Message-ID"),
        "raw": raw.decode("utf-8", errors="replace"),
    }


class MemoryMailbox:
    """Keeps received messages in a list (tests, and a sink without a database)."""

    def __init__(self):
        self.messages: list[dict] = []
        self._lock = threading.Lock()

    def __call__(self, message: dict) -> None:
        with self._lock:
            self.messages.append(message)


class DatabaseMailbox:
    """Keeps received messages in the `mailbox` table, so another process can list them."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def __call__(self, message: dict) -> None:
        with writing(self.engine) as conn:
            conn.execute(mailbox.insert().values({**message, "rcpt_tos": json.dumps(message["rcpt_tos"])}))


class _Handler:
    def __init__(self, keep: Callable[[dict], None], clock: Callable[[], datetime]):
        self.keep, self.clock = keep, clock

    async def handle_DATA(self, server, session, envelope):
        self.keep(
            received(envelope.mail_from, envelope.rcpt_tos, envelope.original_content or envelope.content, self.clock())
        )
        return "250 Message accepted for delivery"


def _now() -> datetime:
    return datetime.now(UTC)


class SmtpSink:
    """An aiosmtpd server on loopback that hands every message to `keep`."""

    def __init__(
        self,
        keep: Callable[[dict], None],
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        clock: Callable[[], datetime] = _now,
        handler=None,
        **server_options,
    ):
        """`server_options` go to aiosmtpd (e.g. `tls_context`, `ssl_context`, `authenticator`)."""
        self.host, self.port = host, port
        self.controller = Controller(handler or _Handler(keep, clock), hostname=host, port=port, **server_options)

    @property
    def url(self) -> str:
        """The PANTAU_SMTP_URL that reaches this sink."""
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> SmtpSink:
        """Start listening (in a thread of its own)."""
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self.controller.stop()


def _row(row) -> dict:
    at = row.received_at
    return {
        "id": row.id,
        "received_at": at.replace(tzinfo=UTC) if at.tzinfo is None else at,
        "mail_from": row.mail_from,
        "rcpt_tos": json.loads(row.rcpt_tos),
        "subject": row.subject,
        "message_id": row.message_id,
        "raw": row.raw,
    }


def list_received(engine: Engine, limit: int = 50, offset: int = 0) -> list[dict]:
    """What the sink received, newest first: id, received_at, mail_from, rcpt_tos, subject, message_id, raw."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(mailbox).order_by(mailbox.c.id.desc()).limit(limit).offset(offset))
        return [_row(r) for r in rows]


def get_received(engine: Engine, message_id: int) -> dict | None:
    """One received message by its row id, or None."""
    with reading(engine) as conn:
        row = conn.execute(sa.select(mailbox).where(mailbox.c.id == message_id)).first()
    return _row(row) if row is not None else None
