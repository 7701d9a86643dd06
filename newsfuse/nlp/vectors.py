"""A TF-IDF term space fitted on a small closed set, such as the sentences of one story."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer


def _identity(terms: Sequence[str]) -> Sequence[str]:
    return terms


class TermSpace:
    """A fitted TF-IDF space; rows it returns are L2-normalised sparse vectors."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self._vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=False, norm="l2", dtype=np.float32)
        self._vectorizer.fit(documents)

    def vectors(self, documents: Sequence[Sequence[str]]) -> csr_matrix:
        return self._vectorizer.transform(documents).tocsr()
