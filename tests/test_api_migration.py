"""Migration 0003 (users, idempotency keys, the session key) goes down and up again on both databases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from service.bootstrap import MIGRATIONS

TABLES = {"users", "idempotency_keys", "app_secrets"}


def _alembic(engine, action: str, target: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        conn = conn.execution_options(pantau_write=True)
        config.attributes["connection"] = conn
        getattr(command, action)(config, target)
        conn.commit()


def test_0003_downgrades_to_0002_and_upgrades_again(engine):
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
    _alembic(engine, "downgrade", "0002")
    assert not TABLES & set(sa.inspect(engine).get_table_names())
    assert "events" in sa.inspect(engine).get_table_names()
    _alembic(engine, "upgrade", "head")
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
