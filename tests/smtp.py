"""A real aiosmtpd server on loopback for the mail tests (the fixtures live in conftest.py)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from email import message_from_bytes, policy

from notifications.sender import SmtpSender, SmtpTarget
from service.smtp_sink import MemoryMailbox, SmtpSink, received


def free_port() -> int:
    """An unused loopback port (nothing listens there until a server is started on it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    """Accepts like the sink, or answers with `server.reply` (e.g. a 5xx) when one is set."""

    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.server.refuse_rcpt:
            return self.server.refuse_rcpt
        if address in self.server.refuse_only:
            return self.server.refuse_only[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.server.reply:
            return self.server.reply
        self.server.mailbox(
            received(envelope.mail_from, envelope.rcpt_tos, envelope.original_content, datetime.now(UTC))
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real aiosmtpd server on an ephemeral loopback port, started and stopped at will."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.mailbox = MemoryMailbox()
        self.reply: str | None = None
        self.refuse_rcpt: str | None = None
        self.refuse_only: dict[str, str] = {}  # address -> the RCPT answer refusing it alone
        self.sink: SmtpSink | None = None

    @property
    def messages(self) -> list[dict]:
        return self.mailbox.messages

    def parsed(self):
        return [message_from_bytes(m["raw"].encode(), policy=policy.default) for m in self.messages]

    def start(self, **server_options) -> SmtpServer:
        self.sink = SmtpSink(self.mailbox, "127.0.0.1", self.port, handler=_Handler(self), **server_options).start()
        return self

    def stop(self) -> None:
        if self.sink is not None:
            self.sink.stop()
            self.sink = None

    def sender(self) -> SmtpSender:
        return SmtpSender(SmtpTarget("127.0.0.1", self.port, timeout=5))
