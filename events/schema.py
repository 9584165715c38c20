"""The `events` table: the only place facts are kept."""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# On SQLite an INTEGER PRIMARY KEY is the rowid itself, which keeps inserts cheap.
Position = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "events",
    metadata,
    Column("position", Position, primary_key=True, autoincrement=False),
    Column("id", String(36), nullable=False, unique=True),
    Column("stream", String(80), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(64), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("precision", String(5), nullable=False),
    Column("data", Text, nullable=False),
    Column("meta", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("schema_version", SmallInteger, nullable=False, server_default="1"),
    UniqueConstraint("stream", "version", name="uq_events_stream_version"),
)
