"""ASGI guards around every request, one small piece per job: the security headers, a 500 that
says the connection closes, the client's address and the public host (service/api/forwarded.py),
a body size limit, and 503 when the database is gone.

Outermost of the application's layers, so they hold for every route and every answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import sqlite3
import sys
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from fastapi import FastAPI
from starlette.exceptions import HTTPException

from events.numbers import is_whole
from service.api.forwarded import PublicAddress
from service.settings import Settings

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


CLOSE = (b"connection", b"close")
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


async def _answer(
    send, status: int, code: str, message: str, extra: Sequence[tuple[bytes, bytes]] = (), field: str = "body"
) -> None:
    """Send the error document; the security headers are added by SecurityHeaders, outside."""
    fields = [{"field": field, "reason": message}] if field else []
    body = json.dumps({"error": {"code": code, "message": message, "fields": fields}})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body.encode()})


def _watching(send, seen: dict) -> Callable:
    """`send`, noting in `seen["started"]` once an answer has begun (nothing else may be sent then)."""

    async def sending(message):
        if message["type"] == "http.response.start":
            seen["started"] = True
        await send(message)

    return sending


def docs_policy(html: bytes) -> str:
    """The policy of an API documentation page: its own inline scripts allowed by their hashes."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'" for s in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
    )


_OWN = {b"x-frame-options", b"x-content-type-options", b"referrer-policy", b"content-security-policy"}


class SecurityHeaders:
    """The security headers and the page's policy on every answer (outermost: 500s, 503s and 413s too)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        held: list[dict] = []  # an API docs page: held until its inline scripts can be hashed

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k not in _OWN]
                message = {**message, "headers": headers + SECURITY_HEADERS}
                if path in _DOCS:
                    held.append(message)
                    return
                policy = MAIL_VIEW_CSP if _shows_mail(path) else CSP
                message["headers"].append((b"content-security-policy", policy.encode()))
            elif held:
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

        return await self.app(scope, receive, sending)


class ServerError:
    """A failure no handler answered: a logged 500 with `Connection: close` (the connection is not reused)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        seen = {"started": False}
        try:
            return await self.app(scope, receive, _watching(send, seen))
        except Exception:
            if seen["started"]:
                raise  # half an answer sent: the server can only drop the connection
            log.exception("unexpected error on %s %s", scope["method"], scope.get("path"))
            await _answer(send, 500, "internal", "internal error; it has been logged", (CLOSE,), field="")


class BodyLimit:
    """413 for a body over `max_body_bytes`: by its Content-Length before reading it, or as it streams in."""

    def __init__(self, app, max_body_bytes: int):
        self.app, self.limit = app, max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = f"the request body is larger than {self.limit} bytes (PANTAU_MAX_BODY_BYTES)"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                if not is_whole(value.decode("latin-1")):
                    return await _answer(send, 400, "bad_request", "Content-Length is not a number")
                if int(value) > self.limit:
                    return await _answer(send, 413, "too_large", too_large, (CLOSE,))
        received, seen = 0, {"started": False}

        async def receiving():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge(too_large)
            return message

        try:
            return await self.app(scope, receiving, _watching(send, seen))
        except _TooLarge:
            if seen["started"]:
                raise
            return await _answer(send, 413, "too_large", too_large, (CLOSE,))


class DatabaseOutage:
    """503 with Retry-After for a database that cannot be reached, after one more try of a read (GET,
    HEAD) whose pooled connection had been dropped: the pool has renewed its connections by then."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        attempts = 2 if scope["method"] in ("GET", "HEAD") else 1  # writes are not repeated here
        seen = {"started": False}
        for attempt in range(attempts):
            try:
                return await self.app(scope, receive, _watching(send, seen))
            except Exception as exc:
                if seen["started"] or not database_unavailable(exc):
                    raise
                if attempt + 1 < attempts and dropped(exc):
                    continue
                first_line = str(exc).splitlines()[0] if str(exc) else ""
                log.warning(
                    "database unavailable on %s %s: %s: %s",
                    scope["method"],
                    scope.get("path"),
                    exc.__class__.__name__,
                    first_line,
                )
                message = "the database cannot be reached just now; retry shortly"
                retry = ((b"retry-after", RETRY_AFTER.encode()),)
                return await _answer(send, 503, "unavailable", message, retry)
        return None


def install(app: FastAPI, settings: Settings) -> None:
    """Wrap the application in the guards; the last added is the outermost, so every answer has the headers."""
    app.add_middleware(DatabaseOutage)
    app.add_middleware(BodyLimit, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(PublicAddress, trusted=settings.trusted_proxies, base_url=settings.base_url)
    app.add_middleware(ServerError)
    app.add_middleware(SecurityHeaders)
