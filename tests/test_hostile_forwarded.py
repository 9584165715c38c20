"""A proxy's word: the failed-login limit keys on the real client, and links on PANTAU_BASE_URL.

Forwarded headers are believed only from PANTAU_TRUSTED_PROXIES (none by default), so a client
can neither spread its failures over addresses it names nor count them against someone else's.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from service.api.forwarded import client_address
from service.api.throttle import LIMIT, address_of
from service.settings import Settings
from tests.api_fixtures import build
from tests.helpers import registered

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ATTEMPTS = 30


def _networks(*texts: str):
    import ipaddress

    return tuple(ipaddress.ip_network(t) for t in texts)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("203.0.113.9", [], (), "203.0.113.9"),
        ("127.0.0.1", ["203.0.113.99"], (), "127.0.0.1"),  # loopback is no proxy unless configured
        ("198.51.100.7", ["203.0.113.99"], ("10.0.0.0/8",), "198.51.100.7"),  # a stranger's header
        ("10.0.0.2", ["203.0.113.5"], ("10.0.0.0/8",), "203.0.113.5"),
        ("10.0.0.2", ["6.6.6.6, 203.0.113.5, 10.0.0.9"], ("10.0.0.0/8",), "203.0.113.5"),  # two proxies
        ("10.0.0.2", ["6.6.6.6", "203.0.113.5"], ("10.0.0.0/8",), "203.0.113.5"),  # two header lines
        ("10.0.0.2", ["6.6.6.6, not-an-address"], ("10.0.0.0/8",), "10.0.0.2"),
        ("10.0.0.2", [], ("10.0.0.0/8",), "10.0.0.2"),
        ("2001:db8::1", ["2a00:1450::7"], ("2001:db8::/32",), "2a00:1450::7"),
        ("testclient", ["203.0.113.99"], ("10.0.0.0/8",), "testclient"),
    ],
)
def test_the_client_is_the_nearest_hop_no_trusted_proxy_vouches_for(peer, forwarded, trusted, client):
    headers = [(b"x-forwarded-for", line.encode()) for line in forwarded]
    assert client_address(peer, headers, _networks(*trusted)) == client


def test_an_ipv6_client_is_counted_by_its_64_so_stepping_addresses_does_not_step_past_the_limit():
    def key(host: str) -> str:
        return address_of(SimpleNamespace(client=SimpleNamespace(host=host)))

    assert key("2a00:1450:4001:81a::1") == key("2a00:1450:4001:81a:ffff::9") == "2a00:1450:4001:81a::/64"
    assert key("2a00:1450:4001:81a::1") != key("2a00:1450:4001:81b::1")
    assert key("::ffff:203.0.113.5") == key("203.0.113.5") == "203.0.113.5"


def _login_form(client: TestClient, token: str, headers: dict):
    page = client.get("/login", headers=headers)
    data = {"token": token, "csrf": CSRF.search(page.text).group(1), "next": "/matrix"}
    return client.post("/login", data=data, headers=headers, follow_redirects=False)


# The three doors a guess can knock on: a bearer token, a calendar feed key, the sign-in page.
DOORS = {
    "token": lambda client, right, h: client.get("/api/status", headers={"Authorization": f"Bearer {right}", **h}),
    "feed_key": lambda client, right, h: client.get(f"/api/calendar/all.ics?key={right}", headers=h),
    "sign_in": lambda client, right, h: _login_form(client, right, h),
}
RIGHT = {"token": lambda api: api.tokens["admin"], "sign_in": lambda api: api.tokens["admin"]}


def _right(api, door: str) -> str:
    if door == "feed_key":
        from service.auth import list_users

        admin = next(u for u in list_users(api.pantau.engine) if u.name == "admin")
        return api.app.state.feeds.dump(admin.id)
    return RIGHT[door](api)


def _api(database, engine, clock, **settings):
    api = build(database, engine, clock, **settings)
    api.pantau.store.append([registered("kota-bogor-seoul")])
    return api


@pytest.mark.parametrize("door", DOORS)
def test_thirty_wrong_guesses_each_naming_another_forwarded_address_meet_429(database, engine, clock, door):
    api = _api(database, engine, clock)
    on_the_machine = TestClient(api.app, client=("127.0.0.1", 41000))  # uvicorn used to believe loopback
    codes = [
        DOORS[door](on_the_machine, "guess", {"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(ATTEMPTS)
    ]
    assert codes == [401] * LIMIT + [429] * (ATTEMPTS - LIMIT)


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("trusted", [(), ("10.0.0.0/8",)], ids=["no_proxy", "behind_proxy"])
def test_forged_failures_from_an_address_never_lock_out_the_client_at_that_address(
    database, engine, clock, door, trusted
):
    api = _api(database, engine, clock, trusted_proxies=trusted)
    attacker = TestClient(api.app, client=("198.51.100.7", 41000))
    forged = {"X-Forwarded-For": "203.0.113.99"}
    codes = [DOORS[door](attacker, "guess", forged).status_code for _ in range(LIMIT + 1)]
    assert codes[-1] == 429  # the attacker locked out itself
    if trusted:  # the real 203.0.113.99 arrives through the proxy, which says so
        victim = TestClient(api.app, client=("10.0.0.2", 41001))
        said = {"X-Forwarded-For": "203.0.113.99"}
    else:
        victim, said = TestClient(api.app, client=("203.0.113.99", 41001)), {}
    answer = DOORS[door](victim, _right(api, door), said)
    assert answer.status_code in (200, 303), answer.text[:200]


@pytest.mark.parametrize("door", DOORS)
def test_behind_a_trusted_proxy_a_client_cannot_write_itself_a_new_address(database, engine, clock, door):
    api = _api(database, engine, clock, trusted_proxies=("10.0.0.0/8",))
    proxy = TestClient(api.app, client=("10.0.0.2", 41000))
    codes = [
        DOORS[door](proxy, "guess", {"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.5"}).status_code
        for n in range(LIMIT + 2)
    ]
    assert codes == [401] * LIMIT + [429] * 2
    neighbour = DOORS[door](proxy, _right(api, door), {"X-Forwarded-For": "203.0.113.6"})
    assert neighbour.status_code in (200, 303)


def test_the_next_page_link_is_at_the_public_address_whatever_host_was_sent(database, engine, clock):
    api = _api(database, engine, clock, base_url="https://pantau.example.go.id")
    for hostile in ({"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}):
        answer = api.client.get("/api/status?limit=1", headers=api.headers(**hostile))
        assert answer.status_code == 200
        link = answer.headers["Link"]
        assert link.startswith("<https://pantau.example.go.id/api/status?") and link.endswith('>; rel="next"')
        assert "evil" not in link and "cursor=" in link and "limit=1" in link


def test_a_public_address_under_a_path_keeps_its_path_in_links(database, engine, clock):
    api = _api(database, engine, clock, base_url="https://portal.example.go.id/pantau")
    link = api.client.get("/api/status?limit=1", headers=api.headers(Host="evil.example")).headers["Link"]
    assert link.startswith("<https://portal.example.go.id/pantau/api/status?limit=1&cursor=")


def test_settings_default_to_no_trusted_proxy_and_a_loopback_public_address():
    settings = Settings.from_env({}, dotenv=None)
    assert settings.trusted_proxies == () and settings.base_url == "http://127.0.0.1:8000"


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request, tmp_path):
    """A real `pantau serve` (uvicorn with its proxy headers as `pantau serve` sets them) on each database."""
    from urllib.parse import quote

    from tests.serve_process import Server

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pantau.db'}"
    else:
        pg_url, connect_args, _ = request.getfixturevalue("pg_database")
        url = f"{pg_url}?options={quote(connect_args['options'])}"
    public = {"PANTAU_BASE_URL": "https://pantau.example.go.id"}
    with Server(tmp_path, url, extra_env=public) as server:
        yield server


@pytest.mark.service  # a real pantau serve
def test_a_served_process_believes_no_forwarded_header_from_loopback(served):
    import httpx

    with httpx.Client(base_url=served.url, timeout=30) as client:
        codes = [
            client.get(
                "/api/status", headers={"Authorization": "Bearer guess", "X-Forwarded-For": f"198.51.100.{n}"}
            ).status_code
            for n in range(ATTEMPTS)
        ]
        assert codes == [401] * LIMIT + [429] * (ATTEMPTS - LIMIT)
    with httpx.Client(base_url=served.url, timeout=30) as client:  # another address would be let in; this is it
        assert client.get("/api/status", headers={"Authorization": f"Bearer {served.token}"}).status_code == 429


@pytest.mark.service  # a real pantau serve
def test_a_served_process_builds_links_from_its_public_address(served):
    import httpx

    headers = {"Authorization": f"Bearer {served.token}", "Host": "evil.example"}
    with httpx.Client(base_url=served.url, timeout=30) as client:
        answer = client.get("/api/status?limit=1", headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.headers["Link"].startswith("<https://pantau.example.go.id/api/status?limit=1&cursor=")
        slash = client.get("/api/status/", headers=headers, follow_redirects=False)
        assert "evil" not in slash.headers.get("location", "") and "evil" not in slash.text
