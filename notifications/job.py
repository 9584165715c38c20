"""The alert job: evaluate the rules for one or more days, drop what is already queued, queue the rest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy.engine import Engine

from events.database import reading, writing
from notifications import failures
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
from notifications.view import load_full
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.runner import load_states


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
    engine: Engine, alerts: list[Alert], rules: Rules, alert_rules: AlertRules, now: datetime
) -> list[str]:
    """Render and queue the alerts whose keys are new, oldest day first; returns the keys queued.

    The messages are rendered from the full states of the read model (the rules may have read
    lean views of them).
    """
    if not alerts:
        return []
    with reading(engine) as conn:
        known = queued_keys(conn, [a.key for a in alerts])
    fresh = sorted((a for a in alerts if a.key not in known), key=lambda a: (a.day, a.key))
    by_stream = load_full(engine, [a.stream for a in fresh if a.stream])
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
    """Queue what the days are due (see `due`); returns the keys queued.

    `states` are the read model's partnerships, full (`load_states`) or lean (`load_views`).
    """
    alerts = due(states, days, rules, alert_rules, partnerships=partnerships, digests=digests)
    return queue_alerts(engine, alerts, rules, alert_rules, now)
