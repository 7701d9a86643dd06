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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, DocumentFrequencies, heaviest, publication_order
from newsfuse.cluster.split import split_stories

Stories = list[tuple[str, list[str]]]
Neighbour = tuple[float, str]
"""(similarity, article id)."""


@dataclass
class NearestArticles:
    """The nearest articles of every article still alone, kept up to date as articles arrive."""

    config: ClusterConfig
    terms: DocumentFrequencies = field(default_factory=DocumentFrequencies)
    entities: DocumentFrequencies = field(default_factory=DocumentFrequencies)
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    """Under each key, the numbers of the newest articles found by it, and their weights."""
    arrived: list[str] = field(default_factory=list)
    """The ids of the articles by number, in the order they arrived."""
    nearest: dict[str, list[Neighbour]] = field(default_factory=dict)
    """Each lone article's nearest, most similar first, ties to the smaller id."""
    bar: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """By number, the similarity an arriving article must reach to be among an article's nearest:
    infinite for an article not alone, minus infinite while its nearest are fewer than kept."""

    def arrive(self, article: ArticleFeatures, alone: bool) -> None:
        """Weigh the article, find it, and offer it to every lone article it shares a key with;
        ``alone``: whether its own nearest are kept (it started a story of its own)."""
        self.terms.observe(article.terms)
        self.entities.observe(article.entities)
        keys = self._keys(article)
        numbers, similarities = self._found(keys)
        if alone:
            self.nearest[article.id] = _nearest(numbers, similarities, self.arrived, self._count)
        offered = similarities >= self.bar[numbers]
        for number, similarity in zip(numbers[offered].tolist(), similarities[offered].tolist(), strict=True):
            self._offer(number, (similarity, article.id))
        number = len(self.arrived)
        self.arrived.append(article.id)
        if number == len(self.bar):
            self.bar = np.concatenate([self.bar, np.full(max(number, 64), np.inf)])
        if alone:
            self.bar[number] = _bar(self.nearest[article.id], self._count)
        for key, _, weight in keys:
            self._post(key, number, weight)

    def joined(self, number: int) -> None:
        """The article of that number is no longer alone (its story grew), and never will be again."""
        if self.nearest.pop(self.arrived[number], None) is not None:
            self.bar[number] = np.inf

    def _offer(self, number: int, offered: Neighbour) -> None:
        article_id = self.arrived[number]
        kept = _better(self.nearest[article_id], offered, self._count)
        self.nearest[article_id] = kept
        self.bar[number] = _bar(kept, self._count)

    def _post(self, key: str, number: int, weight: float) -> None:
        numbers, weights = self.postings.get(key, (_NO_NUMBERS, _NO_WEIGHTS))
        start = max(0, len(numbers) - self.config.max_postings + 1)
        self.postings[key] = (np.append(numbers[start:], number), np.append(weights[start:], weight))

    @property
    def _count(self) -> int:
        return self.config.split_min_part

    def _keys(self, article: ArticleFeatures) -> list[tuple[str, float, float]]:
        """The article's heaviest terms and all its entity names: (key, share of the similarity, weight)."""
        share = self.config.split_entity_share
        words = self.terms.unit_vector(article.terms)
        names = self.entities.unit_vector(article.entities)
        keys = [("t " + term, 1 - share, words[term]) for term in heaviest(words, self.config.index_terms)]
        if share:
            keys += [("e " + name, share, names[name]) for name in sorted(names)]
        return keys

    def _found(self, keys: Sequence[tuple[str, float, float]]) -> tuple[np.ndarray, np.ndarray]:
        """The number of every article found under the keys, and its similarity: the sum over the keys
        it shares, added in the order of the keys and of each key's postings."""
        found = [(self.postings[key], share * weight) for key, share, weight in keys if key in self.postings]
        if not found:
            return _NO_NUMBERS, _NO_WEIGHTS
        numbers = np.concatenate([posted for (posted, _), _ in found])
        products = np.concatenate([weights * weight for (_, weights), weight in found])
        unique, slots = np.unique(numbers, return_inverse=True)
        return unique, np.bincount(slots, weights=products)


_NO_NUMBERS = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS = np.zeros(0, dtype=np.float64)


def _nearest(numbers: np.ndarray, similarities: np.ndarray, ids: Sequence[str], count: int) -> list[Neighbour]:
    """The ``count`` most similar, ties to the smaller id."""
    if len(similarities) > count:
        least = np.partition(similarities, len(similarities) - count)[len(similarities) - count]
        chosen = similarities >= least
        numbers, similarities = numbers[chosen], similarities[chosen]
    found = [
        (similarity, ids[number]) for number, similarity in zip(numbers.tolist(), similarities.tolist(), strict=True)
    ]
    return sorted(found, key=lambda near: (-near[0], near[1]))[:count]


def _bar(kept: Sequence[Neighbour], count: int) -> float:
    return kept[-1][0] if len(kept) == count else -np.inf


def _better(kept: list[Neighbour], offered: Neighbour, count: int) -> list[Neighbour]:
    """``kept`` with ``offered`` in its place, when it is among the ``count`` nearest."""
    similarity, article_id = offered
    if len(kept) == count and (-similarity, article_id) >= (-kept[-1][0], kept[-1][1]):
        return kept
    return sorted([*kept, offered], key=lambda near: (-near[0], near[1]))[:count]


def nearest_of_lone(
    articles: Sequence[ArticleFeatures], lone: Iterable[str], config: ClusterConfig
) -> dict[str, list[Neighbour]]:
    """The nearest articles of each of ``lone``, found as the articles arrive in publication order."""
    alone = set(lone)
    nearest = NearestArticles(config)
    for article in sorted(articles, key=publication_order):
        nearest.arrive(article, article.id in alone)
    return nearest.nearest


def attach_lone(
    stories: Stories,
    nearest: Mapping[str, Sequence[Neighbour]],
    published: Mapping[str, date | None],
    config: ClusterConfig,
) -> Stories:
    """The stories with each lone article moved into the story its nearest articles vote for;
    a story that takes in articles lists them after its own, in the order of the stories they left."""
    story_of = {article_id: story for story, members in stories for article_id in members}
    sizes = {story: len(members) for story, members in stories}
    spans = {story: _span([published.get(i) for i in members]) for story, members in stories}
    moves: dict[str, str] = {}
    for _, members in stories:
        if len(members) == 1:
            target = _vote(members[0], nearest.get(members[0], ()), story_of, sizes, config)
            if target and _within(published.get(members[0]), spans[target], config.time_scale_days):
                moves[members[0]] = target
    taken: dict[str, list[str]] = {}
    for article_id, target in moves.items():
        taken.setdefault(target, []).append(article_id)
    return [
        (story, [*members, *taken.get(story, ())])
        for story, members in stories
        if not (len(members) == 1 and members[0] in moves)
    ]


def _vote(
    article_id: str,
    near: Sequence[Neighbour],
    story_of: Mapping[str, str],
    sizes: Mapping[str, int],
    config: ClusterConfig,
) -> str | None:
    """The story of the article's nearest, when it has two articles or more and a majority of the nearest."""
    if not near:
        return None
    target = story_of.get(near[0][1])
    if target is None or sizes[target] < 2:
        return None
    votes = sum(1 for _, other in near if story_of.get(other) == target)
    return target if votes > config.split_min_part // 2 else None


def _span(days: Iterable[date | None]) -> tuple[date, date] | None:
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
