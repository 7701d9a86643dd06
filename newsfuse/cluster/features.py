"""Clustering features of a parsed article."""

from __future__ import annotations

from newsfuse.cluster.online import ArticleFeatures
from newsfuse.records import ParsedArticle


def article_features(article: ParsedArticle) -> ArticleFeatures:
    """Content lemmas and lower-cased entity names, so that 'KIM' and 'Kim' count once."""
    return ArticleFeatures(
        id=article.id,
        published=article.article.published_date,
        terms=article.terms,
        entities=tuple(mention.name.lower() for mention in article.entities),
    )
