"""The last day each alert job evaluated, kept in the database so a restart knows what it missed."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events.database import reading, writing
from notifications.outbox import as_utc
from notifications.schema import alert_marks


def last_day(engine: Engine, job: str) -> date | None:
    """The last day `job` evaluated, or None if it never ran."""
    with reading(engine) as conn:
        return conn.execute(sa.select(alert_marks.c.day).where(alert_marks.c.job == job)).scalar_one_or_none()


def advance(engine: Engine, job: str, day: date, now: datetime) -> None:
    """Record that `job` evaluated `day` (the mark only moves forward)."""
    with writing(engine) as conn:
        current = conn.execute(sa.select(alert_marks.c.day).where(alert_marks.c.job == job)).scalar_one_or_none()
        if current is None:
            conn.execute(alert_marks.insert().values(job=job, day=day, updated_at=as_utc(now)))
        elif day > current:
            conn.execute(
                alert_marks.update()
                .where(alert_marks.c.job == job, alert_marks.c.day == current)
                .values(day=day, updated_at=as_utc(now))
            )
