"""Who a yearly report is from: the letterhead, number, place and signer of the Indonesian party's government.

From the rules file's [regions."Name"] (projections/rules.py's Region); what it leaves out is
written from the party's registered name and level ("Kota Bandung": Pemerintah Kota Bandung,
signed in Bandung by the Wali Kota), and what cannot be known is left as dots for the bureau.
"""

from __future__ import annotations

from dataclasses import dataclass

from projections.rules import Rules

BLANK = "…………………"  # a space the bureau fills in by hand

# A party's level: the head of its government, and the word its name starts with (stripped for the place).
_HEADS = {"province": ("Gubernur", "Provinsi "), "city": ("Wali Kota", "Kota "), "regency": ("Bupati", "Kabupaten ")}


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The lines above and below a report: government, office, address, number, place and the signer."""

    government: str
    office: str
    address: str
    number: str
    place: str
    signer: str
    signer_name: str
    signer_id: str


def _government(name: str, level: str | None) -> str:
    if level == "province" and not name.startswith(("Provinsi", "D.I.", "Daerah")):
        return f"Pemerintah Provinsi {name}"
    if level == "province":
        return f"Pemerintah {'Daerah ' if name.startswith('D.I.') else ''}{name}"
    return f"Pemerintah {name}"


def letterhead(rules: Rules, indonesia: dict, issued_year: int, number: str | None = None) -> Letterhead:
    """The letterhead of the Indonesian party `indonesia` ({name, level, province}) on a report issued in `issued_year`."""
    name = indonesia.get("name") or indonesia.get("province") or BLANK
    level = indonesia.get("level")
    region = rules.region(name)
    head, prefix = _HEADS.get(level or "", ("Kepala Daerah", ""))
    bare = name.removeprefix(prefix) if prefix else name
    return Letterhead(
        government=region.government or _government(name, level),
        office=region.office or "Sekretariat Daerah",
        address=region.address or "",
        number=number or (region.number or f"{BLANK}/{BLANK}/{{year}}").format(year=issued_year),
        place=region.place or (bare if level in ("city", "regency") else BLANK),
        signer=region.signer or f"{head} {bare}",
        signer_name=region.signer_name or BLANK,
        signer_id=region.signer_id or BLANK,
    )
