"""What an imported event records, in a few words for the preview table a person reads."""

from __future__ import annotations

from service.matrix_in.countries import country_name
from service.matrix_in.export import written

_SHORT = 120


def _cut(text: str) -> str:
    return text if len(text) <= _SHORT else text[: _SHORT - 1].rsplit(" ", 1)[0] + "…"


def describe(event: dict, t) -> str:
    """ "Dokumen ditandatangani: MoU, 26 April 2001", "Status: Aktif", "Catatan: …" in the translator's words."""
    kind, data = event["type"], event["data"]
    label = t(kind)
    if kind == "PartnershipRegistered":
        side, partner = data["indonesia"], data["partner"]
        detail = f"{side['name']} – {partner['name']} ({country_name(partner['country'])})"
    elif kind in ("AgreementSigned", "AgreementRenewed"):
        detail = f"{data.get('document', data['agreement_id'])}, {written(event['occurred_on'])}"
    elif kind == "StatusAssessed":
        detail = t(data["status"])
    elif kind == "NoteAdded":
        detail = _cut(data["text"])
    elif kind == "ContactAssigned":
        detail = ", ".join(data[k] for k in ("name", "phone", "email") if data.get(k))
    elif kind == "ContactRemoved":
        detail = data["contact_id"]
    elif kind == "PartnershipDetailsChanged":
        detail = ", ".join(data.get("fields") or [])
    else:
        detail = _cut(str(data.get("note") or ""))
    return f"{label}: {detail}" if detail else label
