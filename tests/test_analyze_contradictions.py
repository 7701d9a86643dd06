"""Contradiction rules on sentence pairs taken from real newswire (ECB+, DUC 2006) and made-up controls."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.analyze.contradictions import (
    DATE,
    NUMBER,
    QUOTE_WORDING,
    contradiction_weight,
    date_contradictions,
    number_contradictions,
    quote_contradictions,
    quoted_parts,
    ranked_contradictions,
)
from newsfuse.analyze.quantities import quantities
from newsfuse.analyze.timeline import resolve_in_sentence
from newsfuse.analyze.wording import normalized_words, quoted_words, wording_changes
from newsfuse.records import Article, Claim, Contradiction, ParsedArticle, Quote, Span, TimeExpression

PUBLISHED = date(2012, 8, 8)


def claim(*sentences: str) -> Claim:
    evidence = tuple(Span(f"a{k}", text, 0, len(text)) for k, text in enumerate(sentences))
    return Claim("c1", sentences[0], tuple(s.article_id for s in evidence), "consensus", evidence)


def expressions(found: Claim) -> dict[str, tuple[TimeExpression, ...]]:
    return {
        span.article_id: tuple(
            TimeExpression(Span(span.article_id, span.text[s:e], s, e), 0, r.date, r.granularity, r.modifier)
            for s, e, r in resolve_in_sentence(span.text, PUBLISHED)
        )
        for span in found.evidence
    }


def test_the_same_count_in_the_same_slot_is_a_number_contradiction() -> None:
    quake = claim(
        "A powerful earthquake has hit southern Iran, killing at least 10 people, injuring dozens more.",
        "A powerful earthquake has hit southern Iran, destroying villages and killing at least three people.",
    )
    (found,) = number_contradictions(quake)
    assert [v.text for v in found.variants] == ["10 people", "three people"]
    assert all(quake.evidence[k].text[v.start : v.end] == v.text for k, v in enumerate(found.variants))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Unemployment rose to 5.4% in May.", [(5.4, "5.4%")]),
        ("About 63% of voters and 12 percent of donors agreed.", [(63.0, "63%"), (12.0, "12 percent")]),
        ("A 100 % rise, then 7%.", [(100.0, "100 %"), (7.0, "7%")]),
    ],
)
def test_percentages_are_quantities_with_or_without_a_space(text: str, found: list[tuple[float, str]]) -> None:
    assert [(q.value, text[q.start : q.end]) for q in quantities(text)] == found
    assert {q.unit for q in quantities(text)} == {"%"}


def test_different_percentages_in_the_same_slot_contradict() -> None:
    (found,) = number_contradictions(claim("Unemployment rose to 5.4% in May.", "Unemployment rose to 5.8% in May."))
    assert [v.text for v in found.variants] == ["5.4%", "5.8%"]


@pytest.mark.parametrize(
    "sentences",
    [
        # different facts of one topic: what is counted differs around the number
        (
            "Aside from that, only 63 percent of Indians are high school graduates.",
            "Only about 17 percent of high school graduates go to college.",
        ),
        # a different frame: the other counts of the sentences differ too
        (
            "Teixeira hit 13 homers and 43 RBIs in 54 games with the Angels.",
            "Playing in 157 games with the Angels and Braves, Teixeira had 33 homers and 121 RBIs.",
        ),
        # a tokenised decimal is one number, not two
        ("A magnitude 6 quake can cause severe damage.", "A magnitude - 6. 0 quake can cause severe damage."),
    ],
)
def test_different_facts_frames_and_split_decimals_are_not_number_contradictions(sentences: tuple[str, str]) -> None:
    assert number_contradictions(claim(*sentences)) == []


def test_written_out_dates_in_the_same_slot_contradict() -> None:
    vote = claim(
        "Voters in 2009 approved a $3 million bond to buy the properties, Bower said.",
        "Palmer voters in 2010 approved a $3 million bond to pay for purchase of the property.",
    )
    (found,) = date_contradictions(vote, expressions(vote))
    assert [v.text for v in found.variants] == ["in 2009", "in 2010"]


@pytest.mark.parametrize(
    "sentences",
    [
        # weekdays and 'today' resolve against publication dates that are not the event's
        (
            "The service will be available at 1,000 dealerships, company officials said today.",
            "The service will be available at 1,000 dealerships, company officials said Wednesday.",
        ),
        # datelines
        (
            "BEIJING, June 18 (Xinhua) -- Vegetables produced in Beijing are cleaner.",
            "BEIJING, May 17 (Xinhua) -- Beijing has sold out of ladybugs.",
        ),
    ],
)
def test_relative_dates_and_datelines_are_not_date_contradictions(sentences: tuple[str, str]) -> None:
    found = claim(*sentences)
    assert date_contradictions(found, expressions(found)) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("I'm sorry", "I am sorry"),
        ("I \u2019 m not positive", "I'm not positive"),
        ("we won't go", "we will not go"),
        ("police locked down the neighbourhood", "police locked down the neighborhood"),
        ("just after 6:00 p.m.", "just after 6 p.m."),
        ("when he (Bouchard) talks about", "when he talks about"),
        ("the U.S. and the United Nations", "the US and the UN"),
        ("the Greek population's anger", "the Greek populations' anger"),
        ("rolling back this 11th hour regulation", "rolling back this eleventh hour regulation"),
    ],
)
def test_wording_that_does_not_change_meaning_is_folded(first: str, second: str) -> None:
    assert normalized_words(first) == normalized_words(second)


def test_wording_that_changes_meaning_is_kept() -> None:
    assert normalized_words("very good steps in good faith") != normalized_words("very good steps and good faith")
    assert normalized_words("there were no unresolved issues") != normalized_words("there are no unresolved issues")


def quote(quote_id: str, article: str, text: str, variant_of: str | None = None) -> tuple[Quote, ParsedArticle]:
    """A quote of ``text`` (quoted pieces in straight double quotes, attribution between them)."""
    pieces = [(m.start(1), m.end(1)) for m in re.finditer(r'"([^"]+)"', text)]
    parts = tuple(Span(article, text[s:e], s, e) for s, e in pieces)
    found = Quote(quote_id, "Hall", " ".join(p.text for p in parts), article, 0, len(text), parts, variant_of)
    return found, ParsedArticle(Article(article, "t", text), (), (), ())


def wording(first: str, second: str) -> list[Contradiction]:
    (q1, a1), (q2, a2) = quote("q1", "a1", first), quote("q2", "a2", second, "q1")
    return quote_contradictions([q1, q2], [], {"a1": a1, "a2": a2})


HALL = (
    '"No hypothesis for the cause of this accident has been accepted, and the activities that I have outlined '
    'indicate that there is much that still needs to be done."'
)


def test_only_quoted_words_are_compared_never_the_attribution() -> None:
    """Quoted in two pieces around "Hall said Friday in a statement" by one outlet and in one
    sentence by another: the gold (D0617) judges the continuation a real difference of
    wording, and the attribution is no part of the diff."""
    split = (
        '"No hypothesis for the cause of this accident has been accepted," Hall said Friday in a statement. '
        '"There is much that still needs to be done."'
    )
    (changed,) = wording(split, HALL)
    assert changed.diff == "been accepted {+and the activities that i have outlined indicate that+} there is"
    assert wording(split, split.replace("Hall said Friday in a statement", "he added")) == []
    (q1, _), (q2, _) = quote("q1", "a1", split), quote("q2", "a2", HALL, "q1")
    shown = quoted_parts(changed, [q1, q2])
    assert [[span.text for span in spans] for spans in shown] == [
        [
            "No hypothesis for the cause of this accident has been accepted,",
            "There is much that still needs to be done.",
        ],
        [HALL.strip('"')],
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            '"The result tonight ... reflects the fact that the people of Quebec want this country to work."',
            '"The result tonight clearly reflects the fact that the people of Quebec want this country to work."',
        ),
        (
            '"The result tonight\u2026 reflects the fact that the people of Quebec want this country to work."',
            '"The result tonight, as I said, reflects the fact that the people of Quebec want this country to work."',
        ),
        ('"We will go there, now, and we will win!"', '"We will go there now and we will win."'),
    ],
)
def test_elisions_and_punctuation_are_not_contradictions(first: str, second: str) -> None:
    assert wording(first, second) == []


def test_a_changed_word_inside_the_quote_is_still_a_contradiction() -> None:
    (changed,) = wording(
        '"There were no unresolved safety issues at all."', '"There are no unresolved safety issues at all."'
    )
    assert changed.kind == QUOTE_WORDING and "[-were-] {+are+}" in changed.diff


def test_numbers_and_dates_come_before_quote_wording() -> None:
    def found(kind: str, articles: int) -> Contradiction:
        return Contradiction(kind, None, tuple(Span(f"a{n}", "x", 0, 1) for n in range(articles)), kind)

    given = [found(QUOTE_WORDING, 3), found(DATE, 2), found("entity", 2), found(NUMBER, 3)]
    assert [c.kind for c in ranked_contradictions(given)] == [NUMBER, DATE, QUOTE_WORDING, "entity"]
    assert [contradiction_weight(c) for c in given] == [1, 2, 0, 2]


@given(
    st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=3), min_size=3, max_size=30, unique=True),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 4)), max_size=4),
    st.sampled_from([" ... ", "... ", "\u2026 ", " . . . "]),
)
def test_a_quote_with_words_left_out_at_its_elisions_has_the_same_wording(
    words: list[str], cuts: list[tuple[int, int]], elision: str
) -> None:
    """Quoting a statement with elisions ("...") is never a change of its wording.

    Words are distinct: where a stretch repeats ("the plane the plane"), the matcher may
    align a left-out stretch away from the elision that explains it, as real quotes rarely need.
    """
    pieces, position = [], 0
    for at, dropped in sorted(cuts):
        if position < at < len(words):
            pieces.append(" ".join(words[position:at]))
            position = min(len(words), at + dropped)
    pieces.append(" ".join(words[position:]))
    quoted = quoted_words(elision.join(pieces))
    assert quoted.words == [word for piece in pieces for word in piece.split()]
    assert len(quoted.gaps) == len(pieces) - 1
    whole = quoted_words(" ".join(words))
    assert wording_changes(quoted.words, whole.words, quoted.gaps, whole.gaps) == []
    assert wording_changes(whole.words, quoted.words, whole.gaps, quoted.gaps) == []
