"""The parts of a partnership's folded record that catalogue 1.1 adds: drafts, plan items, filed notes.

Like the rest of `PartnershipState`, they keep dated facts, not conclusions: the pipeline as of a
day and the plan against realisation are worked out by projections/pipeline.py and plan.py.
"""

from __future__ import annotations

from datetime import date

from msgspec import Struct
from msgspec.structs import replace


class Funds(Struct, frozen=True, kw_only=True, gc=False):
    """An amount in a currency and where it comes from (a budget or an activity's funding)."""

    amount: float
    currency: str = "IDR"
    source: str | None = None


class DraftStep(Struct, frozen=True, kw_only=True, gc=False):
    """One ApprovalRecorded on a draft; `on` is the first day of its (possibly partial) date."""

    occurred_on: str
    on: date
    step: str
    outcome: str = "approved"
    reference: str | None = None
    note: str | None = None


class Draft(Struct, frozen=True, kw_only=True, gc=False):
    """A draft agreement on its domestic approval path, with every step recorded on it."""

    draft_id: str
    document: str
    opened_on: str
    start: date
    initiated_by: str | None = None
    title: str | None = None
    note: str | None = None
    steps: tuple[DraftStep, ...] = ()
    closed: str | None = None  # "signed" or "withdrawn"
    closed_on: str | None = None
    closed_start: date | None = None
    agreement_id: str | None = None
    reason: str | None = None


class PlanItem(Struct, frozen=True, kw_only=True, gc=False):
    """An item of a yearly activity plan; `dropped_on` once a PlanItemDropped names it."""

    plan_id: str
    year: int
    kind: str
    recorded_on: date
    title: str | None = None
    planned_on: str | None = None
    roles: str | None = None
    expected_result: str | None = None
    budget: Funds | None = None
    dropped_on: date | None = None
    drop_reason: str | None = None


class FiledNote(Struct, frozen=True, array_like=True, gc=False):
    """A progress note filed under a topic other than `general` (what a yearly report files it under)."""

    on: date
    topic: str
    text: str


def funds(money) -> Funds | None:
    """A payload's Money as Funds (None stays None)."""
    if money is None:
        return None
    return Funds(amount=money.amount, currency=money.currency, source=money.source)


def draft_opened(s, e) -> dict:
    p = e.payload
    draft = Draft(
        draft_id=p.draft_id,
        document=p.document,
        opened_on=str(e.occurred_on),
        start=e.occurred_on.first,
        initiated_by=p.initiated_by,
        title=p.title,
        note=p.note,
    )
    return {"drafts": s.drafts + (draft,)}


def _change_draft(s, draft_id: str, change) -> dict:
    return {"drafts": tuple(change(d) if d.draft_id == draft_id else d for d in s.drafts)}


def approval_recorded(s, e) -> dict:
    p = e.payload
    if p.draft_id is None:
        return {}  # a v1 step names no draft: it belongs to none and changes no pipeline
    step = DraftStep(
        occurred_on=str(e.occurred_on),
        on=e.occurred_on.first,
        step=p.step,
        outcome=p.outcome,
        reference=p.reference,
        note=p.note,
    )
    return _change_draft(s, p.draft_id, lambda d: replace(d, steps=d.steps + (step,)))


def draft_withdrawn(s, e) -> dict:
    return _change_draft(
        s,
        e.payload.draft_id,
        lambda d: replace(
            d,
            closed="withdrawn",
            closed_on=str(e.occurred_on),
            closed_start=e.occurred_on.first,
            reason=e.payload.reason,
        ),
    )


def signed_from_draft(s, e) -> dict:
    """The draft a signing closes (none when it names no draft)."""
    p = e.payload
    if getattr(p, "draft_id", None) is None:
        return {}
    return _change_draft(
        s,
        p.draft_id,
        lambda d: replace(
            d,
            closed="signed",
            closed_on=str(e.occurred_on),
            closed_start=e.occurred_on.first,
            agreement_id=p.agreement_id,
        ),
    )


def activity_planned(s, e) -> dict:
    p = e.payload
    item = PlanItem(
        plan_id=p.plan_id,
        year=p.year,
        kind=p.kind,
        recorded_on=e.occurred_on.first,
        title=p.title,
        planned_on=p.planned_on,
        roles=p.roles,
        expected_result=p.expected_result,
        budget=funds(p.budget),
    )
    return {"plan": s.plan + (item,)}


def plan_item_dropped(s, e) -> dict:
    p = e.payload
    return {
        "plan": tuple(
            replace(i, dropped_on=e.occurred_on.first, drop_reason=p.reason) if i.plan_id == p.plan_id else i
            for i in s.plan
        )
    }


def filed_note(s, e) -> dict:
    topic = getattr(e.payload, "topic", "general")
    if topic == "general":
        return {}
    return {"filed_notes": s.filed_notes + (FiledNote(e.occurred_on.first, topic, e.payload.text),)}
