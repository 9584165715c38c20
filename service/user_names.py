"""User names: one spelling per person, and none that could pass for another's or break the record.

A name is stored as Unicode NFKC with its outer spaces cut, and compared by its key (NFKC of the
casefolded name): `ADMIN1` is `admin1`. Characters a reader cannot see or a record cannot carry
(control, format such as U+200B, surrogates, private-use, unassigned and noncharacters, line and
paragraph separators) are refused, so a name accepted here is also a valid `meta.actor`.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 200

# Unicode general categories refused in a name, with the words the refusal uses.
_REFUSED = {
    "Cc": "a control character",
    "Cf": "an invisible format character",
    "Cs": "a lone surrogate",
    "Co": "a private-use character",
    "Cn": "an unassigned character or noncharacter",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


def normalise(name: str) -> str:
    """The stored spelling of a name: NFKC, outer spaces cut."""
    return unicodedata.normalize("NFKC", name).strip()


def name_key(name: str) -> str:
    """What two names are compared by: the same key is the same name, whatever the case."""
    return unicodedata.normalize("NFKC", normalise(name).casefold())


def name_problem(name: str) -> tuple[str, str] | None:
    """Why a (normalised) name is refused, as (reason key, English words), or None when it is fine."""
    if not name:
        return "users.err.name_empty", "must not be empty"
    for position, char in enumerate(name):
        category = unicodedata.category(char)
        if category in _REFUSED:
            where = f"U+{ord(char):04X} at {position + 1}"
            return "users.err.name_char", f"contains {_REFUSED[category]} ({where})"
    if len(name) > MAX_LENGTH:
        return "users.err.name_long", f"is {len(name)} characters long; at most {MAX_LENGTH} are allowed"
    return None


def bad_char(name: str) -> str:
    """The first refused character of a name as `U+XXXX` (for the page's message), or empty."""
    for char in name:
        if unicodedata.category(char) in _REFUSED:
            return f"U+{ord(char):04X}"
    return ""
