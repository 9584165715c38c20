"""People sign in with a name and a password, set through a one-time link that an invitation or a reset mails."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest

from notifications.alert_rules import AlertRules
from notifications.worker import OutboxWorker
from service import passwords
from service.access_log import redact
from service.api.session import COOKIE
from service.api.throttle import LIMIT
from service.auth import authenticate, list_users
from service.smtp_sink import DatabaseMailbox, list_received
from tests.api_fixtures import build

BASE = "https://pantau.example.go.id"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FORM_ID = re.compile(r'name="form_id" value="([^"]+)"')
LINK = re.compile(re.escape(BASE) + r"/password/[A-Za-z0-9_-]+(\?lang=en)?")
PASSWORD = "kopi tubruk pagi hari"


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock, base_url=BASE)
    with api.client:
        yield api


def csrf(site, address: str) -> str:
    page = site.client.get(address)
    assert page.status_code == 200, page.text
    return CSRF.search(page.text).group(1)


def sign_in(site, username: str = "", password: str = ""):
    """Post the sign-in form as a browser would, from a fresh visit."""
    site.client.cookies.clear()
    return site.client.post(
        "/login",
        data={"username": username, "password": password, "csrf": csrf(site, "/login"), "next": "/matrix"},
        follow_redirects=False,
    )


def as_admin(site) -> None:
    assert sign_in(site, password=site.tokens["admin"]).status_code == 303  # a token, no name: scripts, first admin


def invite(site, **fields):
    as_admin(site)
    page = site.client.get("/users").text
    form = {"csrf": CSRF.search(page).group(1), "form_id": FORM_ID.search(page).group(1)}
    return site.client.post("/users", data={"role": "desk", "desk": "kbri-seoul", **form, **fields})


def delivered(site, smtp_server) -> list[EmailMessage]:
    """Send what the outbox holds through the real SMTP server on loopback; the messages it received."""
    pantau = site.pantau
    OutboxWorker(pantau.engine, smtp_server.sender(), pantau.clock, AlertRules()).drain()
    return smtp_server.parsed()


def link_in(mail: EmailMessage) -> str:
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    found = LINK.search(text)
    assert found is not None, text
    assert f'href="{found.group()}"' in html  # the HTML part leads to the same place
    return found.group()


def set_password(site, link: str, password: str = PASSWORD, again: str | None = None):
    path = urlsplit(link).path + (f"?{urlsplit(link).query}" if urlsplit(link).query else "")
    return site.client.post(
        path,
        data={"csrf": csrf(site, path), "password": password, "password_again": password if again is None else again},
        follow_redirects=False,
    )


def opens_matrix(site) -> bool:
    return site.client.get("/matrix", follow_redirects=False).status_code == 200


def test_an_invited_person_follows_the_mailed_link_sets_a_password_and_signs_in(site, smtp_server):
    added = invite(site, name="Dewi Lestari", email="dewi@kbri-seoul.example")
    assert added.status_code == 201 and "dewi@kbri-seoul.example" in added.text
    [mail] = delivered(site, smtp_server)
    assert mail["To"] == "dewi@kbri-seoul.example" and mail["Subject"] == "Undangan menggunakan Pantau"
    assert mail["Content-Language"] == "id" and "Yth. Dewi Lestari," in mail.get_body(("plain",)).get_content()
    link = link_in(mail)
    # The outbox, which every signed-in user reads, never shows the link.
    outbox = site.client.get("/outbox").text + site.client.get(f"/outbox/message?key={mail['X-Pantau-Key']}").text
    assert urlsplit(link).path not in outbox and "tautan pribadi" in outbox

    site.client.cookies.clear()
    form = site.client.get(urlsplit(link).path)
    assert form.status_code == 200 and "Dewi Lestari" in form.text and 'name="password_again"' in form.text
    assert set_password(site, link, again="kopi tubruk sore hari").status_code == 422  # two different: kept open
    assert set_password(site, link, password="pendek").status_code == 422  # too short: kept open
    done = set_password(site, link)
    assert done.status_code == 303 and done.headers["location"] == "/login?done=password"
    assert "Kata sandi sudah disimpan" in site.client.get(done.headers["location"]).text

    signed = sign_in(site, "DEWI LESTARI", PASSWORD)  # the name is compared without case
    assert signed.status_code == 303 and signed.headers["location"] == "/matrix" and COOKIE in signed.cookies
    assert opens_matrix(site)
    assert sign_in(site, "Dewi Lestari", PASSWORD + "!").status_code == 401
    assert not opens_matrix(site)


def test_a_used_or_expired_link_opens_nothing(site, smtp_server, clock):
    invite(site, name="dewi", email="dewi@kbri-seoul.example")
    invite(site, name="budi", email="budi@kbri-seoul.example")
    first, second = (link_in(mail) for mail in delivered(site, smtp_server))
    site.client.cookies.clear()
    assert set_password(site, first).status_code == 303
    used = site.client.get(urlsplit(first).path)
    assert used.status_code == 404 and "tidak berlaku lagi" in used.text
    assert 'name="password"' not in used.text
    clock.advance(hours=site.pantau.settings.invite_link_hours, seconds=1)
    assert site.client.get(urlsplit(second).path).status_code == 404
    token = csrf(site, "/login")  # the form is gone; a post with the visit's CSRF token still sets nothing
    late = site.client.post(
        urlsplit(second).path, data={"csrf": token, "password": PASSWORD, "password_again": PASSWORD}
    )
    assert late.status_code == 404 and sign_in(site, "budi", PASSWORD).status_code == 401


def test_wrong_passwords_count_toward_the_failed_login_limit(site, smtp_server):
    invite(site, name="dewi", email="dewi@kbri-seoul.example")
    [mail] = delivered(site, smtp_server)
    site.client.cookies.clear()
    set_password(site, link_in(mail))
    limit = site.app.state.auth_failures.limit
    for n in range(limit):
        assert sign_in(site, "dewi", f"salah ke-{n}").status_code == 401
    refused = sign_in(site, "dewi", PASSWORD)  # the right password too, until the window passes
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert not opens_matrix(site)


def test_a_forgotten_password_is_reset_by_a_mailed_link_in_the_persons_language(site, smtp_server, clock):
    invite(site, name="kim", email="kim@seoul.example", language="en")
    [invitation] = delivered(site, smtp_server)
    assert invitation["Subject"] == "Your invitation to Pantau" and invitation["Content-Language"] == "en"
    site.client.cookies.clear()
    set_password(site, link_in(invitation))
    for name in ("KIM", "nobody-here"):  # the same answer whether the name is known or not
        answer = site.client.post("/password/forgot", data={"csrf": csrf(site, "/password/forgot"), "username": name})
        assert answer.status_code == 200 and 'id="sent"' in answer.text
    [_, reset] = delivered(site, smtp_server)
    assert reset["To"] == "kim@seoul.example" and reset["Subject"] == "Reset your Pantau password"
    link = link_in(reset)
    assert link.endswith("?lang=en") and "Reset your password" in site.client.get(link.removeprefix(BASE)).text
    clock.advance(hours=site.pantau.settings.reset_link_hours - 1)
    assert set_password(site, link, password="a new sentence to remember").status_code == 303
    assert sign_in(site, "kim", PASSWORD).status_code == 401
    assert sign_in(site, "kim", "a new sentence to remember").status_code == 303


def test_a_new_password_ends_the_sessions_the_old_one_opened(site, clock):
    engine = site.pantau.engine
    passwords.set_password(engine, "seoul", PASSWORD, clock())
    sign_in(site, "seoul", PASSWORD)
    kept = site.client.cookies[COOKIE]
    passwords.set_password(engine, "seoul", "another long password", clock())
    site.client.cookies.clear()
    site.client.cookies.set(COOKIE, kept)
    assert not opens_matrix(site)


@pytest.mark.parametrize(
    "name, reason",
    [
        ("ADMIN", "sudah dipakai"),  # `admin` exists: compared without case
        ("ａｄｍｉｎ", "sudah dipakai"),  # full-width letters: NFKC makes them `admin`
        ("admin\u200b", "U+200B"),  # an invisible format character
        ("ad\u00admin", "U+00AD"),  # a soft hyphen
        ("admin\x00", "U+0000"),  # NUL: never sent to PostgreSQL
        ("admin\x01", "U+0001"),
        ("admin\u2028x", "U+2028"),
        ("admin\ufffe", "U+FFFE"),  # a noncharacter
        ("  ", "wajib diisi"),
        ("x" * 201, "terlalu panjang"),
    ],
)
def test_the_users_page_refuses_names_by_class(site, name, reason):
    response = invite(site, name=name, role="viewer")
    assert response.status_code == 422 and reason in response.text
    assert len(list_users(site.pantau.engine)) == 6  # the six of the fixture, nothing added


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"role": "desk", "desk": "../../etc"}, "&#34;../../etc&#34; bukan perwakilan yang dikenal"),
        ({"role": "desk", "desk": "kbri-atlantis"}, "&#34;kbri-atlantis&#34; bukan perwakilan yang dikenal"),
        ({"role": "desk", "desk": "kbri\x00seoul"}, "U+0000"),  # refused at the edge, before any query
        ({"role": "regional", "region": "Atlantis"}, "&#34;Atlantis&#34; bukan provinsi yang dikenal"),
        ({"role": "regional", "region": "Bali\x00"}, "U+0000"),
        ({"role": "viewer", "email": "a,b@example.go.id"}, "bukan alamat surel yang benar"),
    ],
)
def test_the_users_page_refuses_unknown_desks_and_regions_naming_them(site, fields, words):
    response = invite(site, name="baru", **fields)
    assert response.status_code == 422 and words in response.text
    assert "baru" not in [u.name for u in list_users(site.pantau.engine)]


def test_the_users_page_offers_the_known_desks_and_provinces_to_choose(site):
    as_admin(site)
    page = site.client.get("/users").text
    assert re.search(r'<select id="desk" name="desk"', page) and '<option value="kbri-seoul"' in page
    assert '<select id="region" name="region"' in page and '<option value="Papua Pegunungan"' in page
    added = invite(site, name="regional baru", role="regional", region="jawa barat")
    assert added.status_code == 201
    assert [u.region for u in list_users(site.pantau.engine) if u.name == "regional baru"] == ["Jawa Barat"]


def test_revoking_a_name_no_user_can_have_is_refused_on_both_databases(site):
    as_admin(site)
    token = csrf(site, "/users")
    response = site.client.post("/users/revoke", data={"csrf": token, "name": "seoul\x00"})
    assert response.status_code == 422 and "U+0000" in response.text  # the edge's refusal, never a 500
    assert authenticate(site.pantau.engine, site.tokens["seoul"]) is not None


def test_a_token_still_signs_in_scripts_and_the_api(site):
    assert site.get("/api/status").status_code == 200
    assert sign_in(site, "", site.tokens["viewer"]).status_code == 303
    assert sign_in(site, "viewer", site.tokens["viewer"]).status_code == 401  # a name asks for its password


def test_the_api_adds_a_user_for_a_known_desk_and_refuses_an_unknown_one_naming_it(site, smtp_server):
    added = site.post(
        "/api/users", {"name": "Rina", "role": "desk", "desk": "kbri-seoul", "email": "rina@kbri.example"}
    )
    assert added.status_code == 201 and authenticate(site.pantau.engine, added.json()["token"]).name == "Rina"
    assert [m["Subject"] for m in delivered(site, smtp_server)] == ["Undangan menggunakan Pantau"]
    for body, field, words in [
        ({"name": "x", "role": "desk", "desk": "../../etc"}, "desk", "'../../etc' is not a desk"),
        ({"name": "x", "role": "regional", "region": "Atlantis\x00"}, "region", "is not a known province"),
        ({"name": "RINA", "role": "viewer"}, "name", "already exists"),
        ({"name": "ri\u200bna", "role": "viewer"}, "name", "U+200B"),
        ({"name": "ri\x00na", "role": "viewer"}, "name", "U+0000"),
    ]:
        refused = site.post("/api/users", body)
        assert refused.status_code == 422, refused.text
        [reason] = [f["reason"] for f in refused.json()["error"]["fields"] if f["field"] == field]
        assert words in reason
    assert site.post("/api/users", {"name": "y", "role": "viewer"}, who="seoul").status_code == 403
    listed = site.get("/api/users").json()
    assert [u["name"] for u in listed].count("Rina") == 1 and "token" not in listed[0]


def test_the_local_mailbox_shows_an_invitation_to_administrators_only(site, smtp_server):
    invite(site, name="dewi", email="dewi@kbri-seoul.example")
    delivered(site, smtp_server)
    DatabaseMailbox(site.pantau.engine)(smtp_server.messages[0])  # as the embedded sink keeps it
    [received] = list_received(site.pantau.engine)
    assert site.get(f"/api/mailbox/{received['id']}", who="viewer").status_code == 403
    assert "/password/" in site.get(f"/api/mailbox/{received['id']}").text
    sign_in(site, password=site.tokens["viewer"])
    page = site.client.get(f"/mailbox/{received['id']}")
    assert page.status_code == 403 and "/password/" not in page.text


def test_reset_requests_are_limited_per_address_and_a_user_without_an_address_gets_no_mail(site, smtp_server):
    for _ in range(LIMIT):
        answer = site.client.post(
            "/password/forgot", data={"csrf": csrf(site, "/password/forgot"), "username": "seoul"}
        )
        assert answer.status_code == 200 and 'id="sent"' in answer.text
    assert delivered(site, smtp_server) == []  # `seoul` has no e-mail address
    refused = site.client.post("/password/forgot", data={"csrf": csrf(site, "/password/forgot"), "username": "seoul"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_a_form_key_or_name_holding_nul_is_refused_not_a_500_on_both_databases(site):
    as_admin(site)
    page = site.client.get("/users").text
    response = site.client.post(
        "/users", data={"csrf": CSRF.search(page).group(1), "form_id": "a\x00b", "name": "x\x00", "role": "viewer"}
    )
    assert response.status_code == 422 and "U+0000" in response.text
    refused = site.client.post(
        "/users", data={"csrf": CSRF.search(page).group(1), "form_id": "a\x00b", "name": "rina", "role": "viewer"}
    )
    assert refused.status_code == 422 and "form_id" in refused.text and len(list_users(site.pantau.engine)) == 6
    assert sign_in(site, "ri\x00na", PASSWORD).status_code == 422  # the edge refuses it before any query


def test_the_access_log_never_shows_a_password_links_secret():
    assert redact('"GET /password/AbC-_123?lang=en HTTP/1.1"') == '"GET /password/[redacted]?lang=en HTTP/1.1"'
    assert redact('"POST /password/forgot HTTP/1.1"') == '"POST /password/forgot HTTP/1.1"'


def test_an_admin_cannot_revoke_themselves_by_another_case_of_their_name(site):
    as_admin(site)
    response = site.client.post("/users/revoke", data={"csrf": csrf(site, "/users"), "name": "ADMIN"})
    assert response.status_code == 404 and authenticate(site.pantau.engine, site.tokens["admin"]) is not None
