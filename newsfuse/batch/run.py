"""Run the pipeline on a Dask cluster.

Reading and spaCy parsing, the expensive stages, run per partition on the workers, and
the parsed articles stay there. Near-duplicate pairs are found by a shuffle on LSH band
keys (``newsfuse.batch.dedup``). Only compact records, clustering features and the
scored duplicate pairs travel to the client, which clusters them online in publication
order with the same code as ``run``, so both give the same stories; or, with a
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
from distributed import Client

from newsfuse.batch.dedup import PairedDeduplicator, bare_fingerprint, best_earlier_matches
from newsfuse.batch.parquet import part_path, write_article_part, write_skipped, write_story_part
from newsfuse.batch.partitions import InputPartition, plan_partitions, read_partition
from newsfuse.cluster.blocks import BlockConfig, block_tasks, cluster_block, merge_blocks
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, cluster_articles
from newsfuse.dedup.minhash import content_digest, group_fingerprints, normalized_words
from newsfuse.ingest.files import first_id_wins
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import (
    PipelineConfig,
    RunResult,
    arrival_order,
    article_order,
    build_story,
    copies_by_canonical,
    sort_stories,
)
from newsfuse.records import Article, ParsedArticle, Skipped, Story


@dataclass(frozen=True)
class ArticleSummary:
    """What the client needs of an article: its record without the text, and its features."""

    article: Article
    features: ArticleFeatures
    digest: str


@dataclass(frozen=True)
class BatchResult:
    articles: int
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
) -> BatchResult:
    """Clusters on the client, exactly as ``run``, unless ``blocks`` asks for time blocks on the workers."""
    config = config or PipelineConfig()
    partitions = plan_partitions(paths, partition_bytes)
    items = client.persist(db.from_sequence(partitions, npartitions=max(1, len(partitions))).map_partitions(_parse))
    skipped: list[Skipped] = items.filter(_is_skipped).compute()
    summaries: list[ArticleSummary] = items.filter(_is_parsed).map(_summary).compute()
    kept_articles, duplicates = first_id_wins(s.article for s in summaries)
    kept_keys = {(a.id, a.path) for a in kept_articles}
    kept = sorted(
        (s for s in summaries if (s.article.id, s.article.path) in kept_keys), key=lambda s: arrival_order(s.article)
    )
    parsed = items.map_partitions(_kept, _once(kept_keys))
    dedup = PairedDeduplicator(best_earlier_matches(parsed, config.dedup), config.dedup)
    groups = group_fingerprints((bare_fingerprint(s.article.id, s.digest) for s in kept), dedup)
    copies = copies_by_canonical(groups, (s.article for s in kept))
    copy_ids = {copy.id for group in copies.values() for copy in group}
    features = [s.features for s in kept if s.article.id not in copy_ids]
    if blocks is None:
        clusters = cluster_articles(features, config.cluster)
    else:
        clusters = cluster_on_workers(client, features, config.cluster, blocks)
    story_of = {article_id: story_id for story_id, ids in clusters for article_id in ids}
    story_of |= {copy.id: story_of[canonical] for canonical, group in copies.items() for copy in group}
    number_of = {story_id: number for number, (story_id, _) in enumerate(clusters)}
    story_of_once = _once(story_of)
    stories = client.persist(
        parsed.map_partitions(_numbered, _once(copy_ids), story_of_once, _once(number_of))
        .groupby(_story_number, shuffle="tasks")
        .map(_build_group, _once(clusters), _once(copies), config)
    )
    dask.compute(
        *[
            dask.delayed(write_article_part)(part, story_of_once, part_path(out_dir / "articles", n))
            for n, part in enumerate(parsed.to_delayed())
        ],
        *[dask.delayed(write_story_part)(part, out_dir, n) for n, part in enumerate(stories.to_delayed())],
    )
    all_skipped = tuple(sorted([*skipped, *duplicates], key=lambda s: (s.path, s.reason)))
    write_skipped(all_skipped, out_dir)
    result = None
    if len(kept) <= json_limit:
        articles = sorted(parsed.map(lambda p: p.article).compute(), key=article_order)
        built: list[Story] = stories.compute()
        ordered = sort_stories(built, {a.id: a.published for a in articles})
        result = RunResult(tuple(articles), all_skipped, tuple(ordered), tuple(groups))
    return BatchResult(len(kept), len(clusters), all_skipped, result)


def cluster_on_workers(
    client: Client, features: list[ArticleFeatures], config: ClusterConfig, blocks: BlockConfig
) -> list[tuple[str, list[str]]]:
    """One task per time block; only the blocks' stories and their centroids come back to be joined."""
    tasks = block_tasks(features, blocks)
    fragments = client.gather(client.map(cluster_block, tasks, config=config, pure=False))
    return merge_blocks(tasks, fragments, config)


def _parse(partitions: list[InputPartition]) -> list[ParsedArticle | Skipped]:
    """Read and parse on a worker in one process: workers are the unit of parallelism."""
    items = [item for partition in partitions for item in read_partition(partition)]
    articles = [item for item in items if isinstance(item, Article)]
    parsed = iter(parse_articles(articles, len(articles), processes=1))
    return [next(parsed) if isinstance(item, Article) else item for item in items]


def _once(table: object) -> Delayed:
    """A client-side table as one task of the graph: the tasks that read it fetch it once per
    worker, instead of each carrying a copy in its closure (at 100,000 articles a copy of the
    kept ids is 6.5 MB pickled, and there is a task per partition)."""
    return dask.delayed(table, traverse=False)


def _kept(items: list[ParsedArticle | Skipped], keys: set[tuple[str, str]]) -> list[ParsedArticle]:
    return [p for p in items if isinstance(p, ParsedArticle) and (p.id, p.article.path) in keys]


def _numbered(
    parsed: list[ParsedArticle], copy_ids: set[str], story_of: dict[str, str], number_of: dict[str, int]
) -> list[tuple[int, ParsedArticle]]:
    """The articles to analyse (copies only lend their outlet), each with its story's number."""
    return [(number_of[story_of[p.id]], p) for p in parsed if p.id not in copy_ids]


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


def _build(
    cluster: tuple[str, list[str]],
    members: list[ParsedArticle],
    copies: dict[str, list[Article]],
    config: PipelineConfig,
) -> Story:
    return build_story(cluster[0], members, config, [c for i in cluster[1] for c in copies.get(i, ())])


def _summary(parsed: ParsedArticle) -> ArticleSummary:
    article = parsed.article
    digest = content_digest(normalized_words(article))
    return ArticleSummary(replace(article, text=""), article_features(parsed), digest)
