"""The batch pipeline: ingest -> nlp -> cluster -> analyze/summarize -> stories."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newsfuse.analyze.claims import AlignConfig
from newsfuse.analyze.entities import story_entities
from newsfuse.analyze.story import analyze_story
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ClusterConfig, cluster_articles
from newsfuse.nlp.parse import parse_articles
from newsfuse.records import Article, ParsedArticle, Skipped, Story
from newsfuse.summarize.digest import DigestConfig, make_digest
from newsfuse.summarize.title import story_title

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(stage, done, total)."""


@dataclass(frozen=True)
class PipelineConfig:
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    analysis: AlignConfig = field(default_factory=AlignConfig)


@dataclass(frozen=True)
class RunResult:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    stories: tuple[Story, ...]


def run_pipeline(
    articles: Sequence[Article],
    skipped: Sequence[Skipped] = (),
    config: PipelineConfig | None = None,
    progress: ProgressCallback | None = None,
) -> RunResult:
    config = config or PipelineConfig()
    done = 0

    def parsed_one(_: int) -> None:
        nonlocal done
        done += 1
        if progress:
            progress("nlp", done, len(articles))

    parsed = list(parse_articles(articles, len(articles), parsed_one))
    clusters = cluster_articles([article_features(p) for p in parsed], config.cluster)
    by_id = {article.id: article for article in parsed}
    stories = []
    for number, (story_id, article_ids) in enumerate(clusters, start=1):
        stories.append(build_story(story_id, [by_id[i] for i in article_ids], config))
        if progress:
            progress("stories", number, len(clusters))
    return RunResult(
        articles=tuple(sorted(articles, key=article_order)),
        skipped=tuple(sorted(skipped, key=lambda s: (s.path, s.reason))),
        stories=tuple(sort_stories(stories, {i: p.article.published for i, p in by_id.items()})),
    )


def build_story(story_id: str, members: Sequence[ParsedArticle], config: PipelineConfig) -> Story:
    ordered = sorted(members, key=lambda p: article_order(p.article))
    analysis = analyze_story(ordered, config.analysis)
    return Story(
        id=story_id,
        title=story_title(ordered),
        article_ids=tuple(p.id for p in ordered),
        digest=make_digest(ordered, analysis.alignment, config.digest),
        entities=story_entities(ordered),
        claims=analysis.claims,
        contradictions=analysis.contradictions,
        quotes=analysis.quotes,
        timeline=analysis.timeline,
    )


def article_order(article: Article) -> tuple[str, str]:
    return (article.published or "", article.id)


def sort_stories(stories: Iterable[Story], published: Mapping[str, str | None]) -> list[Story]:
    """Sort by size, then latest publication (newest first), then id; stable sorts chain."""

    def latest(story: Story) -> str:
        return max((published[i] or "" for i in story.article_ids), default="")

    ordered = sorted(stories, key=lambda story: story.id)
    ordered.sort(key=latest, reverse=True)
    ordered.sort(key=lambda story: len(story.article_ids), reverse=True)
    return ordered
