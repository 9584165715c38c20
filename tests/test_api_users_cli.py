"""`pantau users`: the token is printed once on the last line, only its hash is kept, revoke works."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from events.database import create_engine
from notifications import outbox as outbox_store
from service.auth import authenticate, hash_token, users
from service.cli import app
from service.passwords import check

pytestmark = pytest.mark.service


@pytest.fixture
def run(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'users.db'}"
    monkeypatch.setenv("PANTAU_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    engine = create_engine(url)
    yield (lambda *args, input=None: runner.invoke(app, list(args), input=input)), engine
    engine.dispose()


def runner_input(invoke, args: list[str], stdin: str):
    return invoke(*args, input=stdin)


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


def test_add_with_an_email_queues_an_invitation_and_still_prints_the_token_last(run):
    invoke, engine = run
    result = invoke(
        "users",
        "add",
        "--name",
        "Putri",
        "--role",
        "regional",
        "--region",
        "jawa barat",
        "--email",
        "putri@jabar.example",
    )
    assert result.exit_code == 0, result.output
    assert authenticate(engine, result.output.strip().splitlines()[-1]).region == "Jawa Barat"
    [queued] = outbox_store.list_messages(engine)
    assert queued["rule"] == "invite" and queued["to"] == ["putri@jabar.example"] and queued["state"] == "queued"


def test_set_password_reads_standard_input_and_the_person_signs_in_with_it(run):
    invoke, engine = run
    invoke("users", "add", "--name", "Putri", "--role", "viewer")
    result = runner_input(invoke, ["users", "set-password", "PUTRI", "--password-stdin"], "teh manis hangat\n")
    assert result.exit_code == 0, result.output
    assert check(engine, "putri", "teh manis hangat").name == "Putri"
    assert check(engine, "putri", "teh manis hangat\n") is None  # the line's end is not part of it


@pytest.mark.parametrize(
    "args, stdin, reason",
    [
        (["users", "set-password", "Putri"], "", "--password-stdin"),
        (["users", "set-password", "Putri", "--password-stdin"], "pendek\n", "--password"),
        (["users", "set-password", "nobody", "--password-stdin"], "teh manis hangat\n", "no such active user"),
        (["users", "set-password", "Put\x00ri", "--password-stdin"], "teh manis hangat\n", "no such active user"),
    ],
)
def test_set_password_refusals_exit_2_naming_why(run, args, stdin, reason):
    invoke, engine = run
    invoke("users", "add", "--name", "Putri", "--role", "viewer")
    result = runner_input(invoke, args, stdin)
    assert result.exit_code == 2 and reason in result.output
    assert check(engine, "putri", "teh manis hangat") is None


@pytest.mark.parametrize(
    "args, reason",
    [
        (["--name", "ADMIN", "--role", "viewer"], "--name: a user named 'ADMIN' already exists"),
        (["--name", "admin\u200b", "--role", "viewer"], "--name: contains an invisible format character (U+200B"),
        (["--name", "admin\x01", "--role", "viewer"], "--name: contains a control character (U+0001"),
        (["--name", "x", "--role", "desk", "--desk", "../../etc"], "--desk: '../../etc' is not a desk"),
        (["--name", "x", "--role", "regional", "--region", "Atlantis"], "--region: 'Atlantis' is not a known province"),
        (["--name", "x", "--role", "viewer", "--email", "a,b@x.example"], "--email:"),
        (["--name", "x", "--role", "viewer", "--language", "fr"], "--language"),
    ],
)
def test_names_desks_and_regions_are_refused_by_class_with_exit_2(run, args, reason):
    invoke, engine = run
    invoke("users", "add", "--name", "admin", "--role", "admin")
    result = invoke("users", "add", *args)
    assert result.exit_code == 2 and reason in result.output, result.output
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(users)).scalar() == 1
