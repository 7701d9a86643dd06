"""Fit the clustering's join model on event-level gold streams, and score it leave-one-set-out.

Training rows come from replaying each stream in publication order with its gold stories:
every arriving article is compared, exactly as ``OnlineClusterer.add`` would compare it,
with the candidate stories the index offers, and each comparison is a row labelled by
whether the candidate is the article's gold story; then the article joins its gold story.
The join threshold is the one that gives the best mean B-cubed F1 of the online
clustering over the training streams. Rows and the fit are deterministic, so the shipped
``join_model.json`` can be rebuilt from the data (``newsfuse eval fit-clustering``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from rich.table import Table
from sklearn.linear_model import LogisticRegression

from newsfuse.cluster.attach import stories_from_online
from newsfuse.cluster.features import article_features
from newsfuse.cluster.join_model import JoinModel
from newsfuse.cluster.online import (
    ArticleFeatures,
    ClusterConfig,
    OnlineClusterer,
    OpenStory,
    cluster_articles,
    join_features,
    publication_order,
    story_id,
)
from newsfuse.evaluate.clustering import BertopicPeer, TfidfBaseline, bertopic_sweep, gold_labels, story_of
from newsfuse.evaluate.metrics import bcubed
from newsfuse.ingest import read_inputs
from newsfuse.nlp.cache import parse_cached
from newsfuse.pipeline import SettingsError
from newsfuse.records import Article, Skipped

FEATURES = ("terms", "entities", "lead", "terms_relative", "entities_relative")
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
BASELINE_SWEEP = tuple(round(0.1 + 0.02 * step, 2) for step in range(16))
REGULARISATION = 1.0
"""scikit-learn's default inverse regularisation strength; not tuned."""


@dataclass(frozen=True)
class EventSet:
    """A gold-labelled stream: its articles' clustering features and each article's gold event."""

    name: str
    articles: tuple[ArticleFeatures, ...]
    gold: Mapping[str, str]
    texts: tuple[Article, ...] = ()
    """The articles themselves, for the TF-IDF baseline."""


def event_sets(
    paths: Iterable[Path], parse_cache: Path | None, report: Callable[[Sequence[Skipped]], None]
) -> list[EventSet]:
    """Each file's articles that carry a gold story, parsed (through the cache when given)."""
    sets = []
    for path in paths:
        ingested = read_inputs([path])
        report(ingested.skipped)
        gold = gold_labels(ingested.articles)
        labelled = [article for article in ingested.articles if article.id in gold]
        parsed = parse_cached(labelled, parse_cache)
        sets.append(EventSet(path.stem, tuple(article_features(p) for p in parsed), gold, tuple(labelled)))
    return sets


class _GoldReplay(OnlineClusterer):
    """The online clusterer made to follow the gold stories, keeping what it compared on the way."""

    def __init__(self, config: ClusterConfig) -> None:
        super().__init__(config)
        self.gold_positions: dict[str, int] = {}
        self.rows: list[tuple[dict[str, float], bool]] = []

    def add_gold(self, article: ArticleFeatures, event: str) -> None:
        vectors, index_terms, candidates = self.arrive(article)
        features = join_features(vectors, [self._story(c) for c in candidates])
        position = self.gold_positions.get(event)
        self.rows.extend(
            (values, candidate == position) for values, candidate in zip(features, candidates, strict=True)
        )
        if position is None:
            position = self.gold_positions[event] = len(self._stories)
            self._stories.append(OpenStory(story_id(article.id), []))
        self._join(position, article.id, vectors, index_terms)


def training_rows(event_set: EventSet, config: ClusterConfig) -> tuple[list[list[float]], list[int]]:
    replay = _GoldReplay(config)
    for article in sorted(event_set.articles, key=publication_order):
        replay.add_gold(article, event_set.gold[article.id])
    return [[values[name] for name in FEATURES] for values, _ in replay.rows], [int(same) for _, same in replay.rows]


def event_f1(event_set: EventSet, config: ClusterConfig, split: bool = True) -> float:
    """B-cubed F1 of ``run``'s stories, or with ``split`` off of the online pass alone."""
    stories = cluster_articles(event_set.articles, config)
    if split:
        stories = stories_from_online(stories, event_set.articles, config)
    return bcubed(story_of(stories), event_set.gold).f1


def fit_join_model(sets: Sequence[EventSet], config: ClusterConfig | None = None) -> JoinModel:
    """Logistic regression over every set's rows, then the threshold with the best mean F1 over the sets."""
    config = config or ClusterConfig()
    features: list[list[float]] = []
    labels: list[int] = []
    for event_set in sets:
        rows, same = training_rows(event_set, config)
        features += rows
        labels += same
    if len(set(labels)) < 2:
        raise SettingsError(
            f"nothing to fit the join model on: replaying the sets gave {len(labels)} comparisons of an article"
            f" with a candidate story, {sum(labels)} of them with its own; both kinds are needed"
            " (do the settings leave candidates, and does each set's gold put some articles together?)"
        )
    regression = LogisticRegression(C=REGULARISATION, max_iter=1000).fit(features, labels)
    fitted = JoinModel(
        features=FEATURES,
        weights=tuple(round(float(w), 4) for w in regression.coef_[0]),
        bias=round(float(regression.intercept_[0]), 4),
        threshold=0.5,
        fitted_on=tuple(event_set.name for event_set in sets),
    )

    def mean_f1(threshold: float) -> float:
        """Of the online pass: the threshold is the join model's own, whatever splits stories after it."""
        candidate = replace(config, model=fitted, threshold=threshold)
        return sum(event_f1(event_set, candidate, split=False) for event_set in sets) / len(sets)

    best = max(THRESHOLDS, key=lambda threshold: (round(mean_f1(threshold), 6), -threshold))
    return replace(fitted, threshold=best)


@dataclass(frozen=True)
class HeldOut:
    """One set's B-cubed F1 with the model fitted on every set and with the model fitted on the others."""

    name: str
    fit_on_all: float
    left_out: float
    left_out_model: JoinModel
    baseline: float
    baseline_threshold: float
    """The TF-IDF baseline's F1 at the threshold that is best over the other sets."""
    peer: float | None = None
    peer_size: int | None = None
    """BERTopic's F1 at the smallest story size that is best over the other sets (None: not run)."""


def leave_one_set_out(
    sets: Sequence[EventSet],
    fitted_on_all: JoinModel,
    config: ClusterConfig | None = None,
    peer: BertopicPeer | None = None,
) -> list[HeldOut]:
    """Each set scored by ``fitted_on_all``, by a model fitted on the other sets alone, and by the
    TF-IDF baseline and BERTopic (when given) with their setting chosen on the other sets the same way."""
    config = config or ClusterConfig()
    on_all = replace(config, model=fitted_on_all, threshold=fitted_on_all.threshold)
    baselines = {event_set.name: _baseline_f1s(event_set) for event_set in sets}
    peers = {s.name: {size: scores.f1 for size, scores in bertopic_sweep(s.texts, peer)} for s in sets} if peer else {}
    results = []
    for event_set in sets:
        others = [s for s in sets if s is not event_set]
        model = fit_join_model(others, config)
        left_out = replace(config, model=model, threshold=model.threshold)
        threshold = _best_elsewhere(baselines, others)
        size = _best_elsewhere(peers, others) if peers else None
        results.append(
            HeldOut(
                event_set.name,
                event_f1(event_set, on_all),
                event_f1(event_set, left_out),
                model,
                baselines[event_set.name][threshold],
                threshold,
                peers[event_set.name][size] if size is not None else None,
                size,
            )
        )
    return results


Setting = TypeVar("Setting", int, float)


def _best_elsewhere(f1s: Mapping[str, Mapping[Setting, float]], others: Sequence[EventSet]) -> Setting:
    """The setting with the best summed F1 over ``others``, ties to the smallest."""
    settings = f1s[others[0].name]
    return max(settings, key=lambda setting: (sum(f1s[s.name][setting] for s in others), -setting))


def _baseline_f1s(event_set: EventSet) -> dict[float, float]:
    baseline = TfidfBaseline(event_set.texts)
    return {t: bcubed(baseline.cluster(t), event_set.gold).f1 for t in BASELINE_SWEEP}


def leave_one_set_out_table(rows: Sequence[HeldOut]) -> Table:
    table = Table(title="Event-level B-cubed F1: fitted on all sets, and on the other sets only (left out)")
    peer = any(row.peer is not None for row in rows)
    columns = ["set", "fit on all", "left out", "threshold", "tf-idf left out", "tf-idf threshold"]
    columns += ["bertopic left out", "bertopic smallest story"] if peer else []
    for column in columns:
        table.add_column(column, justify="left" if column == "set" else "right")
    for row in rows:
        figures = [row.fit_on_all, row.left_out, row.left_out_model.threshold, row.baseline, row.baseline_threshold]
        cells = [f"{x:.3f}" for x in figures] + ([f"{row.peer:.3f}", str(row.peer_size)] if peer else [])
        table.add_row(row.name, *cells)
    if rows:
        names = ["fit_on_all", "left_out", "baseline"] + (["peer"] if peer else [])
        means = [f"{sum(getattr(r, name) or 0.0 for r in rows) / len(rows):.3f}" for name in names]
        table.add_row("mean", means[0], means[1], "", means[2], "", *([means[3], ""] if peer else []))
    return table
