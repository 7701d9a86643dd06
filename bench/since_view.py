"""The cost of a story's ``since`` view served from a stories.json, which keeps no parses.

Takes DUC 2006 dev stories (gold groups of 25 articles), splits each at its median publication
day as a returning reader would, and times, in one process: the first view (every member parsed
with ``parse_one``, then ``story_update``), a second view of the same story (parses cached per
process, as the web reader keeps them), and ``story_update`` alone (what a store pays, since it
keeps its parses).

    .venv/bin/python bench/since_view.py [--data ../shared/data] [--stories 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from analysis_speed import DATA, stories

from newsfuse.changes import story_update
from newsfuse.nlp.parse import parse_one
from newsfuse.web.reader import parsed_article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--stories", type=int, default=3)
    options = parser.parse_args()
    groups = stories(options.data / "duc2006-dev.jsonl", options.stories)
    started = time.perf_counter()
    parse_one(groups[0][0])
    print(f"model load and first parse: {time.perf_counter() - started:.2f} s (once per process)")
    print(f"{'story':8} {'articles':>8} {'first view s':>13} {'of it parse s':>14} {'again (= store) s':>18}")
    for number, group in enumerate(groups, start=1):
        days = sorted(a.published or "" for a in group)
        since = days[len(days) // 2][:10]
        started = time.perf_counter()
        members = [parsed_article(a) for a in group]
        parsed = time.perf_counter() - started
        story_update("s", members, since)
        first = time.perf_counter() - started
        started = time.perf_counter()
        story_update("s", [parsed_article(a) for a in group], since)
        again = time.perf_counter() - started
        print(f"{number:<8} {len(group):8d} {first:13.2f} {parsed:14.2f} {again:18.2f}")


if __name__ == "__main__":
    main()
