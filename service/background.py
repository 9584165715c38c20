"""What `pantau serve` runs beside the API: the scheduler, the outbox worker, the local SMTP sink."""

from __future__ import annotations

import logging
import socket

from service.bootstrap import Pantau, mail_sender
from service.scheduler import AlertJobs, Leader, LeaderGuard, build_scheduler
from service.smtp_sink import DEFAULT_HOST, DEFAULT_PORT, DatabaseMailbox, SmtpSink

log = logging.getLogger(__name__)


class Background:
    """Handle on the background work of one process."""

    def __init__(
        self, scheduler=None, sink: SmtpSink | None = None, leader: Leader | None = None, jobs: AlertJobs | None = None
    ):
        self.scheduler, self.sink, self.leader, self.jobs = scheduler, sink, leader, jobs

    def scheduler_role(self) -> str:
        """`leader` while this process runs the scheduled jobs, `standby` while another does, else `off`."""
        if self.scheduler is None or self.leader is None:
            return "off"
        return "leader" if self.leader.leading else "standby"

    def shutdown(self) -> None:
        """Stop whatever was started."""
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)
        if self.leader is not None:
            self.leader.release()
        if self.sink is not None:
            self.sink.stop()


def start_sink(pantau: Pantau, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> SmtpSink | None:
    """The local SMTP sink of the embedded default, or None when the port is taken (another instance's)."""
    try:
        with socket.socket() as probe:  # fail fast: aiosmtpd would wait for its ready timeout
            # As asyncio's server does: a restart finds the port in TIME_WAIT, still free to listen on.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
        return SmtpSink(DatabaseMailbox(pantau.engine), host, port).start()
    except (OSError, RuntimeError) as exc:
        log.warning("local SMTP sink not started on %s:%s: %s", host, port, exc)
        return None


def start_background(pantau: Pantau, *, scheduler: bool = True) -> Background:
    """Start the background work for `pantau`: the sink when PANTAU_SMTP_URL is unset, and the jobs."""
    sender = mail_sender(pantau.settings)
    sink = None if pantau.settings.smtp_url else start_sink(pantau, port=pantau.settings.sink_port)
    jobs = AlertJobs(pantau, pantau.alert_rules, sender)
    leader = Leader(pantau.engine)
    if not scheduler:
        return Background(None, sink, leader, jobs)
    running = build_scheduler(jobs, LeaderGuard(jobs, leader))
    running.start()
    return Background(running, sink, leader, jobs)
