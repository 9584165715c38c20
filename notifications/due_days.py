"""The days on which an alert rule could fire for a partnership, from its record as it stands.

A pure function of a state and the rules: each `Due` is a range of days on which one rule may give
an alert, with the outbox key it would carry there (None when the key cannot be told in advance).
The ranges may be wider than the days that alert (a day too many costs one evaluation) but never
miss one: `notifications.rules.partnership_alerts` on a day outside every range gives nothing.

The record's answers change only on its own dates (a renewal, a step of a draft, the start of an
activity), so between two of them the rules of docs/alerts.md and docs/lifecycle.md reduce to
thresholds on the day, solved here for the first day that crosses each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from notifications import keys
from notifications.alert_rules import (
    COOLING,
    DORMANCY_WARNING,
    DORMANT,
    DRAFT_STALLED,
    LAPSED,
    RENEWAL,
    AlertRules,
)
from projections.activeness import counted_spans, substantive
from projections.agreements import valid_until
from projections.calendar import add_months, shift
from projections.lifecycle_state import Draft
from projections.partnership import Agreement, PartnershipState
from projections.pipeline import standing
from projections.rules import Rules

ONE_DAY = timedelta(days=1)
ANY = "any"  # a range whose rule could not be worked out: every day of it is evaluated
# Raise by one whenever what `due_days` computes changes: the stored index is then recomputed.
DUE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Due:
    """Days `first`..`last` (inclusive) on which `rule` may alert, under `key` (None: not known)."""

    first: date
    last: date
    rule: str
    key: str | None


def due_days(state: PartnershipState, rules: Rules, alert_rules: AlertRules) -> list[Due]:
    """Every range of days on which some alert rule could fire for the partnership, by first day."""
    try:
        alive_from, alive_to = state.registered_on, _last_alive(state)
        found = [*_agreements(state, rules, alert_rules), *_activeness(state, rules, alert_rules)]
        found += [d for draft in state.drafts for d in _draft(state.stream, draft, rules)]
        out = []
        for d in found:
            first, last = max(d.first, alive_from), min(d.last, alive_to)
            if first <= last:
                out.append(Due(first, last, d.rule, d.key))
    except Exception:  # noqa: BLE001 - a record the ranges cannot read is evaluated every day instead
        return [Due(date.min, date.max, ANY, None)]
    return sorted(out, key=lambda d: (d.first, d.last, d.rule, d.key or ""))


def is_due(ranges: list[Due], first: date, last: date) -> bool:
    """Whether some range meets the days `first`..`last`."""
    return any(d.first <= last and d.last >= first for d in ranges)


def _last_alive(state: PartnershipState) -> date:
    # An ended partnership gets no alert from the day it ended.
    return shift(min(state.ended_on), -1) if state.ended_on else date.max


def _agreements(state: PartnershipState, rules: Rules, alert_rules: AlertRules) -> Iterator[Due]:
    thresholds = sorted({t for t in alert_rules.renewal_days if t >= 0})
    for agreement in state.agreements:
        # No alert once terminated: a termination ends it on its own date.
        stop = shift(min(agreement.terminated_on), -1) if agreement.terminated_on else date.max
        for first, last in _renewal_segments(agreement):
            until = valid_until(agreement, first, rules)  # the same on every day of the segment
            if until is None:
                continue
            last = min(last, stop)
            below = 0  # days_left of a renewal reminder are >= 0: the agreement is still in force
            for t in thresholds:
                # The smallest threshold reached gives the key: days_left in below..t.
                yield from _clip(
                    shift(until, -t),
                    shift(until, -below),
                    first,
                    last,
                    RENEWAL,
                    keys.renewal(state.stream, agreement.agreement_id, until, t),
                )
                below = t + 1
            if alert_rules.lapsed_days >= 1:
                yield from _clip(
                    shift(until, 1),
                    shift(until, alert_rules.lapsed_days),
                    first,
                    last,
                    LAPSED,
                    keys.lapsed(state.stream, agreement.agreement_id, until),
                )


def _renewal_segments(agreement: Agreement) -> Iterator[tuple[date, date]]:
    """Days from the signing cut where a renewal starts: within each, `valid_until` is one date."""
    starts = sorted({agreement.start} | {r.start for r in agreement.renewals if r.start > agreement.start})
    for i, first in enumerate(starts):
        yield first, (starts[i + 1] - ONE_DAY if i + 1 < len(starts) else date.max)


def _clip(first: date, last: date, lo: date, hi: date, rule: str, key: str | None) -> Iterator[Due]:
    first, last = max(first, lo), min(last, hi)
    if first <= last:
        yield Due(first, last, rule, key)


def _quiet_from(latest: date, months: int) -> date | None:
    """The first day E with add_months(E, -months) >= latest (None past the calendar's end)."""
    guess = add_months(latest, months)
    if guess >= date.max - ONE_DAY:
        return None
    while add_months(guess, -months) < latest:
        guess += ONE_DAY  # clamped month ends put the guess a few days early at most
    while add_months(guess - ONE_DAY, -months) >= latest:
        guess -= ONE_DAY
    return guess


def _activeness(state: PartnershipState, rules: Rules, alert_rules: AlertRules) -> Iterator[Due]:
    """Cooling and dormant on the day activeness drops, the warning before it.

    Between two starts of counted activities the latest ends are fixed, so activeness only
    degrades, each level on the first day its window no longer reaches the latest end.
    """
    spans = sorted(counted_spans(state, rules), key=lambda s: s[0])
    latest: date | None = None
    weighty: date | None = None
    warn = alert_rules.dormancy_warning_days
    active_days, quiet_days = 28 * rules.active_months - 3, 28 * rules.quiet_months - 3
    for i, (start, end, indicator) in enumerate(spans):
        latest = end if latest is None or end > latest else latest
        if substantive(indicator):
            weighty = end if weighty is None or end > weighty else weighty
        if i + 1 < len(spans) and spans[i + 1][0] == start:
            continue  # one segment per day on which activities start
        first = start
        last = spans[i + 1][0] - ONE_DAY if i + 1 < len(spans) else date.max
        # Most segments end (a new activity begins) long before a window runs out: whole days
        # tell most of them (m months are at least 28m days, less 3 for a clamped month end),
        # then one month step, before the day-exact search (long records have hundreds).
        span = last.toordinal() - (latest.toordinal() if latest else 0)
        cools = None  # the day it stops being aktif; date.max: not within the segment
        if weighty is not None:
            within = last.toordinal() - weighty.toordinal() >= active_days and (
                add_months(last, -rules.active_months) >= weighty
            )
            cools = (_quiet_from(weighty, rules.active_months) if within else None) or date.max
        if cools is not None and first <= cools <= last:
            yield Due(cools, cools, COOLING, keys.activeness(COOLING, state.stream, cools))
        if span + warn < quiet_days or add_months(shift(last, warn), -rules.quiet_months) < latest:
            continue  # neither quiet nor warned within the segment
        quiet = _quiet_from(latest, rules.quiet_months)
        if quiet is None:
            yield Due(first, last, ANY, None)  # the calendar ends first: not worth exactness
            continue
        dormant = quiet if weighty is None or cools is None else max(quiet, cools)
        if first <= dormant <= last:
            yield Due(dormant, dormant, DORMANT, keys.activeness(DORMANT, state.stream, dormant))
        low = shift(quiet, -warn)
        yield from _clip(
            low, shift(quiet, -1), first, last, DORMANCY_WARNING, keys.activeness(DORMANCY_WARNING, state.stream, quiet)
        )
        if dormant > quiet:
            # Aktif past the quiet window (an active window longer than the quiet one): the
            # warning's day moves every day, so its key is not told in advance.
            yield from _clip(quiet, dormant, first, last, ANY, None)


def _draft(stream: str, draft: Draft, rules: Rules) -> Iterator[Due]:
    """`draft_stalled` from the day a wait exceeds its limit until the next event of the draft."""
    cuts = {draft.start} | {s.on for s in draft.steps if s.on > draft.start}
    if draft.closed_start is not None and draft.closed_start > draft.start:
        cuts.add(draft.closed_start)
    starts = sorted(cuts)
    for i, first in enumerate(starts):
        last = starts[i + 1] - ONE_DAY if i + 1 < len(starts) else date.max
        current = standing(stream, draft, first, rules)  # the same step and wait all segment long
        if current is None:
            continue
        stalled_from = shift(current.since, current.limit + 1)
        yield from _clip(
            stalled_from,
            last,
            first,
            last,
            DRAFT_STALLED,
            keys.draft_stalled(stream, draft.draft_id, current.waiting_for, current.since),
        )
