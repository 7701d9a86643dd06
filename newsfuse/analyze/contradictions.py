"""Where sources disagree: numbers, dates, names within a claim, and a quote's wording.

Precision comes first: a false contradiction costs more trust than a missed one. So
only aligned sentences are compared, each must state exactly one value of the kind in
question, and values are compared after folding what does not change meaning
(spelling, typography, abbreviations, a surname for the full name, a month for a day
inside it).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.analyze.entities import entity_key
from newsfuse.analyze.quantities import quantities
from newsfuse.analyze.timeline import dates_compatible
from newsfuse.analyze.wording import normalized_words, word_diff, wording_changes
from newsfuse.records import Claim, Contradiction, ParsedArticle, Quote, Span, TimeExpression

NUMBER = "number"
DATE = "date"
ENTITY = "entity"
QUOTE_WORDING = "quote_wording"
_ENTITY_KINDS = (frozenset({"PERSON"}), frozenset({"GPE", "LOC", "FAC"}))


def story_contradictions(
    articles: Sequence[ParsedArticle],
    claims: Sequence[Claim],
    quotes: Sequence[Quote],
    expressions: dict[str, tuple[TimeExpression, ...]],
    person_names: dict[str, str],
) -> tuple[Contradiction, ...]:
    """All contradictions of a story: per claim (numbers, dates, names), then per quotation."""
    by_id = {article.id: article for article in articles}
    found: list[Contradiction] = []
    for claim in claims:
        if len(claim.article_ids) < 2:
            continue
        found += number_contradictions(claim)
        found += date_contradictions(claim, expressions)
        found += entity_contradictions(claim, by_id, person_names)
    found += quote_contradictions(quotes, claims, by_id)
    return tuple(found)


def _one_per_article(values: list[list[tuple[Span, str]]]) -> list[tuple[Span, str]] | None:
    """The single value each sentence states, or None when one states none or several."""
    if any(len(v) != 1 for v in values):
        return None
    chosen = [v[0] for v in values]
    return chosen if len({span.article_id for span, _ in chosen}) > 1 else None


def _disagree(claim: Claim, kind: str, chosen: list[tuple[Span, str]] | None) -> list[Contradiction]:
    if chosen is None or len({value for _, value in chosen}) < 2:
        return []
    variants = tuple(span for span, _ in chosen)
    return [Contradiction(kind, claim.id, variants, " vs ".join(dict.fromkeys(span.text for span in variants)))]


def _within(evidence: Span, start: int, end: int) -> Span:
    return Span(evidence.article_id, evidence.text[start:end], evidence.start + start, evidence.start + end)


def number_contradictions(claim: Claim) -> list[Contradiction]:
    """'for 90 minutes' vs 'for 60 minutes': one count of the same unit, different values."""
    found = []
    units = set.intersection(*({q.unit for q in quantities(e.text)} for e in claim.evidence))
    for unit in sorted(units):
        values = [
            [(_within(e, q.start, q.end), f"{q.value:g}") for q in quantities(e.text) if q.unit == unit]
            for e in claim.evidence
        ]
        found += _disagree(claim, NUMBER, _one_per_article(values))
    return found


def date_contradictions(claim: Claim, expressions: dict[str, tuple[TimeExpression, ...]]) -> list[Contradiction]:
    """Each sentence dates its statement once, and two of the dates cannot be the same day."""
    dated = []
    for evidence in claim.evidence:
        inside = [
            e
            for e in expressions[evidence.article_id]
            if evidence.start <= e.span.start and e.span.end <= evidence.end and e.date
        ]
        dated.append(inside)
    if any(len(d) != 1 for d in dated):
        return []
    chosen = [d[0] for d in dated]
    if all(dates_compatible(a, b) for a in chosen for b in chosen):
        return []
    return _disagree(claim, DATE, [(e.span, e.date or "") for e in chosen])


def entity_contradictions(
    claim: Claim, articles: dict[str, ParsedArticle], person_names: dict[str, str]
) -> list[Contradiction]:
    """One sentence names a person (or place) where the other names a different one.

    Only names that a sentence does not share with any other sentence of the claim are
    compared, and each sentence must have exactly one such name of the kind.
    """
    found = []
    for labels in _ENTITY_KINDS:
        names = []
        for evidence in claim.evidence:
            mentions = [
                m
                for m in articles[evidence.article_id].entities
                if m.label in labels and evidence.start <= m.start and m.end <= evidence.end
            ]
            names.append(
                [
                    (Span(evidence.article_id, m.text, m.start, m.end), _canonical(m.name, person_names))
                    for m in mentions
                ]
            )
        shared = [set().union(*(n for _, n in names[k])) for k in range(len(names))]
        unique = [
            [
                (span, name)
                for span, name in names[k]
                if not any(_same_name(name, o) for j, s in enumerate(shared) if j != k for o in s)
            ]
            for k in range(len(names))
        ]
        found += _disagree(claim, ENTITY, _one_per_article(unique))
    return found


def _canonical(name: str, person_names: dict[str, str]) -> str:
    return entity_key(person_names.get(entity_key(name), name))


def _same_name(a: str, b: str) -> bool:
    """'kim' and 'kim jong-un' may be one person: a name that is a word-part of the other."""
    words_a, words_b = set(a.split()), set(b.split())
    return words_a <= words_b or words_b <= words_a


def quote_contradictions(
    quotes: Sequence[Quote], claims: Sequence[Claim], articles: dict[str, ParsedArticle]
) -> list[Contradiction]:
    """Outlets quote the same words of the same speaker differently."""
    found = []
    for original in (q for q in quotes if q.variant_of is None):
        group = [original] + [q for q in quotes if q.variant_of == original.id and q.article_id != original.article_id]
        words = [normalized_words(q.text) for q in group]
        diffs = [word_diff(words[0], w, c) for w in words[1:] if (c := wording_changes(words[0], w))]
        if diffs:
            variants = tuple(
                Span(q.article_id, articles[q.article_id].article.text[q.start : q.end], q.start, q.end) for q in group
            )
            found.append(Contradiction(QUOTE_WORDING, _claim_at(claims, original), variants, " || ".join(diffs)))
    return found


def _claim_at(claims: Sequence[Claim], quote: Quote) -> str | None:
    """The claim whose sentence holds the start of the quote, if any."""
    for claim in claims:
        for span in claim.evidence:
            if span.article_id == quote.article_id and span.start <= quote.parts[0].start < span.end:
                return claim.id
    return None
