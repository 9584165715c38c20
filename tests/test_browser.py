"""A real browser (Debian's chromium via Playwright) against a real `pantau serve` with the sample."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import pytest

from tests.browsing import NEEDS_CHROMIUM, SCREENSHOTS

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]


def test_log_in_open_the_matrix_log_an_activity_and_see_the_status_change(server, page, tmp_path):
    # Screenshots go to docs/screenshots when asked (PANTAU_SCREENSHOTS=1), else stay in the tmp dir.
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)

    page.goto(f"{server.url}/matrix")
    assert "/login" in page.url
    page.fill("#password", server.token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/matrix$"))
    assert page.locator("table.matrix tbody tr").count() == 32
    bandung = page.locator("#row-kota-bandung-seoul")
    assert bandung.get_attribute("data-status") == "tidak_aktif"
    page.screenshot(path=str(shots / "matrix.png"), full_page=False)

    bandung.locator("a").first.click()
    page.wait_for_url(re.compile(r".*/partnerships/kota-bandung-seoul$"))
    assert page.locator("#status .badge").first.inner_text() == "Tidak aktif"

    page.click("text=Catat kegiatan")
    page.fill("#occurred_on", "2099-01-01")
    page.fill("#title", "")
    page.click("button:has-text('Simpan')")
    assert page.locator("#err-occurred_on").is_visible()
    assert page.locator("#err-title").inner_text() == "Judul: wajib diisi"  # names the field

    # The server's today is the real one (Asia/Jakarta, never behind UTC): today's UTC date is no future.
    page.fill("#occurred_on", datetime.now(UTC).date().isoformat())
    page.select_option("#kind", "visit")
    page.fill("#title", "Kunjungan delegasi Kota Seoul ke Bandung")
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(r".*/partnerships/kota-bandung-seoul\?saved=.*"))
    assert "Kunjungan delegasi Kota Seoul ke Bandung" in page.locator("#timeline").inner_text()
    assert page.locator("#status .badge").first.inner_text() == "Aktif"
    page.screenshot(path=str(shots / "partnership.png"), full_page=True)

    page.goto(f"{server.url}/matrix")
    assert page.locator("#row-kota-bandung-seoul").get_attribute("data-status") == "aktif"


def test_accept_a_note_of_the_sample_in_one_step_and_read_why_it_is_aktif(server, page):
    page.goto(f"{server.url}/notes/review?stream=kota-bau-bau-seoul")
    page.fill("#password", server.token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/notes/review\?stream=kota-bau-bau-seoul$"))
    scholarship = page.locator("section.note", has_text="Pemberian beasiswa ke Seoul")
    assert "paling lambat" in scholarship.inner_text()  # no date in the text: the page says the latest
    assert scholarship.locator("select[name=kind]").input_value() == "scholarship"
    scholarship.locator("input[name=occurred_on]").fill("2022")  # after the note's own day: refused
    scholarship.locator("button:has-text('Terima sebagai kegiatan')").click()
    assert "saat catatan itu dicatat" in page.locator("section.note .alert").inner_text()  # the bound, named
    scholarship = page.locator("section.note", has_text="Pemberian beasiswa ke Seoul")
    scholarship.locator("input[name=occurred_on]").fill("2021")
    scholarship.locator("button:has-text('Terima sebagai kegiatan')").click()
    page.wait_for_url(re.compile(r".*/notes/review\?stream=kota-bau-bau-seoul&done=accepted(#note-[0-9a-f-]+)?$"))
    assert page.locator("section.note", has_text="Pemberian beasiswa ke Seoul").count() == 0

    page.goto(f"{server.url}/partnerships/kota-bau-bau-seoul?as_of=2022-06-01")
    assert (
        page.locator("#why .why-text").inner_text()
        == "Aktif karena beasiswa 2021; menjadi kurang aktif pada 31 Des 2023 jika tidak ada kegiatan."
    )
    assert "Pemberian beasiswa" in page.locator("#timeline").inner_text()
