"""The partner's page /mitra/{key}: what it shows and never shows, its keys, and proposals sent from it."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from projections.status import status
from service import partner_links
from service.api.reads import state_of
from service.notes import accept_events, append_review, queue
from tests.api_fixtures import build
from tests.helpers import contact, event, partner_sample_events

SEOUL, TOKYO = "jabar-gyeongsangbuk-do", "dki-jakarta-tokyo"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
NOTE_OF_THE_SAMPLE = "Pemberian Gelar Doctor Honoris Causa untuk Gubernur Jawa Barat"
DRAFT_TITLE = "Rancangan MoU baru, catatan internal desk"


@pytest.fixture
def site(database, engine, clock):
    clock.now = datetime(2024, 4, 9, 1, 0, tzinfo=timezone.utc)
    api = build(database, engine, clock, sample=True)
    api.pantau.store.append(
        partner_sample_events()
        + [
            event(
                SEOUL, "DraftOpened", "2024-01-10", {"draft_id": "mou-2024", "document": "MoU", "title": DRAFT_TITLE}
            ),
            event(SEOUL, "ApprovalRecorded", "2024-02-01", {"draft_id": "mou-2024", "step": "kajian", "note": "ok"}),
        ]
    )
    with api.client:
        yield api


def key_of(site, stream: str, contact_id: str) -> str:
    link = partner_links.link_of(site.pantau.engine, stream, contact_id)
    return site.app.state.partner_keys.dump(stream, contact_id, link.generation)


def login(site, who: str):
    page = site.client.get("/login")
    site.client.post("/login", data={"token": site.tokens[who], "csrf": CSRF.search(page.text).group(1)})


def test_the_korean_contact_sees_the_timeline_in_korean_with_english_beside(site):
    page = site.client.get(f"/mitra/{key_of(site, SEOUL, 'kim')}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert '<html lang="ko">' in html and "Jawa Barat – 경상북도" in html
    assert "Courtesy video call between the governors on upgrading the LoI to an MoU" in html
    assert "2020년 10월 5일" in html and "October 5, 2020" in html  # the activity's date, both languages
    assert "화상회의" in html and "Video call" in html
    assert "Ibu Putri" in html and "KBRI Seoul" in html  # the Indonesian-side contact person and the desk
    assert "2024년 7월 8일" in html  # the MoU's end


def test_the_page_shows_none_of_the_desks_notes_drafts_or_contacts_details(site):
    html = site.client.get(f"/mitra/{key_of(site, SEOUL, 'kim')}").text
    assert NOTE_OF_THE_SAMPLE not in html and "sedang dalam proses penyusunan MoU" not in html
    assert DRAFT_TITLE not in html and "mou-2024" not in html
    assert "+62 812 2272 2353" not in html  # Ibu Putri's phone
    assert "kim@gb.example.kr" not in html and "+82 54 880 1234" not in html  # not even the reader's own
    tokyo = site.client.get(f"/mitra/{key_of(site, TOKYO, 'kokusai')}").text
    assert '<html lang="ja">' in tokyo and "東京都" in tokyo
    for other in ("田中 花子", "tanaka@metro.example.jp", "+81 3 5321 2222", "+62 852-2189-4253", "Gyeongsangbuk"):
        assert other not in tokyo  # another contact of the partnership, another partnership


def test_the_desk_sees_a_link_per_partner_contact_and_a_revoked_link_opens_nothing(site):
    login(site, "seoul")
    desk_page = site.client.get(f"/partnerships/{SEOUL}").text
    [url] = re.findall(r'value="(http://127\.0\.0\.1:8000/mitra/[^"]+)"', desk_page)
    path = url.removeprefix("http://127.0.0.1:8000")
    assert site.client.get(path).status_code == 200
    csrf = CSRF.search(desk_page).group(1)
    site.client.post(f"/partnerships/{SEOUL}/partner-links/kim/revoke", data={"csrf": csrf})
    assert site.client.get(path).status_code == 404
    site.client.post(f"/partnerships/{SEOUL}/partner-links/kim/renew", data={"csrf": csrf})
    assert site.client.get(path).status_code == 404  # the old key stays dead
    [fresh] = re.findall(
        r'value="http://127\.0\.0\.1:8000(/mitra/[^"]+)"', site.client.get(f"/partnerships/{SEOUL}").text
    )
    assert fresh != path and site.client.get(fresh).status_code == 200


def test_a_desk_out_of_scope_cannot_revoke_and_sees_no_link(site):
    login(site, "tokyo")
    assert "/mitra/" not in site.client.get(f"/partnerships/{SEOUL}").text
    page = site.client.get(f"/partnerships/{TOKYO}").text
    response = site.client.post(
        f"/partnerships/{SEOUL}/partner-links/kim/revoke", data={"csrf": CSRF.search(page).group(1)}
    )
    assert response.status_code == 404
    assert site.client.get(f"/mitra/{key_of(site, SEOUL, 'kim')}").status_code == 200


def test_forged_expired_revoked_and_removed_keys_get_the_same_404_in_the_requests_language(site, clock):
    good = key_of(site, SEOUL, "kim")
    unknown = site.app.state.partner_keys.dump("kota-atlantis-seoul", "kim", 0)
    indonesian = site.app.state.partner_keys.dump(SEOUL, "putri", 0)  # a contact of the Indonesian side
    korean = {"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"}
    pages = [site.client.get(f"/mitra/{k}", headers=korean) for k in (good[:-3] + "abc", unknown, indonesian, "x")]
    assert {p.status_code for p in pages} == {404}
    assert len({p.text for p in pages}) == 1 and "페이지를 찾을 수 없습니다" in pages[0].text
    assert "Gyeongsangbuk" not in pages[0].text and "jabar" not in pages[0].text
    before = len(site.pantau.store.stream(SEOUL))
    posted = site.client.post(f"/mitra/{good[:-3]}abc", data={"title": "x", "kind": "visit"}, headers=korean)
    assert posted.status_code == 404 and posted.text == pages[0].text
    assert len(site.pantau.store.stream(SEOUL)) == before
    japanese = site.client.get(f"/mitra/{unknown}", headers={"Accept-Language": "ja"})
    assert "ページが見つかりません" in japanese.text
    clock.advance(days=366)
    assert site.client.get(f"/mitra/{good}").status_code == 404  # older than PANTAU_PARTNER_LINK_DAYS


def test_a_removed_contact_opens_nothing(site):
    good = key_of(site, SEOUL, "kim")
    site.pantau.store.append([event(SEOUL, "ContactRemoved", "2024-04-01", {"contact_id": "kim"})])
    assert site.client.get(f"/mitra/{good}").status_code == 404


def _propose(site, key: str, **fields):
    page = site.client.get(f"/mitra/{key}")
    form = {
        "occurred_on": "2024년 3월 12일",
        "kind": "training",
        "title": "경상북도 공무원 연수 (Gyeongbuk civil servants' training in Bandung)",
        "description": "12 civil servants trained on smart farming.",
        "participants": "12",
        "form_key": FORM_KEY.search(page.text).group(1),
        **fields,
    }
    return site.client.post(f"/mitra/{key}", data=form, follow_redirects=False), form


def test_a_proposal_waits_in_the_review_queue_and_counts_in_no_status_until_accepted(site):
    key = key_of(site, SEOUL, "kim")
    before = status(state_of(site.pantau, SEOUL), site.pantau.today(), site.pantau.rules)
    response, _ = _propose(site, key)
    assert response.status_code == 303
    [item] = [i for i in queue(site.pantau.store, SEOUL) if i.note.text.startswith("경상북도 공무원 연수")]
    assert (item.proposal.kind, item.proposal.occurred_on) == ("training", "2024-03-12")
    after = status(state_of(site.pantau, SEOUL), site.pantau.today(), site.pantau.rules)
    assert after.last_activity_on == before.last_activity_on and after.activeness == before.activeness
    assert 'data-state="received"' in site.client.get(f"/mitra/{key}").text
    batch = accept_events(site.pantau.store, item.note.event_id, site.pantau.today(), "seoul")
    append_review(site.pantau.store, batch)
    assert batch[0].data["participants"] == 12 and batch[0].occurred_on.first.isoformat() == "2024-03-12"
    accepted = status(state_of(site.pantau, SEOUL), site.pantau.today(), site.pantau.rules)
    assert accepted.last_activity_on.isoformat() == "2024-03-12"
    page = site.client.get(f"/mitra/{key}").text
    assert 'data-state="recorded"' in page and "기록 반영됨" in page


def test_a_form_sent_twice_makes_one_note(site):
    key = key_of(site, SEOUL, "kim")
    first, form = _propose(site, key)
    again = site.client.post(f"/mitra/{key}", data=form, follow_redirects=False)
    assert first.status_code == again.status_code == 303 and again.headers["location"].endswith("sent=again")
    assert len([i for i in queue(site.pantau.store, SEOUL) if "경상북도 공무원 연수" in i.note.text]) == 1


def test_a_burst_of_proposals_is_refused_after_the_days_limit(site):
    key = key_of(site, SEOUL, "kim")
    for n in range(3):
        assert _propose(site, key, title=f"Visit {n}")[0].status_code == 303
    refused, _ = _propose(site, key, title="Visit 4")
    assert refused.status_code == 429 and "오늘 보낼 수 있는 제안 수" in refused.text
    assert not [i for i in queue(site.pantau.store, SEOUL) if i.note.text.startswith("Visit 4")]


@pytest.mark.parametrize(
    "field, value, korean",
    [
        ("occurred_on", "2024-05-01", "아직 오지 않은 날짜"),  # after today, 9 April 2024
        ("occurred_on", "1990", "너무 오래된 날짜"),
        ("occurred_on", "next spring", "날짜 형식이 아닙니다"),
        ("occurred_on", "2024-02-30", "날짜 형식이 아닙니다"),
        ("title", "<script>alert(1)</script>", "태그나 스크립트 없이"),
        ("description", '<img src=x onerror="alert(1)">', "태그나 스크립트 없이"),
        ("description", "x" * 50_000, "내용이 너무 깁니다"),
        ("kind", "party", "활동 유형을 선택"),
        ("participants", "-3", "참가 인원은 숫자로"),
        ("title", "", "입력해 주십시오"),
        ("form_key", "short", "양식이 만료되었습니다"),
    ],
)
def test_bad_input_is_refused_by_class_in_the_partners_language_and_nothing_is_stored(site, field, value, korean):
    key = key_of(site, SEOUL, "kim")
    before = len(site.pantau.store.stream(SEOUL))
    refused, _ = _propose(site, key, **{field: value})
    assert refused.status_code == 422 and korean in refused.text
    assert "<script>alert" not in refused.text  # what was typed comes back escaped
    assert len(site.pantau.store.stream(SEOUL)) == before


def test_a_japanese_contact_added_later_reads_japanese_and_a_korean_key_opens_only_its_own_partnership(site):
    site.pantau.store.append([contact("2024-04-01", "sato", stream=TOKYO, name="佐藤", side="partner", language="ja")])
    html = site.client.get(f"/mitra/{key_of(site, TOKYO, 'sato')}").text
    assert "佐藤" in html and "DKI Jakarta – 東京都" in html and "Jawa Barat" not in html
    assert site.client.get(f"/mitra/{key_of(site, TOKYO, 'kim')}").status_code == 404


def test_pantau_notes_review_lists_the_proposal_as_the_partner_filled_it_in(site, database, monkeypatch):
    from typer.testing import CliRunner

    from service.cli import app

    if database[1]:
        pytest.skip("the command opens the database by its URL alone; the PostgreSQL schema is the queue test's")
    _propose(site, key_of(site, SEOUL, "kim"), occurred_on="2024.3", kind="visit", title="Delegation to Bandung")
    monkeypatch.setenv("PANTAU_DATABASE_URL", database[0])
    done = CliRunner().invoke(app, ["notes", "review", "--stream", SEOUL, "--format", "json"])
    assert done.exit_code == 0, done.output
    [item] = [i for i in json.loads(done.stdout) if i["text"].startswith("Delegation to Bandung")]
    assert item["proposal"] == {"kind": "visit", "title": "Delegation to Bandung", "occurred_on": "2024-03"}
