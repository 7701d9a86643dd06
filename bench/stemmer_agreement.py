"""How often the core's stemmer (snowballstemmer) and NLTK's Snowball English stemmer disagree.

Usage: .venv/bin/python bench/stemmer_agreement.py [JSONL ...]   (default: DUC 2006 and ECB+ dev)

For each file: the distinct lower-case words of its titles and texts, and the words whose
stems differ, with both stems. NLTK comes with the eval extra (``make test`` installs it).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from nltk.stem.snowball import SnowballStemmer

from newsfuse.analyze.claims import stem

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEFAULT = [DATA / "duc2006-dev.jsonl", DATA / "ecbplus-dev.jsonl"]


def words(path: Path) -> set[str]:
    found: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = f"{record.get('title', '')} {record.get('text', '')}"
        found.update(word.lower() for word in re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)?", text))
    return found


def main() -> None:
    nltk_stem = SnowballStemmer("english").stem
    for path in [Path(arg) for arg in sys.argv[1:]] or DEFAULT:
        vocabulary = words(path)
        differ = sorted(word for word in vocabulary if stem(word) != nltk_stem(word))
        print(f"{path.name}: {len(differ)} of {len(vocabulary)} words stem differently")
        for word in differ:
            print(f"  {word}: nltk {nltk_stem(word)}, newsfuse {stem(word)}")


if __name__ == "__main__":
    main()
