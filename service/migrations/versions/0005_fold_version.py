"""projection checkpoints: the fold version the read model was built with.

A checkpoint whose fold version differs from `projections.partnership.FOLD_VERSION` makes the
runner rebuild the read models from the events before it applies anything (docs/architecture.md).
Existing rows get 0, so the first run after this migration rebuilds once.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projection_checkpoints") as table:
        table.add_column(sa.Column("fold_version", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("projection_checkpoints") as table:
        table.drop_column("fold_version")
