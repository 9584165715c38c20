"""The lifecycle forms as data: drafts, approval steps, signing from a draft, yearly plan items (docs/forms.md)."""

from __future__ import annotations

from typing import get_args

from events import catalogue
from service.api.form_specs import ACTIVITY_KINDS, EventForm, Field

DOCUMENTS = ("MoU", "MoA", "IA", "LoI", "ActionPlan", "JointCommunique", "Other")
STEPS = get_args(catalogue.ApprovalStep)  # the approval path, then `other`
OUTCOMES = ("approved", "submitted", "returned", "rejected")

DATE = Field("occurred_on", "date", label="f.date")
MADE = "hint.made"  # the placeholder of an id made when left empty (service/record_ids.py)
NOTE = Field("note", "area", label="f.note")
REASON = Field("reason", "area", label="f.reason")

LIFECYCLE_FORMS: tuple[EventForm, ...] = (
    EventForm(
        "DraftOpened",
        "pl.open_draft",
        (
            DATE,
            Field("draft_id", label="f.draft_id", hint=MADE),  # made from the document and year when left empty
            Field("document", "choice", DOCUMENTS, blank=False, label="f.document", default="MoU", words="doc."),
            Field(
                "initiated_by",
                "choice",
                get_args(catalogue.Initiator),
                blank=False,
                words="initiator.",
                label="f.initiated_by",
                default="indonesia",
            ),
            Field("title", label="f.title"),
            NOTE,
        ),
        address="/{stream}/drafts/new",
        returns_to="drafts",
    ),
    EventForm(
        "ApprovalRecorded",
        "pl.record_step",
        (
            DATE,
            # A fresh form suggests the step the draft waits for (pages_lifecycle_forms.py).
            Field("step", "choice", STEPS, blank=False, words="step.", label="f.step", default="kajian"),
            Field("outcome", "choice", OUTCOMES, blank=False, words="outcome.", label="f.outcome", default="approved"),
            Field("reference", label="f.reference", hint="170/123/DPRD"),
            NOTE,
        ),
        address="/{stream}/drafts/{draft_id}/step",
        returns_to="drafts",
        heading_id="draft_id",
    ),
    EventForm(
        "DraftWithdrawn",
        "pl.withdraw",
        (DATE, REASON),
        address="/{stream}/drafts/{draft_id}/withdraw",
        returns_to="drafts",
        heading_id="draft_id",
    ),
    # The draft's document is signed (pages_lifecycle_forms.py); a draft never opened is refused by the record.
    EventForm(
        "AgreementSigned",
        "pl.sign",
        (
            DATE,
            Field("agreement_id", label="f.agreement_id", hint=MADE),  # made from the document and year when left empty
            Field("term_years", "number", label="f.term_years"),
            NOTE,
        ),
        address="/{stream}/drafts/{draft_id}/sign",
        returns_to="agreements",
        heading_id="draft_id",
    ),
    EventForm(
        "ActivityPlanned",
        "yp.plan_item",
        (
            DATE,
            Field("plan_id", label="f.plan_id", hint=MADE),  # made from the year and kind when left empty
            # Required as a number: an empty year is "not a number" (a fresh form offers next year).
            Field("year", "number", required=True, label="f.year"),
            Field("kind", "choice", ACTIVITY_KINDS, blank=False, label="f.kind", default="exchange"),
            Field("title", label="f.title"),
            Field("planned_on", label="f.planned_on", hint="2024-08"),
            Field("roles", "area", label="f.roles"),
            Field("expected_result", "area", label="f.expected_result"),
            # The budget is stored only with its amount; without a currency it is in rupiah.
            Field("budget", "amount", label="f.budget", hint="150000000", key="budget.amount"),
            Field("currency", label="f.currency", key="budget.currency", default="IDR"),
            Field("source", label="f.source", hint="APBD", key="budget.source"),
        ),
        address="/{stream}/plan/new",
        returns_to="plan",
    ),
    EventForm(
        "PlanItemDropped",
        "yp.drop",
        (DATE, REASON),
        address="/{stream}/plan/{plan_id}/drop",
        returns_to="plan",
        heading_id="plan_id",
    ),
)
