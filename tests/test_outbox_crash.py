"""The leader dies between the mail server's acceptance and the outbox's mark: the record shows both attempts.

A real aiosmtpd server on loopback takes the mail; the crash is simulated at that exact point (the
sender returns from the server's 250, then the process is gone: nothing after it runs).
"""

from __future__ import annotations

import dataclasses
from datetime import date

from notifications import keys, outbox
from notifications.alert_rules import AlertRules
from notifications.job import queue_days
from notifications.worker import OutboxWorker
from projections.readmodel import load_states
from projections.rules import Desk
from tests import helpers as h

STREAM = "kota-bandung-seoul"
RULES = AlertRules(sender="Pantau <pantau@localhost>")
KEY = "renewal:kota-bandung-seoul:mou-2016:2021-10-06:90"  # 90 days before the MoU of 2016 lapses


class Killed(BaseException):
    """The process is gone: not an error the worker could catch and record."""


class DiesAfterAcceptance:
    """A sender whose process dies as soon as the server has accepted the message."""

    def __init__(self, sender):
        self.sender = sender

    def send(self, message):
        self.sender.send(message)
        raise Killed


def queued(pantau):
    """Bandung – Seoul's renewal reminder of 8 July 2021, queued for Putri and the Seoul desk."""
    pantau.store.append(
        [
            h.registered(STREAM, "2016-01-01"),
            h.signed("2016-10-07", "mou-2016", stream=STREAM),
            h.contact("2016-01-01", "putri", stream=STREAM, email="putri@bandung.example"),
        ]
    )
    pantau.runner.run()
    seoul = Desk("kbri-seoul", "KBRI Seoul", "seoul@kemlu.example", ("KR",))
    pantau.rules = dataclasses.replace(pantau.rules, desks=(seoul,))
    queue_days(pantau.engine, load_states(pantau.engine), [date(2021, 7, 8)], pantau.rules, RULES, pantau.clock())


def worker(pantau, sender) -> OutboxWorker:
    return OutboxWorker(pantau.engine, sender, pantau.clock, RULES, pantau.store, pantau.settings.zone)


def attempts(pantau) -> list[tuple[int, str]]:
    return [(a["attempt"], a["outcome"]) for a in outbox.get_message(pantau.engine, KEY)["history"]]


def test_a_leader_killed_after_the_servers_acceptance_leaves_both_attempts_and_one_message_id(
    pantau, smtp_server, clock
):
    queued(pantau)
    leader = worker(pantau, DiesAfterAcceptance(smtp_server.sender()))
    try:
        leader.step()
    except Killed:
        pass
    else:
        raise AssertionError("the leader was to die after the server accepted the message")
    assert len(smtp_server.messages) == 1  # delivered, and the outbox does not know it
    assert outbox.get_message(pantau.engine, KEY)["state"] == "sending"
    assert attempts(pantau) == [(1, "sending")]  # on record before the SMTP conversation began

    standby = worker(pantau, smtp_server.sender())
    assert standby.step() is False  # the dead leader's lease still runs: nobody sends
    clock.advance(minutes=5, seconds=1)
    assert standby.step() is True
    assert standby.drain() == 0

    row = outbox.get_message(pantau.engine, KEY)
    assert row["state"] == "sent"
    assert attempts(pantau) == [(1, "interrupted"), (2, "sent")]
    # One more delivery, the promised one: the same Message-ID, so mail clients fold the copies.
    ids = [m["Message-ID"] for m in smtp_server.parsed()]
    assert ids == [row["message_id"], row["message_id"]] == [keys.message_id(KEY)] * 2
    sent = [e for e in pantau.store.stream(STREAM) if e.type == "NotificationSent"]
    assert [e.data["key"] for e in sent] == [KEY]  # recorded once


def test_the_message_id_stays_the_same_across_a_retry_after_a_refusal(pantau, smtp_server, clock):
    queued(pantau)
    smtp_server.reply = "451 4.3.0 try again later"  # refused at DATA: nothing delivered
    sender = worker(pantau, smtp_server.sender())
    assert sender.step() is True
    assert attempts(pantau) == [(1, "retry")] and smtp_server.messages == []
    smtp_server.reply = None
    clock.advance(minutes=1, seconds=1)
    assert sender.step() is True
    assert attempts(pantau) == [(1, "retry"), (2, "sent")]
    assert [m["Message-ID"] for m in smtp_server.parsed()] == [keys.message_id(KEY)]


def test_a_message_rendered_from_old_text_is_sent_and_recorded_with_its_subject_as_sent(pantau, smtp_server, clock):
    from events.database import writing
    from notifications.outbox import Message

    pantau.store.append([h.registered(STREAM, "2016-01-01")])
    subject = "Pengingat Kota Bandung\ufffe\x07 – Seoul\nBcc: x@evil.example"  # stored before the rules
    with writing(pantau.engine) as conn:
        outbox.queue(
            conn,
            [
                Message(
                    key=KEY,
                    alert_key=KEY,
                    rule="renewal",
                    stream=STREAM,
                    desk="kbri-seoul",
                    day=date(2021, 7, 8),
                    language="id",
                    to=("putri@bandung.example",),
                    cc=(),
                    subject=subject,
                    text="teks\x00",
                    html="<p>teks</p>",
                    message_id=keys.message_id(KEY),
                )
            ],
            clock(),
        )
    assert worker(pantau, smtp_server.sender()).step() is True
    row = outbox.get_message(pantau.engine, KEY)
    assert row["state"] == "sent" and row["last_error"] is None, row["last_error"]
    [received] = smtp_server.parsed()
    assert str(received["Subject"]) == "Pengingat Kota Bandung\ufffd\ufffd – Seoul Bcc: x@evil.example"
    assert received["Bcc"] is None
    [sent] = [e for e in pantau.store.stream(STREAM) if e.type == "NotificationSent"]
    assert sent.data["subject"] == str(received["Subject"])
