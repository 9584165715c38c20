"""partner_links: the revocation state of each partner-side contact's page link (docs/partner.md).

Revision ID: 0009_partner_links
Revises: 0008_alert_due
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_partner_links"
down_revision = "0008_alert_due"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_links",
        sa.Column("stream", sa.String(80), primary_key=True),
        sa.Column("contact_id", sa.String(120), primary_key=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(120)),
    )


def downgrade() -> None:
    op.drop_table("partner_links")
