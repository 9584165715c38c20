"""What the record holds of one partnership's year: the facts a yearly report and scorecard are made of.

Pure: from the folded record, a year and the rules. Activities count as best known now (corrections
applied, retracted ones left out), like every as-of answer; agreements stand as on 31 December.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from msgspec import Struct

from projections.agreements import IN_FORCE, AgreementStatus, agreement_status
from projections.lifecycle_state import Draft, PlanItem
from projections.partnership import Activity, PartnershipState
from projections.plan import plan_of_year
from projections.rules import Rules
from projections.status import contacts, details


class Total(Struct, frozen=True):
    """A sum of money of one source in one currency."""

    source: str | None
    currency: str
    amount: float


class YearRecord(Struct, frozen=True, kw_only=True):
    """The record of a partnership's year Y, as facts with their dates."""

    stream: str
    year: int
    last_day: date
    has_events: bool
    details: dict
    agreements: list[AgreementStatus]
    activities: list[Activity]
    plan: dict
    plan_items: list[PlanItem]
    funding: list[Total]
    budget: list[Total]
    obstacles: list[tuple[date, str]]
    follow_ups: list[tuple[date, str]]
    contacts: list[dict]
    contact_since: dict[str, date]
    drafts: list[Draft]


def _in(year: int, day: date | None) -> bool:
    return day is not None and day.year == year


def event_years(state: PartnershipState) -> list[int]:
    """The years the partnership's record has events dated in, ascending."""
    days = [
        state.registered_on,
        *state.explorations,
        *state.ended_on,
        *(c.on for c in state.changes),
        *(c.on for c in state.contacts),
        *(n.on for n in state.notes),
        *(s.on for s in state.assessments),
        *(a.start for a in state.activities if not a.retracted),
    ]
    for a in state.agreements:
        days += [a.start, *(r.start for r in a.renewals), *a.terminated_on]
    for d in state.drafts:
        days += [d.start, *(s.on for s in d.steps), *([d.closed_start] if d.closed_start else [])]
    days += [i.recorded_on for i in state.plan] + [i.dropped_on for i in state.plan if i.dropped_on]
    return sorted({d.year for d in days})


def _totals(items) -> list[Total]:
    sums: dict[tuple, float] = defaultdict(float)
    for funds in items:
        if funds is not None:
            sums[(funds.source, funds.currency)] += funds.amount
    return [
        Total(source, currency, amount)
        for (source, currency), amount in sorted(sums.items(), key=lambda item: (item[0][0] or "", item[0][1]))
    ]


def year_record(state: PartnershipState, year: int, rules: Rules) -> YearRecord:
    """The facts of `year` for the partnership's yearly report and scorecard."""
    last = date(year, 12, 31)
    agreements = [
        agreement_status(a, last, rules) for a in sorted(state.agreements, key=lambda a: a.start) if a.start <= last
    ]
    activities = sorted(
        (a for a in state.activities if not a.retracted and a.start.year == year),
        key=lambda a: (a.start, a.activity_id),
    )
    items = [i for i in state.plan if i.year == year]
    return YearRecord(
        stream=state.stream,
        year=year,
        last_day=last,
        has_events=year in event_years(state),
        details=details(state, last, rules),
        agreements=agreements,
        activities=activities,
        plan=plan_of_year(state, year),
        plan_items=sorted(items, key=lambda i: i.plan_id),
        funding=_totals(a.funding for a in activities),
        budget=_totals(i.budget for i in items if i.dropped_on is None),
        obstacles=[(n.on, n.text) for n in state.filed_notes if n.topic == "obstacle" and _in(year, n.on)],
        follow_ups=[(n.on, n.text) for n in state.filed_notes if n.topic == "follow_up" and _in(year, n.on)],
        contacts=contacts(state, last),
        contact_since={c.contact_id: c.on for c in state.contacts if c.on <= last and c.contact is not None},
        drafts=[
            d
            for d in state.drafts
            if _in(year, d.start) or any(_in(year, s.on) for s in d.steps) or _in(year, d.closed_start)
        ],
    )


def in_force(record: YearRecord) -> list[AgreementStatus]:
    """The agreements in force on the year's last day."""
    return [a for a in record.agreements if a.state == IN_FORCE]
