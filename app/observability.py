"""Request ids, one JSON log line per request, and Prometheus metrics at ``/metrics``.

- ``X-Request-ID``: taken from the request when it is a 32-hex-digit or UUID value, made otherwise
  (``asgi-correlation-id``), echoed in the response and put on every log line as ``request_id``.
- Access log: logger ``newsfacts.access``, one line per request with method, path, route, status,
  duration_ms, request_id and client; JSON through ``python-json-logger`` when ``NEWSFACTS_LOG_FORMAT=json``.
- Metrics (``prometheus-client``): requests by method, route template and status; latency histogram by
  route; articles ingested by outcome and quotes stored. The route label is the template
  (``/articles/{article}``), never the raw path, so ids do not explode the number of series.
  Counters are per process: with several workers, scrape each or run one worker per container.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from asgi_correlation_id import CorrelationIdMiddleware, correlation_id
from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem_response

if TYPE_CHECKING:
    from app.settings import Settings

access_logger = logging.getLogger("newsfacts.access")
error_logger = logging.getLogger("newsfacts")

HTTP_REQUESTS = Counter("newsfacts_http_requests", "HTTP requests answered.", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "newsfacts_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
INGEST_ARTICLES = Counter(
    "newsfacts_ingest_articles", "Articles ingested, by outcome (new, unchanged, failed).", ["outcome"]
)
INGEST_QUOTES = Counter("newsfacts_ingest_quotes", "Quotes stored with new articles.")


def record_ingest(outcome: str, quotes: int = 0) -> None:
    INGEST_ARTICLES.labels(outcome).inc()
    if quotes:
        INGEST_QUOTES.inc(quotes)


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "<unmatched>"


class AccessLogMiddleware:
    """Logs and measures every request; an unexpected exception becomes a 500 problem."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            error_logger.exception("unhandled error on %s %s", scope["method"], scope["path"])
            status = 500
            if response_started:
                raise
            response = problem_response(
                Request(scope), 500, "internal", "Internal error", "The server failed to answer."
            )
            await response(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
            HTTP_LATENCY.labels(scope["method"], route).observe(elapsed)
            client = scope.get("client")
            access_logger.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "client": client[0] if client else None,
                },
            )


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or None outside a request) on every record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = correlation_id.get()
        return True


def logging_config(settings: Settings) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server: our loggers and uvicorn's, one format."""
    if settings.log_format == "json":
        formatter: dict[str, Any] = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    else:
        formatter = {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["default"], "level": settings.log_level},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }


def metrics(request: Request) -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def install_observability(app: FastAPI) -> None:
    """The access log and metrics wrap everything added before; the request id wraps them."""
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID")
    app.add_api_route(
        "/metrics",
        metrics,
        methods=["GET"],
        operation_id="metrics",
        summary="Prometheus metrics",
        description="Counters and histograms in the Prometheus text format.",
        tags=["operations"],
        response_class=Response,
        responses={
            200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Metrics"}
        },
    )
