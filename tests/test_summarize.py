from __future__ import annotations

from collections.abc import Sequence

from newsfuse.analyze.story import analyze_story
from newsfuse.records import DigestSentence, ParsedArticle
from newsfuse.summarize.digest import DigestConfig, make_digest, without_dateline
from newsfuse.summarize.title import headline_quality, story_title


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
