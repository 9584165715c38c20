"""The scheduled jobs driven by a hand-moved clock through a year; APScheduler wiring; leadership."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from events.database import create_engine
from notifications import outbox
from notifications.alert_rules import AlertRules
from notifications.simulate import simulate
from projections.readmodel import load_states
from projections.rules import Desk
from service.background import start_sink
from service.scheduler import (
    ALERTS_JOB,
    CATCH_UP_JOB,
    DIGEST_JOB,
    HOUSEKEEPING_JOB,
    LEADERSHIP_JOB,
    OUTBOX_JOB,
    AlertJobs,
    Leader,
    LeaderGuard,
    build_scheduler,
)
from service.settings import Settings, SettingsError
from service.smtp_sink import list_received
from tests import helpers as h
from tests.smtp import SmtpServer, free_port
from tests.test_alert_job import at

pytestmark = pytest.mark.service

SEOUL = Desk("kbri-seoul", "KBRI Seoul", "seoul@kemlu.example", ("KR",))


def year_of_partnerships(pantau):
    """Three partnerships whose 2021 holds every kind of alert, each with a contact's address."""
    events = []
    for stream, signed_on, activity_on in (
        ("kota-bandung-seoul", "2016-10-07", "2019-06-15"),
        ("kota-semarang-junggu", "2016-11-25", "2020-02-01"),
        ("jabar-incheon", "2017-09-25", "2017-09-25"),
    ):
        events += [
            h.registered(stream, "2016-01-01"),
            h.signed(signed_on, "mou", "LoI", stream=stream),
            h.signed(signed_on, "mou-2016", stream=stream),
            h.activity(activity_on, "visit", stream=stream),
            h.contact("2016-01-01", "c", stream=stream, email=f"contact@{stream}.example"),
        ]
    pantau.store.append(events)
    pantau.rules = dataclasses.replace(pantau.rules, desks=(SEOUL,))


# A year on SQLite only: PostgreSQL's commits make it four times slower, and each piece it drives
# (job, catch-up, worker, claim) is tested on both backends on its own.
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_year_of_scheduled_runs_sends_what_simulate_lists_each_exactly_once(pantau, clock, smtp_server):
    year_of_partnerships(pantau)
    jobs = AlertJobs(pantau, AlertRules(), smtp_server.sender())
    leader = Leader(pantau.engine)
    guard = LeaderGuard(jobs, leader)
    clock.now = at("2020-12-31", 9)
    guard(jobs.outbox_job)  # the service starts: catches up (today only, on a first run)
    day = date(2021, 1, 1)
    while day <= date(2021, 12, 31):
        clock.now = at(day.isoformat(), 8)
        guard(jobs.alerts_job)
        if day.day == 1:
            guard(jobs.digest_job)
        clock.advance(minutes=1)
        guard(jobs.outbox_job)  # the worker's next minute
        day += timedelta(days=1)
    leader.release()
    pantau.runner.run()
    expected = simulate(load_states(pantau.engine), date(2021, 1, 1), date(2021, 12, 31), pantau.rules, AlertRules())
    received = [m["X-Pantau-Key"] for m in smtp_server.parsed()]
    assert sorted(received) == sorted(p.key for p in expected)  # every one, each exactly once
    assert len(received) == len(set(received))
    rules = {p.rule for p in expected}
    assert rules == {"renewal", "lapsed", "cooling", "dormancy_warning", "dormant", "digest"}
    sent_events = [e for e in pantau.store.iter_all() if e.type == "NotificationSent"]
    assert len(sent_events) == len([p for p in expected if p.rule != "digest"])
    lapse = next(e for e in sent_events if e.data["rule"] == "lapsed" and e.stream == "kota-bandung-seoul")
    assert lapse.occurred_on.first == date(2021, 10, 7)
    assert outbox.counts(pantau.engine)["sent"] == len(expected)


def test_the_jobs_have_explicit_ids_coalesce_and_no_misfire_limit(pantau, smtp_server):
    pantau.settings = dataclasses.replace(pantau.settings, leader_retry_seconds=7)
    jobs = AlertJobs(pantau, AlertRules(), smtp_server.sender())
    scheduler = build_scheduler(jobs, LeaderGuard(jobs, Leader(pantau.engine)))
    scheduler.start(paused=True)  # job defaults are applied when the scheduler starts
    found = {job.id: job for job in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)
    assert set(found) == {ALERTS_JOB, DIGEST_JOB, OUTBOX_JOB, CATCH_UP_JOB, HOUSEKEEPING_JOB, LEADERSHIP_JOB}
    for job in found.values():
        assert job.coalesce is True and job.misfire_grace_time is None
    assert str(found[ALERTS_JOB].trigger) == "cron[hour='8', minute='0']"
    assert str(found[DIGEST_JOB].trigger) == "cron[day='1', hour='8', minute='0']"
    assert found[OUTBOX_JOB].trigger.interval == timedelta(minutes=1)
    assert str(found[HOUSEKEEPING_JOB].trigger) == "cron[hour='3', minute='30']"
    assert found[LEADERSHIP_JOB].trigger.interval == timedelta(seconds=7)  # PANTAU_LEADER_RETRY_SECONDS


def test_the_leader_retry_period_is_configurable_and_refused_by_name_when_not_a_positive_number():
    assert Settings.from_env({}, dotenv=None).leader_retry_seconds == 60
    assert Settings.from_env({"PANTAU_LEADER_RETRY_SECONDS": "2"}, dotenv=None).leader_retry_seconds == 2
    for value in ("0", "soon"):
        with pytest.raises(SettingsError, match="PANTAU_LEADER_RETRY_SECONDS"):
            Settings.from_env({"PANTAU_LEADER_RETRY_SECONDS": value}, dotenv=None)


def test_a_leader_that_takes_over_catches_up_before_its_first_job(pantau, clock, smtp_server):
    year_of_partnerships(pantau)
    jobs = AlertJobs(pantau, AlertRules(), smtp_server.sender())
    clock.now = at("2021-04-01")
    jobs.alerts_job()
    clock.now = at("2021-04-12")
    leader = Leader(pantau.engine)
    LeaderGuard(jobs, leader)(jobs.outbox_job)
    leader.release()
    assert outbox.get_message(pantau.engine, "renewal:kota-bandung-seoul:mou-2016:2021-10-06:180")["day"] == date(
        2021, 4, 9
    )


def test_on_postgresql_one_instance_leads_and_another_takes_over_when_it_is_gone(pg_database):
    url, connect_args, _ = pg_database
    engines = [create_engine(url, connect_args=connect_args) for _ in range(2)]
    first, second = Leader(engines[0]), Leader(engines[1])
    try:
        assert first.holds() is True
        assert second.holds() is False
        assert (first.leading, second.leading) == (True, False)  # what /healthz reports
        assert first.holds() is True  # still leading
        first.release()  # as when its process dies and the session ends
        assert first.leading is False
        assert second.holds() is True
        assert first.holds() is False
        assert (first.leading, second.leading) == (False, True)
    finally:
        first.release()
        second.release()
        for engine in engines:
            engine.dispose()


def test_on_sqlite_one_process_of_several_leads_through_a_file_lock(tmp_path):
    url = f"sqlite:///{tmp_path / 'pantau.db'}"
    engines = [create_engine(url) for _ in range(2)]  # as two `pantau serve` workers would have
    first, second = Leader(engines[0]), Leader(engines[1])
    try:
        assert first.holds() is True
        assert second.holds() is False
        assert first.holds() is True
        first.release()  # as when its process dies: the operating system drops the lock
        assert second.holds() is True
        assert first.holds() is False
        assert (tmp_path / "pantau.db.leader").exists()
    finally:
        first.release()
        second.release()
        for engine in engines:
            engine.dispose()


def test_the_local_sink_keeps_what_it_receives_for_the_mailbox_listing(pantau, clock):
    port = free_port()
    sink = start_sink(pantau, port=port)
    try:
        sender = SmtpServer(port).sender()
        from notifications import mail

        sender.send(
            mail.build(
                {
                    "key": "k",
                    "to": ["a@example.org"],
                    "cc": [],
                    "subject": "Halo",
                    "text": "teks",
                    "html": "<p>teks</p>",
                    "language": "id",
                    "message_id": "<k@pantau.local>",
                },
                "pantau@localhost",
                clock(),
            )
        )
    finally:
        sink.stop()
    [got] = list_received(pantau.engine)
    assert (got["subject"], got["rcpt_tos"], got["message_id"]) == ("Halo", ["a@example.org"], "<k@pantau.local>")


def test_the_sink_yields_its_port_to_one_already_listening(pantau, smtp_server):
    assert start_sink(pantau, port=smtp_server.port) is None


@pytest.mark.parametrize("hour, due", [(7, "2021-07-07"), (8, "2021-07-08"), (23, "2021-07-08")])
def test_the_last_due_day_turns_at_eight_in_the_zone(pantau, clock, smtp_server, hour, due):
    clock.now = at("2021-07-08", hour)
    assert AlertJobs(pantau, AlertRules(), smtp_server.sender()).last_due_day().isoformat() == due


def test_serve_starts_the_jobs_with_the_configured_smtp_server_and_stops_them(pantau, smtp_server):
    from service.background import start_background

    pantau.settings = dataclasses.replace(pantau.settings, smtp_url=f"smtp://127.0.0.1:{smtp_server.port}")
    background = start_background(pantau)
    try:
        assert background.sink is None  # PANTAU_SMTP_URL is set: no local sink
        assert {ALERTS_JOB, DIGEST_JOB, OUTBOX_JOB} <= {job.id for job in background.scheduler.get_jobs()}
        assert background.jobs.worker.sender.target.port == smtp_server.port
    finally:
        background.shutdown()
    assert not background.scheduler.running
