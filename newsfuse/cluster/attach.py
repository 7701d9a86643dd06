"""Place a story of one article into the story its nearest articles are in.

The online pass leaves an article alone when no story's centroid is near enough at its
arrival: an off-angle report (the NTSB's call for cockpit cameras after a crash) is far from
the event's centroid, though close to some of its articles. Such an article joins story S when
its nearest article and at least a majority of its ``split_min_part`` nearest are in S, S has
two articles or more, and the article's date lies within S's first and last dates widened by
``time_scale_days`` (an undated article or story has no bound). Nothing here is fitted: the
count is the split's smallest part, the widening the time prior's scale (docs/quality.md).

Nearness is found as articles arrive, so that a store can keep it up to date: each article is
weighed once, by the document frequencies of the articles before it (the online pass's own
vectors), and kept as its ``index_terms`` heaviest terms and all its entity names, weighed by
``split_entity_share`` as the split weighs them. The similarity of two articles is set when
the later one arrives and never changes. Articles are found through an inverted index whose
keys offer only their ``max_postings`` newest articles, so the work per article is bounded.
The neighbours are the whole stream's, not only recent ones: a lone article's nearest article
of its own subject can be months away, and it is what stops a move into another subject's
story that happens to be near in time.
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple, Protocol

import numpy as np

from newsfuse.cluster.online import (
    ArticleFeatures,
    ClusterConfig,
    OnlineClusterer,
    SparseVector,
    heaviest,
    publication_order,
)
from newsfuse.cluster.split import split_stories

Stories = list[tuple[str, list[str]]]
Neighbour = tuple[float, str]
"""(similarity, article id)."""
Posting = tuple[np.ndarray, np.ndarray]
"""Under one key, the numbers of the newest articles found by it, oldest first, and their weights."""


class NeighbourStorage(Protocol):
    """Where ``NearestArticles`` keeps its index and the lone articles' nearest: in memory for ``run``,
    in tables for the store. Articles are numbered in the order they arrive (numbers only grow)."""

    def postings(self, keys: Sequence[str]) -> dict[str, Posting]:
        """The postings of those of the keys that have any."""

    def post(self, number: int, weights: Sequence[tuple[str, float]], found: Mapping[str, Posting]) -> None:
        """Add the article, with its weight, last to each key's postings, which keep only their
        ``max_postings`` newest; ``found``: those postings as ``postings`` gave them."""

    def bars(self, numbers: np.ndarray) -> np.ndarray:
        """By article, the similarity an arriving article must reach to be among its nearest: infinite
        for an article whose nearest are not kept, minus infinite while it has fewer than kept."""

    def nearest(self, numbers: Sequence[int]) -> dict[int, list[Neighbour]]:
        """The nearest kept of each of the articles (all lone)."""

    def keep(self, nearest: Mapping[int, list[Neighbour]]) -> None:
        """Replace the nearest of lone articles, and their bars."""

    def ids(self, numbers: Sequence[int]) -> list[str]:
        """The articles' ids."""

    def add_lone(self, number: int, article_id: str, position: int) -> None:
        """An article that started a story of its own, at ``position``; ``keep`` gives its nearest."""

    def release(self, positions: Sequence[int]) -> list[str]:
        """The lone articles of the stories at ``positions`` (which grew or merged away) are lone no
        more, for good: their nearest are no longer kept. Their ids, sorted."""


@dataclass
class NearestArticles:
    """The nearest articles of every lone article, kept up to date as articles arrive."""

    config: ClusterConfig
    storage: NeighbourStorage

    def arrive(self, number: int, article_id: str, words: SparseVector, names: SparseVector, alone: bool) -> None:
        """Find the article by its unit vectors of terms and entity names, offer it to every lone article
        it shares a key with, and index it; ``alone``: whether its own nearest are kept (it started a
        story of its own)."""
        keys = self._keys(words, names)
        postings = self.storage.postings([key for key, _, _ in keys])
        numbers, similarities = _found(keys, postings)
        offered = similarities >= self.storage.bars(numbers)
        offers = dict(zip(numbers[offered].tolist(), similarities[offered].tolist(), strict=True))
        kept = {
            other: _better(near, (offers[other], article_id), self._count)
            for other, near in self.storage.nearest(list(offers)).items()
        }
        if alone:
            kept[number] = self._nearest(numbers, similarities)
        self.storage.keep(kept)
        self.storage.post(number, [(key, weight) for key, _, weight in keys], postings)

    def follow(self, clusterer: OnlineClusterer, number: int, article_id: str) -> list[str]:
        """After ``clusterer.add`` placed the article: the lone articles of the stories that grew are
        released (their ids, returned), the article of a story it started alone is lone, and the
        article arrives, weighed by the online pass's own vectors."""
        grown, alone = _arrival_changes(clusterer, article_id)
        released = self.storage.release(grown)
        if alone is not None:
            self.storage.add_lone(number, article_id, alone)
        vectors = clusterer.last_vectors
        assert vectors is not None, "set by add"
        self.arrive(number, article_id, vectors.terms, vectors.entities, alone is not None)
        return released

    @property
    def _count(self) -> int:
        return self.config.split_min_part

    def _keys(self, words: SparseVector, names: SparseVector) -> list[tuple[str, float, float]]:
        """The article's heaviest terms and all its entity names: (key, share of the similarity, weight)."""
        share = self.config.split_entity_share
        keys = [("t " + term, 1 - share, words[term]) for term in heaviest(words, self.config.index_terms)]
        if share:
            keys += [("e " + name, share, names[name]) for name in sorted(names)]
        return keys

    def _nearest(self, numbers: np.ndarray, similarities: np.ndarray) -> list[Neighbour]:
        """The ``count`` most similar, ties to the smaller id."""
        count = self._count
        if len(similarities) > count:
            least = np.partition(similarities, len(similarities) - count)[len(similarities) - count]
            chosen = similarities >= least
            numbers, similarities = numbers[chosen], similarities[chosen]
        found = list(zip(similarities.tolist(), self.storage.ids(numbers.tolist()), strict=True))
        return sorted(found, key=lambda near: (-near[0], near[1]))[:count]


def _found(keys: Sequence[tuple[str, float, float]], postings: Mapping[str, Posting]) -> tuple[np.ndarray, np.ndarray]:
    """The number of every article found under the keys, and its similarity: the sum over the keys
    it shares, added in the order of the keys and of each key's postings."""
    found = [(postings[key], share * weight) for key, share, weight in keys if key in postings]
    if not found:
        return _NO_NUMBERS, _NO_WEIGHTS
    numbers = np.concatenate([posted for (posted, _), _ in found])
    factors = np.repeat([factor for _, factor in found], [len(posted) for (posted, _), _ in found])
    products = np.concatenate([weights for (_, weights), _ in found]) * factors  # the same products, in one call
    unique, slots = unique_with_slots(numbers)
    return unique, np.bincount(slots, weights=products)


def unique_with_slots(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(numbers, return_inverse=True)``, in half its time here: the numbers are sorted runs
    (each posting lists its articles oldest first), which a stable sort merges instead of sorting anew."""
    order = np.argsort(numbers, kind="stable")
    ordered = numbers[order]
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    slots = np.empty(len(ordered), dtype=np.intp)
    slots[order] = np.cumsum(first) - 1
    return ordered[first], slots


def appended(posting: Posting | None, number: int, weight: float, most: int) -> Posting:
    """The posting with the article last, and only its ``most`` newest."""
    numbers, weights = posting or (_NO_NUMBERS, _NO_WEIGHTS)
    start = max(0, len(numbers) - most + 1)
    return np.append(numbers[start:], number), np.append(weights[start:], weight)


_NO_NUMBERS = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS = np.zeros(0, dtype=np.float64)


def bar_of(kept: Sequence[Neighbour], count: int) -> float:
    """The bar of a lone article with these nearest (``NeighbourStorage.bars``)."""
    return kept[-1][0] if len(kept) == count else -math.inf


def _better(kept: list[Neighbour], offered: Neighbour, count: int) -> list[Neighbour]:
    """``kept`` with ``offered`` in its place, when it is among the ``count`` nearest."""
    similarity, article_id = offered
    if len(kept) == count and (-similarity, article_id) >= (-kept[-1][0], kept[-1][1]):
        return kept
    return sorted([*kept, offered], key=lambda near: (-near[0], near[1]))[:count]


class PostingBuffer:
    """One key's postings at the end of arrays that grow by doubling, so that adding an article
    writes two numbers: the oldest is dropped by moving the start, and the kept ones are moved to
    the front only when the arrays are full (``appended`` copies the whole posting every time)."""

    __slots__ = ("end", "numbers", "start", "weights")

    def __init__(self) -> None:
        self.numbers = np.empty(4, dtype=np.int64)
        self.weights = np.empty(4, dtype=np.float64)
        self.start = self.end = 0

    def posting(self) -> Posting:
        return self.numbers[self.start : self.end], self.weights[self.start : self.end]

    def append(self, number: int, weight: float, most: int) -> None:
        self.start = max(self.start, self.end + 1 - most)
        if self.end == len(self.numbers):
            size = self.end - self.start
            capacity = len(self.numbers) * (1 if 2 * size <= len(self.numbers) else 2)
            numbers, weights = np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.float64)
            numbers[:size], weights[:size] = self.posting()
            self.numbers, self.weights, self.start, self.end = numbers, weights, 0, size
        self.numbers[self.end], self.weights[self.end] = number, weight
        self.end += 1


@dataclass
class NeighboursInMemory:
    """``NeighbourStorage`` in dicts and arrays, for one run over all articles."""

    count: int
    most: int
    """``max_postings``."""
    buffers: dict[str, PostingBuffer] = field(default_factory=dict)
    arrived: list[str] = field(default_factory=list)
    """The ids of the articles by number."""
    kept: dict[int, list[Neighbour]] = field(default_factory=dict)
    bar: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lone_at: dict[int, int] = field(default_factory=dict)
    """The number of the article alone in the story at each position."""

    def number(self, article_id: str) -> int:
        """The next article's number."""
        self.arrived.append(article_id)
        if len(self.arrived) > len(self.bar):
            self.bar = np.concatenate([self.bar, np.full(max(len(self.bar), 64), np.inf)])
        return len(self.arrived) - 1

    def postings(self, keys: Sequence[str]) -> dict[str, Posting]:
        return {key: self.buffers[key].posting() for key in keys if key in self.buffers}

    def post(self, number: int, weights: Sequence[tuple[str, float]], found: Mapping[str, Posting]) -> None:
        for key, weight in weights:
            buffer = self.buffers.get(key)
            if buffer is None:
                buffer = self.buffers[key] = PostingBuffer()
            buffer.append(number, weight, self.most)

    def bars(self, numbers: np.ndarray) -> np.ndarray:
        return self.bar[numbers]

    def nearest(self, numbers: Sequence[int]) -> dict[int, list[Neighbour]]:
        return {number: self.kept[number] for number in numbers}

    def keep(self, nearest: Mapping[int, list[Neighbour]]) -> None:
        for number, kept in nearest.items():
            self.kept[number] = kept
            self.bar[number] = bar_of(kept, self.count)

    def ids(self, numbers: Sequence[int]) -> list[str]:
        return [self.arrived[number] for number in numbers]

    def add_lone(self, number: int, article_id: str, position: int) -> None:
        self.lone_at[position] = number

    def release(self, positions: Sequence[int]) -> list[str]:
        numbers = [self.lone_at.pop(position) for position in positions if position in self.lone_at]
        for number in numbers:
            del self.kept[number]
            self.bar[number] = np.inf
        return sorted(self.arrived[number] for number in numbers)

    def nearest_by_id(self) -> dict[str, list[Neighbour]]:
        """The nearest of every lone article, by its id."""
        return {self.arrived[number]: kept for number, kept in self.kept.items()}


def cluster_and_place(articles: Sequence[ArticleFeatures], config: ClusterConfig) -> tuple[Stories, Stories]:
    """The online pass's stories, and the stories ``run`` ends with (``stories_from_online`` of them):
    the lone articles' nearest found in the same pass, weighed by the online pass's own vectors."""
    clusterer = OnlineClusterer(config)
    storage = NeighboursInMemory(config.split_min_part, config.max_postings)
    nearest = NearestArticles(config, storage)
    for article in sorted(articles, key=publication_order):
        clusterer.add(article)
        nearest.follow(clusterer, storage.number(article.id), article.id)
    online = clusterer.stories
    published = {article.id: article.published for article in articles}
    return online, attach_lone(split_stories(online, articles, config), storage.nearest_by_id(), published, config)


def _arrival_changes(clusterer: OnlineClusterer, article_id: str) -> tuple[list[int], int | None]:
    """After ``clusterer.add`` of the article: the positions of the stories that grew or merged away
    (an article alone in one is lone no more), and the position of the story the article started,
    when it is alone there."""
    grown, alone = [], None
    for position in sorted(clusterer.changed):
        story = clusterer.open_story(position)
        if story is None or len(story.article_ids) > 1:
            grown.append(position)
        elif story.article_ids == [article_id]:
            alone = position
    return grown, alone


def nearest_of_lone(
    articles: Sequence[ArticleFeatures], lone: Iterable[str], config: ClusterConfig
) -> dict[str, list[Neighbour]]:
    """The nearest articles of each of ``lone``, found as the articles arrive in publication order."""
    storage = NeighboursInMemory(config.split_min_part, config.max_postings)
    ordered = sorted(articles, key=publication_order)
    arrive_all(NearestArticles(config, storage), ((storage.number(a.id), a) for a in ordered), set(lone))
    return storage.nearest_by_id()


def arrive_all(nearest: NearestArticles, arrivals: Iterable[tuple[int, ArticleFeatures]], lone: Container[str]) -> None:
    """Let the numbered articles arrive in the order given, each weighed by the document frequencies of
    the articles before it and itself: by the online pass's own weighing (``OnlineClusterer.observe``),
    with no story clustered."""
    weighing = OnlineClusterer(nearest.config)
    for number, article in arrivals:
        vectors = weighing.observe(article)
        nearest.arrive(number, article.id, vectors.terms, vectors.entities, article.id in lone)


class StoryShape(NamedTuple):
    """What a lone article's vote reads of a story: how many articles it has and the span of their days."""

    size: int
    span: tuple[date, date] | None


def attach_lone(
    stories: Stories,
    nearest: Mapping[str, Sequence[Neighbour]],
    published: Mapping[str, date | None],
    config: ClusterConfig,
) -> Stories:
    """The stories with each lone article moved into the story its nearest articles vote for;
    a story that takes in articles lists them after its own, in the order of the stories they left."""
    story_of = {article_id: story for story, members in stories for article_id in members}
    shapes = {
        story: StoryShape(len(members), own_span([published.get(i) for i in members])) for story, members in stories
    }
    moves: dict[str, str] = {}
    for _, members in stories:
        if len(members) == 1:
            target = placement(nearest.get(members[0], ()), published.get(members[0]), story_of, shapes, config)
            if target:
                moves[members[0]] = target
    taken: dict[str, list[str]] = {}
    for article_id, target in moves.items():
        taken.setdefault(target, []).append(article_id)
    return [
        (story, [*members, *taken.get(story, ())])
        for story, members in stories
        if not (len(members) == 1 and members[0] in moves)
    ]


def placement(
    near: Sequence[Neighbour],
    day: date | None,
    story_of: Mapping[str, str],
    shapes: Mapping[str, StoryShape],
    config: ClusterConfig,
) -> str | None:
    """The story a lone article of that day and nearest moves into (None: it stays alone): the story of
    its nearest, when that has two articles or more, a majority of its nearest, and the day in its span
    widened by ``time_scale_days``."""
    if not near:
        return None
    target = story_of.get(near[0][1])
    if target is None or shapes[target].size < 2:
        return None
    votes = sum(1 for _, other in near if story_of.get(other) == target)
    if votes <= config.split_min_part // 2 or not _within(day, shapes[target].span, config.time_scale_days):
        return None
    return target


def own_span(days: Iterable[date | None]) -> tuple[date, date] | None:
    known = [day for day in days if day]
    return (min(known), max(known)) if known else None


def _within(day: date | None, span: tuple[date, date] | None, widening_days: float) -> bool:
    if day is None or span is None:
        return True
    widening = timedelta(days=math.floor(widening_days))
    return span[0] - widening <= day <= span[1] + widening


def place_lone(stories: Stories, articles: Sequence[ArticleFeatures], config: ClusterConfig) -> Stories:
    """``attach_lone`` over the stories' lone articles, their nearest found among ``articles``."""
    lone = [members[0] for _, members in stories if len(members) == 1]
    nearest = nearest_of_lone(articles, lone, config)
    return attach_lone(stories, nearest, {article.id: article.published for article in articles}, config)


def stories_from_online(online: Stories, articles: Sequence[ArticleFeatures], config: ClusterConfig) -> Stories:
    """The online pass's stories split, then their lone articles placed: the stories ``run`` ends with."""
    return place_lone(split_stories(online, articles, config), articles, config)
