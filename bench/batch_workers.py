"""Batch on Dask: 1 worker against 2 workers on the same corpus, in the same run.

Usage: .venv/bin/python bench/batch_workers.py [--articles N] [--data PATH]

The corpus is synthesised from real articles (DUC 2006 dev, read from ../shared/data at
run time): articles are sampled with replacement and get a distinct id and a sentence
order shuffle, so the sizes can exceed the 500 real articles. Prints wall time, articles/s,
the speed-up of 2 workers over 1, and the peak resident memory of each worker.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path

from distributed import Client, LocalCluster

from newsfuse.batch.run import run_batch

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
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(workers: int, corpus_path: Path, out_dir: Path) -> tuple[float, list[float]]:
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        start = time.perf_counter()
        run_batch(client, [corpus_path], out_dir, partition_bytes=1 << 20, json_limit=0)
        elapsed = time.perf_counter() - start
        peaks = sorted(client.run(peak_rss_mib).values())
    return elapsed, peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        corpus_path = Path(temp) / "corpus.jsonl"
        corpus = synthetic_corpus(args.data, args.articles)
        corpus_path.write_text("".join(json.dumps(a) + "\n" for a in corpus), encoding="utf-8")
        print(f"{args.articles} articles, {corpus_path.stat().st_size / 2**20:.1f} MiB of JSONL")
        print(f"{'workers':>7} {'wall s':>8} {'articles/s':>10} {'speed-up':>8}  peak RSS per worker (MiB)")
        baseline = None
        for workers in (1, 2):
            elapsed, peaks = measure(workers, corpus_path, Path(temp) / f"out{workers}")
            baseline = baseline or elapsed
            rss = ", ".join(f"{p:.0f}" for p in peaks)
            print(f"{workers:>7} {elapsed:>8.1f} {args.articles / elapsed:>10.1f} {baseline / elapsed:>7.2f}x  {rss}")


if __name__ == "__main__":
    main()
