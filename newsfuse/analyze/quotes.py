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
from importlib import resources

from newsfuse.analyze.entities import entity_key, full_person_names
from newsfuse.analyze.wording import normalized_words
from newsfuse.nlp.parse import entity_name
from newsfuse.records import EntityMention, ParsedArticle, Quote, Span, SpeakerKind

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
_ANY_OPENING = re.compile(r"[\u201c\"\u00ab\u2018]|``|(?<![\w'])'")
"""A mark that every pair of ``_PAIRS`` and every ``_UNCLOSED`` quote opens with: without one, a text
(most sentences) has no quotation, and the full search is skipped."""
_SPEECH_VERBS = (
    "said|says|say|added|adds|told|tells|explained|explains|stated|asked|asks|warned|warns|wrote|writes|"
    "noted|notes|insisted|insists|declared|declares|claimed|continued|continues|recalled|recalls|replied|"
    "replies|stressed|stresses|argued|argues|acknowledged|acknowledges|announced|announces|remarked|"
    "emphasized|emphasizes|emphasised|emphasises|urged|urges|observed|observes|commented|complained|"
    "complains|admitted|admits|conceded|concedes|predicted|predicts|promised|vowed|vows|confirmed|"
    "confirms|cautioned|cautions|testified|testifies|concluded|concludes|echoed|tweeted|tweets|posted|"
    "responded|responds|answered|joked|jokes|quipped|quips|shouted|shouts|yelled|mused|muses|"
    "countered|boasted|boasts|lamented|laments|suggested|suggests|reported|wondered|wonders|"
    "recounted|recounts|saying|telling|gushed|advises|advised|told reporters|pointed out|points out|went on|"
    "goes on|chimed in|shot back|fired back|put it|reiterated|reiterates|chanted|chant|chants|demanded|demands|"
    "agreed|agrees|emailed|emails|texted|surmised|"
    "interjected|affirmed|affirms|retorted|asserted|asserts|contended|contends|maintained|maintains|"
    "[Aa]ccording to|as saying|quoted|Said"
)
_SPEECH_VERB = re.compile(r"\b(?:" + _SPEECH_VERBS + r")\b")
_PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
_HONORIFIC_WORDS = (
    "Mr|Mrs|Ms|Miss|Dr|Del|Sen|Senator|Rep|Gov|Governor|Gen|Lt|Sgt|Capt|Col|Maj|Adm|Rev|Reverend|Prof|Pres|President|"
    "Amb|Judge|Justice|Sheriff|Mayor|Chairman|Chairwoman|Secretary|Speaker|Pastor|Father|Sister|Rabbi"
)
_LEADING_HONORIFICS = re.compile(r"^(?:(?:the\s+)?(?:" + _HONORIFIC_WORDS + r")\b\.?\s+)+", re.IGNORECASE)
_ABBREVIATIONS: tuple[str, ...] = (
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sen",
    "Rep",
    "Gov",
    "Gen",
    "Lt",
    "Sgt",
    "Capt",
    "Col",
    "Maj",
    "Adm",
)
_ABBREVIATIONS += (
    "Rev",
    "Prof",
    "Del",
    "Pres",
    "Amb",
    "St",
    "Mt",
    "Ft",
    "No",
    "Jan",
    "Feb",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
)
_NOT_AN_ABBREVIATION = "".join(rf"(?<!\b{word}\.)" for word in _ABBREVIATIONS) + r"(?<!\b[A-Z]\.)"
_SENTENCE_END = re.compile(r"(?:[!?]|\." + _NOT_AN_ABBREVIATION + r")(?=[\"\u201d\u2019']?\s+[A-Z\u201c\"])")
_CLAUSE_END = re.compile(
    r"[,;:\"\u201c\u201d\n]|\b(?:after|before|when|while|because|as|since|although|though|if|until|where|that|"
    r"which|who|whom|whose)\b|" + _SENTENCE_END.pattern
)
"""Where a pronoun's own clause ends: punctuation, a quote mark, a clause word or the sentence's end."""
_MASCULINE = {"he", "him", "his", "himself"}
_FEMININE = {"she", "her", "hers", "herself"}
_OPENING_PRONOUN = re.compile(r"(?<=[.!?] )(He|She)\b")
_GENDER_PRONOUN = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_GENDERED_TITLE = re.compile(r"\b(?:(?P<he>Mr|Sir|Father|Lord)|(?P<she>Mrs|Ms|Miss|Madam|Sister|Lady))\.?\s*$")
_KIN = re.compile(
    r"\b(?:(?P<he>husband|son|father|brother|grandfather|grandson|nephew|uncle)|"
    r"(?P<she>wife|daughter|mother|sister|grandmother|granddaughter|niece|aunt)),?\s+$"
)
"""A kinship noun set before a name marks its gender: 'her husband, Milton Berg', 'his wife Heidi'."""
_ROLE_HEADS = (
    "chief|leader|president|secretary|spokesman|spokeswoman|spokesperson|spokespeople|minister|official|envoy|"
    "premier|director|chairman|chairwoman|head|ambassador|governor|mayor|prosecutor|commander|coach|general|senator|"
    "aide|adviser|advisor|strategist|analyst|expert|lawyer|attorney|source|officer|representative|congressman|"
    "congresswoman|lawmaker|candidate|nominee|voter|resident|supporter|critic|economist|researcher|professor|"
    "pollster|consultant|operative|manager|executive|staffer|insider|activist|organizer|organiser|witness|"
    "worker|employee|member|delegate|donor|veteran|protester|observer|diplomat|officer|police|investigator|"
    "campaign|administration|committee|agency|department|ministry|government|court|council|"
    "host|anchor|narrator|commenter|columnist|editor|reporter|writer|author|speaker|man|woman|student|teacher|"
    "owner|founder|fan|Republican|Democrat|"
    "board|newspaper|company|firm|union|party|group|organization|organisation|foundation|association|network|"
    "magazine|coalition|caucus|commission|office|team|website"
)
_ADVERBS = (
    "also|then|later|since|once|even|never|first|again|subsequently|previously|repeatedly|publicly|recently|"
    "immediately|broadly|initially|quickly|reportedly|openly|flatly|sharply|strongly"
)
_SET_OFF = re.compile(r",\s+who\b|,[^,;:\"\u201c\u201d]{3,120},")
"""What may stand between a name and its verb: a relative 'who' ('Ivanka Trump, who portrayed him
as ...') or a phrase between commas ('Ted Nordhaus, co-founder of the Breakthrough Institute,')."""
_ACTS = re.compile(r"\s+(?:ha[sd]\s+)?(?:(?:" + _ADVERBS + r")\s+){0,2}[a-z]+ed\b")
"""A verb in the past tense after its subject: 'attacked', 'has also broadly called', 'subsequently defended'."""
_OPENING_SUBJECT = re.compile(r"(?:[^,;]*,\s+)?(?P<pronoun>[Hh]e|[Ss]he)\s+(?:also\s+|then\s+)?[a-z]+(?:ed|s)\b")
_CLAUSE_PRONOUN = re.compile(r",\s+(?P<pronoun>he|she)\b")
"""A pronoun opening a clause after the names: the clause's subject, whom the names only precede."""
_COORDINATED = re.compile(r"(?:,\s*|\s)(?:but|and)\s+(?:also\s+|then\s+)?$")
"""A verb coordinated with one before it ('..., but admitted'): it has no subject of its own."""
_SENTENCE_PRONOUN = re.compile(r"[\s\"\u201c]*(?P<pronoun>He|She)\b")
"""'He' or 'She' opening a sentence or clause."""
_CLAUSE_BEFORE = re.compile(
    r"\b(?i:as|when|while|after|before|if|because|since|although|though|following|which|who|whom|that)\b"
)
"""A word that opens a clause before a name, whose verb is then not the sentence's."""
_TITLE = re.compile(
    r"\W*[A-Z][\w'\u2019-]*(?:[\s:,-]+(?:[A-Z0-9][\w'\u2019-]*|of|the|a|an|and|or|on|in|for|to|at|by|with))*\W*"
)
"""Quoted words that are all capitalised but for small words: the title of a work or a name."""
_WORD_START = re.compile(r"(?<=\s)\S")
_ROLE = re.compile(
    r"(?:\b(?:[Aa]n?|[Tt]he|[Oo]ne|[Aa]nother|[Tt]wo|[Ss]ome|[Mm]any|[Ss]everal|[Hh]is|[Hh]er|[Tt]heir)\s+)?"
    r"\b(?P<role>(?:(?!(?:[Aa]nd|[Oo]r|[Aa]s|of|to|for|in|on|at|by|with|from)\s)[\w\u2019'.-]+\s+){0,3}?"
    r"(?:" + _ROLE_HEADS + r")s?)\b"
)
_ROLE_NOUN = re.compile(r"\s+(?:" + _ROLE_HEADS + r")s?\b")
_OWNS_A_ROLE = re.compile(r"(?:['\u2019]s?)?\s+(?:[\w-]+\s+){0,2}?(?:" + _ROLE_HEADS + r")s?\b")
_ROLE_AT_END = re.compile(_ROLE.pattern + r"(?=[\s,\u2019'\"\u201d]*$)")
_UNCLOSED = re.compile(
    r"(?:\u201c(?:[^\u201c\u201d\"\n]|\"[^\"\u201c\u201d\n]*\")+|(?<![\w\"])\"(?:[^\"\u201c\u201d\n]|\u201c[^\u201c\u201d\n]*\u201d)+)(?=\n|$)"
)
"""A quote mark opened and not closed before its paragraph ends, by any mark ('a \u201cgood
corporate citizen," who ...' is closed); a quote inside it is closed in it."""
_ROLE_OF = re.compile(r"\s*" + _ROLE.pattern + r"\s+(?:for|of|to|at|with)\s+(?:the\s+)?")
_STRAIGHT_ATTRIBUTION = re.compile(r"(?<=[,.?!])\"(?P<gap>[^\"\u201c\u201d\n]{1,200}?)\"(?=\s*\w)")
_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019.-]*(?:(?<![a-z]{2}\.)[^\S\n]+[A-Z][\w'\u2019.-]*)*")
"""A run of capitalised words that does not cross a sentence's end ('... White House. Simmons'),
though it runs on after an initial or a title ('Donald J. Trump', 'Mr. Trump')."""
_VOX_POP = re.compile(r"^\s*[\u2015\u2014\u2013-]{1,2}\s*(?P<name>[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,3})")
_QUOTE_ENDS = re.compile(r"[,?!][\u201c\u201d\"']\s*$")
_ENDS_CLAUSE = re.compile(r"[,.!?\u2026][\u2019'\"\u201d]?\s*$")
_CONJUNCTION = re.compile(r"\b(?:and|but|or|while|because|if|when)\b")
_WINDOW = 120
_OWN_ATTRIBUTION = 40
_MAX_GAP_WORDS = 8
_TITLE_CONTEXT = 40
_SUBJECT_WORDS = 6
_NAMED_SHARE = 0.6
_UNNAMED_SHARE = 0.8
_UNNAMED_SHARED_WORDS = 6
_OBJECT_GAP_WORDS = 2
_AS_SAYING = re.compile(r"\bas saying\b")
_OBJECT_PRONOUN = re.compile(r"\s*(?P<pronoun>him|her)\s*")
_SUBJECT_OF = {"him": "he", "her": "she"}
_POSSESSIVE = re.compile(r"['\u2019]s|\w?s['\u2019](?!\w)|\w?\w ?['\u2019]s\b")
_ORGANISATION_LABELS = ("ORG",)
_NOT_A_MODIFIER = re.compile(r"[,;:()\u2014\u2013\"\u201c\u201d]|\b(?:and|or|who|with|to|of|for|at|said|says)\b")
_MARKS = " ,\u201d\"'\u2019\n"
_ADDRESSEE_VERBS = frozenset(("told", "tells", "telling", "asked", "asks", "told reporters"))
_NAME = r"(?P<name>[A-Z][a-z][\w'\u2019-]*(?:\s+(?:[A-Z]\.|[A-Z][a-z][\w'\u2019-]*)){0,2})"
_NAME_COLON = re.compile(r"(?:^|[-\u2013\u2014]\s*)" + _NAME + r":\s*$")
_SIGNATURE = re.compile(r"[ \t]*\n\s*[-\u2015\u2014\u2013]\s*" + _NAME + r"\.?[ \t]*(?:\n|$)")
_CONTINUES = frozenset(",?!")
_NAME_VERB = re.compile(r"[\s\u201d\"'\u2019]*" + _NAME + r"\s+(?P<verb>[a-z]+(?:ed|s))\b")
_VERB_NAME = re.compile(r"[\s\u201d\"'\u2019]*(?P<verb>[a-z]+ed)\s+" + _NAME + r"(?=\s*[,.;])")
_NOT_SPEECH = frozenset(("is", "was", "has", "does", "its", "his", "hers", "as", "us", "this", "thus", "plus"))
_BARE_SUBJECT = re.compile(r"[\s,\u201d\"'\u2019]*" + _NAME + r"\s*")
_BARE_OBJECT = re.compile(r"\s+" + _NAME + r"(?=\s*(?:[,.;]|$))")
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "You",
        "His",
        "Her",
        "Their",
        "Its",
        "Our",
        "Then",
        "Another",
        "One",
        "Some",
        "Many",
        "Others",
        "But",
        "And",
        "Or",
        "So",
        "Yet",
        "Still",
        "Later",
        "Earlier",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Though",
        "Although",
        "When",
        "While",
        "After",
        "Before",
        "If",
        "As",
        "Since",
        "Because",
        "Asked",
        "Meanwhile",
        "Also",
        "Even",
        "Now",
    ]
)
_TITLE_BETWEEN = re.compile(
    r"(?:['\u2019]s?)?\s+(?:(?:former|top|senior|deputy|longtime|acting|press|communications|national|political|"
    r"[A-Z][\w.-]*)\s+){0,2}?(?:" + _ROLE_HEADS + r")\s+"
)
_APPOSITION = re.compile(r",\s+(?:an?|the|who|whose|one|former|[0-9]+)\b")
_CLOSES_APPOSITION = re.compile(r",\s*(?:[a-z]+ly\s+)?$")
_AND_BEFORE = re.compile(r"\band\s+$")
_SPOKEN_AFTER = re.compile(r"(?:,[^,.\n]{1,80},)?\s+(?:also\s+|later\s+)?" + _SPEECH_VERB.pattern)
_SPOKEN_BEFORE = re.compile(r"[,\u201d\"]\s*(?P<verb>" + _SPEECH_VERBS + r")\s+(?:[A-Z][\w.'\u2019-]*\s+){0,3}$")
_PLATFORMS = frozenset(("Twitter", "Facebook", "Instagram", "YouTube", "Snapchat", "Reddit", "TikTok", "LinkedIn"))
"""Where things are said ('blamed officials on Twitter'), which the tagger sometimes takes for a person."""
_NAME_SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv"))
_DETERMINER = re.compile(r"(?:[Aa]n?|[Tt]he|[Oo]ne|[Aa]nother|[Tt]wo|[Ss]ome|[Ss]everal|[Hh]is|[Hh]er|[Tt]heir)\s")


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
    if not _ANY_OPENING.search(text):
        return []
    return [f for f in _quotations(text) if len(text[f.parts[0][0] : f.parts[-1][1]].split()) >= MIN_QUOTE_WORDS]


def _quotations(text: str) -> Iterator[_Found]:
    """Every pair of quote marks, however short, in text order; a quote that runs over
    paragraphs is one (see ``_over_paragraphs``)."""
    marked = [
        _Found(match.span(), _mixed_marks_parts(text, match.span(match.lastgroup or 0)))
        for match in _QUOTE.finditer(text)
    ]
    return _over_paragraphs(text, marked)


def _over_paragraphs(text: str, marked: list[_Found]) -> Iterator[_Found]:
    """A quote that runs over paragraphs leaves each paragraph but the last unclosed and opens
    the next with a mark again ('said Clinton. \u201cI happen to think ...\\n\\n\u201cI think
    groups that want to talk ...\u201d'): the paragraphs are parts of one quote. An unclosed mark
    with no paragraph opened by the same mark after it is no quote."""
    unclosed = [
        _Found((match.start(), match.end()), ((match.start() + 1, match.start() + len(match.group(0).rstrip())),))
        for match in _UNCLOSED.finditer(text)
        if match.group(0)[0] == "\u201c" or text.count('"', text.rfind("\n", 0, match.start()) + 1, match.end()) % 2
        if not any(found.start < match.start() < found.end for found in marked)  # a mark inside a quote
    ]
    runs_on = {found.parts[0] for found in unclosed}
    pending: _Found | None = None
    inside: list[_Found] = []  # quotes inside the pending one: its own if it goes on, else quotes
    for found in sorted(marked + unclosed, key=lambda found: found.start):
        if pending and found.start < pending.end:
            inside.append(found)
            continue
        gap = text[pending.end : found.start] if pending else ""
        if pending and not gap.strip() and "\n" in gap and text[found.start] == text[pending.parts[-1][0] - 1]:
            found = _Found((pending.start, found.end), pending.parts + found.parts)
        else:
            yield from inside
        pending, inside = None, []
        if found.parts[-1] in runs_on:
            pending = found
        else:
            yield found
    yield from inside


def _mixed_marks_parts(text: str, inner: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """The parts of a quote whose outlet mixed its marks around an attribution: '\u201cI heard
    parts of Bernie's speech," Trump said. "He wants to give away our country.\u201d' is one
    quote in two parts, not one quote with its attribution inside. A speech verb between the
    straight marks makes it an attribution, however long ('," said Atlantic City Mayor Don
    Guardian in a telephone interview. "'): the marks already say where the quote pauses."""
    split = _STRAIGHT_ATTRIBUTION.search(text, *inner)
    if split is None or not _SPEECH_VERB.search(split["gap"]):
        return (inner,)
    return ((inner[0], split.start()), (split.end(), inner[1]))


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


@dataclass(frozen=True)
class Who:
    """A quote's speaker: its name, kind (person, organisation, role) and the span naming it."""

    name: str
    kind: SpeakerKind
    start: int
    end: int


_INSTITUTIONS = frozenset(
    [
        "campaign",
        "administration",
        "committee",
        "agency",
        "department",
        "ministry",
        "government",
        "court",
        "council",
        "police",
        "campaigns",
        "committees",
        "departments",
        "governments",
        "board",
        "newspaper",
        "company",
        "firm",
        "union",
        "party",
        "group",
        "organization",
        "organisation",
        "foundation",
        "association",
        "network",
        "magazine",
        "coalition",
        "caucus",
        "commission",
        "office",
        "team",
        "website",
        "boards",
        "unions",
        "groups",
        "organizations",
        "organisations",
    ]
)


class _Speakers:
    """Resolve attributions to speakers within one article of a story.

    People are the article's PERSON mentions plus capitalised words that spell a person
    the story names elsewhere, since the model misses some bare surnames. A person is
    spelled as its own article spells it at its fullest ("Mr. Sharpton" -> "Al Sharpton"
    where the article names Al Sharpton; "Kasich" where it never gives the first name), so
    a speaker is always named in the quote's own article. A short name that two full names
    of the article share ("Kim" for Kim Jong Un and Kim Yong Chol) speaks for no one.
    Organisations (an ORG mention) and roles ("a spokesman", "officials") speak as such
    when no person is named.
    """

    def __init__(self, article: ParsedArticle, names: dict[str, str]) -> None:
        self.text = article.article.text
        # each part with its marks; an attribution between mixed marks is not quoted
        self.quoted = [(start - 1, end + 1) for found in _quotations(self.text) for start, end in found.parts]
        # a full name the tagger gives PERSON somewhere in the article is a person everywhere in it
        full_names = {m.name for m in article.entities if m.label == "PERSON" and " " in m.name}
        tagged_otherwise = {
            m for m in article.entities if m.label != "PERSON" and (_named_like_a_person(m) or m.name in full_names)
        }
        persons = [
            m for m in article.entities if (m.label == "PERSON" and m.name not in _PLATFORMS) or m in tagged_otherwise
        ]
        mentions = [m for m in persons if not self._possessive(m.text, m.end)]
        spelling, short = _local_names(mentions)
        people: list[_Person] = []
        self.ambiguous: list[int] = []
        for mention in mentions:
            name = _article_spelling(mention.name, spelling, short)
            if name is None:
                self.ambiguous.append(mention.start)
            elif name:
                people.append(_Person(mention.start, mention.end, name))
        self.owners = [
            _Person(m.start, m.end, name)
            for m in persons
            if self._possessive(m.text, m.end)
            and not _OWNS_A_ROLE.match(self.text, m.end)
            and not self._inside_quote(m.start)
            for name in [_article_spelling(m.name, spelling, short)]
            if name
        ]
        """People named as owners of something that is not a role ('Barack Obama's speech')."""
        starts = [m.start for m in persons]
        for match in map(_without_opening_word, _CAPITALISED.finditer(self.text)):
            bare = _LEADING_HONORIFICS.sub("", entity_name(match.group(0)))
            key = entity_key(bare)
            known = (key in names or key in short or key in spelling) and bare.rstrip(".") not in _PLATFORMS
            if known and not self._possessive(match.group(0), match.end()) and not _overlaps(match, persons, starts):
                name = _local_spelling(key, spelling, short, bare)
                if name:
                    people.append(_Person(match.start(), match.end(), name))
        self.people = sorted((p for p in people if not self._inside_quote(p.start)), key=lambda p: p.start)
        self.organisations = [
            m
            for m in article.entities
            if m.label in _ORGANISATION_LABELS and m not in tagged_otherwise and not self._inside_quote(m.start)
        ]
        self.places = [m for m in article.entities if m.label != "PERSON" and m not in tagged_otherwise]
        self.gender = self._genders()
        self.last: tuple[int, Who] | None = None
        self.pronouns: dict[str, str] = {}

    def _inside_quote(self, position: int) -> bool:
        return any(start < position < end for start, end in self.quoted)

    def _possessive(self, mention: str, end: int) -> bool:
        """'Reid's rep told Us', 'Lucas' associates': the person owns the speaker, and is not it."""
        return bool(_POSSESSIVE.match(mention[-2:] + self.text[end : end + 3]))

    def _genders(self) -> dict[str, str]:
        """'he' or 'she' for a person: 'Mr.'/'Mrs.' before a mention; else what the article marks
        unanimously: the first personal pronoun after a mention that opens its sentence's
        people ('Lindsey Graham called out his rival'; not 'Sanders apologized to Hillary
        Clinton for his campaign', where "his" is the subject's), with no other person between,
        and a sentence opened by 'He' or 'She' after one naming that person alone; else a given
        name that marks one ('Hillary', 'Walter')."""
        titled: dict[str, str] = {}
        votes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for number, person in enumerate(self.people):
            title = _GENDERED_TITLE.search(self.text[max(0, person.start - 8) : person.start]) or _KIN.search(
                self.text, max(0, person.start - 16), person.start
            )
            if title:
                titled.setdefault(person.name, "he" if title.group("he") else "she")
            following = self.people[number + 1].start if number + 1 < len(self.people) else len(self.text)
            if number and not self._opens_sentence_people(self.people[number - 1].end, person.start):
                continue
            stop = _SENTENCE_END.search(self.text, person.end, person.end + _WINDOW)
            limit = min(following, stop.start() if stop else len(self.text), person.end + _WINDOW)
            for pronoun in _GENDER_PRONOUN.finditer(self.text, person.end, limit):
                if not self._inside_quote(pronoun.start()):
                    votes[person.name]["he" if pronoun.group(0).lower() in _MASCULINE else "she"] += 1
                    break
        for opening in _OPENING_PRONOUN.finditer(self.text):
            # 'Carson defied the question. He said ...': a sentence opened by 'He' or 'She'
            # continues the one person the sentence before it names
            begin, at = max(0, opening.start() - _WINDOW * 2), opening.start()
            ends = [m.end() for m in _SENTENCE_END.finditer(self.text, begin, at + 1) if m.end() <= at]
            if len(ends) >= 2 or (ends and self.text.rfind("\n", 0, opening.start()) < ends[-1]):
                begin = ends[-2] if len(ends) >= 2 else max(0, opening.start() - _WINDOW * 2)
                named = {p.name for p in self.people if begin <= p.start < ends[-1]}
                if len(named) == 1 and not self._inside_quote(opening.start()):
                    votes[named.pop()][opening.group(1).lower()] += 1
        given = {p.name: word for p in self.people if (word := _given_name_pronoun(p.name))}
        marked = {name: count.most_common(1)[0][0] for name, count in votes.items() if len(set(count)) == 1}
        return given | marked | titled

    def _opens_sentence_people(self, previous_end: int, start: int) -> bool:
        """Whether no person named before ``start`` (the last ending at ``previous_end``) shares its sentence."""
        end = _SENTENCE_END.search(self.text, previous_end, start + 2)  # it looks ahead at the name
        return "\n" in self.text[previous_end:start] or (end is not None and end.start() < start)

    def speaker(self, found: _Found) -> Who | None:
        """The quote's speaker; remembered, since a later '..., he said' mostly continues it."""
        speaker = self._speaker(found)
        if speaker:
            stop = _SENTENCE_END.search(self.text, found.end)  # not at 'Lindsey O. Graham' or 'Mrs.'
            line = self.text.find("\n", found.end)
            ends = [end for end in (stop.end() if stop else -1, line) if end >= 0]
            self.last = (min(ends) if ends else found.end, speaker)
        return speaker

    def _speaker(self, found: _Found) -> Who | None:
        for first, second in zip(found.parts, found.parts[1:], strict=False):
            speaker = self._after(first[1], second[0])
            if speaker:
                return speaker
        closed = _ENDS_CLAUSE.search(self.text, max(0, found.parts[-1][1] - _WINDOW), found.parts[-1][1])
        after = self._after(*self._after_window(found)) if closed else None
        return (
            after
            or self._signed(found)
            or self._continued(found)
            or self._before(*self._before_window(found.start))
            or self._introduced(found.start)
            or self._after_short_quote(found)
            or self._quoted_by_subject(found)
        )

    def _continued(self, found: _Found) -> Who | None:
        """A quote with no attribution of its own, right after the last attributed one
        (the next line or sentence), goes on with that speaker: '"...," said Garcia.
        "These people have always been on the fringes."'. In the same paragraph it need not
        close the paragraph: a new speaker takes a new paragraph. It comes before reading the
        sentence before the quote, which is then the attribution itself, where a speech verb of
        a clause would hand the quote on ('said Rep. Beto O'Rourke, a Clinton endorser who
        suggested that Sanders ...')."""
        line_end = self.text.find("\n", found.end)
        closes_paragraph = not self.text[found.end : line_end if line_end >= 0 else len(self.text)].strip()
        right_after = self.last and self.last[0] <= found.start and not self.text[self.last[0] : found.start].strip()
        same_paragraph = self.last and "\n" not in self.text[self.last[0] : found.start]
        return self.last[1] if self.last and right_after and (closes_paragraph or same_paragraph) else None

    def _after_short_quote(self, found: _Found) -> Who | None:
        """A quote opening the sentence right after one that attributes a quote too short to
        count ('"Not me," said Tucker McClendon, 21, shaking his head. "I don't want to be
        associated with it."'): the same speaker goes on."""
        before = [(s, e) for s, e in self.quoted if e <= found.start and "\n" not in self.text[e : found.start]]
        if not before or len(self.text[before[-1][0] : before[-1][1]].split()) >= MIN_QUOTE_WORDS:
            return None
        end = before[-1][1]
        stops = [m.end() for m in _SENTENCE_END.finditer(self.text, end, found.start + 1)]
        if len(stops) != 1 or self.text[stops[0] : found.start].strip():
            return None  # the attribution is the one sentence between the two quotes
        return self._after(end, stops[0])

    def _quoted_by_subject(self, found: _Found) -> Who | None:
        """Words quoted inside a sentence with no speech verb are its subject's, when the subject
        is the sentence's first person and acts in the past tense: 'Trump attacked "the hateful
        ideology of radical Islam"', 'Kukura placed a sign that read, "..."', also past a phrase
        between commas or a relative 'who' (``_SET_OFF``). A last resort: the
        quote is more often a phrase the subject used than a label, and a title ('Weitz directed
        "The Golden Compass"') is left out."""
        start = found.start
        if len(found.parts) == 1 and _TITLE.fullmatch(self.text, *found.parts[0]):
            return None
        begin, _ = self._before_window(start)
        sentence = self.text[begin:start]
        opens_sentence = not sentence.strip() or sentence.rstrip()[-1] in ".!?"
        if opens_sentence or "\n" in sentence or any(begin < e <= start for _, e in self.quoted):
            return None  # a quote opening its sentence (the window is then the one before), or after another
        opener = _SENTENCE_PRONOUN.match(self.text, begin, start)  # 'He pledged to be "the greatest ..."'
        if opener and _ACTS.match(self.text, opener.end()):
            return self._pronoun(opener.start("pronoun"), opener.group("pronoun").lower())
        named = [p for p in self.people if begin <= p.start and p.end <= start]
        if not named:
            return None
        set_off = _SET_OFF.match(self.text, named[0].end, start)
        if not _ACTS.match(self.text, set_off.end() if set_off else named[0].end):
            return None
        # 'a 2005 video in which Trump bragged ...' is a clause's subject; '..., which is set to
        # host the contest Tuesday, Bush referred to' is the sentence's
        lead = sentence[: named[0].start - begin]
        clause = lead[max(lead.rfind(","), lead.rfind(":"), lead.rfind(";")) + 1 :]
        return None if _CLAUSE_BEFORE.search(clause) else self._person(named[0])

    def _signed(self, found: _Found) -> Who | None:
        """A quote whose paragraph it closes, followed by a line that only names someone after
        a dash ('"..."\n\n- Sanders.'), the way fact checks and vox pops sign a quote."""
        line = _SIGNATURE.match(self.text, found.end)
        if not line:
            return None
        at = line.start("name")
        named = [p for p in self.people if p.start == at]
        return self._person(named[0]) if named else self._unlisted(at, line.end("name"))

    def _introduced(self, start: int) -> Who | None:
        """A quote opening a paragraph after one that ends in a colon ('Dr. Ward stated:',
        'He said:') is introduced by that sentence."""
        before = self.text[:start].rstrip()
        if not before.endswith(":") or "\n" not in self.text[len(before) : start]:
            return None
        line_start = before.rfind("\n") + 1
        sentences = [m.end() for m in _SENTENCE_END.finditer(before, line_start)]
        return self._before(max([line_start, *sentences]), len(before))

    def _after_window(self, found: _Found) -> tuple[int, int]:
        end = found.end
        rest = self.text[end : end + _WINDOW]
        stops = (_SENTENCE_END.search(rest), re.search(r"[\n\u201c\"]", rest))
        return end, end + min((m.start() + 1 for m in stops if m), default=len(rest))

    def _before_window(self, start: int) -> tuple[int, int]:
        """The words before a quote back to the last sentence end seen before it. A sentence
        end right before the quote is not seen (it is known by the mark after it, beyond the
        window), so a quote that opens a sentence reads the sentence before, which is how
        outlets introduce one: 'Flynn said Trump was "absolutely right." "..."' (reading the
        quote's own sentence only cost 12 speakers for 3 on polnear-dev)."""
        begin = max(0, start - _WINDOW * 2)
        if begin and not self.text[begin - 1].isspace():  # a long sentence's window starts at a word
            word = _WORD_START.search(self.text, begin, start)
            begin = word.start() if word else start
        before = self.text[begin:start]
        boundaries = [m.end() for m in _SENTENCE_END.finditer(before)] + [before.rfind("\n") + 1]
        return begin + max(boundaries), start

    def _person(self, person: _Person) -> Who:
        return Who(person.name, "person", person.start, person.end)

    def _after(self, start: int, end: int) -> Who | None:
        """'..., Sanders added', '..., said Sanders', '..., he said', 'quoted X as saying',
        '... ― Steve Quinlan'.

        A person before the verb is its subject; with none, a pronoun, role or organisation
        there is; only with neither does the verb's object ('said Sanders') speak.
        """
        window = self.text[start:end]
        vox_pop = _VOX_POP.match(window)
        if vox_pop:
            at = start + vox_pop.start("name")
            named = [p for p in self.people if p.start == at]
            name = named[0].name if named else entity_name(vox_pop.group("name"))
            return Who(name, "person", at, start + vox_pop.end("name"))
        verb = _SPEECH_VERB.search(window)
        if not verb:
            return self._other_verb(start, end)
        if verb.group(0) == "quoted":
            return self._quoted_as_saying(start + verb.end(), end)
        subject = [p for p in self.people if start <= p.start and p.end <= start + verb.start()]
        lead = self.text[start : subject[0].start] if subject else ""
        titled = (_word_count(lead) <= 4 or bool(_ROLE_AT_END.search(lead))) and "," not in lead.lstrip(" ,\u201d\"'")
        if subject and (_word_count(lead) <= 1 or titled):
            # '..., Valentina Redzhepova, an official at a precinct, told AFP.', '..., GOP pollster Bill Jones said'
            return self._person(self._head(subject))
        if _word_count(window[: verb.start()]) > _SUBJECT_WORDS or _CONJUNCTION.search(window[: verb.start()]):
            return None
        if subject:
            return self._person(subject[-1])
        head = window[: verb.start()]
        if _PRONOUN.search(head) or _ROLE.search(head) or self._organisation(start, start + verb.start()):
            return self._pronoun_or_role(start, head)
        # 'told Us', 'asked Trump': the object is spoken to, but not in '"Why?" asked Dunn', where
        # the verb opens the attribution right at the quote
        addressed = verb.group(0) in _ADDRESSEE_VERBS and not (
            verb.group(0) in ("asked", "asks") and not head.strip(_MARKS)
        )
        found = None if addressed else self._object(start + verb.end(), end)
        bare = _BARE_SUBJECT.fullmatch(head) or (None if addressed else _BARE_OBJECT.match(window, verb.end()))
        if found or not bare:
            return found
        return self._unlisted(start + bare.start("name"), start + bare.end("name"))

    def _quoted_as_saying(self, start: int, end: int) -> Who | None:
        """'..., CNN quoted Press Secretary Sarah Sanders as saying': the one quoted speaks, not
        the one quoting, whether that is an outlet, a person or 'the agency'."""
        saying = _AS_SAYING.search(self.text, start, end)
        if not saying:
            return None
        pronoun = _OBJECT_PRONOUN.fullmatch(self.text, start, saying.start())
        if pronoun:  # 'the agency quoted him as saying'
            return self._pronoun(pronoun.start("pronoun"), _SUBJECT_OF[pronoun.group("pronoun")])
        return self._object(start, saying.start())

    def _other_verb(self, start: int, end: int) -> Who | None:
        """A quote whose words end in a comma, '?' or '!' goes on into its attribution, whatever
        the verb: '"...," Blige sings to Clinton', '"...?" Beck questioned', '"...," remembered
        Roy Verley'. The name must stand right at the quote, next to a verb in -s or -ed."""
        if self.text[start - 1 : start] not in _CONTINUES and self.text[start - 2 : start - 1] not in _CONTINUES:
            return None
        inverted = _VERB_NAME.match(self.text, start, end)
        named = inverted or _NAME_VERB.match(self.text, start, end)
        if not named or named.group("verb") in _NOT_SPEECH:
            return None
        at, until = named.span("name")
        person = [p for p in self.people if p.start == at]
        return self._person(self._head(person)) if person else self._unlisted(at, until)

    def _unlisted(self, start: int, end: int) -> Who | None:
        """A capitalised name right at the verb that the tagger did not list ('..., said
        Sexton.'), unless the tagger took it for an organisation or a place."""
        name = self.text[start:end]
        first = name.split()[0]
        if (
            first in _NOT_NAMES
            or first.rstrip(".") in _PLATFORMS
            or any(e.start < end and start < e.end for e in self.places)
        ):
            return None
        return Who(name, "person", start, end)

    def _object(self, start: int, end: int) -> Who | None:
        """The speaker after the verb: 'said Rep. Jerry Nadler', 'said Clinton's aide Jake
        Sullivan', 'according to the White House', 'said a spokesman for the campaign'."""
        gap = self.text[start:end]
        objects = [p for p in self.people if start <= p.start and p.end <= end]
        if objects and _ROLE_OF.fullmatch(self.text, start, objects[0].start):
            # 'said a spokeswoman for Trump hotels, Jennifer Rodstrom': the first name is the role's
            # complement; a name set after it by a comma is the one who speaks, else the role does
            first = objects[0]
            apposed = [p for p in objects[1:] if re.fullmatch(r"[^,;:]*,\s*", self.text[first.end : p.start])]
            if apposed:
                return self._person(apposed[0])
            objects = []
        if objects:
            first = objects[0]
            lead = self.text[start : first.start]
            head = self._head(objects)
            modifier = _ROLE_NOUN.match(self.text, head.end)  # 'wrote a Trump supporter': a role
            if not modifier and (
                _word_count(lead) <= _OBJECT_GAP_WORDS
                or (_word_count(lead) <= _SUBJECT_WORDS and not re.search(r"[,;:]|(?<![\w-])[a-z]+ed\b|\bwho\b", lead))
            ):
                return self._person(head)
        organisation = self._organisation(start, end)
        if (
            organisation
            and _word_count(self.text[start : organisation.start]) <= _OBJECT_GAP_WORDS
            and not _ROLE_NOUN.match(self.text, organisation.end)
        ):
            return organisation
        role = _ROLE.match(gap.lstrip())
        if role and (_DETERMINER.match(role.group(0)) or " " not in role.group(0)):
            at = start + len(gap) - len(gap.lstrip()) + role.start()
            return self._role(role, at)
        return None

    def _head(self, named: list[_Person]) -> _Person:
        """Of people named in a row, the one the noun phrase is about: 'Clinton spokesman Josh
        Schwerin', 'Trump lawyer Marc Kasowitz', 'former Obama adviser David Axelrod' (the
        last); behind a comma or 'and' the first ('Ari Fleischer, press secretary to George W.
        Bush')."""
        head = named[0]
        for person in named[1:]:
            if _NOT_A_MODIFIER.search(self.text[head.end : person.start]):
                break
            head = person
        return head

    def _organisation(self, start: int, end: int) -> Who | None:
        found = [m for m in self.organisations if start <= m.start and m.end <= end]
        return Who(found[-1].name, "organisation", found[-1].start, found[-1].end) if found else None

    def _before(self, start: int, end: int) -> Who | None:
        """'Guterres said that "...', 'he said North Korea would pursue "...'."""
        window = self.text[start:end]
        colon = _NAME_COLON.search(window)
        if colon:  # 'Pollsters agree - Carl Bialik: "One of the biggest lessons ..."'
            at = start + colon.start("name")
            named = [p for p in self.people if p.start == at]
            return self._person(named[0]) if named else self._unlisted(at, start + colon.end("name"))
        verbs = list(_SPEECH_VERB.finditer(window))
        if not verbs and window.rstrip(" \u201c\"'\n").endswith(":"):
            # a colon hands the quote to its clause's subject: 'Kasich resisted:', 'Donald Trump
            # issued the following statement:'
            named = [p for p in self.people if start <= p.start and p.end <= end]
            if named:
                return self._person(self._head(named))
            bare = _NAME_VERB.match(self.text, start, end)  # 'Kasich resisted:', the tagger missing Kasich
            if bare and bare.group("verb") not in _NOT_SPEECH:
                return self._unlisted(*bare.span("name"))
            opener = _OPENING_SUBJECT.match(window)  # 'He sighed:', 'But back on American soil, he returned to ...:'
            return self._pronoun(start + opener.start("pronoun"), opener.group("pronoun").lower()) if opener else None
        if not verbs:
            return None
        quoting = [verb for verb in verbs if verb.group(0) == "quoted"]
        if quoting and verbs[-1].group(0) == "as saying":  # 'Reuters quoted a spokesman as saying "...'
            return self._quoted_as_saying(start + quoting[-1].end(), end)
        lead = window[: verbs[0].start()]
        if not lead.strip(" \u201c\"'") or (_QUOTE_ENDS.search(lead) and verbs[0].group(0) not in _ADDRESSEE_VERBS):
            # 'Said Dorothy Poynter, who grew up with Ali, "...', and '"The risk," said Edward
            # Leamer, an economist who is the director of the forecast, "is that ...': the verb
            # opens the attribution (and 'telling reporters' names whom it is told)
            return self._object(start + verbs[0].end(), end)
        verb_at = start + verbs[-1].start()
        subject = [p for p in self.people if start <= p.start and p.end <= verb_at]
        opening = self._clause_opening(subject, start, verb_at)
        if opening:
            return opening
        if subject:
            return self._person(self._clause_subject(subject, verbs[-1], start))
        head = window[: verbs[-1].start()]
        participle = verbs[-1].group(0) in ("saying", "telling") and head.endswith(", ")
        found = self._clause_opener(start, head) if participle else self._pronoun_or_role(start, head)
        if verbs[-1].group(0).lower().startswith(("according", "quoted", "as saying")):
            return found or self._object(start + verbs[-1].end(), end)
        bare = _BARE_SUBJECT.fullmatch(window, 0, verbs[-1].start())  # 'Hannity added, "...', the tagger missing him
        return found or (self._unlisted(start + bare.start("name"), start + bare.end("name")) if bare else None)

    def _clause_opening(self, named: list[_Person], start: int, verb_at: int) -> Who | None:
        """The subject that opens the speech verb's clause, when the names before the verb do not:
        a pronoun after them ('When I asked Bernie Sanders if he would endorse Hillary Clinton, he
        looked ... and said'), or, for a verb coordinated with one before it, the pronoun or first
        person opening that clause ('She was defending the group against attacks from Donald
        Trump, but admitted "...', 'Bush thought for a moment and said')."""
        opener = _CLAUSE_PRONOUN.search(self.text, named[-1].end, verb_at) if named else None
        coordinated = None if opener else _COORDINATED.search(self.text, start, verb_at)
        if coordinated:
            clause = max(start, self.text.rfind(",", start, coordinated.start()) + 1)
            opener = _SENTENCE_PRONOUN.match(self.text, clause, verb_at)
            in_clause = [p for p in named if clause <= p.start < coordinated.start()]
            if not opener and in_clause:
                return self._person(in_clause[0])
        if opener and not self._inside_quote(opener.start("pronoun")):
            return self._pronoun(opener.start("pronoun"), opener.group("pronoun").lower())
        return None

    def _clause_subject(self, named: list[_Person], verb: re.Match[str], start: int) -> _Person:
        """Of the people named before a speech verb, the one speaking: the nearest to the verb
        ('After meeting Trump, Ryan said:'), unless the first is the clause's subject, which the
        others only describe or follow: an apposition ('John Weaver, a GOP strategist who has
        feuded with Manafort, wrote:'), a participle ('Albright urged women to vote for Hillary
        Clinton, saying'), a second verb of the same subject ('De Blasio said the move was made by
        Bill Bratton and said,')."""
        first, verb_at = named[0], start + verb.start()
        closed = _CLOSES_APPOSITION.search(self.text, first.end, verb_at)
        if (_APPOSITION.match(self.text, first.end) and closed) or (
            verb.group(0) in ("saying", "telling") and self.text[verb_at - 2 : verb_at] == ", "
        ):
            return first
        earlier = _SPEECH_VERB.search(self.text, first.end, verb_at)
        if earlier and _AND_BEFORE.search(self.text, earlier.end(), verb_at):
            return [p for p in named if p.end <= earlier.start()][-1]
        return named[-1]

    def _clause_opener(self, start: int, head: str) -> Who | None:
        """Before ', saying' the clause's subject speaks, the first pronoun or role in it, not the
        object nearest the verb: 'She addressed Muslim-Americans in an email to supporters, saying'."""
        pronoun = next((m for m in _PRONOUN.finditer(head) if not self._inside_quote(start + m.start())), None)
        role = next((m for m in _ROLE.finditer(head) if not self._inside_quote(start + m.start())), None)
        if pronoun and (not role or pronoun.start() <= role.start()):
            return self._pronoun(start + pronoun.start(), pronoun.group(0).lower())
        return self._role(role, start + role.start()) if role else self._pronoun_or_role(start, head)

    def _pronoun_or_role(self, start: int, head: str) -> Who | None:
        closing = _ROLE_AT_END.search(head)
        role = [closing] if closing and not self._inside_quote(start + closing.start()) else []
        pronoun = [m for m in _PRONOUN.finditer(head) if not self._inside_quote(start + m.start())]
        organisation = self._organisation(start, start + len(head))
        if pronoun and (not role or role[-1].start() < pronoun[-1].start()):
            return self._pronoun(start + pronoun[-1].start(), pronoun[-1].group(0).lower())
        if organisation and (not role or organisation.start >= start + role[-1].end()):
            return organisation
        if role:
            return self._role(role[-1], start + role[-1].start())
        return None

    def _pronoun(self, at: int, word: str) -> Who | None:
        """The person a 'he' or 'she' most likely means: the subject of the last attribution
        if nobody who agrees with the pronoun was named since, else, in the nearest earlier
        sentence that names one who agrees, the one it has speak ('..., Kunin said in an
        interview.'), or its first person, the subject, as the head of its noun phrase
        ('Clinton spokeswoman Jennifer Palmieri criticized ...' is Palmieri)."""

        later = self._named_later_in_clause(at)

        def agrees(name: str) -> bool:
            return self.gender.get(name, word) == word and self.pronouns.get(name, word) == word and name not in later

        candidates = [
            p for p in self.people if p.end <= at and agrees(p.name) and not _ROLE_NOUN.match(self.text, p.end)
        ]
        last = self.last
        if (
            last
            and last[1].kind == "person"
            and agrees(last[1].name)
            and not any(last[0] <= p.start for p in candidates)
        ):
            return self._remember(last[1], word)
        if not candidates:
            return self._owner(at, word)
        nearest = candidates[-1]
        begin = max(0, nearest.start - _WINDOW * 2)
        stops = [m.end() for m in _SENTENCE_END.finditer(self.text, begin, nearest.end) if m.end() <= nearest.start]
        sentence_start = max([self.text.rfind("\n", 0, nearest.start) + 1, *stops])
        in_sentence = [p for p in candidates if p.start >= sentence_start]
        speaking = [p for p in in_sentence if self._speaks(p)]
        same = [
            m.start()
            for m in re.finditer(rf"\b{word}\b", self.text[sentence_start : in_sentence[0].start], re.IGNORECASE)
            if not self._inside_quote(sentence_start + m.start())
        ]
        if same and not speaking:
            # '... whether he'll vote for Clinton or Sen. Bernie Sanders. "...," he said': the
            # sentence goes on about someone named before it, and its names are not its subject
            return self._pronoun(sentence_start + same[0], word)
        acting = [p for p in in_sentence if _ACTS.match(self.text, p.end)]  # the sentence's subject, past tense
        chosen = self._titled_head(speaking[0] if speaking else (acting or in_sentence)[0], candidates)
        if any(chosen.start < n < at for n in self.ambiguous):
            return None  # 'Kim expressed frustration. ... he said': he is that ambiguous 'Kim'
        return self._remember(self._person(chosen), word)

    def _named_later_in_clause(self, at: int) -> set[str]:
        """The people a pronoun at ``at`` cannot be: those its own clause names after it (``_CLAUSE_END``).
        A subject pronoun and a name in its own clause are two people ('she emailed her daughter
        Chelsea Clinton', '..., he said of Trump.'); across a clause word journalism does not keep
        to that ('..., he said after the prosecutor read the facts to which Lazar admitted')."""
        end = _CLAUSE_END.search(self.text, at)
        stop = end.start() if end else len(self.text)
        return {p.name for p in self.people if at < p.start and p.end <= stop}

    def _owner(self, at: int, word: str) -> Who | None:
        """With no one who agrees named before a 'he' or 'she', the owner of something named
        before it, when the owner's gender is known to agree: 'President Barack Obama's speech
        ... He told his audience:'. A role's owner is never one ('Reid's rep told Us')."""
        owners = [
            p for p in self.owners if p.end <= at and self.gender.get(p.name, _given_name_pronoun(p.name)) == word
        ]
        return self._remember(self._person(owners[-1]), word) if owners else None

    def _titled_head(self, person: _Person, candidates: list[_Person]) -> _Person:
        """The person whose title a name modifies, if a candidate: 'Clinton' in 'Clinton
        spokeswoman Jennifer Palmieri', 'Obama' in 'former Obama adviser David Axelrod'; else
        the person itself."""
        following = [p for p in candidates if p.start >= person.end]
        title = _TITLE_BETWEEN.fullmatch(self.text, person.end, following[0].start) if following else None
        return self._titled_head(following[0], candidates) if title else person

    def _speaks(self, person: _Person) -> bool:
        """Whether a speech verb has the person speak: 'Kunin said', 'Viguerie, a direct-mail
        pioneer, argues', '..., said Mayor Ted Terry'; not 'told Terry', nor the object of a
        clause's own verb ('Clinton said Republican Donald Trump poses ...')."""
        if _SPOKEN_AFTER.match(self.text, person.end):
            return True
        verb = _SPOKEN_BEFORE.search(self.text, max(0, person.start - _TITLE_CONTEXT), person.start)
        return verb is not None and verb.group("verb") not in _ADDRESSEE_VERBS

    def _remember(self, who: Who, word: str) -> Who:
        self.pronouns[who.name] = word
        return who

    def _role(self, role: re.Match[str], position: int) -> Who:
        """The person the article introduced with a title that shares a word with the role
        ('the UN chief' after 'UN Secretary-General Antonio Guterres'), else the role itself,
        to its last head word ('one party activist', not 'one party'). An institution ('the
        team', 'the company') speaks for itself, not for a person with it in their title."""
        end = position + len(role.group(0))
        while following := _ROLE_NOUN.match(self.text, end):
            end = following.end()
        text = self.text[position:end]
        institution = text.split()[-1].lower() in _INSTITUTIONS
        words = set(self.text[position + role.start("role") - role.start() : end].split())
        titled = [] if institution else [p for p in self.people if p.end <= position]
        for person in reversed(titled):
            title = self.text[max(0, person.start - _TITLE_CONTEXT) : person.start]
            if words & set(re.findall(r"[\w.-]+", title)) and text[:1].lower() == "t":
                return self._person(person)
        kind: SpeakerKind = "organisation" if institution else "role"
        return Who(" ".join(text.split()), kind, position, end)


def _named_like_a_person(mention: EntityMention) -> bool:
    """An organisation the tagger made of a person: a given name and one or two capitalised
    words ('Carly Fiorina', which the small model tags ORG), none of them an institution's."""
    words = mention.name.split()
    return (
        mention.label in _ORGANISATION_LABELS
        and 2 <= len(words) <= 3
        and words[0] in given_name_pronouns()
        and all(word[:1].isupper() and word.isalpha() and word.lower() not in _INSTITUTIONS for word in words)
    )


def _without_opening_word(match: re.Match[str]) -> re.Match[str]:
    """A capitalised run without a sentence's opening word ('Though Trump' is 'Trump')."""
    first = match.group(0).split()[0]
    if first not in _NOT_NAMES or " " not in match.group(0):
        return match
    return _CAPITALISED.match(match.string, match.start() + len(first) + 1) or match


@lru_cache(maxsize=1)
def given_name_pronouns() -> dict[str, str]:
    """Given names that mark a gender ('Walter': 'he'), from the table shipped with newsfuse
    (analyze/data/README.md says where its names come from)."""
    table = resources.files(__package__).joinpath("data", "given_names.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and not line.startswith("#"))
    return {row[0]: row[1] for row in rows}


def _given_name_pronoun(name: str) -> str | None:
    return given_name_pronouns().get(name.split()[0])


def _article_spelling(name: str, spelling: dict[str, str], short: dict[str, set[str]]) -> str | None:
    """A PERSON mention's name as its article spells the person at its fullest, honorifics aside."""
    bare = _LEADING_HONORIFICS.sub("", name)
    return _local_spelling(entity_key(bare), spelling, short, bare)


def _word_count(text: str) -> int:
    """Words, not quotation marks or dashes: '" White House press secretary' is four."""
    return sum(1 for word in text.split() if any(c.isalnum() for c in word))


def _overlaps(match: re.Match[str], mentions: Sequence[EntityMention], starts: Sequence[int]) -> bool:
    """Whether the match overlaps a mention; ``mentions`` are a doc's entities (in order, never
    overlapping) and ``starts`` their starts, so only the last one starting before the match's
    end can reach it."""
    before = bisect_left(starts, match.end())
    return before > 0 and match.start() < mentions[before - 1].end


def _local_names(mentions: Sequence[EntityMention]) -> tuple[dict[str, str], dict[str, set[str]]]:
    """The article's fullest spelling of each full name (by key), and each word of a full
    name -> the people holding it ('sharpton' -> {'al sharpton'}). Full names with the same
    first and last word ('Donald Trump', 'Donald J. Trump') are one person, spelled the
    longest way; 'Jr.', 'III' are not last words."""
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for mention in sorted(mentions, key=lambda m: m.start):
        name = _LEADING_HONORIFICS.sub("", mention.name)
        if " " in entity_key(name):
            spellings[_person_key(name)][name] += 1
    spelling = {key: min(counts, key=lambda s: (-len(s.split()), -counts[s], s)) for key, counts in spellings.items()}
    short: defaultdict[str, set[str]] = defaultdict(set)
    for key in spelling:
        words = key.split()
        for word in (words[0], words[-1]):
            short[word].add(key)
    for word, keys in short.items():
        # a surname two people share is the one the article names most in full, the first
        # introduced on a tie ('Clinton' in a story on Hillary Clinton that quotes Bill
        # Clinton); a shared first name ('Kim') stays ambiguous
        ordered = [key for key in spellings if key in keys]  # spellings keep the order of first mention
        main = max(ordered, key=lambda key: spellings[key].total())  # the first of the most named
        if len(keys) > 1 and all(key.split()[-1] == word for key in keys):
            short[word] = {main}
    return spelling, dict(short)


def _person_key(name: str) -> str:
    """'donald trump' for 'Donald J. Trump', 'Donald Trump Jr.' stays apart from his father."""
    words = entity_key(name).split()
    suffix = [words.pop()] if len(words) > 2 and words[-1] in _NAME_SUFFIXES else []
    return " ".join([words[0], *words[-1:], *suffix]) if len(words) > 1 else " ".join(words + suffix)


def _local_spelling(key: str, spelling: dict[str, str], short: dict[str, set[str]], default: str) -> str | None:
    """How the article names the person ``key``: its full name, the one full name a short
    form belongs to, or the short form itself; None for a short form of two full names."""
    if " " in key:
        return spelling.get(_person_key(key), default)
    full = short.get(key, set())
    if len(full) > 1:
        return None
    if full:
        return spelling[next(iter(full))]
    return default


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
        who = speakers.speaker(found)
        evidence = Span(article.id, text[who.start : who.end], who.start, who.end) if who else None
        quotes.append(
            Quote(
                quote_id,
                who.name if who else None,
                words,
                article.id,
                start,
                end,
                parts,
                speaker_kind=who.kind if who else "unknown",
                speaker_evidence=evidence,
            )
        )
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
    if _shared_words(first_counts, second_counts) < needed:
        return False  # the matching blocks cannot share more words than the two have in common
    blocks = SequenceMatcher(a=first, b=second, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks if block.size >= 2) >= needed


def _shared_words(first: Counter[str], second: Counter[str]) -> int:
    """``(first & second).total()`` without building the intersection: a story compares each quote with many."""
    small, large = (first, second) if len(first) <= len(second) else (second, first)
    return sum(min(count, large[word]) for word, count in small.items() if word in large)


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
