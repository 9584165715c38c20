"""The outbox worker: claims one due message, sends it, records the outcome; one step at a time.

A claim is a conditional UPDATE (`… WHERE state = 'queued'`, won when exactly one row changed),
preceded on PostgreSQL by `FOR UPDATE SKIP LOCKED` so concurrent workers pass each other by. A row
left in `sending` by a process that died is claimed again once its lease has expired, and resent
with the same Message-ID. The claim writes the attempt to the attempt log (outcome `sending`)
before the SMTP conversation starts, and the outcome fills it in: a process that dies between
the server's acceptance and the outbox's mark leaves its attempt on record, and the next holder
marks it `interrupted` (docs/alerts.md says what that promises).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events import mapper
from events.database import is_sqlite, writing
from events.errors import Conflict, InvalidEvent
from events.store import EventStore
from notifications import mail
from notifications.alert_rules import AlertRules
from notifications.outbox import as_dict, as_utc
from notifications.schema import FAILED, QUEUED, SENDING, SENT, outbox, outbox_attempts
from notifications.send_reasons import (
    BAD_ADDRESS,
    GAVE_UP,
    LEASE_LOST,
    NO_ATTEMPT_REASON,
    NO_ROW_REASON,
    SENT_WITH_PROBLEMS,
    SendReason,
)
from notifications.sender import SendFailure

log = logging.getLogger(__name__)
# Outcomes of the attempt log besides sent / retry / failed: an attempt under way, and one whose
# process stopped before recording how it ended (the server may have accepted the message).
STARTED, INTERRUPTED = "sending", "interrupted"
_EVENTS = uuid.UUID("0d9f4a52-5a4b-4c1e-9c55-1f3c2b7e8a61")


@dataclass(frozen=True, slots=True)
class Claim:
    """What a claim found: the row this worker now holds, or none (`lost`: another worker won it)."""

    row: dict | None = None
    lost: bool = False


class OutboxWorker:
    """Sends outbox messages through `sender`, with time from `clock`.

    With a `store`, each delivery is recorded as a NotificationSent event dated in `zone` (the
    settings' PANTAU_TIMEZONE, passed in: the worker keeps no default of its own).
    """

    def __init__(
        self,
        engine: Engine,
        sender,
        clock: Callable[[], datetime],
        alert_rules: AlertRules,
        store: EventStore | None = None,
        zone: ZoneInfo | None = None,
    ):
        if store is not None and zone is None:
            raise ValueError("OutboxWorker: a store to record deliveries in needs the zone that dates them")
        self.engine, self.sender, self.clock = engine, sender, clock
        self.rules, self.store, self.zone = alert_rules, store, zone

    def _due(self, now: datetime):
        c = outbox.c
        return sa.or_(
            sa.and_(c.state == QUEUED, c.next_attempt_at <= now), sa.and_(c.state == SENDING, c.lease_until < now)
        )

    def claim(self, now: datetime) -> Claim:
        """Claim the oldest due message: its row, or no row when nothing is due or another won it."""
        token = uuid.uuid4().hex
        with writing(self.engine) as conn:
            query = sa.select(outbox.c.id).where(self._due(now)).order_by(outbox.c.id).limit(1)
            if not is_sqlite(conn):
                query = query.with_for_update(skip_locked=True)
            found = conn.execute(query).scalar_one_or_none()
            if found is None:
                return Claim()
            won = conn.execute(
                outbox.update()
                .where(outbox.c.id == found, self._due(now))
                .values(
                    state=SENDING,
                    claim=token,
                    lease_until=now + self.rules.lease,
                    attempts=outbox.c.attempts + 1,
                    first_attempt_at=sa.func.coalesce(outbox.c.first_attempt_at, now),
                )
            )
            if won.rowcount != 1:
                return Claim(lost=True)
            row = as_dict(conn.execute(sa.select(outbox).where(outbox.c.id == found)).one())
            return Claim(row | {"claim": token, "attempt_id": _log_attempt(conn, found, row["attempts"], now)})

    def step(self) -> bool:
        """Send at most one due message; returns whether there was work."""
        now = as_utc(self.clock())
        claim = self.claim(now)
        row = claim.row
        if row is None:
            return claim.lost  # a row another worker won was work found all the same
        unusable = [f"{a}: not an e-mail address, not sent" for a in mail.unusable(row)]
        try:
            if unusable and len(unusable) == len(row["to"]) + len(row["cc"]):
                said = "; ".join(unusable)
                raise SendFailure("no usable address: " + said, False, BAD_ADDRESS, said)
            refused = unusable + self.sender.send(mail.build(row, self.rules.sender, now))
        except SendFailure as failure:
            self._failed(row, now, failure)
            return True
        # Record the event first: if we die before marking the row sent, the resend finds the event
        # already stored (same id) instead of leaving a delivered message without its trace.
        note = self._record_event(row, now)
        problems = "; ".join(filter(None, ["refused: " + "; ".join(refused) if refused else "", note]))
        reason = SendReason(problems, SENT_WITH_PROBLEMS, {"detail": problems}) if problems else None
        self._finish(row, now, "sent", reason, state=SENT, sent_at=now, next_attempt_at=None)
        return True

    def drain(self, limit: int = 10_000) -> int:
        """Run steps until nothing is due (or `limit` steps); returns how many steps found work."""
        done = 0
        while done < limit and self.step():
            done += 1
        return done

    def _failed(self, row: dict, now: datetime, failure: SendFailure) -> None:
        started = row["first_attempt_at"] or now
        if not failure.temporary:
            self._finish(row, now, "failed", failure.stored(), state=FAILED, next_attempt_at=None)
        elif now + self.rules.backoff(row["attempts"]) - started > self.rules.give_up_after:
            text = f"gave up after {row['attempts']} attempts: {failure.reason}"
            gave_up = SendReason(text, GAVE_UP, {"n": row["attempts"], "detail": failure.reason})
            self._finish(row, now, "failed", gave_up, state=FAILED, next_attempt_at=None)
        else:
            backoff = self.rules.backoff(row["attempts"])
            self._finish(row, now, "retry", failure.stored(), state=QUEUED, next_attempt_at=now + backoff)
        log.warning(
            "outbox %s: %s (%s)", row["key"], failure.reason, "will retry" if failure.temporary else "permanent"
        )

    def _finish(self, row: dict, now: datetime, outcome: str, reason: SendReason | None, **values) -> None:
        """Record the attempt's `outcome` and `reason` (None: sent without a problem), and the row's `values`."""
        values |= reason.row() if reason else NO_ROW_REASON
        with writing(self.engine) as conn:
            # Only the holder of this claim may record the outcome: a worker whose lease ran out
            # (and whose row another worker took over) changes nothing but the attempt's history.
            held = (
                conn.execute(
                    outbox.update()
                    .where(outbox.c.id == row["id"], outbox.c.claim == row["claim"], outbox.c.state == SENDING)
                    .values(lease_until=None, **values)
                ).rowcount
                == 1
            )
            if not held:
                said = "; ".join(
                    filter(
                        None, [reason.text if reason else None, "lease had run out: outcome left to the next holder"]
                    )
                )
                reason = SendReason(said, LEASE_LOST, {"detail": said})
            attempt = reason.attempt() if reason else NO_ATTEMPT_REASON
            conn.execute(
                outbox_attempts.update()
                .where(outbox_attempts.c.id == row["attempt_id"])
                .values(outcome=outcome, **attempt)
            )

    def _record_event(self, row: dict, now: datetime) -> str | None:
        if self.store is None or not row["stream"]:
            return None
        assert self.zone is not None  # __init__ refuses a store without its zone
        day: date = now.astimezone(self.zone).date()
        envelope = {
            "id": str(uuid.uuid5(_EVENTS, row["key"])),
            "stream": row["stream"],
            "type": "NotificationSent",
            "occurred_on": day.isoformat(),
            "data": {
                "key": row["key"],
                "rule": row["rule"],
                "to": row["to"],
                "cc": row["cc"],
                "subject": mail.header_text(row["subject"]),  # as sent: an old row's text may break the rules
            },
            "meta": {"actor": "pantau", "source": "outbox"},
        }
        try:
            self.store.append([mapper.from_dict(envelope, day)])
        except Conflict:
            return None  # already recorded by an earlier attempt (on another day)
        except InvalidEvent as exc:
            return f"NotificationSent not recorded: {exc}"
        return None


def _log_attempt(conn, outbox_id: int, attempt: int, now: datetime) -> int:
    """Write the attempt about to start (outcome `sending`), committed with the claim before any
    SMTP exchange; an earlier attempt still `sending` lost its process: it becomes `interrupted`."""
    a = outbox_attempts.c
    conn.execute(
        outbox_attempts.update().where(a.outbox_id == outbox_id, a.outcome == STARTED).values(outcome=INTERRUPTED)
    )
    inserted = conn.execute(
        outbox_attempts.insert().values(outbox_id=outbox_id, attempt=attempt, at=now, outcome=STARTED, detail=None)
    )
    return inserted.inserted_primary_key[0]
