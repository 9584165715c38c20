"""What a stream allows next: registered first, no ids reused, no correction of nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from events.errors import FieldError
from events.model import Event

# type -> (data key, which id set it must name)
_NAMES = {
    "ActivityCorrected": ("activity_id", "activities"),
    "ActivityRetracted": ("activity_id", "activities"),
    "AgreementRenewed": ("agreement_id", "agreements"),
    "AgreementTerminated": ("agreement_id", "agreements"),
    "ContactRemoved": ("contact_id", "contacts"),
}
_CREATES = {"ActivityLogged": ("activity_id", "activities"),
            "AgreementSigned": ("agreement_id", "agreements")}
# The events that change what check() looks at, and the id each one carries (None: no id).
SHAPING = {"PartnershipRegistered": None, "ActivityLogged": "activity_id",
           "AgreementSigned": "agreement_id", "ContactAssigned": "contact_id", "ContactRemoved": "contact_id"}


@dataclass(slots=True)
class StreamFacts:
    """The ids a stream holds so far; enough to judge whether the next event fits."""

    version: int = 0
    registered: bool = False
    activities: set[str] = field(default_factory=set)
    agreements: set[str] = field(default_factory=set)
    contacts: set[str] = field(default_factory=set)

    def copy(self) -> StreamFacts:
        """An independent copy, to advance without touching the original."""
        return StreamFacts(self.version, self.registered, set(self.activities), set(self.agreements),
                           set(self.contacts))

    def check(self, event: Event) -> list[FieldError]:
        """Reasons the event cannot follow this stream's history (empty when it can)."""
        if event.type == "PartnershipRegistered":
            if self.registered:
                return [FieldError("type", f"stream {event.stream!r} is already registered")]
            return []
        if not self.registered:
            return [FieldError("stream", f"partnership {event.stream!r} is not registered; "
                               "its first event must be PartnershipRegistered")]
        if event.type in _NAMES:
            key, kind = _NAMES[event.type]
            value = getattr(event.payload, key)
            if value not in getattr(self, kind):
                return [FieldError(f"data.{key}", f"{value!r} is not in this partnership's record")]
        if event.type in _CREATES:
            key, kind = _CREATES[event.type]
            value = getattr(event.payload, key)
            if value in getattr(self, kind):
                return [FieldError(f"data.{key}", f"{value!r} is already in this partnership's record")]
        return []

    def advance(self, event: Event) -> None:
        """Take an accepted event into account."""
        self.version += 1
        if event.type in SHAPING:
            key = SHAPING[event.type]
            self.take(event.type, getattr(event.payload, key) if key else None)

    def take(self, type_name: str, value: str | None) -> None:
        """Note a stored event of a SHAPING type, given the id it carries."""
        if type_name == "PartnershipRegistered":
            self.registered = True
        elif type_name in _CREATES:
            getattr(self, _CREATES[type_name][1]).add(value)
        elif type_name == "ContactAssigned":
            self.contacts.add(value)
        else:
            self.contacts.discard(value)
