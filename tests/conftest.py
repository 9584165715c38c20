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
from tests.browsing import ARGS, CHROMIUM
from tests.smtp import SmtpServer

PG_URL = os.environ.get("PANTAU_TEST_DATABASE_URL")
DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parent.parent / "service" / "data" / "matrix-2021-12-27.jsonl"


# Test tiers (markers registered in pyproject.toml), so `make test` runs the quick ones first.
# A test's tier is its own mark (a module's `pytestmark = pytest.mark.service`, say); without
# one, a test that asks for a database is `store` and any other is `unit`. The unit tier must be
# pure, and `_unit_tests_stay_pure` holds it: a unit test that opens a socket, starts a process
# or connects to a database fails, naming what it did, so a misfiled test cannot hide there.
TIERS = ("unit", "store", "service", "browser")
DATABASE_FIXTURES = {"database", "engine", "pantau", "store", "pg_database", "pantau_pg"}


def tier(marks: set[str], fixtures: set[str]) -> str:
    """The tier of a test: its own mark, else `store` when it uses a database, else `unit`."""
    for name in reversed(TIERS):  # the heaviest mark wins when a test carries two
        if name in marks:
            return name
    return "store" if fixtures & DATABASE_FIXTURES else "unit"


def pytest_collection_modifyitems(config, items):
    for item in items:
        marks = {mark.name for mark in item.iter_markers()}
        found = tier(marks, set(getattr(item, "fixturenames", ())))
        if found not in marks:
            item.add_marker(found)


def _refuse(what: str):
    def refuse(*args, **kwargs):
        raise AssertionError(f"a unit test {what}: mark it store, service or browser (tests/conftest.py)")

    return refuse


@pytest.fixture(autouse=True)
def _unit_tests_stay_pure(request, monkeypatch):
    """Refuse sockets, processes and database connections inside the unit tier."""
    if request.node.get_closest_marker("unit") is None:
        yield
        return
    import socket
    import sqlite3
    import subprocess

    import psycopg

    monkeypatch.setattr(socket.socket, "connect", _refuse("opened a socket"))
    monkeypatch.setattr(socket.socket, "bind", _refuse("listened on a socket"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("started a process"))
    # SQLAlchemy reaches SQLite through `sqlite3.dbapi2` (its own name for `connect`) and
    # PostgreSQL through psycopg: each door is closed, not only `sqlite3.connect`.
    for module in (sqlite3, sqlite3.dbapi2, psycopg):
        monkeypatch.setattr(module, "connect", _refuse("connected to a database"))
    yield


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


@pytest.fixture
def site(database, engine, clock):
    """The HTTP app (TestClient) on the test database with the sample and a user of each role."""
    from tests.api_fixtures import build

    api = build(database, engine, clock)
    with api.client:
        yield api


@pytest.fixture
def server(tmp_path):
    """A real `pantau serve` child process on a free port, with the sample loaded."""
    from tests.serve_process import Server

    with Server(tmp_path) as running:
        yield running


@pytest.fixture
def browser():
    """Debian's chromium, driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """One page, 1400 px wide, in Indonesian."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    yield context.new_page()
    context.close()
