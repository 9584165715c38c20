"""alert_due: the due-day index of the alert job, and its mark.

Revision ID: 0008_alert_due
Revises: 0007_read_columns
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_alert_due"
down_revision = "0007_read_columns"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "alert_due",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("stream", sa.String(80), nullable=False),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("key", sa.String(300)),
    )
    op.create_index("ix_alert_due_stream", "alert_due", ["stream"])
    op.create_index("ix_alert_due_days", "alert_due", ["last_day", "first_day"])
    mark = op.create_table(
        "alert_due_mark",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
    )
    # The row exists from the start, so instances refreshing at once queue on its lock; the empty
    # fingerprint matches no rules, so the first refresh computes every partnership.
    op.bulk_insert(mark, [{"name": "alert_due", "position": 0, "fingerprint": ""}])


def downgrade() -> None:
    op.drop_table("alert_due_mark")
    op.drop_table("alert_due")
