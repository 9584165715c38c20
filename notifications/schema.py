"""Tables of the notifications: the outbox and the alert jobs' last evaluated days."""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# SQLite only autoincrements an INTEGER PRIMARY KEY.
_ID = BigInteger().with_variant(Integer, "sqlite")

QUEUED, SENDING, SENT, FAILED, UNDELIVERABLE = "queued", "sending", "sent", "failed", "undeliverable"
STATES = (QUEUED, SENDING, SENT, FAILED, UNDELIVERABLE)

outbox = Table(
    "outbox",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("alert_key", String(300), nullable=False, index=True),
    Column("rule", String(40), nullable=False),
    Column("stream", String(80), index=True),
    Column("desk", String(80)),
    Column("day", Date, nullable=False),
    Column("language", String(8), nullable=False),
    Column("to_addrs", Text, nullable=False),  # JSON list
    Column("cc_addrs", Text, nullable=False),  # JSON list
    Column("subject", Text, nullable=False),
    Column("body_text", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("message_id", String(200), nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("lease_until", DateTime(timezone=True)),
    Column("claim", String(64)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("first_attempt_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Index("ix_outbox_due", "state", "next_attempt_at"),
)

# Every delivery attempt of an outbox message and how it ended (sent, retry, failed), so a
# message that took several tries shows each reason, not only the last.
outbox_attempts = Table(
    "outbox_attempts",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("outbox_id", _ID, nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("detail", Text),
)

# The last day each alert job has evaluated, so a restart catches up the days it missed.
alert_marks = Table(
    "alert_marks",
    metadata,
    Column("job", String(40), primary_key=True),
    Column("day", Date, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
