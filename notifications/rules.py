"""The alert rules of docs/alerts.md as functions of a partnership's record and a day D.

They read the folded state of the read model (no event replay) and the status building blocks of
`projections`, so a day's run costs the same however long the history is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from notifications import failures, keys
from notifications.activity_index import (
    ActivityIndex,
    DayPair,
    activeness,
    build,
    dormant_from,
    pair,
)
from notifications.alert_rules import (
    COOLING,
    DIGEST,
    DORMANCY_WARNING,
    DORMANT,
    DRAFT_STALLED,
    LAPSED,
    RENEWAL,
    SEVERITY,
    AlertRules,
)
from projections.activeness import AKTIF, KURANG_AKTIF, TIDAK_AKTIF
from projections.agreements import IN_FORCE, agreement_status, written_until
from projections.agreements import LAPSED as AGREEMENT_LAPSED
from projections.calendar import add_months, shift
from projections.partnership import Agreement, PartnershipState
from projections.pipeline import standing
from projections.rules import Rules
from projections.status import details

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert due on `day`: its rule, outbox key, partnership (None for a digest) and desk."""

    rule: str
    key: str
    day: date
    stream: str | None
    desk: str | None
    facts: dict = field(default_factory=dict, compare=False)


def is_ended(state: PartnershipState, day: date) -> bool:
    """Whether the partnership's stage is `ended` on `day`."""
    return any(on <= day for on in state.ended_on)


def _facts(current, agreement: Agreement, day: date) -> dict:
    # The days drive the rules and keys; a mail shows the dates as they were written ("2026").
    return {
        "agreement_id": current.agreement_id,
        "document": current.document,
        "signed_on": current.signed_on,
        "valid_until": current.valid_until,
        "days_left": current.days_left,
        "signed_written": agreement.signed_on,
        "until_written": written_until(agreement, day) or current.valid_until.isoformat(),
    }


def agreement_alerts(
    state: PartnershipState, day: date, desk: str | None, rules: Rules, alert_rules: AlertRules
) -> list[Alert]:
    """`renewal` (smallest threshold reached) and `lapsed` alerts of the partnership's agreements."""
    out = []
    for agreement in state.agreements:
        if agreement.start > day:
            continue
        current = agreement_status(agreement, day, rules)
        if current.valid_until is None:
            continue
        left = current.days_left
        if left is None:  # days_left is None exactly when valid_until is
            continue
        if current.state == IN_FORCE:
            reached = [t for t in alert_rules.renewal_days if left <= t]
            if reached:
                # Only the smallest threshold reached: one passed while nobody looked is never sent late.
                threshold = min(reached)
                out.append(
                    Alert(
                        RENEWAL,
                        keys.renewal(state.stream, current.agreement_id, current.valid_until, threshold),
                        day,
                        state.stream,
                        desk,
                        {**_facts(current, agreement, day), "threshold": threshold},
                    )
                )
        elif current.state == AGREEMENT_LAPSED and -alert_rules.lapsed_days <= left < 0:
            out.append(
                Alert(
                    LAPSED,
                    keys.lapsed(state.stream, current.agreement_id, current.valid_until),
                    day,
                    state.stream,
                    desk,
                    _facts(current, agreement, day),
                )
            )
    return out


def activeness_alert(
    state: PartnershipState,
    day: date,
    desk: str | None,
    rules: Rules,
    alert_rules: AlertRules,
    index: ActivityIndex | DayPair | None = None,
) -> Alert | None:
    """The most severe of `dormant`, `dormancy_warning` and `cooling` that applies on `day`, if any."""
    index = index or pair(state, day, rules)
    now = activeness(index, day, rules)
    found: dict[str, Alert] = {}
    yesterday = day - ONE_DAY
    if state.registered_on <= yesterday:  # a partnership registered today has no change to announce
        before = activeness(index, yesterday, rules)
        if before == AKTIF and now == KURANG_AKTIF:
            found[COOLING] = Alert(
                COOLING,
                keys.activeness(COOLING, state.stream, day),
                day,
                state.stream,
                desk,
                {"before": before, "now": now},
            )
        if before != TIDAK_AKTIF and now == TIDAK_AKTIF:
            found[DORMANT] = Alert(
                DORMANT,
                keys.activeness(DORMANT, state.stream, day),
                day,
                state.stream,
                desk,
                {"before": before, "now": now},
            )
    if now != TIDAK_AKTIF:
        dormant_on = dormant_from(index, day, rules)
        if dormant_on is not None and dormant_on <= shift(day, alert_rules.dormancy_warning_days):
            found[DORMANCY_WARNING] = Alert(
                DORMANCY_WARNING,
                keys.activeness(DORMANCY_WARNING, state.stream, dormant_on),
                day,
                state.stream,
                desk,
                {"now": now, "dormant_on": dormant_on, "days": (dormant_on - day).days},
            )
    # The way Alertmanager's inhibition works: while a more severe alert applies, the others wait
    # for the digest, even when the more severe one was already queued on an earlier day.
    return next((found[rule] for rule in SEVERITY if rule in found), None)


def draft_alerts(state: PartnershipState, day: date, desk: str | None, rules: Rules) -> list[Alert]:
    """`draft_stalled` for each open draft whose wait is longer than its step's limit on `day`.

    The key names the wait (step and since), so each wait is announced once: on the day it first
    exceeds the limit, or late after downtime, or on the day a back-dated record shows it.
    """
    out = []
    for draft in state.drafts:
        current = standing(state.stream, draft, day, rules, desk)
        if current is None or not current.stalled:
            continue
        out.append(
            Alert(
                DRAFT_STALLED,
                keys.draft_stalled(state.stream, draft.draft_id, current.waiting_for, current.since),
                day,
                state.stream,
                desk,
                {
                    "draft_id": draft.draft_id,
                    "document": draft.document,
                    "title": draft.title,
                    "reached": current.reached,
                    "waiting_for": current.waiting_for,
                    "since": current.since,
                    "days_waiting": current.days_waiting,
                    "limit": current.limit,
                    "returned": current.returned,
                },
            )
        )
    return out


def partnership_alerts(
    state: PartnershipState,
    day: date,
    rules: Rules,
    alert_rules: AlertRules,
    index: ActivityIndex | DayPair | None = None,
) -> list[Alert]:
    """Every alert the partnership is due on `day` (none before registration or once ended)."""
    if state.registered_on > day or is_ended(state, day):
        return []
    desk = details(state, day, rules).get("desk")
    out = agreement_alerts(state, day, desk, rules, alert_rules)
    out += draft_alerts(state, day, desk, rules)
    found = activeness_alert(state, day, desk, rules, alert_rules, index)
    if found is not None:
        out.append(found)
    return out


def digest_month(day: date) -> date:
    """The first day of the month that ended before `day`'s month."""
    return add_months(day.replace(day=1), -1)


def digest_alerts(states: Sequence[PartnershipState], day: date, rules: Rules, alert_rules: AlertRules) -> list[Alert]:
    """On the digest day, one `digest` per desk with a partnership registered by then."""
    if day.day != alert_rules.digest_day:
        return []
    desks = {details(s, day, rules).get("desk") for s in states if s.registered_on <= day}
    month = digest_month(day)
    return [
        Alert(DIGEST, keys.digest(desk, month), day, None, desk, {"month": month})
        for desk in sorted(d for d in desks if d)
    ]


def alerts_for_day(
    states: Sequence[PartnershipState],
    day: date,
    rules: Rules,
    alert_rules: AlertRules,
    digests: bool = True,
    indexes: dict[str, ActivityIndex] | None = None,
) -> list[Alert]:
    """All alerts due on `day` (before removing those already queued), sorted by key.

    Given `indexes` (stream -> ActivityIndex, filled as it goes), several days share one index per
    partnership; without, each record is read once for the day and the day before.
    """
    out = []
    for s in states:
        try:
            if indexes is None:
                index = None
            else:
                index = indexes.get(s.stream)
                if index is None:
                    index = indexes[s.stream] = build(s, rules)
            out.extend(partnership_alerts(s, day, rules, alert_rules, index))
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop the alerts of the others
            failures.report("evaluate", s.stream, day, exc)
    if digests:
        out.extend(digest_alerts(states, day, rules, alert_rules))
    return sorted(out, key=lambda a: a.key)
