"""What the number of candidate stories (``max_candidates``) costs and changes at scale.

The dev sets are too small to tell: an article there has 4 to 21 candidates on average, so
any cap of 20 or more gives the same stories. This times ``cluster_and_place`` (what ``run``
does: online pass, split, lone articles placed) on ``bench/cluster_cost.py``'s corpus at each
cap, one after the other in one process, and prints per cap: ms an article, the stories, the
B-cubed agreement of its stories with the first cap's, and B-cubed against the corpus's own
labels (the DUC 2006 topic and the copy an article comes from: a topic is a thread, broader
than an event, so read its recall as joins of one subject, not as event-level quality).

    .venv/bin/python bench/cluster_candidates.py [--size 10000] [--caps 40,30,20] [--parse-cache DIR]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from cluster_cost import redated
from throughput import DATA, synthesise

from newsfuse.cluster.attach import cluster_and_place
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ClusterConfig
from newsfuse.evaluate.clustering import gold_labels
from newsfuse.evaluate.metrics import bcubed
from newsfuse.ingest import read_inputs
from newsfuse.nlp.cache import parse_cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--caps", default="40,30,20")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--parse-cache", type=Path)
    args = parser.parse_args()
    originals = read_inputs([DATA / "duc2006-dev.jsonl"]).articles
    topics = gold_labels(originals)
    bases = parse_cached(originals, args.parse_cache)
    copies = synthesise(bases, args.size, args.seed)
    corpus = [redated(p, n // len(bases), bases[n % len(bases)].article.published_date) for n, p in enumerate(copies)]
    subjects = {p.id: f"{topics[bases[n % len(bases)].id]} copy {n // len(bases)}" for n, p in enumerate(corpus)}
    features = [article_features(p) for p in corpus]
    print("cap | ms/article | stories | agreement F1 with the first cap | subject precision | recall | F1")
    first: dict[str, str] | None = None
    for cap in (int(c) for c in args.caps.split(",")):
        start = time.perf_counter()
        _, stories = cluster_and_place(features, replace(ClusterConfig(), max_candidates=cap))
        elapsed = time.perf_counter() - start
        found = {article_id: story for story, members in stories for article_id in members}
        first = first or found
        agreement, subject = bcubed(found, first), bcubed(found, subjects)
        print(
            f"{cap} | {1000 * elapsed / args.size:.2f} | {len(stories):,} | {agreement.f1:.4f} | "
            f"{subject.precision:.3f} | {subject.recall:.3f} | {subject.f1:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
