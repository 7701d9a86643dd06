"""Online story clustering in publication order.

Each article joins the most similar open story or starts a new one. Term weights use
document frequencies of the articles seen so far, so the result depends only on the
order of arrival: a batch run and a store fed the same articles in the same order agree.
Candidate stories come from an inverted index over the stories' salient terms, so an
article is compared with a bounded number of stories, never with all of them; a term
shared by many stories offers only the ``max_postings`` it was last indexed for, so the
look-up, too, costs the same however many stories there are.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from itertools import islice
from typing import Any

SparseVector = dict[str, float]


@dataclass(frozen=True)
class ClusterConfig:
    """Similarity weights and the join threshold, chosen on DUC 2006 and ECB+ dev together (docs/quality.md)."""

    threshold: float = 0.14
    entity_weight: float = 0.1
    time_grace_days: float = 3.0
    time_scale_days: float = 365.0
    time_penalty: float = 0.09
    merge_threshold: float = 0.4
    index_terms: int = 15
    max_candidates: int = 40
    max_postings: int = 200


def cluster_config(settings: Iterable[str]) -> ClusterConfig:
    """The default config with ``NAME=VALUE`` overrides, for sensitivity sweeps from the command line."""
    defaults = ClusterConfig()
    known = {option.name for option in fields(ClusterConfig)}
    overrides: dict[str, Any] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        if name not in known:
            raise ValueError(f"no clustering setting {name!r}")
        overrides[name] = type(getattr(defaults, name))(value)
    return replace(defaults, **overrides)


@dataclass(frozen=True)
class ArticleFeatures:
    """What clustering knows of an article: id, date, content lemmas and entity names."""

    id: str
    published: date | None
    terms: tuple[str, ...]
    entities: tuple[str, ...]


class DocumentFrequencies:
    """Document frequencies over the articles seen so far, for TF-IDF weights."""

    def __init__(self, documents: int = 0, counts: Mapping[str, int] | None = None) -> None:
        self.documents = documents
        self.counts: Counter[str] = Counter(counts or {})

    def observe(self, terms: Iterable[str]) -> None:
        self.documents += 1
        self.counts.update(set(terms))

    def unit_vector(self, terms: Iterable[str]) -> SparseVector:
        """Raw term frequency times smoothed IDF, scaled to unit length."""
        weights = {
            term: count * (math.log((1 + self.documents) / (1 + self.counts[term])) + 1)
            for term, count in Counter(terms).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {term: w / norm for term, w in weights.items()} if norm else {}


@dataclass
class Centroid:
    """A running sum of unit vectors with its norm kept up to date."""

    weights: SparseVector = field(default_factory=dict)
    norm_sq: float = 0.0

    def dot(self, vector: SparseVector) -> float:
        return sum(w * self.weights.get(term, 0.0) for term, w in vector.items())

    def cosine(self, vector: SparseVector) -> float:
        if not self.norm_sq or not vector:
            return 0.0
        return self.dot(vector) / math.sqrt(self.norm_sq)

    def add(self, vector: SparseVector) -> None:
        self.norm_sq += 2 * self.dot(vector) + sum(w * w for w in vector.values())
        for term, w in vector.items():
            self.weights[term] = self.weights.get(term, 0.0) + w

    def cosine_with(self, other: Centroid) -> float:
        if not self.norm_sq or not other.norm_sq:
            return 0.0
        small, large = sorted((self, other), key=lambda centroid: len(centroid.weights))
        return large.dot(small.weights) / math.sqrt(self.norm_sq * other.norm_sq)


@dataclass
class OpenStory:
    """A story that can still grow; ``index_terms`` are the terms it is found under."""

    id: str
    article_ids: list[str]
    terms: Centroid = field(default_factory=Centroid)
    entities: Centroid = field(default_factory=Centroid)
    last_published: date | None = None
    index_terms: dict[str, int] = field(default_factory=dict)
    """The terms it is found under, each with the tick of its posting."""

    def state(self) -> dict[str, Any]:
        """A JSON-able snapshot; floats survive JSON exactly, so a restored story scores the same."""
        return {
            "id": self.id,
            "article_ids": list(self.article_ids),
            "terms": [self.terms.weights, self.terms.norm_sq],
            "entities": [self.entities.weights, self.entities.norm_sq],
            "last_published": self.last_published.isoformat() if self.last_published else None,
            "index_terms": dict(sorted(self.index_terms.items())),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> OpenStory:
        last = state["last_published"]
        return cls(
            id=state["id"],
            article_ids=list(state["article_ids"]),
            terms=Centroid(dict(state["terms"][0]), state["terms"][1]),
            entities=Centroid(dict(state["entities"][0]), state["entities"][1]),
            last_published=date.fromisoformat(last) if last else None,
            index_terms=dict(state["index_terms"]),
        )


class OnlineClusterer:
    """Assigns articles one at a time; ``stories`` holds article ids per story.

    ``changed`` holds the positions of the stories the last ``add`` touched (joined,
    merged or merged away), so a store can save only those.
    """

    def __init__(
        self,
        config: ClusterConfig | None = None,
        frequencies: tuple[DocumentFrequencies, DocumentFrequencies] | None = None,
        open_stories: Mapping[int, OpenStory] | None = None,
    ) -> None:
        """A new clusterer, or one restored from its term/entity frequencies and open stories by position."""
        self.config = config or ClusterConfig()
        self.term_frequencies, self.entity_frequencies = frequencies or (DocumentFrequencies(), DocumentFrequencies())
        open_stories = open_stories or {}
        size = max(open_stories, default=-1) + 1
        self._stories: list[OpenStory | None] = [open_stories.get(position) for position in range(size)]
        self._index: defaultdict[str, dict[int, None]] = defaultdict(dict)
        postings = sorted(
            (tick, term, position)
            for position, story in open_stories.items()
            for term, tick in story.index_terms.items()
        )
        for _, term, position in postings:
            self._index[term][position] = None
        self._tick = postings[-1][0] + 1 if postings else 0
        self.changed: set[int] = set()

    def open_story(self, position: int) -> OpenStory | None:
        return self._stories[position] if position < len(self._stories) else None

    def close_before(self, cutoff: date) -> list[int]:
        """Close open stories whose newest article is older than ``cutoff``; they are no longer candidates."""
        closed = [
            position
            for position, story in enumerate(self._stories)
            if story and story.last_published and story.last_published < cutoff
        ]
        for position in closed:
            for term in self._story(position).index_terms:
                self._index[term].pop(position, None)
            self._stories[position] = None
        return closed

    @property
    def stories(self) -> list[tuple[str, list[str]]]:
        return [(story.id, list(story.article_ids)) for story in self._stories if story]

    def add(self, article: ArticleFeatures) -> str:
        """Place one article and return the id of its story."""
        self.changed = set()
        self.term_frequencies.observe(article.terms)
        self.entity_frequencies.observe(article.entities)
        terms = self.term_frequencies.unit_vector(article.terms)
        entities = self.entity_frequencies.unit_vector(article.entities)
        best, best_score = None, self.config.threshold
        near = []
        for candidate in self._candidates(terms):
            score = self.similarity(terms, entities, article.published, self._story(candidate))
            if score >= self.config.threshold:
                near.append(candidate)
            if score >= best_score:
                best, best_score = candidate, score
        if best is None:
            best = len(self._stories)
            self._stories.append(OpenStory(story_id(article.id), []))
        self._join(best, article, terms, entities)
        return self._story(self._merge_neighbours(best, [other for other in near if other != best])).id

    def _story(self, position: int) -> OpenStory:
        story = self._stories[position]
        assert story is not None, "the index only holds open stories"
        return story

    def similarity(
        self, terms: SparseVector, entities: SparseVector, published: date | None, story: OpenStory
    ) -> float:
        config = self.config
        score = (1 - config.entity_weight) * story.terms.cosine(terms)
        score += config.entity_weight * story.entities.cosine(entities)
        return score - config.time_penalty * self._time_distance(published, story.last_published)

    def _time_distance(self, published: date | None, last: date | None) -> float:
        """0 within the grace period, rising to 1 over ``time_scale_days``.

        An unknown date counts as far (1): nothing says the article is from the story's
        days, and treating it as close would let undated articles join on words alone
        with less evidence than dated ones need.
        """
        if published is None or last is None:
            return 1.0
        gap = abs((published - last).days) - self.config.time_grace_days
        return min(1.0, max(0.0, gap) / self.config.time_scale_days)

    def _candidates(self, terms: SparseVector) -> list[int]:
        hits: Counter[int] = Counter()
        for term in top_terms(terms, self.config.index_terms):
            hits.update(islice(reversed(self._index.get(term, {})), self.config.max_postings))
        ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
        return [story for story, _ in ranked[: self.config.max_candidates]]

    def _join(self, position: int, article: ArticleFeatures, terms: SparseVector, entities: SparseVector) -> None:
        story = self._story(position)
        story.article_ids.append(article.id)
        story.terms.add(terms)
        story.entities.add(entities)
        if article.published and (story.last_published is None or article.published > story.last_published):
            story.last_published = article.published
        self.changed.add(position)
        for term in top_terms(terms, self.config.index_terms):
            self._post(term, position)

    def _merge_neighbours(self, position: int, near: list[int]) -> int:
        """Merge stories that a growing story has come to cover; the oldest one survives.

        Two stories started by articles that were too far apart can meet once later
        articles bridge them; without merging, one event would stay split in two. Only a
        story ``near`` the article just added (similar enough that it could have joined
        it) can have been bridged, so only those are compared, centroid to centroid:
        most articles are near one story, and the check stays cheap as stories multiply.
        """
        story = self._story(position)
        for candidate in near:
            other = self._stories[candidate]
            if other is None:
                continue
            if self._merge_score(story, other) >= self.config.merge_threshold:
                keep, drop = sorted((position, candidate))
                self._absorb(keep, drop)
                return self._merge_neighbours(keep, [other for other in near if other not in (keep, drop)])
        return position

    def _merge_score(self, story: OpenStory, other: OpenStory) -> float:
        """Centroid cosine less the same time penalty an article pays to join: two stories
        far apart in time are two events even when their words meet."""
        distance = self._time_distance(story.last_published, other.last_published)
        return story.terms.cosine_with(other.terms) - self.config.time_penalty * distance

    def _absorb(self, keep: int, drop: int) -> None:
        kept, dropped = self._story(keep), self._story(drop)
        kept.article_ids.extend(dropped.article_ids)
        kept.terms.add(dropped.terms.weights)
        kept.entities.add(dropped.entities.weights)
        dates = [d for d in (kept.last_published, dropped.last_published) if d]
        kept.last_published = max(dates) if dates else None
        self.changed |= {keep, drop}
        for term, _ in sorted(dropped.index_terms.items(), key=lambda item: item[1]):
            self._index[term].pop(drop, None)
            self._post(term, keep)
        self._stories[drop] = None

    def _post(self, term: str, position: int) -> None:
        """Index a story under a term, once. Ticks number the postings in the order they were made,
        so that an index restored from saved stories offers the same ``max_postings`` as before."""
        story = self._story(position)
        if term not in story.index_terms:
            story.index_terms[term] = self._tick
            self._tick += 1
            self._index[term][position] = None


def top_terms(vector: SparseVector, count: int) -> list[str]:
    return sorted(vector, key=lambda term: (-vector[term], term))[:count]


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
