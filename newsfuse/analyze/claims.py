"""Claims: sentences aligned across a story's articles by meaning, labelled by support.

One alignment serves the claims, the digest's citations, the contradictions and the
timeline, so every part of the report agrees on which articles state what.

Two sentences of different articles align when the TF-IDF cosine of their features
reaches a threshold. Features are stemmed content lemmas (so "meet" and "meeting"
match), the story's canonical entity names (a surname counts as the full name), counted
quantities and resolved months ("June 12" and "last June" share 2018-06). A sentence
that counts something ("for 90 minutes") that the other does not is a different claim
and pays a penalty. Pairs join most similar first; a group never takes two sentences of
one article, so a claim lists each article at most once.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import snowballstemmer
from scipy.sparse import csr_matrix

from newsfuse.analyze.agreement import (
    PARTIAL,
    SINGLE_SOURCE,
    article_outlets,
    claim_outlets,
    consensus_count,
    support_label,
)
from newsfuse.analyze.entities import entity_key, full_person_names
from newsfuse.analyze.quantities import quantities
from newsfuse.nlp.vectors import TermSpace, similar_pairs
from newsfuse.records import Claim, ParsedArticle, Sentence, Span, TimeExpression

MIN_CLAIM_WORDS = 4


@dataclass(frozen=True)
class AlignConfig:
    """``consensus``: share of the story's outlets that must state a claim (at least two);
    ``None`` is ``agreement.CONSENSUS_SHARE``, a half."""

    consensus: float | None = None
    threshold: float = 0.3
    unmatched_quantity_penalty: float = 0.15
    related_threshold: float = 0.2


@dataclass(frozen=True)
class Alignment:
    """Groups of aligned sentences; ``group_of`` maps (article id, sentence index) to a group."""

    groups: tuple[tuple[Sentence, ...], ...]
    group_of: dict[tuple[str, int], int]
    related: frozenset[tuple[tuple[str, int], tuple[str, int]]] = frozenset()

    def sources(self, sentence: Sentence) -> tuple[str, ...]:
        """Every article that states the sentence's content, its own included."""
        group = self.group_of.get((sentence.article_id, sentence.index))
        if group is None:
            return (sentence.article_id,)
        return tuple(sorted({s.article_id for s in self.groups[group]}))

    def same_statement(self, a: Sentence, b: Sentence) -> bool:
        group = self.group_of.get((a.article_id, a.index))
        return group is not None and group == self.group_of.get((b.article_id, b.index))

    def same_event(self, a: Sentence, b: Sentence) -> bool:
        """Looser than ``same_statement``: the sentences share enough to report one event."""
        pair = ((a.article_id, a.index), (b.article_id, b.index))
        return self.same_statement(a, b) or pair in self.related or pair[::-1] in self.related


_STEMMER = snowballstemmer.stemmer("english")
"""Snowball's English stemmer of snowballstemmer 2.2: NLTK's ``SnowballStemmer("english")`` but for 3 of
21,688 DUC 2006 dev words (``realization`` -> ``realiz``, not ``realize``), without NLTK's 1-3 s import."""


@lru_cache(maxsize=65536)
def stem(term: str) -> str:
    """Snowball stem, cached: a story repeats a few thousand words many times over."""
    return str(_STEMMER.stemWord(term))


def claim_sentences(article: ParsedArticle) -> list[Sentence]:
    return [s for s in article.sentences if len(s.text.split()) >= MIN_CLAIM_WORDS and s.terms]


def sentence_features(
    article: ParsedArticle, expressions: Sequence[TimeExpression], full_names: dict[str, str]
) -> dict[int, list[str]]:
    """Alignment features of each claim sentence of the article, by sentence index."""
    features: dict[int, list[str]] = {}
    entities = sorted(article.entities, key=lambda m: m.start)
    starts = [m.start for m in entities]
    months: dict[int, list[str]] = {}
    for e in expressions:
        if e.date and len(e.date) >= 7:
            months.setdefault(e.sentence_index, []).append("month:" + e.date[:7])
    for sentence in claim_sentences(article):
        words = [stem(term) for term in sentence.terms]
        names = [
            "entity:" + full_names.get(entity_key(m.name), entity_key(m.name))
            for m in entities[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)]
            if m.end <= sentence.end
        ]
        counts = [f"count:{q.value:g} {q.unit}" for q in quantities(sentence.text)]
        features[sentence.index] = words + names + counts + months.get(sentence.index, [])
    return features


def align(
    articles: Sequence[ParsedArticle],
    expressions: dict[str, tuple[TimeExpression, ...]],
    config: AlignConfig | None = None,
) -> Alignment:
    """Group sentences of different articles that state the same content."""
    config = config or AlignConfig()
    full_names = full_person_names(articles)
    rows: list[Sentence] = []
    features: list[list[str]] = []
    for article in articles:
        by_index = sentence_features(article, expressions[article.id], full_names)
        for sentence in claim_sentences(article):
            rows.append(sentence)
            features.append(by_index[sentence.index])
    if not rows:
        return Alignment((), {})
    vectors = TermSpace(features).vectors(features)
    scores, related = _pair_scores(rows, vectors, config)
    groups = _grouped(rows, scores, config.threshold)
    index = {(s.article_id, s.index): number for number, group in enumerate(groups) for s in group}
    return Alignment(groups, index, frozenset(related))


def _pair_scores(
    rows: list[Sentence], vectors: csr_matrix, config: AlignConfig
) -> tuple[dict[tuple[int, int], float], set[tuple[tuple[str, int], tuple[str, int]]]]:
    """Scores of sentence pairs of different articles (cosine less the quantity penalty) that
    may join a group, and the pairs related enough to report one event; filtered as arrays,
    since a big story has millions of pairs."""
    minimum = min(config.related_threshold, config.threshold / 2)
    first, second, cosine = similar_pairs(vectors, minimum)
    keys = [(s.article_id, s.index) for s in rows]
    near = cosine >= config.related_threshold
    related = {(keys[i], keys[j]) for i, j in zip(first[near].tolist(), second[near].tolist(), strict=True)}
    article = np.unique([s.article_id for s in rows], return_inverse=True)[1]
    counted = ["\0".join(sorted({q.unit for q in quantities(s.text) if q.digits})) for s in rows]
    units = np.unique(counted, return_inverse=True)[1]
    penalty = np.where(units[first] != units[second], config.unmatched_quantity_penalty, 0.0)
    score = cosine.astype(np.float64) - penalty
    passing = cosine - penalty.astype(np.float32) >= np.float32(config.threshold / 2)
    joinable = (article[first] != article[second]) & passing
    scores = {
        (i, j): round(value, 6)
        for i, j, value in zip(
            first[joinable].tolist(), second[joinable].tolist(), score[joinable].tolist(), strict=True
        )
    }
    return scores, related


def _grouped(
    rows: list[Sentence], scores: dict[tuple[int, int], float], threshold: float
) -> tuple[tuple[Sentence, ...], ...]:
    """Join pairs scoring ``threshold`` or more, best first, under two conditions.

    A group never takes two sentences of one article. And the two groups must stay close
    on average (the mean score over every pair across them, pairs under half the threshold
    counting 0): plain
    single linkage chains in stories that run for months, "home schooling rises" linking to
    "parents choose home schooling" linking to a third sentence, until one claim cites
    dozens of articles that say different things.
    """
    edges = sorted((pair for pair, value in scores.items() if value >= threshold), key=lambda p: (-scores[p], p))
    group_of = list(range(len(rows)))
    members: dict[int, list[int]] = {row: [row] for row in range(len(rows))}
    for i, j in edges:
        a, b = group_of[i], group_of[j]
        if a == b:
            continue
        if {rows[m].article_id for m in members[a]} & {rows[m].article_id for m in members[b]}:
            continue
        pairs = [(min(m, n), max(m, n)) for m in members[a] for n in members[b]]
        if sum(scores.get(pair, 0.0) for pair in pairs) < threshold * len(pairs):
            continue
        for m in members[b]:
            group_of[m] = a
        members[a].extend(members.pop(b))
    return tuple(tuple(rows[m] for m in sorted(group)) for _, group in sorted(members.items()))


def claim_id(evidence: Sequence[Span]) -> str:
    key = "\n".join(f"{s.article_id}:{s.start}:{s.end}" for s in evidence)
    return "c" + hashlib.sha256(key.encode()).hexdigest()[:12]


def story_claims(
    articles: Sequence[ParsedArticle], alignment: Alignment, config: AlignConfig | None = None
) -> tuple[Claim, ...]:
    """One claim per aligned group, labelled by how many outlets state it (``agreement``);
    most widely stated first, then in reading order."""
    config = config or AlignConfig()
    outlets = article_outlets(article.article for article in articles)
    needed = consensus_count(len(set(outlets.values())), config.consensus)
    order = {article.id: number for number, article in enumerate(articles)}
    claims: list[Claim] = []
    for group in alignment.groups:
        ordered = sorted(group, key=lambda s: (order[s.article_id], s.index))
        evidence = tuple(Span(s.article_id, s.text, s.start, s.end) for s in ordered)
        claim = Claim(
            claim_id(evidence), ordered[0].text, tuple(sorted({s.article_id for s in group})), PARTIAL, evidence
        )
        claims.append(replace(claim, label=support_label(len(claim_outlets(claim, outlets)), needed)))
        if len(claim.article_ids) > 1:
            claims.extend(_counted_details(ordered))
    claims.sort(key=lambda c: (-len(c.article_ids), order[c.evidence[0].article_id], c.evidence[0].start, c.id))
    return tuple(claims)


def _counted_details(group: Sequence[Sentence]) -> list[Claim]:
    """Clauses that count something ("met for 90 minutes") no other article in the group counts.

    The sentence as a whole is shared, but the quantity is what that outlet adds, so its
    clause becomes a single-source claim of its own.
    """
    units = [{q.unit for q in quantities(s.text) if q.digits} for s in group]
    details = []
    for sentence in group:
        others = set().union(*(u for k, u in enumerate(units) if group[k].article_id != sentence.article_id))
        for quantity in quantities(sentence.text):
            if quantity.digits and quantity.unit not in others:
                start, end = clause_around(sentence.text, quantity.start, quantity.end)
                span = Span(sentence.article_id, sentence.text[start:end], sentence.start + start, sentence.start + end)
                details.append(Claim(claim_id((span,)), span.text, (sentence.article_id,), SINGLE_SOURCE, (span,)))
    return details


_CLAUSE_START = re.compile(r"[,;:(]\s*|\b(?:said|says|that|and|but|while|after|as)\s+")
_CLAUSE_END = re.compile(r"\s*[,;:.)!?]|\s+(?:to|and|but|while|after|as|because|which|who)\b")


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of ``text`` holding ``text[start:end]``, cut at punctuation and conjunctions."""
    begin = max((m.end() for m in _CLAUSE_START.finditer(text, 0, start)), default=0)
    stop = _CLAUSE_END.search(text, end)
    return begin, stop.start() if stop else len(text.rstrip())
