"""Charts drawn at build time as inline SVG: no JavaScript, no CDN, readable on a phone.

Each chart has a <title> and <desc> for screen readers and is followed by the same numbers
as a table, so the values are text too. Geometry is computed here; `layouts/chart.html`
prints it (labels are data, escaped there).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from showcase.render.html import render

ROW = 32  # px per bar
LABEL_W = 120
WIDTH = 420  # small viewBox: text stays legible when a phone scales it down
COLOURS = ("#b71c1c", "#d84315", "#ef6c00", "#f9a825", "#6d4c41")


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    colour: str
    label: str
    value: int


@dataclass(frozen=True)
class Band:
    points: str
    y: int
    colour: str
    label: str
    value: int


def _summary(rows: list[tuple[str, int]]) -> str:
    return "；".join(f"{label}：{value}" for label, value in rows)


def bars(chart_id: str, title: str, rows: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, longest = full width; labels left, values at the bar's end."""
    top = max((v for _, v in rows), default=0) or 1
    span = WIDTH - LABEL_W - 60
    items = [
        Bar(i * ROW, max(round(span * value / top), 2), COLOURS[i % len(COLOURS)], label, value)
        for i, (label, value) in enumerate(rows)
    ]
    height = max(len(rows), 1) * ROW + 4
    return render(
        "chart.html",
        id=chart_id,
        title=title,
        summary=_summary(rows),
        height=height,
        bars=items,
        bands=[],
        label_w=LABEL_W,
        width=WIDTH,
        row=ROW,
    )


def pyramid(chart_id: str, title: str, rows: list[tuple[str, int]]) -> Markup:
    """Levels from the top (fewest, highest) to the base; widths grow by rank, not value,
    so a level of 1 is still visible; the value is written on each band."""
    band = 44
    n = len(rows)
    items = []
    for i, (label, value) in enumerate(rows):
        half = (WIDTH / 2 - 4) * (i + 1.5) / (n + 0.5)
        inner = (WIDTH / 2 - 4) * (i + 0.5) / (n + 0.5)
        y = i * band
        x0, x1 = WIDTH / 2 - half, WIDTH / 2 + half
        points = (
            f"{WIDTH / 2 - inner:.0f},{y} {WIDTH / 2 + inner:.0f},{y} "
            f"{x1:.0f},{y + band - 4} {x0:.0f},{y + band - 4}"
        )
        items.append(Band(points, y, COLOURS[i % len(COLOURS)], label, value))
    return render(
        "chart.html",
        id=chart_id,
        title=title,
        summary=_summary(rows),
        height=n * band + 4,
        bars=[],
        bands=items,
        label_w=LABEL_W,
        width=WIDTH,
        row=ROW,
    )
