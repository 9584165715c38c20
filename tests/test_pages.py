"""The web pages through the TestClient: login, CSRF, the matrix, a partnership, the activity form."""

from __future__ import annotations

import re

import pytest

from service.auth import revoke
from tests.helpers import activity, assessed, event

pytestmark = pytest.mark.service

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    return CSRF.search(html).group(1)


def login(site, who: str = "admin"):
    page = site.client.get("/login")
    return site.client.post(
        "/login",
        data={"token": site.tokens[who], "csrf": csrf_of(page.text), "next": "/matrix"},
        follow_redirects=False,
    )


def test_pages_send_a_stranger_to_the_login_form(site):
    response = site.client.get("/partnerships/kota-bandung-seoul", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/partnerships/kota-bandung-seoul"


def test_login_sets_a_signed_http_only_same_site_cookie(site):
    response = login(site)
    assert response.status_code == 303 and response.headers["location"] == "/matrix"
    cookie = response.headers["set-cookie"]
    assert "pantau_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert site.client.get("/matrix").status_code == 200
    site.client.cookies.set("pantau_session", "forged.value.here")
    assert site.client.get("/matrix", follow_redirects=False).status_code == 303


def test_a_wrong_token_is_told_and_a_missing_csrf_token_refused(site):
    page = site.client.get("/login")
    wrong = site.client.post("/login", data={"token": "nope", "csrf": csrf_of(page.text)})
    assert wrong.status_code == 401 and "Nama pengguna atau kata sandi salah" in wrong.text
    forged = site.client.post("/login", data={"token": site.tokens["admin"], "csrf": "guess"})
    assert forged.status_code == 403
    assert site.client.get("/matrix", follow_redirects=False).status_code == 303


def test_the_matrix_shows_badges_computed_next_to_published_and_filters(site):
    site.pantau.store.append([assessed("2026-11-01", "aktif")])
    login(site)
    html = site.client.get("/matrix").text
    assert "Matriks Kerja Sama" in html and 'id="row-kota-bandung-seoul"' in html
    assert 'class="badge s-tidak_aktif "' in html and "≠ dipublikasikan" in html
    assert 'class="badge s-aktif published"' in html
    assert "row-kota-bandung-seoul" not in site.client.get("/matrix?status=aktif").text
    assert "row-kota-bandung-seoul" in site.client.get("/matrix?status=tidak_aktif&desk=kbri-seoul").text
    earlier = site.client.get("/matrix?as_of=2020-06-01").text
    assert "per 1 Jun 2020" in earlier and 'class="badge s-kurang_aktif "' in earlier
    assert "tulis seperti 27/12/2021" in site.client.get("/matrix?as_of=junk").text
    csv_export = site.client.get("/matrix.csv?desk=kbri-seoul")
    assert csv_export.status_code == 200 and "Kota Bandung" in csv_export.text


def test_english_on_request_and_remembered(site):
    login(site)
    assert "Partnership matrix" in site.client.get("/matrix?lang=en").text
    assert "Partnership matrix" in site.client.get("/matrix").text
    assert "Matriks Kerja Sama" in site.client.get("/matrix?lang=id").text


def test_the_partnership_page_shows_agreements_timeline_chart_and_notifications(site):
    site.pantau.store.append(
        [
            activity("2019-05-01", "festival"),
            activity("2021-03-01", "training"),
            event(
                "kota-bandung-seoul",
                "NotificationSent",
                "2024-07-13",
                {
                    "key": "renewal:kota-bandung-seoul:mou-2020:2025-01-09:180",
                    "rule": "renewal",
                    "to": ["putri@example.go.id"],
                    "subject": "MoU berakhir dalam 180 hari",
                },
            ),
        ]
    )
    login(site)
    html = site.client.get("/partnerships/kota-bandung-seoul").text
    assert "Kota Bandung – Seoul" in html
    assert "9 Jan 2025" in html and ">-683<" in html  # days left, negative once lapsed
    assert html.count('class="ev ') == 6
    assert "<svg" in html and "2019: 1" in html and "2020: 1" in html and "2021: 1" in html
    assert "MoU berakhir dalam 180 hari" in html
    assert site.client.get("/partnerships/nowhere-else").status_code == 404


def test_the_activity_form_explains_what_is_wrong_beside_each_field(site):
    login(site)
    form = site.client.get("/partnerships/kota-bandung-seoul/activity").text
    response = site.client.post(
        "/partnerships/kota-bandung-seoul/activity",
        data={
            "csrf": csrf_of(form),
            "form_id": "f-1",
            "occurred_on": "2026-12-01",
            "kind": "visit",
            "title": "",
            "participants": "many",
        },
    )
    assert response.status_code == 422
    assert 'id="err-occurred_on"' in response.text and "setelah hari ini (23 Nov 2026)" in response.text
    assert "is after" not in response.text  # the reason in the page's language, not the API's English
    assert 'id="err-title"' in response.text and 'id="err-participants"' in response.text
    assert 'value="many"' in response.text  # what was typed stays
    assert len(site.pantau.store.stream("kota-bandung-seoul")) == 3


def test_an_activity_logged_through_the_form_changes_the_status(site):
    login(site, "jabar")
    before = site.client.get("/partnerships/kota-bandung-seoul").text
    assert 'class="badge s-tidak_aktif "' in before
    form = site.client.get("/partnerships/kota-bandung-seoul/activity").text
    data = {
        "csrf": csrf_of(form),
        "form_id": "f-2",
        "occurred_on": "2026-11-20",
        "kind": "visit",
        "title": "Kunjungan delegasi Seoul",
        "direction": "inbound",
        "participants": "12",
    }
    saved = site.client.post("/partnerships/kota-bandung-seoul/activity", data=data, follow_redirects=False)
    assert saved.status_code == 303
    again = site.client.post("/partnerships/kota-bandung-seoul/activity", data=data, follow_redirects=False)
    assert again.status_code == 303  # a double submit is stored once
    events = site.pantau.store.stream("kota-bandung-seoul")
    assert len(events) == 4 and events[-1].meta["actor"] == "jabar" and events[-1].data["participants"] == 12
    after = site.client.get(saved.headers["location"]).text
    assert "Kunjungan delegasi Seoul" in after and 'class="badge s-aktif "' in after


def test_the_form_refuses_a_post_without_the_csrf_token_and_a_user_out_of_scope(site):
    login(site, "tokyo")
    response = site.client.post(
        "/partnerships/kota-bandung-seoul/activity", data={"occurred_on": "2026-11-20", "kind": "visit", "title": "x"}
    )
    assert response.status_code == 403 and "Formulir kedaluwarsa" in response.text
    form = site.client.get("/partnerships/kota-bandung-seoul/activity").text
    refused = site.client.post(
        "/partnerships/kota-bandung-seoul/activity",
        data={"csrf": csrf_of(form), "occurred_on": "2026-11-20", "kind": "visit", "title": "x"},
    )
    assert refused.status_code == 403 and "tidak berwenang" in refused.text
    assert len(site.pantau.store.stream("kota-bandung-seoul")) == 3


def test_an_as_of_day_is_read_as_people_write_dates_a_month_or_year_meaning_its_last_day(site):
    login(site)
    for written in ("1/6/2020", "1 Juni 2020", "June 1, 2020"):
        assert "per 1 Jun 2020" in site.client.get("/matrix", params={"as_of": written}).text, written
    assert "per 31 Des 2020" in site.client.get("/matrix", params={"as_of": "Desember 2020"}).text
    assert "per 31 Des 2020" in site.client.get("/expiries", params={"as_of": "2020"}).text
    pipeline = site.client.get("/pipeline", params={"as_of": "31/02/2021"}).text
    assert "“31/02/2021” bukan tanggal" in pipeline and "YYYY" not in pipeline


def test_upcoming_expiries_list_agreements_ending_soon(site):
    site.pantau.store.append(
        [event("kota-bandung-seoul", "AgreementSigned", "2024-03-01", {"agreement_id": "moa-2024", "document": "MoA"})]
    )
    login(site)
    html = site.client.get("/expiries").text
    assert 'data-agreement="moa-2024"' in html and "28 Feb 2027" in html and ">97<" in html  # MoA: three years
    assert 'data-agreement="mou-2020"' not in html  # lapsed on 2025-01-10, long before the last 90 days
    # Named in words where people read: the document and its dates, never the agreement's id.
    assert "moa-2024" not in html.replace('data-agreement="moa-2024"', "")


def test_the_expiries_page_gives_a_calendar_address_that_works_without_a_token(site):
    site.pantau.store.append(
        [event("kota-bandung-seoul", "AgreementSigned", "2024-03-01", {"agreement_id": "moa-2024", "document": "MoA"})]
    )
    login(site, "seoul")
    feed = re.search(r'id="calendar-feed">([^<]+)<', site.client.get("/expiries").text).group(1)
    assert "/api/calendar/kbri-seoul.ics?key=" in feed
    site.client.cookies.clear()  # as a calendar app: no cookie, no Authorization header
    calendar = site.client.get(feed.replace("&amp;", "&"))
    assert calendar.status_code == 200 and calendar.headers["content-type"].startswith("text/calendar")
    assert "moa-2024" in calendar.text
    key = feed.split("key=")[1]
    assert site.client.get(f"/api/status?key={key}").status_code == 401  # the feed, nothing else
    assert site.client.get(f"/api/calendar/kbri-seoul.ics?key={key[:-2]}xx").status_code == 401
    revoke(site.pantau.engine, "seoul", site.pantau.clock())
    assert site.client.get(feed).status_code == 401  # revoking the user ends the subscription


def test_logout_ends_the_session(site):
    login(site)
    page = site.client.get("/matrix").text
    out = site.client.post("/logout", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert out.status_code == 303
    assert site.client.get("/matrix", follow_redirects=False).status_code == 303
