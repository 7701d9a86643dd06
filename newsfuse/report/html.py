"""report.html: one self-contained page, readable offline; all article text is escaped."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from newsfuse.view.story import document_views

_environment = Environment(
    loader=PackageLoader("newsfuse.report", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(document: dict[str, Any]) -> str:
    template = _environment.get_template("report.html.j2")
    return template.render(document=document, views=document_views(document))
