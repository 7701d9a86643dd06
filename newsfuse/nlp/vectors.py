"""TF-IDF term spaces over lemmas and entity names, fitted once per corpus."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from newsfuse.records import ParsedArticle


def _identity(terms: Sequence[str]) -> Sequence[str]:
    return terms


class TermSpace:
    """A fitted TF-IDF space; rows it returns are L2-normalised sparse vectors."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self._vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=False, norm="l2", dtype=np.float32)
        self._vectorizer.fit(documents)

    def vectors(self, documents: Sequence[Sequence[str]]) -> csr_matrix:
        return self._vectorizer.transform(documents).tocsr()


def entity_terms(article: ParsedArticle) -> tuple[str, ...]:
    """Entity names as terms, lower-cased, so that 'KIM' and 'Kim' count once."""
    return tuple(mention.name.lower() for mention in article.entities)
