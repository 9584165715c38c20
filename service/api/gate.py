"""One writer at a time inside a process on SQLite, queued on a lock rather than on SQLite's busy wait."""

from __future__ import annotations

import threading
import weakref
from contextlib import nullcontext

from sqlalchemy.engine import Engine

from events.database import is_sqlite

# SQLite has a single write lock; threads that meet it held back off in sleeps of up to 100 ms
# (its busy handler), which under load costs far more than the writes themselves. A Python lock
# hands the turn over at once. PostgreSQL needs none: its row locks queue fairly.
_locks: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def write_turn(engine: Engine):
    """A context manager held around a write transaction: the engine's lock on SQLite, nothing else."""
    if not is_sqlite(engine):
        return nullcontext()
    with _guard:
        lock = _locks.get(engine)
        if lock is None:
            lock = _locks[engine] = threading.Lock()
    return lock
