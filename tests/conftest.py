"""Shared fixtures: the real sample articles parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.ingest import read_inputs
from newsfuse.nlp.parse import parse_articles
from newsfuse.records import Article, ParsedArticle

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "newsfuse" / "samples"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def sample_articles() -> tuple[Article, ...]:
    result = read_inputs([SAMPLES])
    assert not result.skipped
    return tuple(sorted(result.articles, key=lambda a: a.source or ""))


@pytest.fixture(scope="session")
def parsed_samples(sample_articles: tuple[Article, ...]) -> tuple[ParsedArticle, ...]:
    return tuple(parse_articles(sample_articles, len(sample_articles)))


def shared_data(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"evaluation data {path} is absent")
    return path
