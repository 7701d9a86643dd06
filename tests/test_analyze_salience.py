"""Claim salience: content weighting, credit for names, numbers and quotes, nothing for empty lines."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.analyze.salience import content_weights, says_nothing, scored_claims
from newsfuse.analyze.story import analyze_story
from newsfuse.nlp.parse import parse_articles
from newsfuse.records import Article, Claim, ParsedArticle, Span


@pytest.mark.parametrize(
    "text",
    [
        "AUSTIN, Texas _",
        "WASHINGTON (AP) --",
        "1:50 a.m. EST -- Plane begins descent from 33,000 feet.",
        "Timeline for EgyptAir Flight 990:",
        "He did not elaborate.",
        "Associated Press writer John Doe contributed to this report.",
        "Copyright 1999 The New York Times Company",
    ],
)
def test_datelines_timetables_and_boilerplate_say_nothing(text: str) -> None:
    assert says_nothing(text)


@pytest.mark.parametrize(
    "text",
    [
        "WASHINGTON (AP) -- The Senate voted 52-48 on Friday to confirm the nominee.",
        "Hall declined to comment on whether the co-pilot switched off the autopilot before the dive.",
        "The 217 people on board, including 15 crew members, are all feared dead.",
        "The board's attorney still is ironing out copyright questions over parts of the standards.",
    ],
)
def test_sentences_with_news_say_something(text: str) -> None:
    assert not says_nothing(text)


def test_terms_of_one_article_weigh_a_tenth() -> None:
    weights = content_weights(np.array([1.0, 2.0, 5.0]), article_count=5)
    assert weights.tolist() == [0.1, 2.0, 5.0]
    assert content_weights(np.array([1.0]), article_count=1).tolist() == [1.0]


BODIES = {
    "apw": (
        "Investigators said the co-pilot switched off the autopilot before the plane dived into the Atlantic. "
        "1:50 a.m. EST -- Plane begins descent from 33,000 feet. "
        "He did not elaborate. "
        'Egyptian official Ahmed Maher said: "The co-pilot was a good man who loved his family and his job." '
        "The plane and the pilot had flown many times before without any trouble at all."
    ),
    "nyt": (
        "Investigators said the co-pilot turned off the autopilot before the plane dived into the ocean. "
        "Relatives of the pilot gathered in Cairo to mourn the victims of the crash."
    ),
}


@pytest.fixture(scope="module")
def crash() -> list[ParsedArticle]:
    articles = [Article(name, "Crash", text, source=name.upper()) for name, text in BODIES.items()]
    return sorted(parse_articles(articles, len(articles), processes=1), key=lambda p: p.id)


def salience_of(claims: tuple[Claim, ...], fragment: str) -> float:
    (found,) = [c.salience for c in claims if fragment in c.text]
    return found


def test_story_claims_get_salience_ranking_news_above_noise(crash: list[ParsedArticle]) -> None:
    claims = analyze_story(crash).claims
    assert salience_of(claims, "1:50 a.m.") == 0
    assert salience_of(claims, "did not elaborate") == 0
    shared = salience_of(claims, "switched off the autopilot")
    quoted = salience_of(claims, "Ahmed Maher")
    plain = salience_of(claims, "many times before")
    assert shared > plain > 0  # terms of both outlets weigh more
    assert quoted > plain  # a quotation and a new name earn credit


def test_salience_of_a_clause_reads_only_the_clause(crash: list[ParsedArticle]) -> None:
    apw = next(p for p in crash if p.id == "apw")
    sentence = apw.sentences[0]
    whole = Claim(
        "w", sentence.text, ("apw",), "single_source", (Span("apw", sentence.text, sentence.start, sentence.end),)
    )
    clause_end = sentence.text.index(" before")
    clause = Claim(
        "c",
        sentence.text[:clause_end],
        ("apw",),
        "single_source",
        (Span("apw", sentence.text[:clause_end], sentence.start, sentence.start + clause_end),),
    )
    scored_whole, scored_clause = scored_claims(crash, (whole, clause))
    assert 0 < scored_clause.salience != scored_whole.salience
