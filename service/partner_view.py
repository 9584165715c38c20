"""What the partner's page shows of a partnership: the facts both sides know, and nothing of the desk's own.

Built as a whitelist from the folded record: names, documents and their ends, the activities on the
record (title, dates, kind), the renewal's dates ahead and the Indonesian side's steps, the names of
the Indonesian-side contact person and the desk, and activeness as the matrix shows it. Never notes,
drafts or their steps, mails, other partnerships, or any contact's e-mail or phone (docs/partner.md).
"""

from __future__ import annotations

from datetime import date, timedelta

from events.catalogue import APPROVAL_PATH
from notifications.alert_rules import AlertRules
from notifications.words import desk_name
from projections.agreements import IN_FORCE, written_until
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import contacts, details, status


def partner_contact(state: PartnershipState, contact_id: str, day: date) -> dict | None:
    """The partner-side contact of that id on `day`, or None (removed, unknown, or of another side)."""
    for contact in contacts(state, day):
        if contact.get("contact_id") == contact_id and contact.get("side") == "partner":
            return contact
    return None


def _agreements(state: PartnershipState, current, day: date) -> list[dict]:
    written = {a.agreement_id: a for a in state.agreements}
    out = []
    for a in current.agreements:
        agreement = written[a.agreement_id]
        out.append(
            {
                "document": a.document,
                "signed_on": agreement.signed_on,
                "valid_until": written_until(agreement, day) or (a.valid_until.isoformat() if a.valid_until else None),
                "state": a.state,
                "days_left": a.days_left,
            }
        )
    return out


def _renewal(current, day: date, alert_rules: AlertRules) -> list[dict]:
    """For each agreement in force with an end: when the renewal should start, and the end."""
    ahead = []
    lead = max(alert_rules.renewal_days, default=180)
    for a in current.agreements:
        if a.state != IN_FORCE or a.valid_until is None:
            continue
        start = a.valid_until - timedelta(days=lead)
        ahead.append({"document": a.document, "start": max(start, day), "ends": a.valid_until})
    return ahead


def view(state: PartnershipState, contact: dict, day: date, rules: Rules, alert_rules: AlertRules) -> dict:
    """Everything the partner page may show, as plain values."""
    info = details(state, day, rules)
    current = status(state, day, rules)
    assert current is not None  # a link opens only for a partnership registered by `day`
    activities = sorted(
        (a for a in state.activities if not a.retracted and a.start <= day), key=lambda a: a.start, reverse=True
    )
    return {
        "indonesia": info.get("indonesia", {}).get("name"),
        "partner": info.get("partner", {}).get("name"),
        "local_name": info.get("partner", {}).get("local_name"),
        "kind": info.get("kind"),
        "activeness": current.matrix_status,
        "stage": current.stage,
        "agreements": _agreements(state, current, day),
        "activities": [
            {"title": a.title, "occurred_on": a.occurred_on, "ends_on": a.ends_on, "kind": a.kind} for a in activities
        ],
        "renewal": _renewal(current, day, alert_rules),
        "steps": APPROVAL_PATH,
        "indonesian_contacts": [c["name"] for c in contacts(state, day) if c.get("side") == "indonesia"],
        "desk": desk_name(rules, info.get("desk")),
        "contact_name": contact.get("name"),
        "language": contact.get("language") or "id",
    }
