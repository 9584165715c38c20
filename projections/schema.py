"""Read-model tables: each partnership's folded state, and each projection's checkpoint."""

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

partnership_states = Table(
    "partnership_states",
    metadata,
    Column("stream", String(80), primary_key=True),
    Column("desk", String(80), index=True),
    Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
)

checkpoints = Table(
    "projection_checkpoints",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("position", BigInteger, nullable=False),
    # The FOLD_VERSION of projections.partnership the rows were folded with (docs/architecture.md).
    Column("fold_version", Integer, nullable=False, server_default="0"),
)
