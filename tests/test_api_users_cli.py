"""`pantau users`: the token is printed once on the last line, only its hash is kept, revoke works."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from events.database import create_engine
from service.auth import authenticate, hash_token, users
from service.cli import app

pytestmark = pytest.mark.service


@pytest.fixture
def run(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'users.db'}"
    monkeypatch.setenv("PANTAU_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    engine = create_engine(url)
    yield (lambda *args: runner.invoke(app, list(args))), engine
    engine.dispose()


def test_add_prints_the_token_on_the_last_line_and_keeps_only_its_hash(run):
    invoke, engine = run
    result = invoke("users", "add", "--name", "putri@jabarprov.go.id", "--role", "regional", "--region", "Jawa Barat")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    user = authenticate(engine, token)
    assert (user.name, user.role, user.region) == ("putri@jabarprov.go.id", "regional", "Jawa Barat")
    with engine.connect() as conn:
        stored = conn.execute(sa.select(users.c.token_hash)).scalar_one()
    assert stored == hash_token(token) and token not in stored
    listed = invoke("users", "list").output
    assert "putri@jabarprov.go.id\tregional\tJawa Barat\tactive" in listed
    assert invoke("users", "revoke", "putri@jabarprov.go.id").exit_code == 0
    assert authenticate(engine, token) is None
    assert "revoked" in invoke("users", "list").output
    assert invoke("users", "revoke", "putri@jabarprov.go.id").exit_code == 2


@pytest.mark.parametrize(
    "args, reason",
    [
        (["--name", "x", "--role", "boss"], "--role"),
        (["--name", "x", "--role", "desk"], "--desk"),
        (["--name", "x", "--role", "regional"], "--region"),
    ],
)
def test_bad_users_are_refused_with_exit_2_naming_the_option(run, args, reason):
    invoke, _ = run
    result = invoke("users", "add", *args)
    assert result.exit_code == 2 and reason in result.output


def test_ensure_admin_gives_a_fresh_token_and_retires_the_old_one(run):
    invoke, engine = run
    first = invoke("users", "ensure-admin").output.strip().splitlines()[-1]
    second = invoke("users", "ensure-admin").output.strip().splitlines()[-1]
    assert authenticate(engine, first) is None
    assert authenticate(engine, second).role == "admin"
