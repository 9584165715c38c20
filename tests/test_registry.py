"""The public registry signed out, on the sample: the list, filters and counts, nothing private, withholding, bad input, caching."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from service.registry_store import refresh
from tests.api_fixtures import build
from tests.conftest import DATA, SAMPLE

PUBLISHED = {
    row["stream"]: row for row in json.loads((DATA / "matrix-2021-12-27.status-as-of-2021-12-27.json").read_text())
}


@pytest.fixture
def public(database, engine, clock):
    """The sample's app on 27 December 2021 (the day of its matrix), asked without signing in."""
    clock.now = datetime(2021, 12, 27, 3, 0, tzinfo=UTC)
    api = build(database, engine, clock, sample=True)
    with api.client:
        yield api


def _sample_secrets() -> list[str]:
    """Every phone, e-mail address and note text of the sample, and the descriptions and notes of other events."""
    secrets = []
    for line in SAMPLE.read_text().splitlines():
        event = json.loads(line)
        data = event["data"]
        if event["type"] == "ContactAssigned":
            secrets += [data[k] for k in ("phone", "email") if data.get(k)]
        if event["type"] == "NoteAdded":
            secrets.append(data["text"])
        secrets += [data[k] for k in ("description", "note") if len(data.get(k) or "") > 20]
    return secrets


def _rows(api, query: str = "") -> list[dict]:
    answer = api.client.get(f"/registri.json{query}")
    assert answer.status_code == 200, answer.text
    return answer.json()["partnerships"]


def test_signed_out_the_registry_lists_the_sample_s_32_partnerships_with_their_activeness(public):
    page = public.client.get("/registri")
    assert page.status_code == 200 and "set-cookie" not in page.headers
    assert "32 kerja sama" in page.text
    rows = _rows(public)
    assert {r["stream"]: (r["stage"], r["activeness"]) for r in rows} == {
        stream: (p["stage"], p["activeness"]) for stream, p in PUBLISHED.items()
    }
    assert "Tidak aktif" in page.text and "Kurang aktif" in page.text
    english = public.client.get("/registri?lang=en")
    assert "32 partnerships" in english.text and "Inactive" in english.text


def test_filters_by_country_and_province_give_the_right_counts(public):
    by_country = Counter(p["stream"] for p in PUBLISHED.values())
    rows = _rows(public)
    countries = Counter(r["country"] for r in rows)
    assert countries == {"KR": 30, "JP": 1, "KP": 1} and sum(by_country.values()) == 32
    assert len(_rows(public, "?country=KR")) == 30 and len(_rows(public, "?country=jp")) == 1
    jabar = [r for r in rows if r["province"] == "Jawa Barat"]
    assert len(jabar) == 9 and len(_rows(public, "?province=jawa%20barat")) == 9
    page = public.client.get("/registri?province=Jawa%20Barat")
    assert "9 kerja sama" in page.text
    # The counts beside the list: per province and per country, of the filtered rows.
    counts = re.findall(
        r'country=KR[^"]*">[^<]+</a> <small class="muted">KR</small></td><td class="num">(\d+)', page.text
    )
    assert counts == ["9"]
    both = _rows(public, "?country=KR&province=Jawa%20Barat&activeness=aktif")
    assert {r["stream"] for r in both} == {
        s for s, p in PUBLISHED.items() if p["activeness"] == "aktif" and s in {r["stream"] for r in jabar}
    }


def test_every_filter_search_sort_and_page_answers(public):
    assert all(r["kind"] == "sister_province" for r in _rows(public, "?kind=sister_province"))
    assert all(r["stage"] == "exploring" for r in _rows(public, "?stage=exploring"))
    assert all(r["decade"] == 2010 for r in _rows(public, "?decade=2010"))
    assert {r["stream"] for r in _rows(public, "?field=pariwisata")} >= {"bali-jeju"}
    assert [r["stream"] for r in _rows(public, "?q=JEJU")] == ["bali-jeju"]
    # Words begin words of the names, the country's names in both languages: every word must hold.
    assert len(_rows(public, "?q=korea")) == 31
    assert [r["country"] for r in _rows(public, "?q=north%20kor")] == ["KP"]
    assert _rows(public, "?q=korea%20tokyo") == []
    assert _rows(public, "?q=50%25_") == []  # LIKE's wildcards are searched for as characters
    place = _rows(public, "?place=bali")
    assert [r["stream"] for r in place] == ["bali-jeju"]
    for sort in ("partner", "province", "country", "signed", "activity"):
        assert public.client.get(f"/registri?sort={sort}").status_code == 200


def test_no_phone_email_or_note_of_the_sample_appears_anywhere_under_registri(public):
    secrets = _sample_secrets()
    assert len(secrets) > 60
    rows = _rows(public)
    answers = [public.client.get(p) for p in ("/registri", "/registri?lang=en", "/registri.csv", "/registri.json")]
    answers += [public.client.get("/registri/datapackage.json")]
    answers += [public.client.get(f"/registri/{r['stream']}{lang}") for r in rows for lang in ("", "?lang=en")]
    texts = [a.text for a in answers]
    assert all(a.status_code == 200 for a in answers)
    book = load_workbook(io.BytesIO(public.client.get("/registri.xlsx").content), read_only=True)
    texts.append(json.dumps([list(row) for row in book.active.iter_rows(values_only=True)], ensure_ascii=False))
    found = [(secret[:30], i) for i, text in enumerate(texts) for secret in secrets if secret in text]
    assert found == []
    assert not any(re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text) for text in texts)
    # What is public is there: an activity's title and date on its partnership's timeline.
    page = public.client.get("/registri/diy-chungcheongnam-do").text
    assert "Discussion on drafting an MoU" in page and "2018" in page


def test_a_withheld_partnership_vanishes_at_once_from_list_page_csv_and_json(public):
    assert public.client.get("/registri/bali-jeju").status_code == 200
    before = public.client.get("/registri.csv")
    withhold = {
        "stream": "bali-jeju",
        "type": "PublicationWithheld",
        "occurred_on": "2021-12-27",
        "data": {"reason": "menunggu konfirmasi Pemprov Bali"},
    }
    assert public.post("/api/events", withhold, who="bali").status_code == 403  # a region may not
    assert public.post("/api/events", withhold, who="tokyo").status_code == 403  # nor another desk
    assert public.post("/api/events", withhold, who="seoul").status_code == 201  # its desk may
    page = public.client.get("/registri")
    assert "bali-jeju" not in page.text and "31 kerja sama" in page.text
    assert public.client.get("/registri/bali-jeju").status_code == 404
    assert "bali-jeju" not in public.client.get("/registri.csv").text
    assert "bali-jeju" not in {r["stream"] for r in _rows(public)}
    assert public.client.get("/registri.csv", headers={"If-None-Match": before.headers["etag"]}).status_code == 200
    restore = {**withhold, "type": "PublicationRestored", "data": {}}
    assert public.post("/api/events", restore).status_code == 201
    assert public.client.get("/registri/bali-jeju").status_code == 200 and len(_rows(public)) == 32


@pytest.mark.parametrize(
    "path, parameter, status",
    [
        ("/registri?kind=twin", "kind", 400),
        ("/registri?page=999999999999", "page", 400),
        ("/registri?page=2", "page", 400),  # 32 partnerships: one page
        ("/registri?q=" + "x" * 10_000, "q", 422),  # 422: the edge refuses what no query may carry
        ("/registri?q=a%00b", "q", 422),
        ("/registri?province=%01", "province", 400),
        ("/registri?country=ZZ", "country", 400),
        ("/registri?field=tidak-ada", "field", 400),
        ("/registri?lang=fr", "lang", 400),
        ("/registri/tidak-ada", "stream", 404),
        ("/registri/%00", "stream", 422),
        ("/registri.csv?decade=1995", "decade", 400),
        ("/registri.json?stage=%E2%80%AEformal", "stage", 400),
        ("/registri.xlsx?place=Atlantis", "place", 400),
    ],
)
def test_bad_input_answers_a_4xx_naming_the_parameter(public, path, parameter, status):
    answer = public.client.get(path)
    assert answer.status_code == status
    if answer.headers["content-type"].startswith("application/json"):
        assert answer.json()["error"]["fields"][0]["field"] == parameter
    elif status == 422:
        assert parameter in answer.text
    else:
        assert f'data-parameter="{parameter}"' in answer.text and f"{parameter}:" in answer.text
    assert len(answer.content) < 5000  # a refused 10,000-character search is not echoed back


def test_answers_carry_validators_and_a_held_one_gets_304(public):
    first = public.client.get("/registri?country=KR")
    etag = first.headers["etag"]
    assert first.headers["last-modified"] and "public" in first.headers["cache-control"]
    held = public.client.get("/registri?country=KR", headers={"If-None-Match": etag})
    assert held.status_code == 304 and held.headers["etag"] == etag and held.content == b""
    page = public.client.get("/registri/bali-jeju")
    assert public.client.get("/registri/bali-jeju", headers={"If-None-Match": page.headers["etag"]}).status_code == 304
    # A new fact moves the record's position: the held answer is stale.
    public.post(
        "/api/events", {"stream": "bali-jeju", "type": "ExplorationStarted", "occurred_on": "2021-12-27", "data": {}}
    )
    assert public.client.get("/registri?country=KR", headers={"If-None-Match": etag}).status_code == 200


def test_activeness_follows_the_days_without_a_new_event(public, clock):
    def aktif():
        return {r["stream"] for r in _rows(public, "?activeness=aktif")}

    today = aktif()
    assert today == {s for s, p in PUBLISHED.items() if p["activeness"] == "aktif"} and today
    clock.now = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)  # past every sample activity's 24 months
    assert aktif() == set()
    assert refresh(public.pantau.engine, public.pantau.rules, public.pantau.today()) == 0  # already current


def test_the_data_package_and_the_csv_validate_with_frictionless(public, tmp_path):
    frictionless = pytest.importorskip("frictionless", reason="pip package frictionless is not installed")
    package = public.client.get("/registri/datapackage.json").json()
    (tmp_path / "registri.csv").write_bytes(public.client.get("/registri.csv").content)
    resource = package["resources"][0]
    assert resource["path"].endswith("/registri.csv")
    resource["path"] = "registri.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    fields = resource["schema"]["fields"]
    header = next(csv.reader(io.StringIO(public.client.get("/registri.csv").text)))
    assert [f["name"] for f in fields] == header
    assert all(f["title"] and f["description_en"] for f in fields)
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["contributors"][0]["role"] == "publisher"
    assert package["sources"] and package["created"]
    assert next(f["constraints"] for f in fields if f["name"] == "activeness") == {
        "enum": ["aktif", "kurang_aktif", "tidak_aktif"]
    }
