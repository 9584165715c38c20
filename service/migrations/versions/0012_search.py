"""search: one search across what staff read, in the database's own full-text search (docs/search.md).

`search_entries` holds one row per thing a person may look for (a partnership, an activity, a
contact, a note, a draft), written beside the read models by service/search_index.py from the
folded states; `search_checkpoint` says how far it has read them. SQLite searches them through
an FTS5 table kept in step by triggers; PostgreSQL through a generated `tsvector` column with the
'simple' configuration (Indonesian has no stemmer there) and a GIN index.

Revision ID: 0012_search
Revises: 0010_people
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_search"
down_revision = "0011_registry"
branch_labels = None
depends_on = None

_SQLITE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 2\")",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
)
_POSTGRESQL = (
    "ALTER TABLE search_entries ADD COLUMN words tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')) STORED",
    "CREATE INDEX ix_search_entries_words ON search_entries USING gin (words)",
)


def upgrade() -> None:
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("stream", sa.String(80), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "search_checkpoint",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("generation", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO search_checkpoint (name, position, generation) VALUES ('search', 0, -1)")
    for statement in _SQLITE if op.get_bind().dialect.name == "sqlite" else _POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    op.drop_table("search_checkpoint")
    op.drop_table("search_entries")
