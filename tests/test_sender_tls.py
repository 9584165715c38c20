"""The sender's STARTTLS, implicit TLS and login against aiosmtpd with a certificate made for the test."""

from __future__ import annotations

import ssl
import subprocess
from datetime import UTC, datetime

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from notifications import mail
from notifications.sender import SendFailure, SmtpSender
from tests.smtp import SmtpServer

pytestmark = pytest.mark.service

NOW = datetime(2021, 7, 8, 1, tzinfo=UTC)
ROW = {
    "key": "k",
    "to": ["putri@bandung.example"],
    "cc": [],
    "subject": "Pengingat",
    "text": "teks",
    "html": "<p>teks</p>",
    "language": "id",
    "message_id": "<k@pantau.local>",
}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: (cert file, key file)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def _context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"pantau", b"rahasia")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture
def tls_server(certificate):
    server = SmtpServer()
    server.start(
        tls_context=_context(certificate), require_starttls=True, authenticator=_authenticator, auth_required=True
    )
    yield server
    server.stop()


def test_starttls_and_login_deliver(tls_server, certificate):
    url = f"smtp://pantau:rahasia@127.0.0.1:{tls_server.port}?starttls=1&cafile={certificate[0]}"
    SmtpSender.from_url(url).send(mail.build(ROW, "pantau@localhost", NOW))
    assert [m["rcpt_tos"] for m in tls_server.messages] == [["putri@bandung.example"]]


def test_implicit_tls_delivers(certificate):
    server = SmtpServer().start(ssl_context=_context(certificate))
    try:
        SmtpSender.from_url(f"smtps://127.0.0.1:{server.port}?cafile={certificate[0]}").send(
            mail.build(ROW, "pantau@localhost", NOW)
        )
        assert len(server.messages) == 1
    finally:
        server.stop()


def test_a_wrong_password_is_refused_at_once_and_kept_for_a_retry(tls_server, certificate):
    url = f"smtp://pantau:salah@127.0.0.1:{tls_server.port}?starttls=1&cafile={certificate[0]}&timeout=5"
    with pytest.raises(SendFailure) as failure:
        SmtpSender.from_url(url).send(mail.build(ROW, "pantau@localhost", NOW))
    assert "535" in str(failure.value) and "PANTAU_SMTP_URL" in str(failure.value)  # answered, not timed out
    assert failure.value.temporary is True
    assert tls_server.messages == []
