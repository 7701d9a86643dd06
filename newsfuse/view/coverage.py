"""A story's coverage as bars: per profile column (``lean`` first), the share of its outlets per value.

Built from the ``coverage`` key of a story record, so the web page and both reports draw the same
bars from a stories.json, a store or the API. Segment geometry is computed here (percent of the
bar) so renderers need no arithmetic and no inline styles (the web page's CSP forbids them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]
UNKNOWN = "unknown"
FIRST_COLUMNS = ("lean", "country")
PALETTE = 6
"""Segments take classes ``seg-0`` .. ``seg-5`` by position (``seg-unknown`` for unknown): colours say
which value, never which side is right, so the same lean gets no fixed colour of its own."""


@dataclass(frozen=True)
class Segment:
    """One value's part of a bar: ``count`` of the bar's ``of`` (outlets, or articles when no outlet is known)."""

    value: str
    count: int
    of: int
    articles: int
    outlets: tuple[str, ...]
    x: float
    width: float
    css: str

    @property
    def label(self) -> str:
        articles = "article" if self.articles == 1 else "articles"
        return f"{self.value}: {self.count} of {self.of}, {self.articles} {articles}"


@dataclass(frozen=True)
class CoverageBar:
    """The bar of one column: ``unit`` is what the segments count (``outlets`` or ``articles``)."""

    column: str
    unit: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class CoverageView:
    articles: int
    outlets: int
    bars: tuple[CoverageBar, ...]
    unprofiled: tuple[str, ...]


def coverage_view(record: Record | None) -> CoverageView | None:
    """The bars of a story's ``coverage`` record; None when the story was made without outlet profiles."""
    if not record:
        return None
    columns = record.get("columns", {})
    order = sorted(columns, key=lambda c: (FIRST_COLUMNS.index(c) if c in FIRST_COLUMNS else len(FIRST_COLUMNS), c))
    return CoverageView(
        articles=record.get("articles", 0),
        outlets=record.get("outlets", 0),
        bars=tuple(_bar(column, columns[column], record.get("outlets", 0)) for column in order),
        unprofiled=tuple(record.get("unprofiled", [])),
    )


def _bar(column: str, values: list[Record], outlets: int) -> CoverageBar:
    """Outlets per value when any outlet is known (a wire copy should not outweigh an outlet), else articles."""
    unit = "outlets" if outlets else "articles"
    counts = [len(v.get("outlets", [])) if outlets else v.get("articles", 0) for v in values]
    total = sum(counts)
    segments, x = [], 0.0
    for position, (value, count) in enumerate(zip(values, counts, strict=True)):
        width = round(100 * count / (total or 1), 2)
        css = "seg-unknown" if value["value"] == UNKNOWN else f"seg-{position % PALETTE}"
        segments.append(
            Segment(
                value["value"],
                count,
                total,
                value.get("articles", 0),
                tuple(value.get("outlets", [])),
                x,
                width,
                css,
            )
        )
        x = round(x + width, 2)
    return CoverageBar(column, unit, tuple(s for s in segments if s.count))


def coverage_line(bar: CoverageBar) -> str:
    """``Coverage by lean (outlets): left 2 of 3, right 1 of 3``: the bar as text (report.md, alt text)."""
    shown = ", ".join(f"{s.value} {s.count} of {s.of}" for s in bar.segments)
    return f"Coverage by {bar.column} ({bar.unit}): {shown or 'none'}"
