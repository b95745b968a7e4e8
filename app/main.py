"""``create_app()``: routers, error handlers, start-up and shutdown."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import text

from app.actors.router import router as actors_router
from app.articles.router import router as articles_router
from app.db import make_engine, make_read_sessionmaker, make_sessionmaker, schema_revisions
from app.errors import install_error_handlers
from app.http_cache import install_http_middleware
from app.nlp import get_extractor, model_installed
from app.observability import install_observability
from app.positions.router import router as positions_router
from app.quotes.router import router as quotes_router
from app.ratelimit import RateLimitMiddleware, document_rate_limits
from app.request_limits import RequestLimitsMiddleware
from app.search.router import router as search_router
from app.settings import Settings, get_settings
from app.topics.router import router as topics_router

DESCRIPTION = """
The facts in news articles: **quotes** (who said what), **actors** (who is who) and **positions**
(who stands where on what), each pointing at the exact characters of the article it came from
(`field`, `start`, `end`: Python string indices into that field).

Lists answer `{items, total, page, limit, next_cursor}` with an RFC 8288 `Link` header; `/articles`
and `/quotes` also walk whole results by `cursor`, count `facets` and export `format=csv|ndjson`.
Every GET answer carries an `ETag` (send `If-None-Match` for a 304) and `Cache-Control`. Errors are
RFC 9457 `application/problem+json`.
"""


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Readiness(BaseModel):
    status: str = Field(examples=["ready"])
    database: bool
    schema_revision: str | None = Field(examples=["0001"])
    schema_head: str | None = Field(examples=["0001"])
    language_model: bool


logger = logging.getLogger("newsfacts")


def _load_model(app: FastAPI, model: str) -> None:
    try:
        get_extractor(model)
    except Exception:
        logger.exception("the language model %r could not be loaded; writes answer 503", model)
        return
    app.state.model_loaded = True
    logger.info("language model %r loaded", model)
    # The model lives as long as the process: frozen, the cyclic collector no longer walks it on every
    # full collection, which paused answers by tens of milliseconds (measured: bench/RESULTS.md).
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.load_model_on_startup:
            # A model that is not installed is a mistake in the set-up: say so now and do not start.
            if not model_installed(settings.spacy_model):
                raise RuntimeError(
                    f"The language model {settings.spacy_model!r} is not installed "
                    "(NEWSFACTS_SPACY_MODEL names a package or a folder; see the README)."
                )
            # Reads need no model, so the server answers them at once and loads it in the background
            # (spaCy's import and the model take 1–2 s of a 2–4 s start). /ready says when it is in;
            # a write that comes first waits for the load (app.nlp).
            threading.Thread(
                target=_load_model, args=(app, settings.spacy_model), name="newsfacts-model", daemon=True
            ).start()
        gc.collect()
        gc.freeze()
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="newsfacts",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[
            {"name": "articles", "description": "Articles and the facts taken from each."},
            {"name": "quotes", "description": "Direct, mixed and reported speech with its speaker."},
            {"name": "actors", "description": "People, organisations, countries and groups."},
            {"name": "positions", "description": "Actor → stance → claim, with evidence."},
            {"name": "topics", "description": "What positions are about, and who stands where."},
            {"name": "search", "description": "Full-text search over articles, quotes and actors."},
            {"name": "operations", "description": "Health, readiness and metrics."},
        ],
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)
    app.state.read_sessionmaker = make_read_sessionmaker(app.state.engine, settings.db_read_threads)
    app.state.model_loaded = False
    install_error_handlers(app)
    # Innermost first: size and rate limits, then caching, gzip and CORS (so a 413 or 429 carries the
    # CORS headers too), then the access log, metrics and request id around everything.
    app.add_middleware(
        RequestLimitsMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_query_chars=settings.max_query_chars,
    )
    app.add_middleware(RateLimitMiddleware, settings=settings)
    install_http_middleware(app, settings)
    install_observability(app)
    document_rate_limits(app)
    app.include_router(search_router)
    for router in (articles_router, quotes_router, actors_router, positions_router, topics_router):
        app.include_router(router)

    @app.get(
        "/health", response_model=Health, operation_id="health", summary="Process is up", tags=["operations"]
    )
    async def health() -> dict[str, Any]:
        return {"status": "ok"}

    @app.get(
        "/ready",
        response_model=Readiness,
        operation_id="ready",
        summary="Ready to serve",
        description="Database reachable, schema at the newest migration, language model loaded. 503 if not.",
        tags=["operations"],
        responses={503: {"model": Readiness, "description": "Not ready"}},
    )
    def ready(request: Request, response: Response) -> Readiness:
        database, current, head = False, None, None
        try:
            with request.app.state.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            database = True
            current, head = schema_revisions(request.app.state.engine)
        except Exception:
            database = False
        model = bool(request.app.state.model_loaded)
        ok = database and current == head and model
        response.status_code = 200 if ok else 503
        return Readiness(
            status="ready" if ok else "not ready",
            database=database,
            schema_revision=current,
            schema_head=head,
            language_model=model,
        )

    return app
