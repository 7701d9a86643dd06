"""Run the pipeline on a Dask cluster.

The workers read their partitions and keep the articles. Near-duplicate matches are found
by a shuffle on LSH band keys (``newsfuse.batch.dedup``) before any parsing, so that, as in
``run``, spaCy parses only the articles that are not copies: a crawl is often mostly wire
copies. The parsed articles stay on the workers; only compact records, clustering features
and each article's best match travel to the client, which clusters them online in
publication order with the same code as ``run``, so both give the same stories; or, with a
``BlockConfig``, the workers cluster time blocks in parallel and the client joins them
(``newsfuse.cluster.blocks``). The articles are then shuffled to their stories, and the workers
build every story and write Parquet parts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import dask
import dask.bag as db
from dask.delayed import Delayed
from distributed import Client, as_completed, futures_of

from newsfuse.batch.dedup import PairedDeduplicator, bare_fingerprint, best_earlier_matches
from newsfuse.batch.parquet import part_path, write_article_part, write_skipped, write_story_part
from newsfuse.batch.partitions import InputPartition, plan_partitions, read_partition
from newsfuse.cluster.attach import stories_from_online
from newsfuse.cluster.blocks import BlockConfig, block_tasks, cluster_block, merge_blocks
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, cluster_articles
from newsfuse.dedup.minhash import content_digest, group_fingerprints, normalized_words
from newsfuse.ingest.files import first_id_wins
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import PipelineConfig, ProgressCallback, build_story, copies_by_canonical, run_result
from newsfuse.records import Article, ParsedArticle, RunResult, Skipped, Story, arrival_order, article_of


@dataclass(frozen=True)
class ArticleSummary:
    """What the client needs of an article to deduplicate: its record without the text, and its content hash."""

    article: Article
    digest: str


@dataclass(frozen=True)
class BatchResult:
    articles: int
    copies: int
    """Articles found to be near copies of earlier ones: not parsed, they only lend their outlet."""
    stories: int
    skipped: tuple[Skipped, ...]
    result: RunResult | None
    """The whole result, collected only when the corpus is small enough for stories.json."""


def run_batch(
    client: Client,
    paths: Iterable[Path],
    out_dir: Path,
    config: PipelineConfig | None = None,
    partition_bytes: int = 32 << 20,
    json_limit: int = 100_000,
    blocks: BlockConfig | None = None,
    progress: ProgressCallback | None = None,
) -> BatchResult:
    """Clusters on the client, exactly as ``run``, unless ``blocks`` asks for time blocks on the workers.

    ``progress`` hears of each finished task of the stages read, nlp, stories and write.
    """
    config = config or PipelineConfig()
    partitions = plan_partitions(paths, partition_bytes)
    items = client.persist(db.from_sequence(partitions, npartitions=max(1, len(partitions))).map_partitions(_read))
    _wait("read", items, progress)
    skipped: list[Skipped] = items.filter(_is_skipped).compute()
    summaries: list[ArticleSummary] = items.filter(_is_article).map(_summary).compute()
    kept_articles, duplicates = first_id_wins(s.article for s in summaries)
    kept_keys = {(a.id, a.path) for a in kept_articles}
    kept = sorted(
        (s for s in summaries if (s.article.id, s.article.path) in kept_keys), key=lambda s: arrival_order(s.article)
    )
    articles = items.map_partitions(_kept, _once(kept_keys))
    dedup = PairedDeduplicator(best_earlier_matches(articles, config.dedup), config.dedup)
    groups = group_fingerprints((bare_fingerprint(s.article.id, s.digest) for s in kept), dedup)
    copies = copies_by_canonical(groups, (s.article for s in kept))
    copy_ids = {copy.id for group in copies.values() for copy in group}
    parsed = client.persist(articles.map_partitions(_parse_originals, _once(copy_ids)))
    _wait("nlp", parsed, progress)
    features_of = dict(parsed.filter(_is_parsed).map(_features).compute())
    features = [features_of[s.article.id] for s in kept if s.article.id not in copy_ids]
    if blocks is None:
        online = cluster_articles(features, config.cluster)
    else:
        online = cluster_on_workers(client, features, config.cluster, blocks)
    clusters = stories_from_online(online, features, config.cluster)
    story_of = {article_id: story_id for story_id, ids in clusters for article_id in ids}
    story_of |= {copy.id: story_of[canonical] for canonical, group in copies.items() for copy in group}
    number_of = {story_id: number for number, (story_id, _) in enumerate(clusters)}
    story_of_once = _once(story_of)
    stories = client.persist(
        parsed.map_partitions(_numbered, story_of_once, _once(number_of))
        .groupby(_story_number, shuffle="tasks")
        .map(_build_group, _once(clusters), _once(copies), config)
    )
    _wait("stories", stories, progress)
    writes = client.compute(
        [
            *[
                dask.delayed(write_article_part)(part, story_of_once, part_path(out_dir / "articles", n))
                for n, part in enumerate(parsed.to_delayed())
            ],
            *[dask.delayed(write_story_part)(part, out_dir, n) for n, part in enumerate(stories.to_delayed())],
        ]
    )
    _wait("write", writes, progress)
    client.gather(writes)
    all_skipped = tuple(sorted([*skipped, *duplicates], key=lambda s: (s.path, s.reason)))
    write_skipped(all_skipped, out_dir)
    result = None
    if len(kept) <= json_limit:
        built: list[Story] = stories.compute()
        result = run_result(parsed.map(article_of).compute(), all_skipped, built, groups, config)
    return BatchResult(len(kept), len(copy_ids), len(clusters), all_skipped, result)


def _wait(stage: str, computing: Any, progress: ProgressCallback | None) -> None:
    """With ``progress``, wait for the tasks of a persisted collection (or futures), reporting each one done."""
    if progress is None:
        return
    futures = futures_of(computing)
    progress(stage, 0, len(futures))
    for done, _ in enumerate(as_completed(futures), start=1):
        progress(stage, done, len(futures))


def cluster_on_workers(
    client: Client, features: list[ArticleFeatures], config: ClusterConfig, blocks: BlockConfig
) -> list[tuple[str, list[str]]]:
    """One task per time block; only the blocks' stories and their centroids come back to be joined."""
    tasks = block_tasks(features, blocks)
    fragments = client.gather(client.map(cluster_block, tasks, config=config, pure=False))
    return merge_blocks(tasks, fragments, config)


def _read(partitions: list[InputPartition]) -> list[Article | Skipped]:
    return [item for partition in partitions for item in read_partition(partition)]


def _parse_originals(articles: list[Article], copy_ids: set[str]) -> list[ParsedArticle | Article]:
    """Parse on a worker in one process (workers are the unit of parallelism); copies stay
    unparsed, as in ``run`` and the store: they only lend their outlet to a story."""
    originals = [article for article in articles if article.id not in copy_ids]
    parsed = iter(parse_articles(originals, len(originals), processes=1))
    return [article if article.id in copy_ids else next(parsed) for article in articles]


def _once(table: object) -> Delayed:
    """A client-side table as one task of the graph: the tasks that read it fetch it once per
    worker, instead of each carrying a copy in its closure (at 100,000 articles a copy of the
    kept ids is 6.5 MB pickled, and there is a task per partition)."""
    return dask.delayed(table, traverse=False)


def _kept(items: list[Article | Skipped], keys: set[tuple[str, str]]) -> list[Article]:
    return [a for a in items if isinstance(a, Article) and (a.id, a.path) in keys]


def _numbered(
    items: list[ParsedArticle | Article], story_of: dict[str, str], number_of: dict[str, int]
) -> list[tuple[int, ParsedArticle]]:
    """The parsed articles, each with its story's number; copies only lend their outlet."""
    return [(number_of[story_of[p.id]], p) for p in items if isinstance(p, ParsedArticle)]


def _story_number(pair: tuple[int, ParsedArticle]) -> int:
    return pair[0]


def _build_group(
    group: tuple[int, list[tuple[int, ParsedArticle]]],
    clusters: list[tuple[str, list[str]]],
    copies: dict[str, list[Article]],
    config: PipelineConfig,
) -> Story:
    number, pairs = group
    return _build(clusters[number], [p for _, p in pairs], copies, config)


def _is_skipped(item: Any) -> bool:
    return isinstance(item, Skipped)


def _is_parsed(item: Any) -> bool:
    return isinstance(item, ParsedArticle)


def _is_article(item: Any) -> bool:
    return isinstance(item, Article)


def _build(
    cluster: tuple[str, list[str]],
    members: list[ParsedArticle],
    copies: dict[str, list[Article]],
    config: PipelineConfig,
) -> Story:
    return build_story(cluster[0], members, config, [c for i in cluster[1] for c in copies.get(i, ())])


def _summary(article: Article) -> ArticleSummary:
    return ArticleSummary(replace(article, text=""), content_digest(normalized_words(article)))


def _features(parsed: ParsedArticle) -> tuple[str, ArticleFeatures]:
    return parsed.id, article_features(parsed)
