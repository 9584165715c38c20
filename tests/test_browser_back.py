"""Back, then submit again, in a real browser: nothing new is stored, or the form asks first (issue 22)."""

from __future__ import annotations

import os
import re

import pytest

from tests.browsing import NEEDS_CHROMIUM, SCREENSHOTS, log_in, new_page

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]
STREAM = "kota-bandung-seoul"
TITLE = "Rapat kelompok kerja pendidikan"


def test_back_then_submit_again_stores_one_activity_or_asks_and_the_form_keeps_what_was_typed(
    server, browser, tmp_path
):
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page = new_page(browser)
    log_in(page, server.url, server.token)
    page.goto(f"{server.url}/partnerships/{STREAM}/activity")
    page.fill("#occurred_on", "2025-11-05")
    page.select_option("#kind", "meeting")
    page.fill("#title", TITLE)
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=.*"))

    page.go_back()
    page.wait_for_selector("form[data-form=ActivityLogged]")
    assert page.input_value("#title") == TITLE
    assert page.input_value("#occurred_on") == "2025-11-05"  # as typed, not today again
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("p[role=status], #duplicate")
    if page.locator("#duplicate").count():  # a fresh form key: the question, nothing stored yet
        page.screenshot(path=str(shots / "form-activity-back-asks.png"), full_page=True)
        page.click("text=Batal")
    else:
        assert "sudah dikirim sebelumnya" in page.locator("p[role=status]").inner_text()
    page.goto(f"{server.url}/partnerships/{STREAM}")
    assert page.locator("#timeline li", has_text=TITLE).count() == 1


def test_a_retraction_asks_for_its_reason_then_for_confirmation_without_javascript(server, browser, tmp_path):
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    log_in(page, server.url, server.token)
    page.goto(f"{server.url}/partnerships/{STREAM}/activity")
    page.fill("#occurred_on", "2025-10-01")
    page.fill("#title", "Kunjungan yang tercatat dua kali")
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=.*"))
    entry = page.locator("#timeline li", has_text="Kunjungan yang tercatat dua kali")
    entry.locator("text=tarik").click()
    page.click("button:has-text('Simpan')")
    assert page.locator("#err-reason").is_visible()  # the reason is required, told beside its field
    page.fill("#reason", "tercatat dua kali")
    page.click("button:has-text('Simpan')")
    assert "Yakin menarik kegiatan ini?" in page.locator("#duplicate").inner_text()
    page.screenshot(path=str(shots / "form-retract-confirm.png"), full_page=True)
    page.click("button:has-text('Ya, tarik kegiatan ini')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=.*"))
    retraction = page.locator("#timeline li[data-type=ActivityRetracted]").first.inner_text()
    assert "Kunjungan yang tercatat dua kali (1 Okt 2025)" in retraction and "tercatat dua kali" in retraction
    page.screenshot(path=str(shots / "partnership-retracted.png"), full_page=True)
    context.close()


def test_drafts_corrections_and_queues_read_in_words_at_390_px(server, browser, tmp_path):
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, width=390)
    log_in(page, server.url, server.token)
    page.goto(f"{server.url}/partnerships/{STREAM}/drafts/new")
    offered = page.locator("#document option").all_inner_texts()
    assert "Rencana Aksi" in offered and "Komunike Bersama" in offered and "ActionPlan" not in offered
    page.fill("#draft_id", "rencana-aksi-2027")
    page.select_option("#document", "ActionPlan")
    page.fill("#title", "Rencana aksi pendidikan 2027")
    page.screenshot(path=str(shots / "form-draft-words.png"), full_page=True)
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=.*"))
    page.goto(f"{server.url}/partnerships/{STREAM}/drafts/rencana-aksi-2027/step")
    assert "Rencana aksi pendidikan 2027" in page.locator("h1").inner_text()  # named, not by its id
    page.select_option("#step", "kajian")
    page.select_option("#outcome", "returned")
    page.fill("#note", "Lampiran anggaran belum ada")
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=.*"))
    drafts = page.locator("#drafts").inner_text()
    assert "Lampiran anggaran belum ada" in drafts and "rencana-aksi-2027" not in drafts
    assert "hari)" in drafts  # "(0 hari)": the wait with its unit
    assert page.locator("#timeline li[data-type=ApprovalRecorded]", has_text="Rancangan dikembalikan").count() == 1
    assert STREAM not in page.locator("h1").inner_text()
    page.locator("#drafts").screenshot(path=str(shots / "partnership-draft-returned.png"))
    page.goto(f"{server.url}/pipeline")
    page.screenshot(path=str(shots / "pipeline-words.png"), full_page=True)
    page.goto(f"{server.url}/notes/review")
    assert "jenis exchange" not in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "notes-review-words.png"), full_page=False)
    page.goto(f"{server.url}/outbox")
    page.screenshot(path=str(shots / "outbox-words.png"), full_page=False)
