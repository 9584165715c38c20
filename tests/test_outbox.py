"""The outbox and its worker, on SQLite and PostgreSQL, sending to a real SMTP server on loopback."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from events.database import create_engine, writing
from notifications import outbox
from notifications.alert_rules import AlertRules
from notifications.job import queue_days
from notifications.schema import outbox as outbox_table
from notifications.send_reasons import SendReason
from notifications.worker import OutboxWorker
from projections.readmodel import load_states
from projections.rules import Desk
from service.bootstrap import bootstrap, migrate
from service.settings import Settings
from tests import helpers as h
from tests.helpers import at_once
from tests.smtp import SmtpServer

STREAM = "kota-bandung-seoul"
SEOUL = Desk("kbri-seoul", "KBRI Seoul", "seoul@kemlu.example", ("KR",))
RULES = AlertRules(sender="Pantau <pantau@localhost>")
# The MoU of 7 October 2016 is in force through 6 October 2021: 90 days left on 8 July 2021.
REMINDER_DAY = date(2021, 7, 8)
KEY = "renewal:kota-bandung-seoul:mou-2016:2021-10-06:90"


@pytest.fixture
def pantau_pg(pg_database, clock):
    """The application on a PostgreSQL schema of this test's own."""
    url, connect_args, _ = pg_database
    engine = create_engine(url, connect_args=connect_args)
    migrate(engine)
    yield bootstrap(Settings(database_url=url), clock=clock, engine=engine, migrate_schema=False)
    engine.dispose()


def seed(pantau, *contacts, desk: Desk | None = SEOUL):
    """Bandung – Seoul with its MoU of 2016 and the given contacts; the desk configured."""
    events = [h.registered(STREAM, "2016-01-01"), h.signed("2016-10-07", "mou-2016", stream=STREAM)]
    events += list(contacts)
    pantau.store.append(events)
    pantau.runner.run()
    if desk is not None:
        pantau.rules = dataclasses.replace(pantau.rules, desks=(desk,))
    return load_states(pantau.engine)


def putri(**fields):
    return h.contact("2016-01-01", "putri", stream=STREAM, email="putri@bandung.example", **fields)


def queue_reminder(pantau, states, day=REMINDER_DAY) -> list[str]:
    # Written on its day: a reminder written after the day it announces would speak in the past.
    written = min(pantau.clock(), datetime.combine(day, time(1), tzinfo=UTC))
    return queue_days(pantau.engine, states, [day], pantau.rules, RULES, written)


def worker(pantau, server: SmtpServer, rules: AlertRules = RULES) -> OutboxWorker:
    return OutboxWorker(pantau.engine, server.sender(), pantau.clock, rules, pantau.store, pantau.settings.zone)


def test_the_reminder_arrives_with_recipients_subject_and_both_parts(pantau, smtp_server):
    states = seed(
        pantau,
        putri(),
        h.contact("2016-01-01", "kim", stream=STREAM, side="partner", email="kim@seoul.example", name="Mr Kim"),
    )
    assert queue_reminder(pantau, states) == [KEY]
    assert worker(pantau, smtp_server).step() is True
    [message] = smtp_server.parsed()
    assert message["To"] == "putri@bandung.example, kim@seoul.example"  # side indonesia first
    assert message["Cc"] == "seoul@kemlu.example"
    assert message["Subject"] == ("Pengingat: MoU Kota Bandung – Seoul berakhir 6 Oktober 2021 (90 hari lagi)")
    assert message["Content-Language"] == "id"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "7 Oktober 2016" in text and "6 Oktober 2021" in text
    assert "<table" in html and "6 Oktober 2021" in html
    assert outbox.get_message(pantau.engine, KEY)["state"] == "sent"


def test_a_contact_who_reads_english_gets_an_english_message_of_their_own(pantau, smtp_server):
    states = seed(
        pantau,
        putri(),
        h.contact("2016-01-01", "kim", stream=STREAM, side="partner", email="kim@seoul.example", language="en"),
    )
    assert queue_reminder(pantau, states) == [KEY, KEY + "/en"]
    worker(pantau, smtp_server).drain()
    by_to = {m["To"]: m for m in smtp_server.parsed()}
    assert by_to["kim@seoul.example"]["Subject"] == (
        "Reminder: MoU Kota Bandung – Seoul ends 6 October 2021 (90 days left)"
    )
    assert by_to["kim@seoul.example"]["Content-Language"] == "en"
    assert by_to["kim@seoul.example"]["Cc"] is None  # the desk gets one copy, with the first message
    assert by_to["putri@bandung.example"]["Cc"] == "seoul@kemlu.example"


def test_a_delivered_message_is_recorded_on_the_partnerships_stream(pantau, smtp_server, clock):
    states = seed(pantau, putri())
    queue_reminder(pantau, states)
    worker(pantau, smtp_server).step()
    [event] = [e for e in pantau.store.stream(STREAM) if e.type == "NotificationSent"]
    assert event.data["key"] == KEY and event.data["to"] == ["putri@bandung.example"]
    assert event.data["cc"] == ["seoul@kemlu.example"]
    assert event.occurred_on.first == clock().astimezone(pantau.settings.zone).date()


def test_a_refused_connection_is_retried_with_backoff_and_delivered_once_the_server_is_back(
    pantau, stopped_smtp_server, clock
):
    states = seed(pantau, putri())
    queue_reminder(pantau, states)
    sending = worker(pantau, stopped_smtp_server)
    assert sending.step() is True
    row = outbox.get_message(pantau.engine, KEY)
    assert (row["state"], row["attempts"]) == ("queued", 1)
    assert row["next_attempt_at"] == clock() + timedelta(minutes=1)
    assert "Connect" in row["last_error"] or "refused" in row["last_error"].lower()
    assert row["last_error_code"] == "unreachable" and row["last_error_params"]["detail"] == row["last_error"]
    assert sending.step() is False  # not due before its next attempt
    clock.advance(minutes=1)
    assert sending.step() is True
    assert outbox.get_message(pantau.engine, KEY)["next_attempt_at"] == clock() + timedelta(minutes=2)
    stopped_smtp_server.start()
    clock.advance(minutes=2)
    assert sending.drain() == 1
    clock.advance(hours=7)
    assert sending.step() is False
    assert len(stopped_smtp_server.messages) == 1
    row = outbox.get_message(pantau.engine, KEY)
    assert (row["state"], row["attempts"], row["sent_at"]) == ("sent", 3, clock() - timedelta(hours=7))
    assert (row["last_error"], row["last_error_code"], row["last_error_params"]) == (None, None, {})
    history = row["history"]  # each attempt with its own time, outcome and reason
    assert [(a["attempt"], a["outcome"]) for a in history] == [(1, "retry"), (2, "retry"), (3, "sent")]
    assert [a["at"] - history[0]["at"] for a in history] == [timedelta(0), timedelta(minutes=1), timedelta(minutes=3)]
    assert all("refused" in a["detail"].lower() or "Connect" in a["detail"] for a in history[:2])
    assert history[2]["detail"] is None


def test_backoff_doubles_up_to_six_hours_and_gives_up_after_three_days(pantau, stopped_smtp_server, clock):
    states = seed(pantau, putri())
    queue_reminder(pantau, states)
    sending = worker(pantau, stopped_smtp_server)
    waits = []
    while sending.step():
        row = outbox.get_message(pantau.engine, KEY)
        if row["state"] != "queued":
            break
        waits.append(row["next_attempt_at"] - clock())
        clock.now = row["next_attempt_at"]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(waits) == timedelta(hours=6)
    row = outbox.get_message(pantau.engine, KEY)
    assert row["state"] == "failed" and row["last_error"].startswith("gave up after")
    assert [a["outcome"] for a in row["history"]] == ["retry"] * (row["attempts"] - 1) + ["failed"]
    assert row["history"][-1]["detail"] == row["last_error"]
    assert (row["last_error_code"], row["last_error_params"]["n"]) == ("gave_up", row["attempts"])
    assert row["history"][-1]["detail_code"] == "gave_up" and row["history"][0]["detail_code"] == "unreachable"
    assert row["sent_at"] is None and row["first_attempt_at"] + timedelta(days=3) >= clock() - timedelta(hours=6)


def test_a_5xx_fails_at_once_with_the_reason_shown(pantau, smtp_server):
    states = seed(pantau, putri())
    queue_reminder(pantau, states)
    smtp_server.reply = "550 5.7.1 Relaying denied"
    assert worker(pantau, smtp_server).drain() == 1
    row = outbox.list_messages(pantau.engine, state="failed")[0]
    assert row["key"] == KEY and "550" in row["last_error"] and "Relaying denied" in row["last_error"]
    assert row["last_error_code"] == "server_said" and "Relaying denied" in row["last_error_params"]["detail"]
    assert not [e for e in pantau.store.stream(STREAM) if e.type == "NotificationSent"]
    smtp_server.reply = None
    assert outbox.retry(pantau.engine, KEY, pantau.clock())
    assert worker(pantau, smtp_server).drain() == 1
    assert outbox.get_message(pantau.engine, KEY)["state"] == "sent"


def test_no_recipient_address_is_undeliverable_shown_and_never_sent(pantau, smtp_server):
    states = seed(pantau, h.contact("2016-01-01", "putri", stream=STREAM), desk=None)  # no e-mail anywhere
    assert queue_reminder(pantau, states) == [KEY]
    assert worker(pantau, smtp_server).step() is False
    [row] = outbox.list_messages(pantau.engine, state="undeliverable")
    assert row["key"] == KEY and "no recipient address" in row["last_error"]
    assert (row["last_error_code"], row["last_error_params"]) == ("no_recipient", {})
    assert outbox.counts(pantau.engine)["undeliverable"] == 1
    assert smtp_server.messages == []


def test_a_message_left_sending_by_a_killed_process_is_sent_once_after_its_lease(pantau, smtp_server, clock):
    states = seed(pantau, putri())
    queue_reminder(pantau, states)
    # The process claimed the row and died before the SMTP exchange.
    dead = worker(pantau, smtp_server)
    assert dead.claim(clock()).row is not None
    assert outbox.get_message(pantau.engine, KEY)["state"] == "sending"
    restarted = worker(pantau, smtp_server)
    assert restarted.step() is False  # the lease still runs
    clock.advance(minutes=5, seconds=1)
    assert restarted.step() is True
    assert restarted.drain() == 0
    assert len(smtp_server.messages) == 1
    assert smtp_server.parsed()[0]["Message-ID"] == outbox.get_message(pantau.engine, KEY)["message_id"]
    assert outbox.get_message(pantau.engine, KEY)["state"] == "sent"


def test_a_worker_whose_lease_ran_out_cannot_overwrite_the_new_claim(pantau, smtp_server, clock):
    states = seed(pantau, putri())
    queue_reminder(pantau, states)
    slow = worker(pantau, smtp_server)
    stale = slow.claim(clock()).row
    clock.advance(minutes=6)
    assert worker(pantau, smtp_server).step() is True  # took the row over and sent it
    slow._finish(stale, clock(), "failed", SendReason("late", "server_said", {"detail": "late"}), state="failed")
    row = outbox.get_message(pantau.engine, KEY)
    assert row["state"] == "sent"
    # The log is in the order the attempts began (each is written when it starts).
    assert [(a["attempt"], a["outcome"]) for a in row["history"]] == [(1, "failed"), (2, "sent")]
    assert row["history"][0]["detail"] == "late; lease had run out: outcome left to the next holder"
    assert row["history"][0]["detail_code"] == "lease_lost" and row["last_error_code"] is None


def test_two_workers_on_postgresql_deliver_every_message_exactly_once(pg_database, clock, smtp_server, pantau_pg):
    pantau = pantau_pg
    events = []
    for n in range(40):
        stream = f"kota-{n:02d}-seoul"
        events += [
            h.registered(stream, "2016-01-01"),
            h.signed("2016-10-07", "mou-2016", stream=stream),
            h.contact("2016-01-01", "c", stream=stream, email=f"c{n}@example.org"),
        ]
    pantau.store.append(events)
    pantau.runner.run()
    assert len(queue_reminder(pantau, load_states(pantau.engine))) == 40
    url, connect_args, _ = pg_database
    engines = [create_engine(url, connect_args=connect_args) for _ in range(2)]
    counts = []

    def drain(engine):
        counts.append(OutboxWorker(engine, smtp_server.sender(), clock, RULES, None).drain())

    at_once(drain, [(e,) for e in engines])
    for e in engines:
        e.dispose()
    received = sorted(m["rcpt_tos"][0] for m in smtp_server.messages)
    assert received == sorted(f"c{n}@example.org" for n in range(40))  # each once, none missing
    assert sum(counts) == 40 and outbox.counts(pantau.engine)["sent"] == 40


def test_the_outbox_key_refuses_a_second_row(pantau):
    states = seed(pantau, putri())
    assert queue_reminder(pantau, states) == [KEY]
    assert queue_reminder(pantau, states) == []
    with writing(pantau.engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(outbox_table)).scalar_one() == 1
