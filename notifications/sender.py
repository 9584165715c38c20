"""Sends a finished message with aiosmtplib to PANTAU_SMTP_URL, telling temporary from permanent failure."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from events.addresses import address_error
from events.numbers import seconds
from notifications.send_reasons import BAD_ADDRESS, LOGIN, REFUSED, SERVER_SAID, UNREACHABLE, SendReason

_TRUE = {"1", "true", "yes", "on"}


class SendFailure(Exception):
    """A send that did not go through: `temporary` ones are retried, others stop with the reason.

    `code` and `detail` (the server's own words) are stored with it (notifications/send_reasons.py).
    """

    def __init__(self, reason: str, temporary: bool, code: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.temporary, self.code, self.detail = reason, temporary, code, detail

    def stored(self) -> SendReason:
        """The failure as the outbox stores it: its text, its code and the server's words."""
        return SendReason(self.reason, self.code, {"detail": self.detail} if self.detail else {})


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to send: from `smtp://user:pass@host:port` (`?starttls=1`) or `smtps://`.

    `?cafile=PATH` trusts the certificates of that bundle (a server with a private CA).
    """

    host: str = "127.0.0.1"
    port: int = 25
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    start_tls: bool = False
    timeout: float = 30.0
    cafile: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpTarget:
        """Parse an SMTP URL; ValueError names what is wrong."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"PANTAU_SMTP_URL: scheme must be smtp or smtps, not {parts.scheme!r}")
        if not parts.hostname:
            raise ValueError("PANTAU_SMTP_URL: no host")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=implicit,
            start_tls=query.get("starttls", "").lower() in _TRUE,
            timeout=seconds(query.get("timeout", "30"), "PANTAU_SMTP_URL: timeout"),
            cafile=query.get("cafile") or None,
        )


def bad_addresses(addresses: list[str]) -> list[str]:
    """The addresses that cannot be delivered to as written (stored before addresses were checked)."""
    return [a for a in addresses if address_error(a) is not None]


def _classify(exc: Exception) -> SendFailure:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [e.code for e in exc.recipients]
        reasons = "; ".join(f"{e.recipient}: {e.code} {e.message}" for e in exc.recipients)
        temporary = any(400 <= c < 500 for c in codes)
        return SendFailure(f"recipients refused: {reasons}", temporary, REFUSED, reasons)
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        # Our credentials, not the message, are wrong: keep it queued until the operator fixes
        # PANTAU_SMTP_URL (as Postfix's smtp_sasl_auth_soft_bounce does), the reason on view.
        said = f"{exc.code} {exc.message}"
        return SendFailure(f"SMTP login refused, check PANTAU_SMTP_URL: {said}", True, LOGIN, said)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        said = f"{exc.code} {exc.message}"
        return SendFailure(said, not 500 <= exc.code < 600, SERVER_SAID, said)
    # Connection refused, timeouts, dropped connections: the server may be back later.
    said = f"{type(exc).__name__}: {exc}"
    return SendFailure(said, True, UNREACHABLE, said)


class SmtpSender:
    """The one real sender: aiosmtplib, one connection per message."""

    def __init__(self, target: SmtpTarget):
        self.target = target

    @classmethod
    def from_url(cls, url: str) -> SmtpSender:
        """A sender for an SMTP URL."""
        return cls(SmtpTarget.from_url(url))

    def send(self, message: EmailMessage) -> list[str]:
        """Send, returning the refused recipients when others were accepted; raise SendFailure otherwise."""
        recipients = [a for _, a in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))]
        bad = bad_addresses(recipients)
        if bad:
            raise SendFailure(f"bad address: {', '.join(bad)}", False, BAD_ADDRESS, ", ".join(bad))
        t = self.target
        try:
            refused, _ = asyncio.run(
                aiosmtplib.send(
                    message,
                    hostname=t.host,
                    port=t.port,
                    username=t.username,
                    password=t.password,
                    use_tls=t.use_tls,
                    start_tls=t.start_tls,
                    timeout=t.timeout,
                    cert_bundle=t.cafile,
                )
            )
        except Exception as exc:  # noqa: BLE001 - every failure is classified and recorded, none lost
            raise _classify(exc) from None
        return [f"{address}: {response.code} {response.message}" for address, response in refused.items()]
