"""The as-of day and the digest's month take the catalogue's years: 1945 to a century after today."""

from __future__ import annotations

import re

import pytest

# The test clock reads 2026-11-23 (tests/conftest.py): the catalogue accepts days up to 2126-11-23.


def _signed_in(site) -> None:
    page = site.client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    site.client.post("/login", data={"token": site.tokens["admin"], "csrf": csrf[1]}, follow_redirects=False)


@pytest.mark.parametrize("path", ["/api/status", "/api/matrix", "/api/pipeline"])
def test_the_last_day_a_century_ahead_is_read_and_the_next_refused_naming_as_of(site, path):
    assert site.get(path, params={"as_of": "2126-11-23"}).status_code == 200
    refused = site.get(path, params={"as_of": "2126-11-24"})
    assert refused.status_code == 422
    (field,) = refused.json()["error"]["fields"]
    assert (field["field"], field["code"], field["params"]["latest"]) == ("as_of", "too_late", "2126-11-23")


def test_an_as_of_day_before_1945_is_refused_as_too_early(site):
    assert site.get("/api/status", params={"as_of": "1945-01-01"}).status_code == 200
    (field,) = site.get("/api/status", params={"as_of": "1944-12-31"}).json()["error"]["fields"]
    assert (field["field"], field["code"], field["params"]["earliest"]) == ("as_of", "too_early", 1945)


def test_a_digest_month_outside_the_catalogues_years_is_refused_naming_month(site):
    assert site.get("/api/digest/kbri-seoul", params={"month": "2126-12"}).status_code == 200
    for month in ("1944-12", "2127-01"):
        refused = site.get("/api/digest/kbri-seoul", params={"month": month})
        assert refused.status_code == 422, month
        assert refused.json()["error"]["fields"][0]["field"] == "month"


def test_the_matrix_page_says_which_years_it_reads_when_asked_for_1900(site):
    _signed_in(site)
    page = site.client.get("/matrix", params={"as_of": "1900-01-01"}, follow_redirects=False)
    assert page.status_code == 200
    assert "bukan tanggal" in page.text and "1945–2126" in page.text
    fine = site.client.get("/matrix", params={"as_of": "1945-01-01"}, follow_redirects=False)
    assert "bukan tanggal" not in fine.text


def test_the_digest_page_refuses_a_month_before_1945(site):
    _signed_in(site)
    page = site.client.get("/digest", params={"desk": "kbri-seoul", "month": "1944-12"}, follow_redirects=False)
    assert page.status_code == 422
    assert "1944-12" in page.text and "1945" in page.text and "2126" in page.text
