"""Arbitrary Unicode (surrogates and controls included) in every string field of every event type:
never a 5xx, and every export still works afterwards (hypothesis, on both databases)."""

from __future__ import annotations

import csv
import io
import itertools
import json

import msgspec.inspect as mi
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from events.catalogue import TYPES
from tests.api_fixtures import build

S = "kota-bandung-seoul"  # registered, with agreement mou-2020 and contact putri (api_fixtures)
BASELINES = {
    "PartnershipRegistered": {"kind": "sister_city", "desk": "kbri-seoul",
                              "indonesia": {"name": "Kota Bogor", "level": "city", "province": "Jawa Barat"},
                              "partner": {"name": "Suwon", "level": "si", "country": "KR"}},
    "PartnershipDetailsChanged": {"indonesia": {"name": "Kota Bandung"}},
    "ContactAssigned": {"contact_id": "c", "name": "C", "side": "indonesia", "email": "c@bandung.example"},
    "ContactRemoved": {"contact_id": "putri"},
    "AgreementSigned": {"agreement_id": "a", "document": "MoU"},
    "AgreementRenewed": {"agreement_id": "mou-2020"},
    "AgreementTerminated": {"agreement_id": "mou-2020"},
    "ActivityLogged": {"activity_id": "v", "kind": "visit"},
    "ActivityCorrected": {"activity_id": "v"},
    "ActivityRetracted": {"activity_id": "v"},
    "NoteAdded": {"text": "catatan"},
    "StatusAssessed": {"status": "aktif"},
    "ApprovalRecorded": {"step": "dprd"},
}
TEXT = st.text(st.characters(blacklist_categories=()), max_size=40)  # every code point, surrogates too


def string_paths(kind, prefix=()):
    """Paths to every string a payload type can hold (through optional fields, sides and arrays)."""
    if isinstance(kind, mi.UnionType):
        for member in kind.types:
            yield from string_paths(member, prefix)
    elif isinstance(kind, (mi.StrType, mi.LiteralType)):
        yield prefix
    elif isinstance(kind, mi.StructType):
        for field in kind.fields:
            yield from string_paths(field.type, (*prefix, field.name))
    elif isinstance(kind, (mi.VarTupleType, mi.ListType)):
        yield from string_paths(kind.item_type, (*prefix, 0))


def placed(data: dict, path: tuple, value: str) -> dict:
    """A copy of `data` with `value` at `path` (making the objects and arrays on the way)."""
    data = json.loads(json.dumps(data))
    target = data
    for step, following in zip(path, path[1:]):
        if isinstance(step, int):
            while len(target) <= step:
                target.append({} if isinstance(following, str) else [])
            target = target[step]
        else:
            target = target.setdefault(step, [] if isinstance(following, int) else {})
    last = path[-1]
    if isinstance(last, int):
        target.append(value)
    else:
        target[last] = value
    return data


CASES = sorted({(name, path) for name, cls in TYPES.items() for path in string_paths(mi.type_info(cls))}
               | {(name, ("@envelope", field)) for name in TYPES for field in ("stream", "occurred_on", "id")})


def test_the_cases_reach_every_string_field():
    assert ("NoteAdded", ("text",)) in CASES and ("PartnershipRegistered", ("indonesia", "name")) in CASES
    assert ("ActivityLogged", ("fields", 0)) in CASES and ("ContactAssigned", ("email",)) in CASES


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    with client.client:
        yield client


def test_arbitrary_unicode_in_every_string_field_never_gives_a_5xx_nor_breaks_an_export(api):
    streams = itertools.count()
    seen: list[int] = []

    @given(case=st.sampled_from(CASES), text=TEXT)
    @settings(max_examples=len(CASES) * 3, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def post(case, text):
        name, path = case
        stream = f"kota-fuzz-{next(streams)}" if name == "PartnershipRegistered" else S
        envelope = {"stream": stream, "type": name, "occurred_on": "2026-11-01",
                    "data": BASELINES.get(name, {})}
        if path[0] == "@envelope":
            envelope[path[1]] = text
        else:
            envelope["data"] = placed(envelope["data"], path, text)
        body = json.dumps(envelope)  # ensure_ascii: a lone surrogate travels as \\ud800, as a client sends it
        response = api.client.post("/api/events", content=body.encode(),
                                   headers=api.headers(**{"Content-Type": "application/json"}))
        assert response.status_code < 500, (name, path, repr(text), response.text[:300])
        seen.append(response.status_code)

    post()
    assert 201 in seen and 422 in seen
    for fmt in ("json", "csv", "xlsx"):
        response = api.get(f"/api/matrix?format={fmt}")
        assert response.status_code == 200, fmt
    list(csv.reader(io.StringIO(api.get("/api/matrix?format=csv").text)))
    load_workbook(io.BytesIO(api.get("/api/matrix?format=xlsx").content))
    assert api.get("/api/status?format=csv").status_code == 200
    assert api.get("/api/calendar/all.ics").status_code == 200
    assert api.get(f"/api/partnerships/{S}").status_code == 200
