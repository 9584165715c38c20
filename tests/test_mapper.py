"""The mapper's contract: stable names, stored text as given, upcasters for older schema versions."""

import json
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from events import mapper
from events.database import is_sqlite
from tests.helpers import activity, registered

STREAM = "kota-bandung-seoul"


def test_an_upcaster_brings_an_older_stored_event_up_to_the_current_schema(store, monkeypatch):
    store.append([registered()])
    # A row as a (hypothetical) schema 0 wrote it: the activity kind was called "type" then.
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO events (position, id, stream, version, type, occurred_on, precision, data, meta,"
                " recorded_at, schema_version) VALUES (2, '00000000-0000-4000-8000-000000000002', :stream, 2,"
                " 'ActivityLogged', :day, 'day', :data, '{}', :at, 0)"
            ).bindparams(sa.bindparam("day", type_=sa.Date), sa.bindparam("at", type_=sa.DateTime(timezone=True))),
            {
                "stream": STREAM,
                "day": date(2020, 1, 5),
                "at": datetime(2021, 1, 1, tzinfo=timezone.utc),
                "data": json.dumps({"activity_id": "a1", "type": "visit"}),
            },
        )

    def rename_type_to_kind(data: dict) -> tuple[str, dict]:
        data = dict(data)
        data["kind"] = data.pop("type")
        return "ActivityLogged", data

    monkeypatch.setitem(mapper.UPCASTERS, ("ActivityLogged", 0), rename_type_to_kind)
    old = store.read()[1]
    assert (old.type, old.payload.kind, old.data["kind"]) == ("ActivityLogged", "visit", "visit")
    assert store.read_facts()[1].payload.kind == "visit"


def test_sqlite_runs_in_wal_mode(store):
    if not is_sqlite(store.engine):
        pytest.skip("journal modes are SQLite's; PostgreSQL has its own write-ahead log")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_an_exported_line_carries_what_the_store_assigned(store, clock):
    stored = store.append([registered(), activity("2019", kind="festival")]).events[1]
    line = json.loads(mapper.encode_line(stored))
    assert (line["position"], line["version"], line["occurred_on"]) == (2, 2, "2019")
    assert line["recorded_at"] == clock.now.isoformat().replace("+00:00", "Z")
    assert set(line) == {"id", "stream", "type", "occurred_on", "data", "meta", "position", "version", "recorded_at"}
