"""The yearly report from the pages: as signed (letterhead, number, signature), the region's reports in one ZIP, money one way."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document

from tests.api_fixtures import build
from tests.helpers import activity
from tests.lifecycle_events import planned

pytestmark = pytest.mark.service

S = "kota-bandung-seoul"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    api.pantau.store.append(
        [
            planned(
                "2025-12-01", "2026-youth", 2026, budget={"amount": 150000000, "currency": "IDR", "source": "APBD"}
            ),
            activity("2026-08-14", "exchange", "a1", plan_id="2026-youth", participants=12),
        ]
    )
    with api.client:
        yield api


def _sign_in(site, who: str = "viewer") -> None:
    page = site.client.get("/login")
    signed = site.client.post(
        "/login",
        data={"token": site.tokens[who], "csrf": CSRF.search(page.text).group(1), "next": "/matrix"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/matrix"


def test_the_scorecard_writes_money_as_the_report_does(site):
    _sign_in(site)
    page = site.client.get(f"/partnerships/{S}", follow_redirects=False)
    assert page.status_code == 200
    assert "APBD Rp 150.000.000" in page.text and "IDR 150,000,000" not in page.text


def test_the_preview_is_the_signed_letter_and_offers_the_regions_reports(site):
    _sign_in(site)
    preview = site.client.get(f"/partnerships/{S}/report/2026", follow_redirects=False)
    assert preview.status_code == 200
    text = preview.text
    assert "PEMERINTAH KOTA BANDUNG" in text and "Nomor: " in text and "Wali Kota Bandung," in text
    assert text.index("<h1>Laporan Hasil Kerja Sama") < text.index("<h2>1. Judul</h2>") < text.index("Wali Kota")
    assert "<h2>6. Penerima Manfaat</h2>" in text and "peserta kegiatan" in text  # 12 who took part
    assert 'action="/reports/2026.zip"' in text and '<option value="Jawa Barat">' in text


def test_the_regions_reports_come_as_one_zip_of_word_documents(site):
    _sign_in(site)
    response = site.client.get("/reports/2026.zip", params={"region": "Jawa Barat"}, follow_redirects=False)
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert 'filename="laporan-jawa-barat-2026.zip"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == ["laporan-kota-bandung-seoul-2026.docx"]
        document = Document(io.BytesIO(archive.read("laporan-kota-bandung-seoul-2026.docx")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == 9 and headings[0] == "1. Judul"


def test_an_unknown_region_is_told_and_a_stranger_is_sent_to_sign_in(site):
    stranger = site.client.get("/reports/2026.zip", params={"region": "Jawa Barat"}, follow_redirects=False)
    assert stranger.status_code == 303 and stranger.headers["location"].startswith("/login")
    _sign_in(site)
    unknown = site.client.get("/reports/2026.zip", params={"region": "Maluku"}, follow_redirects=False)
    assert unknown.status_code == 404 and "Tidak ada kerja sama yang tercatat untuk daerah ini: Maluku" in unknown.text
    assert site.client.get("/reports/1066.zip", params={"region": "Jawa Barat"}).status_code == 404
