"""Pick a story's title: the headline of its most representative article."""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.nlp.vectors import TermSpace
from newsfuse.records import ParsedArticle

MIN_HEADLINE_WORDS = 3


def story_title(articles: Sequence[ParsedArticle]) -> str:
    """The best-formed headline, and among those the article closest to all others.

    Feeds carry junk titles ("&HT;", a slug, a shouted all-caps line); a reader should
    see a real headline when any article has one. The earliest article wins a tie.
    """
    term_lists = [article.terms for article in articles]
    vectors = TermSpace(term_lists).vectors(term_lists)
    similarity = (vectors @ vectors.T).toarray()
    closeness = similarity.sum(axis=1) - similarity.diagonal()

    def rank(row: int) -> tuple[int, float, int]:
        return (headline_quality(articles[row].article.title), round(float(closeness[row]), 6), -row)

    return articles[max(range(len(articles)), key=rank)].article.title


def headline_quality(title: str) -> int:
    """2 for a mixed-case headline of a few words, 1 for an all-caps one, 0 for junk."""
    words = [word for word in title.split() if any(char.isalpha() for char in word)]
    if len(words) < MIN_HEADLINE_WORDS:
        return 0
    return 1 if title.isupper() else 2
