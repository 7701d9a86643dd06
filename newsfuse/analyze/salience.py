"""How much a claim tells a reader: the number the story page and the report rank claims by.

The base is the digest's content weighting: each stemmed content term of the claim weighs
the share of the story's articles that use it (a term of one article only counts a tenth),
summed and divided by the square root of the claim's length, so a claim full of what the
story is about outranks an aside and a long sentence does not win by length alone. Three
things a reader looks for in what one outlet adds earn credit on top: a name the story's
other articles mostly do not carry, a counted number, and a direct quotation.

Some sentences count for nothing, whatever their words: a wire dateline on its own
("AUSTIN, Texas _"), a timetable line ("1:50 a.m. EST -- Plane begins descent") or its
heading ("Timeline for EgyptAir Flight 990:"), agency boilerplate ("He did not elaborate.",
"contributed to this report") and a sentence with fewer than two content words. On DUC 2006
dev these made up most of "what only APW reports" on the EgyptAir story's page.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from newsfuse.analyze.claims import stem
from newsfuse.analyze.dateline import dateline_length, is_dateline
from newsfuse.analyze.entities import entity_key
from newsfuse.analyze.quantities import quantities
from newsfuse.analyze.quotes import quote_marks
from newsfuse.records import Claim, ParsedArticle, Sentence, Span

MIN_CONTENT_TERMS = 2
NEW_ENTITY_CREDIT = 0.25
NEW_ENTITY_CAP = 2
NUMBER_CREDIT = 0.25
QUOTE_CREDIT = 0.25
LENGTH_EXPONENT = 0.5
_TIMETABLE = re.compile(
    r"^\W*\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\s*)?(?:--|-|_|\u2014|\u2013|:)\s"
    r"|:\s*$"
)
_BOILERPLATE = re.compile(
    r"\bcontributed to this (?:report|story)\b|\ball rights reserved\b|\bcopyright (?:\(c\) ?)?\d{4}\b|\u00a9"
    r"|\b(?:reporting|editing) by\b"
    r"|\bfor more information\b|\bclick here\b|\bAP Photo\b",
    re.IGNORECASE,
)
_REFUSAL = re.compile(
    r"\b(?:did not|didn't|would not|wouldn't|declined to|could not be reached for) (?:elaborate|comment|say more)\b",
    re.IGNORECASE,
)
SHORT_REFUSAL_WORDS = 8
"""'He did not elaborate.' says nothing; 'Hall declined to comment on whether the co-pilot ...' may."""


def content_weights(
    support: np.ndarray, article_count: int, min_support: int = 2, single_source_weight: float = 0.1
) -> np.ndarray:
    """Each term's weight from how many articles use it; terms of fewer than ``min_support``
    articles (one, usually) count ``single_source_weight`` as much: what many outlets say is
    what the story is about. Shared by the digest and claim salience."""
    needed = min(min_support, article_count)
    return np.where(support >= needed, support, single_source_weight * support)


def says_nothing(text: str) -> bool:
    """A dateline, a timetable line or heading, or agency boilerplate: no claim a reader needs."""
    rest = text[dateline_length(text) :]
    refusal = bool(_REFUSAL.search(rest)) and len(rest.split()) <= SHORT_REFUSAL_WORDS
    return (
        is_dateline(text) or not rest.strip() or refusal or bool(_TIMETABLE.search(rest) or _BOILERPLATE.search(rest))
    )


def scored_claims(articles: Sequence[ParsedArticle], claims: Sequence[Claim]) -> tuple[Claim, ...]:
    """The claims with their ``salience`` set, in the same order."""
    scorer = _Scorer(articles)
    return tuple(replace(claim, salience=scorer.salience(claim)) for claim in claims)


class _Scorer:
    """The story-wide tables salience needs: term weights, entity support, sentences by start."""

    def __init__(self, articles: Sequence[ParsedArticle]) -> None:
        self.articles = {article.id: article for article in articles}
        self.sentences = {(s.article_id, s.start): s for article in articles for s in article.sentences}
        used = Counter(term for article in articles for term in {stem(t) for s in article.sentences for t in s.terms})
        vocabulary = sorted(used)
        support = np.array([used[term] for term in vocabulary], dtype=np.float64)
        weights = content_weights(support, len(articles)) / max(1, len(articles))
        self.weights = dict(zip(vocabulary, weights.tolist(), strict=True))
        named: dict[str, set[str]] = {}
        for article in articles:
            for mention in article.entities:
                named.setdefault(entity_key(mention.name), set()).add(article.id)
        self.common = {key for key, ids in named.items() if 2 * len(ids) >= len(articles)}

    def salience(self, claim: Claim) -> float:
        """Content weight per square-root word, times the credits; 0 for a sentence that says nothing."""
        span = claim.evidence[0]
        terms = self._terms(span)
        if says_nothing(span.text) or len(terms) < MIN_CONTENT_TERMS:
            return 0.0
        words = len(span.text[dateline_length(span.text) :].split())
        # fsum: the exact sum once rounded, whatever order the set of terms is walked in (it follows
        # string hashing, which differs between processes: ``batch``'s workers and ``run`` agree)
        content = math.fsum(self.weights.get(term, 0.0) for term in terms) / max(1, words) ** LENGTH_EXPONENT
        return round(content * (1 + self._credit(span)), 6)

    def _credit(self, span: Span) -> float:
        """New names (capped), a counted number, a direct quotation."""
        article = self.articles[span.article_id]
        names = {
            entity_key(m.name) for m in article.entities if span.start <= m.start and m.end <= span.end
        } - self.common
        return (
            NEW_ENTITY_CREDIT * min(len(names), NEW_ENTITY_CAP)
            + NUMBER_CREDIT * bool(quantities(span.text))
            + QUOTE_CREDIT * bool(quote_marks(span.text))
        )

    def _terms(self, span: Span) -> set[str]:
        """Stemmed content terms of the span: its sentence's, kept to the clause for a clause claim."""
        sentence = self._sentence(span)
        if sentence is None:
            return set()
        terms = {stem(term) for term in sentence.terms}
        if (sentence.start, sentence.end) == (span.start, span.end):
            return terms
        words = {stem(word) for word in re.findall(r"[a-z]+", span.text.casefold())}
        return terms & words

    def _sentence(self, span: Span) -> Sentence | None:
        """The sentence holding the span (a clause claim starts inside one)."""
        exact = self.sentences.get((span.article_id, span.start))
        if exact is not None:
            return exact
        article = self.articles[span.article_id]
        return next((s for s in article.sentences if s.start <= span.start < s.end), None)
