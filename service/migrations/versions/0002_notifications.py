"""notifications: outbox, alert-job bookkeeping, scheduler lease.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("alert_key", sa.String(300), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("stream", sa.String(80)),
        sa.Column("desk", sa.String(80)),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("to_addrs", sa.Text, nullable=False),
        sa.Column("cc_addrs", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("body_html", sa.Text, nullable=False),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("claim", sa.String(64)),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_outbox_alert_key", "outbox", ["alert_key"])
    op.create_index("ix_outbox_stream", "outbox", ["stream"])
    op.create_index("ix_outbox_due", "outbox", ["state", "next_attempt_at"])
    op.create_table(
        "alert_marks",
        sa.Column("job", sa.String(40), primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "mailbox",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mail_from", sa.Text, nullable=False),
        sa.Column("rcpt_tos", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("message_id", sa.String(200)),
        sa.Column("raw", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("mailbox")
    op.drop_table("alert_marks")
    op.drop_index("ix_outbox_due", "outbox")
    op.drop_index("ix_outbox_stream", "outbox")
    op.drop_index("ix_outbox_alert_key", "outbox")
    op.drop_table("outbox")
