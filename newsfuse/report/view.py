"""A reader's view of a stories document, shared by the Markdown and HTML reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SHOWN_CLAIMS = 10
UNATTRIBUTED = "Unattributed"


@dataclass(frozen=True)
class StoryView:
    """One story with its articles numbered for citation markers."""

    story: dict[str, Any]
    articles: list[dict[str, Any]]
    number_of: dict[str, int]

    @property
    def size(self) -> str:
        return "1 article" if len(self.articles) == 1 else f"{len(self.articles)} articles"

    @property
    def outlets(self) -> list[str]:
        return sorted({a["source"] for a in self.articles if a["source"]})

    @property
    def span(self) -> str:
        dates = sorted(a["published"][:10] for a in self.articles if a["published"])
        if not dates:
            return "undated"
        return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"

    def citations(self, article_ids: list[str]) -> list[int]:
        return sorted(self.number_of[i] for i in article_ids)

    def claims(self, label: str, limit: int = SHOWN_CLAIMS) -> list[dict[str, Any]]:
        return [claim for claim in self.story["claims"] if claim["label"] == label][:limit]

    def quotations_by_speaker(self) -> list[tuple[str, list[list[dict[str, Any]]]]]:
        """Speakers (unattributed last), each with quotations; a quotation lists its variants."""
        variants: dict[str, list[dict[str, Any]]] = {}
        for quote in self.story["quotes"]:
            variants.setdefault(quote["variant_of"] or quote["id"], []).append(quote)
        speakers: dict[str, list[list[dict[str, Any]]]] = {}
        for group in variants.values():
            speakers.setdefault(group[0]["speaker"] or UNATTRIBUTED, []).append(group)
        return list(speakers.items())


def story_views(document: dict[str, Any]) -> list[StoryView]:
    articles = {a["id"]: a for a in document["articles"]}
    views = []
    for story in document["stories"]:
        members = [articles[i] for i in story["article_ids"]]
        number_of = {article["id"]: n for n, article in enumerate(members, start=1)}
        views.append(StoryView(story, members, number_of))
    return views
