"""Read-model tables: each partnership's folded state, and each projection's checkpoint."""

from sqlalchemy import BigInteger, Boolean, Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

partnership_states = Table(
    "partnership_states",
    metadata,
    Column("stream", String(80), primary_key=True),
    Column("desk", String(80), index=True),
    Column("version", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
    # What reads select on (projections/readmodel.py), as the record names it last; casefolded
    # but for the country code. `fixed`: no change ever moved the row's desk, country or region,
    # so the columns hold for every day (NULL: not known yet, a reader takes the row to check).
    Column("country", Text, index=True),
    Column("province", Text, index=True),
    Column("place", Text, index=True),
    Column("fixed", Boolean, index=True),
)

checkpoints = Table(
    "projection_checkpoints",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("position", BigInteger, nullable=False),
    # The FOLD_VERSION of projections.partnership the rows were folded with (docs/architecture.md).
    Column("fold_version", Integer, nullable=False, server_default="0"),
)
