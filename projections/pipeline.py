"""The pipeline of draft agreements as of a day D (docs/lifecycle.md): pure, from the folded record.

Each draft opened by D and not closed by D stands at the last step of the approval path approved by
D (`reached`), waits for the next one (`waiting_for`) since its latest event dated by D, and is
`stalled` once that wait is longer than the step's limit.
"""

from __future__ import annotations

from datetime import date

from msgspec import Struct

from events.catalogue import APPROVAL_PATH
from events.vocabulary import SIGNING
from projections.lifecycle_state import Draft, DraftStep
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import details

OPENED = "opened"
APPROVED = "approved"
SETBACKS = frozenset({"returned", "rejected"})
_ORDER = {step: index for index, step in enumerate(APPROVAL_PATH)}
JSON_FIELDS = (
    "stream",
    "draft_id",
    "document",
    "reached",
    "waiting_for",
    "since",
    "days_waiting",
    "returned",
    "stalled",
)


class Standing(Struct, frozen=True, kw_only=True):
    """Where one draft stands on a day: the fields of `pantau pipeline --format json`, and the desk."""

    stream: str
    draft_id: str
    document: str
    reached: str
    waiting_for: str
    since: date
    days_waiting: int
    returned: bool
    stalled: bool
    desk: str | None = None
    limit: int = 0

    def as_json(self) -> dict:
        """The object of docs/lifecycle.md, dates as YYYY-MM-DD."""
        out = {name: getattr(self, name) for name in JSON_FIELDS}
        out["since"] = self.since.isoformat()
        return out


def next_step(reached: str) -> str:
    """The step after `reached` on the approval path (`signing` after the last one)."""
    if reached == OPENED:
        return APPROVAL_PATH[0]
    index = _ORDER[reached] + 1
    return APPROVAL_PATH[index] if index < len(APPROVAL_PATH) else SIGNING


def steps_by(draft: Draft, day: date) -> list[DraftStep]:
    """The draft's steps dated on or before `day` (partial dates from their first day), in record order."""
    return [s for s in draft.steps if s.on <= day]


def is_open(draft: Draft, day: date) -> bool:
    """Whether the draft was opened on or before `day` and not closed by then."""
    return draft.start <= day and not (draft.closed_start is not None and draft.closed_start <= day)


def standing(stream: str, draft: Draft, day: date, rules: Rules, desk: str | None = None) -> Standing | None:
    """Where the draft stands on `day`, or None when it is not open on that day."""
    if not is_open(draft, day):
        return None
    steps = steps_by(draft, day)
    approved = [s.step for s in steps if s.outcome == APPROVED and s.step in _ORDER]
    reached = max(approved, key=_ORDER.__getitem__) if approved else OPENED
    waiting_for = next_step(reached)
    # The latest event by date; of several on one date the later recorded (steps follow the opening).
    latest_on, latest = draft.start, None
    for s in steps:
        if s.on >= latest_on:
            latest_on, latest = s.on, s
    waited = (day - latest_on).days
    limit = rules.stall_limit(waiting_for)
    return Standing(
        stream=stream,
        draft_id=draft.draft_id,
        document=draft.document,
        reached=reached,
        waiting_for=waiting_for,
        since=latest_on,
        days_waiting=waited,
        returned=latest is not None and latest.outcome in SETBACKS,
        stalled=waited > limit,
        desk=desk,
        limit=limit,
    )


def of_partnership(state: PartnershipState, day: date, rules: Rules) -> list[Standing]:
    """The open drafts of one partnership on `day`, by draft id."""
    if not state.drafts:
        return []
    desk = details(state, day, rules).get("desk")
    found = (standing(state.stream, d, day, rules, desk) for d in state.drafts)
    return sorted((s for s in found if s is not None), key=lambda s: s.draft_id)


def pipeline(states, day: date, rules: Rules, desk: str | None = None) -> list[Standing]:
    """Every draft open on `day`, sorted by stream then draft id, optionally of one desk."""
    out = []
    for state in sorted(states, key=lambda s: s.stream):
        out += [s for s in of_partnership(state, day, rules) if desk is None or s.desk == desk]
    return out


def closed_by(state: PartnershipState, day: date) -> list[Draft]:
    """The partnership's drafts closed (signed or withdrawn) on or before `day`."""
    return [d for d in state.drafts if d.closed_start is not None and d.closed_start <= day]
