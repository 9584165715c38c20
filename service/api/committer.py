"""Group commit: the appends of concurrent requests share one transaction (and one fsync)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from events.model import Event
from events.store import EventStore
from service.api.gate import write_turn
from service.bootstrap import Pantau


@dataclass
class _Job:
    batch: Sequence[Event]
    events: list[Event] | None = None
    error: BaseException | None = None
    done: bool = False
    ids: set[str] = field(default_factory=set)


class GroupCommitter:
    """Appends request batches; under load, whatever arrived meanwhile goes in the next transaction.

    Leader and followers: the first request in becomes the leader and appends every batch waiting
    at that moment in one transaction; the others wait and get their slice of the result. Idle,
    a request appends alone, with no added delay. If the shared transaction is refused (one bad
    batch), each batch is appended on its own, so a request still succeeds or fails by itself alone.
    """

    def __init__(self, store: EventStore, max_events: int = 1000, lock: threading.Lock | None = None):
        self.store, self.max_events = store, max_events
        self._turn = lock or threading.Lock()  # the process's write lock (Pantau.write_lock)
        self._cond = threading.Condition()
        self._pending: list[_Job] = []
        self._leading = False

    def append(self, batch: Sequence[Event], expected_version: int | None = None) -> list[Event]:
        """The stored events of `batch` (appended alone when it names an expected version)."""
        if expected_version is not None:
            with write_turn(self.store.engine, self._turn):
                return self.store.append(batch, expected_version=expected_version).events
        job = _Job(batch, ids={e.id for e in batch})
        with self._cond:
            self._pending.append(job)
            while self._leading and not job.done:
                self._cond.wait()
            if not job.done:
                self._leading = True
                jobs: list[_Job] = []
                count = 0
                while self._pending and (not jobs or count + len(self._pending[0].batch) <= self.max_events):
                    jobs.append(self._pending.pop(0))
                    count += len(jobs[-1].batch)
        if not job.done:
            try:
                self._run(jobs)
            finally:
                with self._cond:
                    self._leading = False
                    self._cond.notify_all()
        if job.error is not None:
            raise job.error
        assert job.events is not None  # a job done without an error has its events
        return job.events

    def _run(self, jobs: list[_Job]) -> None:
        seen: set[str] = set()
        shareable = len(jobs) > 1
        for job in jobs:  # the same id in two requests: each must see its own outcome, so no sharing
            shareable = shareable and not (job.ids & seen)
            seen |= job.ids
        if shareable:
            try:
                with write_turn(self.store.engine, self._turn):
                    stored = self.store.append([e for job in jobs for e in job.batch]).events
            except Exception:  # noqa: BLE001, S110 - someone's batch was refused: each goes on its own below
                pass
            else:
                start = 0
                for job in jobs:
                    job.events, job.done = stored[start : start + len(job.batch)], True
                    start += len(job.batch)
                return
        for job in jobs:
            try:
                with write_turn(self.store.engine, self._turn):
                    job.events = self.store.append(job.batch).events
            except BaseException as exc:  # noqa: BLE001 - handed to the request that sent it
                job.error = exc
            job.done = True


def committer_for(pantau: Pantau) -> GroupCommitter:
    """The one group committer of this process's store."""
    return pantau.helper("committer", lambda: GroupCommitter(pantau.store, lock=pantau.write_lock))
