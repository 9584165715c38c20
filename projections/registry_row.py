"""A partnership as the public registry shows it on a day, and the next day that could change it.

Pure: a state, a day and the rules in, plain values out. Only what docs/registry.md lists as
public is read here: names, places, kind, stage, activeness, documents, fields and counted
activities; never contacts, notes, drafts, plans, assessments or notifications.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

from projections.activeness import counted_activities, last_activity_written
from projections.agreements import valid_from, valid_until, written_until
from projections.calendar import ONE_DAY, add_months, shift
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import details, status

# Raise by one whenever what `public_row` or `changes_on` compute changes: stored rows are recomputed.
ROW_VERSION = 1


def public_row(state: PartnershipState, day: date, rules: Rules) -> dict | None:
    """The registry's row of the partnership on `day`; None when it is withheld or not registered by then."""
    if state.withheld is not None:
        return None
    found = status(state, day, rules)
    if found is None:
        return None
    info = details(state, day, rules)
    indonesia, partner = info.get("indonesia") or {}, info.get("partner") or {}
    documents = _documents(state, day, rules)
    first = min((a.start for a in state.agreements if a.start <= day), default=None)  # documents[0]'s
    years = Counter(a.start.year for a in state.activities if not a.retracted and a.start <= day)
    last = last_activity_written(state, day, rules)
    return {
        "stream": state.stream,
        "indonesia": indonesia.get("name"),
        "indonesia_level": indonesia.get("level"),
        "province": indonesia.get("province"),
        "partner": partner.get("name"),
        "partner_level": partner.get("level"),
        "country": partner.get("country"),
        "kind": found.kind,
        "stage": found.stage,
        "activeness": found.activeness,
        "fields": list(info.get("fields") or ()),
        "documents": documents,
        "first_signed_on": documents[0]["signed_on"] if documents else None,
        "decade": first.year // 10 * 10 if first else None,
        "last_activity": last[:7] if last else None,
        "activities_per_year": {str(year): years[year] for year in sorted(years)},
        "registered_on": state.registered_on.isoformat(),
    }


def _documents(state: PartnershipState, day: date, rules: Rules) -> list[dict]:
    out = []
    for agreement in sorted(state.agreements, key=lambda a: a.start):
        if agreement.start > day:
            continue
        until = valid_until(agreement, day, rules)
        out.append(
            {
                "document": agreement.document,
                "signed_on": agreement.signed_on,
                "valid_until": written_until(agreement, day) or (until.isoformat() if until else None),
                "terminated": any(t <= day for t in agreement.terminated_on),
            }
        )
    return out


def public_timeline(state: PartnershipState, day: date) -> list[dict]:
    """The titles and dates of the partnership's activities and documents by `day`, newest first."""
    items: list[dict[str, Any]] = [
        {"on": a.occurred_on, "sort": a.start, "what": "activity", "kind": a.kind, "title": a.title}
        for a in state.activities
        if not a.retracted and a.start <= day
    ]
    for agreement in state.agreements:
        if agreement.start <= day:
            items.append(
                {"on": agreement.signed_on, "sort": agreement.start, "what": "signed", "kind": agreement.document}
            )
        items += [
            {"on": r.on, "sort": r.start, "what": "renewed", "kind": agreement.document}
            for r in agreement.renewals
            if r.start <= day
        ]
    items.sort(key=lambda item: item["sort"], reverse=True)
    return [{k: v for k, v in item.items() if k != "sort"} for item in items]


def changes_on(state: PartnershipState, day: date, rules: Rules) -> date | None:
    """The first day after `day` on which the row may read differently (None: never, as the record stands).

    May be early (the row is then worked out again for nothing) but never late: every date the
    status, the documents, the details and the counts read is a candidate.
    """
    later = [d for d in _candidates(state, rules) if d > day]
    if any(c.start <= day < c.end for c in counted_activities(state, rules)):
        # A running activity's last day shown is the day itself: its month moves on the 1st.
        later.append(add_months(day.replace(day=1), 1))
    return min(later, default=None)


def _candidates(state: PartnershipState, rules: Rules) -> Iterator[date]:
    yield state.registered_on
    yield from (change.on for change in state.changes)
    yield from state.explorations
    yield from state.ended_on
    for agreement in state.agreements:
        yield agreement.start
        yield valid_from(agreement)
        yield from agreement.terminated_on
        for renewal in agreement.renewals:
            yield renewal.start
        # The end in force as known from each date the agreement's reading can change, the day after.
        for known in (agreement.start, *(r.start for r in agreement.renewals)):
            until = valid_until(agreement, known, rules)
            if until is not None:
                yield shift(until, 1)
    for counted in counted_activities(state, rules):
        yield counted.start
        yield counted.end  # on its last day it no longer runs: the date shown is its own, as written
        yield shift(counted.end, 1)
        for months in (rules.active_months, rules.quiet_months):
            yield _leaves_window(counted.end, months)
    for activity in state.activities:
        yield activity.start


def _leaves_window(end: date, months: int) -> date:
    """The first day whose window of `months` months no longer reaches `end` (activeness.activities_within)."""
    if end >= add_months(date.max, -months):
        return date.max
    day = max(shift(add_months(end, months), -5), date.min)
    while add_months(day, -months) < end:
        day += ONE_DAY
    return day
