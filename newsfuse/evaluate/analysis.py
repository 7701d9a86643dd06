"""Quote speakers and contradictions against a hand-annotated gold set.

The analysis runs on each gold story (the data set's own ``story`` groups, so clustering
errors do not blur the figures). Gold entries name articles by id and quotes or
variants by a short exact span of the article text; a system quote or variant matches
when it covers that span.

Quote speakers: precision over system quotes given a person as speaker in the annotated
articles (a quote the gold does not list counts as wrong; organisation and role speakers are
left out, as the gold names people only), recall over gold quotes with a speaker. A speaker
the article names shorter than the gold ("Lopez" for "Ana Lopez") counts as the same.
Contradictions: precision over system contradictions in the annotated stories (an
unjudged one counts as wrong), recall over the true contradictions the gold lists.

Run: ``python -m newsfuse.evaluate.analysis DATA.jsonl... --gold docs/analysis-gold.json``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from newsfuse.analyze.story import StoryAnalysis, analyze_story
from newsfuse.evaluate import PARSE_CACHE
from newsfuse.evaluate.attribution import same_person
from newsfuse.ingest import read_inputs
from newsfuse.ingest.normalize import display_quotes
from newsfuse.nlp.cache import parse_cached
from newsfuse.records import Article, Contradiction, ParsedArticle, Quote, article_order


@dataclass(frozen=True)
class Count:
    """Hits over the two denominators of precision and recall."""

    correct: int
    predicted: int
    relevant: int
    found: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.relevant if self.relevant else 1.0

    def line(self, name: str) -> str:
        """Figures with their counts; '-' where nothing was predicted or nothing is relevant."""
        precision = f"{self.precision:.3f}" if self.predicted else "-"
        recall = f"{self.recall:.3f}" if self.relevant else "-"
        counts = f"({self.correct}/{self.predicted})", f"({self.found}/{self.relevant})"
        return f"{name:<28} P {precision:>5} {counts[0]}  R {recall:>5} {counts[1]}"


def gold_stories(articles: Iterable[Article], gold: Mapping[str, Any]) -> dict[str, list[Article]]:
    """The articles of each story the gold annotates, grouped by their ``story`` field."""
    wanted = set(gold["stories"])
    groups: defaultdict[str, list[Article]] = defaultdict(list)
    for article in articles:
        story = str(article.meta.get("story", ""))
        if story in wanted:
            groups[story].append(article)
    return {story: sorted(members, key=article_order) for story, members in sorted(groups.items())}


def analyse(
    stories: Mapping[str, Sequence[Article]], cache: Path | None = None
) -> dict[str, tuple[list[ParsedArticle], StoryAnalysis]]:
    everything = [article for members in stories.values() for article in members]
    parsed = {p.id: p for p in parse_cached(everything, cache)}
    result = {}
    for story, members in stories.items():
        ordered = [parsed[a.id] for a in members]
        result[story] = (ordered, analyze_story(ordered))
    return result


def _located(texts: Mapping[str, str], article_id: str, fragment: str) -> tuple[int, int]:
    """Where the gold span is; spans written before ingest showed ```` `` ```` and ``''`` as
    quotation marks are looked up as ingest now shows them."""
    start = texts[article_id].find(fragment)
    if start < 0:
        fragment = display_quotes(fragment)
        start = texts[article_id].find(fragment)
    if start < 0:
        raise click.ClickException(f"gold span not in article {article_id}: {fragment!r}")
    return start, start + len(fragment)


def _same_person(a: str | None, b: str | None) -> bool:
    """The same name, or one the article gives shorter ('Lopez' for the gold's 'Ana Lopez')."""
    return a is not None and b is not None and (a.casefold() == b.casefold() or same_person(a, b))


def quote_scores(quotes: Sequence[Quote], gold: Sequence[Mapping[str, Any]], texts: Mapping[str, str]) -> Count:
    """Speakers of the quotes in the articles the gold annotates."""
    annotated = {entry["article_id"] for entry in gold}
    spans = [(entry, _located(texts, entry["article_id"], entry["quote"])) for entry in gold]

    def gold_of(quote: Quote) -> Mapping[str, Any] | None:
        return next(
            (e for e, (s, t) in spans if e["article_id"] == quote.article_id and quote.start <= s and t <= quote.end),
            None,
        )

    # the gold names people only: organisations and roles ("the statement said") have no speaker there
    people = [q for q in quotes if q.speaker_kind not in ("organisation", "role")]
    given = [q for q in people if q.article_id in annotated and q.speaker]
    correct = sum(1 for q in given if (g := gold_of(q)) is not None and _same_person(q.speaker, g["speaker"]))
    relevant = [(e, span) for e, span in spans if e["speaker"]]
    found = 0
    for entry, (start, end) in relevant:
        found += any(
            q.article_id == entry["article_id"]
            and q.start <= start
            and end <= q.end
            and _same_person(q.speaker, entry["speaker"])
            for q in people
        )
    return Count(correct, len(given), len(relevant), found)


def _covers(contradiction: Contradiction, entry: Mapping[str, Any], texts: Mapping[str, str]) -> bool:
    """Gold variants of two articles or more lie within, or hold, the system's variants: the
    same disagreement, whichever further outlets either side lists."""
    if contradiction.kind != entry["kind"]:
        return False
    covered = set()
    for variant in entry["variants"]:
        start, end = _located(texts, variant["article_id"], variant["text"])
        if any(
            v.article_id == variant["article_id"] and v.start < end and start < v.end for v in contradiction.variants
        ):
            covered.add(variant["article_id"])
    return len(covered) >= 2


def contradiction_scores(
    found: Sequence[Contradiction], gold: Sequence[Mapping[str, Any]], texts: Mapping[str, str], kind: str | None
) -> Count:
    """Judged system contradictions (precision) and true ones found (recall), of one kind or all."""
    system = [c for c in found if kind is None or c.kind == kind]
    entries = [e for e in gold if kind is None or e["kind"] == kind]
    correct = sum(1 for c in system if any(e["true"] and _covers(c, e, texts) for e in entries))
    true = [e for e in entries if e["true"]]
    hits = sum(1 for e in true if any(_covers(c, e, texts) for c in system))
    return Count(correct, len(system), len(true), hits)


KINDS = ("number", "date", "entity", "quote_wording")


def evaluate(
    analysed: Mapping[str, tuple[list[ParsedArticle], StoryAnalysis]], gold: Mapping[str, Any]
) -> dict[str, Count]:
    """Scores summed over the gold stories: quote speakers, then contradictions overall and per kind."""
    totals: dict[str, Count] = {}
    for story, (articles, analysis) in analysed.items():
        texts = {p.id: p.article.text for p in articles}
        annotation = gold["stories"][story]
        scores = {"quote speakers": quote_scores(analysis.quotes, annotation.get("quotes", []), texts)}
        for kind in (None, *KINDS):
            name = f"contradictions {kind or 'all'}"
            scores[name] = contradiction_scores(
                analysis.contradictions, annotation.get("contradictions", []), texts, kind
            )
        for name, count in scores.items():
            before = totals.get(name, Count(0, 0, 0, 0))
            totals[name] = Count(*(a + b for a, b in zip(_fields(before), _fields(count), strict=True)))
    return totals


def _fields(count: Count) -> tuple[int, int, int, int]:
    return count.correct, count.predicted, count.relevant, count.found


@click.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--gold", "gold_path", required=True, type=click.Path(exists=True, path_type=Path))
@PARSE_CACHE
def main(data: tuple[Path, ...], gold_path: Path, parse_cache: Path | None) -> None:
    """Precision and recall of quote speakers and contradictions on the gold stories in DATA."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    stories = gold_stories(read_inputs(list(data)).articles, gold)
    missing = sorted(set(gold["stories"]) - set(stories))
    if missing:
        raise click.ClickException(f"gold stories not in the data: {', '.join(missing)}")
    click.echo(f"{len(stories)} stories, {sum(len(m) for m in stories.values())} articles")
    for name, count in evaluate(analyse(stories, parse_cache), gold).items():
        click.echo(count.line(name))


if __name__ == "__main__":
    main()
