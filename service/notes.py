"""The notes review: the queue with a proposal per note, and a person's accept or dismiss as events.

Nothing here writes without a person's command: a proposal is only shown. Accepting appends, in
one batch, the ActivityLogged (its `meta.note_id` names the note) and a NoteReviewed; the store
refuses the batch whole when the note is unknown or already reviewed (NoteReviewed declares that
it removes the note id, events/catalogue.py), so two people accepting at once store one activity.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from events import mapper
from events.dates import DateError, PartialDate
from events.errors import FieldError, InvalidEvent
from events.model import Event
from events.text import text_errors
from events.vocabulary import ACTIVITY_KINDS
from notifications.translations import format_day, translator
from projections.notes import (
    ACTIVITY,
    READING_WORDS,
    PendingNote,
    classify,
    pending,
    title,
)
from service.note_dates import note_date

NOTE_TYPES = ("NoteAdded", "NoteReviewed")


class NoteRefused(Exception):
    """A review that cannot be recorded: the note is unknown or already reviewed (409), or input is bad (422)."""

    def __init__(
        self, message: str, field: str, conflict: bool = False, code: str = "invalid", params: dict | None = None
    ):
        super().__init__(message)
        self.field, self.conflict = field, conflict
        self.code, self.params = code, params or {}  # the refusal's code (docs/refusals.md)


@dataclass(frozen=True, slots=True)
class Proposal:
    kind: str
    title: str
    occurred_on: str | None
    ends_on: str | None = None


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One unreviewed note with what the queue proposes and why."""

    note: PendingNote
    proposal: Proposal | None
    reading: str
    reason: str  # Bahasa Indonesia; reason_en in English
    reason_en: str

    def as_json(self) -> dict:
        """The item as `pantau notes review --format json` and the API give it."""
        proposal = None
        if self.proposal is not None:
            proposal = {
                "kind": self.proposal.kind,
                "title": self.proposal.title,
                "occurred_on": self.proposal.occurred_on,
            }
            if self.proposal.ends_on:
                proposal["ends_on"] = self.proposal.ends_on
        return {
            "event_id": self.note.event_id,
            "stream": self.note.stream,
            "text": self.note.text,
            "proposal": proposal,
            "reason": self.reason,
        }


def propose(note: PendingNote, filed: dict | None = None) -> QueueItem:
    """What the queue proposes for one note: an activity (kind, title, date when the text gives one) or nothing.

    `filed` is a proposal the partner filled in on its page (docs/partner.md): it is proposed as given.
    """
    if filed is not None:
        return QueueItem(
            note,
            Proposal(filed["kind"], filed["title"], filed["occurred_on"]),
            ACTIVITY,
            f"usulan mitra: {_kind(filed['kind'], 'id')}, {format_day(filed['occurred_on'], 'id')}",
            f"proposed by the partner: {_kind(filed['kind'], 'en')}, {format_day(filed['occurred_on'], 'en')}",
        )
    reading = classify(note.text)
    said_id, said_en = READING_WORDS[reading.reading]
    because = f" (“{reading.matched}”)" if reading.matched else ""
    if reading.reading != ACTIVITY:
        return QueueItem(note, None, reading.reading, f"{said_id}{because}", f"{said_en}{because}")
    when = note_date(note.text, note.recorded_on)
    proposal = Proposal(
        reading.kind or "other", title(note.text), when.occurred_on if when else None, when.ends_on if when else None
    )
    kind_id = f"jenis {_kind(reading.kind, 'id')}" + (
        f", dari kata “{reading.matched}”" if reading.matched else ", karena tidak ada kata yang menunjukkan jenisnya"
    )
    kind_en = f"kind {_kind(reading.kind, 'en')}" + (
        f" from “{reading.matched}”" if reading.matched else ", no word names its kind"
    )
    date_id = (
        f"tanggal dari teks: {format_day(when.occurred_on, 'id')}"
        if when
        else f"teks tidak menyebut tanggal; catatan dibuat {format_day(note.recorded_on, 'id')}, "
        "jadi kegiatannya terjadi paling lambat pada tanggal itu"
    )
    date_en = (
        f"date from the text: {format_day(when.occurred_on, 'en')}"
        if when
        else f"the text gives no date; recorded on {format_day(note.recorded_on, 'en')}, the latest the activity can be"
    )
    return QueueItem(note, proposal, ACTIVITY, f"{said_id}; {kind_id}; {date_id}", f"{said_en}; {kind_en}; {date_en}")


def _kind(kind: str | None, lang: str) -> str:
    """An activity kind in words ("pertukaran", not `exchange`)."""
    return translator(lang)(kind or "other").lower()


def queue(store, stream: str | None = None) -> list[QueueItem]:
    """Every unreviewed note (of one partnership, or all), with its proposal."""
    events = store.of_types(NOTE_TYPES, stream)
    filed = {e.id: _filed(e) for e in events if e.type == "NoteAdded"}
    return [propose(note, filed.get(note.event_id)) for note in pending(events)]


def _filed(event) -> dict | None:
    """The proposal a partner filled in (a `partner_report` note from its page), or None."""
    proposal = event.meta.get("proposal") if getattr(event.payload, "topic", None) == "partner_report" else None
    return proposal if isinstance(proposal, dict) and {"kind", "title", "occurred_on"} <= proposal.keys() else None


def _pending_note(store, event_id: str) -> PendingNote:
    event = store.get(event_id) if _is_uuid(event_id) else None
    if event is None or event.type != "NoteAdded":
        raise NoteRefused(f"note {event_id}: no such note", "event_id", conflict=True)
    for note in pending(store.of_types(NOTE_TYPES, event.stream)):
        if note.event_id == event_id:
            return note
    raise NoteRefused(f"note {event_id}: already reviewed", "event_id", conflict=True)


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


def _check_accepted_date(note, occurred_on: str | None) -> None:
    """NoteRefused unless the activity's date is a partial date no later than the note's recording."""
    if not occurred_on:
        raise NoteRefused(
            f"note {note.event_id}: occurred_on is required: the text gives no date; the note was "
            f"recorded on {note.recorded_on}, the latest the activity can be (a year is enough)",
            "occurred_on",
            code="required",
        )
    try:
        when = PartialDate.parse(occurred_on)
    except DateError as exc:
        raise NoteRefused(f"occurred_on: {exc}", "occurred_on", code=exc.code, params=exc.params) from None
    if when.first > note.recorded_on:
        raise NoteRefused(
            f"occurred_on: {occurred_on} is after {note.recorded_on}, when the note was recorded; "
            "the activity cannot be later",
            "occurred_on",
            code="after_note",
            params={"value": occurred_on, "recorded": note.recorded_on.isoformat()},
        )


def accept_events(
    store,
    event_id: str,
    today: date,
    actor: str,
    *,
    occurred_on: str | None = None,
    ends_on: str | None = None,
    kind: str | None = None,
    title_: str | None = None,
    max_length: int | None = None,
) -> list[Event]:
    """The two events that accept a note as an activity (not yet stored); NoteRefused when they cannot be."""
    note = _pending_note(store, event_id)
    filed = _filed(store.get(event_id))
    item = propose(note, filed)
    proposal = item.proposal
    kind = kind or (proposal.kind if proposal else None)
    if kind is None:
        said = f"note {event_id}: no activity is proposed ({item.reason}); give a kind"
        raise NoteRefused(said, "kind", code="required")
    if kind not in ACTIVITY_KINDS:
        said = f"kind: {kind!r} is not an activity kind ({', '.join(ACTIVITY_KINDS)})"
        raise NoteRefused(said, "kind", code="choice", params={"value": kind})
    if occurred_on is None and proposal is not None and proposal.occurred_on is not None:
        occurred_on, ends_on = proposal.occurred_on, ends_on or proposal.ends_on
    _check_accepted_date(note, occurred_on)
    assert occurred_on is not None  # checked just above
    activity_id = f"note-{event_id}"
    data = {
        "activity_id": activity_id,
        "kind": kind,
        "title": title_ or (proposal.title if proposal else title(note.text)),
        "description": note.text,
    }
    if ends_on:
        data["ends_on"] = ends_on
    if filed is not None and isinstance(filed.get("participants"), int):
        data["participants"] = filed["participants"]
    meta = {"actor": actor, "note_id": event_id, "source": "notes review"}
    return [
        _event(
            {"stream": note.stream, "type": "ActivityLogged", "occurred_on": occurred_on, "data": data, "meta": meta},
            today,
            max_length,
        ),
        _event(
            {
                "stream": note.stream,
                "type": "NoteReviewed",
                "occurred_on": today.isoformat(),
                "data": {"note_id": event_id, "outcome": "accepted", "activity_id": activity_id},
                "meta": {"actor": actor},
            },
            today,
        ),
    ]


def dismiss_events(
    store, event_id: str, today: date, actor: str, reason: str | None = None, *, max_length: int | None = None
) -> list[Event]:
    """The event that dismisses a note (not yet stored): it stays a note and leaves the queue."""
    note = _pending_note(store, event_id)
    data = {"note_id": event_id, "outcome": "dismissed"}
    if reason:
        data["reason"] = reason
    return [
        _event(
            {
                "stream": note.stream,
                "type": "NoteReviewed",
                "occurred_on": today.isoformat(),
                "data": data,
                "meta": {"actor": actor},
            },
            today,
            max_length,
        )
    ]


def _event(envelope: dict, today: date, max_length: int | None = None) -> Event:
    # The reviewer's words (a title, a reason) meet the same length limit as any recorded text.
    for problem in text_errors(envelope["data"], "data", max_length=max_length):
        raise _refused(problem)
    try:
        return mapper.from_dict(envelope, today)
    except InvalidEvent as exc:
        raise _refused(exc.errors[0]) from None


def _refused(problem: FieldError) -> NoteRefused:
    """The record's refusal of a review's event, said of the review's own field."""
    field = problem.field.removeprefix("data.")
    return NoteRefused(f"{field}: {problem.reason}", field, code=problem.code, params=problem.params)


def append_review(store, batch: list[Event]) -> list[Event]:
    """Store a review batch; a note reviewed meanwhile by someone else is refused whole, naming it."""
    try:
        return store.append(batch).events
    except InvalidEvent as exc:
        for problem in exc.errors:
            if problem.field == "data.note_id":
                note_id = batch[-1].data["note_id"]
                raise NoteRefused(f"note {note_id}: already reviewed", "event_id", conflict=True) from None
        raise
