"""Citation markers, the most repeated markup of a story page, written in Python.

A story page of a big story carries hundreds of markers; made by template macros they were
most of the page's rendering time. The markup is the same, and every value that comes from an
article is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from newsfuse.view.story import Source


def article_link(story_id: str, source: Source, focus: str = "") -> str:
    """The cited article, with the cited statement highlighted (``focus``) when one is named."""
    link = f"/articles/{quote(source.id, safe='')}"
    return f"{link}?focus={do_urlencode(f'{story_id}/{focus}')}#focus" if focus else link


def citations(story_id: str, sources: Sequence[Source], focus: str = "", shown: int = 6) -> Markup:
    """The markers of a statement's sources; many collapse behind "+N", so a sentence every article
    states stays readable."""
    markers = [_marker(story_id, source, focus) for source in sources]
    more = (
        f'<details class="more-cites"><summary>+{len(markers) - shown}</summary>{"".join(markers[shown:])}</details>'
        if len(markers) > shown
        else ""
    )
    return Markup(f'<span class="cites">{"".join(markers[:shown])}{more}</span>')


def _marker(story_id: str, source: Source, focus: str) -> str:
    href, title = escape(article_link(story_id, source, focus)), escape(source.article.get("title", ""))
    return (
        f'<a class="cite" href="{href}"><span class="visually-hidden">source </span>{source.number}'
        f'<span class="pop"><b>{escape(source.outlet)}</b> &middot; {escape(source.date)}<br>{title}</span></a>'
    )
