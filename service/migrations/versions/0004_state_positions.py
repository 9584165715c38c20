"""read model: index partnership states by position, so a reader reloads only the states that moved.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_partnership_states_position", "partnership_states", ["position"])


def downgrade() -> None:
    op.drop_index("ix_partnership_states_position", "partnership_states")
