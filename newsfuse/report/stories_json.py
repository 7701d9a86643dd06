"""The stories.json contract: key names are stable; later versions only add keys."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from newsfuse.pipeline import RunResult
from newsfuse.records import (
    Article,
    Claim,
    Contradiction,
    DuplicateGroup,
    Quote,
    Span,
    Story,
    Thread,
    TimelineEvent,
)

FORMAT_VERSION = 1


def article_record(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "url": article.url,
        "path": article.path,
        "lang": article.lang,
        "text": article.text,
    }


def stories_document(result: RunResult) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "articles": [article_record(article) for article in result.articles],
        "skipped": [asdict(skipped) for skipped in result.skipped],
        "stories": [story_record(story) for story in result.stories],
        "duplicates": [duplicate_record(group) for group in result.duplicates],
        "threads": [thread_record(thread) for thread in result.threads],
    }


def thread_record(thread: Thread) -> dict[str, Any]:
    return {"id": thread.id, "title": thread.title, "story_ids": list(thread.story_ids)}


def duplicate_record(group: DuplicateGroup) -> dict[str, Any]:
    return {"canonical": group.canonical, "article_ids": list(group.article_ids), "similarity": group.similarity}


def story_record(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "article_ids": list(story.article_ids),
        "digest": [{"text": d.text, "article_id": d.article_id, "sources": list(d.sources)} for d in story.digest],
        "entities": [
            {"text": e.text, "label": e.label, "count": e.count, "article_ids": list(e.article_ids)}
            for e in story.entities
        ],
        "claims": [claim_record(claim) for claim in story.claims],
        "contradictions": [contradiction_record(c) for c in story.contradictions],
        "quotes": [quote_record(quote) for quote in story.quotes],
        "timeline": [timeline_record(event) for event in story.timeline],
        "outlets": list(story.outlets),
        "thread_id": story.thread_id,
    }


def span_record(span: Span) -> dict[str, Any]:
    return {"article_id": span.article_id, "text": span.text, "start": span.start, "end": span.end}


def claim_record(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "text": claim.text,
        "article_ids": list(claim.article_ids),
        "label": claim.label,
        "evidence": [span_record(span) for span in claim.evidence],
        "salience": claim.salience,
    }


def contradiction_record(contradiction: Contradiction) -> dict[str, Any]:
    return {
        "kind": contradiction.kind,
        "claim_id": contradiction.claim_id,
        "variants": [span_record(span) for span in contradiction.variants],
        "diff": contradiction.diff,
    }


def quote_record(quote: Quote) -> dict[str, Any]:
    return {
        "id": quote.id,
        "speaker": quote.speaker,
        "text": quote.text,
        "article_id": quote.article_id,
        "start": quote.start,
        "end": quote.end,
        "variant_of": quote.variant_of,
        "parts": [span_record(span) for span in quote.parts],
        "speaker_kind": quote.speaker_kind,
        "speaker_evidence": _evidence_record(quote.speaker_evidence),
    }


def _evidence_record(span: Span | None) -> dict[str, Any] | None:
    """The span naming a speaker, in the quote's own article (so no ``article_id``)."""
    return None if span is None else {"text": span.text, "start": span.start, "end": span.end}


def timeline_record(event: TimelineEvent) -> dict[str, Any]:
    return {
        "date": event.date,
        "granularity": event.granularity,
        "modifier": event.modifier,
        "expression": event.expression,
        "text": event.text,
        "article_ids": list(event.article_ids),
        "evidence": [span_record(span) for span in event.evidence],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
