"""A cited extractive digest of one story.

Sentences are picked greedily by how much *new* story content they add per word: each
stemmed content term weighs the number of the story's articles that use it (terms used by
one article only count a tenth), and a sentence's gain is the weight of its terms not yet
covered, so a sentence that repeats picked content gains nothing. The gain is scaled by
1 + cross-source centrality (mean 1), so coverage and centrality count alike. Centrality
is LexRank's stationary distribution over the graph of sentences of *different* articles
whose TF-IDF cosine reaches a threshold: a sentence that many other outlets echo ranks
above one outlet's aside. For an update digest, terms the reader already saw (``known``: the
stemmed terms of a story's earlier articles) weigh ``covered_weight`` of their weight, so the
sentences picked from the newer articles say what the earlier ones did not. Each picked
sentence cites every article of its claim (the story's sentence alignment, shared with the
claims), not only its own article. Weights
were chosen on DUC 2006 dev (docs/quality.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from newsfuse.analyze.claims import Alignment, stem
from newsfuse.analyze.dateline import without_dateline
from newsfuse.analyze.salience import content_weights
from newsfuse.nlp.vectors import TermSpace, similar_pairs
from newsfuse.records import DigestSentence, ParsedArticle, Sentence


@dataclass(frozen=True)
class DigestConfig:
    words: int = 120
    min_sentence_words: int = 10
    max_sentence_words: int = 60
    sentences_per_article: int = 100
    min_support: int = 2
    single_source_weight: float = 0.1
    length_exponent: float = 0.5
    centrality_threshold: float = 0.2
    centrality_weight: float = 1.0
    covered_weight: float = 0.01


@dataclass(frozen=True)
class SentenceGraph:
    """Candidate sentences of a story, and the pairs of sentences of different articles
    whose term-vector cosine reaches ``centrality_threshold`` (a symmetric 0/1 matrix)."""

    sentences: tuple[Sentence, ...]
    edges: csr_matrix

    @classmethod
    def build(cls, articles: Sequence[ParsedArticle], config: DigestConfig) -> SentenceGraph:
        sentences = tuple(
            sentence
            for article in articles
            for sentence in article.sentences[: config.sentences_per_article]
            if config.min_sentence_words <= len(sentence.text.split()) <= config.max_sentence_words and sentence.terms
        )
        if not sentences:
            return cls((), csr_matrix((0, 0)))
        term_lists = [sentence.terms for sentence in sentences]
        first, second, _ = similar_pairs(TermSpace(term_lists).vectors(term_lists), config.centrality_threshold)
        owner = np.unique([sentence.article_id for sentence in sentences], return_inverse=True)[1]
        across = owner[first] != owner[second]
        rows = np.concatenate([first[across], second[across]])
        columns = np.concatenate([second[across], first[across]])
        edges = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(sentences), len(sentences)))
        edges.sort_indices()
        return cls(sentences, edges)


def make_digest(
    articles: Sequence[ParsedArticle],
    alignment: Alignment,
    config: DigestConfig | None = None,
    known: frozenset[str] = frozenset(),
) -> tuple[DigestSentence, ...]:
    """Rank and pick sentences here; cite them with the claims' alignment. ``known`` stemmed terms
    (already read elsewhere) count ``config.covered_weight`` of their weight."""
    config = config or DigestConfig()
    graph = SentenceGraph.build(articles, config)
    if not graph.sentences:
        return ()
    chosen = _select(graph, config, known)
    return tuple(
        DigestSentence(
            without_dateline(graph.sentences[row].text),
            graph.sentences[row].article_id,
            alignment.sources(graph.sentences[row]),
        )
        for row in _reading_order(graph, chosen, articles)
    )


def _centrality(graph: SentenceGraph, damping: float = 0.85) -> np.ndarray:
    """LexRank over edges between sentences of different articles, scaled to mean 1."""
    degree = np.maximum(np.asarray(graph.edges.sum(axis=1)).ravel(), 1)
    transition = graph.edges.multiply(1.0 / degree[:, None]).T.tocsr()
    transition.sort_indices()
    count = len(graph.sentences)
    rank = np.full(count, 1.0 / count)
    for _ in range(200):
        updated = (1 - damping) / count + damping * (transition @ rank)
        if np.abs(updated - rank).sum() < 1e-10:
            break
        rank = updated
    return rank * count / rank.sum()


def _concepts(graph: SentenceGraph, config: DigestConfig, known: frozenset[str]) -> tuple[csr_matrix, np.ndarray]:
    """Sentence x stemmed-term incidence, and each term's weight: how many articles use it,
    discounted for a term already known."""
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, sentence in enumerate(graph.sentences):
        for term in sorted({stem(term) for term in sentence.terms}):
            rows.append(row)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
    incidence = csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(graph.sentences), len(vocabulary)), dtype=np.float64
    )
    articles, owner = np.unique([sentence.article_id for sentence in graph.sentences], return_inverse=True)
    used = np.zeros((len(articles), len(vocabulary)), dtype=bool)
    used[owner[rows], columns] = True
    support = used.sum(axis=0).astype(np.float64)
    weights = content_weights(support, len(articles), config.min_support, config.single_source_weight)
    if known:
        seen = np.array([term in known for term in vocabulary], dtype=bool)
        weights = np.where(seen, config.covered_weight * weights, weights)
    return incidence, weights


def _select(graph: SentenceGraph, config: DigestConfig, known: frozenset[str] = frozenset()) -> list[int]:
    """Greedy: the most new weighted content per word (to a power), times centrality."""
    incidence, weights = _concepts(graph, config, known)
    prior = (1 + config.centrality_weight * _centrality(graph)) / np.array(
        [len(sentence.text.split()) for sentence in graph.sentences], dtype=np.float64
    ) ** config.length_exponent
    uncovered = np.ones(len(weights))
    available = np.ones(len(graph.sentences), dtype=bool)
    chosen: list[int] = []
    words = 0
    while words < config.words:
        gain = np.where(available, (incidence @ (weights * uncovered)) * prior, 0.0)
        best = int(np.argmax(gain))
        if gain[best] <= 0:
            break
        chosen.append(best)
        available[best] = False
        uncovered[incidence[best].indices] = 0
        words += len(graph.sentences[best].text.split())
    return chosen


def _reading_order(graph: SentenceGraph, chosen: list[int], articles: Sequence[ParsedArticle]) -> list[int]:
    """Order picked sentences by their relative position in their own article."""
    lengths = {article.id: max(1, len(article.sentences)) for article in articles}

    def position(row: int) -> tuple[float, str, int]:
        sentence = graph.sentences[row]
        return (sentence.index / lengths[sentence.article_id], sentence.article_id, sentence.index)

    return sorted(chosen, key=position)
