"""The alert job on the database: idempotent per day, catching up missed days, coalescing thresholds."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from notifications import outbox
from notifications.alert_rules import AlertRules
from notifications.compose import messages
from notifications.digest import build
from notifications.job import due, run_days
from notifications.render import render
from projections.readmodel import load_states
from projections.rules import Desk
from service.scheduler import AlertJobs
from tests import helpers as h
from tests.smtp import SmtpServer

S = "kota-bandung-seoul"
SEOUL = Desk("kbri-seoul", "KBRI Seoul", "seoul@kemlu.example", ("KR",))


def at(day: str, hour: int = 8) -> datetime:
    """`hour` o'clock in Jakarta (UTC+7) on `day`."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+07:00").astimezone(UTC)


def setup(pantau, server: SmtpServer, *extra) -> AlertJobs:
    pantau.store.append(
        [
            h.registered(S, "2016-01-01"),
            h.signed("2016-10-07", "mou-2016", stream=S),
            h.contact("2016-01-01", "putri", stream=S, email="putri@bandung.example"),
            *extra,
        ]
    )
    pantau.rules = dataclasses.replace(pantau.rules, desks=(SEOUL,))
    return AlertJobs(pantau, AlertRules(), server.sender())


def keys_and_days(pantau) -> list[tuple[str, str]]:
    return sorted((m["day"].isoformat(), m["key"]) for m in outbox.list_messages(pantau.engine, limit=1000))


def test_running_the_job_twice_on_the_same_day_queues_nothing_new(pantau, smtp_server, clock):
    jobs = setup(pantau, smtp_server)
    clock.now = at("2021-07-08")
    assert jobs.run(None, [clock.now.date()], partnerships=True, digests=True) == [
        "renewal:kota-bandung-seoul:mou-2016:2021-10-06:90"
    ]
    assert jobs.run(None, [clock.now.date()], partnerships=True, digests=True) == []
    assert jobs.alerts_job() == []  # the scheduled job on the same day: nothing new either
    assert len(outbox.list_messages(pantau.engine)) == 1


def test_the_first_run_evaluates_today_only_and_before_eight_today_is_not_due(pantau, smtp_server, clock):
    jobs = setup(pantau, smtp_server)
    clock.now = at("2021-07-08", 7)
    # 8 July's run is at 08:00, so 7 July is evaluated: 91 days left, the 180-day reminder is due.
    assert jobs.alerts_job() == ["renewal:kota-bandung-seoul:mou-2016:2021-10-06:180"]
    clock.now = at("2021-07-08", 8)
    assert jobs.alerts_job() == ["renewal:kota-bandung-seoul:mou-2016:2021-10-06:90"]


def test_a_restart_catches_up_every_missed_day_and_the_messages_carry_their_own_day(pantau, smtp_server, clock):
    jobs = setup(pantau, smtp_server, h.activity("2019-06-15", "visit", stream=S))
    clock.now = at("2021-06-01")
    jobs.catch_up()
    clock.now = at("2021-06-20", 9)  # down from 2 to 19 June: the cooling of 15 June is sent late
    jobs.catch_up()
    assert ("2021-06-15", "cooling:kota-bandung-seoul:2021-06-15") in keys_and_days(pantau)
    subjects = [m["Subject"] for m in smtp_server.parsed()]
    assert subjects.count("Kerja sama Kota Bandung – Seoul kini kurang aktif") == 1


def test_thresholds_passed_while_down_are_coalesced_into_the_smallest_one_sent_late(pantau, smtp_server, clock):
    jobs = setup(pantau, smtp_server)
    clock.now = at("2021-03-31")
    assert jobs.alerts_job() == []
    clock.now = at("2021-07-20")  # down through the 180-day (9 April) and 90-day (8 July) reminders
    assert jobs.alerts_job() == ["renewal:kota-bandung-seoul:mou-2016:2021-10-06:90"]
    assert keys_and_days(pantau) == [("2021-07-08", "renewal:kota-bandung-seoul:mou-2016:2021-10-06:90")]
    clock.now = at("2021-10-08")  # and through the 30-day reminder and the lapse: "30 days left" is moot
    jobs.alerts_job()
    assert keys_and_days(pantau)[1:] == [("2021-10-07", "lapsed:kota-bandung-seoul:mou-2016:2021-10-06")]


def test_digests_of_missed_firsts_are_queued_oldest_first(pantau, smtp_server, clock):
    jobs = setup(pantau, smtp_server)
    clock.now = at("2021-03-15")
    jobs.digest_job()
    clock.now = at("2021-06-02")
    assert jobs.digest_job() == ["digest:kbri-seoul:2021-03", "digest:kbri-seoul:2021-04", "digest:kbri-seoul:2021-05"]
    assert jobs.digest_job() == []


def test_the_digest_follows_the_matrix_and_lists_what_ends_lapsed_and_dormant(pantau, smtp_server, clock):
    setup(
        pantau,
        smtp_server,
        h.activity("2021-05-10", "visit", stream=S, title="Kunjungan <Wali Kota>"),
        h.assessed("2021-05-01", "tidak_aktif", stream=S),
        h.event(S, "NoteAdded", "2021-05-20", {"text": "MoU <b>diperpanjang</b>?"}),
        h.contact("2016-01-01", "desk", stream=S, side="desk", email="ani@kemlu.example", language="en"),
        h.registered("kota-batam-gimje", "2013-08-17"),
        h.signed("2013-08-17", "mou-2013", stream="kota-batam-gimje"),
    )
    pantau.runner.run()
    context = build(load_states(pantau.engine), "kbri-seoul", datetime(2021, 5, 1).date(), pantau.rules, AlertRules())
    bandung = next(r for r in context["rows"] if r["stream"] == S)
    assert (bandung["matrix_status"], bandung["assessed_status"], bandung["differs"]) == ("aktif", "tidak_aktif", True)
    # Lapsed in 2018, before 1 January of the year before the digest's: one line, not an item each month.
    assert context["lapsed"] == [] and context["old_lapsed"]["count"] == 1
    assert [e["stream"] for e in context["ending"]] == [S]
    assert [(e["stream"], e["last_activity_on"].isoformat()) for e in context["dormant"]] == [
        ("kota-batam-gimje", "2013-08-17")
    ]
    assert {c["what"] for c in context["changes"]} == {"ActivityLogged", "StatusAssessed", "NoteAdded"}
    body = render("digest", "id", {**context, "key": "digest:kbri-seoul:2021-05"})
    assert body.subject == "Ringkasan bulanan KBRI Seoul: Mei 2021"
    assert "Kunjungan &lt;Wali Kota&gt;" in body.html and "<Wali Kota>" not in body.html  # autoescaped
    assert "MoU &lt;b&gt;diperpanjang&lt;/b&gt;?" in body.html
    assert "6 Oktober 2021" in body.text and "1 perjanjian lain telah berakhir sebelum tahun 2020" in body.html
    english = render("digest", "en", {**context, "key": "digest:kbri-seoul:2021-05"})
    assert english.subject == "Monthly digest KBRI Seoul: May 2021" and "6 October 2021" in english.text


def test_a_digest_goes_to_the_desk_and_its_desk_side_contacts_each_in_their_language(pantau, smtp_server, clock):
    jobs = setup(
        pantau,
        smtp_server,
        h.contact("2016-01-01", "ani", stream=S, side="desk", email="ani@kemlu.example", language="en"),
    )
    clock.now = at("2021-06-01")
    assert jobs.catch_up() == [
        "renewal:kota-bandung-seoul:mou-2016:2021-10-06:180",
        "renewal:kota-bandung-seoul:mou-2016:2021-10-06:180/en",
        "digest:kbri-seoul:2021-05",
        "digest:kbri-seoul:2021-05/en",
    ]
    by_to = {m["To"]: m for m in smtp_server.parsed() if m["Subject"].startswith(("Ringkasan", "Monthly"))}
    assert by_to["seoul@kemlu.example"]["Subject"] == "Ringkasan bulanan KBRI Seoul: Mei 2021"
    assert by_to["ani@kemlu.example"]["Subject"] == "Monthly digest KBRI Seoul: May 2021"


def test_digests_read_desk_by_desk_match_the_whole_registry_and_find_a_desk_only_a_move_names(pantau, clock):
    # kota-medan-jeddah was the (unconfigured) kbri-jeddah desk's until April, then Seoul's: no row
    # or rule names kbri-jeddah any more, yet March's digest is still that desk's.
    moved = "kota-medan-jeddah"
    pantau.store.append(
        [
            h.registered(S, "2016-01-01"),
            h.signed("2016-10-07", "mou-2016", stream=S),
            h.registered(moved, "2015-01-01", desk="kbri-jeddah", country="SA"),
            h.signed("2019-03-02", "loi", "LoI", stream=moved),
            h.event(moved, "PartnershipDetailsChanged", "2021-04-15", {"desk": "kbri-seoul"}),
            h.registered("kota-surabaya-busan", "2018-05-05", desk=None),  # Seoul's by its country
        ]
    )
    pantau.rules = dataclasses.replace(pantau.rules, desks=(SEOUL,))
    pantau.runner.run()
    days = [h.d("2021-04-01"), h.d("2021-05-01")]
    everyone = load_states(pantau.engine)
    expected = [
        (m.key, m.subject, m.text, m.html, tuple(m.to))
        for alert in sorted(
            due(everyone, days, pantau.rules, AlertRules(), partnerships=False), key=lambda a: (a.day, a.key)
        )
        # Written on 1 May, as the run below writes them: March's digests a month late.
        for m in messages(alert, {}, everyone, pantau.rules, AlertRules(), today=h.d("2021-05-01"))
    ]
    assert [key for key, *_ in expected] == [
        "digest:kbri-jeddah:2021-03",
        "digest:kbri-seoul:2021-03",
        "digest:kbri-seoul:2021-04",
    ]
    queued = run_days(pantau.engine, days, pantau.rules, AlertRules(), at("2021-05-01"), partnerships=False)
    assert queued == [key for key, *_ in expected]
    stored = sorted(outbox.list_messages(pantau.engine, limit=100), key=lambda m: m["id"])
    assert [(m["key"], m["subject"], m["text"], m["html"], tuple(m["to"])) for m in stored] == expected
    assert "Seoul (SA)" in stored[2]["text"] and "Seoul (SA)" not in stored[1]["text"]  # moved in April
