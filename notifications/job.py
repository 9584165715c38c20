"""The alert job: evaluate the rules for one or more days, drop what is already queued, queue the rest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy.engine import Engine

from events.database import reading, writing
from notifications import due_index, failures
from notifications.alert_rules import (
    DIGEST,
    DORMANCY_WARNING,
    DORMANT,
    RENEWAL,
    AlertRules,
)
from notifications.compose import messages
from notifications.outbox import queue, queued_keys
from notifications.rules import Alert, alerts_for_day, digest_alerts
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.runner import load_states, load_streams


def due(
    states: Sequence[PartnershipState],
    days: Iterable[date],
    rules: Rules,
    alert_rules: AlertRules,
    *,
    partnerships: bool = True,
    digests: bool = True,
) -> list[Alert]:
    """The alerts of each day in turn, each key once (its first day), coalesced across the days.

    Days evaluated together are days the service missed: a renewal threshold passed by a smaller
    one within them is not sent late, nor a dormancy warning for a dormancy that already came.
    """
    found: dict[str, Alert] = {}
    days = list(days)
    # Several days share one activity index per partnership; a single day reads each record once.
    indexes: dict | None = {} if len(days) > 1 else None
    for day in days:
        if partnerships:
            todays = alerts_for_day(states, day, rules, alert_rules, digests=digests, indexes=indexes)
        else:
            todays = digest_alerts(states, day, rules, alert_rules) if digests else []
        for alert in todays:
            found.setdefault(alert.key, alert)
    return coalesce(list(found.values()))


def coalesce(alerts: list[Alert]) -> list[Alert]:
    """Drop the alerts made moot by a later one in the same batch."""
    smallest: dict[tuple, int] = {}
    for a in alerts:
        if a.rule == RENEWAL:
            cycle = (a.stream, a.facts["agreement_id"], a.facts["valid_until"])
            smallest[cycle] = min(smallest.get(cycle, a.facts["threshold"]), a.facts["threshold"])
    dormant = {(a.stream, a.day) for a in alerts if a.rule == DORMANT}
    return [
        a
        for a in alerts
        if not (
            a.rule == RENEWAL
            and a.facts["threshold"] != smallest[(a.stream, a.facts["agreement_id"], a.facts["valid_until"])]
        )
        and not (a.rule == DORMANCY_WARNING and (a.stream, a.facts["dormant_on"]) in dormant)
    ]


def queue_alerts(
    engine: Engine,
    alerts: list[Alert],
    rules: Rules,
    alert_rules: AlertRules,
    now: datetime,
    *,
    read: Sequence[PartnershipState] = (),
    everyone: Sequence[PartnershipState] | None = None,
) -> list[str]:
    """Render and queue the alerts whose keys are new, oldest day first; returns the keys queued.

    The messages are rendered from the states `read` already, and the read model for the others;
    a digest from `everyone` (every partnership; read when not given).
    """
    if not alerts:
        return []
    with reading(engine) as conn:
        known = queued_keys(conn, [a.key for a in alerts])
    fresh = sorted((a for a in alerts if a.key not in known), key=lambda a: (a.day, a.key))
    by_stream = {s.stream: s for s in read}
    missing = {a.stream for a in fresh if a.stream and a.stream not in by_stream}
    by_stream.update((s.stream, s) for s in load_streams(engine, missing))
    if everyone is None:
        everyone = load_states(engine) if any(a.rule == DIGEST for a in fresh) else []
    rendered = []
    for alert in fresh:
        try:
            rendered.extend(messages(alert, by_stream, everyone, rules, alert_rules))
        except Exception as exc:  # noqa: BLE001 - the other alerts are still queued
            failures.report("render", alert.stream, alert.day, exc)
    with writing(engine) as conn:
        return queue(conn, rendered, now)


def queue_days(
    engine: Engine,
    states: Sequence[PartnershipState],
    days: Iterable[date],
    rules: Rules,
    alert_rules: AlertRules,
    now: datetime,
    *,
    partnerships: bool = True,
    digests: bool = True,
) -> list[str]:
    """Queue what the days are due to `states` (see `due`); returns the keys queued."""
    alerts = due(states, days, rules, alert_rules, partnerships=partnerships, digests=digests)
    return queue_alerts(engine, alerts, rules, alert_rules, now, read=states)


def run_days(
    engine: Engine,
    days: Sequence[date],
    rules: Rules,
    alert_rules: AlertRules,
    now: datetime,
    *,
    partnerships: bool = True,
    digests: bool = True,
    progress: due_index.Progress | None = None,
) -> list[str]:
    """Queue what the days are due, reading only the partnerships something may be due to; returns the keys queued.

    The due-day index (notifications/due_index.py) names the partnerships with a rule that could
    fire within the days under a key not yet queued; the others would queue nothing. A digest day
    reads every partnership: each desk's digest holds its whole matrix. The read model must be
    current (the caller runs the projections first).
    """
    if not days:
        return []
    read: list[PartnershipState] = []
    if partnerships:
        due_index.refresh(engine, rules, alert_rules, progress)
        read = load_streams(engine, due_index.streams_due(engine, min(days), max(days)))
    alerts = due(read, days, rules, alert_rules, digests=False) if partnerships else []
    everyone: list[PartnershipState] | None = None
    if digests and any(day.day == alert_rules.digest_day for day in days):
        everyone = load_states(engine)
        alerts += due(everyone, days, rules, alert_rules, partnerships=False)
    return queue_alerts(engine, alerts, rules, alert_rules, now, read=read, everyone=everyone)
