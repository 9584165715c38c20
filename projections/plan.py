"""A yearly plan against its realisation, as known now (docs/lifecycle.md): pure, from the folded record."""

from __future__ import annotations

from projections.partnership import PartnershipState


def plan_of_year(state: PartnershipState, year: int) -> dict:
    """`{"stream", "year", "planned", "dropped", "realised", "outstanding", "unplanned", "realisation_rate"}`.

    The first five are sorted lists of ids; the rate is realised / (planned - dropped), rounded to
    three decimals, or None when nothing remains planned.
    """
    items = [i for i in state.plan if i.year == year]
    planned = {i.plan_id for i in items}
    dropped = {i.plan_id for i in items if i.dropped_on is not None}
    counted = [a for a in state.activities if not a.retracted]
    realised = {a.plan_id for a in counted if a.plan_id in planned} - dropped
    unplanned = {a.activity_id for a in counted if a.start.year == year and a.plan_id is None}
    remaining = len(planned) - len(dropped)
    return {
        "stream": state.stream,
        "year": year,
        "planned": sorted(planned),
        "dropped": sorted(dropped),
        "realised": sorted(realised),
        "outstanding": sorted(planned - dropped - realised),
        "unplanned": sorted(unplanned),
        "realisation_rate": round(len(realised) / remaining, 3) if remaining else None,
    }


def plan_years(state: PartnershipState) -> list[int]:
    """The years the partnership has plan items for, ascending."""
    return sorted({i.year for i in state.plan})
