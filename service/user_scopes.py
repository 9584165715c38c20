"""The desks and regions a user may be given: those the rules and the record know, never a typed one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from events.database import reading
from projections.schema import partnership_states
from service.auth import UserError

if TYPE_CHECKING:
    from service.bootstrap import Pantau

# Indonesia's 38 provinces (Law 2022 creating the four Papuan ones included), as the record spells
# them; provinces the record names otherwise are offered too.
PROVINCES = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Sumatera Selatan",
    "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta", "Jawa Barat", "Banten",
    "Jawa Tengah", "D.I. Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur",
    "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
    "Sulawesi Utara", "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan",
    "Sulawesi Tenggara", "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya",
    "Papua Selatan", "Papua Tengah", "Papua Pegunungan",
)  # fmt: skip


def _distinct(pantau: Pantau, column) -> list[str]:
    with reading(pantau.engine) as conn:
        return [v for v in conn.execute(sa.select(column).where(column.is_not(None)).distinct()).scalars() if v]


def known_desks(pantau: Pantau) -> list[str]:
    """Desk ids of the rules and of the partnerships recorded, sorted."""
    return sorted({d.id for d in pantau.rules.desks} | set(_distinct(pantau, partnership_states.c.desk)))


def known_regions(pantau: Pantau) -> list[str]:
    """Provinces: Indonesia's, and those the record names (its columns are casefolded), sorted."""
    spelled = {p.casefold(): p for p in PROVINCES}
    for folded in _distinct(pantau, partnership_states.c.province):
        spelled.setdefault(folded, folded.title())
    return sorted(spelled.values())


def checked_scope(pantau: Pantau, role: str, desk: str | None, region: str | None) -> tuple[str | None, str | None]:
    """(desk, region) as stored for the role: each one known (spelled as known), or UserError naming it."""
    desk, region = (desk or "").strip() or None, (region or "").strip() or None
    if desk is not None and desk not in known_desks(pantau):
        raise UserError(
            "desk", "users.err.desk_unknown", f"{desk!r} is not a desk of the rules or the record", value=desk
        )
    if region is not None:
        found = {r.casefold(): r for r in known_regions(pantau)}.get(region.casefold())
        if found is None:
            raise UserError("region", "users.err.region_unknown", f"{region!r} is not a known province", value=region)
        region = found
    return (desk if role == "desk" else None), (region if role == "regional" else None)
