"""Every route walked with hostile values: NUL and over-long text in each parameter, a forged Host.

The routes come from the application itself (API and pages alike), so a route added later is
walked too. Each value is refused with a 4xx naming the parameter, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from service.api.storable import MAX_PARAMETER, unfit
from tests.api_fixtures import build

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
# A plausible value of each path parameter, so a route is reached with only one value hostile.
SAMPLE = {
    "stream": "kota-bandung-seoul",
    "desk": "kbri-seoul",
    "year": "2024",
    "subject": "mou-2020",
    "key": "k1",
    "event_id": "e1",
    "message_id": "1",
    "draft_id": "d1",
    "plan_id": "p1",
    "fmt": "csv",
}
# Fields the pages read from their forms without declaring them (request.form()).
FORM_FIELDS = ("form_id", "csrf", "name", "desk", "region", "role", "key", "token", "text", "occurred_on", "title")
HOSTILE = {"nul": "a\x00b", "long": "x" * (MAX_PARAMETER + 1)}


def _params(dependant) -> tuple[set[str], set[str], set[str]]:
    """(path, query, form) parameter names of a route, its dependencies' included."""
    path = {p.alias for p in dependant.path_params}
    query = {p.alias for p in dependant.query_params}
    form = {p.alias for p in dependant.body_params if type(p.field_info).__name__ == "Form"}
    for sub in dependant.dependencies:
        more = _params(sub)
        path, query, form = path | more[0], query | more[1], form | more[2]
    return path, query, form


def routes(app) -> list[tuple[str, str, set[str], set[str], set[str]]]:
    """(method, path template, path, query and form parameter names) of every route of the app."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            path, query, form = _params(route.dependant)
            found += [(method, route.path, path, query, form) for method in sorted(route.methods)]
    return found


def _url(template: str, hostile: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: hostile.get(m.group(1), SAMPLE.get(m.group(1), "x1")), template)


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        page = api.client.get("/login")
        api.client.post("/login", data={"token": api.tokens["admin"], "csrf": CSRF.search(page.text).group(1)})
        api.client.headers["Authorization"] = f"Bearer {api.tokens['admin']}"  # pages read the session
        yield api


def test_the_walk_reaches_the_routes_the_tester_found_broken(site):
    walked = {(m, p) for m, p, *_ in routes(site.app)}
    for expected in [
        ("GET", "/matrix"),
        ("GET", "/digest"),
        ("GET", "/notes/review"),
        ("GET", "/outbox/message"),
        ("GET", "/api/outbox/{key}"),
        ("POST", "/users"),
        ("POST", "/users/revoke"),
        ("POST", "/outbox/retry"),
        ("POST", "/partnerships/{stream}/activity"),
    ]:
        assert expected in walked
    assert len(walked) > 80


def _refused_naming(answer, name: str) -> None:
    assert answer.status_code == 422, (answer.request.method, answer.request.url, answer.status_code, answer.text[:300])
    assert f"{name}: " in answer.text, answer.text[:300]


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_value_in_any_path_or_query_parameter_is_refused_naming_it(site, kind):
    value = HOSTILE[kind]
    quoted = value.replace("\x00", "%00")
    checked = 0
    for method, template, path, query, _form in routes(site.app):
        for name in path:
            _refused_naming(site.client.request(method, _url(template, {name: quoted})), name)
            checked += 1
        for name in query | {"lang"}:
            _refused_naming(site.client.request(method, _url(template, {}), params={name: value}), name)
            checked += 1
    assert checked > 150


def test_a_nul_in_a_static_file_name_is_no_such_file(site):
    for mount in ("/static", "/docs-assets"):
        answer = site.client.get(f"{mount}/pantau%00.css")
        assert answer.status_code == 404, (mount, answer.status_code)


def test_a_nul_in_any_form_field_is_refused_naming_it(site):
    posts = [(t, form) for method, t, _p, _q, form in routes(site.app) if method == "POST"]
    for template, form in posts:
        for name in sorted(form | set(FORM_FIELDS)):
            answer = site.client.post(_url(template, {}), data={name: "a\x00b"}, follow_redirects=False)
            _refused_naming(answer, name)
        # the same field sent as multipart, which the pages would read as well
        answer = site.client.post(_url(template, {}), files={"form_id": (None, "a\x00b")}, follow_redirects=False)
        _refused_naming(answer, "form_id")


def test_a_page_names_the_parameter_in_its_language(site):
    page = site.client.get("/matrix?desk=kbri%00")
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert "desk: memuat karakter NUL" in page.text
    english = site.client.get("/matrix?desk=kbri%00&lang=en")
    assert "desk: holds a NUL character" in english.text


def test_a_value_no_database_holds_is_named_by_its_reason():
    assert unfit("kbri-seoul", 100) is None
    assert unfit("kbri\x00", 100) == "nul"
    assert unfit("x" * 101, 100) == "long"
    assert unfit("a\ud800b", 100) == "surrogate"
    assert unfit("Łódź – 東京 🙂", 100) is None


def test_no_answer_of_any_route_carries_a_host_the_client_sent(site):
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Server": "evil.example"}
    for method, template, *_ in routes(site.app):
        if method != "GET":
            continue
        answer = site.client.get(_url(template, {}), headers=forged, follow_redirects=False)
        assert answer.status_code < 500, (template, answer.text[:300])
        assert "evil.example" not in str(answer.headers).lower(), template
        assert "evil.example" not in answer.text, template
    expiries = site.client.get("/expiries", headers=forged)
    assert "http://127.0.0.1:8000/api/calendar/all.ics?key=" in expiries.text
