"""Near-duplicate groups on Dask against the single-process pass, on many copies of each story.

Usage: .venv/bin/python bench/batch_dedup.py [--articles N] [--data PATH] [--workers 2]

The corpus is that of bench/batch_workers.py: articles sampled with replacement from real
articles (DUC 2006 dev, read from ../shared/data at run time), each with a distinct id and
its paragraphs after the first shuffled, so at 100,000 articles each story has about 200
near copies, all in the same LSH buckets. No spaCy: this times duplicate detection alone.
Runs, in this order, ``find_duplicates`` in this process (the ``run`` path, the baseline)
and the batch path (read per partition on the workers, band-key shuffle, best matches folded
per article, groups on the client), checks that both give the same groups, and prints wall
time, articles/s, the ratio, the matches that reached the client and peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import dask.bag as db
from batch_workers import DEFAULT_DATA, peak_rss_mib, synthetic_corpus
from distributed import Client, LocalCluster

from newsfuse.batch.dedup import PairedDeduplicator, bare_fingerprint, best_earlier_matches
from newsfuse.batch.partitions import InputPartition, plan_partitions, read_partition
from newsfuse.dedup.minhash import DedupConfig, content_digest, find_duplicates, group_fingerprints, normalized_words
from newsfuse.ingest import read_inputs
from newsfuse.records import Article, DuplicateGroup, arrival_order


def articles_of(partitions: list[InputPartition]) -> list[Article]:
    items = (item for partition in partitions for item in read_partition(partition))
    return [item for item in items if isinstance(item, Article)]


def digest_of(article: Article) -> tuple[tuple[object, ...], str, str]:
    return arrival_order(article), article.id, content_digest(normalized_words(article))


def on_workers(client: Client, corpus: Path, config: DedupConfig) -> tuple[list[DuplicateGroup], int]:
    partitions = plan_partitions([corpus], 1 << 20)
    articles = client.persist(db.from_sequence(partitions, npartitions=len(partitions)).map_partitions(articles_of))
    matches = best_earlier_matches(articles, config)
    digests = sorted(articles.map(digest_of).compute())
    fingerprints = (bare_fingerprint(article_id, digest) for _, article_id, digest in digests)
    return group_fingerprints(fingerprints, PairedDeduplicator(matches, config)), len(matches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    config = DedupConfig()
    with tempfile.TemporaryDirectory() as temp:
        corpus = Path(temp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(a) + "\n" for a in synthetic_corpus(args.data, args.articles)))
        start = time.perf_counter()
        articles = sorted(read_inputs([corpus]).articles, key=arrival_order)
        expected = find_duplicates(articles, config)
        baseline = time.perf_counter() - start
        del articles
        client_peak = peak_rss_mib()
        with (
            LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            start = time.perf_counter()
            groups, matches = on_workers(client, corpus, config)
            elapsed = time.perf_counter() - start
            peaks = sorted(client.run(peak_rss_mib).values())
    copies = sum(len(group.article_ids) - 1 for group in expected)
    print(f"{args.articles} articles, {len(expected)} duplicate groups holding {copies} copies")
    print(f"single process: {baseline:8.1f} s {args.articles / baseline:8.1f} articles/s, peak {client_peak:.0f} MiB")
    print(
        f"{args.workers} workers:     {elapsed:8.1f} s {args.articles / elapsed:8.1f} articles/s, "
        f"{baseline / elapsed:.2f}x, {matches} matches to the client, "
        f"peak per worker {', '.join(f'{p:.0f}' for p in peaks)} MiB"
    )
    print("same groups:", groups == expected)


if __name__ == "__main__":
    main()
