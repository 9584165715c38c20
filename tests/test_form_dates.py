"""Dates as Indonesians write them, in every date field of the pages' forms: stored as meant (partial
dates stay partial), the calendar beside the field, and a date out of bounds refused naming the bound."""

from __future__ import annotations

import re

import pytest

from tests.api_fixtures import build

STREAM = "kota-bandung-seoul"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FORM_ID = re.compile(r'name="form_id" value="([^"]+)"')
ACTIVITY = f"/partnerships/{STREAM}/activity"


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        yield api


def sign_in(site, who: str = "seoul") -> None:
    form = site.client.get("/login")
    data = {"token": site.tokens[who], "csrf": CSRF.search(form.text).group(1), "next": "/matrix"}
    assert site.client.post("/login", data=data, follow_redirects=False).status_code == 303


def submit(site, address: str, **fields):
    """Open the form afresh (its CSRF token and one-time key) and send `fields`."""
    page = site.client.get(address)
    assert page.status_code == 200, page.text
    hidden = {"csrf": CSRF.search(page.text).group(1), "form_id": FORM_ID.search(page.text).group(1)}
    return site.client.post(address, data={**hidden, **fields}, follow_redirects=False)


def last_event(site, stream: str = STREAM):
    return site.pantau.store.stream(stream)[-1]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("14/03/2019", "2019-03-14"),
        ("14-03-2019", "2019-03-14"),
        ("14.03.2019", "2019-03-14"),
        ("14 Maret 2019", "2019-03-14"),
        ("14 Mar 2019", "2019-03-14"),
        ("March 14, 2019", "2019-03-14"),
        ("2019-03-14", "2019-03-14"),
        ("Maret 2019", "2019-03"),
        ("2019-03", "2019-03"),
        ("2019", "2019"),
    ],
)
def test_an_activity_dated_as_people_write_it_is_stored_as_meant(site, written, meant):
    sign_in(site)
    response = submit(site, ACTIVITY, occurred_on=written, kind="visit", title="Kunjungan delegasi")
    assert response.status_code == 303, response.text
    stored = last_event(site)
    assert stored.type == "ActivityLogged" and str(stored.occurred_on) == meant


def test_every_date_field_of_an_agreement_reads_indonesian_dates_and_keeps_their_precision(site):
    sign_in(site)
    response = submit(
        site,
        f"/partnerships/{STREAM}/agreements/new",
        occurred_on="1 Maret 2024",
        agreement_id="moa-2024",
        document="MoA",
        valid_from="Maret 2024",
        valid_until="31/12/2029",
    )
    assert response.status_code == 303, response.text
    signed = last_event(site)
    assert str(signed.occurred_on) == "2024-03-01"
    assert signed.data["valid_from"] == "2024-03" and signed.data["valid_until"] == "2029-12-31"
    renewed = submit(
        site, f"/partnerships/{STREAM}/agreements/moa-2024/renew", occurred_on="2 Des 2025", valid_until="Desember 2034"
    )
    assert renewed.status_code == 303, renewed.text
    assert str(last_event(site).occurred_on) == "2025-12-02" and last_event(site).data["valid_until"] == "2034-12"


def test_an_activity_s_end_and_a_draft_s_date_are_read_the_same_way(site):
    sign_in(site)
    response = submit(
        site, ACTIVITY, occurred_on="3 Juni 2024", ends_on="7/6/2024", kind="visit", title="Pameran bersama"
    )
    assert response.status_code == 303, response.text
    assert last_event(site).data["ends_on"] == "2024-06-07"
    draft = submit(
        site,
        f"/partnerships/{STREAM}/drafts/new",
        occurred_on="14 Maret 2025",
        draft_id="mou-2025-draft",
        document="MoU",
        initiated_by="indonesia",
    )
    assert draft.status_code == 303, draft.text
    assert last_event(site).type == "DraftOpened" and str(last_event(site).occurred_on) == "2025-03-14"


@pytest.mark.parametrize("written", ["1900-01-01", "01/01/1900", "1 Januari 1900", "1900"])
def test_a_date_before_1945_is_refused_naming_the_earliest_year(site, written):
    sign_in(site)
    before = len(site.pantau.store.stream(STREAM))
    response = submit(site, f"/partnerships/{STREAM}/notes/new", occurred_on=written, text="Catatan lama")
    assert response.status_code == 422
    assert "lebih awal dari 1945, tahun paling awal yang diterima" in response.text
    assert "isian tidak sah" not in response.text
    assert len(site.pantau.store.stream(STREAM)) == before


def test_a_date_beyond_a_century_and_a_draft_before_1945_name_their_bounds(site):
    sign_in(site)
    response = submit(
        site,
        f"/partnerships/{STREAM}/agreements/new",
        occurred_on="2024",
        agreement_id="moa-far",
        document="MoA",
        valid_until="31/12/2200",
    )
    assert response.status_code == 422 and "lewat dari 23 Nov 2126, lebih dari seabad ke depan" in response.text
    draft = submit(
        site,
        f"/partnerships/{STREAM}/drafts/new",
        occurred_on="Maret 1930",
        draft_id="mou-old",
        document="MoU",
        initiated_by="indonesia",
    )
    assert draft.status_code == 422 and "lebih awal dari 1945" in draft.text


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("31 Februari 2019", "tanggal 31 Februari 2019 tidak ada"),
        ("14/13/2019", "bulan dalam 14/13/2019 tidak ada"),
        ("١٤/٠٣/٢٠١٩", "bukan tanggal"),  # Arabic-Indic digits are not read as ASCII ones
        ("kemarin sore", "bukan tanggal"),
    ],
)
def test_a_date_that_does_not_exist_is_told_beside_its_field(site, written, words):
    sign_in(site)
    response = submit(site, ACTIVITY, occurred_on=written, kind="visit", title="Kunjungan")
    assert response.status_code == 422
    assert 'id="err-occurred_on" role="alert"' in response.text and words in response.text


def test_the_form_says_what_may_be_typed_and_offers_a_labelled_calendar(site):
    sign_in(site)
    html = site.client.get(ACTIVITY).text
    assert "14/03/2019, 14-03-2019, 14 Maret 2019, Maret 2019 atau 2019" in html
    assert '<label class="calendar" for="occurred_on-cal">atau pilih di kalender</label>' in html
    assert re.search(r'<input type="date" class="calendar" id="occurred_on-cal" name="occurred_on__cal"', html)
    text_input = re.search(r'<input id="occurred_on" name="occurred_on"[^>]*>', html).group(0)
    assert 'type="date"' not in text_input  # the typed field stays a text field


def test_a_day_picked_in_the_calendar_replaces_the_suggested_day(site):
    sign_in(site)
    today = site.pantau.today().isoformat()
    response = submit(site, ACTIVITY, occurred_on=today, occurred_on__cal="2019-03-14", kind="visit", title="Kunjungan")
    assert response.status_code == 303, response.text
    assert str(last_event(site).occurred_on) == "2019-03-14"
    alone = submit(site, ACTIVITY, occurred_on="", occurred_on__cal="2020-02-02", kind="meeting", title="Rapat")
    assert alone.status_code == 303 and str(last_event(site).occurred_on) == "2020-02-02"


def test_a_typed_date_that_differs_from_the_picked_one_is_asked_about_and_nothing_is_stored(site):
    sign_in(site)
    before = len(site.pantau.store.stream(STREAM))
    response = submit(
        site, ACTIVITY, occurred_on="Maret 2019", occurred_on__cal="2019-04-14", kind="visit", title="Kunjungan"
    )
    assert response.status_code == 422
    assert "(Mar 2019) berbeda dengan yang dipilih di kalender (14 Apr 2019)" in response.text
    assert 'value="Maret 2019"' in response.text and 'value="2019-04-14"' in response.text  # both shown again
    assert len(site.pantau.store.stream(STREAM)) == before
