"""The schema brought up to date: a new SQLite file from one script, any other database by Alembic.

`python -m service.migrate` writes that script again (service/fresh_schema.py says why it exists).
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from service import fresh_schema

MIGRATIONS = Path(__file__).parent / "migrations"


def head_revision() -> str | None:
    """The one head of the migration scripts, read from their text (None when there are several)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        revision = re.search(r"^revision\b[^=]*=\s*['\"]([^'\"]+)", text, re.MULTILINE)
        down = re.search(r"^down_revision\b[^=]*=(.*)$", text, re.MULTILINE)
        if revision is None or down is None:
            return None  # a script this reading does not understand: let Alembic decide
        revisions.add(revision.group(1))
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _up_to_date(engine: Engine) -> bool:
    """Whether the database already stands at the scripts' head (one cheap query, no Alembic)."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            stamped = [row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    except DBAPIError:  # no alembic_version table yet: a new database
        return False
    return stamped == [head]


def migrate(engine: Engine) -> None:
    """Bring the database schema up to date: a new SQLite file from one script, else with Alembic."""
    # Loading Alembic (and Mako, and its script directory) took the larger part of a command's
    # start-up; a database already at the head needs none of it, a new SQLite file only its script.
    if _up_to_date(engine) or fresh_schema.create(engine, head_revision()):
        return
    migrate_with_alembic(engine)


def migrate_with_alembic(engine: Engine) -> None:
    """Run the migration scripts the database has not had yet."""
    from alembic import command  # Alembic loads Mako and its script directory: only when migrating
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        conn = conn.execution_options(pantau_write=True)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()


def write_fresh_script() -> Path:
    """Migrate a new SQLite file with Alembic and write what it holds as the fresh-file script."""
    from events.database import create_engine

    head = head_revision()
    if head is None:
        raise SystemExit("the migrations have no single head: no script written")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fresh.db"
        engine = create_engine(f"sqlite:///{path}")
        try:
            migrate_with_alembic(engine)
        finally:
            engine.dispose()
        fresh_schema.SCRIPT.write_text(fresh_schema.dump(path, head), encoding="utf-8")
    return fresh_schema.SCRIPT


if __name__ == "__main__":
    print(f"written: {write_fresh_script()}", file=sys.stderr)
