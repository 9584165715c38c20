"""The pages' forms as data: one per event type, its fields named after the catalogue's data keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from events import catalogue
from events.vocabulary import ACTIVITY_KINDS, DOCUMENTS, STATUSES


@dataclass(frozen=True)
class Field:
    """One input: `name` is the data key (dotted inside a side, e.g. partner.country) or occurred_on."""

    name: str
    kind: str = "text"  # text, area, date, choice, number, check, list, hidden
    choices: tuple[str, ...] = ()
    required: bool = False
    blank: bool = True  # a choice may be left empty
    words: str = ""  # prefix of the i18n keys of the choices' labels (side. -> side.partner)
    label: str = ""  # the i18n key of the label when not field.<name>
    hint: str = ""  # an example shown inside an empty input; an i18n key when it starts with "hint."
    key: str = ""  # the data key when it is not the name (currency -> budget.currency)
    default: str = ""  # what a fresh form shows

    @property
    def label_key(self) -> str:
        """The i18n key of the field's label."""
        return self.label or f"field.{self.name}"

    @property
    def html_id(self) -> str:
        """The element id: dots would need escaping in CSS selectors."""
        return self.name.replace(".", "-")


@dataclass(frozen=True)
class EventForm:
    """A page form recording one event type; `subject` names the data key the address carries."""

    type: str
    title: str  # the i18n key of the heading
    fields: tuple[Field, ...]
    subject: str | None = None  # activity_id, agreement_id or contact_id, taken from the address
    address: str = ""  # the page's address after /partnerships
    returns_to: str = ""  # the partnership page's section shown after saving (lifecycle forms)
    heading_id: str = ""  # the address id shown after the heading (lifecycle forms: draft_id, plan_id)


OCCURRED_ON = Field("occurred_on", "date", required=True)
ACTIVITY_FIELDS = (
    Field("occurred_on", "date", required=True),
    Field("ends_on", "date"),
    Field("kind", "choice", ACTIVITY_KINDS, required=True, blank=False),
    Field("title", required=True),
    Field("description", "area"),
    Field("direction", "choice", get_args(catalogue.Direction)),
    Field("mode", "choice", get_args(catalogue.Mode)),
    Field("participants", "number"),
    Field("fields", "list"),
    # Catalogue 1.1 (docs/lifecycle.md): the plan item it realises (offered from the open ones), its results.
    Field("plan_id", label="f.realises"),
    Field("results", "area", label="f.results"),
)

FORMS: dict[str, EventForm] = {
    form.type: form
    for form in (
        EventForm(
            "PartnershipRegistered",
            "f.register",
            (
                OCCURRED_ON,
                Field(
                    "kind",
                    "choice",
                    get_args(catalogue.PartnershipKind),
                    required=True,
                    blank=False,
                    words="pkind.",
                    label="field.partnership_kind",
                ),
                Field("indonesia.name", required=True),
                Field(
                    "indonesia.level",
                    "choice",
                    get_args(catalogue.IndonesiaLevel),
                    required=True,
                    blank=False,
                    words="level.",
                ),
                Field("indonesia.province"),
                Field("partner.name", required=True),
                Field("partner.level", required=True),
                Field("partner.country", required=True),
                Field("partner.local_name"),
                Field("desk"),
                Field("fields", "list"),
                # Made from the two names when left empty (service/record_ids.py).
                Field("stream", hint="hint.made"),
            ),
            address="/new",
        ),
        EventForm("ActivityLogged", "p.log_activity", ACTIVITY_FIELDS, address="/{stream}/activity"),
        # A correction's own date is today's; its data.occurred_on is the activity's date.
        EventForm(
            "ActivityCorrected",
            "f.correct",
            ACTIVITY_FIELDS,
            subject="activity_id",
            address="/{stream}/activities/{subject}/correct",
        ),
        EventForm(
            "ActivityRetracted",
            "f.retract",
            # The reason is asked for: a retraction takes the activity out of every count.
            (OCCURRED_ON, Field("reason", "area", required=True)),
            subject="activity_id",
            address="/{stream}/activities/{subject}/retract",
        ),
        EventForm(
            "AgreementSigned",
            "f.sign",
            (
                Field("occurred_on", "date", required=True, label="field.signed_on"),
                Field("agreement_id", hint="hint.made"),  # made from the document and year when left empty
                Field("document", "choice", DOCUMENTS, required=True, blank=False, words="doc."),
                Field("term_years", "number"),
                Field("valid_from", "date"),
                Field("valid_until", "date"),
                Field("open_ended", "check"),
                Field("fields", "list"),
                Field("note", "area"),
            ),
            address="/{stream}/agreements/new",
        ),
        EventForm(
            "AgreementRenewed",
            "f.renew",
            (
                OCCURRED_ON,
                Field("valid_until", "date"),
                Field("term_years", "number"),
                Field("open_ended", "check"),
                Field("note", "area"),
            ),
            subject="agreement_id",
            address="/{stream}/agreements/{subject}/renew",
        ),
        EventForm(
            "AgreementTerminated",
            "f.terminate",
            (OCCURRED_ON, Field("reason", "area")),
            subject="agreement_id",
            address="/{stream}/agreements/{subject}/terminate",
        ),
        EventForm(
            "ContactAssigned",
            "f.contact",
            (
                OCCURRED_ON,
                Field("contact_id", "hidden", required=True),  # made with the fresh form, never typed
                Field("name", required=True),
                Field("side", "choice", get_args(catalogue.Side), required=True, blank=False, words="side."),
                Field("role"),
                Field("email"),
                Field("phone"),
                Field("language", "choice", get_args(catalogue.Language), blank=False, words="lang."),
            ),
            address="/{stream}/contacts/new",
        ),
        EventForm(
            "ContactRemoved",
            "f.remove_contact",
            (OCCURRED_ON,),
            subject="contact_id",
            address="/{stream}/contacts/{subject}/remove",
        ),
        EventForm(
            "NoteAdded", "f.note", (OCCURRED_ON, Field("text", "area", required=True)), address="/{stream}/notes/new"
        ),
        EventForm(
            "StatusAssessed",
            "f.status",
            (
                OCCURRED_ON,
                Field("status", "choice", STATUSES, required=True, blank=False),
                Field("note", "area"),
            ),
            address="/{stream}/status/new",
        ),
        EventForm("PartnershipEnded", "f.end", (OCCURRED_ON, Field("reason", "area")), address="/{stream}/end"),
        # The public registry's say (docs/registry.md): an administrator's or the partnership's desk's.
        EventForm(
            "PublicationWithheld",
            "f.withhold",
            (OCCURRED_ON, Field("reason", "area", required=True)),
            address="/{stream}/registry/withhold",
        ),
        EventForm("PublicationRestored", "f.restore", (OCCURRED_ON,), address="/{stream}/registry/restore"),
    )
}
