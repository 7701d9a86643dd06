"""The fitted decision of whether an article reports a story's event.

A logistic model over similarity features (``online.join_features``), fitted on the event
dev sets by ``newsfuse eval fit-clustering`` and shipped as ``join_model.json`` beside this
module, so that the file can be rebuilt from the data and a change to it is reviewable.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("join_model.json")
MODEL_FORMAT = 1


@dataclass(frozen=True)
class JoinModel:
    """Log-odds = bias + sum of weight * feature; an article joins its best story at ``threshold`` probability."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    fitted_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.weights) != len(self.features):
            raise ValueError(f"join model has {len(self.weights)} weights for {len(self.features)} features")

    def logit(self, values: Mapping[str, float]) -> float:
        return self.bias + sum(map(operator.mul, self.weights, map(values.__getitem__, self.features)))

    @staticmethod
    def logit_of(probability: float) -> float:
        return math.log(probability / (1 - probability))

    def to_json(self) -> str:
        return json.dumps({"format": MODEL_FORMAT, **asdict(self)}, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> JoinModel:
        data: dict[str, Any] = json.loads(text)
        if data.pop("format", None) != MODEL_FORMAT:
            raise ValueError(f"join model format is not {MODEL_FORMAT}")
        return cls(
            features=tuple(data["features"]),
            weights=tuple(float(w) for w in data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            fitted_on=tuple(data.get("fitted_on", ())),
        )


@cache
def packaged_model() -> JoinModel:
    return JoinModel.from_json(MODEL_PATH.read_text(encoding="utf-8"))
