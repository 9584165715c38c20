"""The notes review queue a page at a time: counts, next and previous, and a refusal shown in the card
of the note where the person acted, on that note's page, with the form as typed."""

from __future__ import annotations

import re
import uuid

import pytest

from service.api.pages_notes import PAGE_SIZE
from tests.api_fixtures import build
from tests.helpers import event

STREAM = "kota-bandung-seoul"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CARD = re.compile(r'<section class="card note" id="note-([0-9a-f-]+)"')


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        yield api


def sign_in(site, who: str = "seoul") -> None:
    form = site.client.get("/login")
    data = {"token": site.tokens[who], "csrf": CSRF.search(form.text).group(1), "next": "/matrix"}
    assert site.client.post("/login", data=data, follow_redirects=False).status_code == 303


def undated_notes(site, count: int) -> list[str]:
    """`count` notes with no date in their text (each needs one to be accepted), in the queue's order."""
    notes = [
        event(STREAM, "NoteAdded", "2021-12-27", {"text": f"Kunjungan balasan nomor {n}"}, id=str(uuid.uuid4()))
        for n in range(count)
    ]
    site.pantau.store.append(notes)
    return [n.id for n in notes]


def test_the_queue_is_paged_with_its_counts_and_next_and_previous(site):
    ids = undated_notes(site, 2 * PAGE_SIZE + 5)
    sign_in(site)
    first = site.client.get("/notes/review")
    assert first.status_code == 200 and 'name="password"' not in first.text
    assert CARD.findall(first.text) == ids[:PAGE_SIZE]
    assert f"Catatan 1–{PAGE_SIZE} dari {2 * PAGE_SIZE + 5} (halaman 1 dari 3)" in first.text
    assert 'href="/notes/review?page=2" rel="next"' in first.text and 'rel="prev"' not in first.text
    last = site.client.get("/notes/review?page=3")
    assert CARD.findall(last.text) == ids[2 * PAGE_SIZE :]
    assert 'href="/notes/review?page=2" rel="prev"' in last.text and 'rel="next"' not in last.text
    assert f"Catatan {2 * PAGE_SIZE + 1}–{2 * PAGE_SIZE + 5} dari {2 * PAGE_SIZE + 5}" in last.text


@pytest.mark.parametrize("asked", ["99", "0", "-1", "abc", "1" * 40, "٢"])
def test_a_page_number_out_of_range_or_not_a_number_shows_a_page_not_an_error(site, asked):
    ids = undated_notes(site, PAGE_SIZE + 1)
    sign_in(site)
    answer = site.client.get("/notes/review", params={"page": asked})
    assert answer.status_code == 200
    shown = CARD.findall(answer.text)
    assert shown == (ids[PAGE_SIZE:] if asked == "99" else ids[:PAGE_SIZE])


def test_an_accept_without_a_date_is_refused_in_the_notes_own_card_on_its_page(site):
    ids = undated_notes(site, 2 * PAGE_SIZE + 5)
    sign_in(site)
    target = ids[PAGE_SIZE + 7]  # on page 2
    page = site.client.get("/notes/review?page=2").text
    form = re.search(rf'<form method="post" action="(/notes/{target}/accept#note-{target})"', page)
    assert form, "the form's address carries the card's anchor"
    answer = site.client.post(
        f"/notes/{target}/accept",
        data={"csrf": CSRF.search(page).group(1), "page": "1", "kind": "visit", "title": "Kunjungan balasan"},
    )
    assert answer.status_code == 422
    assert CARD.findall(answer.text) == ids[PAGE_SIZE : 2 * PAGE_SIZE]  # the page where the note stands
    card = answer.text.split(f'id="note-{target}"')[1].split("</section>")[0]
    assert f'<p class="alert" role="alert" id="problem-{target}">Tanggal wajib diisi' in card
    date_input = re.search(r'<input name="occurred_on"[^>]*>', card).group(0)
    assert 'aria-invalid="true"' in date_input and f'aria-describedby="problem-{target}' in date_input
    assert f'<small class="hint" id="hint-{target}">Tanggal: misalnya 14/03/2019, 14 Maret 2019' in card
    assert f"hint-{target}" in date_input  # what may be typed, read with the field
    assert 'value="Kunjungan balasan"' in card and '<option value="visit" selected>' in card  # as typed
    assert answer.text.count('role="alert"') == 1  # no other card carries it
    assert len(site.pantau.store.of_types(("ActivityLogged",), STREAM)) == 0


def test_an_accept_dated_as_people_write_it_is_stored_and_leads_back_to_the_same_page(site):
    ids = undated_notes(site, 2 * PAGE_SIZE + 5)
    sign_in(site)
    target = ids[PAGE_SIZE + 2]
    page = site.client.get("/notes/review?page=2").text
    answer = site.client.post(
        f"/notes/{target}/accept",
        data={"csrf": CSRF.search(page).group(1), "page": "2", "kind": "visit", "occurred_on": "14 Maret 2019"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/notes/review?page=2&done=accepted"
    accepted = site.pantau.store.of_types(("ActivityLogged",), STREAM)[-1]
    assert str(accepted.occurred_on) == "2019-03-14"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1900", "lebih awal dari 1945"),
        ("2022", "lewat dari 27 Des 2021, saat catatan itu dicatat"),
        ("31 Februari 2019", "tanggal 31 Februari 2019 tidak ada"),
    ],
)
def test_an_accept_dated_out_of_bounds_names_the_bound(site, typed, words):
    target = undated_notes(site, 1)[0]
    sign_in(site)
    page = site.client.get("/notes/review").text
    answer = site.client.post(
        f"/notes/{target}/accept",
        data={"csrf": CSRF.search(page).group(1), "kind": "visit", "occurred_on": typed},
    )
    assert answer.status_code == 422 and words in answer.text
    assert "isian tidak sah" not in answer.text
