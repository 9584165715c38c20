"""The monthly desk digest: what needs action first, then what was recorded in the month, then the matrix."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from notifications.alert_rules import AlertRules
from notifications.links import Links
from notifications.words import desk_name
from projections.activeness import TIDAK_AKTIF, last_activity_written
from projections.agreements import IN_FORCE, LAPSED
from projections.calendar import add_months
from projections.matrix_row import MatrixRow, matrix_order, matrix_row
from projections.partnership import PartnershipState
from projections.pipeline import of_partnership
from projections.rules import Rules
from projections.status import ENDED, Status, contacts, details, status

_NOTES_SHOWN = 3


def month_end(month: date) -> date:
    """The last day of `month`'s month."""
    return add_months(month.replace(day=1), 1) - timedelta(days=1)


def name(info: dict) -> str:
    """`Kota Bandung – Seoul`: how people name a partnership."""
    return f"{info.get('indonesia', {}).get('name', '?')} – {info.get('partner', {}).get('name', '?')}"


def _recorded(state: PartnershipState, first: date, last: date) -> list[dict]:
    """What the record dates within [first, last], as (day, what, detail) rows; `what` is the event type.

    The folded record answers, not the events: a type the fold keeps in the state is listed here
    (its words come from notifications.words).
    """

    def inside(day: date) -> bool:
        return first <= day <= last

    out = []
    out += [
        {"on": a.start, "what": "ActivityLogged", "kind": a.kind, "detail": a.title or a.activity_id}
        for a in state.activities
        if inside(a.start) and not a.retracted
    ]
    for a in state.agreements:
        if inside(a.start):
            out.append({"on": a.start, "what": "AgreementSigned", "detail": a.document})
        out += [
            {"on": r.start, "what": "AgreementRenewed", "detail": a.document} for r in a.renewals if inside(r.start)
        ]
        out += [{"on": t, "what": "AgreementTerminated", "detail": a.document} for t in a.terminated_on if inside(t)]
    out += [{"on": d, "what": "ExplorationStarted", "detail": ""} for d in state.explorations if inside(d)]
    out += [{"on": n.on, "what": "NoteAdded", "detail": n.value} for n in state.notes if inside(n.on)]
    out += [
        {"on": s.on, "what": "StatusAssessed", "status": s.value, "detail": ""}
        for s in state.assessments
        if inside(s.on)
    ]
    out += [
        {
            "on": c.on,
            "what": "ContactAssigned" if c.contact is not None else "ContactRemoved",
            "detail": (c.contact or {}).get("name", c.contact_id),
        }
        for c in state.contacts
        if inside(c.on)
    ]
    out += [{"on": d, "what": "PartnershipEnded", "detail": ""} for d in state.ended_on if inside(d)]
    if inside(state.registered_on):
        out.append({"on": state.registered_on, "what": "PartnershipRegistered", "detail": ""})
    return out


def why_of(current, rules: Rules) -> dict:
    """What the `explain` filter of the mail templates says a status rests on."""
    return {
        "explanation": current.explanation,
        "activeness": current.activeness,
        "active_months": rules.active_months,
        "quiet_months": rules.quiet_months,
    }


def desk_states(states: Sequence[PartnershipState], desk: str, day: date, rules: Rules) -> list[PartnershipState]:
    """The partnerships registered by `day` that the desk follows on `day`."""
    return list(_following(states, desk, day, rules))


def _following(states: Iterable[PartnershipState], desk: str, day: date, rules: Rules) -> Iterator[PartnershipState]:
    return (s for s in states if s.registered_on <= day and details(s, day, rules).get("desk") == desk)


@dataclass(frozen=True, slots=True)
class _Month:
    """The days a digest speaks of: its month, the horizon of agreements ending, the cut of old lapses."""

    first: date
    last: date
    horizon: date
    old_before: date  # agreements lapsed before this day stand in one line


@dataclass(slots=True)
class _Found:
    """What the digest gathers from its desk's partnerships, one partnership at a time."""

    rows: list[tuple[tuple, dict]] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    ending: list[dict] = field(default_factory=list)
    lapsed: list[dict] = field(default_factory=list)
    old_lapsed: list[dict] = field(default_factory=list)
    dormant: list[dict] = field(default_factory=list)
    stalled: list[dict] = field(default_factory=list)
    desk_contacts: list[dict] = field(default_factory=list)


def build(states: Iterable[PartnershipState], desk: str, month: date, rules: Rules, alert_rules: AlertRules) -> dict:
    """The digest's template context for `desk` and the month of `month`.

    `states` is gone through once and none is kept: a reader may hand them over a chunk at a time.
    """
    last = month_end(month)
    first = last.replace(day=1)
    cut = date(first.year - alert_rules.digest_lapsed_years, 1, 1)
    days = _Month(first, last, add_months(last, alert_rules.horizon_months), cut)
    found = _Found()
    for state in _following(states, desk, last, rules):
        _gather(found, state, days, rules)
    return _context(found, desk, days, rules, alert_rules)


def _gather(found: _Found, state: PartnershipState, days: _Month, rules: Rules) -> None:
    """Adds one partnership's matrix row, changes of the month and what needs action to `found`."""
    current = status(state, days.last, rules)
    row = matrix_row(0, state, days.last, rules, current)
    assert current is not None and row is not None  # _following keeps only partnerships registered by then
    found.desk_contacts += [c for c in contacts(state, days.last) if c.get("side") == "desk"]
    label = f"{row.indonesia or '?'} – {row.partner or '?'}"
    notes = row.developments[-_NOTES_SHOWN:]
    found.rows.append(
        (matrix_order(row), {**vars(row), "name": label, "developments": notes, "why": why_of(current, rules)})
    )
    found.changes += [{**c, "stream": state.stream, "name": label} for c in _recorded(state, days.first, days.last)]
    if current.stage == ENDED:
        return
    _agreements(found, current, row, label, days)
    found.stalled += [
        {
            "stream": state.stream,
            "name": label,
            "draft_id": s.draft_id,
            "document": s.document,
            "waiting_for": s.waiting_for,
            "since": s.since,
            "days_waiting": s.days_waiting,
            "returned": s.returned,
        }
        for s in of_partnership(state, days.last, rules)
        if s.stalled
    ]
    if current.activeness == TIDAK_AKTIF:
        written = last_activity_written(state, days.last, rules)
        found.dormant.append(
            {
                "stream": state.stream,
                "name": label,
                "last_activity_on": current.last_activity_on,
                "last_activity_written": written,
            }
        )


def _agreements(found: _Found, current: Status, row: MatrixRow, label: str, days: _Month) -> None:
    """The partnership's agreements ending within the horizon, lapsed lately, lapsed long ago."""
    # The row's agreements are the status's, in its order, with the dates as written ("2026").
    for a, shown in zip(current.agreements, row.agreements, strict=True):
        item = {
            "stream": row.stream,
            "name": label,
            "document": a.document,
            "valid_until": a.valid_until,
            "signed_written": shown.signed_written,
            "until_written": shown.until_written,
        }
        if a.state == IN_FORCE and a.valid_until is not None and a.valid_until <= days.horizon:
            found.ending.append({**item, "days_left": a.days_left})
        elif a.state == LAPSED and a.valid_until is not None and a.valid_until < days.old_before:
            found.old_lapsed.append(item)
        elif a.state == LAPSED:
            found.lapsed.append(item)


def _context(found: _Found, desk: str, days: _Month, rules: Rules, alert_rules: AlertRules) -> dict:
    """The template context from what was gathered: each list in its order, the rows numbered."""
    rows = [row for _, row in sorted(found.rows, key=lambda pair: pair[0])]
    for number, row in enumerate(rows, 1):
        row["no"] = number
    return {
        "desk": {"id": desk, "name": desk_name(rules, desk)},
        "month": days.first,
        "as_of": days.last,
        "horizon": days.horizon,
        "rows": rows,
        "changes": sorted(found.changes, key=lambda c: (c["on"], c["name"])),
        "ending": sorted(found.ending, key=lambda e: (e["valid_until"], e["name"])),
        "lapsed": sorted(found.lapsed, key=lambda e: (e["valid_until"], e["name"])),
        "old_lapsed": {"count": len(found.old_lapsed), "before": days.old_before},
        "dormant": sorted(found.dormant, key=lambda e: e["name"]),
        "stalled": sorted(found.stalled, key=lambda e: (-e["days_waiting"], e["name"], e["draft_id"])),
        "horizon_months": alert_rules.horizon_months,
        "desk_contacts": found.desk_contacts,
        "links": Links(alert_rules.base_url),
    }
