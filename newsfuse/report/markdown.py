"""report.md: every story with its cited digest, claims, contradictions, quotes, timeline and sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsfuse.view.coverage import coverage_line
from newsfuse.view.story import Cited, Source, StoryView, document_views

TOP_ENTITIES = 12
SHOWN_CLAIMS = 10


def render_markdown(document: dict[str, Any]) -> str:
    views = document_views(document)
    lines = [
        "# newsfuse report",
        "",
        f"{len(document['articles'])} articles, {len(views)} stories, {len(document['skipped'])} inputs skipped.",
        "",
    ]
    for number, view in enumerate(views, start=1):
        lines += _story_lines(number, view)
    if document["skipped"]:
        lines += ["## Skipped inputs", ""]
        lines += [f"- `{s['path']}`: {s['reason']}" for s in document["skipped"]]
        lines.append("")
    return "\n".join(lines)


def _story_lines(number: int, view: StoryView) -> list[str]:
    story = view.story
    outlets = ", ".join(view.outlets) or "unknown outlets"
    lines = [
        f"## {number}. {_inline(story['title'])}",
        "",
        f"{view.size} from {outlets}, {view.span}. Story id `{story['id']}`.",
        "",
        *_coverage_lines(view),
        "### Digest",
        "",
    ]
    lines += _cited_lines(view.digest)
    lines += _analysis_lines(view)
    entities = view.entities[:TOP_ENTITIES]
    if entities:
        lines += ["", "### Entities", ""]
        lines.append(", ".join(f"{_inline(e['text'])} ({e['label']}, {e['count']})" for e in entities))
    lines += ["", "### Sources", ""]
    for source in view.sources:
        article = source.article
        lines.append(f"{source.number}. {_inline(article['title'])} ({source.outlet}, {source.date})")
    lines.append("")
    return lines


def _coverage_lines(view: StoryView) -> list[str]:
    """One line per profile column, and the outlets without a profile (never dropped)."""
    if view.coverage is None:
        return []
    lines = [f"{coverage_line(bar)}." for bar in view.coverage.bars]
    if view.coverage.unprofiled:
        lines.append(f"No profile: {', '.join(view.coverage.unprofiled)}.")
    return [_inline(" ".join(lines)), ""] if lines else []


def _analysis_lines(view: StoryView) -> list[str]:
    """The sections of the story page, ranked and cut the same way; report.html lists everything."""
    lines: list[str] = []
    if view.agreed is not None:
        lines += ["", "### Reported across sources", ""]
        if view.outlet_count < 2:
            lines.append("One outlet: nothing to compare yet.")
        elif not view.agreed:
            lines.append("No claim is stated by at least two outlets and half of them.")
        lines += _cited_lines(view.agreed.shown) + _more(len(view.agreed.rest), "claims")
        if view.partly and not view.agreed:
            lines += ["", "### Reported by some outlets", "", *_cited_lines(view.partly.shown)]
            lines += _more(len(view.partly.rest), "claims")
    for group in view.additions or ():
        lines += ["", f"### What only {_inline(group.outlet)} adds", "", *_cited_lines(group.claims.shown)]
        lines += _more(len(group.claims.rest), "claims")
    if view.contradictions:
        lines += ["", "### Contradictions", ""]
        for contradiction in view.contradictions.shown:
            shown = "; ".join(f"{_marks([v.source])} {_inline(v.text)}" for v in contradiction.variants)
            lines.append(f"- **{contradiction.kind}**: {shown} (diff: {_inline(contradiction.diff)})")
        lines += _more(len(view.contradictions.rest), "contradictions")
    if view.quotes:
        lines += ["", "### Quotes by speaker", ""]
        for speaker in view.quotes.shown:
            lines.append(f"- **{_inline(speaker.speaker)}**")
            for variants in speaker.quotes.shown:
                for position, variant in enumerate(variants):
                    bullet = "    - variant:" if position else "  -"
                    lines.append(f"{bullet} \u201c{_inline(variant.text)}\u201d {_marks([variant.source])}")
            lines += ["  " + line for line in _more(len(speaker.quotes.rest), "quotes")]
        lines += _more(len(view.quotes.rest), "speakers")
    if view.timeline:
        lines += ["", "### Timeline", ""]
        for event in view.timeline.shown:
            expression, text = _inline(event.expression), _inline(event.text)
            lines.append(f"- **{event.when}** ({expression}): {text} {_marks(event.sources)}")
        lines += _more(len(view.timeline.rest), "dates")
        lines += _more(len(view.background), "background dates (years before the story, or unresolved)")
    return lines


def _more(count: int, what: str) -> list[str]:
    return [f"- ... and {count} more {what} in report.html"] if count else []


def _cited_lines(items: Iterable[Cited]) -> list[str]:
    return [f"- {_inline(item.text)} {_marks(item.sources)}" for item in items]


def _marks(sources: Iterable[Source]) -> str:
    return "".join(f"[{source.number}]" for source in sources)


def _inline(text: str) -> str:
    """Keep article text from being read as Markdown or HTML markup."""
    escaped = text.replace("\\", "\\\\")
    for char in "`*_[]<>#|":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", " ")
