"""Batch on Dask: 1 worker against 2 workers on the same corpus, in the same run.

Usage: .venv/bin/python bench/batch_workers.py [--articles N] [--data PATH] [--cluster client|blocks] [--workers 1,2]
       .venv/bin/python bench/batch_workers.py --features N [--block-days D] [--lead-in L] [--cache DIR]

The corpus is synthesised from real articles (DUC 2006 dev, read from ../shared/data at
run time): articles are sampled with replacement and get a distinct id and a sentence
order shuffle, so the sizes can exceed the 500 real articles; most of its articles are then
near copies, which the batch finds before parsing and does not parse. Prints wall time,
articles/s, the speed-up of 2 workers over 1, the peak resident memory of each worker, and the
near copies and stories found.

``--features N`` times story clustering alone, on N clustering features sampled the same
way from the parsed real articles (parsed once, outside the timing; ``--cache`` keeps the
parse): the single online pass of the client mode (run on one worker, so that its memory is
measured alone), then time blocks on 1 and 2 workers.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from distributed import Client, LocalCluster

from newsfuse.batch.run import BatchResult, cluster_on_workers, run_batch
from newsfuse.cluster.blocks import BlockConfig
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, cluster_articles
from newsfuse.ingest import read_inputs
from newsfuse.nlp.cache import parse_cached

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "duc2006-dev.jsonl"


def synthetic_corpus(data: Path, count: int, seed: int = 13) -> list[dict[str, object]]:
    """``count`` articles sampled from ``data``, each with a distinct id and shuffled sentences."""
    originals = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    corpus = []
    for number in range(count):
        article = dict(rng.choice(originals))
        paragraphs = str(article["text"]).split("\n")
        head, tail = paragraphs[:1], paragraphs[1:]
        rng.shuffle(tail)
        article.update(id=f"{article['id']}-{number}", text="\n".join(head + tail))
        corpus.append(article)
    return corpus


def peak_rss_mib() -> float:
    """This process's peak resident memory since it started its program.

    Read from VmHWM: ``ru_maxrss`` survives exec on Linux, so a worker's would start at the
    client's resident size when the cluster forked it (the corpus, at 100,000 articles).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_features(data: Path, count: int, cache: Path | None, seed: int = 13) -> list[ArticleFeatures]:
    """``count`` features sampled from the parsed articles of ``data``, each with a distinct id."""
    features = [article_features(p) for p in parse_cached(read_inputs([data]).articles, cache)]
    rng = random.Random(seed)
    return [replace(rng.choice(features), id=f"f{number}") for number in range(count)]


def measure(workers: int, job: Callable[[Client], object]) -> tuple[float, list[float]]:
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        start = time.perf_counter()
        job(client)
        elapsed = time.perf_counter() - start
        peaks = sorted(client.run(peak_rss_mib).values())
    return elapsed, peaks


def row(label: str, count: int, elapsed: float, baseline: float, peaks: list[float]) -> str:
    rss = ", ".join(f"{p:.0f}" for p in peaks)
    return f"{label:>12} {elapsed:>8.1f} {count / elapsed:>10.1f} {baseline / elapsed:>7.2f}x  {rss}"


HEADER = f"{'':>12} {'wall s':>8} {'per s':>10} {'speed-up':>8}  peak RSS per worker (MiB)"


def bench_batch(args: argparse.Namespace) -> None:
    blocks = BlockConfig(args.block_days, args.lead_in) if args.cluster == "blocks" else None
    with tempfile.TemporaryDirectory() as temp:
        corpus_path = Path(temp) / "corpus.jsonl"
        corpus = synthetic_corpus(args.data, args.articles)
        corpus_path.write_text("".join(json.dumps(a) + "\n" for a in corpus), encoding="utf-8")
        print(f"{args.articles} articles, {corpus_path.stat().st_size / 2**20:.1f} MiB of JSONL, {args.cluster}")
        print(HEADER)
        baseline = None
        outcomes: list[BatchResult] = []
        for workers in (int(count) for count in args.workers.split(",")):
            out = Path(temp) / f"out{workers}"
            elapsed, peaks = measure(
                workers,
                lambda client, out=out: outcomes.append(
                    run_batch(client, [corpus_path], out, partition_bytes=1 << 20, json_limit=0, blocks=blocks)
                ),
            )
            baseline = baseline or elapsed
            print(row(f"{workers} workers", args.articles, elapsed, baseline, peaks))
        for copies, stories in sorted({(o.copies, o.stories) for o in outcomes}):
            print(f"{copies} near copies (not parsed), {stories} stories")


def bench_clustering(args: argparse.Namespace) -> None:
    features = synthetic_features(args.data, args.features, args.cache)
    blocks = BlockConfig(args.block_days, args.lead_in)
    print(f"{args.features} clustering features, blocks of {blocks.days} days, lead-in {blocks.lead_in}")
    print(HEADER)
    baseline, peaks = measure(1, lambda client: client.submit(cluster_articles, features).result())
    print(row("one pass", args.features, baseline, baseline, peaks))
    for workers in (1, 2):
        elapsed, peaks = measure(workers, lambda client: cluster_on_workers(client, features, ClusterConfig(), blocks))
        print(row(f"blocks, {workers} w", args.features, elapsed, baseline, peaks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cluster", choices=["client", "blocks"], default="client")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts, each timed (whole pipeline)")
    parser.add_argument("--block-days", type=int, default=BlockConfig.days)
    parser.add_argument("--lead-in", type=int, default=BlockConfig.lead_in)
    parser.add_argument("--features", type=int, default=0, help="time clustering alone on N features")
    parser.add_argument("--cache", type=Path, default=None, help="parse cache folder, for --features")
    args = parser.parse_args()
    if args.features:
        bench_clustering(args)
    else:
        bench_batch(args)


if __name__ == "__main__":
    main()
