"""What a story gained since a date, as the story page and ``newsfuse export --since`` show it: every
item cited with the numbers of the story's own view, so a new claim's [3] is the page's source 3."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from newsfuse.records import StoryUpdate
from newsfuse.view.story import UNKNOWN_SPEAKER, Cited, Source, StoryView, citer


@dataclass(frozen=True)
class Relabel:
    claim: Cited
    before: str
    now: str


@dataclass(frozen=True)
class Visit:
    """A day the reader may have last read the story, and the ``since`` that shows what came after it."""

    day: str
    since: str


@dataclass(frozen=True)
class ChangesView:
    """The ``since`` links of a story page (one per publication day after the first) and, with ``since``,
    what the story gained, every item cited with the story page's own numbers."""

    visits: tuple[Visit, ...]
    since: str | None = None
    error: str | None = None
    update: StoryUpdate | None = None
    new_sources: tuple[Source, ...] = ()
    digest: tuple[Cited, ...] = ()
    claims: tuple[Cited, ...] = ()
    relabelled: tuple[Relabel, ...] = ()
    contradictions: tuple[Cited, ...] = ()
    quotes: tuple[Cited, ...] = ()
    timeline: tuple[Cited, ...] = ()


def visit_days(view: StoryView) -> tuple[Visit, ...]:
    """Each publication day but the last: a reader who read the story that day sees what was
    published from the next day on (a visit on the last day has nothing new to show)."""
    days = sorted({s.article["published"][:10] for s in view.sources if s.article.get("published")})
    return tuple(Visit(day, (date.fromisoformat(day) + timedelta(days=1)).isoformat()) for day in days[:-1])


def changes_view(view: StoryView, update: StoryUpdate, since: str) -> ChangesView:
    cite = citer(view.sources)

    return ChangesView(
        visits=visit_days(view),
        since=since,
        update=update,
        new_sources=cite(update.newer),
        digest=tuple(Cited(d.text, cite(d.sources or (d.article_id,))) for d in update.digest),
        claims=tuple(Cited(c.text, cite(c.article_ids)) for c in update.new_claims),
        relabelled=tuple(
            Relabel(Cited(r.claim.text, cite(r.claim.article_ids)), r.before, r.claim.label) for r in update.relabelled
        ),
        contradictions=tuple(
            Cited(f"{c.kind.replace('_', ' ')}: {c.diff}", cite([v.article_id for v in c.variants]))
            for c in update.new_contradictions
        ),
        quotes=tuple(
            Cited(f"{q.speaker or UNKNOWN_SPEAKER}: “{q.text}”", cite([q.article_id])) for q in update.new_quotes
        ),
        timeline=tuple(Cited(f"{t.date or 'unresolved'}: {t.text}", cite(t.article_ids)) for t in update.new_timeline),
    )
