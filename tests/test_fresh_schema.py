"""A new SQLite file built from service/migrations/fresh-sqlite.sql is the file the migrations build."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from events.database import create_engine
from service import fresh_schema
from service.migrate import head_revision, migrate, migrate_with_alembic

pytestmark = pytest.mark.store  # SQLite files of their own

REGENERATE = "the migrations changed: run `.venv/bin/python -m service.migrate` and commit the script"


def _built(path: Path, build) -> Path:
    engine = create_engine(f"sqlite:///{path}")
    try:
        build(engine)
    finally:
        engine.dispose()
    return path


def _everything(path: Path) -> tuple[list, dict]:
    """The file's schema and every table's rows, the full-text index's own tables included."""
    conn = sqlite3.connect(path)
    try:
        master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        tables = [name for kind, name, _, sql in master if kind == "table" and "VIRTUAL" not in (sql or "")]
        rows = {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in tables}
        return master, rows
    finally:
        conn.close()


def test_the_script_is_what_the_migrations_leave_at_their_head(tmp_path):
    path = _built(tmp_path / "alembic.db", migrate_with_alembic)
    assert fresh_schema.SCRIPT.read_text(encoding="utf-8") == fresh_schema.dump(path, head_revision()), REGENERATE


def test_a_new_file_built_from_the_script_equals_one_the_migrations_built(tmp_path):
    by_alembic = _built(tmp_path / "alembic.db", migrate_with_alembic)
    by_script = _built(tmp_path / "script.db", lambda engine: migrate(engine))
    master, rows = _everything(by_script)
    assert rows["alembic_version"] == [(head_revision(),)]  # built, and stamped at the head
    assert (master, rows) == _everything(by_alembic)


def test_the_full_text_index_of_a_file_built_from_the_script_finds_what_is_written(tmp_path):
    path = _built(tmp_path / "script.db", lambda engine: migrate(engine))
    conn = sqlite3.connect(path)
    try:
        conn.execute(
            "INSERT INTO search_entries (id, stream, kind, item, title, body)"
            " VALUES (7, 'kota-surabaya-busan', 'activity', 'a1', 'Festival Budaya', 'Surabaya dan Busan')"
        )
        assert conn.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH 'busan'").fetchall() == [(7,)]
    finally:
        conn.close()


def test_the_script_is_left_alone_when_stale_or_when_the_file_already_holds_tables(tmp_path):
    path = tmp_path / "pantau.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        assert not fresh_schema.create(engine, "9999_a_later_migration")  # stale: Alembic builds the file
        assert _everything(path)[0] == []
        assert fresh_schema.create(engine, head_revision())
        assert not fresh_schema.create(engine, head_revision())  # another process built it first
        migrate(engine)  # at the head already: nothing to do, nothing refused
    finally:
        engine.dispose()
    assert _everything(path)[1]["alembic_version"] == [(head_revision(),)]


def test_statements_keep_a_trigger_body_whole():
    text = (
        "-- revision: x\n\nCREATE TABLE t (a INTEGER);\n"
        "CREATE TRIGGER t_ai AFTER INSERT ON t\n  BEGIN SELECT 1; SELECT 2; END;\nINSERT INTO t VALUES (1);\n"
    )
    assert fresh_schema.revision_of(text) == "x"
    assert fresh_schema.statements(text) == [
        "CREATE TABLE t (a INTEGER);",
        "CREATE TRIGGER t_ai AFTER INSERT ON t\n  BEGIN SELECT 1; SELECT 2; END;",
        "INSERT INTO t VALUES (1);",
    ]
