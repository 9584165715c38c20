"""A yearly scorecard: the input/process/output evaluation of the Jakarta–Seoul study, line by line.

Each line states one fact of the record and names the events it comes from; there is no single
score, so a reader sees what was there and what was missing, not a number to argue about.
"""

from __future__ import annotations

from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.yearly import YearRecord, in_force, year_record

MEETING_KINDS = frozenset({"meeting", "video_call", "working_group"})


def _source(type_name: str, ident: str | None, on) -> dict:
    return {"type": type_name, "id": ident, "on": on.isoformat() if on is not None else None}


def _line(dimension: str, indicator: str, value, sources: list[dict], **extra) -> dict:
    return {"dimension": dimension, "indicator": indicator, "value": value, "sources": sources, **extra}


def lines(record: YearRecord) -> list[dict]:
    """The scorecard's lines for the record of a year, input first, then process, then output."""
    forced = in_force(record)
    items = record.plan_items
    meetings = [a for a in record.activities if a.kind in MEETING_KINDS]
    counted = [a for a in record.activities if a.beneficiary_count is not None]
    results = [a for a in record.activities if a.results]
    activity = lambda a: _source("ActivityLogged", a.activity_id, a.start)
    return [
        _line(
            "input",
            "agreements_in_force",
            len(forced),
            [_source("AgreementSigned", a.agreement_id, a.signed_on) for a in forced],
            on=record.last_day.isoformat(),
        ),
        _line("input", "plan_items", len(items), [_source("ActivityPlanned", i.plan_id, i.recorded_on) for i in items]),
        _line(
            "input",
            "planned_budget",
            [{"currency": t.currency, "source": t.source, "amount": t.amount} for t in record.budget],
            [_source("ActivityPlanned", i.plan_id, i.recorded_on) for i in items if i.budget is not None],
        ),
        _line("process", "meetings_held", len(meetings), [activity(a) for a in meetings]),
        _line(
            "process",
            "contacts_current",
            len(record.contacts),
            [
                _source("ContactAssigned", c.get("contact_id"), record.contact_since.get(c.get("contact_id") or ""))
                for c in record.contacts
            ],
            on=record.last_day.isoformat(),
        ),
        _line(
            "output",
            "activities_realised",
            len(record.activities),
            [activity(a) for a in record.activities],
            plan_realised=len(record.plan["realised"]),
            realisation_rate=record.plan["realisation_rate"],
        ),
        _line("output", "beneficiaries", sum(a.beneficiary_count for a in counted), [activity(a) for a in counted]),
        _line("output", "results_recorded", len(results), [activity(a) for a in results]),
    ]


def scorecard(state: PartnershipState, year: int, rules: Rules) -> dict:
    """`{"year", "lines"}` of the partnership's scorecard for `year`."""
    return {"year": year, "lines": lines(year_record(state, year, rules))}
