"""The update digest against a plain digest of the same newer articles, on dated gold groups.

Each group is split at its median publication date (articles of that date or later are the
newer ones); groups with no earlier or no newer article are left out. Both digests are cut to
the same number of words. Novelty is the share of a digest's content words (stemmed, stop words
and numbers left out) that no earlier article of the group uses: what a reader who read the
earlier articles has not seen. ROUGE-1 is against the group's references where they exist
(DUC's references summarise the whole group, not its update).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.table import Table
from rouge_score.rouge_scorer import RougeScorer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newsfuse.analyze.claims import stem
from newsfuse.changes import split_since, update_digest
from newsfuse.evaluate.summaries import ROUGE_TYPES, rouge, truncate
from newsfuse.pipeline import PipelineConfig
from newsfuse.records import ParsedArticle
from newsfuse.summarize.digest import DigestConfig
from newsfuse.summarize.groups import Group, group_digest

SYSTEMS = ("update", "plain")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_CLITIC = re.compile(r"['\u2019].*")


def content_words(text: str) -> list[str]:
    """Stemmed content words: no stop words, no numbers; "they're" is "they" (a stop word)."""
    words = (_CLITIC.sub("", word) for word in _WORD.findall(text.lower()))
    return [stem(word) for word in words if word not in ENGLISH_STOP_WORDS]


def novelty(summary: Sequence[str], earlier: Sequence[ParsedArticle]) -> float | None:
    """Share of the summary's content words that no earlier article uses; None for an empty summary."""
    seen = {word for p in earlier for word in content_words(f"{p.article.title}\n{p.article.text}")}
    words = [word for sentence in summary for word in content_words(sentence)]
    return sum(1 for word in words if word not in seen) / len(words) if words else None


def median_split(group: Group) -> tuple[list[ParsedArticle], list[ParsedArticle]]:
    """Earlier and newer articles of a group: newer from the (upper) median publication date on."""
    dates = sorted(p.article.published[:10] for p in group.articles if p.article.published)
    if not dates:
        return list(group.articles), []
    earlier, newer = split_since([p.article for p in group.articles], dates[len(dates) // 2])
    by_id = {p.id: p for p in group.articles}
    return [by_id[a.id] for a in earlier], [by_id[a.id] for a in newer]


def summaries(
    earlier: Sequence[ParsedArticle], newer: Sequence[ParsedArticle], words: int, covered_weight: float
) -> dict[str, list[str]]:
    """Both systems' digests of the newer articles, cut to ``words``."""
    config = DigestConfig(words=words, covered_weight=covered_weight)
    return {
        "update": truncate([d.text for d in update_digest(earlier, newer, PipelineConfig(digest=config))], words),
        "plain": truncate([d.text for d in group_digest(newer, config)], words),
    }


@dataclass(frozen=True)
class UpdateScores:
    """Means over the split groups (novelty, words) and over those with references (ROUGE-1 R and F1, %)."""

    groups: int
    referenced: int
    novelty: dict[str, float]
    words: dict[str, float]
    rouge1_recall: dict[str, float]
    rouge1_f1: dict[str, float]


def evaluate_update(
    groups: Sequence[Group], references: Mapping[str, Sequence[str]], words: int, covered_weight: float
) -> UpdateScores:
    scorer = RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    novel: dict[str, list[float]] = {s: [] for s in SYSTEMS}
    lengths: dict[str, list[int]] = {s: [] for s in SYSTEMS}
    recall: dict[str, list[float]] = {s: [] for s in SYSTEMS}
    f1: dict[str, list[float]] = {s: [] for s in SYSTEMS}
    split = 0
    for group in groups:
        earlier, newer = median_split(group)
        if not earlier or not newer:
            continue
        split += 1
        refs = references.get(json.dumps(group.value, sort_keys=True), ())
        for system, summary in summaries(earlier, newer, words, covered_weight).items():
            novel[system].append(novelty(summary, earlier) or 0.0)
            lengths[system].append(sum(len(s.split()) for s in summary))
            if refs:
                scores = rouge(summary, refs, scorer)
                recall[system].append(scores.recall["rouge1"])
                f1[system].append(scores.f1["rouge1"])
    return UpdateScores(
        groups=split,
        referenced=len(recall["update"]),
        novelty={s: 100 * _mean(novel[s]) for s in SYSTEMS},
        words={s: _mean(lengths[s]) for s in SYSTEMS},
        rouge1_recall={s: _mean(recall[s]) for s in SYSTEMS},
        rouge1_f1={s: _mean(f1[s]) for s in SYSTEMS},
    )


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def update_table(rows: Mapping[str, UpdateScores], words: int, covered_weight: float) -> Table:
    title = f"Update digest vs plain digest of the newer articles ({words} words, covered_weight {covered_weight})"
    table = Table(title=title)
    for column in ("set", "groups", "system", "novel words %", "words", "refs", "ROUGE-1 R", "ROUGE-1 F"):
        table.add_column(column, justify="left" if column in ("set", "system") else "right")
    for name, scores in rows.items():
        for system in SYSTEMS:
            table.add_row(
                name,
                str(scores.groups),
                system,
                f"{scores.novelty[system]:.1f}",
                f"{scores.words[system]:.0f}",
                str(scores.referenced),
                f"{scores.rouge1_recall[system]:.2f}",
                f"{scores.rouge1_f1[system]:.2f}",
            )
    return table
