"""Agreement counted in outlets: what a story's sources report together, and what one adds.

A reader who follows several outlets asks "do the outlets agree?", not "do the articles?":
one wire filing ten updates of a story is one source saying it ten times. So a claim's
support is the number of distinct outlets (``Article.source``) among its articles; an
article without a source counts as an outlet of its own, since nothing says it shares one.

A claim is *reported across sources* when at least two outlets and at least half of the
story's outlets state it (``CONSENSUS_SHARE``): with three outlets, two; a claim only one
outlet states is what that outlet adds, never agreement, so a one-outlet story has none.
The claim ``label`` (``consensus``) is this same rule, so the label and the page agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from newsfuse.records import Article, Claim, ClaimLabel, Story

CONSENSUS_SHARE = 0.5
CONSENSUS: Final = "consensus"
SINGLE_SOURCE: Final = "single_source"
PARTIAL: Final = "partial"


def outlet_of(article: Article) -> str:
    return outlet_name(article.source, article.id)


def outlet_name(source: str | None, article_id: str) -> str:
    """The outlet that published an article: its source, or the article itself when it names none."""
    return source or article_id


def article_outlets(articles: Iterable[Article]) -> dict[str, str]:
    """Article id -> outlet, for ``claim_outlets`` and ``story_agreement``."""
    return {article.id: outlet_of(article) for article in articles}


def claim_outlets(claim: Claim, outlets: Mapping[str, str]) -> tuple[str, ...]:
    """The distinct outlets that state the claim, sorted; an article missing from ``outlets``
    (a store written before its article) counts as its own outlet."""
    return tuple(sorted({outlets.get(article_id, article_id) for article_id in claim.article_ids}))


def consensus_count(outlet_count: int, share: float | None = None) -> int:
    """How many outlets must state a claim for it to be reported across sources: at least
    two (one outlet is never agreement), and ``share`` (default ``CONSENSUS_SHARE``) of them."""
    share = CONSENSUS_SHARE if share is None else share
    return max(2, math.ceil(share * outlet_count - 1e-9))


@dataclass(frozen=True)
class Agreement:
    """A story's claims sorted for a reader.

    ``across``: claims stated by at least ``needed`` outlets, the widest support first, then
    by salience. ``some``: claims of two or more outlets but fewer than ``needed``, in the same
    order. ``only``: per outlet (most claims first), the claims that outlet alone states, by
    salience. ``one_outlet``: the story has one outlet, so nothing can be reported across sources.
    """

    outlets: tuple[str, ...]
    needed: int
    across: tuple[Claim, ...]
    some: tuple[Claim, ...]
    only: tuple[tuple[str, tuple[Claim, ...]], ...]

    @property
    def one_outlet(self) -> bool:
        return len(self.outlets) < 2


def story_agreement(story: Story, outlets: Mapping[str, str], share: float | None = None) -> Agreement:
    """Rank the story's claims by outlet support and salience; ``outlets`` maps article id to outlet."""
    story_outlets = tuple(sorted({outlets.get(article_id, article_id) for article_id in story.article_ids}))
    needed = consensus_count(len(story_outlets), share)
    supported = [(claim, len(claim_outlets(claim, outlets))) for claim in story.claims]
    ranked = [claim for claim, _ in sorted(supported, key=lambda item: _rank(item[0], item[1]))]
    support = {claim.id: count for claim, count in supported}
    only: dict[str, list[Claim]] = {}
    for claim in ranked_by_salience(claim for claim in story.claims if support[claim.id] == 1):
        only.setdefault(claim_outlets(claim, outlets)[0], []).append(claim)
    return Agreement(
        outlets=story_outlets,
        needed=needed,
        across=tuple(claim for claim in ranked if support[claim.id] >= needed),
        some=tuple(claim for claim in ranked if 2 <= support[claim.id] < needed),
        only=tuple(sorted(((o, tuple(c)) for o, c in only.items()), key=lambda item: (-len(item[1]), item[0]))),
    )


def _rank(claim: Claim, outlet_count: int) -> tuple[int, float, int]:
    """Widest outlet support, then salience, then article support; a stable sort keeps story order."""
    return (-outlet_count, -claim.salience, -len(claim.article_ids))


def ranked_by_salience(claims: Iterable[Claim]) -> list[Claim]:
    """Most salient first; equal salience keeps the given order (the story's claim order)."""
    return sorted(claims, key=lambda claim: -claim.salience)


def support_label(outlet_count: int, needed: int) -> ClaimLabel:
    """A claim's label from its outlet support: ``single_source`` (one outlet), ``consensus``
    (``needed`` outlets or more: reported across sources) or ``partial`` (between)."""
    if outlet_count < 2:
        return SINGLE_SOURCE
    return CONSENSUS if outlet_count >= needed else PARTIAL
