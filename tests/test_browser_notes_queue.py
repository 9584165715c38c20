"""The notes queue on a phone: paged, and an accept without a date answered in view, in the note's card."""

from __future__ import annotations

import os
import re

import pytest

from tests.browsing import NEEDS_CHROMIUM, SCREENSHOTS, new_page

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]
PHONE = 390


def shot(page, name: str, tmp_path) -> None:
    """A screenshot into docs/screenshots when asked (PANTAU_SCREENSHOTS=1), else into the tmp dir."""
    folder = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name))


def test_an_accept_without_a_date_shows_its_error_in_view_at_390_px(server, browser, tmp_path):
    page = new_page(browser, width=PHONE)
    page.goto(f"{server.url}/notes/review")
    page.fill("#password", server.token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/notes/review$"))
    assert page.locator("section.note").count() <= 20  # a page of the queue, not all of it
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    # The last card of the page that proposes no date: far down the page, where the person acts.
    card = page.locator("section.note", has=page.locator("p.muted[id^=latest-]")).last
    note_id = card.get_attribute("id")
    card.locator("select[name=kind]").select_option("meeting")
    card.locator("input[name=occurred_on]").fill("")
    card.locator("button:has-text('Terima sebagai kegiatan')").click()
    page.wait_for_url(re.compile(rf".*/notes/.+/accept#{note_id}$"))
    error = page.locator(f"#{note_id} .alert")
    assert "Tanggal wajib diisi" in error.inner_text()
    box = error.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]
    date_input = page.locator(f"#{note_id} input[name=occurred_on]")
    assert date_input.get_attribute("aria-invalid") == "true"
    shot(page, "notes-review-error-390.png", tmp_path)


def test_the_header_search_finds_a_partnership_at_390_px_without_sideways_scrolling(server, browser, tmp_path):
    page = new_page(browser, width=PHONE)
    page.goto(f"{server.url}/matrix")
    page.fill("#password", server.token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/matrix$"))
    page.fill("#find-q", "bandung")
    page.press("#find-q", "Enter")
    page.wait_for_url(re.compile(r".*/search\?q=bandung$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    shot(page, "search-390.png", tmp_path)
    first = page.locator("ol.search-hits li").first
    assert "Bandung" in first.inner_text()
    link = first.locator("a")
    address = link.get_attribute("href")
    assert address.startswith("/partnerships/")
    link.click()
    page.wait_for_url(f"{server.url}{address}")
    box = page.locator("#find-q").bounding_box()
    assert box is not None and box["height"] >= 24  # a target a thumb can hit
