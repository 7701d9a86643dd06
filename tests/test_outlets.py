"""Outlet profiles: parsing (CSV and YAML, bad files), matching, coverage, blindspots, per-outlet figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.ingest.normalize import IngestError
from newsfuse.outlets import (
    UNKNOWN,
    OutletProfile,
    OutletProfiles,
    OutletsError,
    blindspots,
    coverage_json,
    outlet_counts,
    outlet_of,
    outlet_stats,
    parse_outlets,
    read_outlets,
    story_coverage,
)
from newsfuse.outlets.profiles import profile_rows
from newsfuse.records import Article, Claim, Contradiction, DuplicateGroup, Span, Story

PROFILES_CSV = b"""outlet,domains,lean,country
Daily Left,dailyleft.example;left.example,left,GB
Right Times,righttimes.example,right,US
Centre Post,,centre,US
Right Daily,rightdaily.example,right,US
"""


def profiles() -> OutletProfiles:
    return parse_outlets(PROFILES_CSV, "outlets.csv", "csv")


def article(id: str, source: str | None = None, url: str | None = None, published: str | None = None) -> Article:
    return Article(id=id, title=f"title {id}", text="text", source=source, url=url, published=published)


# Parsing


def test_csv_profiles_are_sorted_with_domains_and_user_columns() -> None:
    parsed = profiles()
    assert [p.outlet for p in parsed.profiles] == ["Centre Post", "Daily Left", "Right Daily", "Right Times"]
    assert parsed.columns == ("country", "lean")
    left = parsed.by_name("  daily LEFT ")
    assert left == OutletProfile(
        "Daily Left", ("dailyleft.example", "left.example"), (("country", "GB"), ("lean", "left"))
    )
    assert parsed.by_domain("news.left.example") == left
    assert parsed.by_domain("example") is None


def test_yaml_profiles_take_lists_and_keep_labels_yaml_would_guess() -> None:
    text = (
        b"- outlet: Daily Left\n  domains: [dailyleft.example, www.Left.example]\n  lean: no\n"
        b"- outlet: Other\n  lean: 2019-01-01\n"
    )
    parsed = parse_outlets(text, "o.yaml", "yaml")
    assert parsed.profiles[0].domains == ("dailyleft.example", "left.example")
    assert parsed.profiles[0].value("lean") == "no"
    assert parsed.profiles[1].value("lean") == "2019-01-01"


@pytest.mark.parametrize(
    ("data", "kind", "line", "reason"),
    [
        (b"name,lean\nA,left\n", "csv", 1, "no 'outlet' column"),
        (b"outlet,lean\nA,left\nB,right\n a ,centre\n", "csv", 4, "outlet 'a' is already on line 2"),
        (b"outlet,lean\nA,left\n\xe9t\xe9,right\n", "csv", 3, "not UTF-8"),
        (b'outlet,lean\nA,left\n"B,right\n', "csv", 3, "malformed CSV"),
        (b"outlet,lean\nA,left,extra\n", "csv", 2, "3 cells but the header names 2"),
        (b"outlet,lean\n,left\n", "csv", 2, "'outlet' cell is empty"),
        (b"outlet,domains\nA,a.example\nB,A.example\n", "csv", 3, "domain 'a.example' is already given to 'A'"),
        (b"- outlet: A\n- outlet: B\n  lean: [left\n", "yaml", 4, "malformed YAML"),
        (b"- outlet: A\n- lean: left\n", "yaml", 2, "'outlet' cell is empty"),
        (b"- outlet: A\n  lean: {x: 1}\n", "yaml", 2, "'lean' must be a value or a list"),
        (b"- outlet: A\n- outlet: a\n", "yaml", 2, "already on line 1"),
        (b"outlet: A\n", "yaml", 1, "expected a list of outlets"),
    ],
)
def test_bad_files_name_the_file_and_line(data: bytes, kind: str, line: int, reason: str) -> None:
    with pytest.raises(OutletsError) as caught:
        parse_outlets(data, "outlets.x", kind)
    assert caught.value.line == line
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"outlets.x:{line}: ")
    assert isinstance(caught.value, IngestError)


def test_read_outlets_picks_the_format_by_suffix(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_bytes(PROFILES_CSV)
    (tmp_path / "o.yml").write_text("- outlet: A\n", encoding="utf-8")
    assert read_outlets(tmp_path / "o.csv") == profiles()
    assert read_outlets(tmp_path / "o.yml").profiles == (OutletProfile("A"),)
    with pytest.raises(OutletsError, match="cannot read"):
        read_outlets(tmp_path / "missing.csv")


_name = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12
)
_domain = st.from_regex(r"[a-z]{1,8}\.(com|org|example)", fullmatch=True)


@st.composite
def profile_sets(draw: st.DrawFn) -> OutletProfiles:
    columns = sorted(draw(st.sets(st.sampled_from(["lean", "country", "owner", "note"]))))
    names = draw(st.lists(_name, min_size=1, max_size=6, unique_by=lambda n: n.casefold()))
    domains = draw(st.lists(_domain, unique=True, max_size=len(names) * 2))
    built = []
    for number, name in enumerate(names):
        fields = tuple((c, v) for c in columns if (v := draw(st.one_of(st.just(""), _name))))
        built.append(OutletProfile(name, tuple(sorted(domains[number :: len(names)])), fields))
    used = sorted({c for p in built for c, _ in p.fields})
    return OutletProfiles(tuple(sorted(built, key=lambda p: p.outlet.casefold())), tuple(used))


@settings(max_examples=60, deadline=None)
@given(profile_sets())
def test_csv_and_yaml_writes_parse_back_to_the_same_profiles(expected: OutletProfiles) -> None:
    rows = list(profile_rows(expected))
    header = ["outlet", "domains", "country", "lean", "owner", "note"]
    out = io.StringIO()
    writer = csv.DictWriter(out, header)
    writer.writeheader()
    writer.writerows(rows)
    assert parse_outlets(out.getvalue().encode("utf-8"), "p.csv", "csv") == expected
    as_yaml = [{**row, "domains": row["domains"].split(";") if row["domains"] else []} for row in rows]
    assert parse_outlets(yaml.safe_dump(as_yaml, allow_unicode=True).encode(), "p.yaml", "yaml") == expected


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["csv", "yaml"]))
def test_any_bytes_give_profiles_or_an_outlets_error(data: bytes, kind: str) -> None:
    try:
        parsed = parse_outlets(data, "p", kind)
    except OutletsError as err:
        assert str(err).startswith("p")
    else:
        assert all(p.outlet.strip() for p in parsed.profiles)


# Matching and coverage


def test_outlet_of_prefers_source_then_domain_and_keeps_unknowns() -> None:
    parsed = profiles()
    assert outlet_of(article("a", source="right times"), parsed).outlet == "Right Times"
    assert outlet_of(article("b", url="https://www.dailyleft.example/x"), parsed).outlet == "Daily Left"
    unknown = outlet_of(article("c", source="Gazette", url="https://dailyleft.example/y"), parsed)
    assert unknown.outlet == "Daily Left"
    stranger = outlet_of(article("d", source="Gazette"), parsed)
    assert (stranger.outlet, stranger.profile) == ("Gazette", None)
    assert outlet_of(article("e", url="https://News.Other.example/p"), parsed).outlet == "news.other.example"
    assert outlet_of(article("f"), parsed).outlet is None


def test_coverage_counts_articles_and_outlets_per_value_with_unknown_last() -> None:
    members = [
        article("1", "Daily Left"),
        article("2", "Daily Left"),
        article("3", "Right Times"),
        article("4", "Gazette"),
        article("5"),
    ]
    coverage = story_coverage(members, profiles())
    assert (coverage.articles, coverage.outlets, coverage.unprofiled, coverage.articles_without_outlet) == (
        5,
        3,
        ("Gazette",),
        1,
    )
    lean = coverage_json(coverage)["columns"]["lean"]
    assert lean == [
        {"value": "left", "articles": 2, "outlets": ["Daily Left"]},
        {"value": "right", "articles": 1, "outlets": ["Right Times"]},
        {"value": UNKNOWN, "articles": 2, "outlets": ["Gazette"]},
    ]


def test_outlet_counts_list_unprofiled_outlets() -> None:
    counts = outlet_counts([article("1", "Gazette"), article("2", "Gazette"), article("3", "Right Times")], profiles())
    assert [(c.outlet, c.articles, c.profiled) for c in counts] == [("Gazette", 2, False), ("Right Times", 1, True)]


# Blindspots


def _coverage(*sources: str) -> object:
    return story_coverage([article(str(n), s) for n, s in enumerate(sources)], profiles())


def test_blindspot_needs_the_share_and_the_minimum_of_rated_outlets() -> None:
    coverages = {
        "one-sided": _coverage("Right Times", "Right Daily", "Right Times", "Gazette", "Other"),
        "balanced": _coverage("Right Times", "Right Daily", "Daily Left"),
        "too-few": _coverage("Right Times", "Right Daily"),
    }
    assert list(blindspots(coverages, minimum=2)) == ["right"]
    found = blindspots(coverages, minimum=2)["right"]
    assert [(b.story_id, b.outlets, b.rated, b.unrated) for b in found] == [
        ("one-sided", 2, 2, 2),
        ("too-few", 2, 2, 0),
    ]
    assert blindspots(coverages) == {}  # default minimum 3 rated outlets
    assert list(blindspots(coverages, share=0.6, minimum=3)) == ["right"]
    assert blindspots(coverages, share=0.6, minimum=3)["right"][0].story_id == "balanced"


# Per-outlet figures


def test_outlet_stats_count_with_denominators_and_evidence() -> None:
    arts = {
        a.id: a
        for a in [
            article("l1", "Daily Left", published="2020-01-01"),
            article("r1", "Right Times", published="2020-01-02"),
            article("d1", "Right Daily", published="2020-01-03"),
            article("r2", "Right Times", published="2020-02-01"),
            article("d2", "Right Daily", published="2020-02-01T09:00:00"),
            article("c2", "Centre Post", published="2020-02-02"),
            article("copy", "Daily Left", published="2020-02-05"),
        ]
    }
    span = Span("l1", "12 dead", 0, 7)
    other = Span("r1", "14 dead", 3, 10)
    first = Story(
        "s1",
        "t",
        ("l1", "r1", "d1"),
        claims=(Claim("c1", "x", ("l1",), "single_source", (span,)), Claim("c2", "y", ("l1", "r1"), "consensus", ())),
        contradictions=(Contradiction("number", "c2", (span, other), "12 vs 14"),),
    )
    second = Story("s2", "t", ("r2", "d2", "c2"))
    stats = {s.outlet: s for s in outlet_stats([first, second], arts, profiles())}
    left = stats["Daily Left"]
    assert left.peers == ()  # the only GB outlet
    assert (left.covered.count, left.covered.of, left.missed.of) == (1, 2, 0)
    assert (left.first.count, left.first.of) == (1, 1)
    assert (left.sole_claims.count, left.sole_claims.of, left.sole_claims.ids) == (1, 2, ("c1",))
    assert (left.contradictions.count, left.contradictions.of, left.contradictions.ids) == (1, 1, ("l1:0-7",))
    right = stats["Right Times"]
    assert right.peers == ("Centre Post", "Right Daily")
    assert (right.missed.count, right.missed.of) == (0, 1)  # s2 is the only story two US peers covered
    assert (right.first.count, right.first.of, right.first.ids) == (1, 2, ("s2",))  # tie on the date with d2
    assert stats["Right Daily"].first.ids == ("s2",)
    with_copy = outlet_stats([first, second], arts, profiles(), [DuplicateGroup("r2", ("r2", "copy"), 0.9)])
    assert {s.outlet: s for s in with_copy}["Daily Left"].covered.ids == ("s1", "s2")
