"""Passwords of people who sign in to the pages, and the one-time links they set them through.

A password is kept as an argon2id hash (argon2-cffi, its parameters inside the hash, so stronger
ones later rehash at the next sign-in). A link is a random secret mailed to the person: only its
SHA-256 is stored, with its purpose (`invite` or `reset`) and the moment it expires; setting a
password uses it up, and with it every other open link of that user.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from events.database import reading, writing
from service.auth import User, UserError, find_user, users

MIN_LENGTH = 10  # NIST SP 800-63B asks at least 8; a person chooses it once
MAX_LENGTH = 200
INVITE, RESET = "invite", "reset"

metadata = sa.MetaData()
password_links = sa.Table(
    "password_links",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("purpose", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True)),
)

_hasher = PasswordHasher()  # argon2id, RFC 9106's second recommended parameters (64 MiB, 3 passes)


@lru_cache(maxsize=1)
def _dummy() -> str:
    """A hash checked against when the name is unknown, so the answer takes as long as for a known one."""
    return _hasher.hash(secrets.token_urlsafe(16))


def password_problem(password: str, name: str) -> UserError | None:
    """Why a new password is refused (too short or long, the name itself, a NUL), or None."""
    if len(password) < MIN_LENGTH:
        return UserError("password", "pw.err.short", f"must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        return UserError("password", "pw.err.long", f"must be at most {MAX_LENGTH} characters long")
    if "\x00" in password:
        return UserError("password", "pw.err.char", "must not contain NUL")
    if password.strip().casefold() == name.casefold():
        return UserError("password", "pw.err.name", "must not be the user's name")
    return None


def set_password(engine: Engine, name: str, password: str, now: datetime) -> User:
    """Give the active user `name` this password (links of theirs still open are used up); UserError if not."""
    found = find_user(engine, name)
    if found is None:
        raise UserError("name", "users.no_such", f"{name!r}: no such active user")
    user = found[0]
    if (problem := password_problem(password, user.name)) is not None:
        raise problem
    digest = _hasher.hash(password)
    with writing(engine) as conn:
        _store(conn, user.id, digest, now)
    return user


def _store(conn, user_id: int, digest: str, now: datetime) -> None:
    from service.api.session import end_all  # imported here: the api package imports this module

    conn.execute(users.update().where(users.c.id == user_id).values(password_hash=digest))
    conn.execute(
        password_links.update()
        .where(password_links.c.user_id == user_id, password_links.c.used_at.is_(None))
        .values(used_at=now)
    )
    end_all(conn, user_id, now)  # a new password ends the sessions the old one opened


def check(engine: Engine, name: str, password: str) -> User | None:
    """The active user whose name and password these are, or None."""
    found = find_user(engine, name) if password else None
    with reading(engine) as conn:
        digest = (
            conn.execute(sa.select(users.c.password_hash).where(users.c.id == found[0].id)).scalar() if found else None
        )
    try:
        _hasher.verify(digest or _dummy(), password)
    except (VerificationError, InvalidHashError):
        return None
    if found is None or digest is None:
        return None
    if _hasher.check_needs_rehash(digest):
        with writing(engine) as conn:
            conn.execute(users.update().where(users.c.id == found[0].id).values(password_hash=_hasher.hash(password)))
    return found[0]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(engine: Engine, user_id: int, purpose: str, now: datetime, lifetime: timedelta) -> str:
    """A new one-time link secret for the user (shown only in the mail), valid for `lifetime`."""
    secret = secrets.token_urlsafe(32)
    with writing(engine) as conn:
        conn.execute(
            password_links.insert().values(
                id_hash=_hash(secret), user_id=user_id, purpose=purpose, created_at=now, expires_at=now + lifetime
            )
        )
    return secret


@dataclass(frozen=True)
class Link:
    """An open link: whose it is and what for."""

    user: User
    purpose: str


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def open_link(engine: Engine, secret: str, now: datetime) -> Link | None:
    """The link a secret names while it is unused, unexpired and its user active; else None."""
    from service.auth import get_user

    if not secret or len(secret) > 100:
        return None
    with reading(engine) as conn:
        row = conn.execute(sa.select(password_links).where(password_links.c.id_hash == _hash(secret))).first()
    if row is None or row.used_at is not None or _utc(row.expires_at) <= now:
        return None
    user = get_user(engine, row.user_id)
    return Link(user, row.purpose) if user else None


def redeem(engine: Engine, secret: str, password: str, now: datetime) -> User | None:
    """Set the password through a link, using it up; None when the link opens nothing (UserError: bad password)."""
    link = open_link(engine, secret, now)
    if link is None:
        return None
    if (problem := password_problem(password, link.user.name)) is not None:
        raise problem  # the link stays open: the person tries another password
    digest = _hasher.hash(password)
    with writing(engine) as conn:
        # The claim and the new password in one transaction: of two uses at once, one wins.
        won = conn.execute(
            password_links.update()
            .where(
                password_links.c.id_hash == _hash(secret),
                password_links.c.used_at.is_(None),
                password_links.c.expires_at > now,
            )
            .values(used_at=now)
        ).rowcount
        if won != 1:
            return None
        _store(conn, link.user.id, digest, now)
    return link.user
