"""registry_rows, _data, _waiting, _fields, _words, _mark: the public registry's read columns (docs/registry.md).

The rows are worked out on the first read after the upgrade (the mark's empty fingerprint matches
no rules), from the partnership states.

Revision ID: 0011_registry
Revises: 0010_people
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_registry"
down_revision = "0010_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _rows()
    _beside_the_rows()


def _rows() -> None:
    """The narrow row of each listed partnership, with an index for each filter and sort."""
    op.create_table(
        "registry_rows",
        sa.Column("stream", sa.String(80), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("changes_on", sa.Date),
        sa.Column("indonesia_key", sa.Text),
        sa.Column("partner_key", sa.Text),
        sa.Column("province", sa.Text),
        sa.Column("province_key", sa.Text),
        sa.Column("place_key", sa.Text),
        sa.Column("country", sa.String(2)),
        sa.Column("kind", sa.String(40)),
        sa.Column("stage", sa.String(20)),
        sa.Column("activeness", sa.String(20)),
        sa.Column("decade", sa.Integer),
        sa.Column("signed_key", sa.String(10)),
        sa.Column("activity_key", sa.String(10)),
    )
    for name, columns in (
        ("changes_on", ["changes_on"]),
        ("sorted", ["indonesia_key", "stream"]),
        ("partner", ["partner_key", "stream"]),
        ("province", ["province_key", "indonesia_key", "stream"]),
        ("province_name", ["province"]),
        ("country", ["country", "partner_key", "stream"]),
        ("signed", ["signed_key", "stream"]),
        ("activity", ["activity_key", "stream"]),
        ("place", ["place_key"]),
        ("kind", ["kind"]),
        ("stage", ["stage"]),
        ("activeness", ["activeness"]),
        ("decade", ["decade"]),
    ):
        op.create_index(f"ix_registry_rows_{name}", "registry_rows", columns)


def _beside_the_rows() -> None:
    """The public JSON, the unlisted partnerships, fields and search words, and the refresh's mark."""
    op.create_table(
        "registry_data",
        sa.Column("stream", sa.String(80), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_table(
        "registry_waiting",
        sa.Column("stream", sa.String(80), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("changes_on", sa.Date),
    )
    op.create_index("ix_registry_waiting_changes_on", "registry_waiting", ["changes_on"])
    op.create_table(
        "registry_fields",
        sa.Column("stream", sa.String(80), nullable=False),
        sa.Column("field_key", sa.Text, nullable=False),
    )
    op.create_index("ix_registry_fields_stream", "registry_fields", ["stream"])
    op.create_index("ix_registry_fields_field", "registry_fields", ["field_key", "stream"])
    op.create_table(
        "registry_words",
        sa.Column("stream", sa.String(80), nullable=False),
        sa.Column("word", sa.Text, nullable=False),
    )
    op.create_index("ix_registry_words_stream", "registry_words", ["stream"])
    op.create_index("ix_registry_words_word", "registry_words", ["word", "stream"])
    mark = op.create_table(
        "registry_mark",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("day", sa.Date),
        sa.Column("fingerprint", sa.String(64), nullable=False),
    )
    # The row exists from the start, so refreshes queue on its lock; the empty fingerprint matches
    # no rules, so the first refresh works out every partnership.
    op.bulk_insert(mark, [{"name": "registry", "position": 0, "day": None, "fingerprint": ""}])


def downgrade() -> None:
    op.drop_table("registry_mark")
    op.drop_table("registry_words")
    op.drop_table("registry_fields")
    op.drop_table("registry_waiting")
    op.drop_table("registry_data")
    op.drop_table("registry_rows")
