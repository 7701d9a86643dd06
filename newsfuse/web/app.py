"""The web UI and JSON API: server-rendered pages that work without JavaScript.

Pages and API read through the small ``StoryReader`` interface. Jinja2 escapes every
value, and a strict Content-Security-Policy forbids scripts, so article text that holds
markup stays inert. Clients never see a stack trace.

Read handlers are ``async`` and run on the event loop, not in a thread pool. A store's reader
waits on its database, so a slow query holds up the requests behind it. Still, a pool's
hand-offs cost more CPU than most requests under many concurrent clients: 1.8 ms a request
on the loop against 2.7 ms in 8 threads, measured side by side (bench/web_store_reader.py,
docs/reliability.md); 1.2-1.3 ms on the loop since the headers middleware is plain ASGI. The write
handler parses, which blocks, so it stays a plain function and runs in the thread pool.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, NoReturn, Protocol, get_args
from urllib.parse import quote

from fastapi import FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from newsfuse.ingest.jsonl import MAX_LINE_BYTES
from newsfuse.ingest.normalize import IngestError
from newsfuse.view.changes import ChangesView, visit_days
from newsfuse.web.citations import article_link, citations
from newsfuse.web.feeds import feed_router, http_url, stories_feed_url, story_feed_url
from newsfuse.web.filters import Filters, continued, entity_url, list_url
from newsfuse.web.highlight import paragraphs
from newsfuse.web.kept import KeptPage
from newsfuse.web.limits import BodyLimit, Guarded, HeadAsGet, WriteGate, bearer_matches
from newsfuse.web.models import ArticleIn, ArticleOut, Problem, StoryList, StoryOut, ThreadOut
from newsfuse.web.outlets import BlindspotOptions, outlet_router, story_changes
from newsfuse.web.pages import MORE_LIMIT, article_page, listing_json, story_page, story_summary
from newsfuse.web.reader import Order, Page, PerReader, Record, StoryFilter, StoryReader
from newsfuse.web.writes import DuplicateArticle

GZIP_MIN_BYTES = 1_000
PAGE_SIZE = 20
STORY_PAGES_KEPT = 1_024
"""Story pages kept rendered until their story or its thread changes: a newsroom reads the same stories many times,
and a big story's page takes tens of milliseconds to render (~25 kB each kept, gzipped)."""
LIST_ANSWERS_KEPT = 256
"""List pages and API lists and searches kept until their store changes: the front page and a
newsroom's common filters and searches are asked for over and over between writes."""
MAX_LIMIT = 100
STATIC_DIR = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

logger = logging.getLogger(__name__)


class Stories(Protocol):
    """What the app serves: a reader, and a way to add an article (used only with writes on)."""

    @property
    def reader(self) -> StoryReader: ...

    def add_article(self, fields: dict[str, Any]) -> Record: ...


def create_app(
    stories: Stories,
    allow_writes: bool = False,
    write_token: str | None = None,
    blindspots: BlindspotOptions | None = None,
) -> FastAPI:
    app = FastAPI(
        title="newsfuse",
        summary="Stories with cited digests, built from many news articles.",
        docs_url=None,
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_protections(app)
    app.include_router(feed_router(stories, blindspots or BlindspotOptions()))
    _add_pages(app, stories)
    _add_api(app, stories)
    _add_writes(app, stories, allow_writes, write_token)
    app.include_router(outlet_router(stories, blindspots or BlindspotOptions(), render))
    return app


def _add_pages(app: FastAPI, stories: Stories) -> None:
    listed = PerReader(limit=LIST_ANSWERS_KEPT)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def stories_page(request: Request, filters: Filters, page: int = Query(1, ge=1)) -> Response:
        reader = stories.reader
        if (moved := continued(reader, filters)) is not None:
            return _moved_to(list_url(moved, page))
        made = listed.get(list_url(filters, page), reader, lambda _: KeptPage.of(stories_html(reader, filters, page)))
        return made.response(request)

    rendered = PerReader(limit=STORY_PAGES_KEPT)

    @app.get("/stories/{story_id:path}", response_class=HTMLResponse, include_in_schema=False)
    async def story(
        request: Request, story_id: str, since: str | None = Query(None, description="A date or article id")
    ) -> Response:
        reader = stories.reader
        version = reader.page_version(story_id)
        if version is None and (into := reader.shown_in(story_id)) is not None:
            return _moved(request, f"/stories/{quote(into, safe='')}")
        if since is None:
            # a write that leaves a story and its thread alone leaves its kept page alone
            made = rendered.get(story_id, reader, lambda _: kept_story_page(reader, story_id, version), version)
            return made.response(request)
        view = story_page(reader.get_story(story_id) or _not_found("story", story_id), reader)
        return render("story.html.j2", view=view, changes=await story_changes(reader, view.content, since))

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    async def article(
        article_id: str,
        focus: Annotated[str | None, Query(max_length=200, description="The mark to show: STORY_ID/claim:ID")] = None,
        everything: Annotated[bool, Query(alias="all", description="Show every span the stories use")] = False,
    ) -> HTMLResponse:
        reader = stories.reader
        record = reader.get_article(article_id) or _not_found("article", article_id)
        view = article_page(record, reader, focus, everything)
        return render("article.html.j2", view=view, paragraphs=paragraphs(view.segments))

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return render("api.html.j2", schema=app.openapi())


def stories_html(reader: StoryReader, filters: StoryFilter, page: int) -> bytes:
    found = reader.list_stories(filters, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return bytes(
        render(
            "stories.html.j2",
            filters=filters,
            page=found,
            summaries=[story_summary(listing) for listing in found.items],
            outlets=reader.outlets(),
            order_urls={order: list_url(replace(filters, order=order), 1) for order in get_args(Order)},
            previous_url=list_url(filters, page - 1) if page > 1 else None,
            next_url=list_url(filters, page + 1) if found.offset + PAGE_SIZE < found.total else None,
        ).body
    )


def kept_story_page(reader: StoryReader, story_id: str, version: str | None) -> KeptPage:
    """The story page as the store keeps it at ``version``, else rendered here."""
    stored = None if version is None else reader.stored_page(story_id, version)
    return KeptPage(stored) if stored is not None else KeptPage.of(story_html(reader, story_id))


def story_html(reader: StoryReader, story_id: str) -> bytes:
    """The story page without ``since``: what every reader of the story sees until it changes."""
    view = story_page(reader.get_story(story_id) or _not_found("story", story_id), reader)
    return bytes(render("story.html.j2", view=view, changes=ChangesView(visit_days(view.content))).body)


def _add_api(app: FastAPI, stories: Stories) -> None:
    missing: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No such id"}}
    limit = Query(PAGE_SIZE, ge=1, le=MAX_LIMIT)
    answered = PerReader(limit=LIST_ANSWERS_KEPT)

    @app.get("/api/stories", response_model=StoryList, tags=["stories"])
    async def list_stories(filters: Filters, offset: int = Query(0, ge=0), limit: int = limit) -> dict[str, Any]:
        """Story summaries, biggest then newest first, narrowed by the filters; each full record is at its ``url``."""
        key = f"{list_url(filters, 1)} {offset} {limit}"
        return answered.get(key, stories.reader, lambda reader: _page_json(reader.list_stories(filters, offset, limit)))

    @app.get(
        "/api/stories/{story_id:path}",
        response_model=StoryOut,
        responses=missing,
        tags=["stories"],
    )
    async def get_story(request: Request, story_id: str) -> Response:
        """One story record, as in stories.json; a story whose articles are now shown in another story
        (its lone article placed there, or the story merged into it) redirects there (307)."""
        reader = stories.reader
        if (record := reader.get_story(story_id)) is not None:
            return JSONResponse(record)
        if (into := reader.shown_in(story_id)) is not None:
            return _moved(request, f"/api/stories/{quote(into, safe='')}")
        _not_found("story", story_id)

    @app.get("/api/articles/{article_id:path}", response_model=ArticleOut, responses=missing, tags=["articles"])
    async def get_article(article_id: str) -> Record:
        """One article record, as in stories.json, with its text."""
        return stories.reader.get_article(article_id) or _not_found("article", article_id)

    @app.get("/api/threads/{thread_id:path}", response_model=ThreadOut, responses=missing, tags=["stories"])
    async def get_thread(request: Request, thread_id: str) -> Response:
        """One thread: stories on the same subject, in order of their first article; a thread merged into
        an older one when the stories were threaded again redirects there (307)."""
        reader = stories.reader
        if (record := reader.get_thread(thread_id)) is not None:
            return JSONResponse(record)
        if (into := reader.continued_in(thread_id)) is not None:
            return _moved(request, f"/api/threads/{quote(into, safe='')}")
        _not_found("thread", thread_id)

    @app.get("/api/search", response_model=StoryList, tags=["stories"])
    async def search(
        q: str = Query(min_length=1, description="Words that must all occur"),
        offset: int = Query(0, ge=0),
        limit: int = limit,
    ) -> dict[str, Any]:
        """Full-text search over story titles, digests, entities and article text: summaries, most relevant first."""
        key = f"search {q} {offset} {limit}"
        return answered.get(key, stories.reader, lambda reader: _page_json(reader.search(q, offset, limit)))


def _add_writes(app: FastAPI, stories: Stories, allow_writes: bool, write_token: str | None) -> None:
    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": Problem, "description": why}
        for code, why in [
            (401, "Missing or wrong bearer token (when the server has one)"),
            (403, "Writes are off (start the server with --allow-writes)"),
            (409, "An article with this id exists"),
            (413, "Body over the limit of a JSONL input line, in any transfer encoding"),
            (422, "Not a valid article"),
            (503, "Another article is being added; retry after the Retry-After seconds"),
        ]
    }
    gate = WriteGate()

    @app.post("/api/articles", status_code=201, response_model=ArticleOut, responses=errors, tags=["articles"])
    def add_article(body: ArticleIn, response: Response, authorization: str | None = Header(None)) -> Record:
        """Add an article (the fields of a JSONL input line); its stories are rebuilt at once."""
        if not allow_writes:
            raise HTTPException(403, "writes are off; start the server with --allow-writes")
        if write_token and not bearer_matches(authorization, write_token):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
        try:
            with gate.held():
                record = stories.add_article(body.model_dump(exclude_unset=True))
        except IngestError as err:
            raise HTTPException(422, f"not a valid article: {err}") from None
        except DuplicateArticle as err:
            raise HTTPException(409, str(err)) from None
        response.headers["Location"] = f"/api/articles/{quote(record['id'], safe='')}"
        return record


def _add_protections(app: FastAPI) -> None:
    app.add_middleware(BodyLimit, limit=MAX_LINE_BYTES)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES)
    app.add_middleware(HeadAsGet)
    app.add_middleware(Guarded, headers=SECURITY_HEADERS, failed=_server_error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return await http_exception_handler(request, exc)
        return render("error.html.j2", exc.status_code, message=exc.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(f"{error['loc'][-1]}: {error['msg']}" for error in exc.errors())
        return render("error.html.j2", 422, message=f"bad request: {problems}")


def _server_error(request: Request) -> Response:
    """Log the bug here, and answer a plain 500: the client learns nothing of the internals."""
    logger.exception("error serving %s", request.url.path)
    if _is_api(request):
        return JSONResponse({"detail": "internal server error"}, 500)
    return render("error.html.j2", 500, message="internal server error")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _moved(request: Request, path: str) -> RedirectResponse:
    """To ``path``, keeping the request's query."""
    query = f"?{request.url.query}" if request.url.query else ""
    return _moved_to(path + query)


def _moved_to(url: str) -> RedirectResponse:
    """Temporary: where a story's articles are shown, or which thread a story is in, can change again
    (a placed article goes back to its own story if a later article joins it)."""
    return RedirectResponse(url, status_code=307)


def _not_found(kind: str, item_id: str) -> NoReturn:
    raise HTTPException(404, f"no {kind} with id {item_id!r}")


def _page_json(page: Page) -> dict[str, Any]:
    items = [listing_json(listing) for listing in page.items]
    return {"items": items, "total": page.total, "offset": page.offset, "limit": page.limit}


_templates = Environment(
    loader=PackageLoader("newsfuse.web", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["segment"] = lambda value: quote(str(value), safe="")
_templates.filters["http_url"] = http_url
_templates.globals["entity_url"] = entity_url
_templates.globals["MORE_LIMIT"] = MORE_LIMIT
_templates.globals["citations"] = citations
_templates.globals["cited_article"] = article_link
_templates.globals["stories_feed_url"] = stories_feed_url
_templates.globals["story_feed_url"] = story_feed_url
_templates.globals["thread_url"] = lambda thread_id: list_url(StoryFilter(thread=thread_id), 1)


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(template).render(**context), status_code=status)
