"""What the dashboards read of one partnership on a day: a small summary, worked out once per state and day.

The dashboards add summaries up (projections/dashboard.py); a summary holds a few numbers and
dates per partnership, so a process can keep one for each partnership it has read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from projections.activeness import counted_activities
from projections.agreements import IN_FORCE, agreement_status
from projections.calendar import add_months
from projections.dashboard_years import YearEnd, codes, last_year_end, year_ends
from projections.partnership import PartnershipState
from projections.pipeline import Standing, of_partnership
from projections.plan import plan_years
from projections.rules import Rules
from projections.status import details, status

UNKNOWN = "?"  # a partnership naming no desk, province, country or field is counted under this key


@dataclass(frozen=True, slots=True)
class Ending:
    """An agreement in force whose end falls in this month or the next 11."""

    agreement_id: str
    document: str
    valid_until: date
    days_left: int


@dataclass(frozen=True, slots=True)
class Summary:
    """One partnership on a day, as the dashboards count it."""

    stream: str
    name: str
    desk: str | None
    province: str | None  # casefolded, as reads select on it
    place: str | None
    province_name: str | None  # as registered, for what people read
    country: str | None
    fields: tuple[str, ...]
    matrix_status: str
    first_year: int | None  # of its first year end, up to the day's last
    year_codes: tuple[int, ...]  # its year ends as dashboard_years.codes, when it belonged where it does today
    moved: tuple[YearEnd, ...]  # its year ends one by one, when its desk or region was another on some
    ending: tuple[Ending, ...]
    drafts: tuple[Standing, ...]
    # "year<TAB>kind" of each counted activity begun by the day, and "year<TAB>field" for each of those and
    # each field of the partnership: strings keep their hash, so adding up 20,000 summaries stays cheap.
    activities: tuple[str, ...]
    field_years: tuple[str, ...]
    plan: tuple[tuple[int, int, int], ...]  # (year, plan items still planned, those realised) of each plan year


def _ending(state: PartnershipState, day: date, rules: Rules) -> tuple[Ending, ...]:
    horizon = add_months(day.replace(day=1), 12)  # to the end of the 12th month, this one the first
    out = []
    for agreement in state.agreements:
        if agreement.start > day:
            continue
        now = agreement_status(agreement, day, rules)
        if now.state == IN_FORCE and now.valid_until is not None and day <= now.valid_until < horizon:
            out.append(Ending(now.agreement_id, now.document, now.valid_until, (now.valid_until - day).days))
    return tuple(sorted(out, key=lambda e: (e.valid_until, e.agreement_id)))


def _plan(state: PartnershipState) -> tuple[tuple[int, int, int], ...]:
    """(year, items not dropped, those an activity realises) per plan year: plan.plan_of_year's rate as counts."""
    if not state.plan:
        return ()
    used = {a.plan_id for a in state.activities if not a.retracted and a.plan_id is not None}
    out = []
    for year in plan_years(state):
        kept = {i.plan_id for i in state.plan if i.year == year and i.dropped_on is None}
        out.append((year, len(kept), len(kept & used)))
    return tuple(out)


def summary(state: PartnershipState, day: date, rules: Rules) -> Summary | None:
    """The partnership's summary on `day`, or None when it was not registered by then."""
    now = status(state, day, rules)
    if now is None:
        return None
    info = details(state, day, rules)
    indonesia, partner = info.get("indonesia") or {}, info.get("partner") or {}
    province, place = indonesia.get("province"), indonesia.get("name")
    here = (now.desk, province.casefold() if province else None, place.casefold() if place else None)
    ends = year_ends(state, last_year_end(day), rules)
    moved = any((e.desk, e.province, e.place) != here for e in ends)
    years = [(a.start.year, a.kind) for a in counted_activities(state, rules) if a.start <= day]
    fields = tuple(info.get("fields") or ()) or (UNKNOWN,)
    return Summary(
        stream=state.stream,
        name=f"{indonesia.get('name', '?')} – {partner.get('name', '?')}",
        desk=here[0],
        province=here[1],
        place=here[2],
        province_name=province,
        country=partner.get("country"),
        fields=tuple(info.get("fields") or ()),
        matrix_status=now.matrix_status,
        first_year=ends[0].year if ends else None,
        year_codes=() if moved else codes(ends),
        moved=ends if moved else (),
        ending=_ending(state, day, rules),
        drafts=tuple(of_partnership(state, day, rules)),
        activities=tuple(f"{year}\t{kind}" for year, kind in years),
        field_years=tuple(f"{year}\t{name}" for year, _ in years for name in fields),
        plan=_plan(state),
    )
