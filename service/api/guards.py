"""ASGI guards around every request: a body size limit, security headers, and 503 when the database is gone.

Outermost of the application's layers, so they hold for every route (only Starlette's last-resort
500 answer, outside them, goes without the headers).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import sqlite3
import sys
from collections.abc import Sequence

import sqlalchemy as sa
from fastapi import FastAPI
from starlette.exceptions import HTTPException

log = logging.getLogger("pantau.api")

# The service's own pages load only their own stylesheet; nothing may frame them.
CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
# Swagger UI and ReDoc start from an inline script (allowed by its hash, computed per answer) and
# set inline styles; their assets must come from this service too (default-src 'self').
_DOCS = {"/docs", "/redoc", "/docs/oauth2-redirect"}
# A page showing a mail as its recipient sees it: the mail's HTML sits in a sandboxed srcdoc frame,
# which takes this page's policy, and mail HTML is styled inline. Still no script, nothing remote.
MAIL_VIEW_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def _shows_mail(path: str) -> bool:
    return path.startswith("/mailbox/") or path == "/outbox/message"


_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    # The calendar feed's key sits in its URL: never hand it on to another site.
    (b"referrer-policy", b"no-referrer"),
]


RETRY_AFTER = "5"  # seconds: a restarting database or a failover is back within a few


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached or used just now (not a bad request)."""
    if isinstance(
        exc,
        (
            sa.exc.OperationalError,
            sa.exc.InterfaceError,
            sa.exc.DisconnectionError,
            sa.exc.TimeoutError,
            sqlite3.OperationalError,
        ),
    ):
        return True
    # psycopg is looked up, not imported: on SQLite it is never loaded (a second of start-up).
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))


def dropped(exc: BaseException) -> bool:
    """Whether the failure was a pooled connection lost (worth one more try), not a database down."""
    return bool(getattr(exc, "connection_invalidated", False) or getattr(exc, "pantau_dropped", False))


class _TooLarge(HTTPException):
    """Raised from `receive`: an HTTPException, so FastAPI's body reading passes it on as a 413."""

    def __init__(self, message: str):
        super().__init__(413, message, headers={"Connection": "close"})


def _error(status: int, code: str, message: str, extra: Sequence[tuple[bytes, bytes]] = ()) -> tuple[dict, dict]:
    body = json.dumps({"error": {"code": code, "message": message, "fields": [{"field": "body", "reason": message}]}})
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *extra,
            *SECURITY_HEADERS,
            (b"content-security-policy", CSP.encode()),
        ],
    }
    return start, {"type": "http.response.body", "body": body.encode()}


def docs_policy(html: bytes) -> str:
    """The policy of an API documentation page: its own inline scripts allowed by their hashes."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'" for s in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
    )


class Guards:
    """413 for a body over `max_body_bytes` (by its Content-Length before reading it, or as it
    streams in); the security headers on every answer; 503 with Retry-After for a database that
    cannot be reached, after one more try of a read whose pooled connection had been dropped."""

    def __init__(self, app, max_body_bytes: int):
        self.app, self.limit = app, max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = f"the request body is larger than {self.limit} bytes (PANTAU_MAX_BODY_BYTES)"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                if not value.isdigit():
                    start, body = _error(400, "bad_request", "Content-Length is not a number")
                    await send(start)
                    return await send(body)
                if int(value) > self.limit:
                    start, body = _error(413, "too_large", too_large, ((b"connection", b"close"),))
                    await send(start)
                    return await send(body)
        received, started = 0, False
        docs = scope.get("path") in _DOCS
        held: list[dict] = []

        async def receiving():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge(too_large)
            return message

        async def sending(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", ()) if k not in _OWN]
                message = {**message, "headers": headers + SECURITY_HEADERS}
                if docs:
                    held.append(message)
                    return
                policy = MAIL_VIEW_CSP if _shows_mail(scope.get("path", "")) else CSP
                message["headers"].append((b"content-security-policy", policy.encode()))
            elif docs and held:
                if message.get("more_body"):
                    held.append(message)
                    return
                body = b"".join(m.get("body", b"") for m in held[1:]) + message.get("body", b"")
                start = held[0]
                start["headers"].append((b"content-security-policy", docs_policy(body).encode()))
                held.clear()
                await send(start)
                message = {"type": "http.response.body", "body": body}
            await send(message)

        # A read (GET, HEAD) that met a connection the database dropped is answered again, once:
        # the pool has renewed its connections by then. Writes are not repeated here.
        attempts = 2 if scope["method"] in ("GET", "HEAD") else 1
        for attempt in range(attempts):
            try:
                return await self.app(scope, receiving, sending)
            except _TooLarge:
                if started:
                    raise
                start, body = _error(413, "too_large", too_large, ((b"connection", b"close"),))
                await send(start)
                return await send(body)
            except Exception as exc:
                if started or not database_unavailable(exc):
                    raise
                if attempt + 1 < attempts and dropped(exc):
                    continue
                log.warning(
                    "database unavailable on %s %s: %s: %s",
                    scope["method"],
                    scope.get("path"),
                    exc.__class__.__name__,
                    str(exc).splitlines()[0] if str(exc) else "",
                )
                start, body = _error(
                    503,
                    "unavailable",
                    "the database cannot be reached just now; retry shortly",
                    ((b"retry-after", RETRY_AFTER.encode()),),
                )
                await send(start)
                return await send(body)
        return None


_OWN = {b"x-frame-options", b"x-content-type-options", b"referrer-policy", b"content-security-policy"}


def install(app: FastAPI, max_body_bytes: int) -> None:
    """Wrap the application in the guards (outermost, so every answer carries the headers)."""
    app.add_middleware(Guards, max_body_bytes=max_body_bytes)
