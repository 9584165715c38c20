"""Migration 0010_people: users made before it get their compared names; an older look-alike keeps its way in."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from service import passwords
from service.auth import name_taken, revoke
from tests.helpers import migrate_to

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_users_from_before_get_keys_and_look_alikes_made_then_still_sign_in(engine):
    migrate_to(engine, "downgrade", "0008_alert_due")
    assert "password_links" not in sa.inspect(engine).get_table_names()
    users = sa.table("users", *(sa.column(c) for c in ("name", "role", "token_hash", "created_at")))
    with engine.begin() as conn:
        for n, name in enumerate(["admin1", "ADMIN1", "Dewi"]):
            conn.execute(users.insert().values(name=name, role="viewer", token_hash=f"{n:064d}", created_at=NOW))
    migrate_to(engine, "upgrade", "head")
    with engine.connect() as conn:
        keys = dict(conn.execute(sa.text("SELECT name, name_key FROM users")).all())
    assert keys == {"admin1": "admin1", "ADMIN1": None, "Dewi": "dewi"}
    assert name_taken(engine, "Admin1") and name_taken(engine, "DEWI") and not name_taken(engine, "budi")
    passwords.set_password(engine, "ADMIN1", "kata sandi yang panjang", NOW)  # found by its exact name
    assert passwords.check(engine, "ADMIN1", "kata sandi yang panjang").name == "ADMIN1"
    assert passwords.check(engine, "admin1", "kata sandi yang panjang") is None  # the other one
    assert revoke(engine, "ADMIN1", NOW) and passwords.check(engine, "admin1", "x" * 12) is None
