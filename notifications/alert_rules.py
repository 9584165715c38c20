"""The alert rules as data (docs/alerts.md): thresholds, windows and sending policy, with their defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

RENEWAL, LAPSED = "renewal", "lapsed"
COOLING, DORMANT, DORMANCY_WARNING = "cooling", "dormant", "dormancy_warning"
DIGEST = "digest"
DRAFT_STALLED = "draft_stalled"  # docs/lifecycle.md
RULES = (RENEWAL, LAPSED, COOLING, DORMANT, DORMANCY_WARNING, DIGEST, DRAFT_STALLED)

# Only the most severe activeness alert of a day is queued (docs/alerts.md), most severe first.
SEVERITY = (DORMANT, DORMANCY_WARNING, COOLING)


@dataclass(frozen=True)
class AlertRules:
    """Every number of docs/alerts.md that configuration may change ([alerts] in PANTAU_RULES)."""

    renewal_days: tuple[int, ...] = (180, 90, 30)
    lapsed_days: int = 30
    dormancy_warning_days: int = 60
    digest_day: int = 1
    horizon_months: int = 6
    daily_hour: int = 8
    retry_first: timedelta = timedelta(minutes=1)
    retry_max: timedelta = timedelta(hours=6)
    give_up_after: timedelta = timedelta(days=3)
    lease: timedelta = timedelta(minutes=5)
    sender: str = "Pantau <pantau@localhost>"
    # The digest lists one by one the agreements that lapsed from 1 January of the year this many
    # years before its month's; older lapses stand in one line (they would repeat every month).
    digest_lapsed_years: int = 1
    # Where the mails' links point (PANTAU_BASE_URL, a setting, not a rule): out of the repr, which
    # fingerprints the rules for the due-day index (notifications/due_index.py).
    base_url: str = field(default="http://127.0.0.1:8000", repr=False, compare=False)

    def backoff(self, failures: int) -> timedelta:
        """The wait after the `failures`-th temporary failure: first delay, doubling, capped."""
        delay = self.retry_first * (2 ** max(failures - 1, 0)) if failures < 32 else self.retry_max
        return min(delay, self.retry_max)
