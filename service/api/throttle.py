"""Failed authentication per client address: past the limit, 429 with Retry-After until the window passes.

Kept in the process's memory (each `--workers` process counts its own): enough to turn guessing
tokens from thousands of tries a second into a handful a minute. Behind a reverse proxy every
client shares the proxy's address; run Pantau's workers where they see the clients'.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import datetime, timedelta

LIMIT = 10  # failed attempts per address …
WINDOW = timedelta(minutes=5)  # … within this window
_ADDRESSES = 10_000  # addresses remembered at most (the oldest forgotten first)


class FailureLimit:
    """Counts failed logins and bearer tokens or feed keys refused, per address, by a given clock."""

    def __init__(self, clock: Callable[[], datetime], limit: int = LIMIT, window: timedelta = WINDOW):
        self.clock, self.limit, self.window = clock, limit, window
        self._failures: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, address: str, now: datetime) -> deque[datetime]:
        times = self._failures.get(address)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[address]
        return times

    def wait(self, address: str) -> int | None:
        """Seconds the address must wait before trying again, or None when it may try now."""
        now = self.clock()
        with self._lock:
            times = self._recent(address, now)
            if len(times) < self.limit:
                return None
            return max(1, math.ceil((times[-self.limit] + self.window - now).total_seconds()))

    def failed(self, address: str) -> None:
        """Count one failed attempt from the address."""
        now = self.clock()
        with self._lock:
            times = self._failures.setdefault(address, deque(maxlen=self.limit))
            times.append(now)
            self._failures.move_to_end(address)
            while len(self._failures) > _ADDRESSES:
                self._failures.popitem(last=False)


def address_of(request) -> str:
    """The client's address as this process sees it."""
    return request.client.host if request.client else "unknown"
