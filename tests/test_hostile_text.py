"""Text at the door: control characters, lone surrogates and sizes are refused naming the field."""

from __future__ import annotations

import json

import pytest

from events.jsonl import ImportRefused, import_events
from service.settings import Settings, SettingsError
from tests.api_fixtures import build

S = "kota-bandung-seoul"


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    with client.client:
        yield client


def raw_post(api, body: str, who: str = "admin", path: str = "/api/events"):
    """POST a JSON text as given (json= would refuse to encode a lone surrogate)."""
    return api.client.post(
        path,
        content=body.encode("utf-8", "surrogatepass"),
        headers=api.headers(who, **{"Content-Type": "application/json"}),
    )


NOTE = {"stream": S, "type": "NoteAdded", "occurred_on": "2026-11-01", "data": {"text": "ok"}}


@pytest.mark.parametrize(
    "field, envelope",
    [
        ("data.text", lambda c: {**NOTE, "data": {"text": f"a{c}b"}}),
        (
            "data.indonesia.name",
            lambda c: {**NOTE, "type": "PartnershipDetailsChanged", "data": {"indonesia": {"name": f"Kota{c}"}}},
        ),
        (
            "data.title",
            lambda c: {**NOTE, "type": "ActivityLogged", "data": {"activity_id": "a", "kind": "visit", "title": c}},
        ),
        (
            "data.fields[1]",
            lambda c: {
                **NOTE,
                "type": "ActivityLogged",
                "data": {"activity_id": "a", "kind": "visit", "fields": ["x", c]},
            },
        ),
        ("data.unknown_key", lambda c: {**NOTE, "data": {"text": "x", "unknown_key": c}}),
        ("meta.source", lambda c: {**NOTE, "meta": {"source": c}}),
    ],
)
def test_control_characters_but_tab_and_newline_are_refused_in_every_text_field(api, field, envelope):
    head = api.pantau.store.head()
    for char in ("\x00", "\x07", "\x1b", "\r", "\x0b", "\x1f"):
        response = api.post("/api/events", envelope(char))
        assert response.status_code == 422, response.json()
        assert [f["field"] for f in response.json()["error"]["fields"]] == [field]
    assert api.pantau.store.head() == head


def test_tab_and_newline_are_text(api):
    assert api.post("/api/events", {**NOTE, "data": {"text": "baris 1\n\tbaris 2"}}).status_code == 201


def test_the_import_refuses_control_characters_too(pantau, tmp_path):
    from events.jsonl import import_events as run

    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({**NOTE, "data": {"text": "a\u0000"}}) + "\n")
    with pytest.raises(ImportRefused) as refused, path.open("rb") as source:
        run(pantau.store, source, pantau.today())
    assert [e.field for e in refused.value.errors] == ["data.text"]


@pytest.mark.parametrize(
    ("where", "field"),
    [(b'"data": {"text": "x", "extra": "\xff"}', "data"), (b'"data": {"text": "x"}, "meta": {"by": "\xc3("}', "meta")],
)
def test_the_import_refuses_bytes_that_are_no_utf8_in_data_or_meta_and_stores_nothing(pantau, tmp_path, where, field):
    # msgspec checks UTF-8 only in the strings a payload type reads: an unknown key and meta
    # reached the store undecoded before, and their text could not be written.
    good = json.dumps(NOTE).encode()
    bad = b'{"stream": "kota-bandung-seoul", "type": "NoteAdded", "occurred_on": "2026-11-01", ' + where + b"}"
    path = tmp_path / "bad.jsonl"
    path.write_bytes(good + b"\n" + bad + b"\n")
    head = pantau.store.head()
    with pytest.raises(ImportRefused) as refused, path.open("rb") as source:
        import_events(pantau.store, source, pantau.today())
    assert [(e.line, e.field) for e in refused.value.errors] == [(2, field)]
    assert "UTF-8" in refused.value.errors[0].reason
    assert pantau.store.head() == head


BODIES = [
    (
        '{"stream": "kota-bandung-seoul", "type": "NoteAdded", "occurred_on": "2026-11-01", "data": {"text": "\\ud800"}}',
        "data.text",
    ),
    (
        '{"stream": "kota-bandung-seoul\\udfff", "type": "NoteAdded", "occurred_on": "2026-11-01", "data": {"text": "x"}}',
        "stream",
    ),
    (
        '[{"stream": "kota-bandung-seoul", "type": "NoteAdded", "occurred_on": "2026-11-01", '
        '"data": {"text": "x"}, "meta": {"\\ud800": 1}}]',
        "meta.(a key)",
    ),
    ('{"stream": "kota-bandung-seoul", "type": "\\ud83d", "occurred_on": "2026-11-01", "data": {}}', "type"),
]


def test_a_lone_surrogate_anywhere_is_a_422_naming_the_field_for_anyone(api):
    for body, field in BODIES:
        for who in ("admin", "tokyo"):  # tokyo is out of Bandung – Seoul's scope: still 422, not 500
            response = raw_post(api, body, who)
            assert response.status_code == 422, response.text
            assert field in [f["field"] for f in response.json()["error"]["fields"]]
            keyed = api.client.post(
                "/api/events",
                content=body.encode("utf-8", "surrogatepass"),
                headers=api.headers(who, **{"Content-Type": "application/json", "Idempotency-Key": "k1"}),
            )
            assert keyed.status_code == 422
        # a viewer may not write at all: refused before the body is read as events
        assert raw_post(api, body, "viewer").status_code == 403


def test_surrogates_in_the_convenience_routes(api):
    body = '{"occurred_on": "2026-11-01", "kind": "visit", "title": "\\udc00"}'
    response = raw_post(api, body, path=f"/api/partnerships/{S}/activities")
    assert response.status_code == 422 and "data.title" in response.text


def test_limits_refuse_long_text_many_events_and_big_bodies(database, engine, clock, monkeypatch):
    monkeypatch.setenv("PANTAU_MAX_TEXT_LENGTH", "50")
    monkeypatch.setenv("PANTAU_MAX_EVENTS", "3")
    monkeypatch.setenv("PANTAU_MAX_BODY_BYTES", "4000")
    settings = Settings.from_env(dotenv=None)
    assert (settings.max_text_length, settings.max_events, settings.max_body_bytes) == (50, 3, 4000)
    from fastapi.testclient import TestClient

    from service.api import create_app
    from service.auth import add_user

    app = create_app(
        Settings(database_url=database[0], max_text_length=50, max_events=3, max_body_bytes=4000),
        background=False,
        engine=engine,
        clock=clock,
    )
    token = add_user(engine, "admin", "admin", clock())[1]
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        register = {
            "stream": S,
            "type": "PartnershipRegistered",
            "occurred_on": "2020-01-01",
            "data": {
                "kind": "sister_city",
                "indonesia": {"name": "Kota Bandung", "level": "city"},
                "partner": {"name": "Seoul", "level": "si", "country": "KR"},
            },
        }
        assert client.post("/api/events", json=register, headers=headers).status_code == 201
        long = client.post("/api/events", json={**NOTE, "data": {"text": "x" * 51}}, headers=headers)
        assert long.status_code == 422 and long.json()["error"]["fields"][0]["field"] == "data.text"
        assert client.post("/api/events", json={**NOTE, "data": {"text": "x" * 50}}, headers=headers).status_code == 201
        many = client.post("/api/events", json=[NOTE] * 4, headers=headers)
        assert many.status_code == 413 and many.json()["error"]["code"] == "too_many_events"
        big = client.post(
            "/api/events", content=b"[" + b" " * 5000 + b"]", headers={**headers, "Content-Type": "application/json"}
        )
        assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"

        def chunks():  # no Content-Length: counted as it streams in
            for _ in range(10):
                yield b" " * 1000

        streamed = client.post("/api/events", content=chunks(), headers={**headers, "Content-Type": "application/json"})
        assert streamed.status_code == 413


@pytest.mark.parametrize("value", ["0", "-5", "lots"])
def test_a_bad_limit_is_refused_at_start_naming_the_variable(value):
    with pytest.raises(SettingsError, match="PANTAU_MAX_EVENTS"):
        Settings.from_env({"PANTAU_MAX_EVENTS": value}, dotenv=None)


def test_a_jsonl_file_with_a_byte_order_mark_imports(pantau, tmp_path):
    from events import mapper
    from tests.helpers import registered

    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + mapper.encode_line(registered()))
    with path.open("rb") as source:
        assert import_events(pantau.store, source, pantau.today()).added == 1
