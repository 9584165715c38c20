"""Derived status of a partnership on a day, as `docs/events.md` defines it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from msgspec import Struct

from events.vocabulary import PENJAJAKAN, STAGES
from projections.activeness import activeness, activities_within, counted_activities, last_activity_on
from projections.agreements import IN_FORCE, TERMINATED, AgreementStatus, agreement_status
from projections.explanation import Explanation, explain_counted
from projections.partnership import PartnershipState
from projections.rules import FORMAL_DOCUMENTS, Rules

EXPLORING, INTENT, FORMAL, STAGE_LAPSED, ENDED = STAGES  # events/vocabulary.py, in their order


class Status(Struct, frozen=True, kw_only=True):
    """The fields of `pantau status --format json` for one partnership."""

    stream: str
    desk: str | None
    kind: str
    stage: str
    activeness: str
    matrix_status: str
    assessed_status: str | None
    last_activity_on: date | None
    activities_in_window: int
    indicators_in_window: list[int]
    agreements: list[AgreementStatus]
    explanation: Explanation

    @property
    def differs(self) -> bool:
        """Whether a person's assessment differs from the status the record gives (the matrix and the digest mark it)."""
        return self.assessed_status is not None and self.assessed_status != self.matrix_status


def details(state: PartnershipState, day: date, rules: Rules) -> dict:
    """Registration details with every change dated by `day` applied; desk derived when absent."""
    values = dict(state.details)
    for change in state.changes:
        if change.on <= day:
            for key, value in change.values.items():
                if isinstance(value, dict):  # a side changed in part: the names it leaves out stay
                    value = {**values.get(key, {}), **{k: v for k, v in value.items() if v is not None}}
                values[key] = value
    if not values.get("desk"):
        values["desk"] = rules.desk_for_country(values.get("partner", {}).get("country"))
    return values


def contacts(state: PartnershipState, day: date) -> list[dict]:
    """The contacts assigned and not removed by `day`, in order of first assignment."""
    current: dict[str, dict] = {}
    for change in state.contacts:
        if change.on > day:
            continue
        if change.contact is None:
            current.pop(change.contact_id, None)
        else:
            current[change.contact_id] = change.contact
    return list(current.values())


def stage(state: PartnershipState, agreements: list[AgreementStatus], day: date) -> str:
    """ended, formal, exploring, lapsed or intent: the first that holds."""
    if any(d <= day for d in state.ended_on):
        return ENDED
    if any(a.state == IN_FORCE and a.document in FORMAL_DOCUMENTS for a in agreements):
        return FORMAL
    signings = [a.start for a in state.agreements if a.start <= day]
    signings += [r.start for a in state.agreements if a.start <= day for r in a.renewals if r.start <= day]
    if not signings or any(d > max(signings) for d in state.explorations if d <= day):
        return EXPLORING
    # "Time-limited" read as: has an end (or was terminated, which gave it one); lapsed, literally,
    # when such an agreement was signed and none of them is in force, a pending one included.
    # Records with only open-ended or non-formal agreements in force (LoI, Other) fall to intent.
    limited = [a for a in agreements if a.valid_until is not None or a.state == TERMINATED]
    if limited and not any(a.state == IN_FORCE for a in limited):
        return STAGE_LAPSED
    return INTENT


def assessed(state: PartnershipState, day: date) -> str | None:
    """The latest published judgement dated by `day` (the later recorded on the same date)."""
    latest = None
    for item in state.assessments:  # in record order, so `>=` lets the later recorded win
        if item.on <= day and (latest is None or item.on >= latest.on):
            latest = item
    return latest.value if latest else None


def status(state: PartnershipState, day: date, rules: Rules) -> Status | None:
    """The derived status on `day`, or None when the partnership was not yet registered."""
    if state.registered_on > day:
        return None
    info = details(state, day, rules)
    by_signing = sorted(state.agreements, key=lambda a: a.start)
    agreements = [agreement_status(a, day, rules) for a in by_signing if a.start <= day]
    activities = [a for a in counted_activities(state, rules) if a.start <= day]
    in_window = activities_within(activities, day, rules.active_months)
    current_stage = stage(state, agreements, day)
    current_activeness = activeness(activities, day, rules)
    return Status(
        stream=state.stream,
        desk=info.get("desk"),
        kind=info["kind"],
        stage=current_stage,
        activeness=current_activeness,
        matrix_status=PENJAJAKAN if current_stage == EXPLORING else current_activeness,
        assessed_status=assessed(state, day),
        last_activity_on=last_activity_on(activities, day),
        activities_in_window=len(in_window),
        indicators_in_window=sorted({a.indicator for a in in_window if a.indicator is not None}),
        agreements=agreements,
        explanation=explain_counted(activities, day, rules),
    )


def statuses(states: Sequence[PartnershipState], day: date, rules: Rules, desk: str | None = None) -> list[Status]:
    """The status of every partnership registered by `day`, sorted by stream, optionally of one desk."""
    out = [s for s in (status(state, day, rules) for state in states) if s is not None]
    return sorted((s for s in out if desk is None or s.desk == desk), key=lambda s: s.stream)
