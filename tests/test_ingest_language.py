from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.lang.de.examples import sentences as german
from spacy.lang.fr.examples import sentences as french

from newsfuse.ingest import read_inputs
from newsfuse.ingest.language import detect_language

from .ingest_fixtures import SEED_B, seed


def test_real_texts_are_identified() -> None:
    assert detect_language(seed(SEED_B).text) == "en"
    assert detect_language(" ".join(german)) == "de"
    assert detect_language(" ".join(french)) == "fr"


def test_too_little_text_gives_no_language() -> None:
    assert detect_language("Trump-Kim 2019") is None
    assert detect_language("12 345 678 --- !!!") is None


def test_a_given_language_is_kept_and_a_missing_one_detected(tmp_path: Path) -> None:
    lines = [
        {"id": "given", "title": "T", "text": " ".join(german), "lang": "de-AT"},
        {"id": "detected", "title": "T", "text": " ".join(french)},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert {a.id: a.lang for a in read_inputs([tmp_path]).articles} == {"given": "de-AT", "detected": "fr"}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_detection_never_raises(text: str) -> None:
    code = detect_language(text)
    assert code is None or (code.isascii() and code.isalpha() and code.islower())
