"""Every span the analysis writes out is the exact article text it points to.

Checked on the output a reader gets (``stories.json`` records) for the seeds and for a
real DUC story, and as properties of the timeline resolver and the quote extractor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.analyze.quotes import article_quotes
from newsfuse.analyze.story import analyze_story
from newsfuse.analyze.timeline import MONTHS, WEEKDAYS, resolve_in_sentence
from newsfuse.codec import story_record
from newsfuse.ingest.fields import article_from_fields
from newsfuse.nlp.parse import parse_articles
from newsfuse.records import Article, EntityMention, ParsedArticle, Story, article_order


def output_spans(story: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every record of a story that names an article and a character range."""
    for contradiction in story["contradictions"]:
        yield from contradiction["variants"]
    for quote in story["quotes"]:
        yield quote
        yield from quote["parts"]
    for event in story["timeline"]:
        yield from event["evidence"]
    for claim in story["claims"]:
        yield from claim.get("evidence", [])


def assert_exact(story: dict[str, Any], texts: dict[str, str]) -> int:
    checked = 0
    for span in output_spans(story):
        text = texts[span["article_id"]]
        assert 0 <= span["start"] < span["end"] <= len(text)
        if "text" in span and "parts" not in span:
            assert text[span["start"] : span["end"]] == span["text"]
        checked += 1
    for quote in story["quotes"]:
        assert quote["text"] == " ".join(part["text"] for part in quote["parts"])
    return checked


def test_seed_output_spans_are_exact(seed_document: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in seed_document["articles"]}
    story = next(s for s in seed_document["stories"] if len(s["article_ids"]) == 2)
    assert assert_exact(story, texts) > 20
    assert story["contradictions"] and story["quotes"] and story["timeline"]


def duc_story(path: Path, articles: int) -> list[Article]:
    """The first articles of the first DUC story in the file."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    first = lines[0]["story"]
    chosen = [row for row in lines if row["story"] == first][:articles]
    return sorted((article_from_fields(row, str(path)) for row in chosen), key=article_order)


def test_duc_story_output_spans_are_exact(duc_dev_path: Path) -> None:
    articles = duc_story(duc_dev_path, 8)
    parsed = list(parse_articles(articles, len(articles)))
    analysis = analyze_story(parsed)
    story = Story(
        "s",
        "t",
        tuple(a.id for a in articles),
        claims=analysis.claims,
        contradictions=analysis.contradictions,
        quotes=analysis.quotes,
        timeline=analysis.timeline,
    )
    record = story_record(story)
    assert assert_exact(record, {a.id: a.text for a in articles}) > 20
    assert analysis.quotes and analysis.timeline


_WEEK = {"yesterday": -1, "today": 0, "tomorrow": 1}


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, 6), st.integers(0, 11))
def test_relative_expressions_resolve_consistently_with_any_publication_date(
    published: date, weekday: int, month: int
) -> None:
    name, month_name = WEEKDAYS[weekday], MONTHS[month]
    sentence = f"It began yesterday, ended last week, was planned last {month_name} and began on {name}."
    found = {sentence[s:e]: r for s, e, r in resolve_in_sentence(sentence, published)}
    assert found["yesterday"].date == (published - timedelta(days=1)).isoformat()
    week = date.fromisoformat(found["last week"].date or "")
    assert week.weekday() == 0 and 7 <= (published - week).days <= 13
    last_month = found[f"last {month_name}"]
    year, number = map(int, (last_month.date or "").split("-"))
    assert number == month + 1 and (year, number) < (published.year, published.month)
    assert (published.year - year) * 12 + published.month - number <= 12
    day = date.fromisoformat(found[f"on {name}"].date or "")
    assert day.weekday() == weekday and 0 <= (published - day).days <= 6


_PIECES = ["last ", "next ", "in ", "late ", "June ", "May ", "Friday", "12", "2017", "week", "ago", "Sept. ", ",", " "]


@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join), st.dates() | st.none())
def test_the_resolver_never_raises_and_dates_are_iso(text: str, published: date | None) -> None:
    for start, end, resolved in resolve_in_sentence(text, published):
        assert text[start:end]
        if resolved.date is not None:
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", resolved.date)


_QUOTE_PIECES = ['"', "\u201c", "\u201d", "'", "``", "''", "\u2018", "\u2019", "Ann Lee ", "said ", "he ", ", ", ".\n"]


@given(st.lists(st.sampled_from([*_QUOTE_PIECES, "we will go ", "the chief ", "x "]), max_size=40).map("".join))
def test_quote_extraction_never_raises_and_spans_are_exact(text: str) -> None:
    mentions = tuple(
        EntityMention("Ann Lee", "Ann Lee", "PERSON", m.start(), m.end()) for m in re.finditer("Ann Lee", text)
    )
    parsed = ParsedArticle(Article("a1", "Title", text), (), mentions, ())
    for quote in article_quotes(parsed, {"lee": "Ann Lee", "ann lee": "Ann Lee"}):
        assert quote.speaker in (None, "Ann Lee") or quote.speaker_kind == "role"
        assert 0 <= quote.start < quote.end <= len(text)
        for part in quote.parts:
            assert text[part.start : part.end] == part.text
            assert quote.start < part.start and part.end < quote.end
        assert quote.text == " ".join(part.text for part in quote.parts)


@pytest.mark.parametrize("published", [date(2019, 1, 18), date(2000, 2, 29), date(1996, 12, 31)])
def test_unresolvable_relative_expressions_stay_null(published: date) -> None:
    assert [r.date for _, _, r in resolve_in_sentence("Later that month they met again.", published)] == [None]
