"""Builds the e-mail of an outbox row: text with an HTML alternative and a Message-ID from its key."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from events.text import writable
from notifications.sender import bad_addresses

# RFC 5322 says a line is at most 998 characters; a subject this long is folded, never refused.
SUBJECT_CHARS = 900


def header_text(value: str) -> str:
    """`value` as one header line: line breaks and tabs become spaces (a break would end the header,
    and the email package refuses one), what no text file carries becomes U+FFFD, cut to length."""
    value = " ".join(writable(value).split())
    return value if len(value) <= SUBJECT_CHARS else value[: SUBJECT_CHARS - 1] + "…"


def body_text(value: str) -> str:
    """A body part's text with what no text file carries (NUL, other C0 controls, lone surrogates,
    which UTF-8 cannot encode, and noncharacters) replaced by U+FFFD."""
    return writable(value)


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
    message["Subject"] = header_text(row["subject"])
    message["Date"] = format_datetime(now)
    message["Message-ID"] = row["message_id"]
    message["X-Pantau-Key"] = header_text(row["key"])  # made of ids, which old rows may hold any text in
    message.set_content(body_text(row["text"]))
    message.add_alternative(body_text(row["html"]), subtype="html")
    message["Content-Language"] = row["language"]  # after the parts: set_content clears Content-* headers
    return message
