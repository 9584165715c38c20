"""The scheduled work of `pantau serve`: the daily alert job, the monthly digest, the outbox worker.

`AlertJobs` holds the job functions; each takes its time from the application's clock, so a test
drives a whole year by moving the clock and calling them. `build_scheduler` wires them into
APScheduler 3 (explicit ids, coalesce, no misfire limit). APScheduler cannot share a job store
between processes, so only the holder of the store's leader lock (`Leader`: a PostgreSQL advisory
lock, a file lock beside an SQLite database) runs them; that lock is for economy only: the outbox
key and the claim already make a second send impossible. A standby instance tries to take the lock
every PANTAU_LEADER_RETRY_SECONDS (the leadership job), so it takes over within that period when the
leader stops; `/healthz` says which role a process has.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from datetime import date, datetime, timedelta
from typing import BinaryIO

import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Connection, Engine

from events.database import is_sqlite
from notifications import marks
from notifications.alert_rules import AlertRules
from notifications.due_index import Progress
from notifications.job import run_days
from notifications.worker import OutboxWorker
from service import idempotency
from service.bootstrap import Pantau

log = logging.getLogger(__name__)

ALERTS_JOB, DIGEST_JOB, OUTBOX_JOB, CATCH_UP_JOB = "alerts-daily", "digest-monthly", "outbox-worker", "catch-up"
HOUSEKEEPING_JOB, LEADERSHIP_JOB = "housekeeping", "leadership"
# Session advisory lock of the scheduling leader: (class, hash of the schema), so instances sharing a
# schema share one leader, and the store's own append lock (a single bigint key) is never touched.
LEADER_LOCK_CLASS = 0x70616E74  # "pant"
_TRY_LOCK = sa.text("SELECT pg_try_advisory_lock(:c, hashtext(current_schema()))")
_UNLOCK = sa.text("SELECT pg_advisory_unlock(:c, hashtext(current_schema()))")
ONE_DAY = timedelta(days=1)


class AlertJobs:
    """The job functions of one process, with the time of `pantau.clock`."""

    def __init__(self, pantau: Pantau, alert_rules: AlertRules, sender, progress: Progress | None = None):
        self.pantau, self.rules = pantau, alert_rules
        self.progress = progress  # of the due-day index when it computes every partnership
        self.worker = OutboxWorker(pantau.engine, sender, pantau.clock, alert_rules, pantau.store, pantau.settings.zone)

    def last_due_day(self) -> date:
        """The latest day whose alert time (08:00 in PANTAU_TIMEZONE by default) has come."""
        local = self.pantau.clock().astimezone(self.pantau.settings.zone)
        return local.date() if local.hour >= self.rules.daily_hour else local.date() - ONE_DAY

    def missed(self, job: str, through: date) -> list[date]:
        """The days after the job's mark through `through`, oldest first (just `through` on a first run)."""
        last = marks.last_day(self.pantau.engine, job)
        if last is None:
            return [through]
        return [last + ONE_DAY * n for n in range(1, (through - last).days + 1)]

    def run(self, job: str | None, days: list[date], *, partnerships: bool, digests: bool) -> list[str]:
        """Queue what `days` are due and move the job's mark to the last of them (no mark for None)."""
        if not days:
            return []
        self.pantau.runner.run()  # the read models first, so the day sees every stored event
        added = run_days(
            self.pantau.engine,
            days,
            self.pantau.rules,
            self.rules,
            self.pantau.clock(),
            partnerships=partnerships,
            digests=digests,
            progress=self.progress,
            chunk=self.pantau.settings.alert_chunk,
        )
        if job is not None:
            marks.advance(self.pantau.engine, job, days[-1], self.pantau.clock())
        if added:
            log.info("%s: queued %d message(s) for %s..%s", job or "manual run", len(added), days[0], days[-1])
        return added

    def alerts_job(self) -> list[str]:
        """Renewal, lapse and activeness alerts for every day due since the last evaluated one."""
        return self.run(ALERTS_JOB, self.missed(ALERTS_JOB, self.last_due_day()), partnerships=True, digests=False)

    def digest_job(self) -> list[str]:
        """The monthly digests of every digest day due since the last evaluated one."""
        through = self.last_due_day()
        days = [d for d in self.missed(DIGEST_JOB, through) if d.day == self.rules.digest_day]
        added = self.run(DIGEST_JOB, days, partnerships=False, digests=True)
        marks.advance(self.pantau.engine, DIGEST_JOB, through, self.pantau.clock())  # the days between too
        return added

    def outbox_job(self) -> int:
        """Send every due message; returns how many steps found work."""
        return self.worker.drain()

    def housekeeping_job(self) -> int:
        """Forget the idempotency keys past their retention; returns how many."""
        return idempotency.prune(self.pantau.engine, self.pantau.clock())

    def catch_up(self) -> list[str]:
        """What a start does: every missed day's alerts, then digests, oldest first; then send."""
        added = self.alerts_job() + self.digest_job()
        self.outbox_job()
        return added


class Leader:
    """Whether this process runs the jobs: while it holds the leader lock of the store.

    On PostgreSQL a session advisory lock; on SQLite an exclusive `flock` on a file beside the
    database (`pantau.db.leader`), which `pantau serve --workers N` processes share. Either is
    released by the operating system or the server when its holder dies, so another takes over.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self._conn: Connection | None = None
        self._file: BinaryIO | None = None
        self._lock = threading.Lock()
        # The answer of the last check, for /healthz: asking again would take the lock as a side effect.
        self.leading = False

    def holds(self) -> bool:
        """Hold (or try to take) the leadership; False while another instance has it."""
        self.leading = self._holds()
        return self.leading

    def _holds(self) -> bool:
        if is_sqlite(self.engine):
            return self._holds_file()
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.execute(sa.text("SELECT 1"))
                    return True
                except sa.exc.DBAPIError:  # the session, and so the lock, is gone
                    self._drop()
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            try:
                got = conn.execute(_TRY_LOCK, {"c": LEADER_LOCK_CLASS}).scalar()
            except sa.exc.DBAPIError:
                conn.close()
                return False
            if got:
                self._conn = conn
                return True
            conn.close()
            return False

    def _holds_file(self) -> bool:
        database = self.engine.url.database
        if not database or database == ":memory:":
            return True  # a store of this process alone
        with self._lock:
            if self._file is not None:
                return True
            handle = open(f"{database}.leader", "a+b")  # noqa: SIM115 - held open while leading
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                return False
            self._file = handle
            return True

    def _drop(self) -> None:
        try:
            if self._conn is not None:
                self._conn.invalidate()
        finally:
            self._conn = None

    def release(self) -> None:
        """Give the leadership up (closing the session or the file releases the lock)."""
        with self._lock:
            self.leading = False
            if self._file is not None:
                self._file.close()
                self._file = None
            if self._conn is not None:
                try:
                    self._conn.execute(_UNLOCK, {"c": LEADER_LOCK_CLASS})
                    self._conn.close()
                except sa.exc.DBAPIError:
                    pass
                self._conn = None


class LeaderGuard:
    """Runs a job only while this process leads; on becoming leader, catches up first."""

    def __init__(self, jobs: AlertJobs, leader: Leader):
        self.jobs, self.leader = jobs, leader
        self.leading = False
        # APScheduler runs jobs on a thread pool: one job at a time keeps the catch-up, the due-day
        # index and the marks simple (the outbox would stay correct anyway).
        self._one_at_a_time = threading.Lock()

    def __call__(self, job) -> None:
        with self._one_at_a_time:
            self._run(job)

    def _run(self, job) -> None:
        try:
            if not self.leader.holds():
                self.leading = False
                return
            if not self.leading:
                self.jobs.catch_up()  # another instance may have died before its run
                self.leading = True
            job()
        except Exception:
            log.exception("scheduled job failed")


def build_scheduler(jobs: AlertJobs, guard: LeaderGuard) -> BackgroundScheduler:
    """An APScheduler 3 scheduler with the three jobs, in PANTAU_TIMEZONE."""
    zone = jobs.pantau.settings.zone
    hour = jobs.rules.daily_hour
    scheduler = BackgroundScheduler(
        timezone=zone, job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1}
    )
    scheduler.add_job(
        guard,
        CronTrigger(hour=hour, minute=0, timezone=zone),
        args=[jobs.alerts_job],
        id=ALERTS_JOB,
        name="daily alerts",
        replace_existing=True,
    )
    scheduler.add_job(
        guard,
        CronTrigger(day=jobs.rules.digest_day, hour=hour, minute=0, timezone=zone),
        args=[jobs.digest_job],
        id=DIGEST_JOB,
        name="monthly digest",
        replace_existing=True,
    )
    scheduler.add_job(
        guard,
        IntervalTrigger(minutes=1, timezone=zone),
        args=[jobs.outbox_job],
        id=OUTBOX_JOB,
        name="outbox worker",
        replace_existing=True,
    )
    scheduler.add_job(
        guard,
        CronTrigger(hour=3, minute=30, timezone=zone),
        args=[jobs.housekeeping_job],
        id=HOUSEKEEPING_JOB,
        name="housekeeping",
        replace_existing=True,
    )
    # Without it a standby would only try the lock when the outbox job comes round (every minute).
    scheduler.add_job(
        guard,
        IntervalTrigger(seconds=jobs.pantau.settings.leader_retry_seconds, timezone=zone),
        args=[_nothing],
        id=LEADERSHIP_JOB,
        name="leadership",
        replace_existing=True,
    )
    # At start: the days missed while the service was down, oldest first (not blocking start-up).
    scheduler.add_job(guard, args=[_nothing], id=CATCH_UP_JOB, name="catch up", next_run_time=datetime.now(zone))
    return scheduler


def _nothing() -> None:
    """A job whose only work is the guard's: take or keep the leadership, catching up on taking it."""
