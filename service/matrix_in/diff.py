"""A later version of a matrix against the record: only what changed is kept, a row matched tolerantly."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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


@dataclass
class _Stored:
    """What the stored partnership already holds, and what comparing a row's events has learnt so far."""

    state: PartnershipState
    current: dict
    notes: set[str]
    said: list[str]
    status_now: str | None
    contacts: dict[str, dict]
    signed: dict[tuple, Any]
    ids: set[str]
    renamed: dict[str, str] = field(default_factory=dict)
    named: set[str] = field(default_factory=set)
    status_changed: bool = False


def _stored(state: PartnershipState, as_of: date, rules: Rules, texts: Sequence[str]) -> _Stored:
    assessed = [a for a in state.assessments if a.on <= as_of]
    return _Stored(
        state=state,
        current=details(state, as_of, rules),
        notes={_same_text(n.value) for n in state.notes},
        said=[_same_text(text) for text in texts],
        status_now=assessed[-1].value if assessed else None,
        contacts={c["contact_id"]: c for c in contacts(state, as_of)},
        signed={(a.document, a.signed_on): a for a in state.agreements},
        ids={a.agreement_id for a in state.agreements},
    )


def _registered(event: dict, known: _Stored) -> dict | None:
    fields = event["data"].get("fields")
    if fields and sorted(fields) != sorted(known.current.get("fields") or []):
        return _as(event, "PartnershipDetailsChanged", {"fields": fields})
    return None


def _signed(event: dict, known: _Stored) -> dict | None:
    data = event["data"]
    stored = known.signed.get((data["document"], event["occurred_on"]))
    if stored is not None:
        known.renamed[data["agreement_id"]] = stored.agreement_id
        return None
    agreement_id, n = data["agreement_id"], 2
    while agreement_id in known.ids:  # another agreement of the record holds the id: the row's gets a new one
        agreement_id, n = f"{data['agreement_id']}-{n}", n + 1
    known.ids.add(agreement_id)
    known.renamed[data["agreement_id"]] = agreement_id
    return {**event, "data": {**data, "agreement_id": agreement_id}}


def _renewed(event: dict, known: _Stored) -> dict | None:
    data = event["data"]
    agreement_id = known.renamed.get(data["agreement_id"], data["agreement_id"])
    stored = next((a for a in known.state.agreements if a.agreement_id == agreement_id), None)
    if stored is None or all(r.on != event["occurred_on"] for r in stored.renewals):
        return {**event, "data": {**data, "agreement_id": agreement_id}}
    return None


def _contact(event: dict, known: _Stored) -> dict | None:
    data = event["data"]
    known.named.add(data["contact_id"])
    old = known.contacts.get(data["contact_id"])
    if old is None or any(old.get(k) != data.get(k) for k in ("name", "phone", "email", "side")):
        return event
    return None


def _note(event: dict, known: _Stored) -> dict | None:
    text = _same_text(event["data"]["text"])
    if text not in known.notes and not any(text in said for said in known.said):
        return event
    return None


def _assessed(event: dict, known: _Stored) -> dict | None:
    if event["data"]["status"] != known.status_now:
        known.status_changed = True
        return event
    return None


def _later(event: dict, known: _Stored) -> dict | None:
    return None  # kept by `changes` afterwards, with a new status of penjajakan only


# How each type of a row's events is compared with the record; a type not named is always new.
_COMPARED: dict[str, Callable[[dict, _Stored], dict | None]] = {
    "PartnershipRegistered": _registered,
    "AgreementSigned": _signed,
    "AgreementRenewed": _renewed,
    "ContactAssigned": _contact,
    "NoteAdded": _note,
    "StatusAssessed": _assessed,
    "ExplorationStarted": _later,
}


def changes(
    events: list[dict], state: PartnershipState, as_of: date, rules: Rules, texts: Sequence[str] = ()
) -> tuple[list[dict], list[str]]:
    """The row's events that the stored partnership does not hold yet, and the contacts kept though unnamed.

    A development item is new unless a note, or any text of the record (`texts`: an activity a
    reviewed note became, a signing's note), already says it.
    """
    known = _stored(state, as_of, rules, texts)
    kept: list[dict] = []
    for event in events:
        compare = _COMPARED.get(event["type"])
        new = event if compare is None else compare(event, known)
        if new is not None:
            kept.append(new)
    started = next((e for e in events if e["type"] == "ExplorationStarted"), None)
    if known.status_changed and started is not None:
        kept.insert(0, started)
    removals, unnamed = _removed(events, known.contacts, known.named)
    return removals + kept, unnamed


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
