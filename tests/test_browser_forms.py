"""The pages' forms in a real browser (Debian's chromium via Playwright) against a real `pantau serve`."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import pytest

from tests.browsing import NEEDS_CHROMIUM, SCREENSHOTS, log_in, new_page

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]
STREAM = "kota-bandung-seoul"


def timeline_count(page, text: str) -> int:
    return page.locator("#timeline li", has_text=text).count()


def test_an_admin_works_the_record_from_the_pages_and_a_viewer_only_reads(server, browser, tmp_path):
    # Screenshots go to docs/screenshots when asked (PANTAU_SCREENSHOTS=1), else stay in the tmp dir.
    shots = SCREENSHOTS if os.environ.get("PANTAU_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    # The server's today is the real one (Asia/Jakarta, never behind UTC): today's UTC date is no future.
    today = datetime.now(UTC).date().isoformat()
    page = new_page(browser)
    log_in(page, server.url, server.token)

    # /users: a viewer is added; the token is on this page once.
    page.click("header nav >> text=Pengguna")
    page.fill("#name", "pembaca@example.go.id")
    page.select_option("#role", "viewer")
    page.click("button:has-text('Tambah pengguna')")
    viewer_token = page.locator("p.token").inner_text().strip()
    assert page.locator("tr[data-name='pembaca@example.go.id']").is_visible()
    page.screenshot(path=str(shots / "users.png"), full_page=True)
    page.goto(f"{server.url}/users")
    assert page.locator("p.token").count() == 0

    # A new partnership: a bad country code is told beside its field, then it is registered.
    page.goto(f"{server.url}/matrix")
    page.click("text=+ Kerja sama baru")
    page.fill("#stream", "kota-malang-jeonju")
    page.fill("#indonesia-name", "Kota Malang")
    page.fill("#indonesia-province", "Jawa Timur")
    page.fill("#partner-name", "Jeonju")
    page.fill("#partner-level", "metropolitan city")
    page.fill("#partner-country", "Korea")
    page.click("button:has-text('Simpan')")
    assert "dua huruf" in page.locator("#err-partner-country").inner_text()
    page.screenshot(path=str(shots / "form-new-partnership.png"), full_page=True)
    page.fill("#partner-country", "KR")
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(r".*/partnerships/kota-malang-jeonju\?saved=.*"))
    assert "Kota Malang – Jeonju" in page.locator("h1").inner_text()

    # An activity on Bandung – Seoul, then the same form sent again: stored once.
    page.goto(f"{server.url}/partnerships/{STREAM}")
    page.click("text=+ Catat kegiatan")
    page.fill("#occurred_on", today)
    page.select_option("#kind", "visit")
    page.fill("#title", "Kunjungan delegasi Seoul")
    page.dblclick("button:has-text('Simpan')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=.*"))
    page.go_back()
    page.wait_for_selector("form[data-form=ActivityLogged]")
    page.fill("#occurred_on", today)  # a re-fetched form shows the server's default again
    page.fill("#title", "Kunjungan delegasi Seoul")
    page.click("button:has-text('Simpan')")
    # Back restores the form with its key (already sent) or opens a fresh one (the duplicate question).
    page.wait_for_selector("p[role=status], #duplicate")
    if page.locator("#duplicate").count():
        page.screenshot(path=str(shots / "form-activity-duplicate.png"), full_page=True)
        page.click("text=Batal")
    else:
        assert "sudah dikirim sebelumnya" in page.locator("p[role=status]").inner_text()
    page.goto(f"{server.url}/partnerships/{STREAM}")
    assert timeline_count(page, "Kunjungan delegasi Seoul") == 1

    # The same activity typed anew asks first; "Simpan juga" stores it.
    page.click("text=+ Catat kegiatan")
    page.fill("#occurred_on", today)
    page.fill("#title", "Kunjungan delegasi Seoul")
    page.click("button:has-text('Simpan')")
    assert "simpan juga?" in page.locator("#duplicate").inner_text()
    page.screenshot(path=str(shots / "form-activity-duplicate.png"), full_page=True)
    page.click("button:has-text('Simpan juga')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=.*"))
    assert timeline_count(page, "Kunjungan delegasi Seoul") == 2

    # Correct one from its timeline entry (the form shows the values as they are), retract the other.
    entry = page.locator("#timeline li", has_text="Kunjungan delegasi Seoul").first
    entry.locator("text=koreksi").click()
    assert page.input_value("#title") == "Kunjungan delegasi Seoul"
    page.fill("#title", "Kunjungan delegasi Kota Seoul")
    page.fill("#participants", "12")
    page.screenshot(path=str(shots / "form-correct.png"), full_page=True)
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=ActivityCorrected.*"))
    assert timeline_count(page, "Kegiatan dikoreksi") == 1
    # The corrected entry reads as corrected now; the other, still as typed, is retracted (asked first).
    page.locator("#timeline li[data-type=ActivityLogged]", has_text="Kunjungan delegasi Seoul").locator(
        "text=tarik"
    ).click()
    page.fill("#reason", "tercatat dua kali")
    page.click("button:has-text('Simpan')")
    page.click("button:has-text('Ya, tarik kegiatan ini')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=ActivityRetracted.*"))

    # An agreement, with a partial date typed as people write it and shown as written.
    page.click("text=+ Dokumen")
    page.fill("#occurred_on", "2024-03")
    page.fill("#agreement_id", "moa-2024")
    page.select_option("#document", "MoA")
    page.screenshot(path=str(shots / "form-agreement.png"), full_page=True)
    page.click("button:has-text('Simpan')")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}\?saved=AgreementSigned.*"))
    assert page.locator("#timeline li", has_text="moa-2024").locator(".date").inner_text() == "Mar 2024"
    page.screenshot(path=str(shots / "partnership-actions.png"), full_page=False)

    # A viewer: no buttons, no action links, and a form opened by address is refused in Indonesian.
    viewer = new_page(browser, width=390)
    log_in(viewer, server.url, viewer_token)
    viewer.goto(f"{server.url}/partnerships/{STREAM}")
    assert viewer.locator("text=Catat kegiatan").count() == 0
    assert viewer.locator("#timeline .ev-actions a").count() == 0
    viewer.screenshot(path=str(shots / "viewer-partnership.png"), full_page=False)
    response = viewer.goto(f"{server.url}/partnerships/{STREAM}/activity")
    assert response.status == 403
    assert "hanya dapat membaca" in viewer.locator("[role=alert]").inner_text()
    viewer.screenshot(path=str(shots / "viewer-403.png"), full_page=False)
    assert viewer.goto(f"{server.url}/users").status == 403

    # The lifecycle pages too: a draft and a plan item to read, not one button or link to write them.
    _draft_and_plan(server.env["PANTAU_DATABASE_URL"], today)
    viewer.goto(f"{server.url}/partnerships/{STREAM}")
    assert viewer.locator("#drafts [data-draft='mou-viewer']").count() == 1
    assert viewer.locator("#drafts a.button, #drafts .actions a, #plan a.button, #plan a[href$='/drop']").count() == 0
    viewer.goto(f"{server.url}/pipeline?desk=kbri-seoul")
    assert viewer.locator("tr[data-draft='mou-viewer']").count() == 1
    assert viewer.locator("tr[data-draft='mou-viewer'] a[href$='/step']").count() == 0
    assert viewer.evaluate("document.documentElement.scrollWidth") <= 390
    for address in ("drafts/new", "drafts/mou-viewer/step", "plan/new", "plan/plan-viewer/drop"):
        assert viewer.goto(f"{server.url}/partnerships/{STREAM}/{address}").status == 403
        assert "hanya dapat membaca" in viewer.locator("[role=alert]").inner_text()

    # Revoked from /users, the viewer's token no longer logs in.
    page.goto(f"{server.url}/users")
    page.locator("tr[data-name='pembaca@example.go.id'] button:has-text('Cabut')").click()
    assert "dicabut" in page.locator("[role=status]").inner_text()
    again = new_page(browser)
    again.goto(f"{server.url}/login")
    again.fill("#password", viewer_token)
    again.click("button[type=submit]")
    assert "Nama pengguna atau kata sandi salah" in again.content()


def _draft_and_plan(url: str, today: str) -> None:
    """A draft and a plan item on Bandung – Seoul, stored as the service would store them."""
    import sqlalchemy as sa

    from events.store import EventStore
    from tests.lifecycle_events import draft, planned

    engine = sa.create_engine(url)
    EventStore(engine).append([draft(today, "mou-viewer"), planned(today, "plan-viewer", int(today[:4]))])
    engine.dispose()
