from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from newsfuse.cluster.join_model import MODEL_PATH, JoinModel, packaged_model
from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, cluster_articles
from newsfuse.evaluate.join_fit import FEATURES, THRESHOLDS, EventSet, event_sets, fit_join_model, training_rows
from tests.conftest import shared_data


def test_the_packaged_model_loads_and_reads_the_features_the_clusterer_gives() -> None:
    model = packaged_model()
    assert model.features == FEATURES
    assert len(model.weights) == len(FEATURES)
    assert model.threshold in THRESHOLDS
    assert all(weight > 0 for weight in model.weights[:3])  # more shared words, names and title words: more likely
    assert ClusterConfig().model == model and ClusterConfig().threshold == model.threshold


def test_a_model_survives_its_json_and_refuses_another_format() -> None:
    model = JoinModel(("terms",), (2.0,), -1.0, 0.25, ("a-set",))
    assert JoinModel.from_json(model.to_json()) == model
    assert math.isclose(model.logit({"terms": 0.5}), 0.0)
    assert math.isclose(JoinModel.logit_of(0.5), 0.0)
    other = json.loads(model.to_json()) | {"format": 99}
    with pytest.raises(ValueError, match="format"):
        JoinModel.from_json(json.dumps(other))
    short = json.loads(model.to_json()) | {"features": ["terms", "entities"]}
    with pytest.raises(ValueError, match="1 weights for 2 features"):
        JoinModel.from_json(json.dumps(short))


def synthetic_set(name: str, events: int, per_event: int) -> EventSet:
    """Events with their own words and a shared vocabulary, a day apart within each event."""
    articles = []
    gold = {}
    for event in range(events):
        for n in range(per_event):
            own = [f"{name}e{event}w{k}" for k in range(4) if (k + n) % 5]
            terms = (*own, "common", f"noise{(event + n) % 3}")
            article_id = f"{name}-{event}-{n}"
            articles.append(
                ArticleFeatures(
                    article_id, date(2020, 1, 1 + event % 20 + n), terms, (f"{name}p{event}",), tuple(own[:2])
                )
            )
            gold[article_id] = f"{event}"
    return EventSet(name, tuple(articles), gold)


def test_training_rows_follow_the_gold_stories() -> None:
    rows, labels = training_rows(synthetic_set("a", 4, 3), ClusterConfig())
    assert len(rows) == len(labels) and all(len(row) == len(FEATURES) for row in rows)
    same = [row[0] for row, label in zip(rows, labels, strict=True) if label]
    other = [row[0] for row, label in zip(rows, labels, strict=True) if not label]
    assert same and other and min(same) > max(other)  # the gold story shares the most words


def test_a_fitted_model_separates_the_events_it_was_fitted_on() -> None:
    sets = [synthetic_set("a", 5, 4), synthetic_set("b", 6, 3)]
    model = fit_join_model(sets)
    assert model.fitted_on == ("a", "b") and model.threshold in THRESHOLDS
    config = replace(ClusterConfig(), model=model, threshold=model.threshold)
    stories = cluster_articles(sets[0].articles, config)
    assert sorted(len(ids) for _, ids in stories) == [4] * 5
    assert fit_join_model(sets) == model  # deterministic


@pytest.mark.slow
def test_the_shipped_model_is_the_fit_on_the_event_dev_sets(tmp_path: Path) -> None:
    """``newsfuse eval fit-clustering`` on the three event sets rebuilds join_model.json (to the
    last of its four decimals, which the solver's floating point may move by one)."""
    paths = [shared_data(f"{name}.jsonl") for name in ("duc-tdt-dev", "ecbplus-dev", "newswcl50-dev")]
    model = fit_join_model(event_sets(paths, None, lambda skipped: None))
    shipped = JoinModel.from_json(MODEL_PATH.read_text(encoding="utf-8"))
    assert (model.features, model.threshold, model.fitted_on) == (
        shipped.features,
        shipped.threshold,
        shipped.fitted_on,
    )
    assert model.bias == pytest.approx(shipped.bias, abs=2e-4)
    assert model.weights == pytest.approx(shipped.weights, abs=2e-4)
