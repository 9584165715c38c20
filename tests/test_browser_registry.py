"""The public registry in Debian's chromium, signed out, at a phone's width: no page scrolls sideways."""

from __future__ import annotations

import json
import os
import urllib.request

import pytest

from tests.browsing import ARGS, CHROMIUM, NEEDS_CHROMIUM, SCREENSHOTS

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

PHONE = 390


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.serve_process import Server

    with Server(tmp_path_factory.mktemp("registry")) as running:  # the sample, seeded
        yield running


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()


PAGES = [
    "/registri",
    "/registri?lang=en",
    "/registri?country=KR&sort=activity",
    "/registri?province=Jawa%20Barat&lang=en",
    "/registri/jabar-gyeongsangbuk-do",
    "/registri/diy-gyeongsangbuk-do?lang=en",
    "/registri?kind=twin",
]


def test_signed_out_at_390_px_the_registry_lists_the_sample_and_nothing_scrolls_sideways(server, browser, tmp_path):
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(f"{server.url}/registri.json") as answer:
        listed = json.load(answer)["partnerships"]
    assert len(listed) == 32
    page = browser.new_context(viewport={"width": PHONE, "height": 900}, locale="id-ID").new_page()
    widths, statuses = {}, {}
    for path in PAGES:
        statuses[path] = page.goto(f"{server.url}{path}").status
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        if path == "/registri":
            assert page.url.endswith("/registri")  # no sign-in asked
            assert page.locator("table.cards tbody tr").count() == 32
            assert "32 kerja sama" in page.locator("p.count").inner_text()
            shown = {a.get_attribute("href").split("/")[-1] for a in page.locator("table.cards tbody td a").all()}
            assert shown == {row["stream"] for row in listed}
            page.screenshot(path=str(shots / "registry-390.png"))
    assert {path: width for path, width in widths.items() if width > PHONE} == {}
    assert {path: code for path, code in statuses.items() if code != 200} == {"/registri?kind=twin": 400}
    # The filter form works by hand too: Korea's 30 of them.
    page.goto(f"{server.url}/registri")
    page.fill("input[name=country]", "KR")
    page.click("form.registry-filters button[type=submit]")
    assert "30 kerja sama" in page.locator("p.count").inner_text()
    page.context.close()
