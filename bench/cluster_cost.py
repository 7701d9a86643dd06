"""Clustering and threading cost per article as the corpus grows (target: under 2 ms an article at 100k).

The corpus is ``bench/throughput.py``'s (copies of the 500 parsed DUC 2006 dev articles, each
copy of the corpus renamed so that its stories are other events), re-dated so that each
story stays an event: copy k keeps its articles' own dates moved k weeks on, so a week of
news holds the events of many copies at once, as a dense stream does. ``cluster`` is the
online clustering of ``run`` (join model, candidate index, merges); ``split`` is
``split_stories`` over its stories (HDBSCAN inside each story of 10 articles or more, as
``run`` does next); ``place`` is ``place_lone`` over the split stories (each lone article's
nearest found as the articles arrive, then the vote, as ``batch`` does next); ``run`` is
``cluster_and_place``, all three as ``run`` does them (the nearest found in the online pass,
with its vectors, so ``run`` less ``cluster`` and ``split`` is what placing costs ``run``);
``threads`` is ``thread_stories`` over the resulting stories, each given its articles'
sentences as claims (what the words of a real story's claims are). Each size is timed in the
same process, one after the other, so the ratio between sizes is what to read.

    .venv/bin/python bench/cluster_cost.py [--sizes 1000,10000,100000] [--parse-cache DIR]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from throughput import DATA, synthesise

from newsfuse.cluster.attach import cluster_and_place, place_lone
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ClusterConfig, cluster_articles
from newsfuse.cluster.split import split_stories
from newsfuse.cluster.threads import thread_stories
from newsfuse.ingest import read_inputs
from newsfuse.nlp.cache import parse_cached
from newsfuse.records import Claim, ParsedArticle, Story


def redated(parsed: ParsedArticle, copy: int, original: date | None) -> ParsedArticle:
    published = (original + timedelta(weeks=copy)).isoformat() if original else None
    return replace(parsed, article=replace(parsed.article, published=published))


def stories_of(clusters: list[tuple[str, list[str]]], corpus: list[ParsedArticle]) -> list[Story]:
    by_id = {p.id: p for p in corpus}
    stories = []
    for story_id, ids in clusters:
        claims = tuple(
            Claim(f"{story_id}-{n}", sentence.text, (article_id,), "single_source", ())
            for article_id in ids
            for n, sentence in enumerate(by_id[article_id].sentences)
        )
        stories.append(Story(story_id, by_id[ids[0]].article.title, tuple(ids), claims=claims))
    return stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--parse-cache", type=Path)
    args = parser.parse_args()
    bases = parse_cached(read_inputs([DATA / "duc2006-dev.jsonl"]).articles, args.parse_cache)
    print(
        "articles | stories | cluster ms/article | split stories | split ms/article | placed stories"
        " | place ms/article | run ms/article | threads | threads ms/article"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        copies = synthesise(bases, size, args.seed)
        corpus = [
            redated(p, n // len(bases), bases[n % len(bases)].article.published_date) for n, p in enumerate(copies)
        ]
        features = [article_features(p) for p in corpus]
        start = time.perf_counter()
        online = cluster_articles(features)
        clustered = time.perf_counter() - start
        start = time.perf_counter()
        clusters = split_stories(online, features, ClusterConfig())
        split = time.perf_counter() - start
        start = time.perf_counter()
        placed = place_lone(clusters, features, ClusterConfig())
        placing = time.perf_counter() - start
        start = time.perf_counter()
        _, in_one_pass = cluster_and_place(features, ClusterConfig())
        in_run = time.perf_counter() - start
        assert in_one_pass == placed, "run and batch place alike"
        stories = stories_of(placed, corpus)
        published = {p.id: p.article.published for p in corpus}
        start = time.perf_counter()
        threads = thread_stories(stories, published)
        threaded = time.perf_counter() - start
        print(
            f"{size:,} | {len(online):,} | {1000 * clustered / size:.2f} | {len(clusters):,} | "
            f"{1000 * split / size:.2f} | {len(placed):,} | {1000 * placing / size:.2f} | {1000 * in_run / size:.2f} | "
            f"{len(threads):,} | {1000 * threaded / size:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
