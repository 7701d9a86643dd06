"""Cross-source analysis of one story: claims, contradictions, quotes and timeline.

All four rest on one sentence alignment and one resolution of dates, computed once here
and also handed to the digest, so the report never contradicts itself about who said what.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsfuse.analyze.claims import AlignConfig, Alignment, align, story_claims
from newsfuse.analyze.contradictions import story_contradictions
from newsfuse.analyze.quotes import person_names, story_quotes
from newsfuse.analyze.salience import scored_claims
from newsfuse.analyze.timeline import story_timeline, time_expressions
from newsfuse.records import Claim, Contradiction, ParsedArticle, Quote, TimelineEvent

ANALYSED_SENTENCES = 500
"""The analysis and the digest read at most this many sentences of an article (the longest
DUC 2006, DUC-TDT, ECB+ and NewsWCL50 dev article has 238): their cost grows with the square
of a story's sentences, so ten book-length articles in one story took 4 GB and 17 minutes."""


def analysed_part(article: ParsedArticle, limit: int = ANALYSED_SENTENCES) -> ParsedArticle:
    """The article up to the end of its ``limit``-th sentence; every span stays a span of the whole text."""
    if len(article.sentences) <= limit:
        return article
    end = article.sentences[limit - 1].end
    return ParsedArticle(
        replace(article.article, text=article.article.text[:end]),
        article.sentences[:limit],
        tuple(mention for mention in article.entities if mention.end <= end),
        article.terms,
    )


@dataclass(frozen=True)
class StoryAnalysis:
    alignment: Alignment
    claims: tuple[Claim, ...]
    contradictions: tuple[Contradiction, ...]
    quotes: tuple[Quote, ...]
    timeline: tuple[TimelineEvent, ...]


def analyze_story(articles: Sequence[ParsedArticle], config: AlignConfig | None = None) -> StoryAnalysis:
    """Analyse a story's articles, given in reading order (publication date, then id)."""
    expressions = {article.id: time_expressions(article) for article in articles}
    alignment = align(articles, expressions, config)
    claims = scored_claims(articles, story_claims(articles, alignment, config))
    names = person_names(articles)
    quotes = story_quotes(articles, names)
    return StoryAnalysis(
        alignment=alignment,
        claims=claims,
        contradictions=story_contradictions(articles, claims, quotes, expressions),
        quotes=quotes,
        timeline=story_timeline(articles, expressions, alignment.same_event),
    )
