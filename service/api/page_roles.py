"""What a user may do from the pages: whether they may write to a partnership, and each entry's actions."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import msgspec

from projections.agreements import written_until
from projections.partnership import PartnershipState
from projections.status import contacts, details
from service.api.i18n import translator
from service.auth import User
from service.bootstrap import Pantau


def may_write(pantau: Pantau, user: User | None, state: PartnershipState | None) -> bool:
    """Whether `user` may record facts on the partnership (the API's own rule, asked before a form is shown)."""
    if user is None or user.role == "viewer" or state is None:
        return False
    info = details(state, pantau.today(), pantau.rules)
    return user.may_write(info.get("desk"), (info.get("indonesia") or {}).get("province"))


def may_publish(pantau: Pantau, user: User | None, state: PartnershipState | None) -> bool:
    """Whether `user` may hold the partnership back from the public registry or restore it (docs/registry.md)."""
    return user is not None and user.role in ("admin", "desk") and may_write(pantau, user, state)


def may_register(user: User | None) -> bool:
    """Whether `user` may register partnerships at all (which ones: the API checks the desk or province)."""
    return user is not None and user.role != "viewer"


def activity_now(state: PartnershipState, activity_id: str) -> dict | None:
    """The activity's values as the fold holds them now: as logged, with every correction applied."""
    for activity in state.activities:
        if activity.activity_id == activity_id:
            return msgspec.structs.asdict(activity)
    return None


def actions(stream: str, events, state: PartnershipState, day) -> dict[str, list[tuple[str, str]]]:
    """For each timeline event id, what can be done with it: (i18n key of the label, address)."""
    retracted = {e.data.get("activity_id") for e in events if e.type == "ActivityRetracted"}
    ended = {a.agreement_id for a in state.agreements if a.terminated_on}
    assigned = {c["contact_id"] for c in contacts(state, day)}
    latest_contact = {e.data.get("contact_id"): e.id for e in events if e.type == "ContactAssigned"}
    base = f"/partnerships/{stream}"
    out: dict[str, list[tuple[str, str]]] = {}
    for event in events:
        data = event.data
        if event.type == "ActivityLogged" and data.get("activity_id") in retracted:
            out[event.id] = [("p.retracted", "")]  # said, not linked: nothing more to do with it
        elif event.type == "ActivityLogged":
            at = f"{base}/activities/{quote(data['activity_id'], safe='')}"
            out[event.id] = [("a.correct", f"{at}/correct"), ("a.retract", f"{at}/retract")]
        elif event.type == "AgreementSigned" and data.get("agreement_id") not in ended:
            at = f"{base}/agreements/{quote(data['agreement_id'], safe='')}"
            out[event.id] = [("a.renew", f"{at}/renew"), ("a.terminate", f"{at}/terminate")]
        elif (
            event.type == "ContactAssigned"
            and data.get("contact_id") in assigned
            and latest_contact.get(data.get("contact_id")) == event.id
        ):
            cid = quote(data["contact_id"], safe="")
            out[event.id] = [
                ("a.change", f"{base}/contacts/new?contact_id={cid}"),
                ("a.remove", f"{base}/contacts/{cid}/remove"),
            ]
    return out


def saved_notice(lang: str, saved: str, again: str) -> str | None:
    """The line confirming what a form stored, or that a repeated form stored nothing new."""
    t = translator(lang)
    if again:
        return t("form.again")
    said = t(f"saved.{saved}") if saved else None
    if said and said != f"saved.{saved}":
        return said  # what was stored, in a sentence of its own ("Kegiatan sudah dicatat.")
    return t("form.saved") if saved else None


def agreement_dates(state: PartnershipState, day: date) -> dict[str, tuple[str, str | None]]:
    """Each agreement's signing date and its end in force on `day` as written (None: worked out from a term)."""
    return {a.agreement_id: (a.signed_on, written_until(a, day)) for a in state.agreements}
