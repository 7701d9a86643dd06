"""Digests of given groups of articles (clusters known in advance, no clustering)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from newsfuse.analyze.claims import align
from newsfuse.analyze.timeline import time_expressions
from newsfuse.records import DigestSentence, ParsedArticle, article_order
from newsfuse.summarize.digest import DigestConfig, make_digest


@dataclass(frozen=True)
class Group:
    """Articles sharing one value of the grouping field, in reading order."""

    value: Any
    articles: tuple[ParsedArticle, ...]


def groups_by(parsed: Sequence[ParsedArticle], field: str) -> list[Group]:
    """Group by ``meta[field]``; groups sorted by the value's JSON form, articles without it left out."""
    members: defaultdict[str, list[ParsedArticle]] = defaultdict(list)
    values: dict[str, Any] = {}
    for article in parsed:
        if field in article.article.meta:
            key = json.dumps(article.article.meta[field], sort_keys=True)
            values[key] = article.article.meta[field]
            members[key].append(article)
    return [
        Group(values[key], tuple(sorted(members[key], key=lambda p: article_order(p.article))))
        for key in sorted(members)
    ]


def group_digest(
    articles: Sequence[ParsedArticle], config: DigestConfig, known: frozenset[str] = frozenset()
) -> tuple[DigestSentence, ...]:
    """The digest ``run`` would give these articles as one story, cited the same way; ``known``
    stemmed terms (of articles read before) are discounted, for an update digest."""
    alignment = align(articles, {article.id: time_expressions(article) for article in articles})
    return make_digest(articles, alignment, config, known)


def digest_lines(groups: Sequence[Group], config: DigestConfig) -> Iterator[str]:
    """One JSON line per group: ``{"group", "digest": [{"text", "sources"}]}``."""
    for group in groups:
        digest = [{"text": d.text, "sources": list(d.sources)} for d in group_digest(group.articles, config)]
        yield json.dumps({"group": group.value, "digest": digest}, ensure_ascii=False, sort_keys=True)
