"""The yearly plan's rules that are not id-set rules (docs/lifecycle.md), checked before an event is stored.

A plan item is realised by at most one activity (not retracted); an activity realises only an item
of its own year; an item already realised is not dropped; a plan's year lies within the record's
range: from the year the partnership was registered to the year it ended, or, while it goes on, to
five years after the plan is recorded (the longest default term of an agreement, whose Rencana
Kerja Sama the yearly plans carry out). Each refusal names the field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from operator import attrgetter
from typing import Any

from events.dates import EARLIEST, PartialDate
from events.errors import FieldError

PLAN_YEARS_AHEAD = 5
_PLAN_ID, _ACTIVITY_ID = attrgetter("payload.plan_id"), attrgetter("payload.activity_id")
_YEAR = attrgetter("occurred_on.first.year")

# The event types whose stored events this ledger reads (besides those the id rules read).
READS = frozenset(
    {
        "PartnershipRegistered",
        "PartnershipEnded",
        "ActivityPlanned",
        "PlanItemDropped",
        "ActivityLogged",
        "ActivityCorrected",
        "ActivityRetracted",
    }
)


@dataclass(slots=True)
class PlanLedger:
    """What the plan rules need of a stream: plan years, each activity's year and item, realisations."""

    registered_year: int | None = None
    ended_year: int | None = None
    plan_years: dict[str, int] = field(default_factory=dict)
    # activity_id -> (year of its date, plan item it names or None); retracted ones are dropped.
    activities: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    realised_by: dict[str, str] = field(default_factory=dict)  # plan_id -> activity_id
    # Runs of activities logged for no plan item (admit_run), entered into `activities` only
    # when something reads it: a bulk import seldom does, and entering 100,000 of them was most
    # of what judging the import cost (bench/append.py).
    pending: list[Sequence[Any]] = field(default_factory=list, compare=False, repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PlanLedger):
            return NotImplemented
        self._settle()
        other._settle()
        return (self.registered_year, self.ended_year, self.plan_years, self.activities, self.realised_by) == (
            other.registered_year,
            other.ended_year,
            other.plan_years,
            other.activities,
            other.realised_by,
        )

    def _settle(self) -> None:
        for run in self.pending:
            self.activities.update(zip(map(_ACTIVITY_ID, run), zip(map(_YEAR, run), repeat(None))))
        self.pending.clear()

    def copy(self) -> PlanLedger:
        """An independent copy."""
        self._settle()
        return PlanLedger(
            self.registered_year, self.ended_year, dict(self.plan_years), dict(self.activities), dict(self.realised_by)
        )

    def check(self, type_name: str, payload: Any, when: PartialDate) -> list[FieldError]:
        """Reasons the event breaks a plan rule (the id rules have passed)."""
        if self.pending:
            self._settle()
        if type_name == "ActivityPlanned":
            return self._plan_year(payload.year, when)
        if type_name == "PlanItemDropped":
            by = self.realised_by.get(payload.plan_id)
            if by is not None:
                return [
                    FieldError(
                        "data.plan_id",
                        f"{payload.plan_id!r} was realised by activity {by!r}; "
                        "retract or correct that activity before dropping the item",
                        code="plan_realised",
                        params={"value": payload.plan_id, "by": by},
                    )
                ]
            return []
        if type_name == "ActivityLogged":
            return self._realises(payload.activity_id, when.first.year, payload.plan_id, "data.plan_id")
        if type_name == "ActivityCorrected" and payload.activity_id in self.activities:
            year, plan_id = self.activities[payload.activity_id]
            if payload.occurred_on is not None:
                year = PartialDate.parse(payload.occurred_on).first.year
            named = payload.plan_id if payload.plan_id is not None else plan_id
            where = "data.plan_id" if payload.plan_id is not None else "data.occurred_on"
            return self._realises(payload.activity_id, year, named, where)
        return []

    def _plan_year(self, year: int, when: PartialDate) -> list[FieldError]:
        # Never before the catalogue's earliest year, whatever an earlier release let a registration say.
        earliest = max(self.registered_year if self.registered_year is not None else year, EARLIEST.year)
        if self.ended_year is not None:
            latest, why = self.ended_year, "the year the partnership ended"
        else:
            latest, why = when.first.year + PLAN_YEARS_AHEAD, f"{PLAN_YEARS_AHEAD} years after {when}"
        if not earliest <= year <= latest:
            return [
                FieldError(
                    "data.year",
                    f"{year} is outside the years this record allows for a plan: "
                    f"{earliest} (the partnership's registration) to {latest} ({why})",
                    code="plan_years",
                    params={"year": year, "earliest": earliest, "latest": latest},
                )
            ]
        return []

    def _realises(self, activity_id: str, year: int, plan_id: str | None, where: str) -> list[FieldError]:
        if plan_id is None or plan_id not in self.plan_years:
            return []
        problems = []
        if self.plan_years[plan_id] != year:
            problems.append(
                FieldError(
                    where,
                    f"plan item {plan_id!r} is for {self.plan_years[plan_id]}, the activity is dated {year}",
                    code="plan_other_year",
                    params={"value": plan_id, "planned": self.plan_years[plan_id], "year": year},
                )
            )
        by = self.realised_by.get(plan_id)
        if by is not None and by != activity_id:
            said = f"plan item {plan_id!r} is already realised by activity {by!r}"
            problems.append(FieldError("data.plan_id", said, code="plan_taken", params={"value": plan_id, "by": by}))
        return problems

    def admit(self, type_name: str, payload: Any, when: PartialDate) -> list[FieldError]:
        """check(), then take() when nothing is refused: an import's activities in one short step."""
        if type_name == "ActivityLogged" and payload.plan_id is None:
            # Realises no item, so nothing to refuse; its id is new (the id rules passed), so no
            # earlier realisation of it to undo either.
            self.activities[payload.activity_id] = (when.first.year, None)
            return []
        problems = self.check(type_name, payload, when)
        if not problems:
            self.take(type_name, lambda name: getattr(payload, name, None), when.first)
        return problems

    def admit_run(self, type_name: str, run: Sequence[Any]) -> bool:
        """Take in a run of events (with `payload` and `occurred_on`) of one type, when the run
        provably breaks no plan rule; False, with nothing taken, to judge them one at a time.

        Only activities logged for no plan item are taken whole: they realise nothing, so nothing
        refuses them, and their ids are new (the id rules passed for the run).
        """
        if type_name != "ActivityLogged" or any(map(_PLAN_ID, run)):  # ids are never empty
            return False
        self.pending.append(run)
        return True

    def take(self, type_name: str, value_of: Callable[[str], Any], when: date | None) -> None:
        """Note an accepted event of a READS type (`value_of` gives its data's fields, `when` its first day)."""
        if self.pending:
            self._settle()
        if type_name == "PartnershipRegistered":
            self.registered_year = when.year if when is not None else None
        elif type_name == "PartnershipEnded":
            if when is not None:
                self.ended_year = min(when.year, self.ended_year or when.year)
        elif type_name == "ActivityPlanned":
            self.plan_years[value_of("plan_id")] = value_of("year")
        elif type_name == "ActivityLogged":
            self._set(value_of("activity_id"), when.year if when is not None else 0, value_of("plan_id"))
        elif type_name == "ActivityCorrected":
            known = self.activities.get(value_of("activity_id"))
            if known is None:
                return  # retracted: it realises nothing, whatever it is corrected to
            year, plan_id = known
            if value_of("occurred_on") is not None:
                year = PartialDate.parse(value_of("occurred_on")).first.year
            self._set(value_of("activity_id"), year, value_of("plan_id") or plan_id)
        elif type_name == "ActivityRetracted":
            activity_id = value_of("activity_id")
            _, plan_id = self.activities.pop(activity_id, (0, None))
            if plan_id is not None and self.realised_by.get(plan_id) == activity_id:
                del self.realised_by[plan_id]

    def _set(self, activity_id: str, year: int, plan_id: str | None) -> None:
        previous = self.activities.get(activity_id, (0, None))[1]
        if previous is not None and previous != plan_id and self.realised_by.get(previous) == activity_id:
            del self.realised_by[previous]
        self.activities[activity_id] = (year, plan_id)
        if plan_id is not None:
            self.realised_by[plan_id] = activity_id
