"""The outbox, the digest preview and the local mailbox through the API and the pages."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from events.database import writing
from notifications import outbox as outbox_store
from service.smtp_sink import DatabaseMailbox, received
from tests.api_fixtures import build
from tests.test_outbox import worker

pytestmark = pytest.mark.service

RAW = (
    b"From: Pantau <pantau@localhost>\r\nTo: putri@example.go.id\r\nSubject: MoU berakhir dalam 90 hari\r\n"
    b"Message-ID: <abc@pantau.local>\r\n\r\nIsi pesan.\r\n"
)


@pytest.fixture
def api(database, engine, clock):
    built = build(database, engine, clock, sample=True)
    message = outbox_store.Message(
        key="renewal:kota-bandung-seoul:mou-2016:2021-10-06:90",
        alert_key="renewal:x",
        rule="renewal",
        stream="kota-bandung-seoul",
        desk="kbri-seoul",
        day=date(2021, 7, 8),
        language="id",
        to=("putri@example.go.id",),
        cc=(),
        subject="MoU berakhir dalam 90 hari",
        text="Isi",
        html="<p>Isi</p>",
        message_id="<abc@pantau.local>",
    )
    nobody = outbox_store.Message(
        key="dormant:bali-jeju:2021-01-01",
        alert_key="dormant:y",
        rule="dormant",
        stream="bali-jeju",
        desk="kbri-seoul",
        day=date(2021, 1, 1),
        language="id",
        to=(),
        cc=(),
        subject="Tidak aktif",
        text="Isi",
        html="<p>Isi</p>",
        message_id="<def@pantau.local>",
    )
    with writing(engine) as conn:
        outbox_store.queue(conn, [message, nobody], clock())
    DatabaseMailbox(engine)(received("pantau@localhost", ["putri@example.go.id"], RAW, clock()))
    with built.client:
        yield built


def test_the_outbox_lists_messages_with_counts_and_filters(api):
    body = api.get("/api/outbox").json()
    assert body["counts"]["queued"] == 1 and body["counts"]["undeliverable"] == 1
    assert {m["key"] for m in body["messages"]} == {
        "renewal:kota-bandung-seoul:mou-2016:2021-10-06:90",
        "dormant:bali-jeju:2021-01-01",
    }
    undeliverable = api.get("/api/outbox", params={"state": "undeliverable"}).json()["messages"]
    assert [m["rule"] for m in undeliverable] == ["dormant"] and undeliverable[0]["last_error"]
    assert api.get("/api/outbox", params={"state": "lost"}).status_code == 422
    one = api.get("/api/outbox/renewal:kota-bandung-seoul:mou-2016:2021-10-06:90").json()
    assert one["html"] == "<p>Isi</p>" and one["to"] == ["putri@example.go.id"]
    assert api.get("/api/outbox/nothing-here").status_code == 404


def test_the_digest_preview_of_a_desk_and_month(api):
    preview = api.get("/api/digest/kbri-seoul", params={"month": "2021-12"}).json()
    assert preview["key"] == "digest:kbri-seoul:2021-12" and preview["subject"] and "<" in preview["html"]
    html = api.get("/api/digest/kbri-seoul", params={"month": "2021-12", "format": "html", "language": "en"})
    assert html.headers["content-type"].startswith("text/html")
    assert api.get("/api/digest/kbri-nowhere", params={"month": "2021-12"}).status_code == 404
    assert api.get("/api/digest/kbri-seoul", params={"month": "2021-13"}).status_code == 422


def test_the_local_mailbox(api):
    [mail] = api.get("/api/mailbox").json()
    assert mail["subject"] == "MoU berakhir dalam 90 hari" and mail["rcpt_tos"] == ["putri@example.go.id"]
    assert "Isi pesan." in api.get(f"/api/mailbox/{mail['id']}").text
    assert api.get("/api/mailbox/999999").status_code == 404


def test_outbox_and_mailbox_pages(api):
    page = api.client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    api.client.post("/login", data={"token": api.tokens["viewer"], "csrf": csrf})
    outbox = api.client.get("/outbox").text
    assert "MoU berakhir dalam 90 hari" in outbox and "Tak terkirim" in outbox
    assert "MoU berakhir" not in api.client.get("/outbox?state=undeliverable").text
    mailbox = api.client.get("/mailbox").text
    assert "putri@example.go.id" in mailbox
    mail_id = re.search(r'href="/mailbox/(\d+)"', mailbox).group(1)
    assert "Isi pesan." in api.client.get(f"/mailbox/{mail_id}").text
    assert api.client.get("/digest?desk=kbri-seoul&month=2021-12").status_code == 200
    assert api.client.get("/digest?desk=kbri-seoul&month=junk").status_code == 422


def test_the_attempts_of_a_message_tried_twice_show_in_the_api_and_on_the_page(api, clock, stopped_smtp_server):
    sending = worker(api.pantau, stopped_smtp_server)  # nothing listens: each attempt is refused
    assert sending.step() is True
    clock.advance(minutes=1)
    assert sending.step() is True
    one = api.get("/api/outbox/renewal:kota-bandung-seoul:mou-2016:2021-10-06:90").json()
    assert [(a["attempt"], a["outcome"]) for a in one["history"]] == [(1, "retry"), (2, "retry")]
    first, second = (datetime.fromisoformat(a["at"]) for a in one["history"])
    assert second - first == timedelta(minutes=1) and "SMTPConnectError" in one["history"][0]["detail"]
    page = api.client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    api.client.post("/login", data={"token": api.tokens["viewer"], "csrf": csrf})
    outbox = api.client.get("/outbox").text
    assert "Riwayat percobaan" in outbox
    assert outbox.count("gagal sementara, dicoba lagi") == 2
