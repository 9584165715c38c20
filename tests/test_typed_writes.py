"""Every typed write takes exactly its catalogue type's fields, stores each one, refuses any other."""

from __future__ import annotations

import msgspec
import pytest

from events.catalogue import TYPES
from service.api.partnerships import TYPED_WRITES
from tests.api_fixtures import build

STREAM = "kota-bandung-seoul"

# One body per typed write carrying every field of its catalogue type (nested ones too), valid together.
FULL = {
    "PartnershipRegistered": {
        "stream": "kota-bogor-suwon",
        "occurred_on": "2001-05-02",
        "kind": "sister_city",
        "indonesia": {"name": "Kota Bogor", "level": "city", "province": "Jawa Barat"},
        "partner": {"name": "Suwon", "level": "si", "country": "KR", "local_name": "수원시"},
        "desk": "kbri-seoul",
        "fields": ["education"],
    },
    "ActivityLogged": {
        "occurred_on": "2026-11-01",
        "activity_id": "act-x1",
        "kind": "training",
        "title": "Pelatihan",
        "description": "Pelatihan pengelolaan sampah",
        "ends_on": "2026-11-03",
        "direction": "outbound",
        "mode": "in_person",
        "participants": 25,
        "fields": ["environment"],
        "plan_id": "rkt-2026-1",
        "results": "hasil baik",
        "beneficiaries": "petugas kebersihan",
        "beneficiary_count": 40,
        "funding": {"amount": 15000000, "currency": "IDR", "source": "APBD"},
    },
    "AgreementSigned": {
        "occurred_on": "2024-03-01",
        "agreement_id": "ia-2024",
        "document": "IA",
        "term_years": 3,
        "valid_from": "2024-03-01",
        "valid_until": "2027-02-28",
        "open_ended": False,
        "fields": ["education"],
        "note": "ditandatangani di Seoul",
        "draft_id": "draft-ia",
    },
    "ContactAssigned": {
        "occurred_on": "2026-11-02",
        "contact_id": "budi",
        "name": "Pak Budi",
        "side": "indonesia",
        "email": "budi@example.go.id",
        "phone": "+62 22 1234",
        "role": "Kepala Bagian Kerja Sama",
        "language": "en",
    },
}
# What the stream must hold first for the full body to be valid (a plan item, a draft).
BEFORE = {
    "ActivityLogged": ("ActivityPlanned", "2026-01-05", {"plan_id": "rkt-2026-1", "year": 2026, "kind": "training"}),
    "AgreementSigned": ("DraftOpened", "2023-06-01", {"draft_id": "draft-ia", "document": "IA"}),
}


def _paths(cls, prefix: str = "") -> set[str]:
    """Every field of a catalogue struct, nested ones as `outer.inner`."""
    out = set()
    for field in msgspec.structs.fields(cls):
        out.add(prefix + field.name)
        for member in getattr(field.type, "__args__", (field.type,)):
            if isinstance(member, type) and issubclass(member, msgspec.Struct):
                out |= _paths(member, f"{prefix}{field.name}.")
    return out


def _posted_paths(body: dict, prefix: str = "") -> set[str]:
    out = set()
    for key, value in body.items():
        out.add(prefix + key)
        if isinstance(value, dict):
            out |= _posted_paths(value, f"{prefix}{key}.")
    return out


def _route(spec) -> str:
    return next(route for route, typed in TYPED_WRITES.items() if typed is spec).replace("{stream}", STREAM)


@pytest.fixture
def api(database, engine, clock):
    built = build(database, engine, clock)
    with built.client:
        yield built


def test_each_example_body_carries_every_field_of_its_catalogue_type():
    for spec in TYPED_WRITES.values():
        posted = _posted_paths(FULL[spec.type_name]) - set(spec.envelope)
        assert posted == _paths(TYPES[spec.type_name]), spec.type_name


def test_every_post_under_api_partnerships_is_a_typed_write(api):
    paths = api.get("/openapi.json").json()["paths"]
    posts = {
        path for path, operations in paths.items() if "post" in operations and path.startswith("/api/partnerships")
    }
    assert posts == set(TYPED_WRITES)


@pytest.mark.parametrize("spec", TYPED_WRITES.values(), ids=lambda spec: spec.type_name)
def test_a_typed_write_stores_every_field_it_is_given(api, spec):
    if spec.type_name in BEFORE:
        type_, on, data = BEFORE[spec.type_name]
        made = api.post("/api/events", {"stream": STREAM, "type": type_, "occurred_on": on, "data": data})
        assert made.status_code == 201, made.text
    body = FULL[spec.type_name]
    response = api.post(_route(spec), body)
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["type"] == spec.type_name
    assert stored["data"] == {k: v for k, v in body.items() if k not in spec.envelope}
    assert stored["occurred_on"] == body["occurred_on"]
    [kept] = [e for e in api.get(f"/api/partnerships/{stored['stream']}/events").json() if e["id"] == stored["id"]]
    assert kept["data"] == stored["data"]


@pytest.mark.parametrize("spec", TYPED_WRITES.values(), ids=lambda spec: spec.type_name)
def test_a_typed_write_refuses_a_field_the_catalogue_does_not_know(api, spec):
    head = api.pantau.store.head()
    body = {**FULL[spec.type_name], "colour": "red"}
    response = api.post(_route(spec), body)
    assert response.status_code == 422, response.text
    fields = response.json()["error"]["fields"]
    assert [(f["field"], f["code"], f["params"]) for f in fields] == [
        ("data.colour", "unknown_field", {"name": "colour"})
    ]
    assert api.pantau.store.head() == head


def test_a_nested_unknown_field_is_refused_too(api):
    body = {**FULL["PartnershipRegistered"], "partner": {"name": "Suwon", "level": "si", "country": "KR", "x": 1}}
    response = api.post("/api/partnerships", body)
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["data.partner.x"]


def test_the_reported_activity_is_stored_whole_or_refused_like_api_events(api):
    reported = {
        "occurred_on": "2026-11-01",
        "kind": "training",
        "title": "Pelatihan",
        "activity_id": "act-x1",
        "plan_id": "no-such-plan",
        "results": "hasil baik",
        "beneficiary_count": 40,
    }
    typed = api.post(f"/api/partnerships/{STREAM}/activities", reported)
    envelope = {"stream": STREAM, "type": "ActivityLogged", "occurred_on": "2026-11-01"}
    raw = api.post("/api/events", {**envelope, "data": {k: v for k, v in reported.items() if k != "occurred_on"}})
    assert typed.status_code == raw.status_code == 422
    assert [f["field"] for f in typed.json()["error"]["fields"]] == ["data.plan_id"]
    assert typed.json()["error"]["fields"] == raw.json()["error"]["fields"]
    without_plan = {k: v for k, v in reported.items() if k != "plan_id"}
    stored = api.post(f"/api/partnerships/{STREAM}/activities", without_plan)
    assert stored.status_code == 201, stored.text
    assert stored.json()["data"]["results"] == "hasil baik" and stored.json()["data"]["beneficiary_count"] == 40


def test_a_missing_date_is_refused_where_the_write_needs_one(api):
    response = api.post(f"/api/partnerships/{STREAM}/activities", {"kind": "visit"})
    assert response.status_code == 422
    assert [(f["field"], f["code"]) for f in response.json()["error"]["fields"]] == [("occurred_on", "required")]


def test_an_empty_date_is_refused_not_taken_for_today(api):
    body = {"occurred_on": "", "contact_id": "budi", "name": "Pak Budi", "side": "indonesia"}
    response = api.post(f"/api/partnerships/{STREAM}/contacts", body)
    assert response.status_code == 422
    assert [(f["field"], f["code"]) for f in response.json()["error"]["fields"]] == [("occurred_on", "date_missing")]
    today = api.post(f"/api/partnerships/{STREAM}/contacts", {k: v for k, v in body.items() if k != "occurred_on"})
    assert today.status_code == 201 and today.json()["occurred_on"] == api.pantau.today().isoformat()


def test_the_openapi_body_of_each_typed_write_is_its_catalogue_type(api):
    paths = api.get("/openapi.json").json()["paths"]
    for route, spec in TYPED_WRITES.items():
        schema = paths[route]["post"]["requestBody"]["content"]["application/json"]["schema"]
        fields = {f.name for f in msgspec.structs.fields(TYPES[spec.type_name])}
        assert set(schema["properties"]) == fields | set(spec.envelope), route
        assert schema["additionalProperties"] is False
        assert not set(spec.made_up) & set(schema["required"])


def test_the_notes_review_writes_refuse_a_field_they_do_not_take(api):
    made = api.post(
        "/api/events", {"stream": STREAM, "type": "NoteAdded", "occurred_on": "2026-11-01", "data": {"text": "x"}}
    )
    note_id = made.json()[0]["id"]
    head = api.pantau.store.head()
    for action, body in (("dismiss", {"reason": "dobel", "colour": "red"}), ("accept", {"kind": "visit", "colour": 1})):
        response = api.post(f"/api/notes/{note_id}/{action}", body)
        assert response.status_code == 422, response.text
        fields = response.json()["error"]["fields"]
        assert [(f["field"], f["code"]) for f in fields] == [("colour", "unknown_field")]
    assert api.pantau.store.head() == head
