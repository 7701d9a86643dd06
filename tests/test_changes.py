"""What a story gained since a date or an article, and the update digest."""

from __future__ import annotations

import pytest

from newsfuse.analyze.agreement import SINGLE_SOURCE
from newsfuse.changes import SinceError, known_terms, relabelled, split_since, story_update, update_digest
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import PipelineConfig, article_order
from newsfuse.records import Article, Claim, ParsedArticle, Span
from newsfuse.summarize.digest import DigestConfig
from newsfuse.summarize.groups import group_digest


def article(id: str, published: str | None) -> Article:
    return Article(id=id, title=id, text="text", source=f"outlet-{id}", published=published)


DATED = [
    article("d", "2020-03-02T08:00:00+01:00"),
    article("a", "2020-03-01"),
    article("c", "2020-03-02"),
    article("u", None),
    article("b", "2020-03-01T23:00:00"),
]


def ids(articles: list[Article]) -> list[str]:
    return [a.id for a in articles]


@pytest.mark.parametrize(
    ("since", "earlier", "newer"),
    [
        ("2020-03-02", ["u", "a", "b"], ["c", "d"]),
        ("2020-03-01T12:00:00", ["u", "a"], ["b", "c", "d"]),
        ("2020-03-02T08:00:00Z", ["u", "a", "b", "c"], ["d"]),
        ("b", ["u", "a", "b"], ["c", "d"]),
        ("2019-01-01", ["u"], ["a", "b", "c", "d"]),
    ],
)
def test_split_since_a_date_a_datetime_or_an_article(since: str, earlier: list[str], newer: list[str]) -> None:
    before, after = split_since(DATED, since)
    assert (ids(before), ids(after)) == (earlier, newer)


def test_split_since_rejects_what_is_neither_a_date_nor_an_article() -> None:
    with pytest.raises(SinceError, match="'yesterday'"):
        split_since(DATED, "yesterday")


def test_relabelled_matches_claims_by_shared_earlier_evidence() -> None:
    span = Span("a", "x", 0, 1)
    before = [Claim("k1", "x", ("a",), SINGLE_SOURCE, (span,))]
    now = [
        Claim("k9", "x", ("a", "b"), "consensus", (span, Span("b", "x", 4, 5))),
        Claim("k2", "y", ("b",), SINGLE_SOURCE, (Span("b", "y", 0, 1),)),
    ]
    (changed,) = relabelled(before, now)
    assert (changed.claim.id, changed.before, changed.earlier_id) == ("k9", SINGLE_SOURCE, "k1")
    assert relabelled(before, before) == ()


def test_story_update_of_the_samples_since_the_first_article(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    first, second = sorted(parsed_samples, key=lambda p: article_order(p.article))
    update = story_update("s", parsed_samples, first.id)
    assert (update.earlier, update.newer) == ((first.id,), (second.id,))
    assert update.new_outlets == (second.article.source,)
    assert update.new_claims and all(c.article_ids == (second.id,) for c in update.new_claims)
    assert update.relabelled and all(r.before == SINGLE_SOURCE for r in update.relabelled)
    assert all(second.id in r.claim.article_ids and first.id in r.claim.article_ids for r in update.relabelled)
    assert all(q.article_id == second.id for q in update.new_quotes)
    assert update.digest and all(d.article_id == second.id for d in update.digest)
    assert story_update("s", parsed_samples, "2030-01-01").newer == ()


EARLIER = (
    "The storm killed twelve people in the coastal town of Brava on Monday, officials of the regional "
    "government said in a statement."
)
REPEAT = (
    "Officials of the regional government said the storm had killed twelve people in the coastal town "
    "of Brava on Monday, in a statement."
)
NOVEL = "Rescue teams found three survivors under a collapsed school on Tuesday."


def test_update_digest_prefers_what_the_earlier_articles_did_not_say() -> None:
    earlier, newer = parse_articles(
        [
            Article("e", "Storm kills twelve", EARLIER, "wire-a", "2020-01-06"),
            Article("n", "Survivors found", f"{REPEAT} {NOVEL}", "wire-b", "2020-01-07"),
        ],
        2,
    )
    config = DigestConfig(words=10, min_sentence_words=5)  # one sentence each
    plain = group_digest([newer], config)
    assert [d.text for d in plain] == [REPEAT]
    update = update_digest([earlier], [newer], PipelineConfig(digest=config))
    assert [(d.text, d.sources) for d in update] == [(NOVEL, ("n",))]
    assert {"brava", "storm", "coastal"} <= known_terms([earlier])
