"""Entities of a story: mentions merged across articles and short forms of names."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from newsfuse.records import ParsedArticle, StoryEntity

MIN_ENTITY_ARTICLES = 2


def story_entities(articles: Sequence[ParsedArticle]) -> tuple[StoryEntity, ...]:
    """Count mentions per entity; a one-word name joins the one full person name it ends.

    A surname that joins a full name counts as PERSON whatever the tagger said of it
    ("Pompeo" is often tagged GPE); otherwise the most frequent label wins.
    """
    counts: Counter[str] = Counter()
    labels: defaultdict[str, Counter[str]] = defaultdict(Counter)
    cited: defaultdict[str, set[str]] = defaultdict(set)
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    full_names = full_person_names(articles)
    for article in articles:
        for mention in article.entities:
            key = entity_key(mention.name)
            label = mention.label
            if " " not in key and key in full_names:
                key, label = full_names[key], "PERSON"
            counts[key] += 1
            labels[key][label] += 1
            cited[key].add(article.id)
            spellings[key][mention.name] += 1
    entities = [
        StoryEntity(
            text=_fullest(spellings[key]),
            label=_most_common(labels[key]),
            count=count,
            article_ids=tuple(sorted(cited[key])),
        )
        for key, count in counts.items()
    ]
    return tuple(sorted(entities, key=lambda e: (-e.count, e.text.casefold(), e.label)))


def full_person_names(articles: Sequence[ParsedArticle]) -> dict[str, str]:
    """Map a surname to the one full name in the story that ends with it, if unambiguous."""
    candidates: defaultdict[str, set[str]] = defaultdict(set)
    for article in articles:
        for mention in article.entities:
            words = entity_key(mention.name).split()
            if mention.label == "PERSON" and len(words) > 1:
                candidates[words[-1]].add(" ".join(words))
    return {surname: next(iter(names)) for surname, names in candidates.items() if len(names) == 1}


def _fullest(spellings: Counter[str]) -> str:
    """The longest form of a name ('Sarah Sanders' over 'Sanders'), then the most used."""
    return min(spellings.items(), key=lambda item: (-len(item[0].split()), -item[1], item[0]))[0]


def _most_common(counter: Counter[str]) -> str:
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def entity_key(name: str) -> str:
    """Names that differ only in case or dots ('U.S.', 'US') are one entity."""
    return name.casefold().replace(".", "")


def listed_entities(
    entities: Sequence[StoryEntity], titles: Iterable[str], article_count: int
) -> tuple[StoryEntity, ...]:
    """The entities worth listing for a story, in the given order: named by at least two of its
    articles, or in a title (``titles``: the story's and its articles').

    The tagger's mistakes on news ("Story" or "Max" as a PERSON, a drug or a disease as an
    ORG) are mostly one article's: a name a second outlet also writes, or a headline carries,
    is rarely one. A story of one article has no second article to ask, so nothing is dropped.
    """
    needed = min(MIN_ENTITY_ARTICLES, article_count)
    headlines = "".join(_words(entity_key(title)) for title in titles)  # titles meet at two spaces
    return tuple(e for e in entities if len(e.article_ids) >= needed or _in_title(e, headlines))


def _in_title(entity: StoryEntity, headlines: str) -> bool:
    """The name, or a person's surname, as whole words of one of the (case- and dot-folded) titles."""
    key = entity_key(entity.text)
    names = {key, key.split()[-1]} if entity.label == "PERSON" and key.split() else {key}
    return any(_words(name) in headlines for name in names if name.strip())


def _words(text: str) -> str:
    """The words of ``text`` between single spaces, so whole words match as a substring."""
    return " " + " ".join(re.findall(r"\w+", text)) + " "
