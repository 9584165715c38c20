"""What the service would have queued over a range of days, without queueing or sending anything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from notifications.alert_rules import DIGEST, AlertRules
from notifications.compose import address
from notifications.digest import desk_states, month_end
from notifications.rules import alerts_for_day
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import contacts


@dataclass(frozen=True, slots=True)
class Planned:
    """A message the service would have queued on `day`."""

    day: date
    key: str
    rule: str
    stream: str  # the partnership, or the desk for a digest
    recipients: tuple[str, ...]

    def as_json(self) -> dict:
        """The object of `alerts simulate --format json` (docs/interfaces.md)."""
        return {
            "day": self.day.isoformat(),
            "key": self.key,
            "rule": self.rule,
            "stream": self.stream,
            "recipients": list(self.recipients),
        }


def simulate(
    states: Sequence[PartnershipState], start: date, end: date, rules: Rules, alert_rules: AlertRules
) -> list[Planned]:
    """Every message queued by running the alert job on each day from `start` to `end`, by day then key.

    Each day sees the record as of that day (the status functions count only what is dated by then),
    and keys queued on earlier days of the range are not queued again, as in the outbox.
    """
    by_stream = {s.stream: s for s in states}
    queued: set[str] = set()
    out: list[Planned] = []
    indexes: dict = {}
    day = start
    while day <= end:
        for alert in alerts_for_day(states, day, rules, alert_rules, indexes=indexes):
            if alert.key in queued:
                continue
            queued.add(alert.key)
            if alert.rule == DIGEST:
                assert alert.desk is not None  # a digest is always a desk's
                last = month_end(alert.facts["month"])
                people = [c for s in desk_states(states, alert.desk, last, rules) for c in contacts(s, last)]
                addressed = address(alert, None, rules, people)
            else:
                assert alert.stream is not None  # every other alert is a partnership's
                addressed = address(alert, by_stream[alert.stream], rules)
            out += [
                Planned(day, item.key, alert.rule, alert.stream or alert.desk or "", tuple(item.recipients))
                for item in addressed
            ]
        day += timedelta(days=1)
    return sorted(out, key=lambda p: (p.day, p.key))
