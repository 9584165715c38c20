"""Answers keep their headers: a 500 inside the security headers saying `Connection: close`,
/readyz's 503 and a stale idempotency key's 409 saying when to come back (`Retry-After`)."""

from __future__ import annotations

import ast
import inspect
import logging
import textwrap

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from service.api import guards
from service.idempotency import STALE
from tests.api_fixtures import build

NOTE = {"stream": "kota-bandung-seoul", "type": "NoteAdded", "occurred_on": "2021-12-01", "data": {"text": "Rapat"}}


@pytest.fixture
def api(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        yield api


def _has_security_headers(answer) -> None:
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/api/broken", "/broken-page"])
def test_a_500_carries_the_security_headers_and_says_the_connection_closes(api, caplog, path):
    def broken():
        raise RuntimeError("a bug")

    api.app.router.add_api_route(path, broken)
    with caplog.at_level(logging.ERROR, logger="pantau.api"):
        answer = TestClient(api.app, raise_server_exceptions=False).get(path)
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal" and "a bug" not in answer.text
    assert answer.headers["Connection"] == "close"
    _has_security_headers(answer)
    logged = [r for r in caplog.records if r.getMessage().startswith("unexpected error")]
    assert len(logged) == 1 and logged[0].exc_info is not None


def test_every_refusal_the_guards_make_carries_the_security_headers(api):
    too_big = api.client.post("/api/events", content=b"x", headers={**api.headers(), "Content-Length": "99999999999"})
    assert too_big.status_code == 413 and too_big.headers["Connection"] == "close"
    _has_security_headers(too_big)
    for length in ("²", "١٢", "12 ", "+1"):
        bad = api.client.post("/api/events", content=b"", headers={**api.headers(), "Content-Length": length.encode()})
        assert bad.status_code == 400, length
        _has_security_headers(bad)


@pytest.mark.parametrize(
    "failure",
    [sa.exc.OperationalError("SELECT 1", {}, Exception("gone")), RuntimeError("a projection broke")],
    ids=["database", "projection"],
)
def test_readyz_503_says_when_to_ask_again(api, monkeypatch, failure):
    def failing(_pantau):
        raise failure

    monkeypatch.setattr("service.api.health.catch_up", failing)
    answer = api.get("/readyz")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == guards.RETRY_AFTER
    _has_security_headers(answer)


def test_readyz_503_while_catching_up_says_when_to_ask_again(api, monkeypatch):
    monkeypatch.setattr("service.api.health.catch_up", lambda _pantau: None)
    monkeypatch.setattr(api.pantau.runner, "checkpoint", lambda: 0)
    answer = api.get("/readyz")
    assert answer.status_code == 503 and answer.json()["status"] == "catching_up"
    assert answer.headers["Retry-After"] == guards.RETRY_AFTER
    assert "Retry-After" not in api.client.get("/healthz").headers


def test_a_key_left_by_a_stopped_process_answers_409_saying_when_it_may_be_retried(api, clock, monkeypatch):
    import service.api.recording as recording

    # The first request's process stops mid-write: its claim stays pending, nobody releases it.
    monkeypatch.setattr(recording.idempotency, "release", lambda *_: None)
    real_append = recording._append

    def stopped(*_args, **_kwargs):
        raise RuntimeError("killed mid-request")

    monkeypatch.setattr(recording, "_append", stopped)
    monkeypatch.setattr(recording, "CLAIM_WAIT", 0.05)  # the retry waits this long for the first answer
    key = {"Idempotency-Key": "killed-1"}
    assert (
        TestClient(api.app, raise_server_exceptions=False)
        .post("/api/events", json=NOTE, headers={**api.headers(), **key})
        .status_code
        == 500
    )
    monkeypatch.setattr(recording, "_append", real_append)

    clock.advance(seconds=30)
    blocked = api.post("/api/events", NOTE, headers=key)
    assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "idempotency_key_in_use"
    wait = int(blocked.headers["Retry-After"])
    assert wait == STALE.total_seconds() - 30
    assert f"retry in {wait} s" in blocked.json()["error"]["message"]
    clock.advance(seconds=wait - 1)
    assert api.post("/api/events", NOTE, headers=key).headers["Retry-After"] == "1"
    clock.advance(seconds=1)
    retried = api.post("/api/events", NOTE, headers=key)
    assert retried.status_code == 201, retried.text


def test_each_guard_is_one_small_piece():
    for piece in (guards.SecurityHeaders, guards.ServerError, guards.BodyLimit, guards.DatabaseOutage):
        source = textwrap.dedent(inspect.getsource(piece.__call__))
        function = ast.parse(source).body[0]
        assert function.end_lineno - function.lineno + 1 < 60, piece.__name__
