from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from newsfuse.analyze.dateline import dateline_length, is_dateline
from newsfuse.analyze.story import analyze_story
from newsfuse.ingest.fields import article_from_fields
from newsfuse.records import DigestSentence, ParsedArticle, Sentence
from newsfuse.summarize.digest import DigestConfig, make_digest, without_dateline
from newsfuse.summarize.title import MIN_HEADLINE_WORDS, headline_quality, story_title

from .conftest import shared_data


def make_story_digest(
    articles: Sequence[ParsedArticle], config: DigestConfig | None = None
) -> tuple[DigestSentence, ...]:
    return make_digest(articles, analyze_story(articles).alignment, config)


def test_seed_digest_is_cited_by_both_outlets(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    digest = make_story_digest(parsed_samples)
    both = {p.id for p in parsed_samples}
    assert 3 <= len(digest) <= 8
    assert sum(set(d.sources) == both for d in digest) * 2 >= len(digest)
    texts = {p.id: p.article.text for p in parsed_samples}
    for sentence in digest:
        assert sentence.text in texts[sentence.article_id]
        assert sentence.article_id in sentence.sources
        assert list(sentence.sources) == sorted(sentence.sources)


def test_digest_length_follows_the_word_budget(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    short = make_story_digest(parsed_samples, DigestConfig(words=40))
    long = make_story_digest(parsed_samples, DigestConfig(words=250))
    assert len(short) < len(long)
    assert sum(len(d.text.split()) for d in long) >= 250


def test_digest_avoids_repeating_the_same_content(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    digest = make_story_digest(parsed_samples, DigestConfig(words=250))
    keep_pressure = [d for d in digest if "keep pressure and sanctions" in d.text]
    assert len(keep_pressure) <= 1


def test_single_article_story_has_a_digest(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    digest = make_story_digest(parsed_samples[:1])
    assert digest
    assert all(d.sources == (parsed_samples[0].id,) for d in digest)


def test_title_of_a_small_story_is_its_first_headline(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    assert story_title(parsed_samples) == parsed_samples[0].article.title


def test_wire_datelines_are_dropped_from_digest_sentences() -> None:
    assert without_dateline("GENEVA, July 9 (Xinhua) -- Climate change is likely") == "Climate change is likely"
    assert without_dateline("WASHINGTON (AP) -- Rising ocean temperatures") == "Rising ocean temperatures"
    assert without_dateline("LONDON _ Global warming could") == "Global warming could"
    assert without_dateline("U.S. President Donald Trump is to hold") == "U.S. President Donald Trump is to hold"
    assert (
        without_dateline("UN Secretary-General Antonio Guterres said") == "UN Secretary-General Antonio Guterres said"
    )


def test_headline_quality_prefers_real_headlines() -> None:
    assert headline_quality("&HT;") == 0
    assert headline_quality("SEPARATIST PREMIER KEEPS CONTROL") == 1
    assert headline_quality("Trump to hold 2nd nuclear summit") == 2


@pytest.mark.parametrize(
    "title", ["AUSTIN, Texas _", "WASHINGTON (AP) --", "WEST PALM BEACH, Fla.", "MONDAY, MAY 23, 2005", "APR 28"]
)
def test_datelines_places_and_dates_are_not_headlines(title: str) -> None:
    assert is_dateline(title)
    assert headline_quality(title) == 0


@pytest.mark.parametrize(
    "title", ["BILL PROPOSED FOR AUTISM RESEARCH", "U.S. Launches Anti-Malaria Campaign", "May Day marches in Paris"]
)
def test_headlines_are_not_datelines(title: str) -> None:
    assert not is_dateline(title)
    assert headline_quality(title) > 0


def _unparsed(row: dict[str, Any]) -> ParsedArticle:
    """A JSONL row as ingest gives it, with one sentence a line: story_title reads no more."""
    article = article_from_fields({key: row[key] for key in ("id", "title", "text")}, None)
    sentences, offset = [], 0
    for index, line in enumerate(article.text.split("\n")):
        words = tuple(word.casefold() for word in line.split() if word.isalpha())
        sentences.append(Sentence(article.id, index, offset, offset + len(line), line, words))
        offset += len(line) + 1
    return ParsedArticle(article, tuple(sentences), (), tuple(t for s in sentences for t in s.terms))


@pytest.mark.parametrize("name", ["duc2006-dev.jsonl", "duc-tdt-dev.jsonl", "ecbplus-dev.jsonl", "newswcl50-dev.jsonl"])
def test_no_real_title_becomes_a_dateline(name: str) -> None:
    """Every row of the dev sets whose title is, or opens with, a dateline, place or date
    (DUC-TDT titles are ledes: "SPLIT, Croatia (AP) _ On a sun-basked ..."), titles its story
    with words about the event."""
    rows = [json.loads(line) for line in shared_data(name).read_text(encoding="utf-8").splitlines()]
    suspect = [
        row for row in rows if row["text"].strip() and (is_dateline(row["title"]) or dateline_length(row["title"]))
    ]
    assert suspect or name == "duc2006-dev.jsonl"
    for row in suspect:
        title = story_title([_unparsed(row)])
        assert not is_dateline(title) and not dateline_length(title), (row["id"], title)
        assert len(title.split()) >= MIN_HEADLINE_WORDS


def test_a_real_headline_beats_a_dateline_title(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    first, second = parsed_samples[:2]
    dated = ParsedArticle(replace(first.article, title="AUSTIN, Texas _"), first.sentences, first.entities, first.terms)
    assert story_title([dated, second]) == second.article.title
    assert not is_dateline(story_title([dated]))
