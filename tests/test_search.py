"""One search across partnerships, activities, contacts, notes and drafts, in the database's own full-text
search (FTS5 on SQLite, tsvector on PostgreSQL): found by words and their beginnings, ranked, paged,
linked to where each stands, and no typed character ever a 500."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa

from service import search_index
from service.search import PAGE_SIZE
from tests.api_fixtures import build
from tests.helpers import activity, contact, event, retracted

STREAM = "kota-bandung-seoul"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
HIT = re.compile(
    r'<li class="card hit hit-(\w+)">\s*<p><span class="label">[^<]*</span>\s*<a href="([^"]+)">([^<]*)</a>'
)


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        yield api


def sign_in(site, who: str = "viewer") -> None:
    form = site.client.get("/login")
    data = {"token": site.tokens[who], "csrf": CSRF.search(form.text).group(1), "next": "/matrix"}
    assert site.client.post("/login", data=data, follow_redirects=False).status_code == 303


def hits(site, query: str, **params) -> list[tuple[str, str, str]]:
    answer = site.client.get("/search", params={"q": query, **params})
    assert answer.status_code == 200, answer.text
    assert 'name="password"' not in answer.text  # the search page, not the login form
    return HIT.findall(answer.text)


def note(text: str, on: str = "2021-05-01", stream: str = STREAM):
    return event(stream, "NoteAdded", on, {"text": text}, id=str(uuid.uuid4()))


@pytest.fixture
def recorded(site):
    """Bandung – Seoul with an activity, a partner contact, a note and a draft; Surabaya – Busan beside it."""
    site.pantau.store.append(
        [
            activity("2021-03-14", "scholarship", "beasiswa-2021", title="Beasiswa pelajar Bandung ke Seoul"),
            contact("2021-01-05", "kim", name="Kim Min-jun", side="partner", email="minjun@seoul.go.kr"),
            note("Rapat daring membahas festival kuliner tahun depan"),
            event(
                STREAM,
                "DraftOpened",
                "2022-02-01",
                {"draft_id": "loi-2022", "document": "LoI", "title": "Surat niat kerja sama pariwisata"},
            ),
        ]
    )
    site.pantau.store.append([_surabaya()])
    return site


def _surabaya():
    data = {
        "kind": "sister_city",
        "indonesia": {"name": "Kota Surabaya", "level": "city", "province": "Jawa Timur"},
        "partner": {"name": "Busan", "level": "si", "country": "KR"},
        "fields": ["pelabuhan"],
        "desk": "kbri-seoul",
    }
    return event("kota-surabaya-busan", "PartnershipRegistered", "2011-01-01", data)


def test_each_kind_is_found_by_its_words_and_links_to_where_it_stands(recorded):
    sign_in(recorded)
    assert hits(recorded, "beasiswa") == [
        ("activity", f"/partnerships/{STREAM}#activity-beasiswa-2021", "Beasiswa pelajar Bandung ke Seoul")
    ]
    assert hits(recorded, "Kim Min") == [("contact", f"/partnerships/{STREAM}#contact-kim", "Kim Min-jun")]
    assert hits(recorded, "kuliner") == [("note", f"/partnerships/{STREAM}#note-0", "Kota Bandung – Seoul")]
    assert hits(recorded, "pariwisata niat") == [
        ("draft", f"/partnerships/{STREAM}#draft-loi-2022", "Surat niat kerja sama pariwisata")
    ]
    assert hits(recorded, "busan") == [("partnership", "/partnerships/kota-surabaya-busan", "Kota Surabaya – Busan")]
    page = recorded.client.get(f"/partnerships/{STREAM}").text
    for anchor in ("activity-beasiswa-2021", "contact-kim", "note-0", "draft-loi-2022"):
        assert f'id="{anchor}"' in page  # every link lands on its thing


def test_the_beginning_of_a_word_finds_it_and_the_title_ranks_first(recorded):
    sign_in(recorded)
    found = hits(recorded, "band")
    assert found[0] == ("partnership", f"/partnerships/{STREAM}", "Kota Bandung – Seoul")
    assert ("activity", f"/partnerships/{STREAM}#activity-beasiswa-2021", "Beasiswa pelajar Bandung ke Seoul") in found
    assert hits(recorded, "BEASISWA") == hits(recorded, "beasiswa")  # case does not matter


def test_results_speak_in_words_not_ids(recorded):
    sign_in(recorded)
    answer = recorded.client.get("/search", params={"q": "beasiswa"}).text
    shown = re.sub(r"<[^>]+>", " ", answer.split("<main>")[1])  # what a person reads, not the addresses
    assert "beasiswa-2021" not in shown and "kota-bandung-seoul" not in shown
    assert "Kegiatan" in shown and "Hasil 1–1 dari 1" in shown


def test_what_was_retracted_or_removed_is_no_longer_found_and_new_facts_are(recorded):
    sign_in(recorded)
    assert hits(recorded, "beasiswa")
    recorded.pantau.store.append(
        [retracted("beasiswa-2021", "2021-04-01"), event(STREAM, "ContactRemoved", "2021-06-01", {"contact_id": "kim"})]
    )
    assert hits(recorded, "beasiswa") == [] and hits(recorded, "minjun") == []
    recorded.pantau.store.append([note("Pertukaran pemuda gelombang kedua")])
    assert [h[0] for h in hits(recorded, "pemuda")] == ["note"]


def test_many_hits_are_paged_with_their_count(site):
    site.pantau.store.append(
        [note(f"Koordinasi gamelan nomor {n}", on=f"2021-{n % 12 + 1:02d}-01") for n in range(PAGE_SIZE + 5)]
    )
    sign_in(site)
    first = site.client.get("/search", params={"q": "gamelan"}).text
    assert len(HIT.findall(first)) == PAGE_SIZE and f"Hasil 1–{PAGE_SIZE} dari {PAGE_SIZE + 5}" in first
    assert 'href="/search?q=gamelan&amp;page=2" rel="next"' in first
    second = site.client.get("/search", params={"q": "gamelan", "page": "2"}).text
    assert len(HIT.findall(second)) == 5 and 'rel="prev"' in second and 'rel="next"' not in second


HOSTILE = [
    "\x00",
    "band\x00ung",
    "a" * 10_000,
    "a" * 999,
    '"*:&|!' * 166,
    "bandung " * 124,
    "bandung " * 1_250,
    '"',
    '"bandung',
    "*",
    "band*",
    "NEAR",
    "NEAR(bandung seoul)",
    "bandung NEAR seoul",
    ":",
    "title:bandung",
    "&",
    "bandung & seoul",
    "|",
    "!",
    "!bandung",
    "bandung:*",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "bandung OR",
    "-bandung",
    "^bandung",
    "{a b}",
    "'",
    "\\",
    "%",
    "_",
    "٢٠٢١",
    "서울",
    " ",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_no_typed_character_is_read_as_search_syntax_or_answered_with_a_500(recorded, query):
    sign_in(recorded)
    answer = recorded.client.get("/search", params={"q": query, "page": "1"})
    if "\x00" in query:  # the edge refuses a NUL anywhere in an address, before any page (service/api/guards.py)
        assert answer.status_code == 422
    elif len(query) > 1000:  # and a parameter longer than any field, naming it
        assert answer.status_code == 422 and "q: lebih panjang dari 1000 karakter" in answer.text
    else:
        assert answer.status_code == 200 and "Pencarian" in answer.text


def test_a_word_beside_syntax_characters_is_still_found(recorded):
    sign_in(recorded)
    for query in ('"busan', "busan*", "busan:", "!busan", "busan&", "(busan)", "busan|", "busan NEAR"[:5]):
        assert [h[0] for h in hits(recorded, query)] == ["partnership"], query


@pytest.mark.parametrize("page", ["0", "-1", "x", "9" * 30, "501"])
def test_a_page_number_that_is_none_shows_the_first_page(recorded, page):
    sign_in(recorded)
    assert hits(recorded, "bandung", page=page)[0][0] == "partnership"


def test_every_page_has_the_search_box_and_a_visitor_must_sign_in(site):
    answer = site.client.get("/search", params={"q": "bandung"}, follow_redirects=False)
    assert answer.status_code in (302, 303) and "/login" in answer.headers["location"]
    sign_in(site)
    for address in ("/matrix", f"/partnerships/{STREAM}", "/notes/review", "/expiries"):
        page = site.client.get(address).text
        assert '<form method="get" action="/search" class="inline find" role="search">' in page, address


def test_the_contact_list_links_to_edit_and_remove_for_those_who_write(site):
    sign_in(site, "seoul")
    page = site.client.get(f"/partnerships/{STREAM}").text
    assert f'href="/partnerships/{STREAM}/contacts/new?contact_id=putri"' in page
    assert f'href="/partnerships/{STREAM}/contacts/putri/remove"' in page
    assert site.client.get(f"/partnerships/{STREAM}/contacts/new?contact_id=putri").status_code == 200
    assert "Ibu Putri" in site.client.get(f"/partnerships/{STREAM}/contacts/putri/remove").text


def test_a_viewer_sees_the_contacts_without_the_links_to_change_them(site):
    sign_in(site, "viewer")
    page = site.client.get(f"/partnerships/{STREAM}").text
    assert 'id="contact-putri"' in page and "/contacts/putri/remove" not in page


def test_a_rebuild_of_the_read_models_rewrites_the_index_once(recorded):
    sign_in(recorded)
    assert hits(recorded, "beasiswa")
    count = sa.select(sa.func.count()).select_from(search_index.entries)
    with recorded.pantau.engine.connect() as conn:
        before = conn.execute(count).scalar_one()
    recorded.pantau.runner.rebuild()
    assert not search_index.current(recorded.pantau.engine)  # a new generation: the index must follow
    assert [h[0] for h in hits(recorded, "beasiswa")] == ["activity"]
    with recorded.pantau.engine.connect() as conn:
        assert conn.execute(count).scalar_one() == before  # rewritten, not doubled
    assert search_index.refresh(recorded.pantau.engine, recorded.pantau.today()) == 0  # current: nothing to do
