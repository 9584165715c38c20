"""A person invited by mail signs in with a name and a password, in Debian's chromium against `pantau serve`."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browsing import NEEDS_CHROMIUM
from tests.serve_process import Server, pantau
from tests.smtp import SmtpServer

BASE = "https://pantau.example.go.id"
SCREENSHOTS = Path(__file__).parent.parent / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]


@pytest.fixture
def mail():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def served(tmp_path, mail):
    env = {"PANTAU_SMTP_URL": f"smtp://127.0.0.1:{mail.port}", "PANTAU_BASE_URL": BASE}
    with Server(tmp_path, extra_env=env) as running:
        yield running


def _page(browser, width: int):
    return browser.new_context(viewport={"width": width, "height": 844}, locale="id-ID").new_page()


@pytest.mark.parametrize("width", [390])
def test_an_invited_person_sets_a_password_from_the_mail_and_signs_in_with_it(served, mail, browser, width, tmp_path):
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path  # docs/screenshots when asked
    admin = _page(browser, 1280)
    admin.goto(f"{served.url}/login")
    admin.fill("#password", served.token)  # the first admin, before any password: its token, no name
    admin.click("button[type=submit]")
    admin.wait_for_url(re.compile(r".*/matrix$"))
    admin.goto(f"{served.url}/users")
    admin.fill("#name", "Dewi Lestari")
    admin.select_option("#role", "desk")
    assert admin.locator("#desk").evaluate("e => e.tagName") == "SELECT"  # chosen, never typed
    admin.select_option("#desk", "kbri-seoul")
    admin.fill("#email", "dewi@kbri-seoul.example")
    admin.screenshot(path=str(shots / "users-invite.png"), full_page=True)
    admin.click("button:has-text('Tambah pengguna')")
    assert "Undangan untuk Dewi Lestari" in admin.locator("main").inner_text()

    phone = _page(browser, 390)
    phone.context.add_cookies(admin.context.cookies())
    phone.goto(f"{served.url}/users")
    assert "belum membuat kata sandi" in phone.locator("tr[data-name='Dewi Lestari']").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(shots / "users-390.png"), full_page=True)

    pantau(["outbox", "send"], served.env, served.workdir)
    [invitation] = mail.parsed()
    link = re.search(re.escape(BASE) + r"/password/\S+", invitation.get_body(("plain",)).get_content()).group()

    person = _page(browser, width)
    person.goto(served.url + urlsplit(link).path)
    person.screenshot(path=str(shots / "password-set-390.png"), full_page=True)
    person.fill("#password", "kopi tubruk pagi hari")
    person.fill("#password_again", "kopi tubruk pagi hari")
    person.click("button[type=submit]")
    person.wait_for_url(re.compile(r".*/login\?done=password$"))
    assert "Kata sandi sudah disimpan" in person.locator("[role=status]").inner_text()
    assert "`" not in person.locator("main").inner_text()  # no command named for people
    person.screenshot(path=str(shots / "login-390.png"), full_page=True)
    person.fill("#username", "dewi lestari")
    person.fill("#password", "kopi tubruk pagi hari")
    person.click("button[type=submit]")
    person.wait_for_url(re.compile(r".*/matrix$"))
    assert person.evaluate("document.documentElement.scrollWidth") <= width

    again = _page(browser, width)
    again.goto(served.url + urlsplit(link).path)  # used once: opens nothing now
    assert "tidak berlaku lagi" in again.locator("[role=alert]").inner_text()
