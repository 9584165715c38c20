"""Outbox keys (docs/alerts.md): deterministic, so a message is queued once however often a job runs."""

from __future__ import annotations

import hashlib
from datetime import date


def renewal(stream: str, agreement_id: str, valid_until: date, threshold: int) -> str:
    """`renewal:{stream}:{agreement_id}:{valid_until}:{T}`."""
    return f"renewal:{stream}:{agreement_id}:{valid_until.isoformat()}:{threshold}"


def lapsed(stream: str, agreement_id: str, valid_until: date) -> str:
    """`lapsed:{stream}:{agreement_id}:{valid_until}`."""
    return f"lapsed:{stream}:{agreement_id}:{valid_until.isoformat()}"


def activeness(rule: str, stream: str, day: date) -> str:
    """`cooling:{stream}:{D}`, `dormant:{stream}:{D}` or `dormancy_warning:{stream}:{E}`."""
    return f"{rule}:{stream}:{day.isoformat()}"


def draft_stalled(stream: str, draft_id: str, waiting_for: str, since: date) -> str:
    """`draft_stalled:{stream}:{draft_id}:{waiting_for}:{since}`: once per wait."""
    return f"draft_stalled:{stream}:{draft_id}:{waiting_for}:{since.isoformat()}"


def digest(desk: str, month: date) -> str:
    """`digest:{desk}:{YYYY-MM}` of the month that just ended."""
    return f"digest:{desk}:{month:%Y-%m}"


def for_language(key: str, language: str, primary: bool) -> str:
    """The key of one language's message: the alert key itself for the first group, `{key}/{lang}` for others."""
    return key if primary else f"{key}/{language}"


def message_id(key: str, domain: str = "pantau.local") -> str:
    """A Message-ID derived from the key, so a resend after a crash is recognisably the same message."""
    digest_ = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest_}@{domain}>"
