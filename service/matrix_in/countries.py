"""Country names as the matrices write them ("Korea Selatan", "RRT", "Jepang") to ISO 3166-1 codes."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# What Babel's locale data does not say: abbreviations and older or shorter names in use.
SYNONYMS: dict[str, str] = {
    "RRT": "CN",
    "RRC": "CN",
    "REPUBLIK RAKYAT TIONGKOK": "CN",
    "REPUBLIK RAKYAT CINA": "CN",
    "CINA": "CN",
    "KORSEL": "KR",
    "KOREA": "KR",
    "REPUBLIK KOREA": "KR",
    "KORUT": "KP",
    "RDRK": "KP",
    "AS": "US",
    "USA": "US",
    "AMERIKA": "US",
    "FEDERASI RUSIA": "RU",
    "PALESTINA": "PS",
    "INGGRIS": "GB",
    "BRITANIA RAYA": "GB",
    "PERANCIS": "FR",
    "VIETNAM": "VN",
    "VIET NAM": "VN",
    "RDR LAOS": "LA",
    "LAOS": "LA",
    "TIMOR LESTE": "TL",
    "PERSATUAN EMIRAT ARAB": "AE",
    "PEA": "AE",
    "UEA": "AE",
    "SAUDI ARABIA": "SA",
    "BELANDA": "NL",
    "CEKO": "CZ",
    "REPUBLIK CEKO": "CZ",
    "TURKI": "TR",
    "TURKIYE": "TR",
    "SELANDIA BARU": "NZ",
    "PAPUA NUGINI": "PG",
    "HONG KONG": "HK",
    "MAKAU": "MO",
    "MACAU": "MO",
    "CHILI": "CL",
    "SLOWAKIA": "SK",
    "PANTAI GADING": "CI",
}


def normal(text: str) -> str:
    """Upper case ASCII words: accents and punctuation dropped."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^A-Za-z0-9]+", " ", text).upper().split())


@cache
def names() -> dict[str, str]:
    """Every known country name (Indonesian and English, from Babel, and SYNONYMS) -> its code."""
    from babel import Locale

    known: dict[str, str] = {}
    for lang in ("en", "id"):  # Indonesian last: its name wins where the two differ
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}:
                known[normal(name)] = code
                if "(" in name:  # "Myanmar (Burma)": each name alone too
                    outside, inside = name.split("(", 1)
                    known.setdefault(normal(outside), code)
                    known.setdefault(normal(inside), code)
    known.update({normal(k): v for k, v in SYNONYMS.items()})
    return known


def country_code(text: str) -> str | None:
    """The ISO code of a country name ("Tiongkok (RRT)" too), or None when the text names none."""
    found = _code(text)
    if found is None and "(" in text:
        outside = re.sub(r"\([^)]*\)", " ", text)
        inside = " ".join(re.findall(r"\(([^)]*)\)", text))
        found = _code(outside) or _code(inside)
    return found


def _code(text: str) -> str | None:
    key = normal(text)
    if not key:
        return None
    if key in names():
        return names()[key]
    if len(key) == 2 and key.isalpha() and key in set(names().values()):
        return key  # written as its code ("KR")
    return None


def find_country(text: str) -> str | None:
    """The code of a country named anywhere in `text` (a title: "… DENGAN MITRA NEGARA JEPANG"), longest name first."""
    padded = f" {normal(text)} "
    for name in sorted(names(), key=len, reverse=True):
        if len(name) > 3 and f" {name} " in padded and names()[name] != "ID":  # Indonesia is every matrix's own side
            return names()[name]
    return None


@cache
def country_name(code: str, lang: str = "id") -> str:
    """A code's name in Indonesian (Babel), for the export and the preview."""
    from babel import Locale

    return Locale.parse(lang).territories.get(code, code)
