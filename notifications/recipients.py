"""Who gets an alert (docs/alerts.md "Recipients"), one message per language.

Decision: contacts in different languages get one message per language, each in its own language
and each with a key of its own. The first group (the language of the first recipient, side
`indonesia` first) carries the alert key itself and the desk's copy; the others carry
`{key}/{language}`. So the alert key alone says whether the alert was queued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from notifications import keys
from projections.partnership import PartnershipState
from projections.rules import Desk
from projections.status import contacts

DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")
_SIDE_ORDER = {"indonesia": 0}


@dataclass(frozen=True, slots=True)
class Addressed:
    """One message of an alert: its key, language and addresses."""

    key: str
    language: str
    to: tuple[str, ...]
    cc: tuple[str, ...]

    @property
    def recipients(self) -> list[str]:
        """Every address, To first."""
        return [*self.to, *self.cc]


def language_of(contact: dict) -> str:
    """The contact's language, `id` unless it asks for one we write in."""
    language = contact.get("language") or DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _groups(people: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(language, addresses) in order of first appearance, each address once."""
    groups: dict[str, list[str]] = {}
    seen = set()
    for language, address in people:
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        groups.setdefault(language, []).append(address)
    return list(groups.items())


def _split(key: str, groups: list[tuple[str, list[str]]], cc: list[str]) -> list[Addressed]:
    if not groups:
        # No contact with an address: the desk alone, or nobody (then queued as undeliverable).
        return [Addressed(key, DEFAULT_LANGUAGE, tuple(cc), ())]
    return [
        Addressed(
            keys.for_language(key, language, index == 0),
            language,
            tuple(to),
            tuple(a for a in cc if a.lower() not in {t.lower() for t in to}) if index == 0 else (),
        )
        for index, (language, to) in enumerate(groups)
    ]


def for_partnership(key: str, state: PartnershipState, day: date, desk: Desk | None) -> list[Addressed]:
    """Every contact with an e-mail on `day`, side `indonesia` first, the desk's address in copy."""
    people = sorted(
        (c for c in contacts(state, day) if c.get("email")), key=lambda c: _SIDE_ORDER.get(c.get("side") or "", 1)
    )
    cc = [desk.email] if desk is not None and desk.email else []
    return _split(key, _groups([(language_of(c), c["email"]) for c in people]), cc)


def for_digest(key: str, desk: Desk, desk_contacts: list[dict]) -> list[Addressed]:
    """The desk's address and the contacts whose side is `desk`."""
    people = [(DEFAULT_LANGUAGE, desk.email)] if desk.email else []
    people += [(language_of(c), c["email"]) for c in desk_contacts if c.get("side") == "desk" and c.get("email")]
    return _split(key, _groups(people), [])
