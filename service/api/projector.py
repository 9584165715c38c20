"""Keeps the read models close behind the store: a catch-up once a second, off the request path."""

from __future__ import annotations

import logging
import threading

from service import search_index
from service.api.gate import write_turn
from service.api.reads import catch_up
from service.api.registry_http import current
from service.bootstrap import Pantau

log = logging.getLogger("pantau.projector")


class Projector:
    """A thread that runs the projection runner once a second, off the request path.

    A write does not wake it: readers fold the new events of what they select in memory (projections/readmodel.py), and
    one catch-up a second applies a second of writes in one transaction, which costs far less than
    one catch-up per request (measured: a write cost twice as much with a catch-up each) and than
    four a second (each rewrites the states it touches: bench/api_load.py on PostgreSQL, write p99
    68 -> 50-65 ms).
    """

    def __init__(self, pantau: Pantau, every: float = 1.0):
        self.pantau, self.every = pantau, every
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None

    def poke(self) -> None:
        """Events were stored: catch up soon."""
        self._wake.set()

    def start(self) -> Projector:
        """Start the thread."""
        self._thread = threading.Thread(target=self._loop, name="pantau-projector", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread (after the catch-up under way, if any)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while True:  # at least one catch-up per wake, the last one as it stops
            self._wake.wait(self.every)
            self._wake.clear()
            try:
                catch_up(self.pantau)
                # The public registry's rows too, so that its readers seldom wait for them.
                current(self.pantau)
                index_search(self.pantau)
            except Exception:
                log.exception("projection catch-up failed")
            if self._stop.is_set():
                return


def index_search(pantau: Pantau) -> None:
    """The search index brought up to the read models (docs/search.md); nothing when it is current."""
    if not search_index.current(pantau.engine):
        search_index.refresh(pantau.engine, pantau.today(), lambda: write_turn(pantau.engine, pantau.write_lock))
