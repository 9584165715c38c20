"""Paging of the status list, the matrix JSON and the matrix page: stable order, no row twice or missing."""

from __future__ import annotations

import json
import re
from datetime import date

import msgspec
import pytest

from service.api import streamed
from service.api.matrix_rows import SORTS, keeps, placed_rows, rows_of
from service.api.reads import current_states
from service.matrix import as_json, matrix
from service.status_output import status_line
from tests.api_fixtures import build
from tests.helpers import activity, registered, signed
from tests.test_pages import login

STREAMS = ["kota-bandung-seoul", *(f"kota-{n:02d}-seoul" for n in range(7))]


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)  # kota-bandung-seoul is registered already
    client.pantau.store.append([registered(s) for s in STREAMS[1:]])
    with client.client:
        yield client


def _next(response) -> str | None:
    found = re.search(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
    return found.group(1) if found else None


def _walk(api, first: str, between=lambda n: None) -> tuple[list[str], list[str]]:
    """Every page from `first` on: the streams in order, and each page's X-Total-Count."""
    streams, totals, url, n = [], [], first, 0
    while url is not None:
        response = api.get(url)
        assert response.status_code == 200, response.text
        streams += [row["stream"] for row in response.json()]
        totals.append(response.headers["x-total-count"])
        url = _next(response)
        between(n)
        n += 1
    return streams, totals


def test_the_status_list_pages_in_stream_order_with_its_total(api):
    whole = api.get("/api/status")
    assert "x-total-count" not in whole.headers and "link" not in whole.headers  # no limit: as before
    streams, totals = _walk(api, "/api/status?desk=kbri-seoul&limit=3")
    assert streams == sorted(STREAMS) == [row["stream"] for row in whole.json()]
    assert totals == ["8", "8", "8"]
    last = api.get("/api/status?desk=kbri-seoul&limit=8")
    assert len(last.json()) == 8 and _next(last) is None


def test_no_row_comes_twice_or_goes_missing_while_writes_arrive_between_pages(api):
    store = api.pantau.store

    def write(n: int) -> None:
        # Before the cursor, after it, and a change to a row still to come, for the first pages,
        # with the projector catching up now and then: pages come from the table and the tail alike.
        if n >= 5:
            return
        store.append([registered(f"kota-a{n}-seoul"), registered(f"kota-z{n}-seoul"), activity(f"2021-05-0{n + 1}")])
        if n % 2:
            api.pantau.runner.run()

    streams, _ = _walk(api, "/api/status?limit=2", write)
    assert len(streams) == len(set(streams))  # none twice
    assert set(STREAMS) <= set(streams)  # none of those there at the start missing
    assert streams == sorted(streams)


def test_the_matrix_json_pages_with_total_and_next_cursor(api):
    plain = api.get("/api/matrix?desk=kbri-seoul").json()
    assert set(plain) == {"as_of", "desk", "rows"}  # no limit: the shape of docs/interfaces.md
    seen, cursor = [], None
    while True:
        params = {"desk": "kbri-seoul", "limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get("/api/matrix", params=params).json()
        assert body["total"] == 8
        seen += [(row["stream"], row["no"]) for row in body["rows"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert [s for s, _ in seen] == sorted(STREAMS)
    assert sorted(no for _, no in seen) == list(range(1, 9))  # each row keeps its number in the matrix
    assert dict(seen) == {row["stream"]: row["no"] for row in plain["rows"]}


def _pages(api, first: str) -> list[bytes]:
    """The bytes of every page of a status list from `first` on."""
    bodies, url = [], first
    while url is not None:
        response = api.get(url)
        assert response.status_code == 200 and response.headers["content-length"] == str(len(response.content))
        bodies.append(response.content)
        url = _next(response)
    return bodies


@pytest.mark.parametrize("query", ["", "desk=kbri-seoul&", "activeness=aktif&", "stage=ended&"])
def test_the_whole_status_list_is_streamed_as_the_bytes_of_its_pages_together(api, monkeypatch, query):
    monkeypatch.setattr(streamed, "PART_BYTES", 1)  # a part per line: the joins between parts are tested
    api.pantau.runner.run()
    api.pantau.store.append([activity("2021-05-01"), registered("kota-zz-seoul")])  # a tail past the read models
    whole = api.get(f"/api/status?{query}")
    assert whole.status_code == 200 and whole.headers["content-type"] == "application/json"
    # Sent as it was read, not held whole; an answer of one part (an empty list) goes whole, with its length.
    assert ("content-length" not in whole.headers) == (whole.content != b"[]")
    lines = [page[1:-1] for page in _pages(api, f"/api/status?{query}limit=3") if page != b"[]"]
    assert whole.content == b"[" + b",".join(lines) + b"]"
    rules, day = api.pantau.rules, api.pantau.today()
    computed = [status_line(state, day, rules) for state in current_states(api.pantau)]
    wanted = [line.json for line in computed if line is not None and line.stream in {r["stream"] for r in whole.json()}]
    assert whole.content == b"[" + b",".join(wanted) + b"]"  # each line's bytes as the status list has them
    assert json.loads(whole.content) == [json.loads(line) for line in wanted]


@pytest.mark.parametrize("desk", [None, "kbri-seoul", "kbri-tokyo"])
def test_the_whole_matrix_json_is_streamed_as_the_bytes_of_the_document_encoded_at_once(api, monkeypatch, desk):
    monkeypatch.setattr(streamed, "PART_BYTES", 1)
    api.pantau.store.append([activity("2021-05-01"), signed("2021-06-01", "moa-2021")])
    params = {"format": "json", **({"desk": desk} if desk else {})}
    whole = api.get("/api/matrix", params=params)
    assert whole.status_code == 200 and ("content-length" not in whole.headers) == bool(whole.json()["rows"])
    rules, day = api.pantau.rules, api.pantau.today()
    rows = matrix(current_states(api.pantau), day, rules, desk)
    assert whole.content == msgspec.json.encode({"as_of": day.isoformat(), "desk": desk, "rows": as_json(rows)})
    paged, cursor = [], None
    while True:
        page = api.get("/api/matrix", params={**params, "limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        paged += page["rows"]
        if (cursor := page["next_cursor"]) is None:
            break
    together = {"as_of": day.isoformat(), "desk": desk, "rows": sorted(paged, key=lambda row: row["no"])}
    assert whole.content == msgspec.json.encode(together)


@pytest.mark.parametrize(
    "path",
    [
        "/api/status?cursor=azprb3Rh",
        "/api/status?stage=nowhere",
        "/api/status?as_of=not-a-day",
        "/api/matrix?format=json&cursor=azprb3Rh",
        "/api/matrix?format=json&status=nowhere",
    ],
)
def test_a_whole_list_refused_is_a_whole_422_before_any_row(api, monkeypatch, path):
    monkeypatch.setattr(streamed, "PART_BYTES", 1)
    response = api.get(path)
    assert response.status_code == 422  # not a 200 cut short: the refusal comes before streaming starts
    assert response.headers["content-length"] == str(len(response.content))
    assert response.json()["error"]["code"] and "rows" not in response.text
    assert api.client.get(path.split("?")[0]).status_code == 401  # no token: refused before any body too


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=many", "limit"),
        ("limit=100000", "limit"),
        ("limit=2&cursor=not-a-cursor", "cursor"),
        ("limit=2&cursor=bzox", "cursor"),  # an offset cursor of the page, not a stream key
        ("cursor=azprb3Rh", "cursor"),  # a cursor without limit
    ],
)
@pytest.mark.parametrize("path", ["/api/status", "/api/matrix"])
def test_a_bad_limit_or_cursor_is_refused_naming_it(api, path, query, field):
    response = api.get(f"{path}?{query}")
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == [field]


def test_the_matrix_page_shows_the_total_and_links_to_the_next_and_previous_page(api):
    login(api)
    first = api.client.get("/matrix?desk=kbri-seoul&limit=3&sort=partner")
    assert first.status_code == 200
    assert "Baris 1–3 dari 8" in first.text and "Sebelumnya" not in first.text
    following = re.search(r'href="(/matrix\?[^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
    assert "sort=partner" in following and "desk=kbri-seoul" in following
    second = api.client.get(following)
    assert "Baris 4–6 dari 8" in second.text and "Sebelumnya" in second.text
    rows = re.findall(r'<tr id="row-([^"]+)"', first.text) + re.findall(r'<tr id="row-([^"]+)"', second.text)
    assert len(set(rows)) == 6
    bad = api.client.get("/matrix?limit=0")
    assert bad.status_code == 200 and "limit:" in bad.text  # named, and every row shown
    assert len(re.findall(r'<tr id="row-', bad.text)) == 8


def test_a_matrix_longer_than_a_page_opens_on_its_first_page(database, engine, clock):
    from dataclasses import replace

    client = build(database, engine, clock)
    client.pantau.store.append([registered(s) for s in STREAMS[1:]])
    client.pantau.settings = replace(client.pantau.settings, page_rows=5)
    with client.client:
        login(client)
        opened = client.client.get("/matrix?desk=kbri-seoul")
        assert "Baris 1–5 dari 8" in opened.text and len(re.findall(r'<tr id="row-', opened.text)) == 5
        everything = client.client.get("/matrix?desk=kbri-seoul&limit=8")
        assert len(re.findall(r'<tr id="row-', everything.text)) == 8


_OLD_SORTS = {  # the page's sorts as they were made on whole rows, before rows were placed
    "region": lambda r: (r.province or r.indonesia, r.indonesia, r.partner),
    "partner": lambda r: (r.country, r.partner),
    "status": lambda r: (["tidak_aktif", "kurang_aktif", "aktif", "penjajakan"].index(r.matrix_status), r.no),
    "expiry": lambda r: (
        min([a.valid_until for a in r.agreements if a.valid_until and a.state in ("in_force", "pending")] or ["9999"]),
        r.no,
    ),
    "activity": lambda r: (r.last_activity_on or "0000", r.no),
}


@pytest.mark.parametrize("sort", ["", *SORTS])
@pytest.mark.parametrize(
    "desk, status, stage, q",
    [
        ("", "", "", ""),
        ("kbri-seoul", "", "", ""),
        ("", "aktif", "", ""),
        ("", "", "lapsed", ""),
        ("", "", "", "jawa barat"),
        ("", "tidak_aktif", "", "a"),
    ],
)
def test_the_matrix_page_shows_the_rows_of_the_whole_matrix_filtered_and_sorted(
    database, engine, clock, sort, desk, status, stage, q
):
    api = build(database, engine, clock, sample=True)
    pantau, day = api.pantau, date(2021, 12, 27)
    streams = sorted(state.stream for state in current_states(pantau))
    # Agreements in force ending on other days than the matrix's order would put them: the expiry sort shows.
    pantau.store.append(
        [signed(f"20{19 + n % 3}-0{n + 1}-01", f"mou-h{n}", stream=s) for n, s in enumerate(streams[::-5])]
    )
    every = matrix(current_states(pantau), day, pantau.rules, desk or None)
    words = q.split()
    wanted = [
        r
        for r in every
        if (not status or r.matrix_status == status)
        and (not stage or r.stage == stage)
        and all(
            w in " ".join([r.indonesia, r.province or "", r.partner, r.country, *r.developments]).casefold()
            for w in words
        )
    ]
    if sort in _OLD_SORTS:  # "no": the matrix's own order
        wanted.sort(key=_OLD_SORTS[sort], reverse=sort == "activity")
    placed, total = placed_rows(pantau, day, desk or None, keeps(status, stage, q), sort)
    assert total == len(every) and len(wanted) > 0
    assert list(rows_of(pantau, day, placed, desk or None)) == wanted  # the same rows, numbers and order
    with api.client:
        login(api)
        query = {"as_of": "2021-12-27", "desk": desk, "status": status, "stage": stage, "q": q, "sort": sort}
        page = api.client.get("/matrix", params={k: v for k, v in query.items() if v}).text
        assert re.findall(r'<tr id="row-([^"]+)"', page) == [r.stream for r in wanted]
