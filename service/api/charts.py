"""Server-side SVG: a partnership's activities per year as a bar chart."""

from __future__ import annotations

from collections import Counter
from html import escape

from projections.activeness import counted_spans
from projections.partnership import PartnershipState
from projections.rules import Rules

WIDTH, HEIGHT, PAD, AXIS = 640, 180, 24, 20


def activities_per_year(state: PartnershipState, rules: Rules) -> dict[int, int]:
    """Counted activities (signings and renewals too) by the year they count from, every year of the span."""
    years = Counter(start.year for start, _, _ in counted_spans(state, rules))
    if not years:
        return {}
    return {y: years.get(y, 0) for y in range(min(years), max(years) + 1)}


def bar_chart(counts: dict[int, int], title: str) -> str:
    """An accessible SVG bar chart of counts per year."""
    if not counts:
        return ""
    top = max(counts.values()) or 1
    step = (WIDTH - 2 * PAD) / len(counts)
    bar = max(step * 0.7, 2)
    usable = HEIGHT - PAD - AXIS
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line x1="{PAD}" y1="{HEIGHT - AXIS}" x2="{WIDTH - PAD}" y2="{HEIGHT - AXIS}" class="axis"/>',
    ]
    label_every = max(1, round(len(counts) / 12))
    for i, (year, count) in enumerate(counts.items()):
        x = PAD + i * step + (step - bar) / 2
        h = usable * count / top
        y = HEIGHT - AXIS - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" class="bar">'
            f"<title>{year}: {count}</title></rect>"
        )
        if count:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" class="count">{count}</text>')
        if i % label_every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 5}" class="year">{year}</text>')
    parts.append("</svg>")
    return "".join(parts)
