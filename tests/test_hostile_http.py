"""HTTP hardening: security headers everywhere, feed keys kept to their feed, failed logins slowed."""

from __future__ import annotations

import base64
import hashlib
import logging
import re

import pytest

from service.access_log import RedactSecrets, redact
from service.api.guards import _INLINE_SCRIPT
from service.api.throttle import LIMIT, WINDOW
from tests.api_fixtures import build
from tests.test_pages import csrf_of


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    with client.client:
        yield client


def test_every_answer_carries_the_security_headers(api):
    answers = [
        api.get("/api/status"),
        api.client.get("/api/status"),
        api.get("/api/nothing-here"),
        api.client.get("/login"),
        api.client.get("/matrix", follow_redirects=False),
        api.client.get("/static/pantau.css"),
        api.client.get("/healthz"),
        api.client.get("/openapi.json"),
        api.post("/api/events", {"stream": "x"}),
    ]
    for response in answers:
        assert response.headers["X-Frame-Options"] == "DENY", response.request.url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp


def test_the_api_docs_are_open_and_allow_only_their_own_inline_script(api):
    docs = api.client.get("/docs")
    assert docs.status_code == 200 and api.client.get("/openapi.json").status_code == 200
    csp = docs.headers["Content-Security-Policy"]
    # Swagger's start-up is a served file now (/static/swagger-init.js): no inline script at all,
    # and whatever inline script a page might carry would need its hash in the policy.
    scripts = _INLINE_SCRIPT.findall(docs.content)
    assert scripts == [] and "/static/swagger-init.js" in docs.text
    for script in scripts:
        assert f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'" in csp
    assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_a_desk_users_feed_key_opens_that_desks_feed_only(api):
    feeds = api.app.state.feeds
    seoul_user = next(u for u in _users(api) if u.name == "seoul")
    key = feeds.dump(seoul_user.id)
    assert api.client.get(f"/api/calendar/kbri-seoul.ics?key={key}").status_code == 200
    for other in ("kbri-tokyo", "all"):
        refused = api.client.get(f"/api/calendar/{other}.ics?key={key}")
        assert refused.status_code == 403, other
    admin_key = feeds.dump(next(u for u in _users(api) if u.name == "admin").id)
    assert api.client.get(f"/api/calendar/kbri-tokyo.ics?key={admin_key}").status_code == 200
    # a token still reads every feed, as it reads every status
    assert api.get("/api/calendar/kbri-tokyo.ics", who="seoul").status_code == 200


def _users(api):
    from service.auth import list_users

    return list_users(api.pantau.engine)


def test_failed_tokens_from_one_address_are_slowed_with_429_and_retry_after(api, clock):
    bad = {"Authorization": "Bearer guess"}
    for _ in range(LIMIT):
        assert api.client.get("/api/status", headers=bad).status_code == 401
    blocked = api.client.get("/api/status", headers=bad)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) <= WINDOW.total_seconds()
    # a right token from that address waits too: guessing must not learn anything meanwhile
    assert api.get("/api/status").status_code == 429
    assert api.client.get("/api/calendar/all.ics?key=forged").status_code == 429
    clock.advance(seconds=WINDOW.total_seconds() + 1)
    assert api.get("/api/status").status_code == 200


def test_failed_logins_are_slowed_too(api, clock):
    for _ in range(LIMIT):
        page = api.client.get("/login")
        wrong = api.client.post("/login", data={"token": "guess", "csrf": csrf_of(page.text)})
        assert wrong.status_code == 401
    page = api.client.get("/login")
    blocked = api.client.post(
        "/login", data={"token": api.tokens["admin"], "csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert blocked.status_code == 429 and blocked.headers["Retry-After"].isdigit()
    assert "Terlalu banyak percobaan" in blocked.text
    clock.advance(seconds=WINDOW.total_seconds() + 1)
    page = api.client.get("/login")
    ok = api.client.post(
        "/login", data={"token": api.tokens["admin"], "csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert ok.status_code == 303


def test_the_access_log_never_shows_a_feed_key():
    assert (
        redact("/api/calendar/kbri-seoul.ics?key=eyJ1aWQiOjF9.abc&x=1")
        == "/api/calendar/kbri-seoul.ics?key=[redacted]&x=1"
    )
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/calendar/all.ics?key=SECRET", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    assert "SECRET" not in record.getMessage() and "key=[redacted]" in record.getMessage()
    assert re.search(r"all\.ics\?key=\[redacted\]", record.getMessage())
