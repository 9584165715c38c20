"""Builds the e-mail of an outbox row: text with an HTML alternative and a Message-ID from its key."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from notifications.sender import bad_addresses


def unusable(row: dict) -> list[str]:
    """The row's addresses that no message goes to: stored before addresses were checked at input."""
    return bad_addresses(list(row["to"]) + list(row["cc"]))


def build(row: dict, sender: str, now: datetime) -> EmailMessage:
    """The MIME message for an outbox row (as `outbox.list_messages` returns it), to its usable addresses.

    An unusable one is left out rather than written into a header, where `a,b@evil.example`
    would read as two recipients; the worker records it as refused.
    """
    message = EmailMessage()
    message["From"] = sender
    bad = set(unusable(row))
    to, cc = [a for a in row["to"] if a not in bad], [a for a in row["cc"] if a not in bad]
    # With no contact address the desk alone gets it, so the To header is never empty.
    to, cc = (to, cc) if to else (cc, [])
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = row["subject"]
    message["Date"] = format_datetime(now)
    message["Message-ID"] = row["message_id"]
    message["X-Pantau-Key"] = row["key"]
    message.set_content(row["text"])
    message.add_alternative(row["html"], subtype="html")
    message["Content-Language"] = row["language"]  # after the parts: set_content clears Content-* headers
    return message
