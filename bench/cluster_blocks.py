"""Agreement of time-block clustering with the single pass, per block length and lead-in.

Usage: .venv/bin/python bench/cluster_blocks.py [--data PATH] [--cache DIR] [--days 30,90,180,365] [--lead-in 1,2,3,4]

Parses the corpus (DUC 2006 dev by default, read from ../shared/data at run time; ``--cache``
keeps the parse), clusters it once with ``cluster_articles`` and then by blocks, in one
process, and prints one Markdown row per setting: the number of blocks, B-cubed F1,
precision and recall of the blocks' online stories against the single pass's, the story count,
and the F1 of the stories each ends with (split, lone articles placed: what ``batch`` and
``run`` show).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsfuse.cluster.attach import stories_from_online
from newsfuse.cluster.blocks import BlockConfig, cluster_in_blocks, split_blocks
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ClusterConfig, cluster_articles
from newsfuse.evaluate.metrics import bcubed
from newsfuse.ingest import read_inputs
from newsfuse.nlp.cache import parse_cached

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "duc2006-dev.jsonl"


def labels(stories: list[tuple[str, list[str]]]) -> dict[str, str]:
    return {article_id: story for story, ids in stories for article_id in ids}


def numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--days", type=numbers, default=[30, 90, 180, 365])
    parser.add_argument("--lead-in", type=numbers, default=[1, 2, 3, 4])
    args = parser.parse_args()
    features = [article_features(p) for p in parse_cached(read_inputs([args.data]).articles, args.cache)]
    online = cluster_articles(features)
    single, shown = labels(online), labels(stories_from_online(online, features, ClusterConfig()))
    print(f"{len(features)} articles, {len(set(single.values()))} stories in one pass")
    print(
        "| block days | lead-in | blocks | F1 | precision | recall | stories | F1 shown |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    for days in args.days:
        for lead_in in args.lead_in:
            in_blocks = cluster_in_blocks(features, blocks=BlockConfig(days, lead_in))
            blocks = labels(in_blocks)
            score = bcubed(blocks, single)
            shown_score = bcubed(labels(stories_from_online(in_blocks, features, ClusterConfig())), shown)
            print(
                f"| {days} | {lead_in} | {len(split_blocks(features, days))} | {score.f1:.3f} "
                f"| {score.precision:.3f} | {score.recall:.3f} | {len(set(blocks.values()))} | {shown_score.f1:.3f} |"
            )


if __name__ == "__main__":
    main()
