"""Clustering features of a parsed article."""

from __future__ import annotations

import sys

from newsfuse.cluster.online import ArticleFeatures
from newsfuse.records import ParsedArticle


def article_features(article: ParsedArticle) -> ArticleFeatures:
    """Content lemmas, lower-cased entity names (so that 'KIM' and 'Kim' count once) and the title's lemmas.

    The parse lists the title's terms before the body's, so the title's are those the body's sentences do not hold.
    Names are interned, as the parse's terms are: a run holds every article's features at once.
    """
    body_terms = sum(len(sentence.terms) for sentence in article.sentences)
    return ArticleFeatures(
        id=article.id,
        published=article.article.published_date,
        terms=article.terms,
        entities=tuple(sys.intern(mention.name.lower()) for mention in article.entities),
        lead=article.terms[: len(article.terms) - body_terms],
    )
