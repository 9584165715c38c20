"""Who may write what: each role × each write is allowed or refused with 403, nothing stored."""

from __future__ import annotations

import pytest

from tests.api_fixtures import USERS, build

pytestmark = pytest.mark.service

ALLOWED = {"admin", "seoul", "jabar"}  # Bandung – Seoul: desk kbri-seoul, province Jawa Barat


def _writes(name: str) -> dict[str, tuple[str, dict]]:
    stream = "kota-bandung-seoul"
    return {
        "append": (
            "/api/events",
            {"stream": stream, "type": "NoteAdded", "occurred_on": "2026-11-01", "data": {"text": f"note by {name}"}},
        ),
        "activity": (
            f"/api/partnerships/{stream}/activities",
            {"occurred_on": "2026-11-02", "kind": "visit", "title": f"visit by {name}"},
        ),
        "agreement": (
            f"/api/partnerships/{stream}/agreements",
            {"occurred_on": "2026-11-03", "agreement_id": f"ia-{name}", "document": "IA"},
        ),
        "contact": (
            f"/api/partnerships/{stream}/contacts",
            {"contact_id": f"c-{name}", "name": name, "side": "indonesia"},
        ),
        "register": (
            "/api/partnerships",
            {
                "stream": f"kota-bogor-{name}",
                "kind": "sister_city",
                "desk": "kbri-seoul",
                "indonesia": {"name": "Kota Bogor", "level": "city", "province": "Jawa Barat"},
                "partner": {"name": "Suwon", "level": "si", "country": "KR"},
            },
        ),
    }


@pytest.mark.parametrize("write", ["append", "activity", "agreement", "contact", "register"])
def test_each_role_may_write_only_within_its_scope(database, engine, clock, write):
    api = build(database, engine, clock)
    with api.client:
        for name in USERS:
            path, body = _writes(name)[write]
            head = api.pantau.store.head()
            response = api.post(path, body, who=name)
            if name in ALLOWED:
                assert response.status_code == 201, (name, write, response.json())
                stored = response.json()
                stored = stored[0] if isinstance(stored, list) else stored
                assert stored["meta"]["actor"] == name
            else:
                assert response.status_code == 403, (name, write, response.json())
                assert response.json()["error"]["code"] == "forbidden"
                assert api.pantau.store.head() == head


def test_everyone_may_read(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        for name in USERS:
            for path in (
                "/api/status",
                "/api/matrix",
                "/api/partnerships/kota-bandung-seoul/events",
                "/api/partnerships/kota-bandung-seoul",
                "/api/calendar/kbri-seoul.ics",
            ):
                assert api.get(path, who=name).status_code == 200, (name, path)
