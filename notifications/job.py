"""The alert job: evaluate the rules for one or more days, drop what is already queued, queue the rest."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from sqlalchemy.engine import Engine

from events.database import reading, writing
from notifications import due_index, failures
from notifications.alert_rules import DIGEST, LAPSED, RENEWAL, SEVERITY, AlertRules
from notifications.compose import digest_context, digest_messages, messages
from notifications.outbox import Message, queue, queued_keys
from notifications.rules import Alert, alerts_for_day, digest_alerts
from projections.partnership import PartnershipState
from projections.readmodel import Selection, known_desks, load_states, load_streams, read_in_chunks
from projections.rules import Rules
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
    """Drop the alerts made moot by a later one in the same batch (days a run catches up on, sent at once).

    Of a renewal cycle, only its smallest threshold, and nothing once its lapse is in the batch; of
    a partnership's activeness alerts, only the latest (cooling then dormant: the dormancy alone).
    """
    smallest: dict[tuple, int] = {}
    lapsed: set[tuple] = set()
    latest: dict[str, Alert] = {}
    for a in alerts:
        if a.rule == RENEWAL:
            cycle = _cycle(a)
            smallest[cycle] = min(smallest.get(cycle, a.facts["threshold"]), a.facts["threshold"])
        elif a.rule == LAPSED:
            lapsed.add(_cycle(a))
        elif a.rule in SEVERITY and a.stream is not None:
            kept = latest.get(a.stream)
            if kept is None or (a.day, -SEVERITY.index(a.rule)) > (kept.day, -SEVERITY.index(kept.rule)):
                latest[a.stream] = a
    return [
        a
        for a in alerts
        if not (a.rule == RENEWAL and (a.facts["threshold"] != smallest[_cycle(a)] or _cycle(a) in lapsed))
        and not (a.rule in SEVERITY and a.stream is not None and latest[a.stream] is not a)
    ]


def _cycle(alert: Alert) -> tuple:
    """An agreement's stretch until one end: its renewal reminders and its lapse share it."""
    return (alert.stream, alert.facts["agreement_id"], alert.facts["valid_until"])


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
    """Render and queue the alerts whose keys are new, oldest day first, in one transaction; returns the keys queued.

    The messages are rendered from the states `read` already, and the read model for the others;
    a digest from `everyone` (every partnership; read when not given).
    """
    if not alerts:
        return []
    fresh = sorted(_fresh(engine, alerts), key=_order)
    by_stream = {s.stream: s for s in read}
    missing = {a.stream for a in fresh if a.stream and a.stream not in by_stream}
    by_stream.update((s.stream, s) for s in load_streams(engine, missing))
    if everyone is None:
        everyone = load_states(engine) if any(a.rule == DIGEST for a in fresh) else []
    rendered = [m for alert in fresh for m in _render(alert, by_stream, everyone, rules, alert_rules, now.date())]
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
    chunk: int = due_index.CHUNK,
) -> list[str]:
    """Queue what the days are due, reading only the partnerships something may be due to; returns the keys queued.

    The due-day index (notifications/due_index.py) names the partnerships with a rule that could
    fire within the days under a key not yet queued; the others would queue nothing. They are
    read `chunk` at a time, and only their alerts not queued yet are kept; a digest day reads desk
    by desk (see `desk_digests`). The alerts are then rendered and queued in the order of their
    day and key, `chunk` at a time (see `queue_in_chunks`): the run holds a chunk's states and
    messages, or one desk's, never the whole backlog's. The read model must be current (the
    caller runs the projections first).
    """
    if not days:
        return []
    alerts: list[Alert] = []
    if partnerships:
        due_index.refresh(engine, rules, alert_rules, progress, chunk)
        streams = due_index.streams_due(engine, min(days), max(days))
        for start in range(0, len(streams), chunk):
            states = load_streams(engine, streams[start : start + chunk])
            alerts += _fresh(engine, due(states, days, rules, alert_rules, digests=False))
    if digests:
        alerts += desk_digests(engine, days, rules, alert_rules, chunk)
    return queue_in_chunks(engine, sorted(alerts, key=_order), rules, alert_rules, now, chunk)


def queue_in_chunks(
    engine: Engine, alerts: Sequence[Alert], rules: Rules, alert_rules: AlertRules, now: datetime, chunk: int
) -> list[str]:
    """Render and queue the alerts in their order, `chunk` at a time; returns the keys queued.

    A partnership's alert is rendered from its state, read with those of its chunk; a digest from
    its desk's partnerships, read for it alone. Each chunk is queued in a transaction of its own:
    a run stopped between two leaves the later ones to the next run of the same days (the job's
    mark has not moved), and the outbox's unique keys still queue each message once.
    """
    added: list[str] = []
    for batch in _chunks(alerts, chunk):
        if batch[0].rule == DIGEST:
            rendered = _digest(engine, batch[0], rules, alert_rules, chunk, now.date())
        else:
            by_stream = {s.stream: s for s in load_streams(engine, {a.stream for a in batch if a.stream})}
            rendered = [m for alert in batch for m in _render(alert, by_stream, [], rules, alert_rules, now.date())]
        with writing(engine) as conn:
            added += queue(conn, rendered, now)
    return added


def _digest(
    engine: Engine, alert: Alert, rules: Rules, alert_rules: AlertRules, chunk: int, today: date
) -> list[Message]:
    """A digest's messages written on `today` from its desk's partnerships, read `chunk` at a time into its context."""
    assert alert.desk is not None  # a digest is always a desk's (None would select every partnership)
    try:
        context = digest_context(
            alert, _states(engine, Selection.of_desk(alert.desk, rules), chunk), rules, alert_rules
        )
        return digest_messages(alert, context, rules, today)
    except Exception as exc:  # noqa: BLE001 - the other alerts are still queued
        failures.report("render", alert.stream, alert.day, exc)
        return []


def _states(engine: Engine, selection: Selection, chunk: int) -> Iterator[PartnershipState]:
    """The selection's states one by one, read `chunk` at a time."""
    for part in read_in_chunks(engine, selection, size=chunk):
        yield from part.states


def _chunks(alerts: Sequence[Alert], size: int) -> Iterator[list[Alert]]:
    """Runs of at most `size` consecutive partnership alerts, in order; each digest a run of its own."""
    batch: list[Alert] = []
    for alert in alerts:
        if alert.rule == DIGEST or len(batch) == size:
            if batch:
                yield batch
            batch = []
        if alert.rule == DIGEST:
            yield [alert]
        else:
            batch.append(alert)
    if batch:
        yield batch


def _fresh(engine: Engine, alerts: list[Alert]) -> list[Alert]:
    """The alerts whose keys are not in the outbox yet."""
    with reading(engine) as conn:
        known = queued_keys(conn, [a.key for a in alerts])
    return [a for a in alerts if a.key not in known]


def _order(alert: Alert) -> tuple[date, str]:
    return alert.day, alert.key


def _render(
    alert: Alert,
    by_stream: dict[str, PartnershipState],
    everyone: Sequence[PartnershipState],
    rules: Rules,
    alert_rules: AlertRules,
    today: date,
) -> list[Message]:
    """The alert's messages written on `today`, or none when it cannot be rendered (reported; the others are still queued)."""
    try:
        return messages(alert, by_stream, everyone, rules, alert_rules, today)
    except Exception as exc:  # noqa: BLE001 - the other alerts are still queued
        failures.report("render", alert.stream, alert.day, exc)
        return []


def desk_digests(
    engine: Engine, days: Sequence[date], rules: Rules, alert_rules: AlertRules, chunk: int = due_index.CHUNK
) -> list[Alert]:
    """The digests the days are due and not queued yet, found desk by desk (each rendered later, see `queue_in_chunks`).

    A desk's digest holds its whole matrix, but only its own; its partnerships are read `chunk` at
    a time, so the job holds a chunk's states and the largest desk's digest, not the registry. The
    desks are those the read models' rows and the rules name, and those that partnerships moving
    between desks (in every desk's selection, projections/readmodel.py) held on a digest day.
    """
    digest_days = [day for day in days if day.day == alert_rules.digest_day]
    if not digest_days:
        return []
    pending = sorted(set(known_desks(engine)) | {desk.id for desk in rules.desks})
    if not pending:  # no desk named anywhere: only a partnership that moved can have held one
        pending = sorted(
            {d for part in read_in_chunks(engine, size=chunk) for d in _desks_on(part.states, digest_days, rules)}
        )
    seen, out = set(pending), []
    while pending:
        desk = pending.pop(0)
        found: dict[str, Alert] = {}
        for part in read_in_chunks(engine, Selection.of_desk(desk, rules), size=chunk):
            for other in sorted(_desks_on(part.states, digest_days, rules) - seen):
                seen.add(other)
                pending.append(other)
            for alert in due(part.states, digest_days, rules, alert_rules, partnerships=False):
                if alert.desk == desk:
                    found.setdefault(alert.key, alert)
        out += _fresh(engine, list(found.values()))
    return out


def _desks_on(states: Sequence[PartnershipState], days: Sequence[date], rules: Rules) -> set[str]:
    return {
        desk
        for state in states
        for day in days
        if state.registered_on <= day and (desk := details(state, day, rules).get("desk"))
    }
