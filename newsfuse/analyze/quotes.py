"""Direct quotations, their speakers, and the same quotation across outlets.

Speakers come from the attribution around a quote ("..., Sanders added", "Guterres
said that ...", "..., he said", "CNN quoted X as saying"), without a syntactic parser:
the person named nearest the speech verb, a pronoun resolved to the nearest preceding
person, or a role ("the UN chief") resolved to the person the article introduced with
that title. A quote with no such attribution keeps ``speaker: None``: a wrong speaker
is worse than none.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from newsfuse.analyze.entities import entity_key, full_person_names
from newsfuse.analyze.wording import normalized_words
from newsfuse.nlp.parse import entity_name
from newsfuse.records import EntityMention, ParsedArticle, Quote, Span

MIN_QUOTE_WORDS = 3
_PAIRS = (
    r"\u201c(?P<a>[^\u201c\u201d\n]+)\u201d",
    r"(?<![\w\"])\"(?P<b>[^\"\n]+)\"",
    r"``(?P<c>[^`\n]+?)''",
    r"\u00ab(?P<d>[^\u00ab\u00bb\n]+)\u00bb",
    r"(?<!\w)\u2018(?P<e>[^\u2018\n]+?)\u2019(?!\w)",
    r"(?<![\w'])'(?P<f>[^'\n]+?(?:\w'\w[^'\n]*?)*)'(?![\w'])",
)
_QUOTE = re.compile("|".join(_PAIRS))
_SPEECH_VERB = re.compile(
    r"\b(?:said|says|say|added|adds|told|tells|explained|stated|asked|warned|wrote|writes|noted|insisted|"
    r"declared|claimed|continued|recalled|replied|stressed|argued|acknowledged|announced|remarked|"
    r"emphasized|emphasised|urged|observed|commented|complained|admitted|conceded|predicted|promised|vowed|"
    r"confirmed|cautioned|testified|"
    r"according to|as saying|quoted)\b"
)
_PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
_SENTENCE_OPENS = re.compile(r"(?:[.!?][\"\u201d]?|\n)\s*$")
_ROLE_HEADS = (
    "chief|leader|president|secretary|spokesman|spokeswoman|spokesperson|minister|official|envoy|premier|"
    "director|chairman|chairwoman|head|ambassador|governor|mayor|prosecutor|commander|coach|general|senator"
)
_ROLE = re.compile(r"\b[Tt]he (?P<role>(?:[A-Z][\w.-]*\s+){0,3}(?:(?:" + _ROLE_HEADS + r")\b))")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\u201c\"])")
_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*)*")
_ENDS_CLAUSE = re.compile(r"[,.!?\u2026]\s*$")
_CONJUNCTION = re.compile(r"\b(?:and|but|or|while|because|if|when)\b")
_WINDOW = 120
_CLAUSE_STOP = re.compile(r"\n|[.!?](?=\s)")
_OWN_ATTRIBUTION = 40
_MAX_GAP_WORDS = 8
_TITLE_CONTEXT = 40
_SUBJECT_WORDS = 6
_NAMED_SHARE = 0.6
_UNNAMED_SHARE = 0.8
_UNNAMED_SHARED_WORDS = 6
_OBJECT_GAP_WORDS = 2
_POSSESSIVE = re.compile(r"['\u2019]s|\w?s['\u2019](?!\w)|\w?\w ?['\u2019]s\b")
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|dr|sen|rep|gov|gen|lt|sgt|capt) ")


@dataclass(frozen=True)
class _Found:
    """A quotation: ``outer`` includes the quote marks, ``parts`` are the words inside them."""

    outer: tuple[int, int]
    parts: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.outer[0]

    @property
    def end(self) -> int:
        return self.outer[1]


def quote_marks(text: str) -> list[_Found]:
    """Every pair of quote marks around at least three words, in text order."""
    found = []
    for match in _QUOTE.finditer(text):
        inner = match.span(match.lastgroup or 0)
        if len(text[inner[0] : inner[1]].split()) >= MIN_QUOTE_WORDS:
            found.append(_Found(match.span(), (inner,)))
    return found


def _joined(text: str, found: list[_Found]) -> Iterator[_Found]:
    """Join quotes separated only by a short attribution ('..., he said, ...') into one,
    unless the second quote carries its own attribution after it."""
    current: _Found | None = None
    for quote in found:
        own = _is_attribution(text[quote.end : quote.end + _OWN_ATTRIBUTION].split(".")[0])
        if current and not own and _is_attribution(text[current.end : quote.start]):
            current = _Found((current.start, quote.end), current.parts + quote.parts)
            continue
        if current:
            yield current
        current = quote
    if current:
        yield current


def _is_attribution(gap: str) -> bool:
    """', he said, ' and ' Sanders added. ' join two quotes; ' she said. Lopez added: ' does
    not, since the second sentence attributes the next quote anew."""
    second_sentence = re.split(r"[.!?]\s", gap, maxsplit=1)[1:]
    if second_sentence and _SPEECH_VERB.search(second_sentence[0]):
        return False
    return "\n" not in gap and len(gap.split()) <= _MAX_GAP_WORDS and bool(_SPEECH_VERB.search(gap))


@dataclass(frozen=True)
class _Person:
    start: int
    end: int
    name: str


class _Speakers:
    """Resolve attributions to person names within one article of a story.

    People are the article's PERSON mentions plus capitalised words that spell a person
    the story names elsewhere, since the model misses some bare surnames. A name the story
    never gives in full ("Palin" where it also names "Sarah Palin" and "Sarah Heath Palin",
    "Weitz" for both Chris and Paul Weitz, "JPI" or "Chechen" mistaken for people) speaks
    for no one: on real newswire every such speaker was wrong.
    """

    def __init__(self, article: ParsedArticle, names: dict[str, str]) -> None:
        self.text = article.article.text
        persons = [m for m in article.entities if m.label == "PERSON"]
        mentions = [m for m in persons if not self._possessive(m.text, m.end)]
        local = _local_surnames(mentions)
        self._lead = len(self.text) - len(self.text.lstrip())
        people = [_Person(m.start, m.end, _spelled(entity_key(m.name), local, names, m.name)) for m in mentions]
        starts = [m.start for m in persons]
        for match in _CAPITALISED.finditer(self.text):
            key = _HONORIFIC.sub("", entity_key(entity_name(match.group(0))))
            known = key in names or key in local
            if known and not self._possessive(match.group(0), match.end()) and not _overlaps(match, persons, starts):
                people.append(_Person(match.start(), match.end(), _spelled(key, local, names, key)))
        self.people = sorted((p for p in people if " " in p.name), key=lambda p: p.start)
        self.nameless = sorted(p.start for p in people if " " not in p.name and self._opens_sentence(p.start))
        self.last: tuple[int, str] | None = None
        self.pronouns: dict[str, str] = {}

    def _opens_sentence(self, start: int) -> bool:
        """A bare name opening a sentence is its subject, whom a later 'he' most likely means."""
        return start <= self._lead or bool(_SENTENCE_OPENS.search(self.text[max(0, start - 4) : start]))

    def _possessive(self, mention: str, end: int) -> bool:
        """'Reid's rep told Us', 'Lucas' associates': the person owns the speaker, and is not it."""
        return bool(_POSSESSIVE.match(mention[-2:] + self.text[end : end + 3]))

    def speaker(self, found: _Found) -> str | None:
        """The quote's speaker; remembered, since a later '..., he said' mostly continues it."""
        speaker = self._speaker(found)
        if speaker:
            rest = _CLAUSE_STOP.search(self.text, found.end)
            self.last = (rest.end() if rest else found.end, speaker)
        return speaker

    def _speaker(self, found: _Found) -> str | None:
        for first, second in zip(found.parts, found.parts[1:], strict=False):
            speaker = self._after(first[1], second[0])
            if speaker:
                return speaker
        closed = _ENDS_CLAUSE.search(self.text, max(0, found.parts[-1][1] - _WINDOW), found.parts[-1][1])
        after = self._after(*self._after_window(found)) if closed else None
        return after or self._before(*self._before_window(found.start)) or self._continued(found)

    def _continued(self, found: _Found) -> str | None:
        """A quote with no attribution of its own, right after the last attributed one
        (the next line or sentence), goes on with that speaker: '"...," said Garcia.
        "These people have always been on the fringes."'."""
        line_end = self.text.find("\n", found.end)
        closes_paragraph = not self.text[found.end : line_end if line_end >= 0 else len(self.text)].strip()
        right_after = self.last and self.last[0] <= found.start and not self.text[self.last[0] : found.start].strip()
        return self.last[1] if self.last and right_after and closes_paragraph else None

    def _after_window(self, found: _Found) -> tuple[int, int]:
        end = found.end
        rest = self.text[end : end + _WINDOW]
        stops = (_SENTENCE_END.search(rest), re.search(r"[\n\u201c\"]", rest))
        return end, end + min((m.start() + 1 for m in stops if m), default=len(rest))

    def _before_window(self, start: int) -> tuple[int, int]:
        begin = max(0, start - _WINDOW * 2)
        before = self.text[begin:start]
        boundaries = [m.end() for m in _SENTENCE_END.finditer(before)] + [before.rfind("\n") + 1]
        return begin + max(boundaries), start

    def _after(self, start: int, end: int) -> str | None:
        """'..., Sanders added', '..., said Sanders', '..., he said', 'quoted X as saying'.

        A person before the verb is its subject; with none, a pronoun or role there is;
        only with neither does the verb's object ('said Sanders') speak.
        """
        window = self.text[start:end]
        verb = _SPEECH_VERB.search(window)
        if not verb:
            return None
        subject = [p for p in self.people if start <= p.start and p.end <= start + verb.start()]
        if subject and len(self.text[start : subject[0].start].split()) <= 1:
            return subject[0].name  # '..., Valentina Redzhepova, an official at a precinct, told AFP.'
        if len(window[: verb.start()].split()) > _SUBJECT_WORDS or _CONJUNCTION.search(window[: verb.start()]):
            return None
        if subject:
            return subject[-1].name
        resolved = self._pronoun_or_role(start, window[: verb.start()])
        if resolved or _PRONOUN.search(window[: verb.start()]):
            return resolved
        objects = [p for p in self.people if start + verb.end() <= p.start and p.end <= end]
        if objects and len(self.text[start + verb.end() : objects[0].start].split()) <= _OBJECT_GAP_WORDS:
            return objects[0].name
        return None

    def _before(self, start: int, end: int) -> str | None:
        """'Guterres said that "...', 'he said North Korea would pursue "...'."""
        window = self.text[start:end]
        verbs = list(_SPEECH_VERB.finditer(window))
        if not verbs:
            return None
        verb_at = start + verbs[-1].start()
        subject = [p for p in self.people if start <= p.start and p.end <= verb_at]
        if subject:
            return subject[-1].name
        return self._pronoun_or_role(start, window[: verbs[-1].start()])

    def _pronoun_or_role(self, start: int, head: str) -> str | None:
        role = list(_ROLE.finditer(head))
        pronoun = list(_PRONOUN.finditer(head))
        if role and (not pronoun or role[-1].start() > pronoun[-1].start()):
            return self._by_role(role[-1].group("role"), start + role[-1].start())
        if pronoun:
            at, word = start + pronoun[-1].start(), pronoun[-1].group(0).lower()
            before = [(p.start, p.name) for p in self.people if p.end <= at]
            if self.last and not any(self.last[0] <= p.start < at for p in self.people):
                before.append(self.last)
            if not before or any(before[-1][0] <= n < at for n in self.nameless):
                return None  # 'Kim expressed frustration. ... he said': he is that bare, ambiguous 'Kim'
            named = before[-1][1]
            if self.pronouns.get(named, word) != word:
                return None  # 'she wrote' earlier for the person 'he wrote' would now point to
            self.pronouns[named] = word
            return named
        return None

    def _by_role(self, role: str, position: int) -> str | None:
        """The last person named earlier right after a title that shares a word with the role."""
        words = set(role.split())
        for person in reversed([p for p in self.people if p.end <= position]):
            title = self.text[max(0, person.start - _TITLE_CONTEXT) : person.start]
            if words & set(re.findall(r"[\w.-]+", title)):
                return person.name
        return None


def _overlaps(match: re.Match[str], mentions: Sequence[EntityMention], starts: Sequence[int]) -> bool:
    """Whether the match overlaps a mention; ``mentions`` are a doc's entities (in order, never
    overlapping) and ``starts`` their starts, so only the last one starting before the match's
    end can reach it."""
    before = bisect_left(starts, match.end())
    return before > 0 and match.start() < mentions[before - 1].end


def _local_surnames(mentions: Sequence[EntityMention]) -> dict[str, str]:
    """Surname -> the one full name that ends with it in this article: a story may hold
    'Boris Yeltsin' and 'Boris N. Yeltsin', but one article names its Yeltsin once."""
    full: defaultdict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        words = entity_key(mention.name).split()
        if len(words) > 1:
            full[words[-1]].add(" ".join(words))
    return {surname: next(iter(keys)) for surname, keys in full.items() if len(keys) == 1}


def _spelled(key: str, local: dict[str, str], names: dict[str, str], default: str) -> str:
    """The story's spelling of a person, the article's own full name first for a surname."""
    return names.get(local.get(key, key), names.get(key, default))


def person_names(articles: Sequence[ParsedArticle]) -> dict[str, str]:
    """Person key -> its fullest spelling; a surname maps to the one full name that ends with it."""
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for mention in article.entities:
            if mention.label == "PERSON":
                spellings[entity_key(mention.name)][mention.name] += 1
    names = {key: min(counts, key=lambda s: (-len(s.split()), -counts[s], s)) for key, counts in spellings.items()}
    for surname, full in full_person_names(articles).items():
        names[surname] = names[full]
    return names


def article_quotes(article: ParsedArticle, names: dict[str, str]) -> tuple[Quote, ...]:
    """Every quotation of at least three words in the article, with its speaker or None."""
    text = article.article.text
    speakers = _Speakers(article, names)
    quotes = []
    for found in _joined(text, quote_marks(text)):
        parts = tuple(Span(article.id, text[s:e], s, e) for s, e in found.parts)
        start, end = found.outer
        quote_id = "q" + hashlib.sha256(f"{article.id}\0{start}\0{end}".encode()).hexdigest()[:12]
        words = " ".join(part.text for part in parts)
        quotes.append(Quote(quote_id, speakers.speaker(found), words, article.id, start, end, parts))
    return tuple(quotes)


def same_quotation(a: Quote, b: Quote) -> bool:
    """Two quotes are one quotation when most words of the shorter one recur in the longer
    one in the same order; the same speaker's different statements share only scattered words.

    Quotes of two named speakers never are, nor two unnamed ones (titles, slogans). Where
    one outlet leaves the speaker out, far more must recur (most words, six at least).
    """
    if (a.speaker != b.speaker and a.speaker and b.speaker) or not (a.speaker or b.speaker):
        return False
    unnamed = a.speaker is None or b.speaker is None
    (first, first_counts), (second, second_counts) = _quote_words(a.text), _quote_words(b.text)
    least, share = (_UNNAMED_SHARED_WORDS, _UNNAMED_SHARE) if unnamed else (MIN_QUOTE_WORDS, _NAMED_SHARE)
    needed = max(least, share * min(len(first), len(second)))
    if (first_counts & second_counts).total() < needed:
        return False  # the matching blocks cannot share more words than the two have in common
    blocks = SequenceMatcher(a=first, b=second, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks if block.size >= 2) >= needed


@lru_cache(maxsize=4096)
def _quote_words(text: str) -> tuple[tuple[str, ...], Counter[str]]:
    """Normalised words of a quote and their counts; a story compares each quote with many."""
    words = tuple(normalized_words(text))
    return words, Counter(words)


def story_quotes(articles: Sequence[ParsedArticle], names: dict[str, str]) -> tuple[Quote, ...]:
    """Quotes of all articles, each linked to the first earlier quote of the same quotation.

    ``names`` is the story's ``person_names``; speakers are spelled as given there.
    """
    linked: list[Quote] = []
    for article in articles:
        for quote in article_quotes(article, names):
            original = next((q for q in linked if q.variant_of is None and same_quotation(q, quote)), None)
            linked.append(replace(quote, variant_of=original.id) if original else quote)
    position = {quote.id: number for number, quote in enumerate(linked)}
    return tuple(sorted(linked, key=lambda q: (q.speaker is None, q.speaker or "", position[q.id])))
