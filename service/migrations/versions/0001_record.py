"""The record: events (immutable), read models and their checkpoints.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SQLITE_TRIGGERS = [
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE is not allowed'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'events are immutable: DELETE is not allowed'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION pantau_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'events are immutable: % is not allowed', TG_OP; END $$""",
    """CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
       FOR EACH ROW EXECUTE FUNCTION pantau_events_immutable()""",
    """CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
       FOR EACH STATEMENT EXECUTE FUNCTION pantau_events_immutable()""",
]


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("position", Position, primary_key=True, autoincrement=False),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("stream", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("precision", sa.String(5), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("meta", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("schema_version", sa.SmallInteger, nullable=False, server_default="1"),
        sa.UniqueConstraint("stream", "version", name="uq_events_stream_version"),
    )
    for statement in (SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TRIGGERS):
        op.execute(statement)
    op.create_table(
        "partnership_states",
        sa.Column("stream", sa.String(80), primary_key=True),
        sa.Column("desk", sa.String(80)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
    )
    op.create_index("ix_partnership_states_desk", "partnership_states", ["desk"])
    op.create_table(
        "projection_checkpoints",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO projection_checkpoints (name, position) VALUES ('partnership_states', 0)")


def downgrade() -> None:
    op.drop_table("projection_checkpoints")
    op.drop_table("partnership_states")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER events_no_truncate ON events")
        op.execute("DROP TRIGGER events_no_update_delete ON events")
        op.execute("DROP FUNCTION pantau_events_immutable()")
    op.drop_table("events")
