"""The monthly desk digest: what needs action first, then what was recorded in the month, then the matrix."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta

from notifications.alert_rules import AlertRules
from projections.activeness import TIDAK_AKTIF, last_activity_written
from projections.agreements import IN_FORCE, LAPSED, written_until
from projections.calendar import add_months
from projections.partnership import PartnershipState
from projections.pipeline import of_partnership
from projections.rules import Rules
from projections.status import ENDED, contacts, details, status

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
            out.append({"on": a.start, "what": "AgreementSigned", "detail": f"{a.document} {a.agreement_id}"})
        out += [
            {"on": r.start, "what": "AgreementRenewed", "detail": f"{a.document} {a.agreement_id}"}
            for r in a.renewals
            if inside(r.start)
        ]
        out += [
            {"on": t, "what": "AgreementTerminated", "detail": f"{a.document} {a.agreement_id}"}
            for t in a.terminated_on
            if inside(t)
        ]
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


def _written(current, recorded: dict, day: date) -> dict:
    # The digest shows an agreement's dates as written ("2026", "Nov 2026"), never a day nobody wrote.
    kept = recorded.get(current.agreement_id)
    if kept is None:
        return {}
    until = written_until(kept, day) if current.valid_until is not None else None
    return {"signed_written": kept.signed_on, "until_written": until or current.valid_until}


def desk_states(states: Sequence[PartnershipState], desk: str, day: date, rules: Rules) -> list[PartnershipState]:
    """The partnerships registered by `day` that the desk follows on `day`."""
    return list(_following(states, desk, day, rules))


def _following(states: Iterable[PartnershipState], desk: str, day: date, rules: Rules) -> Iterator[PartnershipState]:
    return (s for s in states if s.registered_on <= day and details(s, day, rules).get("desk") == desk)


def build(states: Iterable[PartnershipState], desk: str, month: date, rules: Rules, alert_rules: AlertRules) -> dict:
    """The digest's template context for `desk` and the month of `month`.

    `states` is gone through once and none is kept: a reader may hand them over a chunk at a time.
    """
    last = month_end(month)
    first = last.replace(day=1)
    horizon = add_months(last, alert_rules.horizon_months)
    rows, changes, ending, lapsed, dormant, stalled, desk_contacts = [], [], [], [], [], [], []
    for state in _following(states, desk, last, rules):
        info = details(state, last, rules)
        current = status(state, last, rules)
        assert current is not None  # _following keeps only partnerships registered by `last`
        people = contacts(state, last)
        desk_contacts += [c for c in people if c.get("side") == "desk"]
        label = name(info)
        notes = [n.value for n in state.notes if n.on <= last][-_NOTES_SHOWN:]
        recorded = {a.agreement_id: a for a in state.agreements}
        rows.append(
            {
                "stream": state.stream,
                "name": label,
                "indonesia": info.get("indonesia", {}).get("name", ""),
                "province": info.get("indonesia", {}).get("province", ""),
                "partner": info.get("partner", {}).get("name", ""),
                "country": info.get("partner", {}).get("country", ""),
                "kind": info.get("kind"),
                "stage": current.stage,
                "documents": [
                    {
                        "document": a.document,
                        "signed_on": a.signed_on,
                        "valid_until": a.valid_until,
                        "state": a.state,
                        **_written(a, recorded, last),
                    }
                    for a in current.agreements
                ],
                "computed": current.matrix_status,
                "published": current.assessed_status,
                "differs": current.differs,
                "why": why_of(current, rules),
                "notes": notes,
                "fields": list(info.get("fields") or []),
                "contacts": [{"name": c.get("name"), "email": c.get("email"), "phone": c.get("phone")} for c in people],
            }
        )
        changes += [{**change, "stream": state.stream, "name": label} for change in _recorded(state, first, last)]
        if current.stage == ENDED:
            continue
        for a in current.agreements:
            if a.state == IN_FORCE and a.valid_until is not None and a.valid_until <= horizon:
                ending.append(
                    {
                        "stream": state.stream,
                        "name": label,
                        "document": a.document,
                        "valid_until": a.valid_until,
                        "days_left": a.days_left,
                        **_written(a, recorded, last),
                    }
                )
            elif a.state == LAPSED:
                lapsed.append(
                    {
                        "stream": state.stream,
                        "name": label,
                        "document": a.document,
                        "valid_until": a.valid_until,
                        **_written(a, recorded, last),
                    }
                )
        stalled += [
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
            for s in of_partnership(state, last, rules)
            if s.stalled
        ]
        if current.activeness == TIDAK_AKTIF:
            dormant.append(
                {
                    "stream": state.stream,
                    "name": label,
                    "last_activity_on": current.last_activity_on,
                    "last_activity_written": last_activity_written(state, last, rules),
                }
            )
    rows.sort(key=lambda r: (r["province"], r["indonesia"], r["partner"]))
    for number, row in enumerate(rows, 1):
        row["number"] = number
    return {
        "desk": {"id": desk, "name": rules.desk(desk).name or desk},
        "month": first,
        "as_of": last,
        "horizon": horizon,
        "rows": rows,
        "changes": sorted(changes, key=lambda c: (c["on"], c["name"])),
        "ending": sorted(ending, key=lambda e: (e["valid_until"], e["name"])),
        "lapsed": sorted(lapsed, key=lambda e: (e["valid_until"], e["name"])),
        "dormant": sorted(dormant, key=lambda e: e["name"]),
        "stalled": sorted(stalled, key=lambda e: (-e["days_waiting"], e["name"], e["draft_id"])),
        "horizon_months": alert_rules.horizon_months,
        "desk_contacts": desk_contacts,
        "width": 900,
    }
