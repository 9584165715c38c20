"""One writer at a time inside a process on SQLite, queued on a lock rather than on SQLite's busy wait."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext

from sqlalchemy.engine import Engine

from events.database import is_sqlite

# SQLite has a single write lock; threads that meet it held back off in sleeps of up to 100 ms
# (its busy handler), which under load costs far more than the writes themselves. A Python lock
# hands the turn over at once. PostgreSQL needs none: its row locks queue fairly.


def write_turn(engine: Engine, lock: threading.Lock) -> AbstractContextManager:
    """A context manager held around a write transaction: `lock` (the process's) on SQLite, nothing else."""
    return lock if is_sqlite(engine) else nullcontext()
