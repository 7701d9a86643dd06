"""Turn articles into ParsedArticles: sentences with spans, content lemmas, entities."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc, Token

from newsfuse.nlp.model import lemma_of, load_model
from newsfuse.records import Article, EntityMention, ParsedArticle, Sentence

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
TITLE_SEPARATOR = "\n\n"
_ARTICLES_PER_PROCESS = 200
_SPELLINGS = (("isation", "ization"), ("ising", "izing"), ("ised", "ized"))


def parse_articles(
    articles: Iterable[Article],
    count: int,
    progress: Callable[[int], None] | None = None,
    processes: int | None = None,
) -> Iterator[ParsedArticle]:
    """Parse articles in input order; by default uses two processes for large batches."""
    nlp = load_model()
    texts = ((article.title + TITLE_SEPARATOR + article.text, article) for article in articles)
    n_process = processes or (2 if count >= _ARTICLES_PER_PROCESS else 1)
    for doc, article in nlp.pipe(texts, as_tuples=True, batch_size=32, n_process=n_process):
        yield parsed_from_doc(doc, article)
        if progress:
            progress(1)


def parsed_from_doc(doc: Doc, article: Article) -> ParsedArticle:
    """Map a spaCy doc of ``title + separator + text`` back onto the article body."""
    offset = len(article.title) + len(TITLE_SEPARATOR)
    sentences = tuple(_body_sentences(doc, article, offset))
    entities = tuple(
        EntityMention(ent.text, entity_name(ent.text), ent.label_, ent.start_char - offset, ent.end_char - offset)
        for ent in doc.ents
        if ent.label_ in ENTITY_LABELS and ent.start_char >= offset and entity_name(ent.text)
    )
    title_terms = tuple(term_of(token) for token in doc if token.idx < offset and is_content(token))
    body_terms = tuple(term for sentence in sentences for term in sentence.terms)
    return ParsedArticle(article, sentences, entities, title_terms + body_terms)


def _body_sentences(doc: Doc, article: Article, offset: int) -> Iterator[Sentence]:
    """Sentences of the body, split again at paragraph breaks, which spaCy may cross.

    ``doc.text`` is read once: spaCy joins every token's text again on each access.
    """
    index = 0
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
    """Lower-cased lemma with British -isation/-ise spellings folded into American ones."""
    lemma = lemma_of(token.text)
    for british, american in _SPELLINGS:
        if lemma.endswith(british):
            return lemma[: -len(british)] + american
    return lemma


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
