"""The dashboard in Debian's chromium at a phone's width: no sideways scroll, each chart with its table."""

from __future__ import annotations

import os
import re

import pytest

from tests.browsing import NEEDS_CHROMIUM, SCREENSHOTS

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

PHONE = 390


def _phone(browser, server):
    context = browser.new_context(viewport={"width": PHONE, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("#password", server.token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/matrix$"))
    return page


def test_the_dashboard_fits_a_phone_with_each_chart_beside_its_table(server, browser):
    page = _phone(browser, server)
    page.click("header.top nav >> text=Dasbor")  # the navigation's link, in Indonesian
    page.wait_for_url(re.compile(r".*/dasbor$"))
    assert page.locator("h1").inner_text().startswith("Dasbor kerja sama")
    year_ends = page.locator("#year-ends")
    assert year_ends.locator("svg.dash-chart").count() == 1 and year_ends.locator("svg rect").count() > 10
    assert page.locator("#year-ends-table tbody tr[data-year]").count() > 10
    # Chart and table both shown, each within the phone's width.
    chart = year_ends.locator("svg.dash-chart").bounding_box()
    table = page.locator("#year-ends-table").bounding_box()
    assert chart["width"] > PHONE / 2 and chart["x"] + chart["width"] <= PHONE
    assert table["height"] > 0 and table["x"] + table["width"] <= PHONE
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    # The table's seven columns fit too: none of its numbers hides in a box scrolled sideways.
    assert page.evaluate("(t => t.scrollWidth <= t.clientWidth)(document.querySelector('#year-ends-table'))")
    if os.environ.get("PANTAU_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "dashboard-390.png"), full_page=True)
    page.goto(f"{server.url}/dasbor?lang=en&desk=kbri-seoul")
    assert "Partnerships by status at each year end" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    for section in ("#ending", "#drafts", "#activities", "#countries", "#plan"):
        assert page.locator(section).count() == 1, section
    page.context.close()
