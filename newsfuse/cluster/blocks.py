"""Story clustering in time blocks that can be clustered in parallel, then joined.

Articles in publication order are cut into windows of ``days`` days (undated articles form
a last block). Each block is clustered by the online clusterer on its own, after a lead-in:
the articles of the ``lead_in`` blocks before it, so a story that crosses a border is seen
from both sides. Document frequencies start from the counts of every article before the
lead-in, so each article gets the same term weights as in the single-machine run. Stories
are then joined across borders (``merge_blocks``): through the lead-in articles, and for a
story begun inside a block, through its first article's similarity to the older stories.

The result is close to ``cluster_articles`` but not always equal: a block sees the stories
older than its lead-in only through that first article, and the lead-in is clustered afresh,
without the context its own block had, so an article can choose differently than in one long
run (docs/batch.md gives the agreement on DUC 2006 dev).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsfuse.cluster.online import (
    ArticleFeatures,
    ArticleVectors,
    ClusterConfig,
    DocumentFrequencies,
    OnlineClusterer,
    OpenStory,
    publication_order,
    story_id,
    top_terms,
)


@dataclass(frozen=True)
class BlockConfig:
    """Window length and lead-in; their agreement with one long run on DUC 2006 dev is in docs/batch.md.

    The defaults are the cheapest there that agree with the single pass at B-cubed F1 >= 0.99."""

    days: int = 180
    lead_in: int = 4


@dataclass(frozen=True)
class Counts:
    """Document frequencies of a prefix of the articles, for the terms a block needs only."""

    documents: int
    terms: Mapping[str, int]
    entities: Mapping[str, int]

    def frequencies(self) -> tuple[DocumentFrequencies, DocumentFrequencies]:
        return DocumentFrequencies(self.documents, self.terms), DocumentFrequencies(self.documents, self.entities)


@dataclass(frozen=True)
class BlockTask:
    """What one worker needs to cluster a block: its articles, its lead-in, the counts before both."""

    number: int
    lead_in: tuple[ArticleFeatures, ...]
    articles: tuple[ArticleFeatures, ...]
    counts: Counts


def split_blocks(articles: Iterable[ArticleFeatures], days: int) -> list[tuple[ArticleFeatures, ...]]:
    """Non-empty windows of ``days`` days from the first date, in publication order; undated last."""
    ordered = sorted(articles, key=publication_order)
    windows: dict[int, list[ArticleFeatures]] = {}
    first = next((a.published for a in ordered if a.published), None)
    for article in ordered:
        if article.published and first:
            windows.setdefault((article.published - first).days // days, []).append(article)
    blocks = [tuple(windows[number]) for number in sorted(windows)]
    undated = tuple(a for a in ordered if a.published is None)
    return [*blocks, undated] if undated else blocks


def block_tasks(articles: Iterable[ArticleFeatures], config: BlockConfig | None = None) -> list[BlockTask]:
    """One task per block, with the lead-in and the prefix counts at the lead-in's start."""
    config = config or BlockConfig()
    blocks = split_blocks(articles, config.days)
    term_counts = [_document_counts(a.terms for a in block) for block in blocks]
    entity_counts = [_document_counts(a.entities for a in block) for block in blocks]
    tasks = []
    documents, terms, entities = 0, Counter[str](), Counter[str]()
    for start, block in enumerate(blocks):
        for number in _starting_at(start, len(blocks), config.lead_in):
            lead_in = tuple(a for earlier in blocks[start:number] for a in earlier)
            needed = slice(start, number + 1)
            counts = Counts(
                documents, _restricted(terms, term_counts[needed]), _restricted(entities, entity_counts[needed])
            )
            tasks.append(BlockTask(number, lead_in, blocks[number], counts))
        documents += len(block)
        terms.update(term_counts[start])
        entities.update(entity_counts[start])
    return sorted(tasks, key=lambda task: task.number)


def _document_counts(documents: Iterable[tuple[str, ...]]) -> Counter[str]:
    frequencies = DocumentFrequencies()
    for document in documents:
        frequencies.observe(document)
    return frequencies.counts


def _starting_at(start: int, blocks: int, lead_in: int) -> list[int]:
    """The blocks whose lead-in starts at block ``start``: the first ``lead_in`` blocks all start at 0."""
    if start == 0:
        return list(range(min(lead_in, blocks - 1) + 1))
    number = start + lead_in
    return [number] if number < blocks else []


def _restricted(counts: Counter[str], blocks: Sequence[Counter[str]]) -> dict[str, int]:
    """The counts of the terms that occur in ``blocks``: a block never looks up another term."""
    return {key: counts[key] for key in sorted(set().union(*blocks)) if key in counts}


@dataclass(frozen=True)
class Fragment:
    """A story as one block sees it: its articles, and the sums of its own articles' vectors (``own``).

    ``starter`` is the unit vectors and date of the block article that
    began the story; it is set only when no lead-in article is in the story, the case
    where the merge must ask whether that article would have joined an older story.
    ``bridged`` says that an article of the block merged stories into this one (the
    clusterer's neighbour merge), so the stories of its lead-in articles are one.
    """

    article_ids: tuple[str, ...]
    own: ArticleVectors
    starter: ArticleVectors | None
    bridged: bool


def cluster_block(task: BlockTask, config: ClusterConfig | None = None) -> list[Fragment]:
    """The stories that hold articles of the block, with their lead-in articles.

    An ``add`` that changed more than one story merged stories: the story it returns is bridged.
    """
    clusterer = OnlineClusterer(config, task.counts.frequencies())
    for article in task.lead_in:
        clusterer.add(article)
    vectors: dict[str, ArticleVectors] = {}
    bridged = set()
    for article in task.articles:
        joined = clusterer.add(article)
        if len(clusterer.changed) > 1:
            bridged.add(joined)
        vectors[article.id] = clusterer.vectors(article)
    return [_fragment(ids, vectors, sid in bridged) for sid, ids in clusterer.stories if vectors.keys() & set(ids)]


def _fragment(ids: list[str], vectors: Mapping[str, ArticleVectors], bridged: bool) -> Fragment:
    own = OpenStory("", [])
    for article_id in ids:
        if article_id in vectors:
            own.add(vectors[article_id])
    starter = vectors[ids[0]] if all(i in vectors for i in ids) else None
    return Fragment(tuple(ids), own.summed(), starter, bridged)


def merge_blocks(
    tasks: Sequence[BlockTask], results: Sequence[list[Fragment]], config: ClusterConfig | None = None
) -> list[tuple[str, list[str]]]:
    """Join the blocks' stories into (story id, article ids), in the order of ``cluster_articles``."""
    merge = _BorderMerge([a.id for task in tasks for a in task.articles], config)
    for task, fragments in zip(tasks, results, strict=True):
        own = {a.id for a in task.articles}
        heads = [(merge.place(fragment, own), fragment) for fragment in fragments]
        for head, fragment in heads:
            merge.absorb(head, fragment)
    return merge.stories()


class _BorderMerge:
    """Stories joined so far, as a union-find over article ids; a story is named by its oldest article.

    Blocks are joined in order. The articles a block adds to a story join the story that
    already holds most of that story's lead-in articles (ties to the oldest): a lead-in
    clustered afresh can group its articles otherwise than their own block did, and those
    stories stay apart. Only where an article of the block merged stories, as the single
    pass would have, are all the stories of the lead-in articles joined. A story begun in
    the block joins the older story its first article is most similar to, if that article
    would have joined it in one long run: the block could not see stories older than its
    lead-in. Candidates come from an index on the stories' salient terms, as in the online
    clusterer.
    """

    def __init__(self, ordered_ids: Sequence[str], config: ClusterConfig | None) -> None:
        self.position = {article_id: n for n, article_id in enumerate(ordered_ids)}
        self.parent = {article_id: article_id for article_id in ordered_ids}
        self.open: dict[str, OpenStory] = {}
        self.index: defaultdict[str, set[str]] = defaultdict(set)
        self.scorer = OnlineClusterer(config)

    def root(self, article_id: str) -> str:
        while self.parent[article_id] != article_id:
            self.parent[article_id] = self.parent[self.parent[article_id]]
            article_id = self.parent[article_id]
        return article_id

    def join(self, a: str, b: str) -> str:
        first, second = sorted((self.root(a), self.root(b)), key=self.position.__getitem__)
        self.parent[second] = first
        if second in self.open:
            self._grow(first, self.open.pop(second).summed())
        return first

    def place(self, fragment: Fragment, own: set[str]) -> str:
        """Join the fragment's block articles to their story; returns that story's root."""
        added = sorted((i for i in fragment.article_ids if i in own), key=self.position.__getitem__)
        for article_id in added[1:]:
            self.join(added[0], article_id)
        earlier = Counter(self.root(i) for i in fragment.article_ids if i not in own)
        if earlier:
            head = self.join(min(earlier, key=lambda r: (-earlier[r], self.position[r])), added[0])
            for other in sorted(earlier) if fragment.bridged else ():
                head = self.join(other, head)
            return head
        return self.join(self._older_story(fragment) or added[0], added[0])

    def absorb(self, head: str, fragment: Fragment) -> None:
        """Add the fragment's block articles to the story, once the whole block is placed."""
        self._grow(self.root(head), fragment.own)

    def _grow(self, head: str, vectors: ArticleVectors) -> None:
        self.open.setdefault(head, OpenStory(head, [])).add(vectors)
        for term in top_terms(vectors.terms, self.scorer.config.index_terms):
            self.index[term].add(head)

    def _older_story(self, fragment: Fragment) -> str | None:
        assert fragment.starter is not None, "a fragment without lead-in articles has a starter"
        starter = fragment.starter
        index_terms = top_terms(starter.terms, self.scorer.config.index_terms)
        candidates = sorted({self.root(h) for t in index_terms for h in self.index[t]}, key=self.position.__getitem__)
        ages = range(len(candidates))  # candidates are in the order the stories began
        chosen, _ = self.scorer.joinable(starter, [self.open[head] for head in candidates], ages)
        return candidates[chosen] if chosen is not None else None

    def stories(self) -> list[tuple[str, list[str]]]:
        groups: dict[str, list[str]] = {}
        for article_id in self.position:
            groups.setdefault(self.root(article_id), []).append(article_id)
        return [(story_id(ids[0]), ids) for ids in groups.values()]


def cluster_in_blocks(
    articles: Sequence[ArticleFeatures], config: ClusterConfig | None = None, blocks: BlockConfig | None = None
) -> list[tuple[str, list[str]]]:
    """``cluster_articles`` by blocks, one after the other; ``cluster_on_workers`` runs them in parallel."""
    tasks = block_tasks(articles, blocks)
    return merge_blocks(tasks, [cluster_block(task, config) for task in tasks], config)
