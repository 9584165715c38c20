"""Page sessions live on the server: logout and revocation end them, whatever the browser kept."""

from __future__ import annotations

import pytest

from service.api.session import COOKIE, MAX_AGE
from service.auth import ensure_admin, revoke
from tests.api_fixtures import build
from tests.test_pages import csrf_of, login


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        yield api


def opens(site, cookie: str) -> bool:
    site.client.cookies.clear()
    site.client.cookies.set(COOKIE, cookie)
    return site.client.get("/matrix", follow_redirects=False).status_code == 200


def test_the_old_cookie_no_longer_opens_pages_after_logout(site):
    kept = login(site).cookies[COOKIE]
    csrf = csrf_of(site.client.get("/matrix").text)
    assert site.client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert not opens(site, kept)  # a copy of the cookie taken before logout is dead too


def test_logout_in_one_browser_leaves_another_logged_in(site):
    first = login(site, "seoul").cookies[COOKIE]
    site.client.cookies.clear()
    second = login(site, "seoul").cookies[COOKIE]
    assert opens(site, second)
    csrf = csrf_of(site.client.get("/matrix").text)
    site.client.post("/logout", data={"csrf": csrf})
    assert opens(site, first) and not opens(site, second)


def test_revoking_a_user_ends_their_sessions_even_if_the_token_comes_back(site, clock):
    kept = login(site, "admin").cookies[COOKIE]
    assert opens(site, kept)
    ensure_admin(site.pantau.engine, clock())  # the admin token replaced: old page sessions end with it
    assert not opens(site, kept)
    site.client.cookies.clear()
    seoul = login(site, "seoul").cookies[COOKIE]
    revoke(site.pantau.engine, "seoul", clock())
    assert not opens(site, seoul)


def test_a_session_ends_after_its_maximum_age(site, clock):
    kept = login(site).cookies[COOKIE]
    clock.advance(seconds=MAX_AGE - 60)
    assert opens(site, kept)
    clock.advance(seconds=120)
    assert not opens(site, kept)
