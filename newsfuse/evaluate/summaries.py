"""Digest quality by ROUGE against human summaries, with sumy and lead baselines in the same run.

Every system picks from the same sentences (the parsed article bodies, wire datelines
dropped) and every summary is cut to the same number of words before scoring, as DUC
did, so the figures differ only by which sentences each system chooses. sumy runs on
those sentences with a regex word splitter, NLTK's Snowball stemmer and sumy's bundled
stop words: nothing needs NLTK data or a network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path
from typing import Any

from nltk.stem.snowball import SnowballStemmer
from rich.table import Table
from rouge_score.rouge_scorer import RougeScorer
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.summarizers._summarizer import AbstractSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from newsfuse.records import ParsedArticle
from newsfuse.summarize.digest import DigestConfig, without_dateline
from newsfuse.summarize.groups import Group, group_digest

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")


@dataclass(frozen=True)
class Rouge:
    """Mean recall and F1 (in percent) per ROUGE type."""

    recall: dict[str, float]
    f1: dict[str, float]


class WordTokenizer:
    """The part of sumy's tokenizer interface its summarizers use, without NLTK data."""

    language = "english"

    @staticmethod
    def to_words(text: str) -> list[str]:
        return _WORD.findall(text)

    @staticmethod
    def to_sentences(text: str) -> list[str]:
        return [line for line in text.split("\n") if line.strip()]


def truncate(sentences: Sequence[str], words: int) -> list[str]:
    """The first ``words`` words of the summary, cutting the last sentence if needed."""
    kept: list[str] = []
    left = words
    for sentence in sentences:
        if left <= 0:
            break
        tokens = sentence.split()
        kept.append(" ".join(tokens[:left]))
        left -= len(tokens)
    return kept


def body_sentences(article: ParsedArticle) -> list[str]:
    return [without_dateline(sentence.text) for sentence in article.sentences]


def lead(articles: Sequence[ParsedArticle], words: int) -> list[str]:
    """First sentences of each article in turn: every article's first, then every second, ..."""
    rounds = zip_longest(*(body_sentences(article) for article in articles))
    return truncate([sentence for layer in rounds for sentence in layer if sentence], words)


def ours(articles: Sequence[ParsedArticle], words: int) -> list[str]:
    return truncate([d.text for d in group_digest(articles, DigestConfig(words=words))], words)


@lru_cache(maxsize=1)
def _stemmer() -> SnowballStemmer:
    return SnowballStemmer("english")


def sumy_summary(summarizer: AbstractSummarizer, articles: Sequence[ParsedArticle], words: int) -> list[str]:
    """Best-rated sentences until the word budget, in document order, as sumy returns them."""
    tokenizer = WordTokenizer()
    paragraphs = [
        Paragraph([SumySentence(text, tokenizer) for text in body_sentences(article)]) for article in articles
    ]
    summarizer.stop_words = get_stop_words("english")

    def until_budget(ranked: Sequence[Any]) -> list[Any]:
        taken, total = [], 0
        for info in ranked:
            if total >= words:
                break
            taken.append(info)
            total += len(str(info.sentence).split())
        return taken

    picked = summarizer(ObjectDocumentModel(paragraphs), until_budget)
    return truncate([str(sentence) for sentence in picked], words)


SYSTEMS: dict[str, Callable[[Sequence[ParsedArticle], int], list[str]]] = {
    "newsfuse": ours,
    "lexrank": lambda articles, words: sumy_summary(LexRankSummarizer(_stemmer().stem), articles, words),
    "textrank": lambda articles, words: sumy_summary(TextRankSummarizer(_stemmer().stem), articles, words),
    "lead": lead,
}


def load_references(spec: str, groups: Sequence[Group], group_field: str) -> dict[str, list[str]]:
    """References per group (keyed by the group value's JSON form).

    ``spec`` is a JSONL file of ``{group_field: value, "references": [text, ...]}`` lines, or
    else the name of an article field holding a reference (text or list of texts).
    """
    path = Path(spec)
    if path.is_file():
        references: dict[str, list[str]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                references[json.dumps(record[group_field], sort_keys=True)] = list(record["references"])
        return references
    by_field: dict[str, list[str]] = {}
    for group in groups:
        texts: list[str] = []
        for article in group.articles:
            value = article.article.meta.get(spec)
            for text in [value] if isinstance(value, str) else value or []:
                if text not in texts:
                    texts.append(text)
        by_field[json.dumps(group.value, sort_keys=True)] = texts
    return by_field


def rouge(summary: Sequence[str], references: Sequence[str], scorer: RougeScorer) -> Rouge:
    """ROUGE of one summary averaged over its references; sentences one a line for Lsum."""
    recall = dict.fromkeys(ROUGE_TYPES, 0.0)
    f1 = dict.fromkeys(ROUGE_TYPES, 0.0)
    for reference in references:
        scores = scorer.score(reference, "\n".join(summary))
        for kind in ROUGE_TYPES:
            recall[kind] += 100 * scores[kind].recall / len(references)
            f1[kind] += 100 * scores[kind].fmeasure / len(references)
    return Rouge(recall, f1)


def mean(scores: Sequence[Rouge]) -> Rouge:
    return Rouge(
        {kind: sum(s.recall[kind] for s in scores) / len(scores) for kind in ROUGE_TYPES},
        {kind: sum(s.f1[kind] for s in scores) / len(scores) for kind in ROUGE_TYPES},
    )


def evaluate_summaries(
    groups: Sequence[Group],
    references: Mapping[str, Sequence[str]],
    words: int,
    systems: Sequence[str] = tuple(SYSTEMS),
) -> Iterator[tuple[str, Rouge]]:
    """Mean ROUGE per system over the groups that have references."""
    scorer = RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    scored = [g for g in groups if references.get(json.dumps(g.value, sort_keys=True))]
    for system in systems:
        summarize = SYSTEMS[system]
        per_group = [
            rouge(summarize(g.articles, words), references[json.dumps(g.value, sort_keys=True)], scorer) for g in scored
        ]
        yield system, mean(per_group)


def summaries_table(rows: Sequence[tuple[str, Rouge]], words: int, groups: int) -> Table:
    table = Table(title=f"ROUGE (stemmed, {words} words, mean over references and {groups} groups)")
    table.add_column("system")
    for kind in ROUGE_TYPES:
        table.add_column(f"{kind} R", justify="right")
        table.add_column(f"{kind} F", justify="right")
    for system, scores in rows:
        table.add_row(system, *(f"{value:.2f}" for k in ROUGE_TYPES for value in (scores.recall[k], scores.f1[k])))
    return table
