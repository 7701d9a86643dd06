"""Language identification accuracy and time on real texts.

Usage: .venv/bin/python bench/ingest_language.py [--data PATH]

English: every DUC 2006 dev article (read from ../shared/data at run time), whole text.
Other languages: the example sentences spaCy ships for 25 languages, one sentence at a time
(the hard case: a single short sentence). Norwegian Bokmal counts as right when named "no".
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from pathlib import Path

from newsfuse.ingest.language import detect_language

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "duc2006-dev.jsonl"
LANGUAGES = (
    "ca",
    "da",
    "de",
    "el",
    "en",
    "es",
    "fi",
    "fr",
    "hr",
    "hu",
    "id",
    "it",
    "ja",
    "ko",
    "lt",
    "nb",
    "nl",
    "pl",
    "pt",
    "ro",
    "ru",
    "sv",
    "tr",
    "uk",
    "zh",
)
ALIASES = {"nb": {"nb", "no"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    detect_language(texts[0])  # load the model before timing
    start = time.perf_counter()
    english = sum(detect_language(text) == "en" for text in texts)
    took = time.perf_counter() - start
    print(f"DUC 2006 dev articles: {english}/{len(texts)} English, {1000 * took / len(texts):.2f} ms an article")
    right = total = undecided = 0
    for code in LANGUAGES:
        for sentence in importlib.import_module(f"spacy.lang.{code}.examples").sentences:
            found = detect_language(sentence)
            total += 1
            undecided += found is None
            right += found in ALIASES.get(code, {code})
    print(f"spaCy example sentences, {len(LANGUAGES)} languages: {right}/{total} right, {undecided} too short to tell")


if __name__ == "__main__":
    main()
