"""Threads: stories on the same ongoing subject over weeks or years (one summit, then the next).

Stories are events; a thread groups the events of one subject. It is built from the story
records alone (the words of the title and of every claim, which together hold every
sentence of the story), so ``run``, the store, ``batch`` and ``load`` thread the same stories
the same way whenever their stories change.

Threads are found by average-link agglomeration: the two groups of stories with the highest
mean link between their stories merge, until no two groups reach ``threshold``. A link is the
cosine of two stories weighed by the neighbours they share. Unlike a
single pass in time order, the result does not depend on which story came first, and a
subject's stories join as a dense group rather than through one bridging story. Only pairs
of stories that share a word are compared (a sparse product), so the cost follows the
overlap of the stories, not the square of their number.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain

import numpy as np
from scipy.sparse import csr_matrix

from newsfuse.records import Story, Thread

WORD = re.compile(r"[^\W\d_]{3,}")
THREADING_VERSION = 3
"""Raised whenever the same stories come to be threaded otherwise (2: sublinear word counts, 3: links
weighed by shared neighbours), so that
a store made before threads its stories again on its next round."""


@dataclass(frozen=True)
class ThreadConfig:
    """Chosen on DUC 2006 dev, whose topics are threads and the only thread-level gold (docs/quality.md).

    The threshold is on links weighed by shared neighbours. Chosen on half of DUC's topics, it scores
    best on the other half at 0.01 in a store of DUC alone, and near its best there in a store with
    other news, where lower thresholds join ECB+'s kinds of event (docs/quality.md, "Shared
    neighbours, built")."""

    threshold: float = 0.01
    salient_words: int = 50
    neighbours: int = 20
    """Pairs beyond each story's nearest neighbours count as unrelated: the work per story stays bounded.
    They are also the neighbourhood whose share two stories hold in common weighs their link."""


def story_words(story: Story) -> list[str]:
    """Lower-cased words of three letters or more of the title and every claim.

    Entity names were tried as extra terms and lowered thread-level F1 on DUC 2006 dev
    (people and places recur across subjects)."""
    text = " ".join([story.title, *(claim.text for claim in story.claims)])
    return [word.lower() for word in WORD.findall(text)]


@dataclass(frozen=True)
class Subject:
    """What threading reads of a story: small enough that a store keeps it beside the story
    and threads without decoding the stories' records."""

    id: str
    title: str
    size: int
    first_published: str | None
    words: Mapping[str, int]
    """``story_words`` counted."""


def story_subject(story: Story, first_published: str | None) -> Subject:
    return Subject(story.id, story.title, len(story.article_ids), first_published, Counter(story_words(story)))


def thread_stories(
    stories: Sequence[Story], published: Mapping[str, str | None], config: ThreadConfig | None = None
) -> list[Thread]:
    """Threads over the stories, each listing its stories in order of their first article."""
    return thread_subjects([story_subject(story, _first_published(story, published)) for story in stories], config)


def thread_subjects(subjects: Sequence[Subject], config: ThreadConfig | None = None) -> list[Thread]:
    """Threads over the stories' subjects, each listing its stories in order of their first article."""
    config = config or ThreadConfig()
    ordered = sorted(
        subjects, key=lambda subject: (not subject.first_published, subject.first_published or "", subject.id)
    )
    similarities = _similarities(ordered, config.salient_words, config.threshold / 2, config.neighbours)
    links = _weighed_by_shared_neighbours(similarities, len(ordered), config.neighbours)
    groups = _average_link(links, len(ordered), config.threshold)
    return [_thread([ordered[number] for number in sorted(group)]) for group in sorted(groups, key=min)]


def _similarities(
    stories: Sequence[Subject], terms: int, floor: float, neighbours: int
) -> dict[tuple[int, int], float]:
    """Cosine, at least ``floor``, of each story with its ``neighbours`` nearest among those that share
    one of its ``terms`` salient words.

    The product runs in blocks of rows, so memory stays bounded however many stories there are,
    and several blocks at once: scipy's product and numpy's sorts let other threads run."""
    matrix = _salient_vectors(stories, terms)
    transposed = matrix.T.tocsc()

    def nearest_in_block(start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _nearest(matrix[start : start + _BLOCK] @ transposed, start, floor, neighbours)

    pairs: dict[tuple[int, int], float] = {}
    with ThreadPoolExecutor(_WORKERS) as pool:
        for rows, columns, values in pool.map(nearest_in_block, range(0, len(stories), _BLOCK)):
            first, second = np.minimum(rows, columns).tolist(), np.maximum(rows, columns).tolist()
            pairs.update(zip(zip(first, second, strict=True), values.tolist(), strict=True))
    return pairs


def _weighed_by_shared_neighbours(
    pairs: Mapping[tuple[int, int], float], count: int, neighbours: int
) -> dict[tuple[int, int], float]:
    """Each pair's cosine times the number of stories the two stories' neighbourhoods hold in common
    (the two among them), over the size of a full neighbourhood: a story and its ``neighbours``
    nearest, fewer in a store of fewer stories. A neighbourhood holds every story paired with it
    either way, so in a dense subject the factor can pass 1.

    Why: subjects differ in how tight they are. The stories of a diffuse subject ("Generation X")
    share few words pairwise but have the same stories around them; two close subjects (car safety
    and an air crash's inquiry, both in the NTSB's words) link by more words than that, but each
    story's neighbours are of its own subject. A cosine alone cannot tell the two apart; the
    neighbourhoods can (shared-nearest-neighbour similarity, Jarvis and Patrick 1973)."""
    around: list[set[int]] = [set() for _ in range(count)]
    for first, second in pairs:
        around[first].add(second)
        around[second].add(first)
    full = min(neighbours, count - 1) + 1
    return {
        (first, second): value * (len(around[first] & around[second]) + 2) / full
        for (first, second), value in pairs.items()
    }


def _salient_vectors(stories: Sequence[Subject], terms: int) -> csr_matrix:
    """One row per story: its ``terms`` heaviest words, as a unit vector.

    Weights are sublinear term frequency (1 + log of the count) times unsmoothed IDF: a word of
    every story weighs nothing, so no stop-word list is needed, and a word a story repeats (the
    "fire" of a fire, 30 times) cannot carry a link alone. With raw counts, one such word of a
    kind made most of the link between stories of two subjects (docs/quality.md, "Threads
    beside events"). The heaviest words say what a story is about; the vector is normed over
    them, so that two stories' link is the cosine of what is compared."""
    counts = [story.words for story in stories]
    documents = Counter(chain.from_iterable(counts))
    words = sorted(documents)
    vocabulary = {word: column for column, word in enumerate(words)}
    idf = np.log((1 + len(stories)) / (1 + np.array([documents[word] for word in words], dtype=np.float64)))
    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    for row, story_counts in enumerate(counts):
        held = np.fromiter(map(vocabulary.__getitem__, story_counts), dtype=np.int64, count=len(story_counts))
        counted = np.fromiter(story_counts.values(), dtype=np.float64, count=len(story_counts))
        weights = (1 + np.log(counted)) * idf[held]
        heaviest = np.lexsort((held, -weights))[:terms]  # ties to the word first in order
        kept = weights[heaviest]
        norm = math.sqrt(sum(w * w for w in kept.tolist())) or 1.0
        rows += [row] * len(heaviest)
        columns += held[heaviest].tolist()
        values += (kept / norm).tolist()
    return csr_matrix((values, (rows, columns)), shape=(len(stories), len(vocabulary)), dtype=np.float64)


def _nearest(block: csr_matrix, start: int, floor: float, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``count`` most similar other stories of at least ``floor``, ties to the earliest, as
    (row, column, cosine) in order of row, then of nearness.

    A row can hold thousands of stories, so only those in or above the 1/1024 of cosine that
    holds the row's ``count`` + 1-th (the row itself is one) are sorted: the same nearest, with
    one sort per block instead of one per row (which cost a third of threading at 100,000
    articles)."""
    offsets = np.repeat(np.arange(block.shape[0], dtype=np.int32), np.diff(block.indptr))
    buckets = np.minimum((block.data * _BUCKETS).astype(np.int32), _BUCKETS - 1)
    histogram = np.bincount(offsets * _BUCKETS + buckets, minlength=block.shape[0] * _BUCKETS)
    at_or_above = np.cumsum(histogram.reshape(-1, _BUCKETS)[:, ::-1], axis=1)
    lowest = _BUCKETS - 1 - np.minimum((at_or_above <= count).sum(axis=1), _BUCKETS - 1)
    candidates = np.flatnonzero(buckets >= lowest[offsets])
    rows, columns, values = start + offsets[candidates], block.indices[candidates], block.data[candidates]
    keep = (values >= floor) & (columns != rows)
    rows, columns, values = rows[keep], columns[keep], values[keep]
    order = np.lexsort((columns, -values, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    nearest = np.arange(len(rows)) - np.searchsorted(rows, rows) < count
    return rows[nearest], columns[nearest], values[nearest]


_BUCKETS = 1024
_BLOCK = 500
_WORKERS = min(4, os.cpu_count() or 1)
"""Blocks in work at once: four of 500 rows hold in memory what one of 2,000 did."""


def _average_link(similarities: Mapping[tuple[int, int], float], count: int, threshold: float) -> list[set[int]]:
    """Merge the pair of groups with the highest mean pairwise cosine while it reaches ``threshold``.

    ``sums`` holds, for each pair of live groups that share a word, the sum of their stories'
    cosines; a pair that shares none has mean 0 and never merges. Ties go to the pair of
    smallest group numbers, so the result is deterministic."""
    members = {number: {number} for number in range(count)}
    sums: dict[int, dict[int, float]] = {number: {} for number in range(count)}
    for (i, j), value in similarities.items():
        sums[i][j] = sums[j][i] = value
    heap = [(-value, i, j) for (i, j), value in similarities.items()]
    heapq.heapify(heap)
    while heap and -heap[0][0] >= threshold:
        negative, i, j = heapq.heappop(heap)
        if i not in members or j not in members:
            continue
        mean = sums[i].get(j, 0.0) / (len(members[i]) * len(members[j]))
        if not math.isclose(mean, -negative):
            continue  # a stale entry: the pair's mean changed when one of them grew
        members[i] |= members.pop(j)
        sums[i].pop(j)
        for other, value in sums.pop(j).items():
            if other == i:
                continue
            sums[other].pop(j)
            sums[i][other] = sums[other][i] = sums[i].get(other, 0.0) + value
        for other, value in sums[i].items():
            first, second = sorted((i, other))
            heapq.heappush(heap, (-value / (len(members[i]) * len(members[other])), first, second))
    return list(members.values())


def _first_published(story: Story, published: Mapping[str, str | None]) -> str | None:
    return min((day for article_id in story.article_ids if (day := published.get(article_id))), default=None)


def _thread(stories: Sequence[Subject]) -> Thread:
    """Named after its first story, so its id holds as later stories join; titled as its largest story."""
    _, largest = max(enumerate(stories), key=lambda item: (item[1].size, -item[0]))
    return Thread(
        id="t" + hashlib.sha256(stories[0].id.encode("utf-8")).hexdigest()[:12],
        title=largest.title,
        story_ids=tuple(story.id for story in stories),
    )
