"""report.md: every story with its cited digest, entities and sources."""

from __future__ import annotations

from typing import Any

from newsfuse.report.view import StoryView, story_views

TOP_ENTITIES = 12


def render_markdown(document: dict[str, Any]) -> str:
    views = story_views(document)
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
        f"{len(view.articles)} articles from {outlets}, {view.span}. Story id `{story['id']}`.",
        "",
        "### Digest",
        "",
    ]
    for sentence in story["digest"]:
        marks = "".join(f"[{n}]" for n in view.citations(sentence["sources"]))
        lines.append(f"- {_inline(sentence['text'])} {marks}")
    entities = story["entities"][:TOP_ENTITIES]
    if entities:
        lines += ["", "### Entities", ""]
        lines.append(", ".join(f"{_inline(e['text'])} ({e['label']}, {e['count']})" for e in entities))
    lines += ["", "### Sources", ""]
    for article in view.articles:
        source = article["source"] or "unknown"
        published = article["published"] or "undated"
        lines.append(f"{view.number_of[article['id']]}. {_inline(article['title'])} ({source}, {published})")
    lines.append("")
    return lines


def _inline(text: str) -> str:
    """Keep article text from being read as Markdown or HTML markup."""
    escaped = text.replace("\\", "\\\\")
    for char in "`*_[]<>#|":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", " ")
