"""Build clustering features from parsed articles."""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.cluster.online import ArticleFeatures
from newsfuse.nlp.vectors import TermSpace, entity_terms
from newsfuse.records import ParsedArticle


def article_features(articles: Sequence[ParsedArticle]) -> list[ArticleFeatures]:
    """Fit term and entity spaces on this corpus and vectorise every article."""
    term_lists = [article.terms for article in articles]
    entity_lists = [entity_terms(article) for article in articles]
    terms = TermSpace(term_lists).vectors(term_lists)
    entities = TermSpace(entity_lists).vectors(entity_lists)
    return [
        ArticleFeatures(article.id, article.article.published_date, terms[row], entities[row])
        for row, article in enumerate(articles)
    ]
