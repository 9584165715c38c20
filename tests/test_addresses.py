"""E-mail addresses: checked at input with email-validator; at sending, one bad or refused
recipient is recorded and the others still get the message (real aiosmtpd on loopback)."""

from __future__ import annotations

import msgspec
import pytest

from events.catalogue import ContactAssigned
from notifications import outbox
from tests import helpers as h
from tests.api_fixtures import build
from tests.test_outbox import KEY, STREAM, queue_reminder, seed, worker


@pytest.fixture
def api(database, engine, clock):
    client = build(database, engine, clock)
    with client.client:
        yield client


@pytest.mark.parametrize(
    "address",
    [
        "a,b@evil.example",
        '"a"@b.example',
        "x@y.z;",
        "Ibu <a@b.example>",
        "a@[127.0.0.1]",
        "putri@bandung",
        "a b@c.example",
    ],
)
def test_an_address_a_header_could_misread_is_refused_at_input(api, address):
    head = api.pantau.store.head()
    response = api.post(
        f"/api/partnerships/{STREAM}/contacts", {"contact_id": "x", "name": "X", "side": "desk", "email": address}
    )
    assert response.status_code == 422, response.json()
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["data.email"]
    assert api.pantau.store.head() == head


def test_plain_addresses_are_taken(api):
    for address in ("putri@bandung.example", "kerjasama@kbri-seoul.example", "nama.lengkap+pantau@jabarprov.go.id"):
        response = api.post(
            f"/api/partnerships/{STREAM}/contacts",
            {"contact_id": address, "name": "X", "side": "indonesia", "email": address},
        )
        assert response.status_code == 201, response.json()


def stored_contact(contact_id: str, email: str):
    """A contact as an earlier release stored it, before addresses were checked."""
    event = h.contact("2016-01-01", contact_id, stream=STREAM, email=f"{contact_id}@placeholder.example")
    data = {"contact_id": contact_id, "name": contact_id, "side": "indonesia", "email": email}
    return msgspec.structs.replace(
        event, data_json=msgspec.json.encode(data).decode(), payload=msgspec.convert(data, ContactAssigned)
    )


def test_a_bad_and_a_refused_recipient_are_recorded_and_the_others_receive_it(pantau, smtp_server):
    states = seed(
        pantau,
        stored_contact("bad", "a,b@evil.example"),
        h.contact("2016-01-01", "gone", stream=STREAM, email="gone@bandung.example"),
        h.contact("2016-01-01", "putri", stream=STREAM, email="putri@bandung.example"),
    )
    smtp_server.refuse_only["gone@bandung.example"] = "550 5.1.1 No such user"
    assert queue_reminder(pantau, states) == [KEY]
    assert worker(pantau, smtp_server).step() is True
    [got] = smtp_server.messages
    assert sorted(got["rcpt_tos"]) == ["putri@bandung.example", "seoul@kemlu.example"]
    row = outbox.get_message(pantau.engine, KEY)
    assert row["state"] == "sent"
    assert "a,b@evil.example: not an e-mail address" in row["last_error"]
    assert "gone@bandung.example: 550" in row["last_error"]
    [message] = smtp_server.parsed()
    assert "evil" not in message["To"]


def test_only_bad_addresses_fail_the_message_for_good(pantau, smtp_server):
    states = seed(pantau, stored_contact("bad", "x@y.z;"), desk=None)
    assert queue_reminder(pantau, states) == [KEY]
    worker(pantau, smtp_server).step()
    row = outbox.get_message(pantau.engine, KEY)
    assert row["state"] == "failed" and "no usable address" in row["last_error"]
    assert smtp_server.messages == []
