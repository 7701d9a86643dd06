"""Where sources disagree: numbers, dates, names within a claim, and a quote's wording.

Precision comes first: a false contradiction costs more trust than a missed one. So
only aligned sentences are compared, each must state exactly one value of the kind in
question, and values are compared after folding what does not change meaning
(spelling, typography, abbreviations, a month for a day inside it). Aligned sentences
often report different facts of one topic ("63 percent of Indians" vs "17 percent of
graduates"), so two values also need the same slot: the same two words right before
them ("killing at least 10" vs "killing at least three") or the same three right after
("in 2009 approved a $3 million bond" vs "in 2010 approved a $3 million bond"), and sentences
whose other counts of a shared unit differ describe different frames, not one fact.

Dates must be written out (with a year, or a day of a month): a weekday or "today" is
resolved against a publication date whose time zone and news-cycle conventions the
data does not carry, and on real newswire those differences were all artefacts.
Names (``entity``) are not compared: on real newswire every candidate found was a
place inside another ("Athens"/"Greece") or a different fact of the topic; telling
those apart needs a gazetteer and coreference this project does not have.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from newsfuse.analyze.quantities import quantities
from newsfuse.analyze.timeline import dates_compatible
from newsfuse.analyze.wording import normalized_words, quoted_words, word_diff, wording_changes
from newsfuse.records import Claim, Contradiction, ContradictionKind, ParsedArticle, Quote, Span, TimeExpression

NUMBER: Final = "number"
DATE: Final = "date"
QUOTE_WORDING: Final = "quote_wording"
_BEFORE_WORDS = 2
_AFTER_WORDS = 3
_NOT_CONTENT = frozenset(
    {"the", "a", "an", "of", "in", "on", "at", "to", "and", "or", "for", "with", "by", "from", "is", "was"}
    | {"were", "be", "as", "that", "this", "it", "its", "thousand", "million", "billion", "percent", "dlrs"}
)
_WRITTEN_OUT = re.compile(r"\b(?:1[89]|20)\d\d\b|[A-Za-z]\.? \d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)? [A-Z]")
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]*,\s*$")


def story_contradictions(
    articles: Sequence[ParsedArticle],
    claims: Sequence[Claim],
    quotes: Sequence[Quote],
    expressions: dict[str, tuple[TimeExpression, ...]],
) -> tuple[Contradiction, ...]:
    """All contradictions of a story: per claim (numbers, dates), then per quotation."""
    by_id = {article.id: article for article in articles}
    found: list[Contradiction] = []
    for claim in claims:
        if len(claim.article_ids) < 2:
            continue
        found += number_contradictions(claim)
        found += date_contradictions(claim, expressions)
    found += quote_contradictions(quotes, claims, by_id)
    return ranked_contradictions(found)


_KIND_WEIGHT = {NUMBER: 2, DATE: 2, QUOTE_WORDING: 1}


def contradiction_weight(contradiction: Contradiction) -> int:
    """Numbers and dates (2) before a quote's wording (1): sources that disagree on a fact
    matter more to a reader than a word quoted differently; any other kind (an older store's
    ``entity``) 0."""
    return _KIND_WEIGHT.get(contradiction.kind, 0)


def ranked_contradictions(contradictions: Sequence[Contradiction]) -> tuple[Contradiction, ...]:
    """Heaviest first, then those that more articles differ on; otherwise in the given order."""
    return tuple(
        sorted(contradictions, key=lambda c: (-contradiction_weight(c), -len({v.article_id for v in c.variants})))
    )


def _one_per_article(values: list[list[tuple[Span, str]]]) -> list[tuple[Span, str]] | None:
    """The single value each sentence states, or None when one states none or several."""
    if any(len(v) != 1 for v in values):
        return None
    chosen = [v[0] for v in values]
    return chosen if len({span.article_id for span, _ in chosen}) > 1 else None


def _disagree(claim: Claim, kind: ContradictionKind, chosen: list[tuple[Span, str]] | None) -> list[Contradiction]:
    if chosen is None or len({value for _, value in chosen}) < 2:
        return []
    chosen = _same_slot(claim, chosen)
    if len({value for _, value in chosen}) < 2:
        return []
    variants = tuple(span for span, _ in chosen)
    return [Contradiction(kind, claim.id, variants, " vs ".join(dict.fromkeys(span.text for span in variants)))]


def _within(evidence: Span, start: int, end: int) -> Span:
    return Span(evidence.article_id, evidence.text[start:end], evidence.start + start, evidence.start + end)


def number_contradictions(claim: Claim) -> list[Contradiction]:
    """'for 90 minutes' vs 'for 60 minutes': one count of the same unit, different values,
    while every other unit the sentences both count agrees."""
    counted = [_counts(e.text) for e in claim.evidence]
    units = set.intersection(*(set(c) for c in counted))
    disagreeing = [u for u in sorted(units) if len({c[u] for c in counted}) > 1]
    if len(disagreeing) != 1:
        return []
    unit = disagreeing[0]
    values = [
        [(_within(e, q.start, q.end), f"{q.value:g}") for q in quantities(e.text) if q.unit == unit]
        for e in claim.evidence
    ]
    return _disagree(claim, NUMBER, _one_per_article(values))


def _counts(text: str) -> dict[str, frozenset[float]]:
    """The values each unit of the text counts."""
    values: dict[str, set[float]] = {}
    for quantity in quantities(text):
        values.setdefault(quantity.unit, set()).add(quantity.value)
    return {unit: frozenset(found) for unit, found in values.items()}


def date_contradictions(claim: Claim, expressions: dict[str, tuple[TimeExpression, ...]]) -> list[Contradiction]:
    """Each sentence dates its statement once, written out, and two of the dates cannot be the same day."""
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
    if not all(_written_out(e, claim) for e in chosen):
        return []
    if all(dates_compatible(a, b) for a in chosen for b in chosen):
        return []
    return _disagree(claim, DATE, [(e.span, e.date or "") for e in chosen])


def _written_out(expression: TimeExpression, claim: Claim) -> bool:
    """A date that names its year or day of month, outside a dateline ('BEIJING, June 18 (Xinhua)')."""
    sentence = next(e for e in claim.evidence if e.article_id == expression.span.article_id)
    before = sentence.text[: expression.span.start - sentence.start]
    return bool(_WRITTEN_OUT.search(expression.span.text)) and not _DATELINE.match(before)


def _context(claim: Claim, span: Span) -> tuple[list[str], list[str]]:
    """The words right before and right after a value, within its sentence."""
    sentence = next(e for e in claim.evidence if e.article_id == span.article_id and e.start <= span.start < e.end)
    before = normalized_words(sentence.text[: span.start - sentence.start])
    after = normalized_words(sentence.text[span.end - sentence.start :])
    return before[-_BEFORE_WORDS:], after[:_AFTER_WORDS]


def _same_slot(claim: Claim, chosen: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """The values that sit between the same words as a different value, before or after,
    where those words say something (not just 'of the')."""
    contexts = [_context(claim, span) for span, _ in chosen]

    def says(words: list[str], size: int) -> bool:
        return len(words) == size and any(w not in _NOT_CONTENT and not w.isdigit() for w in words)

    def slotted(k: int, j: int) -> bool:
        (before, after), (other_before, other_after) = contexts[k], contexts[j]
        return (says(before, _BEFORE_WORDS) and before == other_before) or (
            says(after, _AFTER_WORDS) and after == other_after
        )

    return [
        item
        for k, item in enumerate(chosen)
        if any(chosen[j][1] != item[1] and slotted(k, j) for j in range(len(chosen)))
    ]


def quote_contradictions(
    quotes: Sequence[Quote], claims: Sequence[Claim], articles: dict[str, ParsedArticle]
) -> list[Contradiction]:
    """Outlets quote the same words of the same speaker differently: only the quoted words
    count (``Quote.text``, its pieces without the attribution), and words one outlet marks
    as left out ("...") are no change."""
    found = []
    for original in (q for q in quotes if q.variant_of is None):
        group = [original] + [q for q in quotes if q.variant_of == original.id and q.article_id != original.article_id]
        quoted = [quoted_words(q.text) for q in group]
        first = quoted[0]
        diffs = [
            word_diff(first.words, other.words, changes)
            for other in quoted[1:]
            if (changes := wording_changes(first.words, other.words, first.gaps, other.gaps))
        ]
        if diffs:
            variants = tuple(
                Span(q.article_id, articles[q.article_id].article.text[q.start : q.end], q.start, q.end) for q in group
            )
            found.append(Contradiction(QUOTE_WORDING, _claim_at(claims, original), variants, " || ".join(diffs)))
    return found


def quoted_parts(contradiction: Contradiction, quotes: Sequence[Quote]) -> tuple[tuple[Span, ...], ...]:
    """Per variant, the spans to show: a quote's quoted pieces without the attribution
    between them ("Hall said Friday in a statement" is the outlet's, not Hall's), else the
    variant itself."""
    parts = {(q.article_id, q.start, q.end): q.parts for q in quotes}
    return tuple(parts.get((v.article_id, v.start, v.end)) or (v,) for v in contradiction.variants)


def _claim_at(claims: Sequence[Claim], quote: Quote) -> str | None:
    """The claim whose sentence holds the start of the quote, if any."""
    for claim in claims:
        for span in claim.evidence:
            if span.article_id == quote.article_id and span.start <= quote.parts[0].start < span.end:
                return claim.id
    return None
