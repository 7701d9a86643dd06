"""A cited extractive digest of one story.

Sentences are ranked by how strongly the *other* sources state the same content
(cross-source centrality), with a small bonus for the news lead, and picked greedily
without redundancy. Each picked sentence cites every article of its claim (the story's
sentence alignment, shared with the claims), not only the article it was taken from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsfuse.analyze.claims import Alignment
from newsfuse.nlp.vectors import TermSpace
from newsfuse.records import DigestSentence, ParsedArticle, Sentence

_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\- ]{1,40}(?:, [A-Z][A-Za-z.]* ?\d{0,2})?(?: ?\([A-Za-z ]{1,20}\)?)? ?(?:--|_|\u2014|\u2013|-) +"
)


@dataclass(frozen=True)
class DigestConfig:
    words: int = 120
    redundancy_threshold: float = 0.4
    min_sentence_words: int = 6
    max_sentence_words: int = 60
    lead_sentences: int = 30
    lead_weight: float = 0.15


@dataclass(frozen=True)
class SentenceGraph:
    """Candidate sentences of a story and their pairwise term-vector cosine."""

    sentences: tuple[Sentence, ...]
    similarity: np.ndarray

    @classmethod
    def build(cls, articles: Sequence[ParsedArticle], config: DigestConfig) -> SentenceGraph:
        sentences = tuple(
            sentence
            for article in articles
            for sentence in article.sentences[: config.lead_sentences]
            if config.min_sentence_words <= len(sentence.text.split()) <= config.max_sentence_words and sentence.terms
        )
        if not sentences:
            return cls((), np.zeros((0, 0), dtype=np.float32))
        term_lists = [sentence.terms for sentence in sentences]
        vectors = TermSpace(term_lists).vectors(term_lists)
        return cls(sentences, (vectors @ vectors.T).toarray())


def make_digest(
    articles: Sequence[ParsedArticle], alignment: Alignment, config: DigestConfig | None = None
) -> tuple[DigestSentence, ...]:
    """Rank and pick sentences here; cite them with the claims' alignment."""
    config = config or DigestConfig()
    graph = SentenceGraph.build(articles, config)
    if not graph.sentences:
        return ()
    chosen = _select(graph, _centrality(graph, config), config)
    return tuple(
        DigestSentence(
            without_dateline(graph.sentences[row].text),
            graph.sentences[row].article_id,
            alignment.sources(graph.sentences[row]),
        )
        for row in _reading_order(graph, chosen, articles)
    )


def _centrality(graph: SentenceGraph, config: DigestConfig) -> np.ndarray:
    """Sum over other articles of the best match there, plus a lead bonus."""
    article_ids = sorted({sentence.article_id for sentence in graph.sentences})
    owner = np.array([article_ids.index(sentence.article_id) for sentence in graph.sentences])
    support = np.zeros(len(graph.sentences), dtype=np.float64)
    for column, _ in enumerate(article_ids):
        in_article = owner == column
        best_there = graph.similarity[:, in_article].max(axis=1)
        support += np.where(owner == column, 0.0, best_there)
    support /= max(1, len(article_ids) - 1)
    lead = np.array([1.0 / (1 + sentence.index) for sentence in graph.sentences])
    return support + config.lead_weight * lead


def _select(graph: SentenceGraph, scores: np.ndarray, config: DigestConfig) -> list[int]:
    """Greedy pick by score, skipping sentences too similar to one already picked."""
    order = sorted(range(len(scores)), key=lambda row: (-scores[row], graph.sentences[row].article_id, row))
    chosen: list[int] = []
    words = 0
    for row in order:
        if words >= config.words:
            break
        if any(graph.similarity[row, other] >= config.redundancy_threshold for other in chosen):
            continue
        chosen.append(row)
        words += len(graph.sentences[row].text.split())
    return chosen


def _reading_order(graph: SentenceGraph, chosen: list[int], articles: Sequence[ParsedArticle]) -> list[int]:
    """Order picked sentences by their relative position in their own article."""
    lengths = {article.id: max(1, len(article.sentences)) for article in articles}

    def position(row: int) -> tuple[float, str, int]:
        sentence = graph.sentences[row]
        return (sentence.index / lengths[sentence.article_id], sentence.article_id, sentence.index)

    return sorted(chosen, key=position)


def without_dateline(text: str) -> str:
    """Drop a wire dateline ("GENEVA, July 9 (Xinhua) -- ") that reads badly out of its article."""
    stripped = _DATELINE.sub("", text, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped else text
