"""One instance of a helper per store and process (the group committer, the caches)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

from events.store import EventStore

T = TypeVar("T")
_instances: weakref.WeakKeyDictionary[EventStore, dict[str, object]] = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def per_store(store: EventStore, name: str, make: Callable[[], T]) -> T:
    """The one helper called `name` of this store in this process, made by `make()` on first use."""
    with _guard:
        made = _instances.setdefault(store, {})
        if name not in made:
            made[name] = make()
        return made[name]  # type: ignore[return-value]
