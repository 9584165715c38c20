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
from notifications.outbox import Message, queue, queued_keys
from notifications.rules import Alert, alerts_for_day, digest_alerts
from projections.partnership import PartnershipState
from projections.readmodel import Selection, known_desks, read
from projections.rules import Rules
from projections.runner import load_states, load_streams
from projections.status import details


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
    rendered_digests: Sequence[tuple[Alert, list[Message]]] = (),
) -> list[str]:
    """Render and queue the alerts whose keys are new, oldest day first; returns the keys queued.

    The messages are rendered from the states `read` already, and the read model for the others;
    a digest from `everyone` (every partnership; read when not given). `rendered_digests` are
    digests rendered already, queued in their place among the others.
    """
    if not alerts and not rendered_digests:
        return []
    with reading(engine) as conn:
        known = queued_keys(conn, [a.key for a in alerts])
    fresh = sorted((a for a in alerts if a.key not in known), key=lambda a: (a.day, a.key))
    by_stream = {s.stream: s for s in read}
    missing = {a.stream for a in fresh if a.stream and a.stream not in by_stream}
    by_stream.update((s.stream, s) for s in load_streams(engine, missing))
    if everyone is None:
        everyone = load_states(engine) if any(a.rule == DIGEST for a in fresh) else []
    rendered = list(rendered_digests)
    for alert in fresh:
        try:
            rendered.append((alert, messages(alert, by_stream, everyone, rules, alert_rules)))
        except Exception as exc:  # noqa: BLE001 - the other alerts are still queued
            failures.report("render", alert.stream, alert.day, exc)
    rendered.sort(key=lambda pair: (pair[0].day, pair[0].key))  # stable: each alert's messages stay in order
    with writing(engine) as conn:
        return queue(conn, [message for _, batch in rendered for message in batch], now)


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
    reads desk by desk (see `desk_digests`). The read model must be current (the caller runs the
    projections first).
    """
    if not days:
        return []
    states: list[PartnershipState] = []
    if partnerships:
        due_index.refresh(engine, rules, alert_rules, progress)
        states = load_streams(engine, due_index.streams_due(engine, min(days), max(days)))
    alerts = due(states, days, rules, alert_rules, digests=False) if partnerships else []
    digested = desk_digests(engine, days, rules, alert_rules) if digests else []
    return queue_alerts(engine, alerts, rules, alert_rules, now, read=states, everyone=[], rendered_digests=digested)


def desk_digests(
    engine: Engine, days: Sequence[date], rules: Rules, alert_rules: AlertRules
) -> list[tuple[Alert, list[Message]]]:
    """The digests the days are due and not queued yet, each rendered from its desk's partnerships alone.

    A desk's digest holds its whole matrix, but only its own: reading one desk at a time, the job
    holds the largest desk, not the registry. The desks are those the read models' rows and the
    rules name, and those that partnerships moving between desks (in every desk's selection,
    projections/readmodel.py) held on a digest day.
    """
    digest_days = [day for day in days if day.day == alert_rules.digest_day]
    if not digest_days:
        return []
    pending = sorted(set(known_desks(engine)) | {desk.id for desk in rules.desks})
    if not pending:  # no desk named anywhere: only a partnership that moved can have held one
        pending = sorted(_desks_on(read(engine).states, digest_days, rules))
    seen, out = set(pending), []
    while pending:
        desk = pending.pop(0)
        states = read(engine, Selection.of_desk(desk, rules)).states
        for other in sorted(_desks_on(states, digest_days, rules) - seen):
            seen.add(other)
            pending.append(other)
        alerts = [a for a in due(states, digest_days, rules, alert_rules, partnerships=False) if a.desk == desk]
        with reading(engine) as conn:
            known = queued_keys(conn, [a.key for a in alerts])
        for alert in (a for a in alerts if a.key not in known):
            try:
                out.append((alert, messages(alert, {}, states, rules, alert_rules)))
            except Exception as exc:  # noqa: BLE001 - the other digests are still queued
                failures.report("render", alert.stream, alert.day, exc)
    return out


def _desks_on(states: Sequence[PartnershipState], days: Sequence[date], rules: Rules) -> set[str]:
    return {
        desk
        for state in states
        for day in days
        if state.registered_on <= day and (desk := details(state, day, rules).get("desk"))
    }
