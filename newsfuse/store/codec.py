"""Records to and from the JSON kept in the store.

Stories are stored as their stories.json records (``story_record``), so ``export`` writes
exactly what it read; parsed articles keep what rebuilding a story needs without spaCy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsfuse.records import (
    Article,
    Claim,
    Contradiction,
    DigestSentence,
    EntityMention,
    ParsedArticle,
    Quote,
    Sentence,
    Span,
    Story,
    StoryEntity,
    TimelineEvent,
)

Record = Mapping[str, Any]


def article_from_record(record: Record) -> Article:
    """The inverse of ``article_record`` (``meta`` is not kept)."""
    return Article(**{key: record[key] for key in ARTICLE_KEYS})


ARTICLE_KEYS = ("id", "title", "text", "source", "published", "url", "path", "lang")


def story_from_record(record: Record) -> Story:
    """The inverse of ``story_record``."""
    return Story(
        id=record["id"],
        title=record["title"],
        article_ids=tuple(record["article_ids"]),
        digest=tuple(DigestSentence(d["text"], d["article_id"], tuple(d["sources"])) for d in record["digest"]),
        entities=tuple(
            StoryEntity(e["text"], e["label"], e["count"], tuple(e["article_ids"])) for e in record["entities"]
        ),
        claims=tuple(
            Claim(
                c["id"], c["text"], tuple(c["article_ids"]), c["label"], _spans(c["evidence"]), c.get("salience", 0.0)
            )
            for c in record["claims"]
        ),
        contradictions=tuple(
            Contradiction(c["kind"], c["claim_id"], _spans(c["variants"]), c["diff"]) for c in record["contradictions"]
        ),
        quotes=tuple(
            Quote(
                q["id"],
                q["speaker"],
                q["text"],
                q["article_id"],
                q["start"],
                q["end"],
                _spans(q["parts"]),
                q["variant_of"],
                q.get("speaker_kind", "person" if q["speaker"] else "unknown"),
                _evidence(q["article_id"], q.get("speaker_evidence")),
            )
            for q in record["quotes"]
        ),
        timeline=tuple(
            TimelineEvent(
                t["date"],
                t["granularity"],
                t["modifier"],
                t["text"],
                t["expression"],
                tuple(t["article_ids"]),
                _spans(t["evidence"]),
            )
            for t in record["timeline"]
        ),
        outlets=tuple(record["outlets"]),
        thread_id=record.get("thread_id"),
    )


def _evidence(article_id: str, record: Record | None) -> Span | None:
    """A quote's ``speaker_evidence``; stories stored before it existed have none."""
    return None if record is None else Span(article_id, record["text"], record["start"], record["end"])


def _spans(records: list[Record]) -> tuple[Span, ...]:
    return tuple(Span(s["article_id"], s["text"], s["start"], s["end"]) for s in records)


def parsed_record(parsed: ParsedArticle) -> dict[str, Any]:
    """Sentences as offsets and terms (their text is a slice of the article body), entities, terms."""
    return {
        "sentences": [[s.index, s.start, s.end, list(s.terms)] for s in parsed.sentences],
        "entities": [[e.text, e.name, e.label, e.start, e.end] for e in parsed.entities],
        "terms": list(parsed.terms),
    }


def parsed_from_record(article: Article, record: Record) -> ParsedArticle:
    return ParsedArticle(
        article=article,
        sentences=tuple(
            Sentence(article.id, index, start, end, article.text[start:end], tuple(terms))
            for index, start, end, terms in record["sentences"]
        ),
        entities=tuple(EntityMention(*entity) for entity in record["entities"]),
        terms=tuple(record["terms"]),
    )
