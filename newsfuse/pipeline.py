"""The batch pipeline: ingest -> dedup -> nlp -> cluster -> analyze/summarize -> stories."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from newsfuse.analyze.claims import AlignConfig
from newsfuse.analyze.entities import story_entities
from newsfuse.analyze.story import ANALYSED_SENTENCES, analysed_part, analyze_story
from newsfuse.cluster.attach import cluster_and_place
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ClusterConfig
from newsfuse.cluster.threads import thread_stories
from newsfuse.dedup import DedupConfig, find_duplicates
from newsfuse.errors import NewsfuseError
from newsfuse.nlp.parse import parse_articles
from newsfuse.outlets.coverage import with_coverage
from newsfuse.records import (
    Article,
    DuplicateGroup,
    OutletProfiles,
    ParsedArticle,
    RunResult,
    Skipped,
    Story,
    arrival_order,
    article_order,
)
from newsfuse.summarize.digest import DigestConfig, make_digest
from newsfuse.summarize.title import story_title

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(stage, done, total)."""


class SettingsError(NewsfuseError):
    """Settings that conflict with those a store or a stories.json was made with, or unknown ones."""


@dataclass(frozen=True)
class PipelineConfig:
    """Every setting of every stage. ``settings`` are the ones a user chooses (the command line's
    shared options); the others are the code's, chosen on dev data (docs/quality.md)."""

    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    analysis: AlignConfig = field(default_factory=AlignConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    analysed_sentences: int = ANALYSED_SENTENCES
    outlets: OutletProfiles | None = None
    """The user's outlet profiles: not a setting of the analysis (they only count each story's coverage),
    so a store keeps them apart from ``settings`` and lets the user replace them (``settled_outlets``)."""

    def settings(self) -> dict[str, Any]:
        """What a store and a stories.json keep, so that later commands make stories the same way."""
        return {"consensus": self.analysis.consensus, "words": self.digest.words}

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> PipelineConfig:
        unknown = sorted(set(settings) - set(cls().settings()))
        if unknown:
            raise SettingsError(f"unknown pipeline setting {unknown[0]!r}")
        defaults = cls()
        return replace(
            defaults,
            digest=replace(defaults.digest, words=settings.get("words", defaults.digest.words)),
            analysis=replace(defaults.analysis, consensus=settings.get("consensus", defaults.analysis.consensus)),
        )


def settled_config(stored: Mapping[str, Any] | None, chosen: Mapping[str, Any], made: str) -> PipelineConfig:
    """The settings ``made`` (a store, a stories.json) was made with, and the ``chosen`` ones it lacks.

    Stories made one way and extended another would mix, so a chosen setting that differs from a
    stored one is an error rather than a silent override.
    """
    for name, value in sorted(chosen.items()):
        if stored is not None and name in stored and stored[name] != value:
            raise SettingsError(
                f"{made} was made with --{name} {stored[name]}, not {value}: leave --{name} out to use "
                f"{stored[name]}, or start a new one"
            )
    return PipelineConfig.from_settings({**(stored or {}), **chosen})


@dataclass(frozen=True)
class OutletsChoice:
    """Outlet profiles given on the command line: read from ``file``; ``replace`` those kept."""

    profiles: OutletProfiles
    file: str
    replace: bool = False


def settled_outlets(stored: OutletProfiles | None, chosen: OutletsChoice | None, made: str) -> OutletProfiles | None:
    """The outlet profiles ``made`` (a store, a stories.json) keeps, or the ``chosen`` ones.

    Profiles are the user's opinions and get edited, so they may be replaced, but only on purpose:
    a different file given by habit (an old path in a cron job) is refused rather than silently
    swapped for the ones kept.
    """
    if chosen is None or chosen.profiles == stored:
        return stored
    if stored is None or chosen.replace:
        return chosen.profiles
    raise SettingsError(
        f"{made} has other outlet profiles ({len(stored.profiles)} outlets) than {chosen.file} "
        f"({len(chosen.profiles.profiles)} outlets): pass --replace-outlets to use {chosen.file} from now on, "
        "or leave --outlets out to keep them"
    )


def run_pipeline(
    articles: Sequence[Article],
    skipped: Sequence[Skipped] = (),
    config: PipelineConfig | None = None,
    progress: ProgressCallback | None = None,
    parse: Callable[[Sequence[Article]], Iterable[ParsedArticle]] | None = None,
) -> RunResult:
    """``parse`` replaces the spaCy parse of the originals, e.g. by a cached one for evaluations."""
    config = config or PipelineConfig()
    ordered = sorted(articles, key=article_order)
    duplicates = find_duplicates(sorted(articles, key=arrival_order), config.dedup)
    copies = copies_by_canonical(duplicates, ordered)
    copy_ids = {copy.id for group in copies.values() for copy in group}
    canonical = [article for article in ordered if article.id not in copy_ids]
    done = 0

    def parsed_one(_: int) -> None:
        nonlocal done
        done += 1
        if progress:
            progress("nlp", done, len(canonical))

    parsed = list(parse(canonical) if parse else parse_articles(canonical, len(canonical), parsed_one))
    limit = config.analysed_sentences
    skipped = [*skipped, *(long_article_note(p, limit) for p in parsed if len(p.sentences) > limit)]
    features = [article_features(p) for p in parsed]
    _, clusters = cluster_and_place(features, config.cluster)
    by_id = {article.id: article for article in parsed}
    stories = []
    for number, (story_id, article_ids) in enumerate(clusters, start=1):
        members = [by_id[i] for i in article_ids]
        stories.append(build_story(story_id, members, config, [c for i in article_ids for c in copies.get(i, ())]))
        if progress:
            progress("stories", number, len(clusters))
    return run_result(ordered, skipped, stories, duplicates, config)


def run_result(
    articles: Sequence[Article],
    skipped: Iterable[Skipped],
    stories: Iterable[Story],
    duplicates: Iterable[DuplicateGroup],
    config: PipelineConfig,
) -> RunResult:
    """The one way a run, the store and a batch end: articles in order, stories threaded and sorted.

    Threads come first in the order of their first story in the sorted list."""
    published = {article.id: article.published for article in articles}
    groups = tuple(duplicates)
    built = list(stories)
    if config.outlets is not None:
        built = with_coverage(built, articles, groups, config.outlets)
    threads = thread_stories(built, published)
    thread_of = {story_id: thread.id for thread in threads for story_id in thread.story_ids}
    ordered = sort_stories([replace(story, thread_id=thread_of[story.id]) for story in built], published)
    rank = {story.thread_id: number for number, story in reversed(list(enumerate(ordered)))}
    return RunResult(
        articles=tuple(sorted(articles, key=article_order)),
        skipped=tuple(sorted(skipped, key=lambda s: (s.path, s.reason))),
        stories=tuple(ordered),
        duplicates=groups,
        threads=tuple(sorted(threads, key=lambda thread: rank[thread.id])),
        settings=config.settings(),
        outlets=config.outlets,
    )


def long_article_note(parsed: ParsedArticle, limit: int) -> Skipped:
    """Reported with the skipped inputs: the article is kept whole, but analysed in part."""
    return Skipped(
        parsed.article.path or parsed.id,
        f"article {parsed.id!r} has {len(parsed.sentences)} sentences: it is clustered whole, but its story's "
        f"claims, quotes, timeline and digest read the first {limit}",
    )


def copies_by_canonical(groups: Iterable[DuplicateGroup], articles: Iterable[Article]) -> dict[str, list[Article]]:
    """The copies (not the canonical) of each group, by canonical id."""
    by_id = {article.id: article for article in articles}
    return {group.canonical: [by_id[i] for i in group.article_ids[1:]] for group in groups}


def build_story(
    story_id: str, members: Sequence[ParsedArticle], config: PipelineConfig, copies: Iterable[Article] = ()
) -> Story:
    """Analyse one story; ``copies`` (duplicates of its members) only add their outlets."""
    ordered = sorted(members, key=lambda p: article_order(p.article))
    analysed = [analysed_part(p, config.analysed_sentences) for p in ordered]
    analysis = analyze_story(analysed, config.analysis)
    sources = {p.article.source for p in ordered} | {copy.source for copy in copies}
    return Story(
        id=story_id,
        title=story_title(ordered),
        article_ids=tuple(p.id for p in ordered),
        digest=make_digest(analysed, analysis.alignment, config.digest),
        entities=story_entities(ordered),
        claims=analysis.claims,
        contradictions=analysis.contradictions,
        quotes=analysis.quotes,
        timeline=analysis.timeline,
        outlets=tuple(sorted(source for source in sources if source)),
    )


def sort_stories(stories: Iterable[Story], published: Mapping[str, str | None]) -> list[Story]:
    """Sort by size, then latest publication (newest first), then id; stable sorts chain."""

    def latest(story: Story) -> str:
        return max((published[i] or "" for i in story.article_ids), default="")

    ordered = sorted(stories, key=lambda story: story.id)
    ordered.sort(key=latest, reverse=True)
    ordered.sort(key=lambda story: len(story.article_ids), reverse=True)
    return ordered
