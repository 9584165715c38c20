"""Activeness: what counts as activity, the windows, and aktif / kurang_aktif / tidak_aktif."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, get_args

from events.catalogue import ActivityKind
from events.vocabulary import ACTIVENESS
from projections.calendar import add_months
from projections.partnership import PartnershipState
from projections.rules import Rules

AKTIF, KURANG_AKTIF, TIDAK_AKTIF = ACTIVENESS  # in the catalogue's order (events/vocabulary.py)
SIGNING, RENEWAL = "signing", "renewal"
# Every kind a counted activity can have: the catalogue's activity kinds, then the agreements'.
COUNTED_KINDS: tuple[str, ...] = (*get_args(ActivityKind), SIGNING, RENEWAL)


@dataclass(frozen=True, slots=True)
class Counted:
    """One activity for activeness: its period and indicator (None for `other`)."""

    start: date
    end: date
    indicator: int | None


@dataclass(frozen=True, slots=True)
class CountedActivity:
    """One counted activity with what names it: the logged activity, signing or renewal it is."""

    start: date
    end: date
    indicator: int | None
    id: str  # the activity_id, or the agreement_id of a signing or renewal
    kind: str  # one of COUNTED_KINDS
    occurred_on: str  # its date as recorded (partial dates kept)
    ends_on: str | None = None
    document: str | None = None  # of a signing or renewal


def _counted(state: PartnershipState, rules: Rules) -> Iterator[tuple[date, date, int | None, str, Any, Any]]:
    """Every counted activity: the one definition of activity (docs/events.md, "Counted activity").

    Logged activities not retracted, every signing and every renewal, each as (counts from, last
    day, indicator, "activity" / "signing" / "renewal", the activity or agreement, the renewal or
    None). A renewal counts from when both it and its signing have happened: as of a day before
    the signing nothing was signed, so nothing renewed either. The alert rules' due days
    (notifications/due_days.py) read it too.
    """
    indicators = rules.indicators
    for a in state.activities:
        if not a.retracted:
            yield a.start, a.end, indicators.get(a.kind), "activity", a, None
    for agreement in state.agreements:
        indicator = rules.signing_indicator(agreement.document)
        signed = agreement.start
        yield signed, agreement.end, indicator, SIGNING, agreement, None
        for r in agreement.renewals:
            yield (r.start if r.start > signed else signed), r.end, indicator, RENEWAL, agreement, r


def counted_spans(state: PartnershipState, rules: Rules) -> Iterator[tuple[date, date, int | None]]:
    """Every counted activity as (counts from, last day, indicator)."""
    for start, end, indicator, _, _, _ in _counted(state, rules):
        yield start, end, indicator


def counted_activities(state: PartnershipState, rules: Rules) -> Iterator[CountedActivity]:
    """Every counted activity with what names it."""
    for start, end, indicator, what, source, renewal in _counted(state, rules):
        if what == "activity":
            yield CountedActivity(
                start, end, indicator, source.activity_id, source.kind, source.occurred_on, source.ends_on
            )
        elif what == SIGNING:
            yield CountedActivity(
                start, end, indicator, source.agreement_id, SIGNING, source.signed_on, document=source.document
            )
        else:
            yield CountedActivity(
                start, end, indicator, source.agreement_id, RENEWAL, renewal.on, document=source.document
            )


# What the window rules read of an activity: its period and indicator.
Span = Counted | CountedActivity


def substantive(indicator: int | None) -> bool:
    """Whether an indicator is of the substantive ones (2-5) that keep a partnership `aktif`."""
    return indicator is not None and indicator >= 2


def counted(state: PartnershipState, day: date, rules: Rules) -> list[Counted]:
    """The counted activities that have begun by `day`."""
    return [Counted(c.start, c.end, c.indicator) for c in counted_activities(state, rules) if c.start <= day]


def activities_within(activities: Sequence[Span], day: date, months: int) -> list[Span]:
    """The activities within the last `months` calendar months of `day` (the window computed once)."""
    before = add_months(day, -months)
    return [a for a in activities if a.start <= day and a.end > before]


def activeness(activities: Sequence[Span], day: date, rules: Rules) -> str:
    """aktif, kurang_aktif or tidak_aktif on `day`."""
    # Each window's first day once, not once per activity: statuses of long records are read often.
    active_after, quiet_after = add_months(day, -rules.active_months), add_months(day, -rules.quiet_months)
    if any(substantive(a.indicator) and a.start <= day and a.end > active_after for a in activities):
        return AKTIF
    if any(a.start <= day and a.end > quiet_after for a in activities):
        return KURANG_AKTIF
    return TIDAK_AKTIF


def last_activity_on(activities: Sequence[Span], day: date) -> date | None:
    """The latest last day of a begun activity, capped at `day`."""
    return max((min(a.end, day) for a in activities if a.start <= day), default=None)


def last_activity_written(state: PartnershipState, day: date, rules: Rules) -> str | None:
    """The date of `last_activity_on` as people wrote it (`2019`, `2019-11`), for what they read."""
    begun = [a for a in counted_activities(state, rules) if a.start <= day]
    last = last_activity_on(begun, day)
    if last is None:
        return None
    if any(a.end > day for a in begun):
        # Still running on the day: the day itself is real, no period's invented last day.
        return day.isoformat()
    # Of activities ending on one day, the most precise says it best: a visit on 2019-12-31 beside
    # a report written "2019" is "31 Dec 2019", which is true, rather than the year.
    return max(((a.ends_on or a.occurred_on) for a in begun if a.end == last), key=len)
