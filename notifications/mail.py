"""Builds the e-mail of an outbox row: text with an HTML alternative and a Message-ID from its key."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime


def build(row: dict, sender: str, now: datetime) -> EmailMessage:
    """The MIME message for an outbox row (as `outbox.list_messages` returns it)."""
    message = EmailMessage()
    message["From"] = sender
    # With no contact address the desk alone gets it, so the To header is never empty.
    to, cc = (row["to"], row["cc"]) if row["to"] else (row["cc"], [])
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
