"""Read-model tables: each partnership's folded state, and each projection's checkpoint."""

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

partnership_states = Table(
    "partnership_states", metadata,
    Column("stream", String(80), primary_key=True),
    Column("desk", String(80), index=True),
    Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
)

checkpoints = Table(
    "projection_checkpoints", metadata,
    Column("name", String(80), primary_key=True),
    Column("position", BigInteger, nullable=False),
)
