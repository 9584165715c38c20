"""What the browser tests share: Debian's chromium, its flags, and signing in through the login page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent.parent / "docs" / "screenshots"
# Without the background-networking flags chromium keeps dialling Google's hosts on a closed network.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser test skipped: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run does it)",
)


def new_page(browser, width: int = 1200):
    """A fresh page of its own context, `width` pixels wide, in Indonesian."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    return context.new_page()


def log_in(page, url: str, token: str) -> None:
    """Sign in with a token through the login page and wait for the matrix."""
    page.goto(f"{url}/login")
    page.fill("#password", token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/matrix$"))
