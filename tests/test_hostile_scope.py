"""Scope holds after each write too: no desk or regional user can move a partnership out of reach."""

from __future__ import annotations

import pytest

from tests.api_fixtures import build

STREAM = "kota-bandung-seoul"  # desk kbri-seoul, province Jawa Barat


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    with client.client:
        yield client


def change(stream: str = STREAM, **data) -> dict:
    return {"stream": stream, "type": "PartnershipDetailsChanged", "occurred_on": "2026-11-01", "data": data}


def registration(stream: str, desk: str = "kbri-seoul", province: str = "Jawa Barat") -> dict:
    return {"stream": stream, "type": "PartnershipRegistered", "occurred_on": "2026-11-01",
            "data": {"kind": "sister_city", "desk": desk,
                     "indonesia": {"name": "Kota Bogor", "level": "city", "province": province},
                     "partner": {"name": "Suwon", "level": "si", "country": "KR"}}}


DESK_CONTACT = {"stream": "kota-bogor-suwon", "type": "ContactAssigned", "occurred_on": "2026-11-01",
                "data": {"contact_id": "x", "name": "X", "side": "desk", "email": "x@evil.example"}}


@pytest.mark.parametrize("who, batch", [
    # registered in scope, moved out of it, then given a desk contact: the tester's attack
    ("seoul", [registration("kota-bogor-suwon"), change("kota-bogor-suwon", desk="kbri-tokyo"), DESK_CONTACT]),
    ("jabar", [registration("kota-bogor-suwon"),
               change("kota-bogor-suwon", indonesia={"province": "Bali"}), DESK_CONTACT]),
    # an existing partnership moved to another desk or province
    ("seoul", [change(desk="kbri-tokyo")]),
    ("jabar", [change(indonesia={"province": "Bali"})]),
    # moved within scope but to another desk still counts as moving (admins only)
    ("seoul", [change(desk="kbri-seoul-2")]),
    # registered outside scope, even when a later event would bring it back
    ("seoul", [registration("kota-bogor-suwon", desk="kbri-tokyo"), change("kota-bogor-suwon", desk="kbri-seoul")]),
])
def test_a_batch_cannot_move_a_partnership_out_of_the_writers_scope(api, who, batch):
    head = api.pantau.store.head()
    response = api.post("/api/events", batch, who=who)
    assert response.status_code == 403, response.json()
    assert response.json()["error"]["fields"][0]["field"] == "stream"
    assert api.pantau.store.head() == head


def test_details_within_scope_still_change_and_an_admin_may_move(api):
    renamed = api.post("/api/events", change(indonesia={"name": "Kota Bandung Raya"}), who="seoul")
    assert renamed.status_code == 201, renamed.json()
    same_desk = api.post("/api/events", change(desk="kbri-seoul"), who="seoul")
    assert same_desk.status_code == 201, same_desk.json()
    moved = api.post("/api/events", change(desk="kbri-tokyo"), who="admin")
    assert moved.status_code == 201
    # now Tokyo's: Seoul may no longer write, Tokyo may
    note = {"stream": STREAM, "type": "NoteAdded", "occurred_on": "2026-11-02", "data": {"text": "x"}}
    assert api.post("/api/events", note, who="seoul").status_code == 403
    assert api.post("/api/events", note, who="tokyo").status_code == 201
