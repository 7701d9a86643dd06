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
    """Consensus, single-source claims, contradictions, quotes by speaker and timeline."""
    lines: list[str] = []
    if view.consensus:
        lines += ["", "### Consensus", "", *_cited_lines(view.consensus[:SHOWN_CLAIMS])]
    for group in view.single_source or ():
        lines += ["", f"### What only {_inline(group.outlet)} reports", "", *_cited_lines(group.claims[:SHOWN_CLAIMS])]
    if view.contradictions:
        lines += ["", "### Contradictions", ""]
        for contradiction in view.contradictions:
            shown = "; ".join(f"{_marks([v.source])} {_inline(v.text)}" for v in contradiction.variants)
            lines.append(f"- **{contradiction.kind}**: {shown} (diff: {_inline(contradiction.diff)})")
    if view.quotes:
        lines += ["", "### Quotes by speaker", ""]
        for speaker in view.quotes:
            lines.append(f"- **{_inline(speaker.speaker)}**")
            for variants in speaker.quotes:
                for position, variant in enumerate(variants):
                    bullet = "    - variant:" if position else "  -"
                    lines.append(f"{bullet} \u201c{_inline(variant.text)}\u201d {_marks([variant.source])}")
    if view.timeline:
        lines += ["", "### Timeline", ""]
        for event in view.timeline:
            expression, text = _inline(event.expression), _inline(event.text)
            lines.append(f"- **{event.when}** ({expression}): {text} {_marks(event.sources)}")
    return lines


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
