"""Every record survives its JSON form; documents of a newer format are refused."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.codec import (
    FORMAT_VERSION,
    FormatError,
    article_from_record,
    article_record,
    check_version,
    coverage_from_record,
    coverage_record,
    duplicate_from_record,
    duplicate_record,
    parsed_from_record,
    parsed_record,
    profiles_from_record,
    profiles_record,
    result_document,
    skipped_from_record,
    skipped_record,
    story_from_record,
    story_record,
    thread_from_record,
    thread_record,
    update_from_record,
    update_record,
)
from newsfuse.records import (
    Article,
    Claim,
    ClaimLabel,
    ColumnCoverage,
    Contradiction,
    ContradictionKind,
    Coverage,
    CoverageValue,
    DigestSentence,
    DuplicateGroup,
    Granularity,
    Modifier,
    OutletProfile,
    OutletProfiles,
    ParsedArticle,
    Quote,
    Relabelled,
    RunResult,
    Skipped,
    Span,
    SpeakerKind,
    Story,
    StoryEntity,
    StoryUpdate,
    Thread,
    TimelineEvent,
)

text = st.text(max_size=30)
maybe = st.none() | text
ids = st.lists(text, max_size=3).map(tuple)
offsets = st.integers(min_value=0, max_value=10_000)
spans = st.lists(st.builds(Span, text, text, offsets, offsets), max_size=3).map(tuple)
speaker_kinds = st.sampled_from(get_args(SpeakerKind))
labels = st.sampled_from(get_args(ClaimLabel))
saliences = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
kinds = st.sampled_from(get_args(ContradictionKind))
granularities = st.none() | st.sampled_from(get_args(Granularity))
modifiers = st.none() | st.sampled_from(get_args(Modifier))
evidence = st.none() | st.builds(Span, st.just(""), text, offsets, offsets)
quote = st.builds(Quote, text, maybe, text, text, offsets, offsets, spans, maybe, speaker_kinds, evidence).map(
    # the evidence lies in the quote's own article, so its record leaves the article id out
    lambda q: replace(q, speaker_evidence=q.speaker_evidence and replace(q.speaker_evidence, article_id=q.article_id))
)
coverage_values = st.lists(st.builds(CoverageValue, text, offsets, ids), max_size=3).map(tuple)
coverages = st.builds(
    Coverage,
    offsets,
    offsets,
    st.dictionaries(text, coverage_values, max_size=3).map(
        lambda columns: tuple(ColumnCoverage(name, values) for name, values in columns.items())
    ),
    ids,
    offsets,
)
stories = st.builds(
    Story,
    id=text,
    title=text,
    article_ids=ids,
    digest=st.lists(st.builds(DigestSentence, text, text, ids), max_size=3).map(tuple),
    entities=st.lists(st.builds(StoryEntity, text, text, offsets, ids), max_size=3).map(tuple),
    claims=st.lists(st.builds(Claim, text, text, ids, labels, spans, saliences), max_size=3).map(tuple),
    contradictions=st.lists(st.builds(Contradiction, kinds, maybe, spans, text), max_size=3).map(tuple),
    quotes=st.lists(quote, max_size=3).map(tuple),
    timeline=st.lists(
        st.builds(TimelineEvent, maybe, granularities, modifiers, text, text, ids, spans), max_size=3
    ).map(tuple),
    outlets=ids,
    coverage=st.none() | coverages,
)


@given(stories)
def test_a_story_survives_its_json_record(story: Story) -> None:
    record = json.loads(json.dumps(story_record(story)))
    assert story_from_record(record) == story


def test_a_quote_stored_before_speaker_kinds_reads_as_person_or_unknown() -> None:
    named = Quote("q1", "Ann Diaz", "We will", "a1", 0, 9, ())
    record = story_record(Story("s1", "T", ("a1",), quotes=(named, replace(named, id="q2", speaker=None))))
    for stored in record["quotes"]:
        del stored["speaker_kind"], stored["speaker_evidence"]
    assert [q.speaker_kind for q in story_from_record(record).quotes] == ["person", "unknown"]
    assert all(q.speaker_evidence is None for q in story_from_record(record).quotes)


def test_parsed_articles_survive_their_records(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    for parsed in parsed_samples:
        article = article_from_record(json.loads(json.dumps(article_record(parsed.article))))
        record = json.loads(json.dumps(parsed_record(parsed)))
        decoded = parsed_from_record(article, record)
        assert decoded == parsed
        assert all(mine is word for mine, word in zip(decoded.terms, parsed.terms, strict=True))
        assert all(m.name is e.name for m, e in zip(decoded.entities, parsed.entities, strict=True))


articles = st.builds(Article, text, text, text, maybe, maybe, maybe, maybe, maybe)
skipped = st.builds(Skipped, text, text)
threads = st.builds(Thread, text, text, ids)
duplicates = st.builds(DuplicateGroup, text, ids, st.floats(0, 1))


@given(articles, skipped, threads, duplicates)
def test_every_other_record_survives_its_json_record(
    article: Article, note: Skipped, thread: Thread, group: DuplicateGroup
) -> None:
    assert article_from_record(json.loads(json.dumps(article_record(article)))) == article
    assert skipped_from_record(json.loads(json.dumps(skipped_record(note)))) == note
    assert thread_from_record(json.loads(json.dumps(thread_record(thread)))) == thread
    assert duplicate_from_record(json.loads(json.dumps(duplicate_record(group)))) == group


def test_a_document_names_its_format_and_a_newer_one_is_refused() -> None:
    document = result_document(RunResult((), (), ()))
    assert document["version"] == FORMAT_VERSION
    check_version(document, "stories.json")
    check_version({}, "old.json")  # written before the key existed: version 1
    with pytest.raises(FormatError, match=r"new\.json: format version 2 is newer"):
        check_version({"version": FORMAT_VERSION + 1}, "new.json")


profile_fields = st.dictionaries(text, text, max_size=3).map(lambda fields: tuple(sorted(fields.items())))
profiles = st.lists(st.builds(OutletProfile, text, ids, profile_fields), max_size=3).map(
    lambda rows: OutletProfiles(tuple(rows), tuple(sorted({column for row in rows for column, _ in row.fields})))
)
claims = st.lists(st.builds(Claim, text, text, ids, labels, spans, saliences), max_size=2).map(tuple)
updates = st.builds(
    StoryUpdate,
    story_id=text,
    since=text,
    earlier=ids,
    newer=ids,
    new_outlets=ids,
    new_claims=claims,
    relabelled=st.lists(
        st.builds(Relabelled, st.builds(Claim, text, text, ids, labels, spans, saliences), text, text), max_size=2
    ).map(tuple),
    new_contradictions=st.lists(st.builds(Contradiction, kinds, maybe, spans, text), max_size=2).map(tuple),
    new_quotes=st.lists(quote, max_size=2).map(tuple),
    new_timeline=st.lists(
        st.builds(TimelineEvent, maybe, granularities, modifiers, text, text, ids, spans), max_size=2
    ).map(tuple),
    digest=st.lists(st.builds(DigestSentence, text, text, ids), max_size=2).map(tuple),
)


@given(profiles, coverages, updates)
def test_profiles_coverage_and_updates_survive_their_records(
    outlets: OutletProfiles, coverage: Coverage, update: StoryUpdate
) -> None:
    assert profiles_from_record(json.loads(json.dumps(profiles_record(outlets)))) == outlets
    assert coverage_from_record(json.loads(json.dumps(coverage_record(coverage)))) == coverage
    assert update_from_record(json.loads(json.dumps(update_record(update)))) == update


def test_a_document_keeps_outlet_profiles_only_when_the_run_had_them() -> None:
    assert "outlets" not in result_document(RunResult((), (), ()))
    outlets = OutletProfiles((OutletProfile("Daily", ("daily.com",), (("lean", "left"),)),), ("lean",))
    document = result_document(RunResult((), (), (), outlets=outlets))
    assert profiles_from_record(document["outlets"]) == outlets
