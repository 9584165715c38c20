"""Who gets an alert (docs/alerts.md "Recipients"), one message per language.

Decision: contacts in different languages get one message per language, each in its own language
and each with a key of its own. The first group (the language of the first recipient, side
`indonesia` first) carries the alert key itself and the desk's copy; the others carry
`{key}/{language}`. So the alert key alone says whether the alert was queued.

A contact who reads Korean, Japanese or Chinese gets the renewal reminder and the dormancy warning
as a letter of its own, addressed to it by name (notifications/letters.py), under the key
`{key}/{language}/{contact_id}`; the other alerts reach such a contact in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from notifications import keys
from notifications.letters import LETTER_LANGUAGES, is_letter
from projections.partnership import PartnershipState
from projections.rules import Desk
from projections.status import contacts

DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en", *LETTER_LANGUAGES)
_SIDE_ORDER = {"indonesia": 0}


@dataclass(frozen=True, slots=True)
class Addressed:
    """One message of an alert: its key, language and addresses."""

    key: str
    language: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    contact: dict | None = None  # the one contact a letter is addressed to (ko, ja, zh)

    @property
    def recipients(self) -> list[str]:
        """Every address, To first."""
        return [*self.to, *self.cc]


def language_of(contact: dict, rule: str | None = None) -> str:
    """The contact's language for `rule`: `id` unless it asks for one we write in; English for a
    partner's language that `rule` has no letter in."""
    language = contact.get("language") or DEFAULT_LANGUAGE
    if language in LETTER_LANGUAGES and rule is not None and not is_letter(language, rule):
        return "en"
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _groups(people: list[tuple[str, str, dict | None]], rule: str | None) -> list[tuple[str, list[str], dict | None]]:
    """(group, addresses, the contact of a letter) in order of first appearance, each address once.

    A group is a language, or `{language}/{contact_id}` for a letter addressed to one contact.
    """
    groups: dict[str, list[str]] = {}
    letters: dict[str, dict] = {}
    seen = set()
    for language, address, contact in people:
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        group = language
        if contact is not None and rule is not None and is_letter(language, rule):
            group = f"{language}/{contact.get('contact_id')}"
            letters[group] = contact
        groups.setdefault(group, []).append(address)
    return [(group, to, letters.get(group)) for group, to in groups.items()]


def _split(key: str, groups: list[tuple[str, list[str], dict | None]], cc: list[str]) -> list[Addressed]:
    if not groups:
        # No contact with an address: the desk alone, or nobody (then queued as undeliverable).
        return [Addressed(key, DEFAULT_LANGUAGE, tuple(cc), ())]
    return [
        Addressed(
            keys.for_language(key, group, index == 0),
            group.split("/")[0],
            tuple(to),
            tuple(a for a in cc if a.lower() not in {t.lower() for t in to}) if index == 0 else (),
            contact,
        )
        for index, (group, to, contact) in enumerate(groups)
    ]


def for_partnership(
    key: str, state: PartnershipState, day: date, desk: Desk | None, rule: str | None = None
) -> list[Addressed]:
    """Every contact with an e-mail on `day`, side `indonesia` first, the desk's address in copy."""
    people = sorted(
        (c for c in contacts(state, day) if c.get("email")), key=lambda c: _SIDE_ORDER.get(c.get("side") or "", 1)
    )
    cc = [desk.email] if desk is not None and desk.email else []
    return _split(key, _groups([(language_of(c, rule), c["email"], c) for c in people], rule), cc)


def for_digest(key: str, desk: Desk, desk_contacts: list[dict], rule: str | None = None) -> list[Addressed]:
    """The desk's address and the contacts whose side is `desk`."""
    people: list[tuple[str, str, dict | None]] = [(DEFAULT_LANGUAGE, desk.email, None)] if desk.email else []
    people += [
        (language_of(c, rule), c["email"], c) for c in desk_contacts if c.get("side") == "desk" and c.get("email")
    ]
    return _split(key, _groups(people, rule), [])
