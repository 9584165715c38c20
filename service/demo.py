"""The demo of `make run`: example contacts on the sample, and the mail its record calls for.

The sample matrix stays the real data; the demo adds contacts with clearly fake addresses
(`service/data/demo-events.jsonl`, domains under `.example`) and, with `demo-rules.toml`, desk
addresses, so the local mailbox receives within a minute of starting: the alerts from the sample's
last day until today, the digest of the sample's month, and the digest of the last month.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from events.jsonl import import_events
from notifications import marks
from projections.calendar import add_months
from service.bootstrap import Pantau
from service.scheduler import ALERTS_JOB, DIGEST_JOB, AlertJobs

DEMO_EVENTS = Path(__file__).parent / "data" / "demo-events.jsonl"
DEMO_RULES = Path(__file__).parent / "data" / "demo-rules.toml"
SAMPLE_LAST_DAY = date(2021, 12, 27)  # the sample matrix is the desks' record of 27 December 2021


def seed_demo(pantau: Pantau) -> str:
    """Add the demo's contacts (once) and queue the demo's mail on a first seeding; what was done."""
    with DEMO_EVENTS.open("rb") as source:
        result = import_events(pantau.store, source, pantau.today())
    said = [f"demo contacts: {result.added} added, {result.skipped} already there"]
    if marks.last_day(pantau.engine, ALERTS_JOB) is not None:
        return "; ".join(said)  # the jobs have run here before: the scheduler goes on from its marks
    jobs = AlertJobs(pantau, pantau.alert_rules, sender=None)  # queues only; serve sends
    digest_day = jobs.rules.digest_day
    # The December 2021 digest: the month the sample's record was written down.
    queued = jobs.run(None, [add_months(SAMPLE_LAST_DAY.replace(day=digest_day), 1)], partnerships=False, digests=True)
    # Alerts: every day from the sample's last one (lapses and dormancies since); digests: the last
    # month's only, not the sixty in between, which would say the same.
    marks.advance(pantau.engine, ALERTS_JOB, SAMPLE_LAST_DAY - timedelta(days=1), pantau.clock())
    due = jobs.last_due_day()
    latest = due.replace(day=digest_day) if due.day >= digest_day else add_months(due.replace(day=digest_day), -1)
    marks.advance(pantau.engine, DIGEST_JOB, latest - timedelta(days=1), pantau.clock())
    said.append(
        f"{len(queued)} digest(s) of December 2021 queued; alerts from {SAMPLE_LAST_DAY.isoformat()} "
        f"and the digest of {latest.isoformat()} follow at the next start"
    )
    return "; ".join(said)
