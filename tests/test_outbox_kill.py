"""A worker process killed in the middle of an SMTP exchange: after restart the message arrives once."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from events.database import create_engine, writing
from notifications import outbox
from notifications.alert_rules import AlertRules
from notifications.outbox import Message
from notifications.worker import OutboxWorker
from service.bootstrap import migrate
from service.smtp_sink import SmtpSink
from tests.smtp import SmtpServer, _Handler

pytestmark = pytest.mark.service

ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import sys
from datetime import datetime, timezone
from events.database import create_engine, writing
from notifications.alert_rules import AlertRules
from notifications.sender import SmtpSender, SmtpTarget
from notifications.worker import OutboxWorker

engine = create_engine(sys.argv[1])
sender = SmtpSender(SmtpTarget("127.0.0.1", int(sys.argv[2]), timeout=60))
OutboxWorker(engine, sender, lambda: datetime.now(timezone.utc), AlertRules()).step()
"""


class _Stalling(_Handler):
    """Holds the first DATA until the test lets go, so the sending process can be killed mid-exchange."""

    def __init__(self, server):
        super().__init__(server)
        self.arrived, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.arrived.is_set():
            self.arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)  # the server's own loop; the test itself never sleeps
            return "451 4.3.0 connection lost"
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_sender_killed_mid_exchange_is_resent_once_with_the_same_message_id(database, tmp_path):
    url = database[0]
    engine = create_engine(url)
    migrate(engine)
    server = SmtpServer()
    stalling = _Stalling(server)
    server.sink = SmtpSink(server.mailbox, "127.0.0.1", server.port, handler=stalling).start()
    try:
        with writing(engine) as conn:
            outbox.queue(
                conn,
                [
                    Message(
                        key="renewal:s:mou:2021-10-06:90",
                        alert_key="renewal:s:mou:2021-10-06:90",
                        rule="renewal",
                        stream=None,
                        desk="kbri-seoul",
                        day=datetime(2021, 7, 8).date(),
                        language="id",
                        to=("a@example.org",),
                        cc=(),
                        subject="Pengingat",
                        text="teks",
                        html="<p>teks</p>",
                        message_id="<k1@pantau.local>",
                    )
                ],
                datetime.now(UTC),
            )
        child = subprocess.Popen([sys.executable, "-c", WORKER, url, str(server.port)], cwd=ROOT)
        try:
            assert stalling.arrived.wait(timeout=30), "the worker process never reached DATA"
            child.kill()  # SIGKILL: no cleanup, the row stays 'sending'
            child.wait(timeout=30)
        finally:
            stalling.release.set()
        row = outbox.get_message(engine, "renewal:s:mou:2021-10-06:90")
        assert (row["state"], row["attempts"]) == ("sending", 1)
        later = lambda: datetime.now(UTC) + timedelta(minutes=6)
        restarted = OutboxWorker(engine, server.sender(), later, AlertRules())
        assert restarted.drain() == 1
        assert [m["message_id"] for m in server.messages] == ["<k1@pantau.local>"]
        row = outbox.get_message(engine, "renewal:s:mou:2021-10-06:90")
        assert (row["state"], row["attempts"]) == ("sent", 2)
        # The killed attempt was logged before its SMTP conversation began: the log counts both.
        assert [(a["attempt"], a["outcome"]) for a in row["history"]] == [(1, "interrupted"), (2, "sent")]
    finally:
        server.stop()
        engine.dispose()
