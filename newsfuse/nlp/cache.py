"""An opt-in disk cache of parsed corpora, for repeated evaluation and benchmark runs.

Parsing dominates the time of an evaluation, and tuning runs the same corpus again and
again. The key covers every article's id, title and text plus the spaCy, model and
lemma-table versions and ``PARSE_FORMAT``, so a change to any of them parses afresh. What a
parse does not read (the publication date, outlet, URL) is not in the key: each cached parse
is handed back with the article it was asked for, so those always come from the input. ``run`` never
uses it; only commands given a cache folder do. Files are pickles: point the cache only
at a folder you own.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import spacy

from newsfuse.nlp.model import MODEL_NAME, lemma_table_digest, load_model
from newsfuse.nlp.parse import parse_articles
from newsfuse.records import Article, ParsedArticle

PARSE_FORMAT = "2"
"""Bump when ``parse_articles`` changes what it derives from the same text."""


def corpus_key(articles: Sequence[Article]) -> str:
    digest = hashlib.sha256()
    model = load_model()
    versions = (spacy.__version__, MODEL_NAME, model.meta.get("version", ""), lemma_table_digest())
    for part in (PARSE_FORMAT, *versions):
        digest.update(part.encode("utf-8") + b"\0")
    for article in articles:
        for part in (article.id, article.title, article.text):
            digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def parse_cached(
    articles: Sequence[Article], cache_dir: Path | None, progress: Callable[[int], None] | None = None
) -> list[ParsedArticle]:
    """``parse_articles`` over the whole list, read from ``cache_dir`` when it holds this corpus."""
    if cache_dir is None:
        return list(parse_articles(articles, len(articles), progress))
    path = cache_dir / f"parsed-{corpus_key(articles)}.pickle"
    if path.exists():
        with path.open("rb") as handle:
            parsed: list[ParsedArticle] = pickle.load(handle)
        return [replace(cached, article=article) for cached, article in zip(parsed, articles, strict=True)]
    parsed = list(parse_articles(articles, len(articles), progress))
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    with partial.open("wb") as handle:
        pickle.dump(parsed, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
    return parsed
