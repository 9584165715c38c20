"""The outbox and the local mailbox, shown only when the notifications package offers them."""

from __future__ import annotations

import importlib  # noqa: F401


def available() -> dict[str, bool]:
    """Which of the notification views this build can show."""
    return {"outbox": False, "mailbox": False}  # shown once the outbox pages exist


def _has(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False
