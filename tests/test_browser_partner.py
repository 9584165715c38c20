"""A real browser on the partner's page at phone width: the desk copies the link, the partner proposes."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import UTC, datetime

import pytest

from tests.browsing import NEEDS_CHROMIUM

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

STREAM = "jabar-gyeongsangbuk-do"


def _append(running, events: list[dict]) -> None:
    request = urllib.request.Request(
        f"{running.url}/api/events",
        data=json.dumps(events).encode(),
        headers={"Authorization": f"Bearer {running.token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201


def test_the_partner_page_fits_a_phone_and_takes_a_proposal(server, page):
    today = datetime.now(UTC).date().isoformat()
    _append(
        server,
        [
            {
                "stream": STREAM,
                "type": "PartnershipDetailsChanged",
                "occurred_on": "2021-12-27",
                "data": {"partner": {"local_name": "경상북도"}},
            },
            {
                "stream": STREAM,
                "type": "ContactAssigned",
                "occurred_on": today,
                "data": {
                    "contact_id": "kim",
                    "name": "김민지",
                    "side": "partner",
                    "language": "ko",
                    "email": "kim@gb.example.kr",
                },
            },
        ],
    )
    page.goto(f"{server.url}/login?next=/partnerships/{STREAM}")
    page.fill("#password", server.token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf".*/partnerships/{STREAM}$"))
    link = page.locator("#partner-links input.copy").input_value()
    path = "/mitra/" + link.split("/mitra/", 1)[1]

    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
    partner = phone.new_page()
    partner.goto(f"{server.url}{path}")
    assert "Jawa Barat – 경상북도" in partner.locator("h1").inner_text()
    assert partner.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    small = partner.evaluate(
        """[...document.querySelectorAll('button, input:not([type=hidden]), select, textarea, summary, a')]
             .map(e => e.getBoundingClientRect()).filter(r => r.height < 24 || r.width < 24).length"""
    )
    assert small == 0
    partner.fill("#f-occurred_on", "2021년 11월")
    partner.select_option("#f-kind", "training")
    partner.fill("#f-title", "경북 스마트농업 연수")
    partner.fill("#f-participants", "15")
    partner.click("#propose button[type=submit]")
    partner.wait_for_url(re.compile(r".*\?sent=1$"))
    assert "접수됨" in partner.locator("#proposals").inner_text()
    assert partner.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
