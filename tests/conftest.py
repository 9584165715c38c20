"""Fixtures: every store test runs on SQLite and on PostgreSQL, each in a database of its own."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from events.database import create_engine, normalise_url
from service.bootstrap import bootstrap, migrate
from service.settings import Settings
from tests.smtp import SmtpServer

PG_URL = os.environ.get("PANTAU_TEST_DATABASE_URL")
DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parent.parent / "service" / "data" / "matrix-2021-12-27.jsonl"


# Test tiers (markers registered in pyproject.toml), so `make test` runs the quick ones first:
# browser drives chromium; service runs the HTTP app, the CLI, processes or a real SMTP exchange;
# store uses a database (on SQLite and PostgreSQL); unit is everything else (pure folds and rules).
BROWSER_FILES = {"test_browser.py", "test_browser_reading.py", "test_browser_registry.py"}
SERVICE_FILES = {
    "test_api.py",
    "test_api_notifications.py",
    "test_api_roles.py",
    "test_api_users_cli.py",
    "test_cli.py",
    "test_fuzz.py",
    "test_outbox_cli.py",
    "test_outbox_kill.py",
    "test_pages.py",
    "test_scheduler.py",
    "test_sender.py",
    "test_sender_tls.py",
    "test_serve_workers.py",
    "test_two_hosts.py",
    "test_pages_reading.py",
    "test_demo.py",
    "test_registry.py",
}
DATABASE_FIXTURES = {"database", "engine", "pantau", "store", "pg_database", "pantau_pg"}


def tier(file_name: str, fixtures: set[str]) -> str:
    """The tier of a test: by its file for browser and service tests, else by whether it uses a database."""
    if file_name in BROWSER_FILES:
        return "browser"
    if file_name in SERVICE_FILES:
        return "service"
    return "store" if fixtures & DATABASE_FIXTURES else "unit"


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(tier(item.path.name, set(getattr(item, "fixturenames", ()))))


def pytest_configure(config):
    if PG_URL:
        # CI sets the variable: an unreachable PostgreSQL must fail the run, not skip it.
        try:
            with sa.create_engine(normalise_url(PG_URL)).connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - any failure to connect ends the run
            raise pytest.UsageError(f"PANTAU_TEST_DATABASE_URL={PG_URL} is unreachable: {exc}") from exc


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _pg_schema_url() -> tuple[str, str]:
    return normalise_url(PG_URL), f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def pg_database():
    """A PostgreSQL schema of this test's own, dropped afterwards; yields (url, connect_args)."""
    if not PG_URL:
        pytest.skip(
            "PostgreSQL tests skipped: PANTAU_TEST_DATABASE_URL is not set (CI sets it; "
            "e.g. PANTAU_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test make test)"
        )
    url, schema = _pg_schema_url()
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url, {"options": f"-csearch_path={schema}"}, schema
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """(url, connect_args) of an empty, migrated database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pantau.db'}"
        yield url, {}
    else:
        pg = request.getfixturevalue("pg_database")
        yield pg[0], pg[1]


@pytest.fixture
def engine(database):
    url, connect_args = database
    engine = create_engine(url, connect_args=connect_args) if connect_args else create_engine(url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pantau(engine, clock, database):
    """The application wired on the test database, with a hand-moved clock."""
    return bootstrap(Settings(database_url=database[0]), clock=clock, engine=engine, migrate_schema=False)


@pytest.fixture
def store(pantau):
    return pantau.store


@pytest.fixture
def smtp_server():
    """A running SMTP server on loopback."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server():
    """An SMTP server on a port where nothing listens yet (start it to bring it back)."""
    server = SmtpServer()
    yield server
    server.stop()
