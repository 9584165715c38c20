"""Event catalogue 1.1 (v1 and the additions of docs/lifecycle.md): one frozen, validated payload type per event type, under its stable name."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, NamedTuple, get_args

from msgspec import Meta, Struct

from events.errors import FieldError

# Patterns end in \Z, not $: `$` also matches before a trailing newline ("KR\n").
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"  # ASCII digits: \d takes any script's
SLUG = r"^[a-z0-9][a-z0-9-]{2,79}\Z"  # a partnership's id (events/vocabulary.STREAM_PATTERN)
DESK_PATTERN = r"^[a-z0-9][a-z0-9-]{1,79}\Z"
COUNTRY_PATTERN = r"^[A-Z]{2}\Z"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z"

Text = Annotated[str, Meta(min_length=1)]
Id = Annotated[str, Meta(min_length=1, max_length=120)]
DateText = Annotated[str, Meta(pattern=PARTIAL_DATE)]
Country = Annotated[str, Meta(pattern=COUNTRY_PATTERN)]
DeskId = Annotated[str, Meta(pattern=DESK_PATTERN)]
Email = Annotated[str, Meta(pattern=EMAIL_PATTERN)]
Years = Annotated[int, Meta(ge=1, le=100)]

PartnershipKind = Literal["sister_province", "sister_city"]
IndonesiaLevel = Literal["province", "city", "regency"]
Document = Literal["LoI", "MoU", "MoA", "IA", "ActionPlan", "JointCommunique", "Other"]
ActivityKind = Literal[
    "correspondence",
    "video_call",
    "meeting",
    "working_group",
    "visit",
    "exchange",
    "training",
    "scholarship",
    "grant",
    "technical_assistance",
    "festival",
    "forum",
    "other",
]
Direction = Literal["outbound", "inbound", "joint"]
Mode = Literal["in_person", "virtual"]
Side = Literal["indonesia", "partner", "desk"]
# The languages a contact's mail is written in: `zh` is simplified Chinese (docs/partner.md).
Language = Literal["id", "en", "ko", "ja", "zh"]
# The seven steps of the domestic approval path in their order (docs/lifecycle.md), then `other`.
ApprovalStep = Literal[
    "kajian", "dprd", "interministerial", "kemlu", "kemlu_confirmation", "mendagri", "full_powers", "other"
]
APPROVAL_PATH = tuple(step for step in get_args(ApprovalStep) if step != "other")
ApprovalOutcome = Literal["submitted", "approved", "returned", "rejected"]
Initiator = Literal["indonesia", "partner", "kemlu"]
# `partner_report`: an activity the partner proposed on its page (docs/partner.md), for the desk's review.
NoteTopic = Literal["general", "obstacle", "follow_up", "partner_report"]
Amount = Annotated[float, Meta(ge=0)]  # whole rupiah arrive as int and are accepted as float
CurrencyCode = Annotated[str, Meta(pattern=r"^[A-Z]{3}\Z")]
# Any year of the calendar: which years a plan may name is the plan rules' (events/plan_rules.py),
# within the dates' own 1945 to +100 years (events/dates.py); stored plans are never re-judged.
PlanYear = Annotated[int, Meta(ge=1, le=9999)]
Count = Annotated[int, Meta(ge=0)]
# How active a partnership is (projections/activeness.py), and the status a person may assess.
Activeness = Literal["aktif", "kurang_aktif", "tidak_aktif"]
AssessedStatus = Literal[Activeness, "penjajakan"]


class IdUse(NamedTuple):
    """How one payload field uses an id that the stream keeps (see events/invariants.py).

    `use` is one of: `creates` (a new id, never used before in the stream), `assigns` (added or
    replaced: contacts are changed by assigning them again), `refers` (must be held now),
    `removes` (must be held now; it is not held afterwards, and can never be created again).
    A field whose value is absent (an optional reference) is not checked.
    """

    field: str
    kind: str
    use: Literal["creates", "assigns", "refers", "removes"]
    # True: the id is the event's own envelope `id` (a note is named by the event that added it),
    # not a field of `data`; `field` is then "id".
    envelope: bool = False


def creates(field: str, kind: str) -> IdUse:
    """The field names a new id of `kind`."""
    return IdUse(field, kind, "creates")


def creates_own_id(kind: str) -> IdUse:
    """The event's own envelope id names a new id of `kind` (for facts that have no id in `data`)."""
    return IdUse("id", kind, "creates", envelope=True)


def assigns(field: str, kind: str) -> IdUse:
    """The field names an id of `kind` that is added, or kept when already held."""
    return IdUse(field, kind, "assigns")


def refers(field: str, kind: str) -> IdUse:
    """The field names an id of `kind` that the stream must hold."""
    return IdUse(field, kind, "refers")


def removes(field: str, kind: str) -> IdUse:
    """The field names an id of `kind` that the stream holds and gives up."""
    return IdUse(field, kind, "removes")


class Payload(Struct, frozen=True, kw_only=True, gc=False):
    """Base of every payload; unknown keys are ignored here and kept in the envelope's `data`.

    gc=False: decoded JSON cannot form reference cycles, and untracked objects spare the
    cycle collector a scan per thousand events on replay (bench/append.py: ~5x on reads).
    Arrays are tuples for the same reason: a list per event kept the collector busy on imports.

    Class-level declarations (not fields) drive the stream invariants: `ids` lists the ids a
    payload creates or refers to, `starts_stream` marks the one type that opens a stream.
    """

    ids: ClassVar[tuple[IdUse, ...]] = ()
    starts_stream: ClassVar[bool] = False

    def problems(self) -> list[FieldError]:
        """What the payload's own values break beyond their types (fields named within it); on input only."""
        return []


class IndonesianSide(Struct, frozen=True, kw_only=True, gc=False):
    name: Text
    level: IndonesiaLevel
    province: str | None = None


class PartnerSide(Struct, frozen=True, kw_only=True, gc=False, omit_defaults=True):
    # omit_defaults: a partner without its own name is stored and folded as before catalogue 1.2.
    name: Text
    level: Text
    country: Country
    local_name: Text | None = None  # the partner's own name in its own script (서울특별시, 東京都)


class IndonesianSideChange(Struct, frozen=True, kw_only=True, gc=False):
    name: Text | None = None
    level: IndonesiaLevel | None = None
    province: str | None = None


class PartnerSideChange(Struct, frozen=True, kw_only=True, gc=False):
    name: Text | None = None
    level: Text | None = None
    country: Country | None = None
    local_name: Text | None = None


class PartnershipRegistered(Payload, frozen=True, kw_only=True):
    starts_stream = True

    kind: PartnershipKind
    indonesia: IndonesianSide
    partner: PartnerSide
    desk: DeskId | None = None
    fields: tuple[str, ...] = ()


class PartnershipDetailsChanged(Payload, frozen=True, kw_only=True):
    kind: PartnershipKind | None = None
    indonesia: IndonesianSideChange | None = None
    partner: PartnerSideChange | None = None
    desk: DeskId | None = None
    fields: tuple[str, ...] | None = None


class ContactAssigned(Payload, frozen=True, kw_only=True):
    ids = (assigns("contact_id", "contact"),)

    contact_id: Id
    name: Text
    side: Side
    email: Email | None = None
    phone: str | None = None
    role: str | None = None
    language: Language = "id"


class ContactRemoved(Payload, frozen=True, kw_only=True):
    ids = (removes("contact_id", "contact"),)

    contact_id: Id


class ExplorationStarted(Payload, frozen=True, kw_only=True):
    note: str | None = None


class Money(Struct, frozen=True, kw_only=True, gc=False):
    """An amount of money in an ISO 4217 currency, and where it comes from (APBD, APBN, partner, ...)."""

    amount: Amount
    currency: CurrencyCode = "IDR"
    source: str | None = None


def _money_problems(name: str, money: Money | None) -> list[FieldError]:
    # Checked against Babel's ISO 4217 list on input only: stored events are never re-judged.
    # Babel is imported when money is first given, not with the catalogue.
    if money is None:
        return []
    from babel.numbers import list_currencies

    if money.currency not in list_currencies():
        said = f"{money.currency!r} is not an ISO 4217 currency code"
        return [FieldError(f"{name}.currency", said, code="currency", params={"value": money.currency})]
    return []


class DraftOpened(Payload, frozen=True, kw_only=True):
    ids = (creates("draft_id", "draft"),)

    draft_id: Id
    document: Document
    initiated_by: Initiator | None = None
    title: str | None = None
    note: str | None = None


class ApprovalRecorded(Payload, frozen=True, kw_only=True):
    # v1 events name no draft: they belong to no draft and change no pipeline.
    ids = (refers("draft_id", "draft"),)

    step: ApprovalStep
    draft_id: Id | None = None
    outcome: ApprovalOutcome = "approved"
    reference: str | None = None
    note: str | None = None


class DraftWithdrawn(Payload, frozen=True, kw_only=True):
    ids = (removes("draft_id", "draft"),)

    draft_id: Id
    reason: str | None = None


class AgreementSigned(Payload, frozen=True, kw_only=True):
    # Signing from a draft closes it: a later step on that draft is refused.
    ids = (creates("agreement_id", "agreement"), removes("draft_id", "draft"))

    agreement_id: Id
    document: Document
    term_years: Years | None = None
    valid_from: DateText | None = None
    valid_until: DateText | None = None
    open_ended: bool = False
    fields: tuple[str, ...] = ()
    note: str | None = None
    draft_id: Id | None = None


class AgreementRenewed(Payload, frozen=True, kw_only=True):
    ids = (refers("agreement_id", "agreement"),)

    agreement_id: Id
    valid_until: DateText | None = None
    term_years: Years | None = None
    open_ended: bool = False
    note: str | None = None


class AgreementTerminated(Payload, frozen=True, kw_only=True):
    ids = (refers("agreement_id", "agreement"),)

    agreement_id: Id
    reason: str | None = None


class ActivityLogged(Payload, frozen=True, kw_only=True):
    ids = (creates("activity_id", "activity"), refers("plan_id", "plan"))

    activity_id: Id
    kind: ActivityKind
    title: str | None = None
    description: str | None = None
    ends_on: DateText | None = None
    direction: Direction | None = None
    mode: Mode | None = None
    participants: Annotated[int, Meta(ge=0)] | None = None
    fields: tuple[str, ...] = ()
    plan_id: Id | None = None
    results: str | None = None
    beneficiaries: str | None = None
    beneficiary_count: Count | None = None
    funding: Money | None = None

    def problems(self) -> list[FieldError]:
        return _money_problems("funding", self.funding)


class ActivityCorrected(Payload, frozen=True, kw_only=True):
    ids = (refers("activity_id", "activity"), refers("plan_id", "plan"))

    activity_id: Id
    occurred_on: DateText | None = None
    kind: ActivityKind | None = None
    title: str | None = None
    description: str | None = None
    ends_on: DateText | None = None
    direction: Direction | None = None
    mode: Mode | None = None
    participants: Annotated[int, Meta(ge=0)] | None = None
    fields: tuple[str, ...] | None = None
    plan_id: Id | None = None
    results: str | None = None
    beneficiaries: str | None = None
    beneficiary_count: Count | None = None
    funding: Money | None = None

    def problems(self) -> list[FieldError]:
        return _money_problems("funding", self.funding)


class ActivityRetracted(Payload, frozen=True, kw_only=True):
    ids = (refers("activity_id", "activity"),)

    activity_id: Id
    reason: str | None = None


class ActivityPlanned(Payload, frozen=True, kw_only=True):
    """An item of the yearly activity plan (Rencana Kegiatan Tahunan)."""

    ids = (creates("plan_id", "plan"),)

    plan_id: Id
    year: PlanYear
    kind: ActivityKind
    title: str | None = None
    planned_on: DateText | None = None
    roles: str | None = None
    expected_result: str | None = None
    budget: Money | None = None

    def problems(self) -> list[FieldError]:
        out = _money_problems("budget", self.budget)
        if self.planned_on is not None and self.planned_on[:4] != f"{self.year:04d}":
            said = f"{self.planned_on} is not in the plan's year {self.year}"
            params = {"value": self.planned_on, "year": self.year}
            out.append(FieldError("planned_on", said, code="plan_year_of", params=params))
        return out


class PlanItemDropped(Payload, frozen=True, kw_only=True):
    ids = (removes("plan_id", "plan"),)

    plan_id: Id
    reason: str | None = None


class NoteAdded(Payload, frozen=True, kw_only=True):
    # The note is named by its event's id, so that a review can refer to it (NoteReviewed).
    ids = (creates_own_id("note"),)

    text: Text
    topic: NoteTopic = "general"


class NoteReviewed(Payload, frozen=True, kw_only=True):
    """A person's review of a note: accepted as an activity (the ActivityLogged it became), or dismissed.

    One type with an outcome rather than two: either way the note leaves the review queue, and one
    `removes` declaration makes a second review of the same note a refusal of the store itself.
    """

    ids = (removes("note_id", "note"), refers("activity_id", "activity"))

    note_id: Id
    outcome: Literal["accepted", "dismissed"]
    activity_id: Id | None = None
    reason: str | None = None

    def problems(self) -> list[FieldError]:
        if self.outcome == "accepted" and self.activity_id is None:
            said = "an accepted note names the activity it became (activity_id)"
            return [FieldError("activity_id", said, code="note_accepted")]
        if self.outcome == "dismissed" and self.activity_id is not None:
            return [
                FieldError("activity_id", "a dismissed note names no activity (activity_id)", code="note_dismissed")
            ]
        return []


class StatusAssessed(Payload, frozen=True, kw_only=True):
    status: AssessedStatus
    note: str | None = None


class NotificationSent(Payload, frozen=True, kw_only=True):
    key: Text
    rule: Text
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    subject: str | None = None


class PartnershipEnded(Payload, frozen=True, kw_only=True):
    reason: str | None = None


class PublicationWithheld(Payload, frozen=True, kw_only=True):
    """The partnership is held back from the public registry (docs/registry.md) until restored."""

    reason: Text


class PublicationRestored(Payload, frozen=True, kw_only=True):
    """The partnership shows in the public registry again."""

    reason: str | None = None


# Stable type names are the catalogue's own; never derived from module paths, so a
# rename in code cannot orphan stored events.
TYPES: dict[str, type[Payload]] = {
    "PartnershipRegistered": PartnershipRegistered,
    "PartnershipDetailsChanged": PartnershipDetailsChanged,
    "ContactAssigned": ContactAssigned,
    "ContactRemoved": ContactRemoved,
    "ExplorationStarted": ExplorationStarted,
    "ApprovalRecorded": ApprovalRecorded,
    "DraftOpened": DraftOpened,
    "DraftWithdrawn": DraftWithdrawn,
    "AgreementSigned": AgreementSigned,
    "AgreementRenewed": AgreementRenewed,
    "AgreementTerminated": AgreementTerminated,
    "ActivityLogged": ActivityLogged,
    "ActivityCorrected": ActivityCorrected,
    "ActivityRetracted": ActivityRetracted,
    "ActivityPlanned": ActivityPlanned,
    "PlanItemDropped": PlanItemDropped,
    "NoteAdded": NoteAdded,
    "NoteReviewed": NoteReviewed,
    "StatusAssessed": StatusAssessed,
    "NotificationSent": NotificationSent,
    "PartnershipEnded": PartnershipEnded,
    "PublicationWithheld": PublicationWithheld,
    "PublicationRestored": PublicationRestored,
}


def date_fields(cls: type[Payload]) -> tuple[str, ...]:
    """The fields of a payload type declared as DateText: the ones the date rules check (events/mapper.py)."""
    import msgspec.inspect as mi

    def is_date(t: mi.Type) -> bool:
        members = t.types if isinstance(t, mi.UnionType) else (t,)
        return any(isinstance(m, mi.StrType) and m.pattern == PARTIAL_DATE for m in members)

    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    return tuple(f.name for f in info.fields if is_date(f.type))


# Fields that hold partial dates, checked for real calendar dates beyond their pattern: every field
# typed DateText, so a new one is checked without being listed (tests/test_catalogue_coverage.py).
DATE_FIELDS_OF = {name: date_fields(cls) for name, cls in TYPES.items()}
DATE_FIELDS = tuple(sorted({f for fields in DATE_FIELDS_OF.values() for f in fields}))

# Fields that hold an e-mail address, checked with email-validator beyond their pattern.
EMAIL_FIELDS_OF = {name: tuple(f for f in ("email",) if f in cls.__struct_fields__) for name, cls in TYPES.items()}
