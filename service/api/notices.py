"""The outbox and the local mailbox, shown only when the notifications package offers them."""

from __future__ import annotations

import importlib


def available() -> dict[str, bool]:
    """Which of the notification views this build can show."""
    return {"outbox": _has("notifications.outbox", "list_messages"),
            "mailbox": _has("notifications.sink", "list_mail")}


def _has(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False
