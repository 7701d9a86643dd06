"""Cross-source analysis speed against parsing speed, in the same run on the same articles.

Parses real DUC 2006 dev stories (the gold groups of 25 articles) with one process, then
runs ``analyze_story`` (claims, contradictions, quotes, timeline) on each story. The
ratio says how much analysis adds to the parse that every run pays anyway.

    .venv/bin/python bench/analysis_speed.py [--data ../shared/data] [--stories 4]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from newsfuse.analyze.story import analyze_story
from newsfuse.ingest.fields import article_from_fields
from newsfuse.nlp.parse import parse_articles
from newsfuse.records import Article, article_order

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def stories(path: Path, count: int) -> list[list[Article]]:
    groups: defaultdict[str, list[Article]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = json.loads(line)
        groups[fields["story"]].append(article_from_fields(fields, str(path)))
    return [sorted(groups[story], key=article_order) for story in sorted(groups)[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--stories", type=int, default=4)
    options = parser.parse_args()
    groups = stories(options.data / "duc2006-dev.jsonl", options.stories)
    articles = [article for group in groups for article in group]
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(groups)} stories, {len(articles)} articles, {words} words")
    started = time.perf_counter()
    parsed = {p.id: p for p in parse_articles(articles, len(articles), processes=1)}
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    found = [analyze_story([parsed[a.id] for a in group]) for group in groups]
    analysis_seconds = time.perf_counter() - started
    parse_rate, analysis_rate = len(articles) / parse_seconds, len(articles) / analysis_seconds
    print(f"{'stage':10} {'seconds':>8} {'articles/s':>11}")
    print(f"{'parse':10} {parse_seconds:8.2f} {parse_rate:11.1f}")
    print(f"{'analysis':10} {analysis_seconds:8.2f} {analysis_rate:11.1f}")
    share = analysis_seconds / parse_seconds
    print(f"analysis is {analysis_rate / parse_rate:.1f}x the parse rate ({share:.0%} of parse time)")
    totals = {
        key: sum(len(getattr(a, key)) for a in found) for key in ("claims", "contradictions", "quotes", "timeline")
    }
    print("found: " + ", ".join(f"{n} {key}" for key, n in totals.items()))


if __name__ == "__main__":
    main()
