from __future__ import annotations

from newsfuse.records import ParsedArticle


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
