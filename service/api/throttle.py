"""Failed authentication per client address: past the limit, 429 with Retry-After until the window passes.

Kept in the process's memory (each `--workers` process counts its own): enough to turn guessing
tokens from thousands of tries a second into a handful a minute. The address is the socket's, or
behind a proxy listed in PANTAU_TRUSTED_PROXIES the one that proxy saw (service/api/forwarded.py):
a client's own X-Forwarded-For can neither spread its failures nor count them against another.
"""

from __future__ import annotations

import ipaddress
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
    """The client's address (service/api/forwarded.py): an IPv6 client's whole /64, which one
    subscriber holds, so stepping through its addresses does not step past the limit."""
    host = request.client.host if request.client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(getattr(address, "ipv4_mapped", None) or address)
