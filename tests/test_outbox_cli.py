"""`pantau alerts run`, `outbox list|send|retry`, `digest preview` and `mailbox` from the command line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from service.cli import app
from tests.conftest import SAMPLE

pytestmark = pytest.mark.service

RULES = """
[desks.kbri-seoul]
name = "KBRI Seoul"
email = "seoul@kemlu.example"
countries = ["KR"]
"""


@pytest.fixture
def cli(tmp_path, monkeypatch, smtp_server):
    """Run `pantau` on a fresh SQLite store holding the sample, sending to the test SMTP server."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules.toml").write_text(RULES)
    env = {
        "PANTAU_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "PANTAU_RULES": str(tmp_path / "rules.toml"),
        "PANTAU_SMTP_URL": f"smtp://127.0.0.1:{smtp_server.port}",
    }
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, list(args), env=env)

    assert run("import", str(SAMPLE)).exit_code == 0
    return run


def test_run_a_day_then_send_delivers_to_the_desk_and_the_outbox_shows_it(cli, smtp_server):
    result = cli("alerts", "run", "--day", "2021-10-07")
    assert result.exit_code == 0, result.output
    assert "lapsed:kota-bandung-seoul:mou-2016:2021-10-06" in result.stdout
    assert cli("alerts", "run", "--day", "2021-10-07").stdout.strip().endswith("0 message(s) queued")
    sent = cli("outbox", "send")
    assert sent.exit_code == 0 and "sent 2" in sent.stdout
    assert sorted(m["Subject"] for m in smtp_server.parsed()) == [
        "MoU Kota Bandung – Seoul telah berakhir pada 6 Oktober 2021",
        # Run for a day of 2021 now: the reminder is written after the end it announces, in the past.
        "MoU Kota Semarang – Junggu telah berakhir pada 24 November 2021",
    ]
    listing = cli("outbox", "list", "--state", "sent")
    assert listing.exit_code == 0 and "sent 2" in listing.stdout


def test_retry_requeues_a_failed_message_and_names_an_unknown_key(cli, smtp_server):
    cli("alerts", "run", "--day", "2021-10-07")
    smtp_server.reply = "550 5.1.1 Mailbox unavailable"
    cli("outbox", "send")
    key = "lapsed:kota-bandung-seoul:mou-2016:2021-10-06"
    smtp_server.reply = None
    assert cli("outbox", "retry", key).exit_code == 0
    cli("outbox", "send")
    assert len(smtp_server.messages) == 1
    missing = cli("outbox", "retry", "no-such-key")
    assert missing.exit_code == 2 and "no-such-key" in missing.stderr
    shown = cli("outbox", "show", key)
    assert shown.exit_code == 0 and "[sent]" in shown.stdout
    attempts = [line for line in shown.stdout.splitlines() if line.startswith("attempt ")]
    assert len(attempts) == 2 and "failed  550 5.1.1 Mailbox unavailable" in attempts[0]
    assert attempts[1].endswith("sent")
    assert cli("outbox", "show", "no-such-key").exit_code == 2


def test_digest_preview_prints_the_text_and_writes_the_html(cli, tmp_path):
    result = cli("digest", "preview", "--desk", "kbri-seoul", "--month", "2021-12", "--html", str(tmp_path / "d.html"))
    assert result.exit_code == 0, result.output
    assert "To: seoul@kemlu.example" in result.stdout
    assert "Subject: Ringkasan bulanan KBRI Seoul: Desember 2021" in result.stdout
    assert "Kota Bandung – Seoul" in result.stdout and "MATRIKS KERJA SAMA" in result.stdout
    html = (tmp_path / "d.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "Perjanjian yang telah berakhir" in html
    bad = cli("digest", "preview", "--desk", "kbri-seoul", "--month", "2021-13")
    assert bad.exit_code == 2 and "--month" in bad.stderr


def test_the_mailbox_listing_of_an_empty_sink(cli):
    result = cli("mailbox")
    assert result.exit_code == 0 and "0 shown" in result.stdout


def test_digest_send_queues_the_months_digest_once_and_sends_it(cli, smtp_server):
    result = cli("digest", "send", "--desk", "kbri-seoul", "--month", "2021-11")
    assert result.exit_code == 0, result.output
    assert "digest:kbri-seoul:2021-11: sent seoul@kemlu.example" in result.stdout
    again = cli("digest", "send", "--desk", "kbri-seoul", "--month", "2021-11")
    assert "already queued" in again.stdout
    assert [m["Subject"] for m in smtp_server.parsed()] == ["Ringkasan bulanan KBRI Seoul: November 2021"]
    assert cli("digest", "send", "--desk", "kbri-nowhere", "--month", "2021-11").exit_code == 2
