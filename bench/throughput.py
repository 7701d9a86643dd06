"""Articles per second, end to end and per stage, and peak memory, at growing corpus sizes.

Corpora of N articles are synthesised from the 500 real DUC 2006 dev articles: each copy
gets a new id, its date shifted by a seeded random number of days (up to two years), a
seeded random fifth of its sentences dropped, and, in the k-th copy of the corpus, eight in
ten of its terms and entity names marked with k: copies of one article within a copy of the
corpus form the original stories, copies across copies are other events, so the number of
stories grows with the corpus and stories keep their real sizes (about 25 articles). Each
size runs in a fresh child process (peak RSS is that process's high-water mark, spaCy's
worker processes excluded).

Stages: ingest (JSONL of the perturbed texts through ``read_inputs``), nlp (spaCy over
``--nlp-sample`` of them: its cost per article does not depend on the corpus size, so larger
sizes use the measured rate), cluster, analyze+summarize (``build_story`` per story) and
report (stories.json, report.md, report.html). The end-to-end rate adds the stage times, the
nlp time counted at the measured rate for all N articles.

    .venv/bin/python bench/throughput.py [--sizes 1000,10000] [--nlp-sample 200] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import cluster_articles
from newsfuse.ingest import read_inputs
from newsfuse.nlp.cache import parse_cached
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import PipelineConfig, build_story, sort_stories
from newsfuse.records import Article, ParsedArticle, RunResult
from newsfuse.report.outputs import write_outputs

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
RENAMED_TENTHS = 8
STAGES = ("ingest", "nlp", "cluster", "analyze+summarize", "report")
T = TypeVar("T")


def renamed(term: str, copy: int) -> str:
    """Copy ``copy`` of the corpus speaks of other events: most of its terms and names get a mark of their own.

    Interned, as the parse interns its terms: one string for a word however many articles say it."""
    marked = f"{term}~{copy}"
    return sys.intern(marked) if copy and zlib.crc32(marked.encode()) % 10 < RENAMED_TENTHS else term


def perturbed(base: ParsedArticle, copy: int, rng: random.Random) -> ParsedArticle:
    """A near copy: new id, date shifted, a random fifth of the sentences dropped, terms renamed per copy."""
    kept = tuple(s for s in base.sentences if rng.random() >= 0.2) or base.sentences[:1]
    article_id = f"{base.id}~{copy}"
    published = base.article.published_date
    shifted = published.fromordinal(published.toordinal() + rng.randint(-730, 730)).isoformat() if published else None
    article = replace(base.article, id=article_id, published=shifted)
    sentences = tuple(replace(s, article_id=article_id, terms=tuple(renamed(t, copy) for t in s.terms)) for s in kept)
    entities = tuple(replace(e, name=renamed(e.name, copy)) for e in base.entities)
    terms = tuple(term for s in sentences for term in s.terms)
    return ParsedArticle(article, sentences, entities, terms)


def synthesise(bases: list[ParsedArticle], size: int, seed: int) -> list[ParsedArticle]:
    rng = random.Random(seed)
    return [perturbed(bases[n % len(bases)], n // len(bases), rng) for n in range(size)]


def timed(stage: str, timings: dict[str, float], work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    timings[stage] = time.perf_counter() - start
    return result


def measure(size: int, nlp_sample: int, data: Path, seed: int, cache: Path | None) -> dict[str, Any]:
    """Run every stage at one size in this process; return seconds per stage and peak RSS."""
    bases = parse_cached(read_inputs([data / "duc2006-dev.jsonl"]).articles, cache)
    corpus = synthesise(bases, size, seed)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for p in corpus:
                text = "\n".join(s.text for s in p.sentences)
                line = {"id": p.id, "title": p.article.title, "text": text, "published": p.article.published}
                out.write(json.dumps(line) + "\n")
        ingested = timed("ingest", timings, lambda: read_inputs([path]).articles)
        sample: list[Article] = list(ingested[:nlp_sample])
        timed("nlp", timings, lambda: list(parse_articles(sample, len(sample))))
        timings["nlp"] *= size / len(sample)
        clusters = timed("cluster", timings, lambda: cluster_articles([article_features(p) for p in corpus]))
        by_id = {p.id: p for p in corpus}
        config = PipelineConfig()
        stories = timed(
            "analyze+summarize",
            timings,
            lambda: [build_story(sid, [by_id[i] for i in ids], config) for sid, ids in clusters],
        )
        published = {p.id: p.article.published for p in corpus}
        result = RunResult(tuple(p.article for p in corpus), (), tuple(sort_stories(stories, published)))
        timed("report", timings, lambda: write_outputs(result, Path(folder) / "out"))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"size": size, "stories": len(clusters), "seconds": timings, "peak_rss_mib": peak_kib / 1024}


def table(rows: list[dict[str, Any]]) -> str:
    header = ["articles", "stories", *(f"{s}/s" for s in STAGES), "end-to-end/s", "total s", "peak RSS MiB"]
    lines = [" | ".join(header), " | ".join("---" for _ in header)]
    for row in rows:
        seconds = row["seconds"]
        total = sum(seconds.values())
        rates = [f"{row['size'] / max(seconds[s], 1e-9):,.0f}" for s in STAGES]
        figures = [f"{row['size']:,}", str(row["stories"]), *rates, f"{row['size'] / total:,.1f}", f"{total:,.0f}"]
        lines.append(" | ".join([*figures, f"{row['peak_rss_mib']:,.0f}"]))
    return "\n".join(lines)


def growth(rows: list[dict[str, Any]]) -> str:
    """Time ratio per 10x more articles, per stage: 10 means linear."""
    lines = []
    for small, large in pairwise(rows):
        factor = large["size"] / small["size"]
        parts = []
        for stage in STAGES:
            ratio = large["seconds"][stage] / max(small["seconds"][stage], 1e-9)
            parts.append(f"{stage} x{ratio ** (1 / math.log10(factor)):.1f}")
        lines.append(f"{small['size']:,} -> {large['size']:,}, time per 10x articles: " + ", ".join(parts))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="Comma-separated corpus sizes.")
    parser.add_argument("--nlp-sample", type=int, default=200, help="Articles parsed to time the nlp stage.")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--parse-cache", type=Path, help="Reuse the parse of the 500 base articles.")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.nlp_sample, args.data, args.seed, args.parse_cache)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(size), "--nlp-sample", str(args.nlp_sample)]
        command += ["--data", str(args.data), "--seed", str(args.seed)]
        if args.parse_cache:
            command += ["--parse-cache", str(args.parse_cache)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
        print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    print(table(rows))
    print(growth(rows))


if __name__ == "__main__":
    main()
