"""Scoring of quote speakers and contradictions against gold spans."""

from __future__ import annotations

from newsfuse.evaluate.analysis import Count, contradiction_scores, quote_scores
from newsfuse.records import Contradiction, Quote, Span

TEXT = '"We will rebuild the bridge," Ana Lopez said. "It cost 90 million," she said. Bo Lee said "no comment at all."'
TEXTS = {"a": TEXT, "b": TEXT.replace("90 million", "60 million")}


def quote(text: str, speaker: str | None, article: str = "a") -> Quote:
    start = TEXTS[article].index(text) - 1
    return Quote(
        text[:5],
        speaker,
        text,
        article,
        start,
        start + len(text) + 2,
        (Span(article, text, start + 1, start + 1 + len(text)),),
    )


def test_quote_speakers_count_unlisted_and_wrong_speakers_against_precision() -> None:
    gold = [
        {"article_id": "a", "quote": "We will rebuild", "speaker": "Ana Lopez"},
        {"article_id": "a", "quote": "It cost 90", "speaker": "Ana Lopez"},
        {"article_id": "a", "quote": "no comment", "speaker": "Bo Lee"},
    ]
    found = [
        quote("We will rebuild the bridge,", "Ana Lopez"),
        quote("It cost 90 million,", "Bo Lee"),
        quote("no comment at all.", None),
    ]
    assert quote_scores(found, gold, TEXTS) == Count(correct=1, predicted=2, relevant=3, found=1)


def test_a_contradiction_matches_when_it_covers_gold_variants_of_two_articles() -> None:
    start = TEXT.index("90 million")
    variants = tuple(Span(a, TEXTS[a][start : start + 10], start, start + 10) for a in ("a", "b"))
    assert [v.text for v in variants] == ["90 million", "60 million"]
    system = [Contradiction("number", "c1", variants, "90 million vs 60 million")]
    gold = [
        {
            "kind": "number",
            "true": True,
            "variants": [{"article_id": "a", "text": "90"}, {"article_id": "b", "text": "60"}],
        }
    ]
    assert contradiction_scores(system, gold, TEXTS, None) == Count(1, 1, 1, 1)
    assert contradiction_scores(system, gold, TEXTS, "date") == Count(0, 0, 0, 0)
    judged_false = [{**gold[0], "true": False}]
    assert contradiction_scores(system, judged_false, TEXTS, "number") == Count(0, 1, 0, 0)
    assert Count(0, 0, 0, 0).line("entity").split() == ["entity", "P", "-", "(0/0)", "R", "-", "(0/0)"]


def test_gold_spans_written_with_tokenised_quote_marks_are_found_as_ingest_shows_them() -> None:
    texts = {"a": "He said \u201cwe will go,\u201d and left."}
    gold = [{"article_id": "a", "quote": "``we will go,''", "speaker": "He"}]
    assert quote_scores([], gold, texts).relevant == 1
