"""Page sessions: a signed cookie with a CSRF token and, once logged in, a session kept on the server.

The cookie alone cannot keep a user logged in: it names a server-side session (by a random id
whose hash is stored) that logout, and revoking the user, end at once in every process.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from itsdangerous import BadData, BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy.engine import Engine

from events.database import reading, writing

COOKIE = "pantau_session"
MAX_AGE = 12 * 3600

metadata = sa.MetaData()
page_sessions = sa.Table(
    "page_sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
)
app_secrets = sa.Table(
    "app_secrets",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)


def signing_key(engine: Engine) -> str:
    """The session-signing key, made on first use; every process on the database shares it."""
    with reading(engine) as conn:
        value = conn.execute(sa.select(app_secrets.c.value).where(app_secrets.c.name == "session")).scalar()
    if value:
        return value
    try:
        with writing(engine) as conn:
            conn.execute(app_secrets.insert().values(name="session", value=secrets.token_urlsafe(48)))
    except sa.exc.IntegrityError:
        pass  # another process made it first: use theirs
    return signing_key(engine)


@dataclass(frozen=True)
class Session:
    """What the cookie carries: who is logged in (None: nobody yet) and the CSRF token of its forms."""

    csrf: str
    user_id: int | None = None
    sid: str | None = None  # the server-side session of a logged-in user


class Sessions:
    """Signs and reads session cookies."""

    def __init__(self, key: str):
        self._serializer = URLSafeTimedSerializer(key, salt="pantau-session")

    def dump(self, session: Session) -> str:
        """The cookie value."""
        return self._serializer.dumps({"csrf": session.csrf, "uid": session.user_id, "sid": session.sid})

    def load(self, value: str | None) -> Session | None:
        """The session of a cookie, or None when missing, forged or expired."""
        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        sid = data.get("sid") if isinstance(data.get("sid"), str) else None
        uid = data.get("uid") if isinstance(data.get("uid"), int) and sid is not None else None
        return Session(csrf=data["csrf"], user_id=uid, sid=sid if uid is not None else None)


def fresh() -> Session:
    """A new anonymous session with a new CSRF token."""
    return Session(csrf=secrets.token_urlsafe(24))


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start(engine: Engine, user_id: int, now: datetime) -> Session:
    """A logged-in session, kept on the server, with a new CSRF token."""
    sid = secrets.token_urlsafe(32)
    with writing(engine) as conn:
        conn.execute(page_sessions.insert().values(id_hash=_hash(sid), user_id=user_id, created_at=now))
    return Session(csrf=secrets.token_urlsafe(24), user_id=user_id, sid=sid)


def active(engine: Engine, session: Session, now: datetime) -> bool:
    """Whether the session's server side still lets its user in (not ended, within MAX_AGE)."""
    if session.sid is None or session.user_id is None:
        return False
    with reading(engine) as conn:
        row = conn.execute(
            sa.select(page_sessions.c.created_at).where(
                page_sessions.c.id_hash == _hash(session.sid),
                page_sessions.c.user_id == session.user_id,
                page_sessions.c.ended_at.is_(None),
            )
        ).first()
    if row is None:
        return False
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=timezone.utc)
    return now - created < timedelta(seconds=MAX_AGE)


def end(engine: Engine, session: Session, now: datetime) -> None:
    """End one session (logout)."""
    if session.sid is None:
        return
    with writing(engine) as conn:
        conn.execute(
            page_sessions.update()
            .where(page_sessions.c.id_hash == _hash(session.sid), page_sessions.c.ended_at.is_(None))
            .values(ended_at=now)
        )


def end_all(conn, user_id: int, now: datetime) -> None:
    """End every session of a user, inside the caller's transaction (revocation)."""
    conn.execute(
        page_sessions.update()
        .where(page_sessions.c.user_id == user_id, page_sessions.c.ended_at.is_(None))
        .values(ended_at=now)
    )


class FeedKeys:
    """Keys for calendar subscriptions: a calendar app sends no Authorization header, only a URL.

    A key names its user, signed with the session key; it does not expire, and stops working when
    the user is revoked (every use looks the user up). It reads the feed and nothing else.
    """

    def __init__(self, key: str):
        self._serializer = URLSafeSerializer(key, salt="pantau-calendar-feed")

    def dump(self, user_id: int) -> str:
        """The feed key of a user."""
        return self._serializer.dumps({"uid": user_id})

    def load(self, value: str | None) -> int | None:
        """The user id a key names, or None when missing or forged."""
        try:
            data = self._serializer.loads(value or "")
        except BadData:
            return None
        return data.get("uid") if isinstance(data, dict) and isinstance(data.get("uid"), int) else None
