"""Letters to the partner's side in its language, English below, received by a real SMTP server."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from events.jsonl import import_events
from notifications import outbox
from notifications.alert_rules import AlertRules
from notifications.job import queue_days
from notifications.letters import addressee, is_office
from notifications.recipients import for_partnership
from notifications.render import render
from notifications.worker import OutboxWorker
from projections.partnership import fold
from projections.readmodel import load_states
from projections.rules import Desk
from tests.conftest import SAMPLE
from tests.helpers import PARTNER_REMINDER_DAY, contact, partner_sample_events, registered, signed

RULES = AlertRules(sender="Pantau <pantau@localhost>")
DESKS = (
    Desk("kbri-seoul", "KBRI Seoul", "seoul@kemlu.example", ("KR",)),
    Desk("kbri-tokyo", "KBRI Tokyo", "tokyo@kemlu.example", ("JP",)),
)


def _sent(pantau, smtp_server) -> dict[str, object]:
    with SAMPLE.open("rb") as source:
        import_events(pantau.store, source, pantau.today())
    pantau.store.append(partner_sample_events())
    pantau.runner.run()
    pantau.rules = dataclasses.replace(pantau.rules, desks=DESKS)
    states = [s for s in load_states(pantau.engine) if s.stream in ("jabar-gyeongsangbuk-do", "dki-jakarta-tokyo")]
    queue_days(pantau.engine, states, [PARTNER_REMINDER_DAY], pantau.rules, RULES, pantau.clock())
    worker = OutboxWorker(pantau.engine, smtp_server.sender(), pantau.clock, RULES, pantau.store, pantau.settings.zone)
    while worker.step():
        pass
    return {message["To"]: message for message in smtp_server.parsed()}


def _both_parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_the_korean_contact_gets_a_korean_renewal_letter_addressed_to_her_with_english_below(pantau, smtp_server):
    message = _sent(pantau, smtp_server)["kim@gb.example.kr"]
    text, html = _both_parts(message)
    assert message["Content-Language"] == "ko"
    assert message["Subject"].startswith(
        "[갱신 안내] Jawa Barat – 경상북도 자매결연 업무협약(MoU) 만료일 2024년 7월 8일"
    )
    assert text.startswith("김민지 님\n")  # a person: 님, never 귀중 as well
    assert "귀중" not in text and "귀중" not in html
    assert "2019년 7월 9일에 체결한 업무협약(MoU)(mou-2019)의 유효기간은 2024년 7월 8일까지" in text
    korean, english = text.split("/ English")
    assert "Dear 김민지," in english and "July 8, 2024" in english and "sister province" in english
    assert "Jawa Barat – Gyeongsangbuk-do" in english and "갱신" in korean
    assert "김민지 님" in html and "Dear 김민지," in html and 'lang="ko"' in html


def test_the_japanese_office_gets_a_japanese_letter_addressed_to_the_office_never_also_to_a_person(pantau, smtp_server):
    received = _sent(pantau, smtp_server)
    message = received["kokusai@metro.example.jp"]
    text, html = _both_parts(message)
    assert message["Content-Language"] == "ja"
    assert text.startswith("東京都 生活文化局 国際交流課 御中\n")
    assert "様" not in text and "様" not in html  # an office: 御中 alone
    assert "姉妹都市" in text and "2024年7月8日" in text and "2019年7月9日" in text
    assert "To: 東京都 生活文化局 国際交流課" in text.split("/ English")[1]
    assert "DKI Jakarta – Pref. Tokyo" in text  # the Indonesian side's names as written
    # The colleague of the same office who reads English gets the English message, not the letter.
    assert received["tanaka@metro.example.jp"]["Content-Language"] == "en"


def test_each_letter_has_a_key_of_its_own_and_the_alert_is_queued_once(pantau, smtp_server):
    received = _sent(pantau, smtp_server)
    assert sorted(received) == ["kim@gb.example.kr", "kokusai@metro.example.jp", "tanaka@metro.example.jp"]
    tokyo = "renewal:dki-jakarta-tokyo:mou-2019:2024-07-08:90"
    assert outbox.get_message(pantau.engine, tokyo)["language"] == "ja"  # the first contact's, with the desk in copy
    assert outbox.get_message(pantau.engine, tokyo + "/en")["to"] == ["tanaka@metro.example.jp"]
    assert received["kokusai@metro.example.jp"]["Cc"] == "tokyo@kemlu.example"
    # A second run of the same day queues nothing more.
    states = load_states(pantau.engine)
    assert queue_days(pantau.engine, states, [PARTNER_REMINDER_DAY], pantau.rules, RULES, pantau.clock()) == []


@pytest.mark.parametrize(
    "contact, language, kind",
    [
        ({"name": "김민지"}, "ko", "person"),
        ({"name": "이정국"}, "ko", "person"),  # ends like an office (국), a name of three syllables
        ({"name": "국제협력과"}, "ko", "office"),
        ({"name": "서울특별시 국제협력과"}, "ko", "office"),
        ({"name": "김민지 님"}, "ko", "person"),
        ({"name": "国際交流課"}, "ja", "office"),
        ({"name": "田中 花子"}, "ja", "person"),
        ({"name": "外事办公室"}, "zh", "office"),
        ({"name": "王伟"}, "zh", "person"),
        ({"name": "International Relations Division"}, "ko", "office"),
    ],
)
def test_an_office_is_told_from_a_person_by_its_name(contact, language, kind):
    assert is_office(contact, language) is (kind == "office")


def test_an_office_is_named_after_its_city_once_and_a_typed_honorific_is_not_doubled():
    assert addressee({"name": "국제협력과"}, "ko", "서울특별시") == ("office", "서울특별시 국제협력과")
    assert addressee({"name": "서울특별시 국제협력과 귀중"}, "ko", "서울특별시") == ("office", "서울특별시 국제협력과")
    assert addressee({"name": "田中様"}, "ja", "東京都") == ("person", "田中")


def _context(language_name: str = "北京市") -> dict:
    return {
        "day": date(2024, 4, 9),
        "facts": {"now": "kurang_aktif", "dormant_on": date(2024, 6, 1), "days": 53},
        "partnership": {
            "stream": "dki-jakarta-beijing",
            "name": "DKI Jakarta – Beijing",
            "kind": "sister_province",
            "indonesia_name": "DKI Jakarta",
            "partner_name": "Beijing",
            "local_name": language_name,
        },
        "status": {"stage": "formal", "activeness": "kurang_aktif", "last_activity_written": "2019-05"},
        "desk": {"id": "kbri-beijing", "name": "KBRI Beijing"},
        "key": "dormancy_warning:dki-jakarta-beijing:2024-06-01/zh/wang",
        "addressee": {"contact_id": "wang", "name": "北京市人民政府外事办公室", "side": "partner"},
    }


def test_a_dormancy_warning_in_simplified_chinese_uses_the_chinese_long_dates_and_terms():
    body = render("dormancy_warning", "zh", _context())
    assert body.text.startswith("尊敬的北京市人民政府外事办公室：\n")
    assert "友好省州" in body.subject and "2024年6月1日" in body.subject and "June 1, 2024" in body.subject
    assert "2019年5月" in body.text and "May 2019" in body.text
    assert "sister province" in body.text.split("/ English")[1]


@pytest.mark.parametrize("language, person, office", [("ko", "님", "귀중"), ("ja", "様", "御中")])
def test_no_letter_ever_carries_both_honorifics(language, person, office):
    for name in ("국제협력과", "김민지", "国際交流課", "山田太郎", "International Office"):
        context = {**_context(), "addressee": {"contact_id": "x", "name": name}}
        for rule, facts in (("dormancy_warning", context["facts"]), ("renewal", _renewal_facts())):
            body = render(rule, language, {**context, "facts": facts})
            assert not (person in body.text and office in body.text), (name, rule)
            assert not (person in body.html and office in body.html), (name, rule)


def _renewal_facts() -> dict:
    return {
        "agreement_id": "mou-2019",
        "document": "MoU",
        "signed_on": date(2019, 7, 9),
        "valid_until": date(2024, 7, 8),
        "days_left": 90,
        "signed_written": "2019-07-09",
        "until_written": "2024-07-08",
        "threshold": 90,
    }


def test_a_korean_contact_after_an_indonesian_one_gets_a_letter_keyed_by_its_id_and_english_for_other_rules():
    state = fold(
        [
            registered(),
            signed("2016-10-07", "mou-2016"),
            contact("2016-01-01", "putri", email="putri@bandung.example"),
            contact("2016-01-01", "kim", side="partner", name="김민지", email="kim@seoul.example", language="ko"),
            contact("2016-01-01", "lee", side="partner", name="국제협력과", email="intl@seoul.example", language="ko"),
        ]
    )
    day = date(2021, 7, 8)
    renewal = for_partnership("renewal:k", state, day, DESKS[0], "renewal")
    assert [(a.key, a.language, a.to) for a in renewal] == [
        ("renewal:k", "id", ("putri@bandung.example",)),
        ("renewal:k/ko/kim", "ko", ("kim@seoul.example",)),
        ("renewal:k/ko/lee", "ko", ("intl@seoul.example",)),
    ]
    assert renewal[1].contact["name"] == "김민지" and renewal[0].cc == ("seoul@kemlu.example",)
    lapsed = for_partnership("lapsed:k", state, day, DESKS[0], "lapsed")
    assert [(a.key, a.language, a.to) for a in lapsed] == [
        ("lapsed:k", "id", ("putri@bandung.example",)),
        ("lapsed:k/en", "en", ("kim@seoul.example", "intl@seoul.example")),
    ]
