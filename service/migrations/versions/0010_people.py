"""people: users sign in with a name and a password, set through a one-time link sent by mail.

Adds to `users` the compared name (`name_key`, unique: `ADMIN1` cannot stand beside `admin1`),
an e-mail address, the language of their mails and an argon2 password hash; and the table
`password_links` of invitation and reset links (only a link's SHA-256 is kept).

Revision ID: 0010_people
Revises: 0008_alert_due
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0010_people"
down_revision = "0009_partner_links"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    # service.user_names.name_key as it stands at this revision (a migration does not follow later code).
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).strip().casefold())


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("name_key", sa.String(200)))
        batch.add_column(sa.Column("email", sa.String(320)))
        batch.add_column(sa.Column("language", sa.String(8)))
        batch.add_column(sa.Column("password_hash", sa.String(200)))
    conn = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_key"))
    seen: set[str] = set()
    for user_id, name in conn.execute(sa.select(users.c.id, users.c.name).order_by(users.c.id)).all():
        key = _key(name)
        if key in seen:
            continue  # an older look-alike keeps no key: it still signs in by its exact name, nothing new may copy it
        seen.add(key)
        conn.execute(users.update().where(users.c.id == user_id).values(name_key=key))
    op.create_index("ux_users_name_key", "users", ["name_key"], unique=True)
    op.create_table(
        "password_links",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_password_links_user_id", "password_links", ["user_id"])


def downgrade() -> None:
    op.drop_table("password_links")
    op.drop_index("ux_users_name_key", "users")
    with op.batch_alter_table("users") as batch:
        for column in ("password_hash", "language", "email", "name_key"):
            batch.drop_column(column)
