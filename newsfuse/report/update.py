"""``newsfuse export --since``: what a story gained since a date, as Markdown with the story's citations."""

from __future__ import annotations

from collections.abc import Iterable

from newsfuse.report.markdown import _cited_lines as cited_lines  # report.md's own escaping and citations
from newsfuse.report.markdown import _inline as inline
from newsfuse.report.markdown import _marks as marks
from newsfuse.view.changes import ChangesView


def render_update(title: str, changes: ChangesView) -> str:
    """The update of one story: new articles and outlets, then each kind of new item, each cited."""
    update = changes.update
    assert update is not None, "a rendered update has one"
    lines = [f"# New since {changes.since}: {inline(title)}", ""]
    if not changes.new_sources:
        return "\n".join([*lines, f"No article of this story was published since {changes.since}.", ""])
    outlets = f"; new outlets: {', '.join(update.new_outlets)}" if update.new_outlets else ""
    lines += [f"{len(changes.new_sources)} new articles ({len(update.earlier)} before){inline(outlets)}.", ""]
    sections: Iterable[tuple[str, list[str]]] = (
        ("Update digest", cited_lines(changes.digest)),
        ("New claims", cited_lines(changes.claims)),
        (
            "Claims whose label changed",
            [f"- {r.before} -> {r.now}: {inline(r.claim.text)} {marks(r.claim.sources)}" for r in changes.relabelled],
        ),
        ("New contradictions", cited_lines(changes.contradictions)),
        ("New quotes", cited_lines(changes.quotes)),
        ("New timeline entries", cited_lines(changes.timeline)),
        (
            "New articles",
            [f"{s.number}. {inline(s.article['title'])} ({inline(s.outlet)}, {s.date})" for s in changes.new_sources],
        ),
    )
    for heading, items in sections:
        if items:
            lines += [f"## {heading}", "", *items, ""]
    return "\n".join(lines)
