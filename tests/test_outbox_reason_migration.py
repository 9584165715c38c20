"""Migration 0013_outbox_reason_codes: rows from before keep their text; the no-recipient reason gets its code."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from notifications import outbox as outbox_store
from notifications.outbox import NO_RECIPIENT
from tests.helpers import migrate_to

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _row(key: str, state: str, last_error: str) -> dict:
    return {
        **dict.fromkeys(("stream", "desk"), None),
        "key": key,
        "alert_key": key,
        "rule": "renewal",
        "day": date(2026, 11, 1),
        "language": "id",
        "to_addrs": "[]",
        "cc_addrs": "[]",
        "subject": "MoU berakhir",
        "body_text": "Isi",
        "body_html": "<p>Isi</p>",
        "message_id": f"<{key}@pantau.local>",
        "state": state,
        "attempts": 1,
        "last_error": last_error,
        "created_at": NOW,
    }


def test_reasons_stored_before_codes_keep_their_text_and_only_the_exact_no_recipient_text_is_coded(engine):
    migrate_to(engine, "downgrade", "0012_search")
    assert "last_error_code" not in {c["name"] for c in sa.inspect(engine).get_columns("outbox")}
    table = sa.table("outbox", *(sa.column(name) for name in _row("k", "s", "e")))
    with engine.begin() as conn:
        conn.execute(table.insert().values(_row("old:550", "failed", "550 5.1.1 no such user")))
        conn.execute(table.insert().values(_row("old:nobody", "undeliverable", NO_RECIPIENT)))
    migrate_to(engine, "upgrade", "head")
    old = outbox_store.get_message(engine, "old:550")
    assert (old["last_error"], old["last_error_code"], old["last_error_params"]) == ("550 5.1.1 no such user", None, {})
    nobody = outbox_store.get_message(engine, "old:nobody")
    assert (nobody["last_error"], nobody["last_error_code"]) == (NO_RECIPIENT, "no_recipient")
