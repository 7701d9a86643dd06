"""Pick a story's title: the headline of its most representative article."""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.analyze.dateline import is_dateline, without_dateline
from newsfuse.nlp.vectors import TermSpace
from newsfuse.records import ParsedArticle

MIN_HEADLINE_WORDS = 3
LEDE_CHARACTERS = 120


def story_title(articles: Sequence[ParsedArticle]) -> str:
    """The best-formed headline, and among those the article closest to all others.

    Feeds carry junk titles ("&HT;", a slug, a shouted all-caps line); a reader should
    see a real headline when any article has one. The earliest article wins a tie. A
    title that opens with a wire dateline (corpora without headlines use the lede:
    "SPLIT, Croatia (AP) _ On a sun-basked seaside ...") is shown without it.
    """
    term_lists = [article.terms for article in articles]
    vectors = TermSpace(term_lists).vectors(term_lists)
    similarity = (vectors @ vectors.T).toarray()
    closeness = similarity.sum(axis=1) - similarity.diagonal()

    def rank(row: int) -> tuple[int, float, int]:
        return (headline_quality(articles[row].article.title), round(float(closeness[row]), 6), -row)

    return shown_title(articles[max(range(len(articles)), key=rank)])


def shown_title(article: ParsedArticle) -> str:
    """The article's title without a leading dateline; when the title is nothing but a
    dateline, place or date, the lede's first sentence instead (cut at ``LEDE_CHARACTERS``),
    so a story is never titled "AUSTIN, Texas _"."""
    title = without_dateline(article.article.title)
    if not is_dateline(title):
        return title
    ledes = (without_dateline(sentence.text) for sentence in article.sentences)
    lede = next((text for text in ledes if not is_dateline(text)), title)
    return lede if len(lede) <= LEDE_CHARACTERS else lede[:LEDE_CHARACTERS].rsplit(" ", 1)[0] + "\u2026"


def headline_quality(title: str) -> int:
    """2 for a mixed-case headline of a few words, 1 for an all-caps one, 0 for junk.

    A dateline, a bare place or a date ("AUSTIN, Texas _", "WASHINGTON (AP) --",
    "MONDAY, MAY 23, 2005") is junk: it names where or when a wire filed, not the event.
    """
    if is_dateline(title):
        return 0
    title = without_dateline(title)
    words = [word for word in title.split() if any(char.isalpha() for char in word)]
    if len(words) < MIN_HEADLINE_WORDS:
        return 0
    return 1 if title.isupper() else 2
