"""Loading a batch's Parquet output into a store, against adding the same input (which parses it).

Usage: .venv/bin/python bench/store_load.py [--data PATH] [--articles N] [--workers 2]

Runs ``batch`` (client clustering, a LocalCluster of ``--workers``) on the first N articles
of the data (DUC 2006 dev, read from ../shared/data at run time), then fills two fresh
SQLite stores one after the other in this process: ``load`` from the Parquet parts, and
``add`` from the input (spaCy per article, as ``newsfuse add``). Prints the seconds and
articles/s of each, the ratio, and whether both stores export the same stories.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from distributed import Client, LocalCluster

from newsfuse.batch.parquet import read_batch_output
from newsfuse.batch.run import run_batch
from newsfuse.codec import result_document
from newsfuse.ingest import read_inputs
from newsfuse.nlp.parse import Parser, parse_one
from newsfuse.records import Article, Skipped
from newsfuse.store import IncrementalPipeline, Store

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "duc2006-dev.jsonl"


def fill(db: Path, articles: tuple[Article, ...], skipped: tuple[Skipped, ...], parse: Parser) -> tuple[float, object]:
    """Seconds to add ``articles`` to a fresh store and analyse its stories, and its stories.json."""
    store = Store(str(db))
    try:
        pipeline = IncrementalPipeline(store, parse=parse)
        start = time.perf_counter()
        pipeline.add(articles, skipped)
        elapsed = time.perf_counter() - start
        return elapsed, result_document(pipeline.result())
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        corpus = Path(temp) / "corpus.jsonl"
        lines = args.data.read_text(encoding="utf-8").splitlines(keepends=True)[: args.articles]
        corpus.write_text("".join(lines), encoding="utf-8")
        out = Path(temp) / "batch"
        with (
            LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            run_batch(client, [corpus], out, json_limit=0)
        output = read_batch_output(out)
        ingested = read_inputs([corpus])
        runs: dict[str, Callable[[], tuple[float, object]]] = {
            "load": lambda: fill(Path(temp) / "load.db", output.articles, output.skipped, output.parse),
            "add": lambda: fill(Path(temp) / "add.db", ingested.articles, ingested.skipped, parse_one),
        }
        timed = {name: run() for name, run in runs.items()}
    count = len(output.articles)
    print(f"{count} articles into a fresh SQLite store")
    for name, (elapsed, _) in timed.items():
        print(f"{name:>5} {elapsed:>8.1f} s {count / elapsed:>8.1f} articles/s")
    print(f"load is {timed['add'][0] / timed['load'][0]:.1f}x faster than add")
    print(f"same stories: {timed['load'][1] == timed['add'][1]}")


if __name__ == "__main__":
    main()
