"""partnership_states: the columns desk, region and country reads select on, indexed.

The rows already stored get the columns when the read models are folded again: the checkpoint's
fold version is set to 0, so the next run of the runner rebuilds them once (docs/architecture.md).
Until then the new columns are NULL and `fixed` NULL makes every reader check such a row itself.

Revision ID: 0007_read_columns
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_read_columns"
down_revision = "0006"
branch_labels = None
depends_on = None

_COLUMNS = ("country", "province", "place")
_INDEXED = (*_COLUMNS, "fixed")


def upgrade() -> None:
    with op.batch_alter_table("partnership_states") as table:
        for name in _COLUMNS:
            table.add_column(sa.Column(name, sa.Text))
        table.add_column(sa.Column("fixed", sa.Boolean))
    for name in _INDEXED:
        op.create_index(f"ix_partnership_states_{name}", "partnership_states", [name])
    op.execute("UPDATE projection_checkpoints SET fold_version = 0 WHERE name = 'partnership_states'")


def downgrade() -> None:
    for name in _INDEXED:
        op.drop_index(f"ix_partnership_states_{name}", "partnership_states")
    with op.batch_alter_table("partnership_states") as table:
        for name in (*_COLUMNS, "fixed"):
            table.drop_column(name)
