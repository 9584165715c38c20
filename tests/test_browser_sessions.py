"""Sessions in Debian's chromium against a real `pantau serve`: Keluar and a revocation end them on the server."""

from __future__ import annotations

import re

import pytest

from tests.browsing import NEEDS_CHROMIUM, log_in, new_page

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

COOKIE = "pantau_session"


def _session_cookie(page) -> dict:
    [cookie] = [c for c in page.context.cookies() if c["name"] == COOKIE]
    return cookie


def _opens_the_matrix_with(browser, server, cookie: dict) -> bool:
    """Whether a fresh browser holding only `cookie` is shown the matrix (not sent to the login)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="id-ID")
    try:
        context.add_cookies([cookie])
        page = context.new_page()
        page.goto(f"{server.url}/matrix")
        return re.search(r"/matrix$", page.url) is not None and page.locator("table.matrix").count() == 1
    finally:
        context.close()


def test_after_keluar_the_old_session_cookie_no_longer_opens_the_matrix(server, browser):
    page = new_page(browser)
    log_in(page, server.url, server.token)
    kept = _session_cookie(page)
    assert _opens_the_matrix_with(browser, server, kept)  # a copy of the cookie works while logged in

    page.click("header button:has-text('Keluar')")
    page.wait_for_url(re.compile(r".*/login$"))
    page.goto(f"{server.url}/matrix")
    assert "/login?next=" in page.url
    # The server ended the session: the cookie as it was before Keluar, sent again, is refused too.
    assert not _opens_the_matrix_with(browser, server, kept)


def test_revoking_a_user_ends_their_open_sessions(server, browser):
    admin = new_page(browser)
    log_in(admin, server.url, server.token)
    admin.goto(f"{server.url}/users")
    admin.fill("#name", "pembaca@example.go.id")
    admin.select_option("#role", "viewer")
    admin.click("button:has-text('Tambah pengguna')")
    token = admin.locator("p.token").inner_text().strip()

    viewer = new_page(browser)
    log_in(viewer, server.url, token)
    kept = _session_cookie(viewer)
    viewer.goto(f"{server.url}/partnerships/kota-bandung-seoul")
    assert viewer.locator("h1").count() == 1 and "/login" not in viewer.url

    admin.goto(f"{server.url}/users")
    admin.locator("tr[data-name='pembaca@example.go.id'] button:has-text('Cabut')").click()
    assert "dicabut" in admin.locator("[role=status]").inner_text()

    # The viewer's open page, reloaded, is sent to the login; the old cookie opens nothing anywhere.
    viewer.reload()
    assert "/login?next=" in viewer.url
    assert not _opens_the_matrix_with(browser, server, kept)
    # The administrator's own session goes on.
    admin.goto(f"{server.url}/matrix")
    assert admin.locator("table.matrix").count() == 1
