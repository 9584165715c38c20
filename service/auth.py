"""Users, their roles and bearer tokens: a token is shown once, only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events.database import fetch, reading, writing

ROLES = ("admin", "desk", "regional", "viewer")

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("desk", sa.String(80)),
    sa.Column("region", sa.String(200)),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)


class UserError(ValueError):
    """A user cannot be added or changed as asked; the message says why."""


@dataclass(frozen=True)
class User:
    """Someone who may call the API: a role and, for desk and regional users, their scope."""

    id: int
    name: str
    role: str
    desk: str | None = None
    region: str | None = None
    revoked: bool = False

    def may_write(self, desk: str | None, province: str | None) -> bool:
        """Whether this user may record facts on a partnership of `desk` in `province`."""
        if self.role == "admin":
            return True
        if self.role == "desk":
            return desk is not None and desk == self.desk
        if self.role == "regional":
            return province is not None and province.casefold() == (self.region or "").casefold()
        return False


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row) -> User:
    return User(
        id=row.id, name=row.name, role=row.role, desk=row.desk, region=row.region, revoked=row.revoked_at is not None
    )


def add_user(
    engine: Engine, name: str, role: str, now: datetime, *, desk: str | None = None, region: str | None = None
) -> tuple[User, str]:
    """Create a user and return it with its token (the only time the token is known)."""
    if role not in ROLES:
        raise UserError(f"--role: {role!r} is not one of {', '.join(ROLES)}")
    if role == "desk" and not desk:
        raise UserError("--desk: a desk user needs the desk it follows, e.g. --desk kbri-seoul")
    if role == "regional" and not region:
        raise UserError("--region: a regional user needs its province, e.g. --region 'Jawa Barat'")
    if not name.strip():
        raise UserError("--name: must not be empty")
    token = secrets.token_urlsafe(32)
    with writing(engine) as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
            raise UserError(f"--name: a user named {name!r} already exists")
        user_id = conn.execute(
            users.insert().values(
                name=name,
                role=role,
                desk=desk if role == "desk" else None,
                region=region if role == "regional" else None,
                token_hash=hash_token(token),
                created_at=now,
            )
        ).inserted_primary_key[0]
    return User(user_id, name, role, desk if role == "desk" else None, region if role == "regional" else None), token


_BY_TOKEN = "SELECT id, name, role, desk, region FROM users WHERE token_hash = ? AND revoked_at IS NULL"


def authenticate(engine: Engine, token: str) -> User | None:
    """The active user holding `token`, or None."""
    # Asked on every request and never cached, so a revocation holds at once in every process.
    rows = fetch(engine, _BY_TOKEN, (hash_token(token),))
    return User(*rows[0]) if rows else None


def get_user(engine: Engine, user_id: int) -> User | None:
    """The active user with this id, or None."""
    with reading(engine) as conn:
        row = conn.execute(sa.select(users).where(users.c.id == user_id, users.c.revoked_at.is_(None))).first()
    return _user(row) if row else None


def list_users(engine: Engine) -> list[User]:
    """Every user, revoked ones included, by name."""
    with reading(engine) as conn:
        return [_user(row) for row in conn.execute(sa.select(users).order_by(users.c.name))]


def revoke(engine: Engine, name: str, now: datetime) -> bool:
    """Revoke the user's token and end the user's page sessions; False when there is no such active user."""
    from service.api.session import end_all  # imported here: the api package imports this module

    with writing(engine) as conn:
        row = conn.execute(sa.select(users.c.id).where(users.c.name == name, users.c.revoked_at.is_(None))).first()
        if row is None:
            return False
        conn.execute(users.update().where(users.c.id == row.id).values(revoked_at=now))
        end_all(conn, row.id, now)
    return True


def ensure_admin(engine: Engine, now: datetime, name: str = "admin") -> str:
    """A fresh token for the first admin: the user is created, or its token replaced."""
    token = secrets.token_urlsafe(32)
    with writing(engine) as conn:
        row = conn.execute(sa.select(users.c.id).where(users.c.name == name)).first()
        if row is None:
            conn.execute(users.insert().values(name=name, role="admin", token_hash=hash_token(token), created_at=now))
        else:
            # The old token stops working: ensure-admin is how a lost admin token is replaced.
            conn.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(role="admin", token_hash=hash_token(token), revoked_at=None)
            )
            from service.api.session import end_all  # the old token's page sessions end with it

            end_all(conn, row.id, now)
    return token
