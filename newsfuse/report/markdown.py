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
        f"{view.size} from {outlets}, {view.span}. Story id `{story['id']}`.",
        "",
        "### Digest",
        "",
    ]
    for sentence in story["digest"]:
        lines.append(f"- {_inline(sentence['text'])} {_marks(view, sentence['sources'])}")
    lines += _analysis_lines(view)
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


def _analysis_lines(view: StoryView) -> list[str]:
    """Consensus, single-source claims, contradictions, quotes by speaker and timeline."""
    lines: list[str] = []
    for title, label in (("Consensus", "consensus"), ("Single-source claims", "single_source")):
        claims = view.claims(label)
        if claims:
            lines += ["", f"### {title}", ""]
            lines += [f"- {_inline(c['text'])} {_marks(view, c['article_ids'])}" for c in claims]
    if view.story["contradictions"]:
        lines += ["", "### Contradictions", ""]
        for contradiction in view.story["contradictions"]:
            shown = "; ".join(
                f"{_marks(view, [v['article_id']])} {_inline(v['text'])}" for v in contradiction["variants"]
            )
            lines.append(f"- **{contradiction['kind']}**: {shown} (diff: {_inline(contradiction['diff'])})")
    if view.story["quotes"]:
        lines += ["", "### Quotes by speaker", ""]
        for speaker, quotations in view.quotations_by_speaker():
            lines.append(f"- **{_inline(speaker)}**")
            for variants in quotations:
                for number, quote in enumerate(variants):
                    bullet = "    - variant:" if number else "  -"
                    lines.append(f"{bullet} \u201c{_inline(quote['text'])}\u201d {_marks(view, [quote['article_id']])}")
    if view.story["timeline"]:
        lines += ["", "### Timeline", ""]
        for event in view.story["timeline"]:
            when = " ".join(filter(None, [event["modifier"], event["date"] or "unresolved"]))
            expression, text = _inline(event["expression"]), _inline(event["text"])
            lines.append(f"- **{when}** ({expression}): {text} {_marks(view, event['article_ids'])}")
    return lines


def _marks(view: StoryView, article_ids: list[str]) -> str:
    return "".join(f"[{n}]" for n in view.citations(article_ids))


def _inline(text: str) -> str:
    """Keep article text from being read as Markdown or HTML markup."""
    escaped = text.replace("\\", "\\\\")
    for char in "`*_[]<>#|":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", " ")
