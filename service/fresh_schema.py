"""A new SQLite file made at the migrations' head in one transaction, without loading Alembic.

On a new file, loading Alembic and running every migration one by one took a quarter of a
second, a sixth of `pantau import`'s whole start-up (bench/append.py --registry). The script
`service/migrations/fresh-sqlite.sql` is what those migrations leave behind (tables, indexes,
triggers and their first rows), written from them by `python -m service.migrate`; the
migrations stay the one declaration of the schema and tests/test_fresh_schema.py holds the two
equal. The script is used only on a file that holds no table yet and only while its revision is
the head: a new migration makes it stale, and stale it is ignored (Alembic builds the file).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

SCRIPT = Path(__file__).parent / "migrations" / "fresh-sqlite.sql"
_REVISION = "-- revision: "


def revision_of(text: str) -> str | None:
    """The revision a script was written at, from its first line (None when it names none)."""
    first = text.split("\n", 1)[0]
    return first[len(_REVISION) :].strip() if first.startswith(_REVISION) else None


def statements(text: str) -> list[str]:
    """The script's SQL statements, a trigger's body kept whole (sqlite3 tells where one ends)."""
    out: list[str] = []
    pending = ""
    for line in text.splitlines(keepends=True):
        if not pending and (not line.strip() or line.startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"{SCRIPT.name} ends inside a statement: {pending.strip()[:80]!r}")
    return out


def create(engine: Engine, head: str | None) -> bool:
    """Build an empty SQLite database at `head` from the script; False when the script does not apply."""
    if engine.dialect.name != "sqlite" or head is None or not SCRIPT.exists():
        return False
    text = SCRIPT.read_text(encoding="utf-8")
    if revision_of(text) != head:
        return False
    with engine.connect() as conn:
        conn = conn.execution_options(pantau_write=True)  # BEGIN IMMEDIATE: one builder at a time
        # Another process may have built the file while this one waited for the write lock.
        if conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one():
            conn.rollback()
            return False
        for statement in statements(text):
            conn.exec_driver_sql(statement)
        conn.commit()
    return True


def _quoted(conn: sqlite3.Connection, value: object) -> str:
    return conn.execute("SELECT quote(?)", (value,)).fetchone()[0]


def dump(path: Path, revision: str) -> str:
    """The script of the SQLite file at `path`: its schema in a safe order, then its rows."""
    conn = sqlite3.connect(path)
    try:
        master = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        ).fetchall()
        virtual = [name for kind, name, sql in master if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")]

        def shadow(name: str) -> bool:  # made by its virtual table's own CREATE, rows included
            return any(name.startswith(f"{v}_") for v in virtual)

        order = {"table": 0, "index": 1, "view": 2, "trigger": 3}
        kept = sorted(
            ((kind, name, sql) for kind, name, sql in master if not shadow(name)),
            key=lambda row: (order[row[0]], row[1] not in virtual),
        )
        lines = [f"{_REVISION}{revision}", "-- Written by `python -m service.migrate`: do not edit by hand.", ""]
        lines += [f"{sql};" for _, _, sql in kept]
        for kind, name, _ in kept:
            if kind != "table" or name in virtual:
                continue
            for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):
                values = ", ".join(_quoted(conn, value) for value in row)
                lines.append(f'INSERT INTO "{name}" VALUES ({values});')
        return "\n".join(lines) + "\n"
    finally:
        conn.close()
