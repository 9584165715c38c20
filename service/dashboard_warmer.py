"""Works the dashboards' summaries out in the background when a day begins, so no visitor waits for them.

The first dashboard of a day would otherwise summarise every partnership while its visitor waits
(seconds at 20,000, bench/dashboards.py); this thread does it when the process starts and when the
day or the read models' generation changes, and requests then only summarise what was written since.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable

from projections.readmodel import state_count
from service.bootstrap import Pantau
from service.dashboard_cache import Summaries

log = logging.getLogger("pantau.dashboards")


class Warmer:
    """A thread that keeps the day's dashboard summaries worked out (when the registry fits the cache)."""

    def __init__(
        self, pantau: Pantau, summaries: Summaries, then: Callable[[], object] | None = None, every: float = 60.0
    ):
        self.pantau, self.summaries, self.then, self.every = pantau, summaries, then, every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Warmer:
        """Start the thread; its first pass begins at once."""
        self._thread = threading.Thread(target=self._loop, name="pantau-dashboards", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread (after the pass under way, if any)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def warm(self) -> bool:
        """Summarise the day's partnerships if they are not yet; whether it did (a registry past the cache: never)."""
        engine, day = self.pantau.engine, self.pantau.today()
        if self.summaries.holds_day(engine, day) or state_count(engine) > self.summaries.limit:
            return False
        self.summaries.of_day(engine, day)
        if self.then is not None:
            self.then()  # e.g. the whole country's numbers, from the summaries just made
        # The pass leaves a few hundred thousand new objects; the full collection they make due
        # (0.19 s at 20,000 partnerships) ran in the first visitor's request: run it here instead.
        gc.collect()
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.warm()
            except Exception:
                log.exception("working out the dashboards' summaries failed")
            self._stop.wait(self.every)
