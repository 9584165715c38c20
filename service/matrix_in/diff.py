"""A later version of a matrix against the record: only what changed is kept, a row matched tolerantly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import contacts, details
from service.matrix_in.places import squeeze


def match_key(indonesia: str, partner: str) -> str:
    """The key two spellings of one partnership share ("Kota Bau-Bau"/"Bau-bau", "Provinsi Gyeonggi"/"Gyeonggi-do")."""
    partner_key = squeeze(partner)
    for suffix in ("do", "si", "gun", "gu", "shi", "ken"):
        if partner_key.endswith(suffix) and len(partner_key) > len(suffix) + 3:
            partner_key = partner_key[: -len(suffix)]
            break
    return f"{squeeze(indonesia)}|{partner_key}"


def state_key(state: PartnershipState, day: date, rules: Rules) -> str:
    """The matching key of a stored partnership, from its current details."""
    values = details(state, day, rules)
    return match_key(values.get("indonesia", {}).get("name", ""), values.get("partner", {}).get("name", ""))


def _same_text(text: str) -> str:
    return " ".join(text.casefold().split())


def changes(
    events: list[dict], state: PartnershipState, as_of: date, rules: Rules, texts: Sequence[str] = ()
) -> tuple[list[dict], list[str]]:
    """The row's events that the stored partnership does not hold yet, and the contacts kept though unnamed.

    A development item is new unless a note, or any text of the record (`texts`: an activity a
    reviewed note became, a signing's note), already says it.
    """
    kept: list[dict] = []
    current = details(state, as_of, rules)
    signed = {(a.document, a.signed_on): a for a in state.agreements}
    ids = {a.agreement_id for a in state.agreements}
    renamed: dict[str, str] = {}
    notes = {_same_text(n.value) for n in state.notes}
    said = [_same_text(text) for text in texts]
    assessed = [a for a in state.assessments if a.on <= as_of]
    status_now = assessed[-1].value if assessed else None
    stored_contacts = {c["contact_id"]: c for c in contacts(state, as_of)}
    named: set[str] = set()
    status_changed = False
    for event in events:
        kind, data = event["type"], event["data"]
        if kind == "PartnershipRegistered":
            if data.get("fields") and sorted(data["fields"]) != sorted(current.get("fields") or []):
                kept.append(_as(event, "PartnershipDetailsChanged", {"fields": data["fields"]}))
        elif kind == "AgreementSigned":
            stored = signed.get((data["document"], event["occurred_on"]))
            if stored is not None:
                renamed[data["agreement_id"]] = stored.agreement_id
                continue
            agreement_id = data["agreement_id"]
            n = 2
            while agreement_id in ids:
                agreement_id, n = f"{data['agreement_id']}-{n}", n + 1
            ids.add(agreement_id)
            renamed[data["agreement_id"]] = agreement_id
            kept.append({**event, "data": {**data, "agreement_id": agreement_id}})
        elif kind == "AgreementRenewed":
            agreement_id = renamed.get(data["agreement_id"], data["agreement_id"])
            stored = next((a for a in state.agreements if a.agreement_id == agreement_id), None)
            if stored is None or all(r.on != event["occurred_on"] for r in stored.renewals):
                kept.append({**event, "data": {**data, "agreement_id": agreement_id}})
        elif kind == "ContactAssigned":
            named.add(data["contact_id"])
            old = stored_contacts.get(data["contact_id"])
            if old is None or any(old.get(k) != data.get(k) for k in ("name", "phone", "email", "side")):
                kept.append(event)
        elif kind == "NoteAdded":
            text = _same_text(data["text"])
            if text not in notes and not any(text in known for known in said):
                kept.append(event)
        elif kind == "StatusAssessed":
            if data["status"] != status_now:
                status_changed = True
                kept.append(event)
        elif kind == "ExplorationStarted":
            continue  # kept below, with a new status of penjajakan only
        else:
            kept.append(event)
    if status_changed and any(e["type"] == "ExplorationStarted" for e in events):
        kept.insert(0, next(e for e in events if e["type"] == "ExplorationStarted"))
    unnamed = _removed(events, stored_contacts, named)
    kept[:0] = unnamed[0]
    return kept, unnamed[1]


def _removed(events: list[dict], stored: dict[str, dict], named: set[str]) -> tuple[list[dict], list[str]]:
    """ContactRemoved for the matrix's contacts a new version no longer names; those with mail are kept."""
    assigned = [e for e in events if e["type"] == "ContactAssigned"]
    if not assigned:
        return [], []  # an empty cell says nothing about who the contacts are
    side = assigned[0]["data"]["side"]
    removals: list[dict] = []
    kept: list[str] = []
    for contact_id, contact in stored.items():
        if contact_id in named or contact.get("side") != side:
            continue
        if contact.get("email"):
            kept.append(contact_id)  # a contact who receives the alerts was added on purpose
            continue
        base = assigned[0]
        removals.append(
            {
                **base,
                "type": "ContactRemoved",
                "data": {"contact_id": contact_id},
                "_key": f"{contact_id}|{base['_day']}",  # removed again in a later year: another fact
            }
        )
    return removals, kept


def _as(event: dict, type_: str, data: dict) -> dict:
    return {**event, "type": type_, "occurred_on": event["_day"], "data": data, "_key": f"{event['_day']}|{data!r}"}
