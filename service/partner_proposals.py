"""Activities a partner proposes on its page: read, refused by class, or turned into a note for review.

A proposal never becomes a record by itself: it is a `NoteAdded` with topic `partner_report`, the
proposal filled in under `meta.proposal`, in the desk's review queue (docs/partner.md,
docs/notes-review.md). Refusals are classes (`reason` keys of the partner's catalogues), never
English sentences; a refused proposal stores nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import get_args

from events import mapper
from events.catalogue import ActivityKind
from events.dates import PartialDate
from events.errors import InvalidEvent
from events.model import Event
from events.text import text_errors

KINDS = get_args(ActivityKind)
SOURCE = "partner page"
_NS = uuid.UUID("0f8a4f52-3c1e-4d8e-9a55-7e2b1c6d9f10")


@dataclass(frozen=True, slots=True)
class ProposalRules:
    """What a proposal may be (rules as data): how many a key may send a day, how long, how old."""

    per_day: int = 3
    title_max: int = 200
    description_max: int = 2000
    participants_max: int = 100_000
    oldest_years: int = 10


RULES = ProposalRules()

# A date as the partner writes it: 2024-05-02, 2024.5.2, 2024/5, 2024年5月2日, 2024년 5월 2일, 2024.
_WRITTEN = re.compile(
    r"^(\d{4})(?:\s*[-./年년]\s*(\d{1,2})(?:\s*[-./月월]\s*(\d{1,2})\s*[日일]?|\s*[月월])?)?\s*[.年년]?\Z"
)
# Markup or script in any field: tags, entities, script addresses, event handlers.
_MARKUP = re.compile(r"[<>]|&#?\w+;|javascript:|data:text|\bon\w+\s*=", re.IGNORECASE)
_FORM_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}\Z")


class ProposalRefused(Exception):
    """A proposal that cannot be taken: each field with its refusal class (a catalogue key)."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(", ".join(f"{field}: {reason}" for field, reason in problems.items()))
        self.problems = problems


def valid_form_key(form_key: str) -> bool:
    """Whether a form key is one the page could have given (random, URL-safe, 16 to 64 characters)."""
    return _FORM_KEY.match(form_key) is not None


def written_date(text: str) -> str | None:
    """The date as the record writes it (YYYY, YYYY-MM, YYYY-MM-DD), or None when it is not one."""
    found = _WRITTEN.match(text.strip())
    if found is None:
        return None
    year, month, day = found.groups()
    parts = [year] + [f"{int(p):02d}" for p in (month, day) if p]
    try:
        return str(PartialDate.parse("-".join(parts)))
    except ValueError:
        return None


def _date_problem(text: str, today: date, rules: ProposalRules) -> tuple[str | None, str | None]:
    if not text.strip():
        return None, "partner.refuse.required"
    written = written_date(text)
    if written is None:
        return None, "partner.refuse.not_a_date"
    when = PartialDate.parse(written)
    if when.first > today:
        return None, "partner.refuse.future"
    if when.last.year < today.year - rules.oldest_years:
        return None, "partner.refuse.far_past"
    return written, None


def read(form: dict[str, str], today: date, max_text: int, rules: ProposalRules = RULES) -> dict:
    """The proposal's values from the form; ProposalRefused naming each bad field's class."""
    problems: dict[str, str] = {}
    for field, value in form.items():
        if _MARKUP.search(value):
            problems[field] = "partner.refuse.markup"
        elif any(p for p in text_errors(value, max_length=max_text)):
            problems[field] = "partner.refuse.text"
    occurred_on, problem = _date_problem(form.get("occurred_on", ""), today, rules)
    if problem:
        problems.setdefault("occurred_on", problem)
    kind = form.get("kind", "")
    if kind not in KINDS:
        problems.setdefault("kind", "partner.refuse.kind")
    title = " ".join(form.get("title", "").split())
    if not title:
        problems.setdefault("title", "partner.refuse.required")
    elif len(title) > rules.title_max:
        problems.setdefault("title", "partner.refuse.too_long")
    description = form.get("description", "").strip()
    if len(description) > rules.description_max:
        problems["description"] = "partner.refuse.too_long"  # a 50 KB text says so, whatever else it holds
    participants = form.get("participants", "").strip()
    if participants and not _count(participants, rules):
        problems.setdefault("participants", "partner.refuse.participants")
    if not valid_form_key(form.get("form_key", "")):
        problems.setdefault("form_key", "partner.refuse.form")
    if problems:
        raise ProposalRefused(problems)
    proposal: dict[str, str | int | None] = {"occurred_on": occurred_on, "kind": kind, "title": title}
    if description:
        proposal["description"] = description
    if participants:
        proposal["participants"] = int(participants)
    return proposal


def _count(text: str, rules: ProposalRules) -> bool:
    """Whether the text is a number of participants: ASCII digits, within the rules' bound."""
    return text.isascii() and text.isdigit() and int(text) <= rules.participants_max


def event_id(stream: str, contact_id: str, form_key: str) -> str:
    """The note's id: one form (its key) makes one note however often it is sent."""
    return str(uuid.uuid5(_NS, f"{stream}|{contact_id}|{form_key}"))


def note_event(stream: str, contact: dict, form_key: str, proposal: dict, today: date) -> Event:
    """The NoteAdded of a proposal, dated the day it is received."""
    text = proposal["title"]
    if proposal.get("description"):
        text = f"{text} — {proposal['description']}"
    envelope = {
        "id": event_id(stream, contact["contact_id"], form_key),
        "stream": stream,
        "type": "NoteAdded",
        "occurred_on": today.isoformat(),
        "data": {"text": text, "topic": "partner_report"},
        "meta": {"source": SOURCE, "partner_contact": contact["contact_id"], "proposal": proposal},
    }
    try:
        return mapper.from_dict(envelope, today)
    except InvalidEvent as exc:
        raise ProposalRefused({"title": "partner.refuse.text"}) from exc


def _theirs(event: Event, contact_id: str) -> bool:
    return event.type == "NoteAdded" and event.meta.get("partner_contact") == contact_id


def sent_on(events, contact_id: str, day: date) -> int:
    """How many proposals the contact's page sent on `day`."""
    return sum(1 for e in events if _theirs(e, contact_id) and e.occurred_on.first == day)


def proposals_of(events, contact_id: str) -> list[dict]:
    """The contact's proposals, newest first, each with its state: received, recorded or not recorded."""
    reviews = {e.payload.note_id: e.payload.outcome for e in events if e.type == "NoteReviewed"}
    states = {None: "received", "accepted": "recorded", "dismissed": "not_recorded"}
    out = []
    for e in events:
        if _theirs(e, contact_id) and isinstance(e.meta.get("proposal"), dict):
            p = e.meta["proposal"]
            out.append(
                {
                    "received_on": e.occurred_on.first,
                    "occurred_on": p.get("occurred_on"),
                    "kind": p.get("kind"),
                    "title": p.get("title"),
                    "participants": p.get("participants"),
                    "state": states[reviews.get(e.id)],
                }
            )
    return sorted(out, key=lambda p: p["received_on"], reverse=True)
