"""Turn articles into ParsedArticles: sentences with spans, content lemmas, entities."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsfuse.nlp.model import lemma_of, load_model
from newsfuse.records import Article, EntityMention, ParsedArticle, Sentence

if TYPE_CHECKING:  # spaCy is imported where a model is loaded, so reading a store never loads it
    from spacy.tokens import Doc, Token

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
TITLE_SEPARATOR = "\n\n"
_ARTICLES_PER_PROCESS = 200
PIECE_CHARS = 10_000
"""The most characters spaCy parses at once (far under ``nlp.max_length``): a long news
article. A parse's memory grows faster than its length; 32 pieces of 10,000 characters
(one ``pipe`` batch) take about 260 MB, pieces of 25,000 about 590 MB (bench/big_articles.py).
One in twenty DUC 2006 articles is longer: cut at line breaks, it keeps the same sentences."""
_SENTENCE_END = re.compile(r"(?<=[a-z]{3}[.!?]) (?=[A-Z\"'`\u201c])")
"""A space after a sentence end that is no abbreviation (``Mrs.``, ``U.N.``), before a capital or a quote."""
_SPELLINGS = (("isation", "ization"), ("ising", "izing"), ("ised", "ized"))


def parse_articles(
    articles: Iterable[Article],
    count: int,
    progress: Callable[[int], None] | None = None,
    processes: int | None = None,
    piece_chars: int = 0,
) -> Iterator[ParsedArticle]:
    """Parse articles in input order; by default uses two processes for large batches.

    spaCy parses pieces of at most ``piece_chars`` (default ``PIECE_CHARS``) characters (``article_pieces``), so that
    a long article neither exceeds the model's ``max_length`` nor holds more than one
    piece's parse in memory; an article of one piece is parsed exactly as before.
    """
    nlp = load_model()
    n_process = processes or (2 if count >= _ARTICLES_PER_PROCESS else 1)
    pieces = nlp.pipe(_pieces(articles, piece_chars), as_tuples=True, batch_size=32, n_process=n_process)
    parts: list[_Part] = []
    for doc, (article, offset, last) in pieces:
        parts.append(_piece_part(doc, article, offset, sum(len(part.sentences) for part in parts)))
        if last:
            yield _joined(article, parts)
            parts = []
            if progress:
                progress(1)


def _pieces(articles: Iterable[Article], limit: int) -> Iterator[tuple[str, tuple[Article, int, bool]]]:
    """(text, (article, offset, last piece)) of every piece of every article, in order.

    ``offset`` is where the article body starts relative to the piece: a piece's character
    ``c`` is the body's character ``c - offset`` (negative: inside the title and separator).
    """
    for article in articles:
        combined = article.title + TITLE_SEPARATOR + article.text
        body_start = len(article.title) + len(TITLE_SEPARATOR)
        bounds = list(article_pieces(combined, limit))
        for number, (start, end) in enumerate(bounds, start=1):
            yield combined[start:end], (article, body_start - start, number == len(bounds))


def article_pieces(text: str, limit: int = 0) -> Iterator[tuple[int, int]]:
    """Cut ``text`` into consecutive ``(start, end)`` ranges of at most ``limit`` characters.

    Each cut falls at the last line break of the range, else at the last sentence end,
    else at the last space, else at the limit (``_cut``). Sentences are split at line
    breaks anyway (``_paragraph_pieces``), so cuts there change no sentence.
    """
    limit = limit or PIECE_CHARS
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = start + _cut(window)
        yield start, cut
        start = cut
    yield start, len(text)


def _cut(window: str) -> int:
    """Where to end a piece that would be ``window``: before its last line break, else after its
    last sentence end, else after its last space, else at its end.

    The next piece starts with the line break, so that its first words are parsed as inside
    the whole text: at the very start of a doc, spaCy makes a sentence of an opening quote mark.
    """
    line = window.rfind("\n")
    if line > 0:
        return line
    sentence = max((match.end() for match in _SENTENCE_END.finditer(window)), default=0)
    if sentence:
        return sentence
    space = window.rfind(" ")
    return space + 1 if space > 0 else len(window)


@dataclass(frozen=True)
class _Part:
    """What one piece's parse gives: its body sentences, entities and title terms."""

    sentences: tuple[Sentence, ...]
    entities: tuple[EntityMention, ...]
    title_terms: tuple[str, ...]


Parser = Callable[[Article], ParsedArticle]
"""Parses one article: what the store and a batch's loader call for each original they take in."""


def parse_one(article: Article) -> ParsedArticle:
    [parsed] = parse_articles([article], 1, processes=1)
    return parsed


def parsed_from_doc(doc: Doc, article: Article) -> ParsedArticle:
    """Map a spaCy doc of ``title + separator + text`` back onto the article body."""
    return _joined(article, [_piece_part(doc, article, len(article.title) + len(TITLE_SEPARATOR), 0)])


def _piece_part(doc: Doc, article: Article, offset: int, first_index: int) -> _Part:
    """The features of one piece, offsets mapped onto the body (``_pieces``), sentences numbered on."""
    sentences = tuple(_body_sentences(doc, article, offset, first_index))
    entities = tuple(
        EntityMention(
            ent.text, sys.intern(entity_name(ent.text)), ent.label_, ent.start_char - offset, ent.end_char - offset
        )
        for ent in doc.ents
        if ent.label_ in ENTITY_LABELS and ent.start_char >= offset and entity_name(ent.text)
    )
    title_terms = tuple(term_of(token) for token in doc if token.idx < offset and is_content(token))
    return _Part(sentences, entities, title_terms)


def _joined(article: Article, parts: list[_Part]) -> ParsedArticle:
    sentences = tuple(sentence for part in parts for sentence in part.sentences)
    entities = tuple(entity for part in parts for entity in part.entities)
    title_terms = tuple(term for part in parts for term in part.title_terms)
    body_terms = tuple(term for sentence in sentences for term in sentence.terms)
    return ParsedArticle(article, sentences, entities, title_terms + body_terms)


def _body_sentences(doc: Doc, article: Article, offset: int, index: int) -> Iterator[Sentence]:
    """Sentences of the body, split again at paragraph breaks, which spaCy may cross.

    ``doc.text`` is read once: spaCy joins every token's text again on each access.
    """
    text = doc.text
    for sent in doc.sents:
        for start, end in _paragraph_pieces(text, max(sent.start_char, offset), sent.end_char):
            tokens = doc.char_span(start, end, alignment_mode="expand")
            terms = tuple(term_of(t) for t in (tokens or []) if is_content(t))
            yield Sentence(article.id, index, start - offset, end - offset, text[start:end], terms)
            index += 1


def _paragraph_pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    position = start
    for piece in text[start:end].split("\n"):
        stripped = piece.strip()
        if stripped:
            begin = position + piece.index(stripped)
            yield begin, begin + len(stripped)
        position += len(piece) + 1


def is_content(token: Token) -> bool:
    return token.is_alpha and not token.is_stop and len(token.text) > 1


def term_of(token: Token) -> str:
    """Lower-cased lemma with British -isation/-ise spellings folded into American ones.

    Interned: a corpus says each word thousands of times, and every article held its own copy of
    each (about 17 KB an article of DUC 2006: docs/quality.md, Speed)."""
    lemma = lemma_of(token.text)
    for british, american in _SPELLINGS:
        if lemma.endswith(british):
            lemma = lemma[: -len(british)] + american
            break
    return sys.intern(lemma)


def entity_name(text: str) -> str:
    """Normalise an entity mention: no leading article, no possessive, single spaces."""
    words = text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    joined = " ".join(words)
    for suffix in ("'s", "\u2019s"):
        if joined.endswith(suffix):
            joined = joined[: -len(suffix)]
    return joined.strip(" ,;:\"'\u201c\u201d")
