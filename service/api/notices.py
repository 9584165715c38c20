"""Which notification views the pages link to: the outbox, and the local mailbox of the embedded default."""

from __future__ import annotations


def available() -> dict[str, bool]:
    """Which of the notification views this build can show."""
    return {"outbox": True, "mailbox": True}
