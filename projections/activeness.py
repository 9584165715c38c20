"""Activeness: what counts as activity, the windows, and aktif / kurang_aktif / tidak_aktif."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from projections.calendar import add_months
from projections.partnership import PartnershipState
from projections.rules import Rules

AKTIF, KURANG_AKTIF, TIDAK_AKTIF = "aktif", "kurang_aktif", "tidak_aktif"


@dataclass(frozen=True, slots=True)
class Counted:
    """One activity for activeness: its period and indicator (None for `other`)."""

    start: date
    end: date
    indicator: int | None


def counted(state: PartnershipState, day: date, rules: Rules) -> list[Counted]:
    """Activities that have begun by `day`: logged ones not retracted, and signings and renewals."""
    out = [Counted(a.start, a.end, rules.indicators.get(a.kind))
           for a in state.activities if not a.retracted and a.start <= day]
    for agreement in state.agreements:
        indicator = rules.signing_indicator(agreement.document)
        if agreement.start <= day:  # as of an earlier day there is nothing signed, nor renewed
            out.append(Counted(agreement.start, agreement.end, indicator))
            out.extend(Counted(r.start, r.end, indicator) for r in agreement.renewals if r.start <= day)
    return out


def activities_within(activities: list[Counted], day: date, months: int) -> list[Counted]:
    """The activities within the last `months` calendar months of `day` (the window computed once)."""
    before = add_months(day, -months)
    return [a for a in activities if a.start <= day and a.end > before]


def activeness(activities: list[Counted], day: date, rules: Rules) -> str:
    """aktif, kurang_aktif or tidak_aktif on `day`."""
    # Each window's first day once, not once per activity: statuses of long records are read often.
    active_after, quiet_after = add_months(day, -rules.active_months), add_months(day, -rules.quiet_months)
    if any(a.indicator is not None and a.indicator >= 2 and a.start <= day and a.end > active_after
           for a in activities):
        return AKTIF
    if any(a.start <= day and a.end > quiet_after for a in activities):
        return KURANG_AKTIF
    return TIDAK_AKTIF


def last_activity_on(activities: list[Counted], day: date) -> date | None:
    """The latest last day of a begun activity, capped at `day`."""
    return max((min(a.end, day) for a in activities if a.start <= day), default=None)
