"""Tables of the notifications: the outbox, the alert jobs' last evaluated days, the due-day index."""

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
    Column("last_error", Text),  # the English, for logs and the CLI; the pages word the code
    Column("last_error_code", String(40)),  # sendfail.<code> (notifications/send_reasons.py); NULL on old rows
    Column("last_error_params", Text),  # JSON object: the code's parameters
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
    Column("code", String(40)),  # as the outbox's last_error_code
    Column("params", Text),  # JSON object
)

# The last day each alert job has evaluated, so a restart catches up the days it missed.
alert_marks = Table(
    "alert_marks",
    metadata,
    Column("job", String(40), primary_key=True),
    Column("day", Date, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# The due-day index (notifications/due_days.py): for each partnership, the ranges of days on which
# an alert rule could fire, with the key it would carry there (NULL: not known in advance).
alert_due = Table(
    "alert_due",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("stream", String(80), nullable=False, index=True),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
    Column("rule", String(40), nullable=False),
    Column("key", String(300)),
    Index("ix_alert_due_days", "last_day", "first_day"),
)

# How far the index has read: the position of the read model it was computed from, and the
# fingerprint of the rules it was computed with (other rules: every partnership again).
alert_due_mark = Table(
    "alert_due_mark",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("fingerprint", String(64), nullable=False),
)
