"""Event builders of catalogue 1.1 (drafts, approval steps, plan items), so tests read like the domain."""

from __future__ import annotations

from tests.helpers import event

STREAM = "kota-bandung-seoul"


def draft(on: str, draft_id: str = "mou-draft", document: str = "MoU", stream: str = STREAM, **fields):
    return event(
        stream, "DraftOpened", on, {"draft_id": draft_id, "document": document, "initiated_by": "indonesia", **fields}
    )


def step(on: str, step: str, outcome: str = "approved", draft_id: str = "mou-draft", stream: str = STREAM, **fields):
    return event(stream, "ApprovalRecorded", on, {"draft_id": draft_id, "step": step, "outcome": outcome, **fields})


def withdrawn(on: str, draft_id: str = "mou-draft", stream: str = STREAM):
    return event(stream, "DraftWithdrawn", on, {"draft_id": draft_id, "reason": "partner withdrew"})


def signed_from(
    on: str, draft_id: str = "mou-draft", agreement_id: str = "mou-signed", stream: str = STREAM, document: str = "MoU"
):
    return event(
        stream, "AgreementSigned", on, {"agreement_id": agreement_id, "document": document, "draft_id": draft_id}
    )


def planned(on: str, plan_id: str, year: int, kind: str = "exchange", stream: str = STREAM, **fields):
    return event(
        stream, "ActivityPlanned", on, {"plan_id": plan_id, "year": year, "kind": kind, "title": plan_id, **fields}
    )


def dropped(on: str, plan_id: str, stream: str = STREAM):
    return event(stream, "PlanItemDropped", on, {"plan_id": plan_id, "reason": "no budget"})


def note(on: str, text: str, topic: str = "general", stream: str = STREAM):
    return event(stream, "NoteAdded", on, {"text": text, "topic": topic})
