"""Add articles to a store one transaction at a time, and rebuild only the stories they touch.

Each article is checked for duplicates, parsed, placed by the same online clusterer a
batch run uses, and committed with the clusterer's changes in one transaction: a killed
process leaves the store as it was after the last whole article. The stories an article
changed are marked dirty and rebuilt from the stored parses afterwards (or by the next
``add`` or ``export``), so a story is analysed once per batch rather than per article.
Articles are added in ``arrival_order`` (publication day, then id); a store fed the
same articles as a ``run`` in that order holds the same stories.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from newsfuse.cluster.attach import (
    NearestArticles,
    Neighbour,
    NeighboursInMemory,
    arrive_all,
    own_span,
    placement,
)
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ArticleFeatures, ClusterConfig
from newsfuse.cluster.split import split_story
from newsfuse.cluster.threads import THREADING_VERSION, thread_subjects
from newsfuse.dedup import Deduplicator
from newsfuse.nlp.parse import Parser, parse_one
from newsfuse.outlets.coverage import story_coverage
from newsfuse.pipeline import OutletsChoice, PipelineConfig, build_story, run_result, settled_config, settled_outlets
from newsfuse.records import Article, OutletProfiles, RunResult, Skipped, Story, arrival_order
from newsfuse.store.neighbours import StoredNeighbours
from newsfuse.store.store import Store

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class StoreConfig:
    pipeline: PipelineConfig = field(default_factory=PipelineConfig)
    close_after_days: int = 14
    """Close a story when the newest article in the store is this many days newer than its own newest."""


ArticleOutcome = Literal["added", "copies", "unchanged"]
"""What adding one article did: a new article, a copy of a stored one, or one already stored."""


def open_config(
    store: Store, chosen: Mapping[str, Any], close_after_days: int | None = None, outlets: OutletsChoice | None = None
) -> StoreConfig:
    """The settings and outlet profiles the store was made with, completed by ``chosen`` and
    ``outlets``; a store without any (new, or made before they were kept) keeps these from now on."""
    stored = store.settings()
    pipeline = settled_config(stored, chosen, "this store")
    kept = store.outlets()
    profiles = settled_outlets(kept, outlets, "this store")
    pipeline = replace(pipeline, outlets=profiles)
    if stored != pipeline.settings() or kept != profiles:
        with store.transaction():
            store.set_settings(pipeline.settings())
            if profiles is not None and kept != profiles:
                store.set_outlets(profiles)
                recount_coverage(store, profiles)
    if close_after_days is None:
        return StoreConfig(pipeline)
    return StoreConfig(pipeline, close_after_days)


def counted(
    story: Story, members: Iterable[Article], copies: Iterable[Article], profiles: OutletProfiles | None
) -> Story:
    """The story with its coverage on the store's profiles, kept in its record, so that a reader of
    the store's records sees it as a run's stories.json has it."""
    return story if profiles is None else replace(story, coverage=story_coverage([*members, *copies], profiles))


def recount_coverage(store: Store, profiles: OutletProfiles) -> None:
    """New profiles change no analysis: every stored story's coverage is counted again, nothing re-analysed."""
    articles = {article.id: article for article in store.articles()}
    for story in store.stories():
        members = [articles[i] for i in story.article_ids if i in articles]
        store.save_story(counted(story, members, store.copies_of(list(story.article_ids)), profiles), members)


@dataclass(frozen=True)
class StoryChange:
    """What one rebuild changed in a story, for those who follow it (``watch --on-change``):
    ``new`` is a story no rebuild had saved before; its articles are all new."""

    story_id: str
    title: str
    change: Literal["new", "updated"]
    new_articles: tuple[str, ...]
    new_contradictions: int


@dataclass(frozen=True)
class AddOutcome:
    added: int
    copies: int
    unchanged: int
    rebuilt: int
    changes: tuple[StoryChange, ...] = ()
    """The rebuilt stories that gained an article or a contradiction, in rebuild order."""


def story_change(before: Story | None, after: Story) -> StoryChange:
    """Articles the story did not have, and how many more contradictions it has, than ``before``."""
    known = set(before.article_ids) if before else set()
    return StoryChange(
        story_id=after.id,
        title=after.title,
        change="updated" if before else "new",
        new_articles=tuple(i for i in after.article_ids if i not in known),
        new_contradictions=max(0, len(after.contradictions) - (len(before.contradictions) if before else 0)),
    )


def replay_neighbours(store: Store, config: ClusterConfig) -> None:
    """Fill the index of nearest articles and the lone articles' nearest of a store written before they
    were kept (schema step 9): its clustered articles arrive again, in memory, in the order they were
    added, as ``add`` lets them arrive; then the tables are written at once. The next rebuild places
    its lone articles."""
    if store.meta("neighbours") != "to replay":
        return
    with store.transaction():
        lone = store.lone_positions()
        storage = NeighboursInMemory(config.split_min_part, config.max_postings)
        seqs: list[int] = []
        days: dict[str, list[date | None]] = {}

        def arrivals() -> Iterator[tuple[int, ArticleFeatures]]:
            for seq, parsed, story_id in store.clustered_articles():
                features = article_features(parsed)
                seqs.append(seq)
                days.setdefault(story_id, []).append(features.published)
                yield storage.number(parsed.id), features

        arrive_all(NearestArticles(config, storage), arrivals(), lone)
        if seqs:
            logger.warning("found the nearest articles of %d stored articles, once", len(seqs))
        StoredNeighbours(store.db, config.split_min_part, config.max_postings).fill(storage, seqs, lone)
        for story_id, published in sorted(days.items()):
            store.save_own_days(story_id, own_span(published))
        store.set_meta("neighbours", "kept")


def _ids(near: Sequence[Neighbour]) -> list[str]:
    return [article_id for _, article_id in near]


class IncrementalPipeline:
    """The store's side of ``run``: duplicate check, parse, cluster, per article; stories on demand."""

    def __init__(self, store: Store, config: StoreConfig | None = None, parse: Parser = parse_one) -> None:
        """``parse`` is spaCy's; bench/store_add.py passes stored parses to time the store alone."""
        self.store = store
        self.config = config or StoreConfig()
        self._parse = parse
        self._dedup = Deduplicator(store, self.config.pipeline.dedup)
        cluster = self.config.pipeline.cluster
        self._neighbours = StoredNeighbours(store.db, cluster.split_min_part, cluster.max_postings)
        self._nearest = NearestArticles(cluster, self._neighbours)
        replay_neighbours(store, cluster)
        self._clusterer = store.clusterer(cluster)
        self._generation = store.generation()

    def add(
        self, articles: Iterable[Article], skipped: Sequence[Skipped] = (), progress: Progress | None = None
    ) -> AddOutcome:
        ordered = sorted(articles, key=arrival_order)
        if skipped:
            self.store.add_skipped(skipped)
        counts: Counter[ArticleOutcome] = Counter()
        for number, article in enumerate(ordered, start=1):
            counts[self.add_one(article)] += 1
            if progress:
                progress("add", number, len(ordered))
        changes = self.rebuild_changes(progress)
        rebuilt, changed = len(changes), tuple(c for c in changes if c.new_articles or c.new_contradictions)
        return AddOutcome(counts["added"], counts["copies"], counts["unchanged"], rebuilt, changed)

    def add_one(self, article: Article) -> ArticleOutcome:
        """Add one article in one transaction: 'added', 'copies' (a duplicate) or 'unchanged'."""
        try:
            with self.store.transaction() as generation:
                if generation != self._generation:
                    self._clusterer = self.store.clusterer(self.config.pipeline.cluster)
                outcome = self._add_in_transaction(article)
                if outcome == "added":
                    generation += 1
                    self.store.set_meta("generation", str(generation))
        except BaseException:
            self._generation = -1  # the clusterer in memory may hold changes that were rolled back
            raise
        self._generation = generation
        return outcome

    def _add_in_transaction(self, article: Article) -> ArticleOutcome:
        if self.store.has_article(article.id):
            return "unchanged"
        number = self.store.insert_article(article)
        group = self._dedup.add(article)
        if group is None:
            self._cluster(number, article)
            return "added"
        story_id = self.store.story_of(group.canonical)
        if story_id:
            self.store.mark_dirty(story_id)
        return "copies"

    def _cluster(self, number: int, article: Article) -> None:
        parsed = self._parse(article)
        features = article_features(parsed)
        clusterer = self._clusterer
        story_id = clusterer.add(features)
        self.store.observe_frequencies(clusterer, features.terms, features.entities)
        self.store.set_parsed(parsed, story_id)
        for position in sorted(clusterer.changed):
            story = clusterer.open_story(position)
            if story is None:
                self.store.absorb_story(position, story_id)
            else:
                self.store.save_open_story(position, story)
        for released in self._nearest.follow(clusterer, number, article.id):
            self.store.place(released, None)  # shown in its own story again, which grew
        self._close_old(article)

    def _close_old(self, article: Article) -> None:
        published = article.published_date
        newest = self.store.meta("newest_published")
        if published and (newest is None or published.isoformat() > newest):
            self.store.set_meta("newest_published", published.isoformat())
            cutoff = published - timedelta(days=self.config.close_after_days)
            self.store.close_stories(self._clusterer.close_before(cutoff))

    def rebuild(self, progress: Progress | None = None) -> int:
        """``rebuild_changes``, counted: how many stories were analysed again."""
        return len(self.rebuild_changes(progress))

    def rebuild_changes(self, progress: Progress | None = None) -> list[StoryChange]:
        """Split every dirty online story anew, place the lone articles whose nearest or whose nearest's
        stories changed, and build every story that changed, one transaction each (``thread`` groups
        them later); what each gained."""
        for story_id in dict.fromkeys(self.store.split_root(story_id) for story_id in self.store.dirty_stories()):
            with self.store.transaction():
                self._split(story_id)
        with self.store.transaction():
            self._place()
        roots: dict[str, list[str]] = {}
        for story_id in self.store.unbuilt_stories():
            roots.setdefault(self.store.split_root(story_id), []).append(story_id)
        changes = []
        for number, stories in enumerate(roots.values(), start=1):
            with self.store.transaction():
                changes += [change for story_id in stories if (change := self._build(story_id))]
            if progress:
                progress("stories", number, len(roots))
        self._index_unindexed()
        return changes

    def _split(self, story_id: str) -> None:
        """Split the online story anew (``cluster.split``), as ``run`` does; its parts wait to be built.

        Members go in arrival order, not the database's, so the parts list them the same way
        whatever order the rows come back in (PostgreSQL's changes as rows are updated)."""
        unsplit = sorted(self.store.unsplit_members(story_id), key=lambda parsed: arrival_order(parsed.article))
        features = {p.id: article_features(p) for p in unsplit}
        parts = split_story(story_id, list(features.values()), self.config.pipeline.cluster)
        self.store.save_split(story_id, parts)
        for part, ids in parts:
            self.store.save_own_days(part, own_span(features[i].published for i in ids))
        self.store.mark_split([part for part, _ in parts])

    def _place(self) -> None:
        """Move each lone article whose nearest or whose nearest's stories changed into the story its
        nearest vote for (``cluster.attach.placement``), or back into its own."""
        lone = self._neighbours.to_place(self.store.unbuilt_stories())
        story_of = self.store.own_stories(sorted({i for article_id, near in lone for i in (article_id, *_ids(near))}))
        shapes = self.store.own_shapes(sorted(set(story_of.values())))
        for article_id, near in lone:
            span = shapes[story_of[article_id]].span
            target = placement(near, span[0] if span else None, story_of, shapes, self.config.pipeline.cluster)
            self.store.place(article_id, target)
        self._neighbours.settle()

    def _build(self, story_id: str) -> StoryChange | None:
        """Analyse the story again from the articles it shows; one that shows none is hidden."""
        parsed = sorted(self.store.parsed_members(story_id), key=lambda p: arrival_order(p.article))
        if not parsed:
            self.store.hide_story(story_id)
            return None
        before = self.store.story(story_id)
        copies = self.store.copies_of([p.id for p in parsed])
        story = build_story(story_id, parsed, self.config.pipeline, copies)
        articles = [p.article for p in parsed]
        self.store.save_story(counted(story, articles, copies, self.config.pipeline.outlets), articles)
        return story_change(before, story)

    def thread(self) -> bool:
        """Group the stored stories into threads again if any story changed since; whether it did.

        Threads group stories by the words of all of them, so any rebuilt story may move others
        between threads: they are recomputed over every story, in one transaction. That costs
        seconds in a store of thousands of stories, against milliseconds for one ``add``, so it
        is not part of ``add``: a command threads once at its end, ``watch`` once per poll, and
        ``serve`` in the background. Until then a rebuilt story shows its former thread, a new
        one none; an export threads its stories itself, so it is exact. Stories threaded by an older
        way of threading (``THREADING_VERSION``) count as changed."""
        done = threaded_mark(self.store.meta("stories_stamp"))
        if self.store.meta("threaded") == done:
            return False
        with self.store.transaction():
            self.store.save_threads(thread_subjects(self.store.subjects()))
            self.store.set_meta("threaded", done)
        return True

    def _index_unindexed(self) -> int:
        """Put stories built before the reader's tables existed into them, without analysing them again."""
        unindexed = self.store.unindexed_stories()
        for story_id in unindexed:
            with self.store.transaction():
                story = self.store.story(story_id)
                if story is not None:
                    self.store.save_story(story, self.store.member_articles(story_id))
        return len(unindexed)

    def result(self) -> RunResult:
        """Everything in the store as a run's result, for ``write_outputs``."""
        self.rebuild()
        store = self.store
        return run_result(
            store.articles(), store.skipped(), store.stories(), store.duplicate_groups(), self.config.pipeline
        )


def threaded_mark(stories_stamp: str | None) -> str:
    """What the store's ``threaded`` mark reads once its stories of that stamp are threaded the current way."""
    return f"{stories_stamp or '0'} v{THREADING_VERSION}"
