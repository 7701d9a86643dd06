"""Pick a story's title: the headline of its most representative article."""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.nlp.vectors import TermSpace
from newsfuse.records import ParsedArticle


def story_title(articles: Sequence[ParsedArticle]) -> str:
    """The title of the article closest to all others; the earliest wins a tie."""
    if len(articles) <= 2:
        return articles[0].article.title
    term_lists = [article.terms for article in articles]
    vectors = TermSpace(term_lists).vectors(term_lists)
    closeness = (vectors @ vectors.T).sum(axis=1).A1
    best = max(range(len(articles)), key=lambda row: (round(float(closeness[row]), 6), -row))
    return articles[best].article.title
