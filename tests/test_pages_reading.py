"""The pages people read every day: offline API docs, the mailbox, the outbox, dates, the matrix's tools."""

from __future__ import annotations

import json
import re

import pytest

from tests.api_fixtures import build
from tests.test_pages import login

pytestmark = pytest.mark.service

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


@pytest.fixture
def sample(database, engine, clock):
    api = build(database, engine, clock, sample=True)
    with api.client:
        yield api


def _mail(engine, clock, html: str, text: str, subject: str = "Perjanjian – berakhir dalam 90 hari"):
    from notifications.mail import build as build_mail
    from service.smtp_sink import DatabaseMailbox, received

    row = {
        "to": ["putri@kota.example"],
        "cc": [],
        "subject": subject,
        "message_id": "<m1@pantau.local>",
        "key": "renewal:x",
        "text": text,
        "html": html,
        "language": "id",
    }
    raw = bytes(build_mail(row, "Pantau <pantau@localhost>", clock()))
    DatabaseMailbox(engine)(received("pantau@localhost", ["putri@kota.example"], raw, clock()))


def test_the_mailbox_shows_a_message_as_its_recipient_reads_it(site, engine, clock):
    long_line = "Kerja sama Kota Bandung – Seoul " * 6  # long, non-ASCII: sent quoted-printable
    _mail(engine, clock, f"<p><strong>{long_line}</strong></p><script>alert(1)</script>", long_line)
    login(site)
    mailbox = site.client.get("/mailbox").text
    message_id = re.search(r'href="/mailbox/(\d+)"', mailbox).group(1)
    page = site.client.get(f"/mailbox/{message_id}").text
    assert "=E2=80=93" not in page and "Content-Transfer-Encoding" not in page
    assert "Perjanjian – berakhir dalam 90 hari" in page
    frame = re.search(r'<iframe class="mail-html" sandbox="" [^>]*srcdoc="([^"]*)"', page)
    assert frame, "the HTML part is shown in a sandboxed frame that may run no script"
    assert "&lt;strong&gt;Kerja sama Kota Bandung – Seoul" in frame.group(1)
    assert '<pre class="mail-text">' + long_line.strip() in page
    # The frame takes the page's policy: inline styles (as mail is written) yes, scripts no.
    policy = site.client.get(f"/mailbox/{message_id}").headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in site.client.get("/mailbox").headers["content-security-policy"]


def _queue(engine, clock, key: str, state: str | None = None):
    from datetime import date

    import sqlalchemy as sa

    from events.database import writing
    from notifications import outbox as outbox_store
    from notifications.schema import outbox

    message = outbox_store.Message(
        key=key,
        alert_key=key,
        rule="renewal",
        stream="kota-bandung-seoul",
        desk="kbri-seoul",
        day=date(2026, 11, 1),
        language="id",
        to=("putri@kota.example",),
        cc=(),
        subject="MoU berakhir",
        text="Isi",
        html="<p>Isi <em>pesan</em></p>",
        message_id=f"<{key}@pantau.local>",
    )
    with writing(engine) as conn:
        outbox_store.queue(conn, [message], clock())
        if state:
            said = "550 no such user"
            coded = {"last_error_code": "server_said", "last_error_params": json.dumps({"detail": said})}
            conn.execute(sa.update(outbox).where(outbox.c.key == key).values(state=state, last_error=said, **coded))


def test_the_outbox_shows_a_message_and_an_admin_retries_a_failed_one(site, engine, clock):
    _queue(engine, clock, "renewal:gagal", "failed")
    login(site, "viewer")
    listing = site.client.get("/outbox").text
    assert "<label>Bulan" in listing and "Hari <input" not in listing
    assert 'action="/outbox/retry"' not in listing  # a viewer gets no retry button
    shown = site.client.get("/outbox/message", params={"key": "renewal:gagal"}).text
    assert 'srcdoc="&lt;p&gt;Isi &lt;em&gt;pesan&lt;/em&gt;&lt;/p&gt;"' in shown and "550 no such user" in shown
    assert "Pengingat perpanjangan" in shown  # the rule as words, not `renewal`
    assert "server surat menolak pesan" in shown  # the reason in Indonesian, the server's words folded
    csrf = re.search(r'name="csrf" value="([^"]+)"', listing).group(1)
    refused = site.client.post("/outbox/retry", data={"key": "renewal:gagal", "csrf": csrf})
    assert refused.status_code == 403 and "Hanya admin" in refused.text

    login(site, "admin")
    listing = site.client.get("/outbox").text
    assert 'action="/outbox/retry"' in listing
    csrf = re.search(r'name="csrf" value="([^"]+)"', listing).group(1)
    done = site.client.post("/outbox/retry", data={"key": "renewal:gagal", "csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    from notifications import outbox as outbox_store

    assert outbox_store.get_message(engine, "renewal:gagal")["state"] == "queued"
    again = site.client.post("/outbox/retry", data={"key": "renewal:gagal", "csrf": csrf})
    assert again.status_code == 409  # only a failed or undeliverable message goes again


def test_the_outbox_shows_times_in_the_service_time_zone(site, engine, clock):
    from notifications import outbox as outbox_store

    _queue(engine, clock, "renewal:waktu")
    login(site)
    created = outbox_store.get_message(engine, "renewal:waktu")["created_at"]
    shown = site.client.get("/outbox/message", params={"key": "renewal:waktu"}).text
    local = created.astimezone(site.pantau.settings.zone)
    assert f"{local:%H:%M} WIB" in shown and "UTC" not in shown


def test_the_matrix_searches_sorts_filters_and_folds_long_developments(sample):
    login(sample)
    every = sample.client.get("/matrix").text
    assert every.count('<tr id="row-') == 32
    found = sample.client.get("/matrix", params={"q": "gimje"}).text
    assert 'id="row-kota-batam-gimje"' in found and found.count('<tr id="row-') == 1
    by_note = sample.client.get("/matrix", params={"q": "MoU"}).text  # words of the developments too
    assert 0 < by_note.count('<tr id="row-') < 32
    dormant = sample.client.get("/matrix", params={"status": "tidak_aktif"}).text
    assert set(re.findall(r'data-status="(\w+)"', dormant)) == {"tidak_aktif"}
    exploring = sample.client.get("/matrix", params={"stage": "exploring"}).text
    assert set(re.findall(r'data-stage="(\w+)"', exploring)) == {"exploring"}
    assert "KBRI Seoul" in every and '<option value="kbri-seoul" >kbri-seoul' not in every  # desk by its name
    by_partner = sample.client.get("/matrix", params={"sort": "partner"}).text
    assert re.findall(r'<tr id="row-', by_partner) and by_partner != every
    assert "<details><summary>" in every  # earlier developments folded under the latest


def test_the_english_matrix_writes_english_dates_and_no_sd(sample):
    login(sample)
    english = sample.client.get("/matrix", params={"lang": "en"}).text
    assert " s.d. " not in english
    assert "MoU 7 Oct 2016 – 6 Oct 2021" in english  # Bandung – Seoul
    indonesian = sample.client.get("/matrix", params={"lang": "id"}).text
    assert "MoU 7 Okt 2016 s.d. 6 Okt 2021" in indonesian


# English fragments the record's API uses; none may reach an Indonesian page.
ENGLISH = (
    "is not a date",
    "is after",
    "is before",
    "required field",
    "expected `",
    "not registered",
    "Unknown or revoked",
    "in_force",
    "tidak_aktif",
    "kurang_aktif",
    "kbri-seoul",
    "indonesia",
    "partner",
    "Not found",
    "None yet",
    "notfound",
)


def visible_text(html: str) -> str:
    """What a reader sees: the page without its tags, scripts and the private calendar address."""
    html = re.sub(r'<a href="[^"]*" id="calendar-feed">[^<]*</a>', "", html)
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    "path",
    [
        "/matrix",
        "/matrix?as_of=junk",
        "/expiries",
        "/outbox",
        "/mailbox",
        "/notes/review",
        "/partnerships/kota-bandung-seoul",
        "/partnerships/kota-bandung-seoul/activity",
        "/partnerships/new",
        "/users",
        "/partnerships/nowhere",
    ],
)
def test_no_indonesian_page_shows_english_or_a_raw_code(sample, path):
    login(sample)
    page = visible_text(sample.client.get(path, params={"lang": "id"}).text)
    assert [fragment for fragment in ENGLISH if fragment in page] == []


def test_a_bad_date_reads_in_the_language_of_the_page(sample):
    login(sample)
    form = sample.client.get("/partnerships/kota-bandung-seoul/activity").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    answers = {}
    for lang in ("id", "en"):
        sample.client.get("/matrix", params={"lang": lang})
        answers[lang] = sample.client.post(
            "/partnerships/kota-bandung-seoul/activity",
            data={"csrf": csrf, "form_id": f"f-{lang}", "occurred_on": "", "kind": "visit", "title": "x"},
        ).text
    said = {lang: re.search(r'id="err-occurred_on"[^>]*>([^<]+)<', page).group(1) for lang, page in answers.items()}
    assert said["id"] != said["en"], said  # each in its page's language
    assert not any(word in said["id"] for word in ("date", "required", "is not", "expected")), said["id"]
    assert "is not a date" not in answers["id"]


def test_the_expiries_page_filters_by_desk_and_day(sample):
    login(sample)
    seoul = sample.client.get("/expiries", params={"desk": "kbri-seoul", "as_of": "2021-06-01"}).text
    assert "per 1 Jun 2021" in seoul and set(re.findall(r'data-desk="([^"]*)"', seoul)) == {"kbri-seoul"}
    assert 'id="row-' not in sample.client.get("/expiries", params={"desk": "kbri-nowhere"}).text
    assert "bukan tanggal" in sample.client.get("/expiries", params={"as_of": "junk"}).text


def test_the_exports_have_human_headings_an_autofilter_and_a_frozen_header(sample):
    from io import BytesIO

    from openpyxl import load_workbook

    login(sample)
    csv_text = sample.client.get("/matrix.csv", params={"desk": "kbri-seoul"}).text
    header = csv_text.splitlines()[0]
    assert header.startswith("\ufeffNo.,Provinsi/Kota,Mitra,Negara,Dokumen kerja sama,Status (dihitung)")
    assert "tidak_aktif" not in csv_text and "in_force" not in csv_text and "(berakhir)" in csv_text
    english = sample.client.get("/matrix.csv", params={"lang": "en"}).text
    assert english.startswith("\ufeffNo.,Province or city,Partner") and " s.d. " not in english
    book = load_workbook(BytesIO(sample.client.get("/matrix.xlsx").content))
    sheet = book.active
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:M")
    assert [c.value for c in sheet[2]][:3] == ["No.", "Provinsi/Kota", "Mitra"]


def test_outbox_reasons_read_in_the_pages_language(site, engine, clock):
    from notifications.outbox import NO_RECIPIENT
    from notifications.send_reasons import SendReason

    _queue(engine, clock, "renewal:tanpa-alamat", "undeliverable")
    import sqlalchemy as sa

    from events.database import writing
    from notifications.schema import outbox

    with writing(engine) as conn:
        conn.execute(sa.update(outbox).values(**SendReason(NO_RECIPIENT, "no_recipient").row()))
    login(site)
    indonesian = visible_text(site.client.get("/outbox", params={"lang": "id"}).text)
    assert "tidak ada alamat penerima" in indonesian and "no recipient address" not in indonesian
    assert "no recipient address" in site.client.get("/outbox", params={"lang": "en"}).text


def test_an_outbox_reason_stored_before_codes_shows_its_text_as_the_detail_unread(site, engine, clock):
    import sqlalchemy as sa

    from events.database import writing
    from notifications.schema import outbox

    _queue(engine, clock, "renewal:lama", "failed")
    with writing(engine) as conn:  # as a row of migration 0010 reads: the text alone
        old = {"last_error": "550 no such user", "last_error_code": None, "last_error_params": None}
        conn.execute(sa.update(outbox).where(outbox.c.key == "renewal:lama").values(**old))
    login(site)
    shown = site.client.get("/outbox/message", params={"key": "renewal:lama"}).text
    assert "pengiriman gagal" in shown and "rincian teknis" in shown and "550 no such user" in shown
    assert "server surat menolak pesan" not in shown  # the text is not read to guess its words
