"""Agreement counted in outlets: which claims are reported across sources, and what one outlet adds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsfuse.analyze.agreement import (
    CONSENSUS,
    article_outlets,
    claim_outlets,
    consensus_count,
    outlet_of,
    story_agreement,
    support_label,
)
from newsfuse.records import Article, Claim, Story

SOURCES = {"a1": "APW", "a2": "APW", "a3": "NYT", "a4": "XIE", "a5": None, "a6": "BBC"}
ARTICLES = [Article(article_id, article_id, "text", source=source) for article_id, source in SOURCES.items()]


def claim(claim_id: str, article_ids: tuple[str, ...], salience: float) -> Claim:
    return Claim(claim_id, claim_id, tuple(sorted(article_ids)), "", (), salience)


def test_an_article_without_a_source_is_an_outlet_of_its_own() -> None:
    outlets = article_outlets(ARTICLES)
    assert outlet_of(ARTICLES[0]) == "APW" and outlets["a5"] == "a5"
    assert claim_outlets(claim("c", ("a1", "a2", "a5"), 0), outlets) == ("APW", "a5")


def test_claims_are_ranked_by_outlet_support_then_salience() -> None:
    claims = (
        claim("wide-dull", ("a1", "a3", "a4", "a6"), 0.1),
        claim("three-low", ("a1", "a3", "a4"), 0.2),
        claim("three-high", ("a2", "a3", "a6"), 0.9),
        claim("two", ("a3", "a4"), 0.5),
        claim("apw-many-articles", ("a1", "a2"), 0.3),
        claim("apw-salient", ("a1",), 0.8),
        claim("apw-nothing", ("a2",), 0.0),
        claim("nyt", ("a3",), 0.4),
    )
    story = Story("s", "t", tuple(SOURCES), claims=claims)
    agreement = story_agreement(story, article_outlets(ARTICLES))
    assert agreement.outlets == ("APW", "BBC", "NYT", "XIE", "a5") and agreement.needed == 3
    assert [c.id for c in agreement.across] == ["wide-dull", "three-high", "three-low"]
    assert [c.id for c in agreement.some] == ["two"]
    assert [(outlet, [c.id for c in found]) for outlet, found in agreement.only] == [
        ("APW", ["apw-salient", "apw-many-articles", "apw-nothing"]),
        ("NYT", ["nyt"]),
    ]
    assert not agreement.one_outlet


def test_a_one_outlet_story_reports_nothing_across_sources() -> None:
    claims = (claim("both", ("a1", "a2"), 0.5), claim("one", ("a1",), 0.9))
    agreement = story_agreement(Story("s", "t", ("a1", "a2"), claims=claims), article_outlets(ARTICLES))
    assert agreement.one_outlet and not agreement.across and not agreement.some
    assert [c.id for _, found in agreement.only for c in found] == ["one", "both"]


@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(sorted(SOURCES)), min_size=1, unique=True), st.floats(0, 5)),
        max_size=12,
    ),
    st.sampled_from([None, 0.3, 2 / 3, 1.0]),
)
def test_every_claim_is_in_one_list_and_the_label_says_which(
    drawn: list[tuple[list[str], float]], share: float | None
) -> None:
    outlets = article_outlets(ARTICLES)
    claims = tuple(claim(f"c{n}", tuple(ids), salience) for n, (ids, salience) in enumerate(drawn))
    agreement = story_agreement(Story("s", "t", tuple(SOURCES), claims=claims), outlets, share)
    listed = [*agreement.across, *agreement.some, *(c for _, found in agreement.only for c in found)]
    assert sorted(c.id for c in listed) == sorted(c.id for c in claims)
    assert agreement.needed == consensus_count(len(agreement.outlets), share) >= 2
    for found in agreement.across:
        assert support_label(len(claim_outlets(found, outlets)), agreement.needed) == CONSENSUS
    for found in agreement.some:
        assert 2 <= len(claim_outlets(found, outlets)) < agreement.needed
    for _, found in agreement.only:
        assert [c.salience for c in found] == sorted((c.salience for c in found), reverse=True)
