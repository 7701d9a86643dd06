"""Language identification with the model shipped inside py3langid (no download).

Measured on DUC 2006 dev: 500/500 English articles recognised, about 7 ms an article;
on spaCy's example sentences in 25 languages 164/178, the misses being close
relatives (Norwegian/Danish, Croatian/Serbian, Portuguese/Galician) on one short sentence.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_LETTER = re.compile(r"[^\W\d_]")
MIN_LETTERS = 20
"""Below this, a guess is noise (a title alone, a number, a code)."""


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there are too few letters to tell."""
    if len(_LETTER.findall(text[:2000])) < MIN_LETTERS:
        return None
    code, _ = _identifier().classify(text)
    return str(code)


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)
