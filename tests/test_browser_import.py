"""The /import page in Debian's chromium at a phone's width: upload, a readable preview, progress, confirm."""

from __future__ import annotations

import os
import re

import pytest

from tests.browsing import ARGS, CHROMIUM, NEEDS_CHROMIUM, SCREENSHOTS
from tests.conftest import DATA

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

PHONE = 390


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from service.demo import DEMO_RULES
    from tests.serve_process import Server

    with Server(tmp_path_factory.mktemp("import"), seed=False, extra_env={"PANTAU_RULES": str(DEMO_RULES)}) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


def test_a_desk_matrix_is_previewed_and_recorded_on_a_phone(server, browser, tmp_path):
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": PHONE, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("#password", server.token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/matrix$"))
    page.click("text=Impor matriks")
    page.wait_for_url(re.compile(r".*/import$"))
    # The progress line shows and the button is held while the file is sent (the send stopped here).
    shown = page.evaluate(
        """() => { const form = document.querySelector('form[data-progress]');
                   form.dispatchEvent(new Event('submit', {cancelable: true}));
                   return [document.getElementById('reading').hidden, form.querySelector('button').disabled]; }"""
    )
    assert shown == [False, True]
    page.reload()
    page.set_input_files("input[type=file]", str(DATA / "matriks-astim-2021-12-27.docx"))
    page.click("form[data-progress=reading] button[type=submit]")
    page.wait_for_selector("#preview")
    assert page.locator("#preview tbody tr").count() == 32
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.screenshot(path=str(shots / "import-preview-390.png"))
    page.click("form[data-progress=saving] button[type=submit]")
    page.wait_for_selector("p.ok")
    assert "peristiwa dicatat" in page.inner_text("p.ok")
    page.goto(f"{server.url}/matrix?desk=kbri-seoul")
    assert "Gyeongsangbuk-do" in page.content()
    context.close()
