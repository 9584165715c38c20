"""The pages people read every day: offline API docs, the mailbox, the outbox, dates, the matrix's tools."""

from __future__ import annotations

import re

import pytest

from tests.api_fixtures import build
from tests.test_pages import login

SRC = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        yield api


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_documentation_loads_only_from_the_service_itself(site, page):
    html = site.client.get(page).text
    links = SRC.findall(html)
    assert links and all(link.startswith("/") and not link.startswith("//") for link in links)
    assert "cdn" not in html.lower() and "http" not in html.lower()
    assert "<script>" not in html  # no inline script: CSP default-src 'self' holds
    for link in links:
        asset = site.client.get(link)
        assert asset.status_code == 200 and len(asset.content) > 0, link
