"""Every write from the pages, through the TestClient: success, bad input beside the field, refusals,
the one-time form key, the duplicate question, corrections storing only what changed, /users."""

from __future__ import annotations

import io
import re

import pytest

from service.auth import authenticate
from tests.api_fixtures import build
from tests.helpers import activity, event

STREAM = "kota-bandung-seoul"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FORM_ID = re.compile(r'name="form_id" value="([^"]+)"')


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        yield api


def login(site, who: str = "admin") -> None:
    page = site.client.get("/login")
    response = site.client.post(
        "/login",
        data={"token": site.tokens[who], "csrf": CSRF.search(page.text).group(1), "next": "/matrix"},
        follow_redirects=False,
    )
    assert response.status_code == 303


def open_form(site, address: str) -> dict:
    """The hidden fields of a freshly opened form (its CSRF token and one-time key)."""
    page = site.client.get(address)
    assert page.status_code == 200, page.text
    return {"csrf": CSRF.search(page.text).group(1), "form_id": FORM_ID.search(page.text).group(1)}


def submit(site, address: str, **fields):
    return site.client.post(address, data={**open_form(site, address), **fields}, follow_redirects=False)


def stored(site, stream: str = STREAM) -> list:
    return site.pantau.store.stream(stream)


# Each address of the table, what a valid submission types, and the event it stores.
WRITES = [
    (
        f"/partnerships/{STREAM}/agreements/new",
        {
            "occurred_on": "2024-03",
            "agreement_id": "moa-2024",
            "document": "MoA",
            "term_years": "3",
            "fields": "pendidikan, pariwisata",
        },
        "AgreementSigned",
        {"agreement_id": "moa-2024", "document": "MoA", "term_years": 3, "fields": ["pendidikan", "pariwisata"]},
    ),
    (
        f"/partnerships/{STREAM}/agreements/mou-2020/renew",
        {"occurred_on": "2024-12-01", "valid_until": "2029-12", "note": "diperpanjang"},
        "AgreementRenewed",
        {"agreement_id": "mou-2020", "valid_until": "2029-12", "note": "diperpanjang"},
    ),
    (
        f"/partnerships/{STREAM}/agreements/mou-2020/terminate",
        {"occurred_on": "2024", "reason": "tidak dilanjutkan"},
        "AgreementTerminated",
        {"agreement_id": "mou-2020", "reason": "tidak dilanjutkan"},
    ),
    (
        f"/partnerships/{STREAM}/contacts/new",
        {
            "occurred_on": "2026-11-01",
            "contact_id": "budi",
            "name": "Pak Budi",
            "side": "partner",
            "email": "budi@example.kr",
            "language": "en",
        },
        "ContactAssigned",
        {"contact_id": "budi", "name": "Pak Budi", "side": "partner", "email": "budi@example.kr", "language": "en"},
    ),
    (
        f"/partnerships/{STREAM}/contacts/putri/remove",
        {"occurred_on": "2026-11-02"},
        "ContactRemoved",
        {"contact_id": "putri"},
    ),
    (
        f"/partnerships/{STREAM}/notes/new",
        {"occurred_on": "2026-11", "text": "Rapat koordinasi daring"},
        "NoteAdded",
        {"text": "Rapat koordinasi daring"},
    ),
    (
        f"/partnerships/{STREAM}/status/new",
        {"occurred_on": "2026-11-20", "status": "kurang_aktif"},
        "StatusAssessed",
        {"status": "kurang_aktif"},
    ),
    (
        f"/partnerships/{STREAM}/end",
        {"occurred_on": "2026-11-21", "reason": "disepakati kedua pihak"},
        "PartnershipEnded",
        {"reason": "disepakati kedua pihak"},
    ),
    (
        f"/partnerships/{STREAM}/registry/withhold",
        {"occurred_on": "2026-11-22", "reason": "menunggu persetujuan pemda"},
        "PublicationWithheld",
        {"reason": "menunggu persetujuan pemda"},
    ),
]


@pytest.mark.parametrize(("address", "typed", "type_", "data"), WRITES, ids=[w[2] for w in WRITES])
def test_each_form_stores_its_event_named_after_the_catalogue_keys(site, address, typed, type_, data):
    login(site, "seoul")
    response = submit(site, address, **typed)
    assert response.status_code == 303
    assert response.headers["location"] == f"/partnerships/{STREAM}?saved={type_}#timeline"
    last = stored(site)[-1]
    assert last.type == type_ and last.data == data and last.meta["actor"] == "seoul"
    assert str(last.occurred_on) == typed["occurred_on"]  # partial dates kept as typed
    page = site.client.get(response.headers["location"]).text
    assert "sudah" in page.split('role="status"', 1)[1].split("</p>", 1)[0]  # "Kegiatan sudah dicatat."


def test_a_new_partnership_is_registered_from_the_page_and_opens_on_its_own_page(site):
    login(site, "seoul")
    response = submit(
        site,
        "/partnerships/new",
        **{
            "stream": "kota-surabaya-busan",
            "occurred_on": "2026-10-01",
            "kind": "sister_city",
            "indonesia.name": "Kota Surabaya",
            "indonesia.level": "city",
            "indonesia.province": "Jawa Timur",
            "partner.name": "Busan",
            "partner.level": "metropolitan city",
            "partner.country": "kr",
            "desk": "kbri-seoul",
            "fields": "pelabuhan",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/partnerships/kota-surabaya-busan?saved=")
    registered = stored(site, "kota-surabaya-busan")[0]
    assert registered.data == {
        "kind": "sister_city",
        "desk": "kbri-seoul",
        "fields": ["pelabuhan"],
        "indonesia": {"name": "Kota Surabaya", "level": "city", "province": "Jawa Timur"},
        "partner": {"name": "Busan", "level": "metropolitan city", "country": "KR"},
    }
    assert "Kota Surabaya – Busan" in site.client.get(response.headers["location"]).text


def test_a_taken_partnership_code_and_bad_fields_are_told_beside_each_field(site):
    login(site)
    response = submit(
        site,
        "/partnerships/new",
        **{
            "stream": STREAM,
            "occurred_on": "2019-13",
            "kind": "sister_city",
            "indonesia.name": "",
            "indonesia.level": "city",
            "partner.name": "Busan",
            "partner.level": "city",
            "partner.country": "Korea",
        },
    )
    assert response.status_code == 422
    html = response.text
    assert 'id="err-stream"' in html and "sudah dipakai" in html
    assert 'id="err-occurred_on" role="alert"' in html and "bulan dalam 2019-13 tidak ada" in html
    assert 'id="err-indonesia-name" role="alert">Pihak Indonesia: wajib diisi' in html
    assert 'id="err-partner-country"' in html and "dua huruf" in html
    assert 'value="Korea"' in html  # what was typed stays
    assert stored(site, STREAM)[0].type == "PartnershipRegistered" and len(stored(site)) == 3


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", "bukan tanggal; tulis misalnya 14/03/2019, 14 Maret 2019, Maret 2019 atau 2019"),
        ("en", "not a date; type e.g. 14/03/2019, 14 March 2019, March 2019 or 2019"),
    ],
)
def test_a_bad_date_is_told_in_the_pages_language(site, lang, words):
    login(site)
    address = f"/partnerships/{STREAM}/notes/new"
    site.client.get(f"{address}?lang={lang}")
    response = submit(site, address, occurred_on="5 November kemarin", text="x")
    assert response.status_code == 422
    assert f'role="alert">{"Tanggal" if lang == "id" else "Date"}: {words}</p>' in response.text
    assert len(stored(site)) == 3


def test_dates_before_their_start_and_in_the_future_are_refused_with_the_reason(site):
    login(site)
    response = submit(
        site,
        f"/partnerships/{STREAM}/agreements/new",
        occurred_on="2024-03-01",
        agreement_id="moa",
        document="MoA",
        valid_until="2023",
    )
    assert response.status_code == 422 and "tidak boleh sebelum 1 Mar 2024" in response.text
    future = submit(site, f"/partnerships/{STREAM}/notes/new", occurred_on="2027", text="x")
    assert future.status_code == 422 and "setelah hari ini (23 Nov 2026)" in future.text
    assert len(stored(site)) == 3


def test_a_form_key_stores_once_whatever_is_sent_again_and_leads_to_the_first_result(site):
    login(site, "jabar")
    address = f"/partnerships/{STREAM}/activity"
    hidden = open_form(site, address)
    first = site.client.post(
        address,
        data={**hidden, "occurred_on": "2026-11-20", "kind": "visit", "title": "Kunjungan delegasi"},
        follow_redirects=False,
    )
    assert first.status_code == 303 and "again" not in first.headers["location"]
    # Double click or reload: the same body again; Back, edit and submit: another body, same key.
    for title in ("Kunjungan delegasi", "Kunjungan delegasi (diubah)"):
        again = site.client.post(
            address,
            data={**hidden, "occurred_on": "2026-11-20", "kind": "visit", "title": title},
            follow_redirects=False,
        )
        assert (
            again.status_code == 303
            and again.headers["location"] == f"/partnerships/{STREAM}?saved=ActivityLogged&again=1#timeline"
        )
    assert [e.type for e in stored(site)].count("ActivityLogged") == 1
    assert "sudah dikirim sebelumnya" in site.client.get(again.headers["location"]).text


def test_a_new_activity_like_a_recorded_one_asks_before_it_is_stored(site):
    site.pantau.store.append([activity("2026-10-05", "visit", "act-1", title="Kunjungan Wali Kota")])
    login(site)
    address = f"/partnerships/{STREAM}/activity"
    hidden = open_form(site, address)
    typed = {**hidden, "occurred_on": "2026-10-05", "kind": "visit", "title": "kunjungan wali kota"}
    asked = site.client.post(address, data=typed, follow_redirects=False)
    assert asked.status_code == 409
    assert "Sudah tercatat sebagai 5 Okt 2026 — Kunjungan — Kunjungan Wali Kota — simpan juga?" in asked.text
    assert 'name="confirm"' in asked.text and len(stored(site)) == 4
    saved = site.client.post(address, data={**typed, "confirm": "1"}, follow_redirects=False)
    assert saved.status_code == 303 and len(stored(site)) == 5
    # Another date, the same kind and title recorded in the last days: Back and submit again, asked.
    back_again = submit(site, address, occurred_on="2026-10-06", kind="visit", title="Kunjungan Wali Kota")
    assert back_again.status_code == 409 and len(stored(site)) == 5


def test_the_same_kind_and_title_on_another_date_is_another_activity_once_days_have_passed(site, clock):
    site.pantau.store.append([activity("2026-10-05", "visit", "act-1", title="Kunjungan Wali Kota")])
    clock.advance(days=4)  # recorded four days ago: beyond the rule's few days
    login(site)
    address = f"/partnerships/{STREAM}/activity"
    other_day = submit(site, address, occurred_on="2026-10-06", kind="visit", title="Kunjungan Wali Kota")
    assert other_day.status_code == 303  # another date is another activity: no question


def test_a_correction_shows_the_values_as_they_are_and_stores_only_what_changed(site):
    site.pantau.store.append(
        [
            activity(
                "2019",
                "festival",
                "act-1",
                description="Festival budaya",
                participants=40,
                direction="joint",
                fields=["budaya", "seni"],
            )
        ]
    )
    login(site)
    address = f"/partnerships/{STREAM}/activities/act-1/correct"
    page = site.client.get(address).text
    assert 'value="2019"' in page and 'value="40"' in page and "Festival budaya</textarea>" in page
    assert '<option value="festival" selected>' in page and '<option value="joint" selected>' in page
    assert 'value="budaya, seni"' in page
    response = submit(
        site,
        address,
        occurred_on="2019-11",
        kind="festival",
        title="festival",
        description="Festival budaya Korea",
        direction="joint",
        participants="040",
        fields="budaya,seni",
    )
    assert response.status_code == 303
    correction = stored(site)[-1]
    assert correction.type == "ActivityCorrected"
    assert correction.data == {"activity_id": "act-1", "occurred_on": "2019-11", "description": "Festival budaya Korea"}
    assert str(correction.occurred_on) == "2026-11-23"  # the day the record was fixed


def test_a_correction_that_changes_nothing_stores_nothing(site):
    site.pantau.store.append([activity("2019", "festival", "act-1")])
    login(site)
    response = submit(
        site, f"/partnerships/{STREAM}/activities/act-1/correct", occurred_on="2019", kind="festival", title="festival"
    )
    assert response.status_code == 422 and "Tidak ada yang berubah" in response.text
    assert len(stored(site)) == 4


def test_a_retraction_and_then_its_links_are_gone(site):
    site.pantau.store.append([activity("2021-03-01", "training", "act-1")])
    login(site)
    page = site.client.get(f"/partnerships/{STREAM}").text
    assert f'href="/partnerships/{STREAM}/activities/act-1/correct"' in page
    assert f'href="/partnerships/{STREAM}/agreements/mou-2020/renew"' in page
    assert f'href="/partnerships/{STREAM}/contacts/putri/remove"' in page
    address = f"/partnerships/{STREAM}/activities/act-1/retract"
    empty = submit(site, address, occurred_on="2026-11-23", reason="", confirm="1")
    assert empty.status_code == 422 and 'id="err-reason"' in empty.text  # the reason is required
    asked = submit(site, address, occurred_on="2026-11-23", reason="tercatat dua kali")
    assert asked.status_code == 200 and "Yakin menarik kegiatan ini?" in asked.text  # asked first, nothing stored
    assert stored(site)[-1].type == "ActivityLogged"
    assert 'name="confirm" value="1"' in asked.text and "tercatat dua kali" in asked.text  # the reason kept
    response = submit(site, address, occurred_on="2026-11-23", reason="tercatat dua kali", confirm="1")
    assert response.status_code == 303
    assert stored(site)[-1].data == {"activity_id": "act-1", "reason": "tercatat dua kali"}
    after = site.client.get(f"/partnerships/{STREAM}").text
    assert "act-1/correct" not in after and "<em>ditarik</em>" in after
    assert site.client.get(f"/partnerships/{STREAM}/activities/act-1/retract").status_code == 404


@pytest.mark.parametrize("who", ["viewer", "tokyo", "bali"])
@pytest.mark.parametrize("address", [w[0] for w in WRITES] + [f"/partnerships/{STREAM}/activity"])
def test_a_form_the_user_may_not_use_answers_403_in_their_language_and_stores_nothing(site, who, address):
    login(site, who)
    opened = site.client.get(address)
    assert opened.status_code == 403 and 'role="alert"' in opened.text
    assert "tidak berwenang" in opened.text or "hanya dapat membaca" in opened.text
    assert 'name="form_id"' not in opened.text
    english = site.client.get(f"{address}?lang=en")
    assert english.status_code == 403 and ("may not record" in english.text or "may only read" in english.text)
    csrf = CSRF.search(opened.text).group(1)
    refused = site.client.post(
        address,
        data={"csrf": csrf, "form_id": "f", "occurred_on": "2026-11-01", "text": "x", "status": "aktif"},
        follow_redirects=False,
    )
    assert refused.status_code == 403 and len(stored(site)) == 3


def test_a_viewer_sees_no_buttons_nor_links_that_write(site):
    site.pantau.store.append([activity("2021-03-01", "training", "act-1")])
    login(site, "viewer")
    page = site.client.get(f"/partnerships/{STREAM}").text
    assert '/activity"' not in page and "/correct" not in page and "/renew" not in page
    assert "/notes/new" not in page and '/end"' not in page
    matrix = site.client.get("/matrix").text
    assert "/partnerships/new" not in matrix and 'href="/users"' not in matrix
    assert site.client.get("/partnerships/new").status_code == 403
    assert site.client.get("/users").status_code == 403


def test_a_writer_sees_the_buttons_of_the_partnerships_they_may_write(site):
    login(site, "seoul")
    page = site.client.get(f"/partnerships/{STREAM}").text
    for address in ("/activity", "/agreements/new", "/contacts/new", "/notes/new", "/status/new", "/end"):
        assert f'href="/partnerships/{STREAM}{address}"' in page
    assert 'href="/partnerships/new"' in site.client.get("/matrix").text


def test_a_desk_users_matrix_opens_on_their_desk(site):
    site.pantau.store.append(
        [
            event(
                "kota-bogor-tokyo",
                "PartnershipRegistered",
                "2015-01-01",
                {
                    "kind": "sister_city",
                    "desk": "kbri-tokyo",
                    "indonesia": {"name": "Kota Bogor", "level": "city", "province": "Jawa Barat"},
                    "partner": {"name": "Tokyo", "level": "city", "country": "JP"},
                },
            )
        ]
    )
    login(site, "tokyo")
    mine = site.client.get("/matrix").text
    assert "row-kota-bogor-tokyo" in mine and f"row-{STREAM}" not in mine
    everyone = site.client.get("/matrix?desk=").text
    assert "row-kota-bogor-tokyo" in everyone and f"row-{STREAM}" in everyone


def test_partial_dates_are_shown_as_written(site):
    site.pantau.store.append(
        [
            activity("2019", "festival", "a-2019"),
            activity("2019-11", "visit", "a-2019-11"),
            activity("2019-11-05", "meeting", "a-2019-11-05"),
        ]
    )
    login(site)
    html = site.client.get(f"/partnerships/{STREAM}").text
    assert '<span class="date">2019</span>' in html and '<span class="date">Nov 2019</span>' in html
    assert '<span class="date">5 Nov 2019</span>' in html and "2019-12-31" not in html
    english = site.client.get(f"/partnerships/{STREAM}?lang=en").text
    assert '<span class="date">10 Jan 2020</span>' in english  # the MoU's signing
    form = site.client.get(f"/partnerships/{STREAM}/activity").text
    assert "14 March 2019, March 2019, or just 2019" in form  # the hint beside each date (English: remembered)


def test_the_matrix_its_exports_and_the_expiries_show_agreement_dates_as_written(site):
    site.pantau.store.append(
        [
            event(
                STREAM,
                "AgreementSigned",
                "2024",
                {"agreement_id": "moa-2024", "document": "MoA", "valid_until": "2026-12"},
            ),
            event(
                STREAM,
                "AgreementSigned",
                "2025-05",
                {"agreement_id": "mou-2025", "document": "MoU", "valid_until": "2025-12"},
            ),
            event(STREAM, "AgreementRenewed", "2025-11-03", {"agreement_id": "mou-2025", "valid_until": "2027"}),
        ]
    )
    login(site)
    matrix = site.client.get("/matrix").text
    assert "MoA 2024 s.d. Des 2026" in matrix and "MoU Mei 2025 s.d. 2027" in matrix  # the renewal's end
    assert "1 Jan 2024" not in matrix and "31 Des 2026" not in matrix and "31 Des 2027" not in matrix
    assert "MoA 2024 – Dec 2026" in site.client.get("/matrix?lang=en").text
    site.client.get("/matrix?lang=id")
    before = site.client.get("/matrix?as_of=2025-10-01").text
    assert "MoU Mei 2025 s.d. Des 2025" in before  # the end in force that day, not the later renewal's
    expiries = site.client.get("/expiries").text
    assert '<td data-label="Berlaku s.d.">Des 2026</td>' in expiries and "31 Des 2026" not in expiries
    for export in ("/matrix.csv", "/api/matrix?format=csv"):
        text = site.get(export).text
        assert "MoA 2024 s.d. Des 2026" in text and "31 Des 2026" not in text
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(site.get("/matrix.xlsx").content)).active
    cells = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "MoA 2024 s.d. Des 2026" in cells and "31 Des 2026" not in cells
    rows = site.get("/api/matrix?format=json").json()["rows"]
    [moa] = [a for r in rows for a in r["agreements"] if a["agreement_id"] == "moa-2024"]
    assert moa["signed_on"] == "2024-01-01" and moa["valid_until"] == "2026-12-31"  # the JSON keeps ISO days
    assert set(moa) == {"agreement_id", "document", "signed_on", "valid_until", "state", "days_left"}


def test_the_last_activity_is_the_written_year_not_an_invented_last_day(site):
    site.pantau.store.append([activity("2021", "festival", "a-2021")])
    login(site)
    html = site.client.get(f"/partnerships/{STREAM}").text
    assert "Kegiatan terakhir</span> 2021</div>" in html and "2021-12-31" not in html


def test_an_admin_adds_a_user_sees_the_token_once_and_revokes_it(site):
    login(site)
    response = submit(site, "/users", name="dewi@example.go.id", role="desk", desk="kbri-seoul")
    assert response.status_code == 201
    token = re.search(r'<p class="token">([^<]+)</p>', response.text).group(1)
    user = authenticate(site.pantau.engine, token)
    assert user.name == "dewi@example.go.id" and user.role == "desk" and user.desk == "kbri-seoul"
    listing = site.client.get("/users").text
    assert "dewi@example.go.id" in listing and token not in listing
    revoked = site.client.post(
        "/users/revoke",
        data={"csrf": CSRF.search(listing).group(1), "name": "dewi@example.go.id"},
        follow_redirects=False,
    )
    assert revoked.status_code == 303 and authenticate(site.pantau.engine, token) is None
    assert "Akses dewi@example.go.id dicabut" in site.client.get(revoked.headers["location"]).text


def test_the_users_form_sent_twice_adds_once_and_never_shows_the_token_again(site):
    login(site)
    hidden = open_form(site, "/users")
    typed = {**hidden, "name": "rina", "role": "viewer"}
    first = site.client.post("/users", data=typed)
    again = site.client.post("/users", data=typed)
    assert first.status_code == 201 and 'class="token"' in first.text
    assert again.status_code == 200 and 'class="token"' not in again.text and "sudah ditambahkan" in again.text
    assert site.client.get("/users").text.count('data-name="rina"') == 1


def test_the_users_form_tells_what_is_missing(site):
    login(site)
    response = submit(site, "/users", name="seoul", role="regional", region="")
    assert response.status_code == 422
    assert 'id="err-name" role="alert"' in response.text and "sudah dipakai" in response.text
    missing = submit(site, "/users", name="baru", role="regional", region="")
    assert 'id="err-region" role="alert"' in missing.text and "provinsinya" in missing.text


@pytest.mark.parametrize("who", ["seoul", "viewer"])
def test_only_admins_manage_users(site, who):
    login(site, who)
    page = site.client.get("/users")
    assert page.status_code == 403 and "Hanya administrator" in page.text
    csrf = CSRF.search(page.text).group(1)
    assert site.client.post("/users", data={"csrf": csrf, "name": "x", "role": "admin"}).status_code == 403
    assert site.client.post("/users/revoke", data={"csrf": csrf, "name": "admin"}).status_code == 403
    assert authenticate(site.pantau.engine, site.tokens["admin"]) is not None


def test_a_note_typed_on_several_lines_is_stored_with_newlines_not_carriage_returns(site):
    login(site, "seoul")
    response = submit(
        site, f"/partnerships/{STREAM}/notes/new", occurred_on="2026-11", text="Rapat pertama\r\nRapat kedua"
    )
    assert response.status_code == 303
    assert stored(site)[-1].data == {"text": "Rapat pertama\nRapat kedua"}


def test_the_desk_holds_a_partnership_back_from_the_public_registry_and_shows_it_again(site):
    login(site, "seoul")
    page = site.client.get(f"/partnerships/{STREAM}").text
    assert "Ditampilkan" in page and f'href="/partnerships/{STREAM}/registry/withhold"' in page
    assert site.client.get(f"/registri/{STREAM}").status_code == 200
    held = submit(site, f"/partnerships/{STREAM}/registry/withhold", occurred_on="2026-11-22", reason="belum disetujui")
    assert held.status_code == 303
    page = site.client.get(held.headers["location"]).text
    assert "Tidak ditampilkan" in page and "(belum disetujui)" in page
    assert site.client.get(f"/registri/{STREAM}").status_code == 404  # the public page, from the next answer on
    shown = submit(site, f"/partnerships/{STREAM}/registry/restore", occurred_on="2026-11-23")
    assert shown.status_code == 303 and stored(site)[-1].type == "PublicationRestored"
    assert site.client.get(f"/registri/{STREAM}").status_code == 200


def test_a_region_may_write_the_record_but_not_the_registrys_say(site):
    login(site, "jabar")  # Kota Bandung lies in Jawa Barat
    page = site.client.get(f"/partnerships/{STREAM}").text
    assert f'href="/partnerships/{STREAM}/activity"' in page and "/registry/withhold" not in page
    asked = site.client.get(f"/partnerships/{STREAM}/registry/withhold")  # refused before anything is typed
    assert asked.status_code == 403 and "administrator atau desk" in asked.text
    before = len(stored(site))
    page = site.client.get(f"/partnerships/{STREAM}/activity").text  # a form key of the region's own
    data = {"csrf": CSRF.search(page).group(1), "form_id": "f", "occurred_on": "2026-11-22", "reason": "x"}
    refused = site.client.post(f"/partnerships/{STREAM}/registry/withhold", data=data, follow_redirects=False)
    assert refused.status_code == 403 and len(stored(site)) == before


def _register(site, **fields):
    typed = {
        "occurred_on": "2026-10-01",
        "kind": "sister_province",
        "indonesia.name": "Jawa Barat",
        "indonesia.level": "province",
        "indonesia.province": "Jawa Barat",
        "partner.name": "Gyeongsangbuk-do",
        "partner.level": "province",
        "partner.country": "KR",
        "desk": "kbri-seoul",
    }
    return submit(site, "/partnerships/new", **{**typed, **fields})


def test_a_partnership_registered_without_a_code_gets_one_made_from_both_names(site):
    login(site, "seoul")
    first = _register(site)
    assert first.headers["location"].startswith("/partnerships/jabar-gyeongsangbuk-do?saved=")
    again = _register(site, occurred_on="2026-10-02")  # the same names once more: a code of its own
    assert again.headers["location"].startswith("/partnerships/jabar-gyeongsangbuk-do-2?saved=")
    typed = _register(site, stream="jabar-gyeongsangbuk-do")  # a code typed that is taken is refused
    assert typed.status_code == 422 and "sudah dipakai" in typed.text


def test_an_agreement_signed_without_a_code_gets_its_document_and_year(site):
    login(site, "seoul")
    for expected in ("mou-2024", "mou-2024-2"):
        response = submit(
            site, f"/partnerships/{STREAM}/agreements/new", occurred_on="14/03/2024", document="MoU", term_years="5"
        )
        assert response.status_code == 303
        assert stored(site)[-1].data["agreement_id"] == expected
    page = site.client.get(f"/partnerships/{STREAM}/agreements/mou-2024/renew").text
    assert '<p class="subject card">MoU · Ditandatangani 14 Mar 2024</p>' in page  # in words, not by its code


def test_the_contact_form_carries_its_code_unseen(site):
    login(site, "seoul")
    page = site.client.get(f"/partnerships/{STREAM}/contacts/new").text
    code = re.search(r'<input type="hidden" name="contact_id" value="(kontak-[0-9a-f]+)">', page)
    assert code is not None and "Kode kontak" not in page
    saved = submit(
        site,
        f"/partnerships/{STREAM}/contacts/new",
        occurred_on="2026-11-01",
        name="Ibu Sari",
        side="indonesia",
        contact_id=code.group(1),
    )
    assert saved.status_code == 303 and stored(site)[-1].data["name"] == "Ibu Sari"
