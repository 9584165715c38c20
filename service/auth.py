"""Users, their roles and bearer tokens: a token is shown once, only its SHA-256 is stored.

People also sign in to the pages with their name and a password (service/passwords.py); names are
normalised and compared without case (service/user_names.py).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events.addresses import address_error
from events.database import fetch, reading, writing
from service.user_names import name_key, name_problem, normalise

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
    # The name as compared (user_names.name_key): unique, so `ADMIN1` cannot stand beside `admin1`.
    sa.Column("name_key", sa.String(200)),  # unique index ux_users_name_key (migration 0010_people)
    sa.Column("email", sa.String(320)),
    sa.Column("language", sa.String(8)),  # of the mails the user gets: id (default) or en
    sa.Column("password_hash", sa.String(200)),  # argon2id, with its parameters; NULL: no password yet
)

LANGUAGES = ("id", "en")


class UserError(ValueError):
    """A user cannot be added or changed as asked: `field`, a reason key for pages, English words for the CLI."""

    def __init__(self, field: str, key: str, words: str, **params: str):
        super().__init__(f"--{field}: {words}")
        self.field, self.key, self.params, self.words = field, key, params, words


@dataclass(frozen=True)
class User:
    """Someone who may call the API: a role and, for desk and regional users, their scope."""

    id: int
    name: str
    role: str
    desk: str | None = None
    region: str | None = None
    revoked: bool = False
    email: str | None = None  # filled by list_users (the users page), not on every request
    has_password: bool = False  # likewise

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


def checked_name(name: str) -> str:
    """The name as stored, or UserError naming `--name` and why it is refused."""
    name = normalise(name)
    problem = name_problem(name)
    if problem is not None:
        raise UserError("name", problem[0], problem[1])
    return name


def checked_email(email: str | None) -> str | None:
    """The address as stored (None when not given), or UserError naming `--email`."""
    email = (email or "").strip()
    if not email:
        return None
    if (why := address_error(email)) is not None:
        raise UserError("email", "users.err.email", f"{email!r} is not an e-mail address: {why}")
    return email


def _user(row) -> User:
    return User(
        id=row.id,
        name=row.name,
        role=row.role,
        desk=row.desk,
        region=row.region,
        revoked=row.revoked_at is not None,
        email=row.email,
        has_password=row.password_hash is not None,
    )


def add_user(
    engine: Engine,
    name: str,
    role: str,
    now: datetime,
    *,
    desk: str | None = None,
    region: str | None = None,
    email: str | None = None,
    language: str = "id",
) -> tuple[User, str]:
    """Create a user and return it with its token (the only time the token is known)."""
    name = checked_name(name)
    if role not in ROLES:
        raise UserError("role", "form.bad_choice", f"{role!r} is not one of {', '.join(ROLES)}")
    if role == "desk" and not desk:
        raise UserError("desk", "users.desk_needed", "a desk user needs the desk it follows, e.g. --desk kbri-seoul")
    if role == "regional" and not region:
        raise UserError(
            "region", "users.region_needed", "a regional user needs its province, e.g. --region 'Jawa Barat'"
        )
    email = checked_email(email)
    token = secrets.token_urlsafe(32)
    desk, region = (desk if role == "desk" else None), (region if role == "regional" else None)
    try:
        with writing(engine) as conn:
            if _taken(conn, name):
                raise UserError("name", "users.name_taken", f"a user named {name!r} already exists")
            user_id = conn.execute(
                users.insert().values(
                    name=name,
                    name_key=name_key(name),
                    role=role,
                    desk=desk,
                    region=region,
                    email=email,
                    language=language if language in LANGUAGES else "id",
                    token_hash=hash_token(token),
                    created_at=now,
                )
            ).inserted_primary_key[0]
    except sa.exc.IntegrityError:  # another process took the name (or its key) in the meantime
        raise UserError("name", "users.name_taken", f"a user named {name!r} already exists") from None
    return User(user_id, name, role, desk, region), token


def _taken(conn, name: str) -> bool:
    return conn.execute(sa.select(users.c.id).where(_named(name))).first() is not None


def _named(name: str):
    """Rows a typed name means: by key, or by the exact name (a row from before keys, left without one)."""
    return sa.or_(users.c.name_key == name_key(name), users.c.name == name)


def name_taken(engine: Engine, name: str) -> bool:
    """Whether a user (revoked ones included) already has this name, compared by key."""
    with reading(engine) as conn:
        return _taken(conn, normalise(name))


def find_user(engine: Engine, name: str) -> tuple[User, str | None, str] | None:
    """The active user a typed name means (compared by key), with its e-mail and mail language; or None."""
    name = normalise(name)
    if name_problem(name) is not None:
        return None  # never sent to the database: a NUL there is an error on PostgreSQL
    with reading(engine) as conn:
        row = conn.execute(
            sa.select(users)
            .where(_named(name), users.c.revoked_at.is_(None))
            .order_by((users.c.name == name).desc(), users.c.id)
        ).first()
    return (_user(row), row.email, row.language or "id") if row else None


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

    name = normalise(name)
    if name_problem(name) is not None:
        return False  # no such user can exist; never sent to the database
    with writing(engine) as conn:
        row = conn.execute(
            sa.select(users.c.id)
            .where(_named(name), users.c.revoked_at.is_(None))
            .order_by((users.c.name == name).desc(), users.c.id)
        ).first()
        if row is None:
            return False
        conn.execute(users.update().where(users.c.id == row.id).values(revoked_at=now))
        end_all(conn, row.id, now)
    return True


def ensure_admin(engine: Engine, now: datetime, name: str = "admin") -> str:
    """A fresh token for the first admin: the user is created, or its token replaced."""
    name = checked_name(name)
    token = secrets.token_urlsafe(32)
    with writing(engine) as conn:
        row = conn.execute(
            sa.select(users.c.id).where(_named(name)).order_by((users.c.name == name).desc(), users.c.id)
        ).first()
        if row is None:
            conn.execute(
                users.insert().values(
                    name=name, name_key=name_key(name), role="admin", token_hash=hash_token(token), created_at=now
                )
            )
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
