"""Charts drawn at build time as inline SVG: no JavaScript, no CDN, readable on a phone.

Each chart has a <title> and <desc> for screen readers and is followed by the same numbers
as a table, so the values are text too.
"""

from __future__ import annotations

from showcase.markup import attr, text

ROW = 32  # px per bar
LABEL_W = 120
WIDTH = 420  # small viewBox: text stays legible when a phone scales it down
COLOURS = ("#b71c1c", "#d84315", "#ef6c00", "#f9a825", "#6d4c41")


def _frame(chart_id: str, title: str, height: int, body: str, summary: str) -> str:
    return (
        f'<figure class="sc-chart"><svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-t">{attr(title)}</title><desc id="{chart_id}-d">{attr(summary)}</desc>'
        f"{body}</svg></figure>"
    )


def _summary(rows: list[tuple[str, int]]) -> str:
    return "；".join(f"{label}：{value}" for label, value in rows)


def bars(chart_id: str, title: str, rows: list[tuple[str, int]]) -> str:
    """Horizontal bars, longest = full width; labels left, values at the bar's end."""
    top = max((v for _, v in rows), default=0) or 1
    span = WIDTH - LABEL_W - 60
    parts = []
    for i, (label, value) in enumerate(rows):
        y = i * ROW
        w = round(span * value / top)
        colour = COLOURS[i % len(COLOURS)]
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 20}" text-anchor="end" font-size="16" fill="#333">{attr(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y + 6}" width="{max(w, 2)}" height="{ROW - 10}" rx="3" fill="{colour}"/>'
            f'<text x="{LABEL_W + max(w, 2) + 6}" y="{y + 20}" font-size="16" fill="#333">{value}</text>'
        )
    return _frame(chart_id, title, max(len(rows), 1) * ROW + 4, "".join(parts), _summary(rows))


def pyramid(chart_id: str, title: str, rows: list[tuple[str, int]]) -> str:
    """Levels from the top (fewest, highest) to the base; widths grow by rank, not value,
    so a level of 1 is still visible; the value is written on each band."""
    band = 44
    parts = []
    n = len(rows)
    for i, (label, value) in enumerate(rows):
        half = (WIDTH / 2 - 4) * (i + 1.5) / (n + 0.5)
        y = i * band
        x0, x1 = WIDTH / 2 - half, WIDTH / 2 + half
        inner = (WIDTH / 2 - 4) * (i + 0.5) / (n + 0.5)
        points = f"{WIDTH / 2 - inner:.0f},{y} {WIDTH / 2 + inner:.0f},{y} {x1:.0f},{y + band - 4} {x0:.0f},{y + band - 4}"
        parts.append(
            f'<polygon points="{points}" fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{WIDTH / 2:.0f}" y="{y + 28}" text-anchor="middle" font-size="16" '
            f'fill="#fff" stroke="#000" stroke-width="0.4" paint-order="stroke">{attr(label)} {value}</text>'
        )
    return _frame(chart_id, title, n * band + 4, "".join(parts), _summary(rows))


def table(rows: list[tuple[str, int]], head: tuple[str, str]) -> str:
    lines = [f"| {head[0]} | {head[1]} |", "| --- | ---: |"]
    lines += [f"| {text(label)} | {value} |" for label, value in rows]
    return "\n".join(lines) + "\n"
