"""outbox: one row per delivery attempt, with its outcome and reason.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "outbox_attempts",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("outbox_id", _ID, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_outbox_attempts_outbox_id", "outbox_attempts", ["outbox_id"])


def downgrade() -> None:
    op.drop_table("outbox_attempts")
