"""The database gone: 503 with Retry-After, never a 500; a read on a dropped pooled connection is retried."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from events.database import create_engine
from service.bootstrap import migrate
from tests.api_fixtures import build
from tests.test_pages import login

STREAM = "kota-bandung-seoul"
NOTE = {"stream": STREAM, "type": "NoteAdded", "occurred_on": "2026-11-01", "data": {"text": "x"}}


class Outage:
    """Refuses every new connection while `down`, as a database that went away does."""

    def __init__(self, engine):
        self.down = False
        self.engine = engine

        @event.listens_for(engine, "do_connect")
        def _connect(dialect, _record, _cargs, _cparams):
            if self.down:
                raise dialect.loaded_dbapi.OperationalError("connection refused (test outage)")

    def start(self) -> None:
        self.down = True
        self.engine.dispose()  # the pooled connections go with the server


@pytest.fixture
def app_name() -> str:
    return f"pantau-outage-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def named_engine(database, app_name):
    """The test database's engine, its PostgreSQL connections named so the test can kill just them."""
    url, connect_args = database
    if connect_args:
        connect_args = {**connect_args, "application_name": app_name}
    engine = create_engine(url, connect_args=connect_args) if connect_args else create_engine(url)
    migrate(engine)
    yield engine
    engine.dispose()


def test_the_database_gone_is_a_503_with_retry_after_for_reads_and_writes(database, named_engine, clock):
    api = build(database, named_engine, clock)
    outage = Outage(named_engine)
    with api.client:
        assert api.get("/api/status").status_code == 200
        login(api)  # a page of a logged-in user reads the database too
        outage.start()
        for response in (
            api.get("/api/status"),
            api.get("/api/matrix?format=json"),
            api.get("/api/matrix?format=csv"),
            api.get(f"/api/partnerships/{STREAM}/events"),
            api.post("/api/events", NOTE),
            api.client.get("/matrix", follow_redirects=False),
        ):
            assert response.status_code == 503, (response.request.url, response.text)
            assert response.headers["Retry-After"].isdigit()
            if response.headers["content-type"].startswith("application/json"):
                assert response.json()["error"]["code"] == "unavailable"
        outage.down = False
        assert api.get("/api/status").status_code == 200
        assert api.post("/api/events", NOTE).status_code == 201


def test_a_read_on_connections_the_server_dropped_is_retried_once(database, named_engine, clock, app_name):
    if not database[1]:
        pytest.skip("pg_terminate_backend is PostgreSQL's; SQLite has no server to drop a connection")
    api = build(database, named_engine, clock)
    admin = sa.create_engine(
        database[0].replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with api.client:
        for _ in range(3):
            assert api.get("/api/status").status_code == 200
            assert api.get(f"/api/partnerships/{STREAM}/events").status_code == 200
            with admin.connect() as conn:
                killed = conn.execute(
                    sa.text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name"
                    ),
                    {"name": app_name},
                ).scalar()
            assert killed >= 1
            # every pooled connection is dead now; the reads still answer
            assert api.get(f"/api/partnerships/{STREAM}/events").status_code == 200
            assert api.get("/api/status").status_code == 200
            assert api.get("/api/matrix").status_code == 200
    admin.dispose()
