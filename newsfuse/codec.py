"""Every record to its JSON form and back: the one codec of stories.json, the store, the batch's
Parquet parts and the API.

Key names are stable; later versions only add keys, and a reader checks ``version`` so that a
document written by a newer format is refused instead of misread. Encoders and decoders sit
side by side so that a key added to one is seen missing from the other (the round-trip test
over generated records checks every pair).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from newsfuse.errors import NewsfuseError
from newsfuse.records import (
    Article,
    Claim,
    ColumnCoverage,
    Contradiction,
    Coverage,
    CoverageValue,
    DigestSentence,
    DuplicateGroup,
    EntityMention,
    OutletProfile,
    OutletProfiles,
    ParsedArticle,
    Quote,
    Relabelled,
    RunResult,
    Sentence,
    Skipped,
    Span,
    Story,
    StoryEntity,
    StoryUpdate,
    Thread,
    TimelineEvent,
)

FORMAT_VERSION = 1
Record = Mapping[str, Any]


class FormatError(NewsfuseError):
    """A document this version cannot read: newer, or not a newsfuse document."""


def check_version(document: Record, where: str) -> None:
    """Refuse a document written by a newer format; one without ``version`` predates it (version 1)."""
    version = document.get("version", 1)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise FormatError(
            f"{where}: format version {version!r} is newer than this newsfuse reads ({FORMAT_VERSION}); upgrade"
        )


def result_document(result: RunResult) -> dict[str, Any]:
    """A run as stories.json."""
    return {
        "version": FORMAT_VERSION,
        "articles": [article_record(article) for article in result.articles],
        "skipped": [skipped_record(skipped) for skipped in result.skipped],
        "stories": [story_record(story) for story in result.stories],
        "duplicates": [duplicate_record(group) for group in result.duplicates],
        "threads": [thread_record(thread) for thread in result.threads],
        "settings": dict(sorted(result.settings.items())),
        **({"outlets": profiles_record(result.outlets)} if result.outlets is not None else {}),
    }


def dumps(document: Record) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def article_record(article: Article) -> dict[str, Any]:
    """Everything but ``meta`` (the input's other fields stay with the input)."""
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


def article_from_record(record: Record) -> Article:
    return Article(
        id=record["id"],
        title=record["title"],
        text=record["text"],
        source=record.get("source"),
        published=record.get("published"),
        url=record.get("url"),
        path=record.get("path"),
        lang=record.get("lang"),
    )


def skipped_record(skipped: Skipped) -> dict[str, Any]:
    return {"path": skipped.path, "reason": skipped.reason}


def skipped_from_record(record: Record) -> Skipped:
    return Skipped(record["path"], record["reason"])


def thread_record(thread: Thread) -> dict[str, Any]:
    return {"id": thread.id, "title": thread.title, "story_ids": list(thread.story_ids)}


def thread_from_record(record: Record) -> Thread:
    return Thread(record["id"], record["title"], tuple(record["story_ids"]))


def duplicate_record(group: DuplicateGroup) -> dict[str, Any]:
    return {"canonical": group.canonical, "article_ids": list(group.article_ids), "similarity": group.similarity}


def duplicate_from_record(record: Record) -> DuplicateGroup:
    return DuplicateGroup(record["canonical"], tuple(record["article_ids"]), record["similarity"])


def story_record(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "article_ids": list(story.article_ids),
        "digest": [digest_record(sentence) for sentence in story.digest],
        "entities": [entity_record(entity) for entity in story.entities],
        "claims": [claim_record(claim) for claim in story.claims],
        "contradictions": [contradiction_record(c) for c in story.contradictions],
        "quotes": [quote_record(quote) for quote in story.quotes],
        "timeline": [timeline_record(event) for event in story.timeline],
        "outlets": list(story.outlets),
        "thread_id": story.thread_id,
        **({"coverage": coverage_record(story.coverage)} if story.coverage is not None else {}),
    }


def story_from_record(record: Record) -> Story:
    return Story(
        id=record["id"],
        title=record["title"],
        article_ids=tuple(record["article_ids"]),
        digest=tuple(digest_from_record(d) for d in record["digest"]),
        entities=tuple(entity_from_record(e) for e in record["entities"]),
        claims=tuple(claim_from_record(c) for c in record["claims"]),
        contradictions=tuple(contradiction_from_record(c) for c in record["contradictions"]),
        quotes=tuple(quote_from_record(q) for q in record["quotes"]),
        timeline=tuple(timeline_from_record(t) for t in record["timeline"]),
        outlets=tuple(record["outlets"]),
        thread_id=record.get("thread_id"),
        coverage=coverage_from_record(record["coverage"]) if "coverage" in record else None,
    )


def profiles_record(profiles: OutletProfiles) -> dict[str, Any]:
    """The user's outlet profiles as stories.json and the store keep them (columns follow from the rows)."""
    return {
        "profiles": [
            {"outlet": p.outlet, "domains": list(p.domains), "fields": dict(p.fields)} for p in profiles.profiles
        ]
    }


def document_outlets(document: Record) -> OutletProfiles | None:
    """The outlet profiles a stories.json was made with; None when it had none (or predates them)."""
    return profiles_from_record(document["outlets"]) if "outlets" in document else None


def profiles_from_record(record: Record) -> OutletProfiles:
    profiles = tuple(
        OutletProfile(p["outlet"], tuple(p["domains"]), tuple(sorted(p["fields"].items()))) for p in record["profiles"]
    )
    columns = sorted({column for profile in profiles for column, _ in profile.fields})
    return OutletProfiles(profiles, tuple(columns))


def coverage_record(coverage: Coverage) -> dict[str, Any]:
    """A story's ``coverage`` key: plain JSON types, columns and values in the coverage's order."""
    return {
        "articles": coverage.articles,
        "outlets": coverage.outlets,
        "columns": {
            column.column: [
                {"value": v.value, "articles": v.articles, "outlets": list(v.outlets)} for v in column.values
            ]
            for column in coverage.columns
        },
        "unprofiled": list(coverage.unprofiled),
        "articles_without_outlet": coverage.articles_without_outlet,
    }


def coverage_from_record(record: Record) -> Coverage:
    return Coverage(
        articles=record["articles"],
        outlets=record["outlets"],
        columns=tuple(
            ColumnCoverage(column, tuple(CoverageValue(v["value"], v["articles"], tuple(v["outlets"])) for v in values))
            for column, values in record["columns"].items()
        ),
        unprofiled=tuple(record["unprofiled"]),
        articles_without_outlet=record.get("articles_without_outlet", 0),
    )


def update_record(update: StoryUpdate) -> dict[str, Any]:
    """What a story gained since ``since`` (``newsfuse export --since``, ``/api/updates``)."""
    return {
        "story_id": update.story_id,
        "since": update.since,
        "earlier": list(update.earlier),
        "newer": list(update.newer),
        "new_outlets": list(update.new_outlets),
        "new_claims": [claim_record(c) for c in update.new_claims],
        "relabelled": [
            {"claim": claim_record(r.claim), "before": r.before, "earlier_id": r.earlier_id} for r in update.relabelled
        ],
        "new_contradictions": [contradiction_record(c) for c in update.new_contradictions],
        "new_quotes": [quote_record(q) for q in update.new_quotes],
        "new_timeline": [timeline_record(t) for t in update.new_timeline],
        "digest": [digest_record(d) for d in update.digest],
    }


def update_from_record(record: Record) -> StoryUpdate:
    return StoryUpdate(
        story_id=record["story_id"],
        since=record["since"],
        earlier=tuple(record["earlier"]),
        newer=tuple(record["newer"]),
        new_outlets=tuple(record["new_outlets"]),
        new_claims=tuple(claim_from_record(c) for c in record["new_claims"]),
        relabelled=tuple(
            Relabelled(claim_from_record(r["claim"]), r["before"], r["earlier_id"]) for r in record["relabelled"]
        ),
        new_contradictions=tuple(contradiction_from_record(c) for c in record["new_contradictions"]),
        new_quotes=tuple(quote_from_record(q) for q in record["new_quotes"]),
        new_timeline=tuple(timeline_from_record(t) for t in record["new_timeline"]),
        digest=tuple(digest_from_record(d) for d in record["digest"]),
    )


def digest_record(sentence: DigestSentence) -> dict[str, Any]:
    return {"text": sentence.text, "article_id": sentence.article_id, "sources": list(sentence.sources)}


def digest_from_record(record: Record) -> DigestSentence:
    return DigestSentence(record["text"], record["article_id"], tuple(record["sources"]))


def entity_record(entity: StoryEntity) -> dict[str, Any]:
    return {"text": entity.text, "label": entity.label, "count": entity.count, "article_ids": list(entity.article_ids)}


def entity_from_record(record: Record) -> StoryEntity:
    return StoryEntity(record["text"], record["label"], record["count"], tuple(record["article_ids"]))


def span_record(span: Span) -> dict[str, Any]:
    return {"article_id": span.article_id, "text": span.text, "start": span.start, "end": span.end}


def spans_from_records(records: Sequence[Record]) -> tuple[Span, ...]:
    return tuple(Span(s["article_id"], s["text"], s["start"], s["end"]) for s in records)


def claim_record(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "text": claim.text,
        "article_ids": list(claim.article_ids),
        "label": claim.label,
        "evidence": [span_record(span) for span in claim.evidence],
        "salience": claim.salience,
    }


def claim_from_record(record: Record) -> Claim:
    """A claim written before records kept its salience reads 0: ranked by its outlets alone."""
    return Claim(
        record["id"],
        record["text"],
        tuple(record["article_ids"]),
        record["label"],
        spans_from_records(record["evidence"]),
        float(record.get("salience", 0.0)),
    )


def contradiction_record(contradiction: Contradiction) -> dict[str, Any]:
    return {
        "kind": contradiction.kind,
        "claim_id": contradiction.claim_id,
        "variants": [span_record(span) for span in contradiction.variants],
        "diff": contradiction.diff,
    }


def contradiction_from_record(record: Record) -> Contradiction:
    return Contradiction(record["kind"], record["claim_id"], spans_from_records(record["variants"]), record["diff"])


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


def quote_from_record(record: Record) -> Quote:
    """Quotes stored before ``speaker_kind``/``speaker_evidence`` existed read as a person or nobody."""
    return Quote(
        id=record["id"],
        speaker=record["speaker"],
        text=record["text"],
        article_id=record["article_id"],
        start=record["start"],
        end=record["end"],
        parts=spans_from_records(record["parts"]),
        variant_of=record["variant_of"],
        speaker_kind=record.get("speaker_kind", "person" if record["speaker"] else "unknown"),
        speaker_evidence=_evidence_from_record(record["article_id"], record.get("speaker_evidence")),
    )


def _evidence_record(span: Span | None) -> dict[str, Any] | None:
    """The span naming a speaker, in the quote's own article (so no ``article_id``)."""
    return None if span is None else {"text": span.text, "start": span.start, "end": span.end}


def _evidence_from_record(article_id: str, record: Record | None) -> Span | None:
    return None if record is None else Span(article_id, record["text"], record["start"], record["end"])


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


def timeline_from_record(record: Record) -> TimelineEvent:
    return TimelineEvent(
        date=record["date"],
        granularity=record["granularity"],
        modifier=record["modifier"],
        text=record["text"],
        expression=record["expression"],
        article_ids=tuple(record["article_ids"]),
        evidence=spans_from_records(record["evidence"]),
    )


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
            Sentence(article.id, index, start, end, article.text[start:end], tuple(map(sys.intern, terms)))
            for index, start, end, terms in record["sentences"]
        ),
        entities=tuple(
            EntityMention(text, sys.intern(name), label, start, end)
            for text, name, label, start, end in record["entities"]
        ),
        terms=tuple(map(sys.intern, record["terms"])),  # one string for a word in every article, as the parse gives
    )
