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
import operator
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from itertools import chain, islice, repeat
from typing import Any, TypeVar

from newsfuse.cluster.join_model import JoinModel, packaged_model
from newsfuse.records import arrival_key

SparseVector = dict[str, float]
Key = TypeVar("Key", str, int)


@dataclass(frozen=True)
class ClusterConfig:
    """How an article joins a story: the fitted join model, its probability threshold and the time prior.

    ``time_penalty`` is in the model's log-odds: an article ``time_scale_days`` beyond the
    grace period from a story's newest article needs e**3 (about 20) times the odds to join
    it. It is a prior, not fitted: an event is reported over days to weeks, and only one
    dev set has dates to fit it on (docs/quality.md).
    """

    threshold: float = field(default_factory=lambda: packaged_model().threshold)
    time_grace_days: float = 3.0
    time_scale_days: float = 30.0
    time_penalty: float = 3.0
    merge_threshold: float = 0.4
    index_terms: int = 15
    max_candidates: int = 40
    max_postings: int = 200
    split_min_part: int = 5
    """The fewest articles a story splits off into a part of its own (``cluster.split``); below 2, no
    story splits. HDBSCAN's own default smallest cluster: a prior, as the best value differs between
    the dev sets (docs/quality.md)."""
    split_entity_share: float = 0.3
    """How much entity names weigh beside words in the distances a story splits by (``cluster.split``):
    the middle of the range (0.25 to 0.4) that gives the same left-out figures on every dev set
    (docs/quality.md)."""
    model: JoinModel = field(default_factory=packaged_model)


def cluster_config(settings: Iterable[str]) -> ClusterConfig:
    """The default config with ``NAME=VALUE`` overrides, for sensitivity sweeps from the command line."""
    defaults = ClusterConfig()
    known = {option.name for option in fields(ClusterConfig) if option.name != "model"}
    overrides: dict[str, Any] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        if name not in known:
            raise ValueError(f"no clustering setting {name!r}")
        overrides[name] = type(getattr(defaults, name))(value)
    return replace(defaults, **overrides)


@dataclass(frozen=True)
class ArticleFeatures:
    """What clustering knows of an article: id, date, content lemmas, entity names and its title's lemmas."""

    id: str
    published: date | None
    terms: tuple[str, ...]
    entities: tuple[str, ...]
    lead: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleVectors:
    """An article's unit vectors of terms, entities and title terms (the lead), and its date."""

    terms: SparseVector
    entities: SparseVector
    lead: SparseVector
    published: date | None


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
        norm = math.sqrt(sum(map(operator.mul, weights.values(), weights.values())))
        return {term: w / norm for term, w in weights.items()} if norm else {}


@dataclass
class Centroid:
    """A running sum of unit vectors with its norm kept up to date."""

    weights: SparseVector = field(default_factory=dict)
    norm_sq: float = 0.0

    def dot(self, vector: SparseVector) -> float:
        """Over the shared terms only, found by a set intersection, with the loops in C: this is most
        of the clustering's time. ``fsum`` rounds the exact sum once, so the result does not depend
        on the order the intersection yields the terms in (which varies with string hashing)."""
        shared = self.weights.keys() & vector.keys()
        return math.fsum(map(operator.mul, map(vector.__getitem__, shared), map(self.weights.__getitem__, shared)))

    def cosine(self, vector: SparseVector) -> float:
        if not self.norm_sq or not vector:
            return 0.0
        return self.dot(vector) / math.sqrt(self.norm_sq)

    def add(self, vector: SparseVector) -> None:
        """The same sums as a loop over the vector's terms, in the same order, with the loops in C."""
        self.norm_sq += 2 * self.dot(vector) + sum(map(operator.mul, vector.values(), vector.values()))
        weights = self.weights
        summed = map(operator.add, map(weights.get, vector, repeat(0.0)), vector.values())
        weights.update(zip(vector, summed, strict=True))

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
    lead: Centroid = field(default_factory=Centroid)

    def add(self, vectors: ArticleVectors) -> None:
        self.terms.add(vectors.terms)
        self.entities.add(vectors.entities)
        self.lead.add(vectors.lead)
        dates = [d for d in (self.last_published, vectors.published) if d]
        self.last_published = max(dates) if dates else None

    def summed(self) -> ArticleVectors:
        """The sums of its articles' vectors, with its newest date: what it adds to a story it is merged into."""
        return ArticleVectors(self.terms.weights, self.entities.weights, self.lead.weights, self.last_published)

    def state(self) -> dict[str, Any]:
        """A JSON-able snapshot; floats survive JSON exactly, so a restored story scores the same."""
        return {
            "id": self.id,
            "article_ids": list(self.article_ids),
            "terms": [self.terms.weights, self.terms.norm_sq],
            "entities": [self.entities.weights, self.entities.norm_sq],
            "last_published": self.last_published.isoformat() if self.last_published else None,
            "index_terms": dict(sorted(self.index_terms.items())),
            "lead": [self.lead.weights, self.lead.norm_sq],
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> OpenStory:
        """A story saved before the lead centroid existed gets an empty one: it goes on, matched on the rest."""
        last = state["last_published"]
        lead = state.get("lead", [{}, 0.0])
        return cls(
            id=state["id"],
            article_ids=list(state["article_ids"]),
            terms=Centroid(dict(state["terms"][0]), state["terms"][1]),
            entities=Centroid(dict(state["entities"][0]), state["entities"][1]),
            last_published=date.fromisoformat(last) if last else None,
            index_terms=dict(state["index_terms"]),
            lead=Centroid(dict(lead[0]), lead[1]),
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
        self.last_vectors: ArticleVectors | None = None
        """The vectors the last ``add`` weighed its article by."""

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
        vectors, index_terms, candidates = self.arrive(article)
        self.last_vectors = vectors
        chosen, joinable = self.joinable(vectors, [self._story(c) for c in candidates], candidates)
        near = [candidates[n] for n in joinable]
        best = candidates[chosen] if chosen is not None else None
        if best is None:
            best = len(self._stories)
            self._stories.append(OpenStory(story_id(article.id), []))
        self._join(best, article.id, vectors, index_terms)
        return self._story(self._merge_neighbours(best, [other for other in near if other != best])).id

    def arrive(self, article: ArticleFeatures) -> tuple[ArticleVectors, list[str], list[int]]:
        """Observe the article; its vectors, the terms a story it joins is indexed under, and its candidates."""
        vectors = self.observe(article)
        index_terms = top_terms(vectors.terms, self.config.index_terms)
        return vectors, index_terms, self._candidates(index_terms)

    def observe(self, article: ArticleFeatures) -> ArticleVectors:
        """Count the article in the document frequencies, then weigh its vectors with them."""
        self.term_frequencies.observe(article.terms)
        self.entity_frequencies.observe(article.entities)
        return self.vectors(article)

    def vectors(self, article: ArticleFeatures) -> ArticleVectors:
        return ArticleVectors(
            self.term_frequencies.unit_vector(article.terms),
            self.entity_frequencies.unit_vector(article.entities),
            self.term_frequencies.unit_vector(article.lead),
            article.published,
        )

    def _story(self, position: int) -> OpenStory:
        story = self._stories[position]
        assert story is not None, "the index only holds open stories"
        return story

    def joinable(
        self, vectors: ArticleVectors, stories: Sequence[OpenStory], ages: Sequence[int]
    ) -> tuple[int | None, list[int]]:
        """The stories the article may join (its log-odds reach the threshold's), as indexes in the
        order given, and the one it joins: the highest log-odds, ties to the smallest of ``ages``
        (the older story)."""
        bar = self.config.model.logit_of(self.config.threshold)
        logits = self.join_logits(vectors, stories)
        joinable = [n for n, logit in enumerate(logits) if logit >= bar]
        return max(joinable, key=lambda n: (logits[n], -ages[n]), default=None), joinable

    def join_logits(self, vectors: ArticleVectors, stories: Sequence[OpenStory]) -> list[float]:
        """The join model's log-odds that the article reports each story's event, less the time prior."""
        config = self.config
        return [
            config.model.logit(values)
            - config.time_penalty * self._time_distance(vectors.published, story.last_published)
            for values, story in zip(join_features(vectors, stories), stories, strict=True)
        ]

    def _time_distance(self, published: date | None, last: date | None) -> float:
        """0 within the grace period, rising to 1 over ``time_scale_days``; 0 when a date is unknown.

        An unknown date says nothing about time, so the content alone decides: the join
        model was fitted on undated articles too (ECB+), and needs as much evidence there.
        """
        if published is None or last is None:
            return 0.0
        gap = abs((published - last).days) - self.config.time_grace_days
        return min(1.0, max(0.0, gap) / self.config.time_scale_days)

    def _candidates(self, index_terms: Iterable[str]) -> list[int]:
        index, most = self._index, self.config.max_postings
        hits = Counter(chain.from_iterable(islice(reversed(index.get(term, {})), most) for term in index_terms))
        return heaviest(hits, self.config.max_candidates)  # most hits first, ties to the older story

    def _join(self, position: int, article_id: str, vectors: ArticleVectors, index_terms: Iterable[str]) -> None:
        """Add the article to the story, and index the story under the article's ``top_terms``."""
        story = self._story(position)
        story.article_ids.append(article_id)
        story.add(vectors)
        self.changed.add(position)
        for term in index_terms:
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
        """Centroid cosine; stories more than the time scale apart are two events even when their words meet."""
        if self._time_distance(story.last_published, other.last_published) >= 1.0:
            return 0.0
        return story.terms.cosine_with(other.terms)

    def _absorb(self, keep: int, drop: int) -> None:
        kept, dropped = self._story(keep), self._story(drop)
        kept.article_ids.extend(dropped.article_ids)
        kept.add(dropped.summed())
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


def join_features(vectors: ArticleVectors, stories: Sequence[OpenStory]) -> list[dict[str, float]]:
    """What the join model reads for each candidate story: cosines, and the same relative to the candidates.

    A relative cosine is the cosine less the median over the article's candidates: in a
    news cycle where every story shares names and words, a high cosine is common and says
    less than the margin by which one story stands out.
    """
    cosines = [
        {
            "terms": s.terms.cosine(vectors.terms),
            "entities": s.entities.cosine(vectors.entities),
            "lead": s.lead.cosine(vectors.lead),
        }
        for s in stories
    ]
    if not cosines:
        return []
    medians = {kind: statistics.median_high(c[kind] for c in cosines) for kind in ("terms", "entities")}
    for values in cosines:
        for kind, median in medians.items():
            values[f"{kind}_relative"] = values[kind] - median
    return cosines


def top_terms(vector: SparseVector, count: int) -> list[str]:
    return heaviest(vector, count)


def heaviest(weights: Mapping[Key, float], count: int) -> list[Key]:
    """The keys of the ``count`` largest weights, ties to the smallest key: (-weight, key) pairs sorted
    in C. Only the keys weighing at least the ``count``-th weight are paired (``heapq.nsmallest``
    would loop over every key in Python: twice the time, with hundreds of candidate stories)."""
    keys: Iterable[Key] = weights
    if 0 < count < len(weights):
        least = sorted(weights.values(), reverse=True)[count - 1]
        keys = [key for key, weight in weights.items() if weight >= least]
    return [key for _, key in sorted(zip(map(operator.neg, map(weights.__getitem__, keys)), keys, strict=True))[:count]]


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
    """``arrival_order`` of the articles these features are of."""
    return arrival_key(article.published, article.id)
