"""The partner page's keys: one signed key per partner-side contact, revocable (docs/partner.md).

A key names the partnership, the contact and the contact's link generation, signed with the
session key and timestamped by the service's clock; it opens the page while it is younger than
PANTAU_PARTNER_LINK_DAYS, its generation is the current one and the link is not revoked, and the
contact is still on the partnership's partner side. Revoking raises the generation, so every key
given out before is dead for good; a new link is then of the new generation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy.engine import Engine

from events.database import reading, writing

metadata = sa.MetaData()
partner_links = sa.Table(
    "partner_links",
    metadata,
    sa.Column("stream", sa.String(80), primary_key=True),
    sa.Column("contact_id", sa.String(120), primary_key=True),
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changed_by", sa.String(120)),
)


@dataclass(frozen=True, slots=True)
class Link:
    """Where a partner-side contact's link stands: its generation and whether it is revoked."""

    generation: int = 0
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class Holder:
    """Whom a valid key names."""

    stream: str
    contact_id: str
    generation: int


def _signer(clock: Callable[[], datetime]) -> type[TimestampSigner]:
    """A timestamp signer on the service's clock, so tests move a key's age by hand."""

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock().timestamp())

    return ClockSigner


class PartnerKeys:
    """Signs and reads partner page keys."""

    def __init__(self, secret: str, clock: Callable[[], datetime], max_days: int):
        self._serializer = URLSafeTimedSerializer(secret, salt="pantau-partner-page", signer=_signer(clock))
        self._max_age = max_days * 86400

    def dump(self, stream: str, contact_id: str, generation: int) -> str:
        """The key of a contact's link of `generation`, dated now."""
        return self._serializer.dumps({"s": stream, "c": contact_id, "g": generation})

    def load(self, key: str) -> Holder | None:
        """Whom the key names, or None when it is forged, malformed or older than the limit."""
        try:
            data = self._serializer.loads(key, max_age=self._max_age)
        except (BadData, ValueError, TypeError):
            return None
        if not isinstance(data, dict):
            return None
        stream, contact_id, generation = data.get("s"), data.get("c"), data.get("g")
        if not isinstance(stream, str) or not isinstance(contact_id, str) or not isinstance(generation, int):
            return None
        return Holder(stream, contact_id, generation)


def links_of(engine: Engine, stream: str) -> dict[str, Link]:
    """Every contact's link of a partnership that was ever revoked or renewed (others: generation 0)."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(partner_links).where(partner_links.c.stream == stream)).all()
    return {row.contact_id: Link(row.generation, row.revoked) for row in rows}


def link_of(engine: Engine, stream: str, contact_id: str) -> Link:
    """Where one contact's link stands."""
    return links_of(engine, stream).get(contact_id, Link())


def _set(engine: Engine, stream: str, contact_id: str, now: datetime, actor: str, change) -> Link:
    with writing(engine) as conn:
        row = conn.execute(
            sa.select(partner_links).where(partner_links.c.stream == stream, partner_links.c.contact_id == contact_id)
        ).first()
        old = Link(row.generation, row.revoked) if row is not None else Link()
        new = change(old)
        values = {"generation": new.generation, "revoked": new.revoked, "changed_at": now, "changed_by": actor}
        if row is None:
            conn.execute(partner_links.insert().values(stream=stream, contact_id=contact_id, **values))
        else:
            conn.execute(
                partner_links.update()
                .where(partner_links.c.stream == stream, partner_links.c.contact_id == contact_id)
                .values(**values)
            )
    return new


def revoke(engine: Engine, stream: str, contact_id: str, now: datetime, actor: str) -> Link:
    """End every key given out for the contact: the generation moves on and the link is off."""
    return _set(engine, stream, contact_id, now, actor, lambda old: Link(old.generation + 1, True))


def reissue(engine: Engine, stream: str, contact_id: str, now: datetime, actor: str) -> Link:
    """Turn the contact's link on again: the generation revoking moved to, so the keys before stay dead."""
    return _set(engine, stream, contact_id, now, actor, lambda old: Link(old.generation, False))
