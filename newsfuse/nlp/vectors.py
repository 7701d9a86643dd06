"""A TF-IDF term space fitted on a small closed set, such as the sentences of one story."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import csr_matrix

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer


def _identity(terms: Sequence[str]) -> Sequence[str]:
    return terms


class TermSpace:
    """A fitted TF-IDF space; rows it returns are L2-normalised sparse vectors.

    Documents without a single term between them (a story of one article that is only a
    score line) give a space of no dimensions, where every vector is zero: scikit-learn
    refuses to fit an empty vocabulary.
    """

    def __init__(self, documents: Sequence[Sequence[str]], sublinear: bool = False) -> None:
        """scikit-learn is imported on first use: a server that only reads a store never loads it.
        ``sublinear`` weighs a term 1 + log(count) times in a document rather than count times."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._vectorizer: TfidfVectorizer | None = None
        if any(documents):
            self._vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=sublinear, norm="l2", dtype=np.float32)
            self._vectorizer.fit(documents)

    def vectors(self, documents: Sequence[Sequence[str]]) -> csr_matrix:
        if self._vectorizer is None:
            return csr_matrix((len(documents), 0), dtype=np.float32)
        return self._vectorizer.transform(documents).tocsr()


def similar_pairs(vectors: csr_matrix, minimum: float, chunk: int = 1024) -> tuple[np.ndarray, ...]:
    """Rows, columns and cosines of the pairs ``i < j`` whose cosine reaches ``minimum`` (> 0).

    The product is taken ``chunk`` rows at a time and pruned at once: the whole matrix of a
    story with hundreds of articles holds tens of millions of small cosines (common words),
    more memory and time than the few pairs worth keeping.
    """
    transposed = vectors.T.tocsc()
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, vectors.shape[0], chunk):
        block = (vectors[start : start + chunk] @ transposed).tocoo()
        rows = block.row + start
        keep = (rows < block.col) & (block.data >= minimum)
        found.append((rows[keep], block.col[keep], block.data[keep]))
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))
