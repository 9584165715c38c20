"""What reads select partnerships on (desk, partner country, region), worked out from a state for its row."""

from __future__ import annotations

from projections.partnership import PartnershipState


def read_columns(state: PartnershipState) -> dict:
    """The columns reads select on, from the details as the record names them last."""
    details = dict(state.details)
    fixed = True
    for change in state.changes:
        for key, value in change.values.items():
            if key == "desk" or (key in ("partner", "indonesia") and _moves(key, value)):
                fixed = False
            if isinstance(value, dict):
                value = {**details.get(key, {}), **{k: v for k, v in value.items() if v is not None}}
            details[key] = value
    indonesia, partner = details.get("indonesia") or {}, details.get("partner") or {}
    return {
        "desk": details.get("desk") or None,
        "country": partner.get("country") or None,
        "province": _folded(indonesia.get("province")),
        "place": _folded(indonesia.get("name")),
        "fixed": fixed,
    }


def _moves(side: str, value) -> bool:
    watched = ("country",) if side == "partner" else ("province", "name")
    return not isinstance(value, dict) or any(value.get(k) is not None for k in watched)


def _folded(text: str | None) -> str | None:
    return text.casefold() if text else None
