"""Migration 0003 (users, idempotency keys, the session key) goes down and up again on both databases."""

from __future__ import annotations

import sqlalchemy as sa

from tests.helpers import migrate_to

TABLES = {"users", "idempotency_keys", "app_secrets"}


def test_0003_downgrades_to_0002_and_upgrades_again(engine):
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
    migrate_to(engine, "downgrade", "0002")
    assert not TABLES & set(sa.inspect(engine).get_table_names())
    assert "events" in sa.inspect(engine).get_table_names()
    migrate_to(engine, "upgrade", "head")
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
