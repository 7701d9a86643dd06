"""What a story gained since a date or an article: new articles, outlets, claims, relabelled claims,
contradictions, quotes, timeline entries, and an update digest.

The story is analysed twice, on its earlier articles and on all of them, with the pipeline's own
``build_story``, so "new" means what the reader would have seen then against what they see now.
A claim is new when no earlier article states it; it is relabelled when its label on all the
articles differs from the label of the earlier claim that shares its earlier evidence (a second
outlet confirming a single-source claim turns it into consensus). Contradictions, quotes and
timeline entries are new when an article published since gives them (a widened contradiction
counts: a newer outlet differs from the earlier ones). The update digest picks sentences of the
newer articles only, discounting terms the earlier articles already used.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from newsfuse.analyze.claims import stem
from newsfuse.errors import NewsfuseError
from newsfuse.pipeline import PipelineConfig, build_story
from newsfuse.records import (
    Article,
    Claim,
    DigestSentence,
    ParsedArticle,
    Relabelled,
    Span,
    Story,
    StoryUpdate,
    article_order,
)
from newsfuse.summarize.groups import group_digest


class SinceError(NewsfuseError, ValueError):
    """``since`` is neither an ISO date or datetime nor the id of one of the story's articles."""


def split_since(articles: Sequence[Article], since: str) -> tuple[list[Article], list[Article]]:
    """Articles read before ``since`` and those published since, each in reading order.

    ``since`` an article id: that article and those before it (in reading order) were read. An
    ISO date or datetime: articles published on or after it are new. Undated articles count as
    earlier: nothing says they are news."""
    ordered = sorted(articles, key=article_order)
    ids = [article.id for article in ordered]
    if since in ids:
        cut = ids.index(since) + 1
        return ordered[:cut], ordered[cut:]
    moment = _moment(since)
    newer = [a for a in ordered if a.published and _moment(a.published, len(since) <= 10) >= moment]
    newer_ids = {a.id for a in newer}
    return [a for a in ordered if a.id not in newer_ids], newer


def _moment(value: str, day_only: bool = False) -> datetime:
    """A comparable instant: a date is its midnight; time zones are dropped (naive local times)."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SinceError(f"since {value!r} is neither an ISO date nor an article of the story") from None
    parsed = parsed.replace(tzinfo=None)
    return datetime.combine(parsed.date(), datetime.min.time()) if day_only else parsed


def known_terms(articles: Sequence[ParsedArticle]) -> frozenset[str]:
    """The stemmed content terms the reader has already read in these articles."""
    return frozenset(stem(term) for article in articles for sentence in article.sentences for term in sentence.terms)


def update_digest(
    earlier: Sequence[ParsedArticle], newer: Sequence[ParsedArticle], config: PipelineConfig | None = None
) -> tuple[DigestSentence, ...]:
    """Sentences of the newer articles, chosen for what the earlier ones did not say, each cited."""
    config = config or PipelineConfig()
    return group_digest(newer, config.digest, known_terms(earlier))


def story_update(
    story_id: str, members: Sequence[ParsedArticle], since: str, config: PipelineConfig | None = None
) -> StoryUpdate:
    """What the story of these parsed members gained since ``since`` (see the module's docstring)."""
    config = config or PipelineConfig()
    earlier_articles, newer_articles = split_since([p.article for p in members], since)
    newer_ids = {a.id for a in newer_articles}
    earlier = [p for p in members if p.id not in newer_ids]
    newer = sorted((p for p in members if p.id in newer_ids), key=lambda p: article_order(p.article))
    before = build_story(story_id, earlier, config) if earlier else Story(story_id, "", ())
    now = build_story(story_id, members, config)
    return StoryUpdate(
        story_id=story_id,
        since=since,
        earlier=tuple(a.id for a in earlier_articles),
        newer=tuple(a.id for a in newer_articles),
        new_outlets=tuple(sorted(set(now.outlets) - set(before.outlets))),
        new_claims=tuple(c for c in now.claims if newer_ids.issuperset(c.article_ids)),
        relabelled=relabelled(before.claims, now.claims),
        new_contradictions=tuple(c for c in now.contradictions if any(v.article_id in newer_ids for v in c.variants)),
        new_quotes=tuple(q for q in now.quotes if q.article_id in newer_ids),
        new_timeline=tuple(e for e in now.timeline if newer_ids.issuperset(e.article_ids)),
        digest=update_digest(earlier, newer, config) if newer else (),
    )


def relabelled(before: Sequence[Claim], now: Sequence[Claim]) -> tuple[Relabelled, ...]:
    """Claims of ``now`` whose earlier claim (sharing an evidence span) had another label."""
    earlier_of = {_key(s): claim for claim in before for s in claim.evidence}
    changed = []
    for claim in now:
        match = next((earlier_of[_key(s)] for s in claim.evidence if _key(s) in earlier_of), None)
        if match and match.label != claim.label:
            changed.append(Relabelled(claim, match.label, match.id))
    return tuple(changed)


def _key(span: Span) -> tuple[str, int, int]:
    return (span.article_id, span.start, span.end)
