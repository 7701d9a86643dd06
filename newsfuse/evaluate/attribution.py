"""Quote speakers and dates against public gold: ``newsfuse eval quotes`` and ``eval dates``.

Quotes (PolNeAR-style JSONL: articles with a ``quotes`` list of attributions, each with
``kind``, ``start``/``end``, ``speaker``, ``speaker_start``/``speaker_end`` and
``speaker_resolved``):

- A system quote and a gold attribution match when their spans overlap by at least half
  of the shorter one. Precision counts system quotes matching a gold ``direct`` quote over
  all system quotes, except those that match only a ``partial`` or ``indirect`` one (quoted
  words inside a paraphrase, which the gold does not count as a direct quote); recall counts
  gold direct quotes matched by a system quote.
- A gold speaker is a named person when it has a ``speaker_resolved`` name or its span
  holds a PERSON mention of the parse. The system speaker is right when both names agree
  on their first and last words (suffixes such as "Jr." dropped), or when one of them is
  a single word that the other holds ("Trump" and "Donald Trump").
- A speaker is "not named in its article" when neither it nor its surname occurs in the
  text of the quote's own article.

Articles share person names as a story's articles do: those published on the same day
form one group (``person_names`` over the group), as a campaign's daily coverage would.

Dates (TempEval-style JSONL: ``published`` and ``timexes`` with ``type``, ``value``):

- Resolvable gold: DATE expressions whose value is a calendar point: a year, month, day,
  ISO week, quarter or season (``1998``, ``1998-08``, ``1998-08-07``, ``1998-W32``,
  ``1998-Q3``, ``1998-SU``). ``PRESENT_REF``-like values, values with an unspecified part
  (``X``) and decades are not.
- Recall: resolvable gold DATEs overlapped by a system expression with a date. Precision:
  system expressions with a date that overlap a resolvable gold DATE, over those plus the
  ones that overlap no gold expression at all; system dates on other gold expressions
  (durations, sets, TIMEs, vague references) are counted apart, as neither.
- Normalised: of the recalled gold DATEs, those whose system value (in TimeML form) equals
  the gold value.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from newsfuse.analyze.quotes import article_quotes, person_names
from newsfuse.analyze.timeline import time_expressions
from newsfuse.nlp.cache import parse_cached
from newsfuse.records import Article, ParsedArticle, Quote

Record = Mapping[str, Any]
Spot = tuple[int, int, str | None]
"""A system date: start, end and its TimeML value (None when unresolved)."""
_OVERLAP = 0.5
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_PRONOUNS = {"he", "she", "him", "her", "his", "i", "me", "my", "who", "whom", "whose"}
_RESOLVABLE = re.compile(r"^\d{4}(?:-\d\d(?:-\d\d)?|-W\d\d(?:-WE)?|-Q[1-4]|-(?:SP|SU|FA|WI))?$")


def read_gold(path: Path) -> list[tuple[Article, Record]]:
    """Each line's article (the engine's shape) and the line itself, for its gold labels."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        article = Article(
            id=record["id"],
            title=record.get("title") or "",
            text=record["text"],
            source=record.get("source"),
            published=record.get("published"),
        )
        rows.append((article, record))
    return rows


def half(article_id: str) -> int:
    """0 or 1, a stable split of a dev file in two by a hash of the id (for fit/score checks)."""
    return int(hashlib.sha256(article_id.encode("utf-8")).hexdigest(), 16) % 2


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= _OVERLAP * min(a[1] - a[0], b[1] - b[0])


def _name_words(name: str) -> list[str]:
    words = [w.strip(".,'\u2019").casefold() for w in name.split()]
    words = [w.removesuffix("'s").removesuffix("\u2019s") for w in words if w]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return words


def same_person(system: str, gold: str) -> bool:
    """Two full names agree on their first and last words ('Hillary Clinton' is not 'Bill
    Clinton'), or one is the other's last words ('Angela Davis', 'Michaela Angela Davis'); a
    one-word name is one of the other's words ('Dong' in 'Dong Xiaolin')."""
    a, b = _name_words(system), _name_words(gold)
    if not a or not b:
        return False
    if len(a) == 1 or len(b) == 1:
        return a[-1] in b or b[-1] in a
    shorter, longer = sorted((a, b), key=len)
    # 'Angela Davis' is 'Michaela Angela Davis' with the first name the tagger cut off
    return (a[0] == b[0] and a[-1] == b[-1]) or longer[-len(shorter) :] == shorter


# --- quotes --------------------------------------------------------------------------------


@dataclass
class QuoteScores:
    system: int = 0
    system_direct: int = 0
    system_other_kind: int = 0
    gold_direct: int = 0
    gold_found: int = 0
    named: int = 0
    named_right: int = 0
    named_given: int = 0
    pronoun_named: int = 0
    pronoun_right: int = 0
    matched_null: int = 0
    not_in_article: int = 0
    not_verbatim: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    examples: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def lines(self) -> Iterator[str]:
        precision = self.system_direct / max(1, self.system - self.system_other_kind)
        recall = self.gold_found / max(1, self.gold_direct)
        yield (
            f"quotes found: precision {precision:.3f} ({self.system_direct}/{self.system - self.system_other_kind}) "
            f"recall {recall:.3f} ({self.gold_found}/{self.gold_direct}); "
            f"{self.system_other_kind} system quotes on partial/indirect gold, not counted"
        )
        yield (
            f"speaker right, gold named person: {self.named_right / max(1, self.named):.3f} "
            f"({self.named_right}/{self.named})"
        )
        yield (
            f"speaker right when one is given: {self.named_right / max(1, self.named_given):.3f} "
            f"({self.named_right}/{self.named_given})"
        )
        yield (
            f"pronoun attributions right (silver names): {self.pronoun_right / max(1, self.pronoun_named):.3f} "
            f"({self.pronoun_right}/{self.pronoun_named})"
        )
        yield (
            f"null speakers: {self.matched_null / max(1, self.gold_found):.3f} of matched direct quotes "
            f"({self.matched_null}/{self.gold_found})"
        )
        yield f"speakers not named in their own article: {self.not_in_article}"
        yield f"speakers not spelled as in their own article (e.g. a full name from another one): {self.not_verbatim}"
        if self.kinds:
            yield "speaker kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(self.kinds.items()))


def _named_person(gold: Record, parsed: ParsedArticle) -> str | None:
    """The full name of a gold source that is a person: resolved, or a PERSON in its span."""
    if gold.get("speaker_resolved"):
        return str(gold["speaker_resolved"])
    if gold.get("speaker_start") is None:
        return None
    start, end = gold["speaker_start"], gold["speaker_end"]
    persons = sorted(
        (m for m in parsed.entities if m.label == "PERSON" and m.start < end and start < m.end), key=lambda m: m.start
    )
    if not persons or gold["speaker"].split()[0].casefold() in _PRONOUNS:
        return None
    text = parsed.article.text
    for mention, following in pairwise(persons):
        # the head of the source's noun phrase: 'Phil Bryant, a former backer of Sen. Ted Cruz'
        # is Bryant; a name that runs into the next one ('Clinton aide Huma Abedin') or owns
        # it ("Clinton's campaign chairman, John Podesta") modifies it
        between = text[mention.end : following.start]
        if re.search(r"[,(]", between) and not re.match(r"['\u2019]s?\b", between):
            return mention.name
    return persons[-1].name


def _speaker_form(gold: Record) -> str:
    speaker = (gold.get("speaker") or "").strip()
    words = speaker.split()
    if not words:
        return "none"
    if words[0].casefold() in _PRONOUNS:
        return "pronoun"
    names = [w for w in words if w[:1].isupper() and w.rstrip(".").casefold() not in ("mr", "mrs", "ms", "dr")]
    return "short name" if len(names) <= 1 else "full name"


def _place(gold: Record, text: str) -> str:
    """Where the gold source stands: in the quote's sentence or another one, before or after."""
    if gold.get("speaker_start") is None:
        return "nowhere"
    s, e = gold["speaker_start"], gold["speaker_end"]
    if gold["start"] <= s and e <= gold["end"]:
        return "between parts"
    if e <= gold["start"]:
        between, side = text[e : gold["start"]], "before"
    else:
        between, side = text[gold["end"] : s], "after"
    other = bool(re.search(r"[.!?][\"\u201d\u2019']?\s+\S|\n", between.strip()))
    return f"{side}, {'another sentence' if other else 'same sentence'}"


def named_in(speaker: str, text: str) -> bool:
    """A speaker is named in a text when it, or its surname, occurs there as words."""
    if speaker in text:
        return True
    last = speaker.split()[-1] if speaker.split() else ""
    return bool(last) and re.search(r"(?<!\w)" + re.escape(last) + r"(?!\w)", text) is not None


def score_quotes(
    parsed: Sequence[ParsedArticle], records: Mapping[str, Record], quotes: Mapping[str, Sequence[Quote]]
) -> QuoteScores:
    scores = QuoteScores()
    for article in parsed:
        text = article.article.text
        spaced = " ".join(text.split())  # 'James\xa0Comey' spells 'James Comey'
        golds = records[article.id].get("quotes", [])
        direct = [g for g in golds if g["kind"] == "direct"]
        system = list(quotes[article.id])
        scores.gold_direct += len(direct)
        for quote in system:
            scores.system += 1
            span = (quote.start, quote.end)
            if any(_overlap(span, (g["start"], g["end"])) for g in direct):
                scores.system_direct += 1
            elif any(_overlap(span, (g["start"], g["end"])) for g in golds):
                scores.system_other_kind += 1
            if quote.speaker and " ".join(quote.speaker.split()) not in spaced:
                scores.not_verbatim += 1
            if quote.speaker and not named_in(quote.speaker, text):
                scores.not_in_article += 1
                scores.examples["not in article"].append(f"{article.id}: {quote.speaker}")
            kind = getattr(quote, "speaker_kind", None)
            if kind:
                scores.kinds[kind] += 1
        for gold in direct:
            span = (gold["start"], gold["end"])
            matches = [q for q in system if _overlap((q.start, q.end), span)]
            if not matches:
                continue
            scores.gold_found += 1
            best = max(matches, key=lambda q: min(q.end, span[1]) - max(q.start, span[0]))
            scores.matched_null += best.speaker is None
            name = _named_person(gold, article)
            if name is None:
                continue
            scores.named += 1
            form = _speaker_form(gold)
            right = best.speaker is not None and same_person(best.speaker, name)
            scores.named_right += right
            scores.named_given += best.speaker is not None
            if form == "pronoun":
                scores.pronoun_named += 1
                scores.pronoun_right += right
            if not right:
                outcome = "null" if best.speaker is None else "wrong"
                key = f"{outcome}: {form}, {_place(gold, text)}"
                scores.errors[key] += 1
                context = text[max(0, gold["start"] - 80) : gold["end"] + 80].replace("\n", " | ")
                scores.examples[key].append(f"{article.id} gold={name!r} system={best.speaker!r}: ...{context}...")
    return scores


def system_quotes(parsed: Sequence[ParsedArticle]) -> dict[str, tuple[Quote, ...]]:
    """Every article's quotes; articles published on the same day share person names."""
    groups: defaultdict[str, list[ParsedArticle]] = defaultdict(list)
    for article in parsed:
        groups[article.article.published or ""].append(article)
    found: dict[str, tuple[Quote, ...]] = {}
    for members in groups.values():
        names = person_names(members)
        for article in members:
            found[article.id] = article_quotes(article, names)
    return found


def textacy_quotes(parsed: Sequence[ParsedArticle]) -> dict[str, tuple[Quote, ...]] | None:
    """textacy's ``direct_quotations`` on the full spaCy pipeline, or None when not installed."""
    try:
        import spacy
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    from newsfuse.nlp.model import MODEL_NAME

    nlp = spacy.load(MODEL_NAME)
    nlp.max_length = 2_000_000
    found: dict[str, tuple[Quote, ...]] = {}
    for article in parsed:
        doc = nlp(article.article.text)
        quotes = []
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # an odd number of quote marks: textacy gives up on the document
            triples = []
        for triple in triples:
            content = triple.content
            start, end = content[0].idx, content[-1].idx + len(content[-1].text)
            speaker = " ".join(t.text for t in triple.speaker) or None
            quotes.append(Quote("", speaker, doc.text[start:end], article.id, start, end, ()))
        found[article.id] = tuple(quotes)
    return found


# --- dates ---------------------------------------------------------------------------------


def timeml_value(day: str, granularity: str | None) -> str:
    """A system date in TimeML's notation: a week as its ISO week, a weekend as its week's ``-WE``,
    the rest unchanged."""
    if granularity in ("week", "weekend"):
        year, week, _ = date.fromisoformat(day).isocalendar()
        return f"{year:04d}-W{week:02d}" + ("-WE" if granularity == "weekend" else "")
    return day


def resolvable(timex: Record) -> bool:
    return timex["type"] == "DATE" and bool(_RESOLVABLE.match(timex["value"]))


@dataclass
class DateScores:
    resolved: int = 0
    correct_detections: int = 0
    false_detections: int = 0
    other_type: int = 0
    gold: int = 0
    recalled: int = 0
    normalised: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    examples: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def lines(self, name: str) -> Iterator[str]:
        predicted = self.correct_detections + self.false_detections
        yield (
            f"{name}: precision {self.correct_detections / max(1, predicted):.3f} "
            f"({self.correct_detections}/{predicted}) recall {self.recalled / max(1, self.gold):.3f} "
            f"({self.recalled}/{self.gold}) normalised {self.normalised / max(1, self.recalled):.3f} "
            f"({self.normalised}/{self.recalled}); {self.other_type} dates on durations/sets/times/vague "
            "gold, not counted"
        )


def _date_class(text: str, gold: str, system: str | None) -> str:
    """Why a date is wrong, from the expression and the two values."""
    lowered = text.casefold()
    if system is None:
        if "quarter" in lowered:
            return "missed: quarter"
        if re.search(r"spring|summer|fall|autumn|winter", lowered):
            return "missed: season"
        if re.search(r"earlier|later|before|after|that|previous|following|prior", lowered):
            return "missed: relative to another date"
        if "fiscal" in lowered:
            return "missed: fiscal year"
        return "missed: other"
    if len(system) != len(gold) or system[:4].isdigit() != gold[:4].isdigit():
        return "wrong granularity"
    if system[:4] != gold[:4] and system[4:] == gold[4:]:
        return "wrong year: future put in the past" if system < gold else "wrong year: past put in the future"
    if system < gold:
        return "wrong: too early"
    return "wrong: too late"


def score_dates(
    rows: Iterable[tuple[str, str, Sequence[Record], Sequence[tuple[int, int, str | None]]]], scores: DateScores
) -> DateScores:
    """``rows``: (id, text, gold timexes, system (start, end, TimeML value or None))."""
    for article_id, text, timexes, system in rows:
        gold = [t for t in timexes if resolvable(t)]
        scores.gold += len(gold)
        for start, end, value in system:
            if value is None:
                continue
            scores.resolved += 1
            overlapped = [t for t in timexes if t["start"] < end and start < t["end"]]
            if any(resolvable(t) for t in overlapped):
                scores.correct_detections += 1
            elif overlapped:
                scores.other_type += 1
            else:
                scores.false_detections += 1
                scores.errors["false date"] += 1
                scores.examples["false date"].append(f"{article_id}: {text[max(0, start - 40) : end + 40]!r}")
        for timex in gold:
            hits = [v for s, e, v in system if v is not None and s < timex["end"] and timex["start"] < e]
            if hits:
                scores.recalled += 1
                if hits[0] == timex["value"]:
                    scores.normalised += 1
                    continue
            key = _date_class(timex["text"], timex["value"], hits[0] if hits else None)
            scores.errors[key] += 1
            context = text[max(0, timex["start"] - 60) : timex["end"] + 60].replace("\n", " ")
            found = hits[0] if hits else None
            scores.examples[key].append(
                f"{article_id} {timex['text']!r} gold={timex['value']} system={found}: ...{context}..."
            )
    return scores


def newsfuse_dates(parsed: ParsedArticle) -> list[tuple[int, int, str | None]]:
    return [
        (e.span.start, e.span.end, timeml_value(e.date, e.granularity) if e.date else None)
        for e in time_expressions(parsed)
    ]


def dateparser_dates(text: str, published: str | None) -> list[tuple[int, int, str | None]]:
    """dateparser's ``search_dates`` with the publication day as base; its value is cut to the
    gold's precision when scored (``cut_to``), which favours it."""
    from dateparser.search import search_dates

    settings: dict[str, Any] = {"RETURN_AS_TIMEZONE_AWARE": False}
    if published:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(published)
    found = search_dates(text, languages=["en"], settings=settings) or []
    spans: list[tuple[int, int, str | None]] = []
    position = 0
    for words, when in found:
        start = text.find(words, position)
        if start < 0:
            continue
        position = start + len(words)
        spans.append((start, position, when.date().isoformat()))
    return spans


def cut_to(
    system: Sequence[tuple[int, int, str | None]], timexes: Sequence[Record]
) -> list[tuple[int, int, str | None]]:
    """A day value cut to the length of the gold value it overlaps (``1998`` from ``1998-08-07``)."""
    cut = []
    for start, end, value in system:
        gold = next((t["value"] for t in timexes if resolvable(t) and t["start"] < end and start < t["end"]), None)
        if value and gold and len(gold) in (4, 7) and gold[:4].isdigit():
            value = value[: len(gold)]
        cut.append((start, end, value))
    return cut


@dataclass(frozen=True)
class Timed:
    parsed: list[ParsedArticle]
    seconds: float


def parse_gold(rows: Sequence[tuple[Article, Record]], cache: Path | None) -> Timed:
    started = time.perf_counter()
    parsed = parse_cached([article for article, _ in rows], cache)
    return Timed(parsed, time.perf_counter() - started)
