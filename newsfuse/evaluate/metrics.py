"""Clustering metrics: B-cubed and pairwise precision, recall and F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Scores:
    """B-cubed over the items both mappings label (item -> cluster label)."""
    items = sorted(predicted.keys() & gold.keys())
    if not items:
        return Scores(0.0, 0.0)
    joint = Counter((predicted[i], gold[i]) for i in items)
    predicted_sizes = Counter(predicted[i] for i in items)
    gold_sizes = Counter(gold[i] for i in items)
    precision = sum(n * n / predicted_sizes[p] for (p, _), n in joint.items()) / len(items)
    recall = sum(n * n / gold_sizes[g] for (_, g), n in joint.items()) / len(items)
    return Scores(precision, recall)


def pairwise(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Scores:
    """Precision and recall over pairs of items placed in the same cluster."""
    items = sorted(predicted.keys() & gold.keys())
    joint = Counter((predicted[i], gold[i]) for i in items)

    def pairs(counts: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter(dict(joint)))
    in_predicted = pairs(Counter(predicted[i] for i in items))
    in_gold = pairs(Counter(gold[i] for i in items))
    return Scores(both / in_predicted if in_predicted else 1.0, both / in_gold if in_gold else 1.0)
