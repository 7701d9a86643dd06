from __future__ import annotations

import re

from newsfuse.analyze.claims import _grouped, stem
from newsfuse.analyze.entities import story_entities
from newsfuse.records import ParsedArticle, Sentence

from .conftest import SAMPLES


def test_story_entities_merge_surnames_and_spellings(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    entities = {e.text: e for e in story_entities(parsed_samples)}
    assert "Sanders" not in entities
    assert entities["Sarah Sanders"].label == "PERSON"
    assert entities["Sarah Sanders"].count == 4  # 2 x "Sarah Sanders" + 2 x "Sanders"
    assert entities["Mike Pompeo"].label == "PERSON"
    assert "US" not in entities or "U.S." not in entities  # one entity for U.S./US
    both = tuple(sorted(p.id for p in parsed_samples))
    assert entities["Singapore"].article_ids == both
    counts = [e.count for e in story_entities(parsed_samples)]
    assert counts == sorted(counts, reverse=True)


def _sentence(article_id: str) -> Sentence:
    return Sentence(article_id, 0, 0, 10, "one claim.", ("claim",))


def test_alignment_does_not_chain_unrelated_sentences() -> None:
    rows = [_sentence("a"), _sentence("b"), _sentence("c")]
    chained = {(0, 1): 0.9, (1, 2): 0.35}
    assert [len(group) for group in _grouped(rows, chained, threshold=0.3)] == [2, 1]
    close = {(0, 1): 0.9, (1, 2): 0.35, (0, 2): 0.3}
    assert [len(group) for group in _grouped(rows, close, threshold=0.3)] == [3]


def test_alignment_takes_one_sentence_per_article() -> None:
    rows = [_sentence("a"), _sentence("a"), _sentence("b")]
    groups = _grouped(rows, {(0, 2): 0.9, (1, 2): 0.8, (0, 1): 0.9}, threshold=0.3)
    assert sorted(len(group) for group in groups) == [1, 2]


def test_the_c_stemmer_runs_and_stems_as_snowballstemmer_s_python_code() -> None:
    """snowballstemmer hands its work to PyStemmer when it is installed. The pinned PyStemmer must be there
    (about 25 times faster) and run Snowball 2.2, the Python code's algorithm: PyStemmer 3 stems 62 of the
    words of DUC 2006 and polnear dev otherwise ('added' -> 'add', 'biologist' -> 'biolog'), and a story's
    claims would change with the machine's packages."""
    import snowballstemmer
    from snowballstemmer.english_stemmer import EnglishStemmer

    assert snowballstemmer.cext_available
    samples = {w.lower() for path in SAMPLES.iterdir() for w in re.findall(r"[A-Za-z]+", path.read_text("utf-8"))}
    python_stem = EnglishStemmer().stemWord
    assert [w for w in sorted(samples | {"added", "biologist", "emergence"}) if stem(w) != python_stem(w)] == []
    assert (stem("added"), stem("biologist"), stem("emergence")) == ("ad", "biologist", "emerg")


def test_the_stemmer_gives_nltks_snowball_english_stems_on_the_sample_words() -> None:
    from nltk.stem.snowball import SnowballStemmer

    words = {w.lower() for path in SAMPLES.iterdir() for w in re.findall(r"[A-Za-z]+", path.read_text("utf-8"))}
    nltk_stem = SnowballStemmer("english").stem
    assert len(words) > 300
    assert [w for w in sorted(words) if stem(w) != nltk_stem(w)] == []
    assert stem("meeting") == stem("meet") and stem("realization") == "realiz"
