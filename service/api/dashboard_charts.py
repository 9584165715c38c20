"""The dashboards' charts, drawn on the server as SVG: stacked columns over years, and bars by label.

Each chart scales to its box (a viewBox, no fixed width), so a phone shows it whole; its numbers
are in the table beside it, which is what screen readers and copying use.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD, AXIS = 480, 200, 24, 22  # narrow enough that a phone shows its words at a readable size
ROW, LABEL = 24, 150  # a bar chart's row height and the room its labels take


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg class="chart dash-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )


def stacked_columns(columns: list[str], layers: list[tuple[str, str, list[int]]], title: str) -> str:
    """Columns (one per label, e.g. a year) of stacked layers: (name, CSS class, one value per column)."""
    if not columns or not layers:
        return ""
    totals = [sum(values[i] for _, _, values in layers) for i in range(len(columns))]
    top = max(totals) or 1
    step = (WIDTH - 2 * PAD) / len(columns)
    bar, usable = max(step * 0.75, 1.5), HEIGHT - PAD - AXIS
    parts = [
        _open(WIDTH, HEIGHT, title),
        f'<line x1="{PAD}" y1="{HEIGHT - AXIS}" x2="{WIDTH - PAD}" y2="{HEIGHT - AXIS}" class="axis"/>',
    ]
    label_every = max(1, round(len(columns) / 6))
    for i, label in enumerate(columns):
        x, base = PAD + i * step + (step - bar) / 2, float(HEIGHT - AXIS)
        for name, css, values in layers:
            h = usable * values[i] / top
            if h:
                base -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" class="{css}">'
                    f"<title>{escape(label)} · {escape(name)}: {values[i]}</title></rect>"
                )
        if (len(columns) - 1 - i) % label_every == 0:  # counted from the last, so the latest is always named
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 5}" class="year">{escape(label)}</text>')
    parts.append(
        f'<text x="{PAD}" y="{PAD - 8}" class="scale" text-anchor="start">{top}</text></svg>'  # the tallest column
    )
    return "".join(parts)


def bars(rows: Sequence[tuple[str, float]], title: str, css: str = "bar", unit: str = "") -> str:
    """Horizontal bars, one per (label, value), in the order given."""
    if not rows:
        return ""
    top = max(value for _, value in rows) or 1
    height = ROW * len(rows) + 8
    room = WIDTH - LABEL - 50
    parts = [_open(WIDTH, height, title)]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW
        w = room * value / top
        shown = f"{value:g}{unit}"
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + ROW * 0.65:.1f}" class="label" text-anchor="end">{escape(label[:22])}</text>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{w:.1f}" height="{ROW - 6}" class="{css}">'
            f"<title>{escape(label)}: {shown}</title></rect>"
            f'<text x="{LABEL + w + 4:.1f}" y="{y + ROW * 0.65:.1f}" class="count" text-anchor="start">{shown}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
