"""Cross-source analysis speed against parsing speed, in the same run on the same articles.

Parses real DUC 2006 dev stories (the gold groups of 25 articles) with one process, then
builds each story as ``run`` does (``build_story``: claims, contradictions, quotes, timeline,
digest, entities; the "analyze+summarize" stage of bench/throughput.py), ``--repeat`` times.
The first pass pays what a process fills once (the stemmer's cache); the best pass is the
rate per article. The ratio to the parse rate says how much analysis adds to the parse that
every run pays anyway, and carries between machines better than the rates.

To compare two versions, run this script with the other checkout first on the path
(``git worktree add /tmp/base REV``, then ``PYTHONPATH=/tmp/base .venv/bin/python
bench/analysis_speed.py``): it uses only ``parse_articles``, ``PipelineConfig`` and
``build_story``.

    .venv/bin/python bench/analysis_speed.py [--data ../shared/data] [--stories 4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from newsfuse.ingest.fields import article_from_fields
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import PipelineConfig, build_story
from newsfuse.records import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def stories(path: Path, count: int) -> list[list[Article]]:
    groups: defaultdict[str, list[Article]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = json.loads(line)
        groups[fields["story"]].append(article_from_fields(fields, str(path)))
    return [groups[story] for story in sorted(groups)[:count]]  # build_story orders a story's articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--stories", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    groups = stories(options.data / "duc2006-dev.jsonl", options.stories)
    articles = [article for group in groups for article in group]
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(groups)} stories, {len(articles)} articles, {words} words")
    started = time.perf_counter()
    parsed = {p.id: p for p in parse_articles(articles, len(articles), processes=1)}
    parse_seconds = time.perf_counter() - started
    config = PipelineConfig()
    passes = []
    for _ in range(options.repeat):
        started = time.perf_counter()
        built = [build_story(f"s{n}", [parsed[a.id] for a in group], config) for n, group in enumerate(groups)]
        passes.append(time.perf_counter() - started)
    parse_rate = len(articles) / parse_seconds
    print(f"{'stage':16} {'seconds':>8} {'articles/s':>11} {'x parse rate':>13}")
    print(f"{'parse':16} {parse_seconds:8.2f} {parse_rate:11.1f}")
    for name, seconds in (("analysis, first", passes[0]), ("analysis, best", min(passes))):
        rate = len(articles) / seconds
        print(f"{name:16} {seconds:8.2f} {rate:11.1f} {rate / parse_rate:13.2f}")
    totals = {
        key: sum(len(getattr(story, key)) for story in built)
        for key in ("claims", "contradictions", "quotes", "timeline")
    }
    print("found: " + ", ".join(f"{n} {key}" for key, n in totals.items()))


if __name__ == "__main__":
    main()
