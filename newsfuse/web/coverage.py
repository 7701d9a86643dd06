"""Geometry of the coverage chart: articles over time, one row per outlet.

Computed here rather than in the template so the chart is a plain server-rendered
SVG (no script, no inline styles) and its layout can be tested.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH = 440
LABEL_WIDTH = 110
ROW_HEIGHT = 28
AXIS_HEIGHT = 22
MAX_BINS = 30
MAX_LABEL_CHARS = 14


@dataclass(frozen=True)
class Dot:
    x: float
    radius: float
    count: int
    label: str


@dataclass(frozen=True)
class Row:
    outlet: str
    label: str
    y: float
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class Coverage:
    width: int
    height: int
    plot_left: int
    axis_y: float
    rows: tuple[Row, ...]
    first: str
    last: str
    undated: int


def coverage_chart(articles: Sequence[tuple[str, str | None]]) -> Coverage:
    """Bin (outlet, published) pairs by day, or by several days when the story spans long."""
    dated = [(outlet, date.fromisoformat(published[:10])) for outlet, published in articles if published]
    outlets = sorted({outlet for outlet, _ in dated})
    height = len(outlets) * ROW_HEIGHT + AXIS_HEIGHT
    if not dated:
        return Coverage(WIDTH, AXIS_HEIGHT, LABEL_WIDTH, 0, (), "", "", len(articles))
    first, last = min(d for _, d in dated), max(d for _, d in dated)
    days_per_bin = max(1, math.ceil(((last - first).days + 1) / MAX_BINS))
    bins = ((last - first).days // days_per_bin) + 1
    counts = Counter((outlet, (day - first).days // days_per_bin) for outlet, day in dated)
    step = (WIDTH - LABEL_WIDTH - 10) / bins
    rows = []
    for number, outlet in enumerate(outlets):
        dots = tuple(
            Dot(
                x=round(LABEL_WIDTH + (b + 0.5) * step, 1),
                radius=round(min(ROW_HEIGHT / 2 - 2, 4 + 2.5 * (math.sqrt(count) - 1)), 1),
                count=count,
                label=_bin_label(outlet, count, first + timedelta(days=b * days_per_bin), days_per_bin),
            )
            for (name, b), count in sorted(counts.items())
            if name == outlet
        )
        label = outlet if len(outlet) <= MAX_LABEL_CHARS else outlet[: MAX_LABEL_CHARS - 1] + "…"
        rows.append(Row(outlet, label, number * ROW_HEIGHT + ROW_HEIGHT / 2, dots))
    undated = len(articles) - len(dated)
    return Coverage(WIDTH, height, LABEL_WIDTH, height - AXIS_HEIGHT, tuple(rows), str(first), str(last), undated)


def _bin_label(outlet: str, count: int, start: date, days: int) -> str:
    articles = "article" if count == 1 else "articles"
    when = str(start) if days == 1 else f"{start} to {start + timedelta(days=days - 1)}"
    return f"{outlet}: {count} {articles}, {when}"
