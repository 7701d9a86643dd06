"""Duplicate detection scored on a set whose articles carry ``wire``, the id of the original they copy."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from newsfuse.dedup import DedupConfig, find_duplicates
from newsfuse.evaluate.metrics import Scores, pairwise
from newsfuse.ingest import read_inputs
from newsfuse.records import arrival_order


@dataclass(frozen=True)
class DedupEvaluation:
    scores: Scores
    """Precision and recall over pairs of articles put in one duplicate group."""
    articles: int
    groups: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def evaluate_dedup(path: Path, config: DedupConfig) -> DedupEvaluation:
    articles = sorted(read_inputs([path]).articles, key=arrival_order)
    started = time.perf_counter()
    groups = find_duplicates(articles, config)
    seconds = time.perf_counter() - started
    predicted = {article.id: article.id for article in articles}
    predicted |= {member: group.canonical for group in groups for member in group.article_ids}
    gold = {article.id: str(article.meta.get("wire", article.id)) for article in articles}
    return DedupEvaluation(pairwise(predicted, gold), len(articles), len(groups), seconds)
