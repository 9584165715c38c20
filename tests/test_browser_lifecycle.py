"""A real browser on the drafts and report pages: open a draft, return it, find it on the desk's pipeline."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.browsing import NEEDS_CHROMIUM

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]


def test_open_a_draft_record_a_return_and_see_it_marked_on_the_pipeline(server, page):
    today = datetime.now(UTC).date().isoformat()  # the server's today is never behind UTC's
    page.goto(f"{server.url}/partnerships/kota-bandung-seoul")
    page.fill("#password", server.token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/partnerships/kota-bandung-seoul$"))

    page.click("text=Prakarsa rancangan baru")
    page.fill("#occurred_on", "31/02/2026")
    page.click("button:has-text('Simpan')")
    assert "31/02/2026 tidak ada" in page.locator("#err-occurred_on").inner_text()  # said beside the field
    page.fill("#occurred_on", today)
    page.fill("#draft_id", "mou-2026-draft")
    page.select_option("#document", "MoU")
    page.fill("#title", "MoU kota cerdas")
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(r".*/partnerships/kota-bandung-seoul\?saved=.*"))
    drafts = page.locator("#drafts")
    assert "MoU kota cerdas" in drafts.inner_text() and "mou-2026-draft" not in drafts.inner_text()  # named, not by id

    page.click("#drafts >> text=Catat tahapan")
    page.fill("#occurred_on", today)
    page.select_option("#step", "kajian")
    page.select_option("#outcome", "returned")
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(r".*/partnerships/kota-bandung-seoul\?saved=.*"))

    page.click("header nav >> text=Rancangan")
    page.wait_for_url(re.compile(r".*/pipeline$"))
    row = page.locator('tr[data-draft="mou-2026-draft"]')
    assert "returned" in row.get_attribute("class")
    assert page.locator('[data-waiting-for="kajian"]').count() == 1
    row.locator("summary").click()
    assert "dikembalikan" in row.inner_text()

    page.goto(f"{server.url}/partnerships/kota-bandung-seoul")
    page.locator("#reports a", has_text="Pratinjau").first.click()
    headings = page.locator("article.report h2").all_inner_texts()
    assert headings[0] == "1. Judul" and headings[-1] == "9. Analisis Rencana Tindak Lanjut" and len(headings) == 9
