"""The public registry's read columns: one row per partnership as /registri shows it today, kept by service.registry_store.

A metadata of its own, apart from projections.schema: a rebuild of the partnership states copies
those tables, and these are worked out from the states afterwards, not folded from the events.
"""

from sqlalchemy import BigInteger, Column, Date, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

# Listed partnerships only (not withheld, registered by the row's day): every read reads all of
# its rows it selects, so it holds nothing else, and stays narrow so that a scan is short.
registry_rows = Table(
    "registry_rows",
    metadata,
    Column("stream", String(80), primary_key=True),
    Column("position", BigInteger, nullable=False),  # the stream's last position: its page's ETag
    Column("changes_on", Date, index=True),  # the first day the row may read differently (None: never)
    # What the list filters, sorts and counts on; *_key: casefolded; signed_key "~" and
    # activity_key "" when there is none, so that they sort last on either database.
    Column("indonesia_key", Text),
    Column("partner_key", Text),
    Column("province", Text),
    Column("province_key", Text),
    Column("place_key", Text),
    Column("country", String(2)),
    Column("kind", String(40)),
    Column("stage", String(20)),
    Column("activeness", String(20)),
    Column("decade", Integer),
    Column("signed_key", String(10)),
    Column("activity_key", String(10)),
    # One index per sort, so a page is read from an index, and the counts' two.
    Index("ix_registry_rows_sorted", "indonesia_key", "stream"),
    Index("ix_registry_rows_partner", "partner_key", "stream"),
    Index("ix_registry_rows_province", "province_key", "indonesia_key", "stream"),
    Index("ix_registry_rows_province_name", "province"),
    Index("ix_registry_rows_country", "country", "partner_key", "stream"),
    Index("ix_registry_rows_signed", "signed_key", "stream"),
    Index("ix_registry_rows_activity", "activity_key", "stream"),
    Index("ix_registry_rows_place", "place_key"),
    Index("ix_registry_rows_kind", "kind"),
    Index("ix_registry_rows_stage", "stage"),
    Index("ix_registry_rows_activeness", "activeness"),
    Index("ix_registry_rows_decade", "decade"),
)

# The public row as JSON (projections.registry_row.public_row), read for a page's rows only.
registry_data = Table(
    "registry_data",
    metadata,
    Column("stream", String(80), primary_key=True),
    Column("data", Text, nullable=False),
)

# Partnerships not listed: withheld (changes_on None: until an event), or registered later.
registry_waiting = Table(
    "registry_waiting",
    metadata,
    Column("stream", String(80), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("changes_on", Date, index=True),
)

registry_fields = Table(
    "registry_fields",
    metadata,
    Column("stream", String(80), nullable=False, index=True),
    Column("field_key", Text, nullable=False),
    Index("ix_registry_fields_field", "field_key", "stream"),
)

# The words a search finds a partnership by (names, province, country and its names, fields),
# casefolded: a search asks for rows with a word starting with each of its words, by the index.
registry_words = Table(
    "registry_words",
    metadata,
    Column("stream", String(80), nullable=False, index=True),
    Column("word", Text, nullable=False),
    Index("ix_registry_words_word", "word", "stream"),
)

registry_mark = Table(
    "registry_mark",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),  # events up to here are in the rows
    Column("day", Date),  # the day the rows were worked out for
    Column("fingerprint", String(64), nullable=False),  # of the rules and versions they were worked out with
)
