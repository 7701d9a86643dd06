"""Online story clustering in publication order.

Each article joins the most similar open story or starts a new one. Candidate stories
come from an inverted index over the stories' salient terms, so an article is compared
with a bounded number of stories, never with all of them.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from scipy.sparse import csr_matrix


@dataclass(frozen=True)
class ClusterConfig:
    """Similarity weights and the join threshold, chosen on DUC 2006 dev (docs/quality.md)."""

    threshold: float = 0.12
    entity_weight: float = 0.1
    time_grace_days: float = 3.0
    time_scale_days: float = 60.0
    time_penalty: float = 0.05
    index_terms: int = 15
    max_candidates: int = 40


@dataclass(frozen=True)
class ArticleFeatures:
    """What clustering knows of an article: id, date and two sparse unit vectors."""

    id: str
    published: date | None
    terms: csr_matrix
    entities: csr_matrix


@dataclass
class _Centroid:
    """A running sum of unit vectors with its norm kept up to date."""

    weights: dict[int, float] = field(default_factory=dict)
    norm_sq: float = 0.0

    def cosine(self, vector: csr_matrix) -> float:
        if not self.norm_sq or not vector.nnz:
            return 0.0
        dot = sum(w * self.weights.get(i, 0.0) for i, w in zip(vector.indices, vector.data, strict=True))
        return float(dot) / math.sqrt(self.norm_sq)

    def add(self, vector: csr_matrix) -> None:
        dot = sum(w * self.weights.get(i, 0.0) for i, w in zip(vector.indices, vector.data, strict=True))
        self.norm_sq += 2 * float(dot) + float(vector.data @ vector.data)
        for i, w in zip(vector.indices, vector.data, strict=True):
            self.weights[int(i)] = self.weights.get(int(i), 0.0) + float(w)


@dataclass
class _OpenStory:
    id: str
    article_ids: list[str]
    terms: _Centroid = field(default_factory=_Centroid)
    entities: _Centroid = field(default_factory=_Centroid)
    last_published: date | None = None


class OnlineClusterer:
    """Assigns articles one at a time; ``stories`` holds article ids per story."""

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()
        self._stories: list[_OpenStory] = []
        self._index: defaultdict[int, set[int]] = defaultdict(set)

    @property
    def stories(self) -> list[tuple[str, list[str]]]:
        return [(story.id, list(story.article_ids)) for story in self._stories]

    def add(self, article: ArticleFeatures) -> str:
        """Place one article and return the id of its story."""
        best, best_score = None, self.config.threshold
        for candidate in self._candidates(article):
            score = self.similarity(article, self._stories[candidate])
            if score >= best_score:
                best, best_score = candidate, score
        if best is None:
            best = len(self._stories)
            self._stories.append(_OpenStory(story_id(article.id), []))
        self._join(best, article)
        return self._stories[best].id

    def similarity(self, article: ArticleFeatures, story: _OpenStory) -> float:
        config = self.config
        text = story.terms.cosine(article.terms)
        entities = story.entities.cosine(article.entities)
        score = (1 - config.entity_weight) * text + config.entity_weight * entities
        return score - config.time_penalty * self._time_distance(article.published, story.last_published)

    def _time_distance(self, published: date | None, last: date | None) -> float:
        """0 within the grace period, rising to 1 over ``time_scale_days``; 0 if a date is unknown."""
        if published is None or last is None:
            return 0.0
        gap = abs((published - last).days) - self.config.time_grace_days
        return min(1.0, max(0.0, gap) / self.config.time_scale_days)

    def _candidates(self, article: ArticleFeatures) -> list[int]:
        hits: Counter[int] = Counter()
        for term in _top_terms(article.terms, self.config.index_terms):
            hits.update(self._index.get(term, ()))
        ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
        return [story for story, _ in ranked[: self.config.max_candidates]]

    def _join(self, position: int, article: ArticleFeatures) -> None:
        story = self._stories[position]
        story.article_ids.append(article.id)
        story.terms.add(article.terms)
        story.entities.add(article.entities)
        if article.published and (story.last_published is None or article.published > story.last_published):
            story.last_published = article.published
        for term in _top_terms(article.terms, self.config.index_terms):
            self._index[term].add(position)


def _top_terms(vector: csr_matrix, count: int) -> list[int]:
    order = sorted(range(vector.nnz), key=lambda k: (-vector.data[k], vector.indices[k]))
    return [int(vector.indices[k]) for k in order[:count]]


def story_id(first_article_id: str) -> str:
    """A story keeps the id derived from its first article as it grows."""
    return "s" + hashlib.sha256(first_article_id.encode("utf-8")).hexdigest()[:12]


def cluster_articles(
    articles: Sequence[ArticleFeatures], config: ClusterConfig | None = None
) -> list[tuple[str, list[str]]]:
    """Cluster in publication order (undated last, ties by id); returns (story id, article ids)."""
    clusterer = OnlineClusterer(config)
    for article in sorted(articles, key=publication_order):
        clusterer.add(article)
    return clusterer.stories


def publication_order(article: ArticleFeatures) -> tuple[bool, date, str]:
    return (article.published is None, article.published or date.min, article.id)
