"""An uploaded matrix kept between its preview and the person's confirmation: a file of its uploader, for an hour."""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

KEEP_SECONDS = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_SUFFIX = re.compile(r"^\.[a-z]{3,4}$")


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "pantau-matrix-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def keep(content: bytes, suffix: str, user_id: int) -> str:
    """Keep an upload for `user_id`; returns the token that names it (uploads older than an hour are dropped)."""
    folder = _folder()
    now = time.time()
    for old in folder.iterdir():
        try:
            if now - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink()
        except OSError:
            pass  # another worker dropped it first
    token = secrets.token_urlsafe(24)
    suffix = suffix.lower() if _SUFFIX.match(suffix.lower()) else ".bin"
    (folder / f"{user_id}-{token}{suffix}").write_bytes(content)
    return token


def take(token: str, user_id: int) -> tuple[bytes, str] | None:
    """The upload `token` names, if it is `user_id`'s and still kept: its content and file ending."""
    if not _TOKEN.match(token):
        return None
    for path in _folder().glob(f"{user_id}-{token}.*"):
        return path.read_bytes(), path.suffix
    return None


def drop(token: str, user_id: int) -> None:
    """Forget an upload once stored."""
    if _TOKEN.match(token):
        for path in _folder().glob(f"{user_id}-{token}.*"):
            path.unlink(missing_ok=True)
