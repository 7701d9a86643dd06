from __future__ import annotations

import itertools
import re
import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.nlp.model import LEMMA_OVERRIDES, lemma_of, lemma_table, load_model
from newsfuse.nlp.parse import PIECE_CHARS, article_pieces, is_content, parse_articles, term_of
from newsfuse.nlp.vectors import TermSpace, similar_pairs
from newsfuse.records import Article, ParsedArticle

from .conftest import SAMPLES


def test_sentence_and_entity_spans_match_the_article_text(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    for parsed in parsed_samples:
        text = parsed.article.text
        assert len(parsed.sentences) > 10
        for sentence in parsed.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
            assert "\n" not in sentence.text
        for mention in parsed.entities:
            assert text[mention.start : mention.end] == mention.text


def test_sentences_are_in_order_and_numbered(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    for parsed in parsed_samples:
        starts = [s.start for s in parsed.sentences]
        assert starts == sorted(starts)
        assert [s.index for s in parsed.sentences] == list(range(len(parsed.sentences)))


@given(st.text(alphabet="ab .\n", max_size=300), st.integers(min_value=1, max_value=40))
def test_pieces_are_consecutive_bounded_and_cover_the_text(text: str, limit: int) -> None:
    pieces = list(article_pieces(text, limit))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(pieces))
    assert all(0 < end - start <= limit for start, end in pieces) or text == ""


def test_pieces_end_at_line_breaks_else_at_sentence_ends_that_are_no_abbreviations() -> None:
    text = "First line here.\nSecond line. Still second.\nThird."
    assert [text[a:b] for a, b in article_pieces(text, 30)] == [
        "First line here.",
        "\nSecond line. Still second.",
        "\nThird.",
    ]
    text = "Mrs. Pride said so. The U.N. team left. Then Mr. Lee spoke."
    assert [text[a:b] for a, b in article_pieces(text, 45)] == [
        "Mrs. Pride said so. The U.N. team left. ",
        "Then Mr. Lee spoke.",
    ]
    assert load_model().max_length > PIECE_CHARS


def test_a_long_article_parsed_in_pieces_keeps_exact_spans_and_the_same_sentences(
    parsed_samples: tuple[ParsedArticle, ...],
) -> None:
    """Pieces of 1,500 characters: spans still index the whole body; sentences are those of one parse."""
    whole = parsed_samples[1]
    long = Article("long", whole.article.title, "\n\n".join([whole.article.text] * 3))
    [in_pieces] = parse_articles([long], 1, piece_chars=1_500)
    [at_once] = parse_articles([long], 1)
    assert len(long.text) > 4 * 1_500
    for sentence in in_pieces.sentences:
        assert long.text[sentence.start : sentence.end] == sentence.text
    for mention in in_pieces.entities:
        assert long.text[mention.start : mention.end] == mention.text
    assert [s.index for s in in_pieces.sentences] == list(range(len(in_pieces.sentences)))
    assert [(s.start, s.end) for s in in_pieces.sentences] == [(s.start, s.end) for s in at_once.sentences]
    assert in_pieces.terms == at_once.terms
    assert len(in_pieces.entities) >= 0.9 * len(at_once.entities)


def test_entities_and_terms(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    outlet_a, outlet_b = parsed_samples
    names_b = {(m.name, m.label) for m in outlet_b.entities}
    assert ("Sarah Sanders", "PERSON") in names_b
    assert ("Antonio Guterres", "PERSON") in names_b
    assert any(m.label == "GPE" and m.name == "Singapore" for m in outlet_a.entities)
    # British and American spellings fold together, so the outlets share the term.
    assert "denuclearization" in outlet_a.terms
    assert "denuclearization" in outlet_b.terms
    assert "summit" in outlet_a.terms  # title terms count too
    assert all(term == term.lower() for term in outlet_a.terms)


def test_a_word_or_name_is_one_string_in_every_article_that_says_it(
    parsed_samples: tuple[ParsedArticle, ...],
) -> None:
    """Terms and entity names are interned: a corpus holds one copy of each word, not one for each time
    it is said."""
    said = [
        word
        for parsed in parsed_samples
        for word in (
            *parsed.terms,
            *itertools.chain(*(s.terms for s in parsed.sentences)),
            *(mention.name for mention in parsed.entities),
        )
    ]
    first: dict[str, str] = {}
    assert all(first.setdefault(term, term) is term for term in said)
    assert len(said) > 2 * len(first)  # the samples say many words more than once


def test_the_model_runs_only_the_sentence_recogniser_and_ner() -> None:
    assert load_model().pipe_names == ["senter", "ner"]


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("numbers", "number"),
        ("number", "number"),  # the table says "numb"
        ("Crew", "crew"),  # the table says "crow"
        ("ground", "ground"),  # the table says "grind"
        ("second", "second"),  # the table says "2"
        ("was", "be"),
        ("Leaves", "leave"),
        ("fifth", "fifth"),  # the table says "5"
        ("developed", "develop"),  # the table says "develope"
        ("talks", "talk"),
        ("Pyongyang", "pyongyang"),
    ],
)
def test_lemma_of_looks_words_up_with_overrides(word: str, lemma: str) -> None:
    assert lemma_of(word) == lemma


def test_the_shipped_lemma_table_is_spacy_lookups_data_s_and_gives_its_lemmas_on_the_samples() -> None:
    """spacy-lookups-data is a development dependency only: the check that the copy in newsfuse is its table."""
    from spacy.lookups import load_lookups

    upstream = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    shipped = lemma_table()
    assert len(shipped) == len(upstream) > 40_000
    assert all(upstream.get(word) == lemma for word, lemma in shipped.items())
    words = {w for path in SAMPLES.iterdir() for w in re.findall(r"[A-Za-z]+", path.read_text("utf-8"))}
    assert len(words) > 300
    for word in {w.lower() for w in words} - set(LEMMA_OVERRIDES):
        expected = str(upstream.get(word, word)).lower()
        assert lemma_of(word) == (expected if expected.isalpha() else word)


def test_terms_are_lemmas_with_american_spellings() -> None:
    doc = load_model()("The numbers of organisations were rising.")
    assert [term_of(token) for token in doc if is_content(token)] == ["number", "organization", "rise"]


@given(st.text(string.ascii_letters, max_size=12))
def test_lemma_of_is_lower_case_and_ignores_case(word: str) -> None:
    lemma = lemma_of(word)
    assert lemma == lemma.lower()
    assert lemma == lemma_of(word.upper()) == lemma_of(word.lower())


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=6), min_size=1, max_size=40),
    st.floats(0.001, 1.0),
    st.integers(1, 7),
)
def test_similar_pairs_equal_the_pruned_full_product(documents: list[list[str]], minimum: float, chunk: int) -> None:
    """Chunked and pruned, the product keeps exactly the upper-triangle pairs of the whole one."""
    vectors = TermSpace(documents).vectors(documents)
    full = (vectors @ vectors.T).toarray()
    expected = {(i, j, full[i, j]) for i, j in zip(*np.nonzero(full >= minimum), strict=True) if i < j}
    rows, columns, values = similar_pairs(vectors, minimum, chunk)
    assert set(zip(rows.tolist(), columns.tolist(), values.tolist(), strict=True)) == {
        (int(i), int(j), float(v)) for i, j, v in expected
    }


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abc"), max_size=4), max_size=8))
def test_term_space_vectors_are_unit_or_zero_even_without_any_term(documents: list[list[str]]) -> None:
    """A story whose articles hold no content word (a score line) must not stop the run."""
    vectors = TermSpace(documents).vectors(documents)
    assert vectors.shape[0] == len(documents)
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    assert np.allclose(norms, [1.0 if document else 0.0 for document in documents], atol=1e-6)
