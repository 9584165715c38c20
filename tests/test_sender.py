"""The sender against a real aiosmtpd server on loopback (`smtp_server`, `stopped_smtp_server`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from notifications import mail
from notifications.sender import SendFailure, SmtpTarget

pytestmark = pytest.mark.service


def _row(**changes) -> dict:
    row = {
        "key": "renewal:s:mou:2021-10-06:90",
        "to": ["putri@example.go.id"],
        "cc": ["desk@example.go.id"],
        "subject": "Pengingat: MoU berakhir",
        "text": "Yth. Bapak/Ibu,",
        "html": "<p>Yth. Bapak/Ibu,</p>",
        "language": "id",
        "message_id": "<abc@pantau.local>",
    }
    return {**row, **changes}


NOW = datetime(2021, 7, 8, 1, 0, tzinfo=UTC)


def test_smtp_urls_name_host_port_login_and_tls():
    plain = SmtpTarget.from_url("smtp://user:p%40ss@mail.example.org:2525")
    assert (plain.host, plain.port, plain.username, plain.password, plain.use_tls, plain.start_tls) == (
        "mail.example.org",
        2525,
        "user",
        "p@ss",
        False,
        False,
    )
    assert SmtpTarget.from_url("smtp://mail.example.org?starttls=1").start_tls
    implicit = SmtpTarget.from_url("smtps://mail.example.org")
    assert (implicit.port, implicit.use_tls) == (465, True)
    with pytest.raises(ValueError, match="scheme"):
        SmtpTarget.from_url("http://mail.example.org")


def test_a_message_arrives_with_its_recipients_subject_and_both_parts(smtp_server):
    refused = smtp_server.sender().send(mail.build(_row(), "Pantau <pantau@localhost>", NOW))
    assert refused == []
    [got] = smtp_server.messages
    assert sorted(got["rcpt_tos"]) == ["desk@example.go.id", "putri@example.go.id"]
    [parsed] = smtp_server.parsed()
    assert parsed["Subject"] == "Pengingat: MoU berakhir"
    assert parsed["Message-ID"] == "<abc@pantau.local>"
    assert parsed["Cc"] == "desk@example.go.id"
    types = [part.get_content_type() for part in parsed.walk()]
    assert types == ["multipart/alternative", "text/plain", "text/html"]


def test_a_message_with_only_the_desk_goes_to_the_desk(smtp_server):
    smtp_server.sender().send(mail.build(_row(to=[]), "pantau@localhost", NOW))
    [parsed] = smtp_server.parsed()
    assert parsed["To"] == "desk@example.go.id" and parsed["Cc"] is None


def test_a_refused_connection_is_a_temporary_failure(stopped_smtp_server):
    with pytest.raises(SendFailure) as caught:
        stopped_smtp_server.sender().send(mail.build(_row(), "pantau@localhost", NOW))
    assert caught.value.temporary


def test_a_5xx_is_a_permanent_failure_with_the_servers_reason(smtp_server):
    smtp_server.reply = "554 5.7.1 Message rejected as spam"
    with pytest.raises(SendFailure) as caught:
        smtp_server.sender().send(mail.build(_row(), "pantau@localhost", NOW))
    assert not caught.value.temporary
    assert "554" in caught.value.reason and "rejected as spam" in caught.value.reason


def test_a_4xx_is_temporary(smtp_server):
    smtp_server.reply = "451 4.3.0 Try again later"
    with pytest.raises(SendFailure) as caught:
        smtp_server.sender().send(mail.build(_row(), "pantau@localhost", NOW))
    assert caught.value.temporary and "451" in caught.value.reason


def test_every_recipient_refused_with_550_is_permanent(smtp_server):
    smtp_server.refuse_rcpt = "550 5.1.1 No such user"
    with pytest.raises(SendFailure) as caught:
        smtp_server.sender().send(mail.build(_row(), "pantau@localhost", NOW))
    assert not caught.value.temporary and "No such user" in caught.value.reason


def test_a_malformed_address_never_reaches_a_header(smtp_server):
    smtp_server.sender().send(mail.build(_row(to=["not an address", "a,b@evil.example"]), "pantau@localhost", NOW))
    [got] = smtp_server.messages
    assert got["rcpt_tos"] == ["desk@example.go.id"]  # the desk alone, and never b@evil.example
