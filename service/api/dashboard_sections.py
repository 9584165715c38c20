"""The dashboard page's sections: each chart drawn from the numbers its table shows, in the page's language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from projections.dashboard import UNKNOWN, Dashboard
from projections.dashboard_years import STATUSES
from service.api.dashboard_charts import bars, stacked_columns
from service.api.partial_dates import shown

STATUS_CSS = {"penjajakan": "k-jajak", "aktif": "k-aktif", "kurang_aktif": "k-kurang", "tidak_aktif": "k-tidak"}


def _breakdown(counts: Counter, t: Callable[[str], str]) -> str:
    return " · ".join(f"{t(name) if name != UNKNOWN else '?'} {n}" for name, n in counts.most_common())


def rate(planned: int, realised: int) -> str:
    """A realisation rate as a percentage with no more digits than it means."""
    return f"{100 * realised / planned:.0f}%" if planned else "–"


def sections(dash: Dashboard, t: Callable[[str], str], lang: str) -> dict:
    """The charts (SVG strings) and table rows of the dashboard page."""
    years = list(dash.year_ends)
    layers = [(t(name), STATUS_CSS[name], [dash.year_ends[y][name] for y in years]) for name in STATUSES]
    months = [(shown(m.strftime("%Y-%m"), lang), rows) for m, rows in dash.ending]
    drafts = [
        (step, len(rows), sum(r.stalled for r in rows), max(r.days_waiting for r in rows))
        for step, rows in sorted(dash.drafts.items(), key=lambda kv: -len(kv[1]))
    ]
    kinds = [(y, sum(c.values()), _breakdown(c, t)) for y, c in dash.activity_kinds.items()]
    fields = [(y, sum(c.values()), _breakdown(c, lambda name: name)) for y, c in dash.activity_fields.items()]
    plan_rows = [(name, planned, realised, rate(planned, realised)) for name, planned, realised in dash.plan_by_desk]
    return {
        "year_end_chart": stacked_columns([str(y) for y in years], layers, t("dash.year_ends")),
        "status_names": STATUSES,
        "status_css": STATUS_CSS,
        "months": months,
        "ending_chart": bars([(label, len(rows)) for label, rows in months], t("dash.ending"), "bar"),
        "drafts_rows": drafts,
        "drafts_chart": bars([(t(f"step.{step}"), n) for step, n, _, _ in drafts], t("dash.drafts")),
        "kinds_rows": kinds,
        "kinds_chart": stacked_columns(
            [str(y) for y, _, _ in kinds], [(t("dash.activities"), "bar", [n for _, n, _ in kinds])], t("dash.kinds")
        ),
        "fields_rows": fields,
        "countries_chart": bars(dash.countries[:15], t("dash.countries")),
        "plan_rows": plan_rows,
        "plan_province_rows": [(n, p, r, rate(p, r)) for n, p, r in dash.plan_by_province],
        "plan_chart": bars(
            [(str(name), round(100 * r / p)) for name, p, r, _ in plan_rows if p], t("dash.plan_chart"), unit="%"
        ),
    }
