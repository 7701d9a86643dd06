"""Split a story whose articles form two or more dense groups: two events the online pass fused.

The online pass places each article once, on what it has seen so far, so a vague article can
join two events of one kind and later articles of both then follow it into one story. Looked
at as a whole, such a story's articles fall into groups that are dense inside and far apart:
HDBSCAN over the cosine distances of the story's own articles finds them, and each becomes a
story of its own. A story that is one event has no such groups, and stays whole. The distance
weighs the articles' entity names beside their words: two events of one kind are told in the same
words (a title fight, a coach fired) and apart by who and where (Klitschko against Rahman in
Mannheim, against Thompson in Bern).

Only the story's own articles are read, with term weights (IDF) over those articles alone, so
a split depends on the story's members and nothing else: ``run``, ``batch`` and the store
split a story the same way whenever they hold the same members. Measured against splitting
over the whole batch, and against clustering the whole batch by density, in docs/quality.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, publication_order
from newsfuse.nlp.vectors import TermSpace

Stories = list[tuple[str, list[str]]]
MOST_ARTICLES = 2_000
"""A bigger story is not split: its distances would take n x n floats (32 MB at 2,000 articles)."""


def split_stories(stories: Stories, articles: Sequence[ArticleFeatures], config: ClusterConfig) -> Stories:
    """Every story split by ``split_story``; the parts of a story follow it, in the order it returns them."""
    by_id = {article.id: article for article in articles}
    return [part for story, members in stories for part in split_story(story, [by_id[i] for i in members], config)]


def split_story(story_id: str, members: Sequence[ArticleFeatures], config: ClusterConfig) -> Stories:
    """The story's parts as (id, article ids), the biggest first under ``story_id``; a story that does
    not split keeps its articles in the order given, parts list theirs in publication order.

    Only a story of at least twice ``config.split_min_part`` articles (and at most ``MOST_ARTICLES``)
    can split; a group needs ``split_min_part``.
    Articles HDBSCAN leaves as outliers stay with the biggest part, as they stayed with the story.
    Ties in size go to the part whose first article came first.
    """
    whole = [(story_id, [article.id for article in members])]
    smallest = config.split_min_part
    if smallest < 2 or not 2 * smallest <= len(members) <= MOST_ARTICLES:
        return whole
    ordered = sorted(members, key=publication_order)
    ids = [article.id for article in ordered]
    position = {article_id: number for number, article_id in enumerate(ids)}
    labels = _density_groups(ordered, smallest, config.split_entity_share)
    if len(set(labels) - {-1}) < 2:
        return whole
    parts: dict[int, list[str]] = {}
    for article_id, label in zip(ids, labels, strict=True):
        parts.setdefault(label, []).append(article_id)
    biggest = min(
        (label for label in parts if label >= 0), key=lambda label: (-len(parts[label]), position[parts[label][0]])
    )
    main = sorted([*parts.pop(biggest), *parts.pop(-1, [])], key=position.__getitem__)
    others = sorted(parts.values(), key=lambda part: position[part[0]])
    return [(story_id, main), *((part_id(part[0]), part) for part in others)]


def part_id(first_article_id: str) -> str:
    """A split-off part's id, from its first article (so it stays while the part grows), unlike any story's."""
    return "s" + hashlib.sha256(f"part\n{first_article_id}".encode()).hexdigest()[:12]


def _density_groups(ordered: Sequence[ArticleFeatures], smallest: int, entity_share: float) -> list[int]:
    """HDBSCAN's group of each article (-1: an outlier) over cosine distances: of sublinear TF-IDF
    vectors of words, and by ``entity_share`` of entity names."""
    from sklearn.cluster import HDBSCAN

    similarities = (1.0 - entity_share) * _cosines([article.terms for article in ordered])
    if entity_share:
        similarities += entity_share * _cosines([article.entities for article in ordered])
    distances = np.clip(1.0 - similarities, 0.0, 1.0)
    np.fill_diagonal(distances, 0.0)
    found = HDBSCAN(min_cluster_size=smallest, metric="precomputed", copy=True).fit_predict(distances)
    return [int(label) for label in found]


def _cosines(documents: Sequence[Sequence[str]]) -> np.ndarray:
    vectors = TermSpace(documents, sublinear=True).vectors(documents)
    return (vectors @ vectors.T).toarray()
