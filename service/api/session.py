"""Page sessions: a signed cookie naming the user and a CSRF token; the key lives in the database."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from itsdangerous import BadData, BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy.engine import Engine

from events.database import reading, writing

COOKIE = "pantau_session"
MAX_AGE = 12 * 3600

metadata = sa.MetaData()
app_secrets = sa.Table(
    "app_secrets", metadata,
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


class Sessions:
    """Signs and reads session cookies."""

    def __init__(self, key: str):
        self._serializer = URLSafeTimedSerializer(key, salt="pantau-session")

    def dump(self, session: Session) -> str:
        """The cookie value."""
        return self._serializer.dumps({"csrf": session.csrf, "uid": session.user_id})

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
        return Session(csrf=data["csrf"], user_id=data.get("uid"))


def fresh(user_id: int | None = None) -> Session:
    """A new session with a new CSRF token."""
    return Session(csrf=secrets.token_urlsafe(24), user_id=user_id)


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
