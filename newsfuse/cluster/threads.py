"""Threads: stories on the same ongoing subject over weeks or years (one summit, then the next).

Stories are events; a thread groups the events of one subject. It is built from the story
records alone (the words of the title and of every claim, which together hold every
sentence of the story), so ``run``, the store, ``batch`` and ``load`` thread the same stories
the same way whenever their stories change. Stories are taken in order of their first
article, each joining the thread whose centroid is nearest by cosine when that cosine
reaches ``threshold``; threads are found under their salient words, so a story is compared
with a bounded number of threads.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from newsfuse.cluster.online import Centroid, DocumentFrequencies, SparseVector, top_terms
from newsfuse.records import Story, Thread

WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class ThreadConfig:
    """Chosen on DUC 2006 dev, whose topics are threads and the only thread-level gold (docs/quality.md)."""

    threshold: float = 0.1
    index_terms: int = 15
    max_candidates: int = 40


def story_words(story: Story) -> list[str]:
    """Lower-cased words of three letters or more of the title and every claim.

    Entity names were tried as extra terms and lowered thread-level F1 on DUC 2006 dev
    (people and places recur across subjects)."""
    text = " ".join([story.title, *(claim.text for claim in story.claims)])
    return [word.lower() for word in WORD.findall(text)]


def thread_stories(
    stories: Sequence[Story], published: Mapping[str, str | None], config: ThreadConfig | None = None
) -> list[Thread]:
    """Threads over the stories, each listing its stories in order of their first article."""
    config = config or ThreadConfig()
    ordered = sorted(stories, key=lambda story: _first_published(story, published))
    words = [story_words(story) for story in ordered]
    frequencies = DocumentFrequencies()
    for story_vocabulary in words:
        frequencies.observe(story_vocabulary)
    threads: list[_OpenThread] = []
    index: defaultdict[str, list[int]] = defaultdict(list)
    for story, story_vocabulary in zip(ordered, words, strict=True):
        vector = _weights(story_vocabulary, frequencies)
        number = _nearest(threads, index, vector, config)
        if number is None:
            number = len(threads)
            threads.append(_OpenThread())
        threads[number].add(story, vector)
        for term in top_terms(vector, config.index_terms):
            if number not in index[term]:
                index[term].append(number)
    return [thread.record() for thread in threads]


def _weights(words: Sequence[str], frequencies: DocumentFrequencies) -> SparseVector:
    """Sublinear term frequency times unsmoothed IDF, unit length: a word of every story weighs nothing."""
    weights = {
        word: (1 + math.log(count)) * math.log((1 + frequencies.documents) / (1 + frequencies.counts[word]))
        for word, count in Counter(words).items()
    }
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {word: w / norm for word, w in weights.items() if w} if norm else {}


def _first_published(story: Story, published: Mapping[str, str | None]) -> tuple[bool, str, str]:
    dates = [day for article_id in story.article_ids if (day := published.get(article_id))]
    return (not dates, min(dates, default=""), story.id)


def _nearest(
    threads: Sequence[_OpenThread], index: Mapping[str, list[int]], vector: SparseVector, config: ThreadConfig
) -> int | None:
    hits: Counter[int] = Counter()
    for term in top_terms(vector, config.index_terms):
        hits.update(index.get(term, ()))
    candidates = sorted(hits, key=lambda number: (-hits[number], number))[: config.max_candidates]
    scored = [(threads[number].centroid.cosine(vector), -number) for number in candidates]
    best = max(scored, default=None)
    return -best[1] if best and best[0] >= config.threshold else None


@dataclass
class _OpenThread:
    centroid: Centroid = field(default_factory=Centroid)
    stories: list[Story] = field(default_factory=list)

    def add(self, story: Story, vector: SparseVector) -> None:
        self.centroid.add(vector)
        self.stories.append(story)

    def record(self) -> Thread:
        """Named after its first story; titled as its largest story (the earliest of equal size)."""
        largest = max(self.stories, key=lambda story: (len(story.article_ids), -self.stories.index(story)))
        first = self.stories[0].id
        return Thread(
            id="t" + hashlib.sha256(first.encode("utf-8")).hexdigest()[:12],
            title=largest.title,
            story_ids=tuple(story.id for story in self.stories),
        )
